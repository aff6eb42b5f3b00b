"""Worksheets in the course format: fields, help, formulas, translations, and the checker's messages."""
import shutil
from pathlib import Path

import pytest

from app.content.loader import load_catalog
from app.content.worksheets import InvalidValue, compute, is_complete
from tests.worksheet_samples import break_even_sheet

DATA = Path(__file__).parent.parent / "data"

PRICE_SHEET = break_even_sheet("Price and break-even", """## Price per unit {#price}
type: number
unit: €
min: 0
max: 100000
example: 6

## Variable cost per unit {#variable}
type: number
unit: €
min: 0

## Monthly fixed costs {#fixed_lines}
type: rows
rows: 4
column: item text | Cost
column: amount number € | Amount per month

## How you sell {#channel}
type: choice
option: market | At a market
option: shop | In a shop

## Break-even {#break_even}
type: computed
unit: units a month
formula: sum(fixed_lines.amount) / (price - variable)
""")

PRICE_SHEET_IT = PRICE_SHEET.replace("Price and break-even", "Prezzo e pareggio").replace(
    "Price per unit", "Prezzo unitario").replace("At a market", "Al mercato").replace(
    "column: item text | Cost", "column: item text | Voce")


@pytest.fixture
def course(tmp_path):
    shutil.copytree(DATA / "courses", tmp_path / "tree")
    return tmp_path / "tree/sample-course"


def load(course, body=PRICE_SHEET, name="04-price.worksheet.md", extra=None):
    (course / "02-numbers" / name).write_text(body)
    for file_name, text in (extra or {}).items():
        (course / "02-numbers" / file_name).write_text(text)
    catalog = load_catalog(course.parent)
    return catalog, [str(p).split("sample-course/", 1)[-1] for p in catalog.problems]


def test_a_worksheet_loads_with_its_fields_and_translations(course):
    catalog, problems = load(course, extra={"04-price.worksheet.it.md": PRICE_SHEET_IT})
    assert problems == []
    sheet = catalog.course("sample-course").item("numbers/price")
    assert sheet.kind == "worksheet" and sheet.minutes == 10
    fields = sheet.versions["en"].fields
    assert [f.id for f in fields] == ["product", "price", "variable", "fixed_lines", "channel", "break_even"]
    assert [f.kind for f in fields] == ["text", "number", "number", "rows", "choice", "computed"]
    assert fields[0].help_html == "<p>One product, or your main one.</p>" and fields[0].example == "Wraps"
    assert fields[1].unit == "€" and fields[1].maximum == 100000
    assert [c.id for c in fields[3].columns] == ["item", "amount"] and fields[3].rows == 4
    assert sheet.versions["it"].fields[1].label == "Prezzo unitario"
    assert sheet.versions["it"].fields[4].choices[0].label == "Al mercato"
    assert [f.id for f in sheet.versions["it"].fields] == [f.id for f in fields]


def test_computed_fields_and_completeness(course):
    catalog, _ = load(course)
    fields = catalog.course("sample-course").item("numbers/price").versions["en"].fields
    answers = {"product": "Wraps", "price": 6.0, "variable": 2.5, "channel": "market",
               "fixed_lines": [{"item": "Pitch", "amount": 400.0}, {"item": "Other", "amount": 650.0}]}
    assert compute(fields, answers)["break_even"].value == pytest.approx(300)
    assert is_complete(fields, answers)
    assert compute(fields, {**answers, "variable": 6.0})["break_even"].reason == "division by zero"
    assert not is_complete(fields, {**answers, "variable": 6.0})
    assert not is_complete(fields, {**answers, "product": ""})


def test_numbers_are_read_in_local_formats_and_bounded(course):
    catalog, _ = load(course)
    price = catalog.course("sample-course").item("numbers/price").versions["en"].field("price")
    assert price.type.read(price, {"price": "1.250,50"}) == 1250.5
    assert price.type.read(price, {"price": "٦"}) == 6
    assert price.type.read(price, {"price": "€ 1 250"}) == 1250
    assert price.type.read(price, {"price": ""}) is None
    for raw, code in [("-1", "too_small"), ("200000", "too_large"), ("abc", "not_a_number"), ("9" * 50, "too_long")]:
        with pytest.raises(InvalidValue) as caught:
            price.type.read(price, {"price": raw})
        assert caught.value.code == code


@pytest.mark.parametrize("change, message", [
    (("## What you sell {#product}", "## What you sell"), "8: error: give the field an id"),
    (("## What you sell {#product}", "## What you sell {#Product-1}"), "8: error: bad field id 'Product-1'"),
    (("type: text", "type: essay"), "9: error: unknown field type 'essay'"),
    (("type: text", "colour: red"), "9: error: unknown key 'colour'"),
    (("column: item text | Cost", "column: item | Cost"), "29: error: malformed column 'item | Cost'"),
    (("option: shop | In a shop", ""), "32: error: choice field 'channel' needs at least two"),
    (("(price - variable)", "(price - variable"), "40: error: formula: the formula ends too early"),
    (("(price - variable)", "(price - __import__('os'))"), "40: error: formula: unexpected \"'\""),
    (("(price - variable)", "(price - product)"), "40: error: formula of 'break_even': 'product' is not a number"),
    (("sum(fixed_lines.amount)", "sum(fixed_lines.item)"), "40: error: formula of 'break_even': fixed_lines.item"),
    (("rows: 4", "rows: 400"), "28: error: `rows:` takes a whole number from 1 to 24"),
    (("min: 0\nmax: 100000", "min: zero"), "17: error: `min:` takes a number, not 'zero'"),
])
def test_the_checker_reports_each_mistake_with_its_line(course, change, message):
    _, problems = load(course, PRICE_SHEET.replace(*change))
    assert any(p.startswith(f"02-numbers/04-price.worksheet.md:{message}") for p in problems), problems


def test_a_translation_must_keep_ids_and_formulas(course):
    changed = PRICE_SHEET_IT.replace("{#product}", "{#prodotto}")
    _, problems = load(course, extra={"04-price.worksheet.it.md": changed})
    assert problems[0] == ("02-numbers/04-price.worksheet.it.md:1: error: translation differs from the original: "
                        "field 1 has id 'prodotto', the original 'product'")
    changed = PRICE_SHEET_IT.replace("/ (price - variable)", "/ price")
    _, problems = load(course, extra={"04-price.worksheet.it.md": changed})
    assert "field 'break_even' has another type" in problems[0]


def test_hostile_labels_and_help_are_sanitised_at_load(course):
    hostile = PRICE_SHEET.replace("What you sell", "What <script>alert(1)</script> you sell").replace(
        "One product, or your main one.", "<img src=x onerror=alert(1)> One product.")
    catalog, _ = load(course, hostile)
    field = catalog.course("sample-course").item("numbers/price").versions["en"].fields[0]
    assert "<script" not in field.label and "onerror" not in field.help_html
