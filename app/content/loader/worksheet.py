"""Worksheet parsing: each `## Label {#id}` heading is a field; `key: value` lines under it describe it,
the lines after them are its help text (Markdown)."""
import re
from pathlib import Path
from typing import Any

from ..expressions import ExpressionError, parse_expression, references
from ..rendering import render_inline
from ..worksheets import FIELD_KINDS, MAX_ROWS, Choice, Column, WorksheetField
from .pages import LinkResolver, render_page
from .quiz import Section, split_sections
from .reporter import Reporter

FIELD_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
KEY_LINE = re.compile(r"^([a-z]+):\s*(.*?)\s*$")
COLUMN = re.compile(r"^([a-z][a-z0-9_]{0,39})\s+(text|number)(?:\s+(\S+))?\s*\|\s*(\S.*)$")
OPTION = re.compile(r"^([a-z][a-z0-9_]{0,39})\s*\|\s*(\S.*)$")
KEYS = ("type", "unit", "min", "max", "rows", "column", "option", "formula", "example", "optional")

#: what a translation must keep of each field: id, kind, columns, choices, formula, bounds
WorksheetStructure = list[tuple[Any, ...]]


class _FieldError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def parse_worksheet(path: Path, body: str, body_line: int, resolver: LinkResolver | None,
                    report: Reporter) -> tuple[str, tuple[WorksheetField, ...], bool]:
    """Parse a worksheet body into (intro html, fields, complete); report each problem with its line."""
    intro, sections = split_sections(body, body_line)
    fields: list[WorksheetField] = []
    failed = False
    for section in sections:
        try:
            field = _parse_field(path, section, resolver, report)
        except _FieldError as exc:
            report.error(path, exc.line, str(exc))
            failed = True
            continue
        if any(f.id == field.id for f in fields):
            report.error(path, section.line, f"duplicate field id {field.id!r}")
            failed = True
            continue
        if field.expression is not None and not _check_formula(path, field, fields, report):
            failed = True
        fields.append(field)
    if not sections:
        report.error(path, body_line, "the worksheet has no fields: start each with a `## Label {#id}` heading")
    intro_html = render_page(path, "\n".join(intro), body_line, resolver, report)
    return intro_html, tuple(fields), not failed


def _parse_field(path: Path, section: Section, resolver: LinkResolver | None, report: Reporter) -> WorksheetField:
    label, field_id = section.split_heading(0)
    if field_id == "q0":
        raise _FieldError(section.line, "give the field an id: `## Label {#some_id}`")
    if not FIELD_ID.match(field_id):
        raise _FieldError(section.line, f"bad field id {field_id!r}: lowercase letters, digits and _, "
                                        "starting with a letter")
    settings: dict[str, Any] = {"columns": [], "choices": []}
    help_start = len(section.lines)
    for index, (number, line) in enumerate(section.lines):
        match = KEY_LINE.match(line)
        if not line.strip() or match is None:
            help_start = index
            break
        _read_key(settings, match.group(1), match.group(2), number)
    kind = settings.get("type")
    if kind is None:
        raise _FieldError(section.line, f"field {field_id!r} needs `type:` ({', '.join(FIELD_KINDS)})")
    if kind == "rows" and not settings["columns"]:
        raise _FieldError(section.line, f"list field {field_id!r} needs `column: id text|number [unit] | Label` lines")
    if kind == "choice" and len(settings["choices"]) < 2:
        raise _FieldError(section.line, f"choice field {field_id!r} needs at least two `option: id | Label` lines")
    if kind == "computed" and "formula" not in settings:
        raise _FieldError(section.line, f"computed field {field_id!r} needs `formula:`")
    if kind != "computed" and "formula" in settings:
        raise _FieldError(settings["formula_line"], "only a `type: computed` field has a formula")
    help_lines = section.lines[help_start:]
    help_html = render_page(path, "\n".join(line for _, line in help_lines),
                            help_lines[0][0] if help_lines else section.line, resolver, report)
    return WorksheetField(
        id=field_id, kind=kind, label=render_inline(label.strip()), help_html=help_html,
        example=settings.get("example", ""), unit=settings.get("unit", ""), minimum=settings.get("min"),
        maximum=settings.get("max"), rows=settings.get("rows", 5 if kind == "rows" else 0),
        columns=tuple(settings["columns"]), choices=tuple(settings["choices"]),
        formula=settings.get("formula", ""), expression=settings.get("expression"),
        optional=settings.get("optional", False), line=section.line, formula_line=settings.get("formula_line", 0),
    )


def _read_key(settings: dict[str, Any], key: str, value: str, line: int) -> None:
    """Read one `key: value` line into `settings`, or raise _FieldError saying what is wrong."""
    if key not in KEYS:
        raise _FieldError(line, f"unknown key {key!r}: use {', '.join(KEYS)}")
    if key == "type":
        if value not in FIELD_KINDS:
            raise _FieldError(line, f"unknown field type {value!r}: use {', '.join(FIELD_KINDS)}")
        settings["type"] = value
    elif key in ("min", "max"):
        try:
            settings[key] = float(value)
        except ValueError:
            raise _FieldError(line, f"`{key}:` takes a number, not {value!r}") from None
    elif key == "rows":
        if not value.isdigit() or not 1 <= int(value) <= MAX_ROWS:
            raise _FieldError(line, f"`rows:` takes a whole number from 1 to {MAX_ROWS}")
        settings["rows"] = int(value)
    elif key == "column":
        match = COLUMN.match(value)
        if match is None:
            raise _FieldError(line, f"malformed column {value!r}: write `column: id text|number [unit] | Label`")
        if any(c.id == match.group(1) for c in settings["columns"]):
            raise _FieldError(line, f"duplicate column id {match.group(1)!r}")
        settings["columns"].append(Column(match.group(1), match.group(2), match.group(4), match.group(3) or ""))
    elif key == "option":
        match = OPTION.match(value)
        if match is None:
            raise _FieldError(line, f"malformed option {value!r}: write `option: id | Label`")
        settings["choices"].append(Choice(match.group(1), match.group(2)))
    elif key == "formula":
        try:
            settings["expression"] = parse_expression(value)
        except ExpressionError as exc:
            raise _FieldError(line, f"formula: {exc}") from None
        settings["formula"], settings["formula_line"] = value, line
    elif key == "optional":
        if value not in ("yes", "no"):
            raise _FieldError(line, "`optional:` takes yes or no")
        settings["optional"] = value == "yes"
    else:
        settings[key] = value


def _check_formula(path: Path, field: WorksheetField, earlier: list[WorksheetField], report: Reporter) -> bool:
    """A formula may read number and computed fields above it, and sum() number columns of list fields."""
    assert field.expression is not None
    names, columns = references(field.expression)
    by_id = {f.id: f for f in earlier}
    line = field.formula_line
    ok = True
    for name in sorted(names):
        found = by_id.get(name)
        if found is None or found.kind not in ("number", "computed"):
            report.error(path, line, f"formula of {field.id!r}: {name!r} is not a number field above it")
            ok = False
    for list_id, column_id in sorted(columns):
        found = by_id.get(list_id)
        column = next((c for c in found.columns if c.id == column_id), None) if found else None
        if found is None or found.kind != "rows" or column is None or column.kind != "number":
            report.error(path, line, f"formula of {field.id!r}: {list_id}.{column_id} is not a number column "
                                     "of a list field above it")
            ok = False
    return ok


def worksheet_structure(fields: tuple[WorksheetField, ...]) -> WorksheetStructure:
    """What a translation must keep: ids, kinds, bounds, columns, choices and formulas."""
    return [(f.id, f.kind, f.minimum, f.maximum, f.rows, f.optional, f.formula,
             tuple((c.id, c.kind) for c in f.columns), tuple(c.id for c in f.choices)) for f in fields]


def worksheet_difference(original: WorksheetStructure, translated: WorksheetStructure) -> str:
    """How a translated worksheet differs from the original; empty when it does not."""
    if len(original) != len(translated):
        return f"{len(translated)} fields, the original has {len(original)}"
    for position, (a, b) in enumerate(zip(original, translated, strict=True), start=1):
        if a[0] != b[0]:
            return f"field {position} has id {b[0]!r}, the original {a[0]!r}"
        if a != b:
            return f"field {a[0]!r} has another type, bounds, columns, options or formula than the original"
    return ""

