"""The competence framework, `competences.yml`: areas and competences with stable ids, named in every language;
and the check that every competence a course or module declares is in it."""
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ..model import Competence, CompetenceArea, CompetenceFramework, Course
from .frontmatter import is_text, parse_yaml
from .reporter import Reporter

FILE_NAME = "competences.yml"
ID = re.compile("[a-z0-9][a-z0-9-]*")


def _texts(value: object) -> dict[str, str] | None:
    """A {lang: text} mapping, or None when it is not one."""
    if isinstance(value, dict) and value and all(isinstance(k, str) and is_text(v) for k, v in value.items()):
        return {key: value[key].strip() for key in value}
    return None


def _line_of(lines: list[str], identifier: str) -> int:
    return next((i + 1 for i, text in enumerate(lines) if re.search(rf"id:\s*{re.escape(identifier)}\s*$", text)), 1)


def load_framework(root: str | Path, report: Reporter) -> CompetenceFramework:
    """The framework in `root/competences.yml` (empty when there is no such file), each problem reported."""
    path = Path(root) / FILE_NAME
    if not path.is_file():
        return CompetenceFramework()
    text = path.read_text(encoding="utf-8")
    try:
        data = parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        report.error(path, mark.line + 1 if mark else 1, f"not valid YAML: {exc.__class__.__name__}")
        return CompetenceFramework()
    if not isinstance(data, dict) or not isinstance(data.get("areas"), list):
        report.error(path, 1, "competences.yml needs `name` and a list of `areas`")
        return CompetenceFramework()
    lines = text.split("\n")
    seen: set[str] = set()
    areas = []
    for entry in data["areas"]:
        area = _read_named(path, lines, entry, seen, report)
        if area is None:
            continue
        competences = [_read_named(path, lines, item, seen, report)
                       for item in (area[3].get("competences") or [])]
        areas.append(CompetenceArea(area[0], area[1], area[2], tuple(
            Competence(c[0], area[0], c[1], c[2]) for c in competences if c is not None)))
    return CompetenceFramework(_texts(data.get("name")) or {"en": "Competences"}, tuple(areas))


Named = tuple[str, dict[str, str], dict[str, str], dict[str, Any]]


def _read_named(path: Path, lines: list[str], entry: object, seen: set[str], report: Reporter) -> Named | None:
    """An area's or competence's (id, names, descriptions, entry); None when unusable (reported)."""
    if not isinstance(entry, dict):
        report.error(path, 1, "each area and competence needs an id (lowercase letters, digits, dashes)")
        return None
    identifier = entry.get("id")
    if not isinstance(identifier, str) or not ID.fullmatch(identifier):
        report.error(path, 1, "each area and competence needs an id (lowercase letters, digits, dashes)")
        return None
    line = _line_of(lines, identifier)
    if identifier in seen:
        report.error(path, line, f"duplicate competence id {identifier!r}")
        return None
    seen.add(identifier)
    names = _texts(entry.get("name"))
    if names is None:
        report.error(path, line, f"{identifier!r} needs a name ({{language: text}})")
        return None
    return identifier, names, _texts(entry.get("description")) or {}, entry


def check_declared(courses: Mapping[str, Course], framework: CompetenceFramework, report: Reporter) -> None:
    """Report every competence id a course or module declares that the framework does not define."""
    known = framework.competences
    for course in courses.values():
        for module in (None, *course.modules):
            declared = course.competences if module is None else module.competences
            where = Path(course.path) / ("course.md" if module is None else _module_file(course, module.slug))
            for identifier in declared:
                if identifier not in known:
                    report.error(where, 1, f"unknown competence {identifier!r}: not in {FILE_NAME}")


def _module_file(course: Course, module_slug: str) -> Path:
    folder = next((p for p in Path(course.path).iterdir() if p.is_dir() and p.name.endswith(module_slug)), None)
    return (folder.relative_to(course.path) if folder else Path(module_slug)) / "module.md"
