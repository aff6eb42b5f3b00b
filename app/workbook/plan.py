"""The business plan: a learner's worksheets assembled for reading (operators) and printing (the PDF).

Labels come from the course version in each language asked for (the learner's, and the operators' if the
plan is bilingual); the learner's own words are shown as written.
"""
from dataclasses import dataclass, field
from typing import Any

from ..content.model import Course, Worksheet, WorksheetField, pick
from ..content.worksheets import Computed, compute, is_complete

#: the nine blocks of the business model canvas, by field id, as they sit on the sheet
CANVAS_BLOCKS = ("key_partners", "key_activities", "key_resources", "value_propositions", "customer_relationships",
                 "channels", "customer_segments", "cost_structure", "revenue_streams")
#: a list with these number columns is a cash-flow plan: drawn as a chart of the running balance
CASH_IN, CASH_OUT = "cash_in", "cash_out"
OPENING, BAD_CASE_DROP = "opening", "bad_case_drop"


@dataclass
class PlanField:
    """One field in each language asked for (the same field id), with the learner's answer."""

    fields: list[WorksheetField]
    value: Any
    computed: Computed | None = None

    @property
    def first(self) -> WorksheetField:
        return self.fields[0]

    def choice_labels(self) -> list[str]:
        """The chosen option's label in each language."""
        return [next((c.label for c in f.choices if c.id == self.value), "") for f in self.fields]


@dataclass
class PlanSheet:
    worksheet: Worksheet
    titles: list[str]
    fields: list[PlanField]
    complete: bool
    chart: "CashChart | None" = None

    @property
    def is_canvas(self) -> bool:
        return set(CANVAS_BLOCKS) <= {f.first.id for f in self.fields}

    def field(self, field_id: str) -> PlanField:
        return next(f for f in self.fields if f.first.id == field_id)


@dataclass
class CashChart:
    """Month by month balances (planned and bad case) and their picture as SVG coordinates."""

    labels: list[str]
    planned: list[float]
    bad: list[float] | None
    width: int = 640
    height: int = 240
    margin: int = 44
    points: dict[str, str] = field(default_factory=dict)
    ticks: list[tuple[float, float]] = field(default_factory=list)  # (y position, value)
    zero_y: float = 0.0
    x_positions: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        series = self.planned + (self.bad or [])
        low, high = min([0.0, *series]), max([0.0, *series])
        if high == low:
            high = low + 1
        inner_w, inner_h = self.width - 2 * self.margin, self.height - 2 * self.margin
        count = max(len(self.planned) - 1, 1)
        self.x_positions = [self.margin + inner_w * i / count for i in range(len(self.planned))]

        def y(value: float) -> float:
            return round(self.margin + inner_h * (high - value) / (high - low), 1)

        self.zero_y = y(0)
        self.points["planned"] = " ".join(f"{x:.1f},{y(v)}" for x, v in zip(self.x_positions, self.planned))
        if self.bad is not None:
            self.points["bad"] = " ".join(f"{x:.1f},{y(v)}" for x, v in zip(self.x_positions, self.bad))
        self.ticks = [(y(v), v) for v in (low, (low + high) / 2, high)]


def cash_chart(sheet_fields: list[PlanField]) -> CashChart | None:
    """The running balance of a cash-flow list (from `opening`, bad case lowered by `bad_case_drop` %)."""
    by_id = {f.first.id: f for f in sheet_fields}
    rows_field = next((f for f in sheet_fields if f.first.kind == "rows"
                       and {CASH_IN, CASH_OUT} <= {c.id for c in f.first.columns}), None)
    if rows_field is None or not rows_field.value:
        return None
    opening = by_id[OPENING].value if OPENING in by_id and isinstance(by_id[OPENING].value, (int, float)) else 0.0
    drop = by_id[BAD_CASE_DROP].value if BAD_CASE_DROP in by_id else None
    planned: list[float] = []
    bad: list[float] = []
    balance = bad_balance = float(opening)
    labels = []
    for index, row in enumerate(rows_field.value, start=1):
        cash_in, cash_out = row.get(CASH_IN) or 0.0, row.get(CASH_OUT) or 0.0
        balance += cash_in - cash_out
        planned.append(balance)
        if isinstance(drop, (int, float)):
            bad_balance += cash_in * (100 - drop) / 100 - cash_out
            bad.append(bad_balance)
        labels.append(str(row.get("month") or index))
    return CashChart(labels, planned, bad if isinstance(drop, (int, float)) else None)


def build_plan(course: Course, answers: dict[str, dict[str, Any]], languages: list[str]) -> list[PlanSheet]:
    """Every worksheet of the course with the learner's answers, labelled in each of `languages`."""
    sheets = []
    for worksheet in course.worksheets:
        versions = [pick(worksheet.versions, lang, course.language)[0] for lang in languages]
        sheet_answers = answers.get(worksheet.key, {})
        computed = compute(versions[0].fields, sheet_answers)
        plan_fields = [PlanField([v.fields[i] for v in versions], sheet_answers.get(f.id), computed.get(f.id))
                       for i, f in enumerate(versions[0].fields)]
        sheet = PlanSheet(worksheet, [v.title for v in versions], plan_fields,
                          is_complete(versions[0].fields, sheet_answers))
        sheet.chart = cash_chart(plan_fields)
        sheets.append(sheet)
    return sheets
