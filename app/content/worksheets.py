"""Worksheets: fields a learner fills in (their business plan), each of a kind that reads and checks its value.

Field kinds form a registry like question types: each reads what a learner typed into the value that is
stored, or raises InvalidValue with a code the page turns into a message in the learner's language.
"""
import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from .expressions import CannotCompute, Node, evaluate
from .questions import InvalidAnswer, parse_learner_number
from .text import VersionedItem

#: the longest short text, long text and row cell a learner may save, in characters
MAX_SHORT = 200
MAX_LONG = 4000
MAX_CELL = 120
#: numbers a learner may type, in absolute value, unless the field sets min/max
MAX_NUMBER = 1e12
#: most rows a list field may have
MAX_ROWS = 24


class InvalidValue(ValueError):
    """What a learner typed cannot be saved: `code` names the reason, `limit` the bound it broke."""

    def __init__(self, code: str, limit: float | int | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.limit = limit


@dataclass(frozen=True)
class Column:
    id: str
    kind: str  # "text" or "number"
    label: str
    unit: str = ""


@dataclass(frozen=True)
class Choice:
    id: str
    label: str


@dataclass(frozen=True)
class WorksheetField:
    id: str
    kind: str
    label: str
    help_html: str = ""
    example: str = ""
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    rows: int = 0
    columns: tuple[Column, ...] = ()
    choices: tuple[Choice, ...] = ()
    formula: str = ""
    expression: Node | None = None
    optional: bool = False
    line: int = 0
    formula_line: int = 0

    @property
    def type(self) -> type["FieldKind"]:
        return FIELD_KINDS[self.kind]

    @property
    def computed(self) -> bool:
        return self.kind == "computed"


@dataclass(frozen=True)
class WorksheetVersion:
    title: str
    intro_html: str
    fields: tuple[WorksheetField, ...]
    source: str = ""

    def field(self, field_id: str) -> WorksheetField | None:
        return next((f for f in self.fields if f.id == field_id), None)


@dataclass(frozen=True)
class Worksheet(VersionedItem):
    slug: str
    module_slug: str
    minutes: int
    versions: dict[str, WorksheetVersion]  # by language
    kind: str = "worksheet"


def _clean_text(raw: str, limit: int) -> str:
    text = unicodedata.normalize("NFC", raw or "").replace("\r\n", "\n").strip()
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    if len(text) > limit:
        raise InvalidValue("too_long", limit)
    return text


def read_number(raw: str, minimum: float | None = None, maximum: float | None = None) -> float | None:
    """A number typed in any local format (as numeric quiz answers), checked against the bounds; None if blank."""
    if not (raw or "").strip():
        return None
    try:
        value = parse_learner_number(raw)
    except InvalidAnswer as exc:
        raise InvalidValue("too_long" if "long" in str(exc) else "not_a_number", 40) from None
    if isinstance(value, list):  # "1,250": an amount of money is read with the comma as thousands separator
        value = value[0]
    low = -MAX_NUMBER if minimum is None else minimum
    high = MAX_NUMBER if maximum is None else maximum
    if value < low:
        raise InvalidValue("too_small", low)
    if value > high:
        raise InvalidValue("too_large", high)
    return value


class FieldKind:
    """One kind of field: how a learner's input becomes the stored value, and whether it is filled."""

    key: ClassVar[str]
    #: the template whose macros show the field: `edit` (the form control) and `show` (the saved answer)
    template: ClassVar[str]

    @classmethod
    def read(cls, field: WorksheetField, form: Mapping[str, str]) -> Any:
        """The value to store from the form's inputs (named `<field id>` or `<field id>.<row>.<column>`)."""
        raise NotImplementedError

    @classmethod
    def filled(cls, value: Any) -> bool:
        return value not in (None, "", [])


class ShortText(FieldKind):
    key = "text"
    template = "workbook/fields/text.html"

    @classmethod
    def read(cls, field: WorksheetField, form: Mapping[str, str]) -> str:
        return _clean_text(form.get(field.id, ""), MAX_SHORT).replace("\n", " ")


class LongText(FieldKind):
    key = "long"
    template = "workbook/fields/long.html"

    @classmethod
    def read(cls, field: WorksheetField, form: Mapping[str, str]) -> str:
        return _clean_text(form.get(field.id, ""), MAX_LONG)


class NumberField(FieldKind):
    key = "number"
    template = "workbook/fields/number.html"

    @classmethod
    def read(cls, field: WorksheetField, form: Mapping[str, str]) -> float | None:
        return read_number(form.get(field.id, ""), field.minimum, field.maximum)


class ChoiceField(FieldKind):
    key = "choice"
    template = "workbook/fields/choice.html"

    @classmethod
    def read(cls, field: WorksheetField, form: Mapping[str, str]) -> str:
        chosen = form.get(field.id, "")
        if chosen and chosen not in {choice.id for choice in field.choices}:
            raise InvalidValue("not_a_choice")
        return chosen


class RowsField(FieldKind):
    """A list of rows (cost lines, months): each row has the field's columns; empty rows are dropped."""

    key = "rows"
    template = "workbook/fields/rows.html"

    @classmethod
    def read(cls, field: WorksheetField, form: Mapping[str, str]) -> list[dict[str, str | float | None]]:
        rows: list[dict[str, str | float | None]] = []
        for index in range(field.rows):
            row: dict[str, str | float | None] = {}
            for column in field.columns:
                raw = form.get(f"{field.id}.{index}.{column.id}", "")
                if column.kind == "number":
                    row[column.id] = read_number(raw, field.minimum, field.maximum)
                else:
                    row[column.id] = _clean_text(raw, MAX_CELL).replace("\n", " ")
            if any(value not in (None, "") for value in row.values()):
                rows.append(row)
        return rows


class ComputedField(FieldKind):
    """Worked out on the server from the other fields: never typed."""

    key = "computed"
    template = "workbook/fields/computed.html"

    @classmethod
    def read(cls, field: WorksheetField, form: Mapping[str, str]) -> None:
        return None


FIELD_KINDS: dict[str, type[FieldKind]] = {
    kind.key: kind for kind in (ShortText, LongText, NumberField, ChoiceField, RowsField, ComputedField)
}


@dataclass(frozen=True)
class Computed:
    """A computed field's outcome: its value, or why it cannot be computed yet (a CannotCompute code)."""

    value: float | None
    reason: str = ""
    code: str = ""


def compute(fields: tuple[WorksheetField, ...], answers: Mapping[str, Any]) -> dict[str, Computed]:
    """Every computed field's value from the answers, in order (a formula may use earlier computed fields)."""
    values: dict[str, float | None] = {
        f.id: answers.get(f.id) for f in fields if f.kind == "number" and isinstance(answers.get(f.id), (int, float))
    }
    rows = {f.id: answers.get(f.id) or [] for f in fields if f.kind == "rows"}
    results: dict[str, Computed] = {}
    for field in fields:
        if not field.computed or field.expression is None:
            continue
        try:
            result = evaluate(field.expression, values, rows)
            results[field.id] = Computed(result)
            values[field.id] = result
        except CannotCompute as exc:
            results[field.id] = Computed(None, str(exc), exc.code)
    return results


def is_complete(fields: tuple[WorksheetField, ...], answers: Mapping[str, Any]) -> bool:
    """Every field a learner must fill is filled, and every computed field can be computed."""
    computed = compute(fields, answers)
    for field in fields:
        if field.computed:
            if computed[field.id].value is None or not math.isfinite(computed[field.id].value or 0):
                return False
        elif not field.optional and not field.type.filled(answers.get(field.id)):
            return False
    return True
