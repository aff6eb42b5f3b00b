"""A worksheet added to the sample course (only for these tests, so other tests' counts stay as they are)."""
import pytest

from tests.conftest import SAMPLE_COURSES
from tests.worksheet_samples import break_even_sheet

PLAN = break_even_sheet("Your price and break-even", """## Your idea in a few lines {#idea}
type: long

## Price per unit {#price}
type: number
unit: €
min: 0
max: 100000

## Variable cost per unit {#variable}
type: number
unit: €
min: 0
max: 100000

## Monthly fixed costs {#fixed}
type: rows
rows: 3
column: item text | Cost
column: amount number € | Amount a month

## Where you sell {#channel}
type: choice
option: market | At a market
option: shop | In a shop

## Break-even {#break_even}
type: computed
unit: units a month
formula: round(sum(fixed.amount) / (price - variable))
""")

PLAN_IT = (PLAN.replace("Your price and break-even", "Il tuo prezzo e il pareggio")
           .replace("Price per unit", "Prezzo unitario").replace("At a market", "Al mercato"))

#: a complete, valid set of answers as a learner would post them
GOOD = {"product": "Wraps", "idea": "A food stall\nnear the station.", "price": "6", "variable": "2,50",
        "fixed.0.item": "Pitch", "fixed.0.amount": "400", "fixed.1.item": "Gas and the rest",
        "fixed.1.amount": "650", "channel": "market"}
URL = "/courses/sample-course/numbers/plan"


@pytest.fixture
def courses_dir(courses_dir):
    (courses_dir / "sample-course/02-numbers/03-plan.worksheet.md").write_text(PLAN)
    (courses_dir / "sample-course/02-numbers/03-plan.worksheet.it.md").write_text(PLAN_IT)
    return courses_dir
