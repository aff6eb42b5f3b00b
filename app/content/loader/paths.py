"""Learning paths: `paths.yml`, a list of courses to follow in order, checked against the loaded courses."""
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ..model import Course, LearningPath
from .frontmatter import is_text, parse_yaml
from .names import AUDIENCES, is_slug
from .reporter import Reporter

PATH_KEYS = {"slug", "title", "summary", "audience", "courses"}


def _localised(value: object) -> dict[str, str] | None:
    """A path title is either one text or a {lang: text} mapping."""
    if isinstance(value, str) and value.strip():
        return {"en": value}
    if isinstance(value, dict) and value and all(isinstance(k, str) and is_text(v) for k, v in value.items()):
        return dict(value)
    return None


def _read_entries(path: Path, report: Reporter) -> list[Any] | None:
    """The YAML list in paths.yml, or None (reported) when it is not one."""
    try:
        data = parse_yaml(path.read_text(encoding="utf-8")) or []
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        report.error(path, mark.line + 1 if mark else 1, f"not valid YAML: {exc.__class__.__name__}")
        return None
    if not isinstance(data, list):
        report.error(path, 1, "paths.yml must be a list of paths")
        return None
    return data


def load_paths(root: str | Path, courses: Mapping[str, Course], report: Reporter) -> tuple[LearningPath, ...]:
    """The learning paths of `root/paths.yml` (none when there is no such file), each problem reported."""
    path = Path(root) / "paths.yml"
    if not path.is_file():
        return ()
    entries = _read_entries(path, report)
    if entries is None:
        return ()
    lines = path.read_text(encoding="utf-8").split("\n")
    paths: list[LearningPath] = []
    slugs: set[str] = set()
    for entry in entries:
        learning_path = _read_path(path, lines, entry, slugs, courses, report)
        if learning_path is not None:
            slugs.add(learning_path.slug)
            paths.append(learning_path)
    return tuple(paths)


def _read_path(path: Path, lines: list[str], entry: object, slugs: set[str], courses: Mapping[str, Course],
               report: Reporter) -> LearningPath | None:
    """One entry of paths.yml; None when it cannot be used (reported)."""
    slug = entry.get("slug") if isinstance(entry, dict) else None
    line = next((i + 1 for i, text in enumerate(lines)
                 if slug and re.search(rf"slug:\s*{re.escape(str(slug))}\s*$", text)), 1)
    if not isinstance(entry, dict) or not isinstance(slug, str) or not is_slug(slug):
        report.error(path, line, "each path needs a slug (lowercase letters, digits, dashes)")
        return None
    unknown = set(entry) - PATH_KEYS
    if unknown:
        report.error(path, line, f"unknown key(s) {', '.join(sorted(unknown))} in path {slug!r}")
    titles = _localised(entry.get("title"))
    if titles is None:
        report.error(path, line, f"path {slug!r} needs a title")
        return None
    if slug in slugs:
        report.error(path, line, f"duplicate path slug {slug!r}")
        return None
    course_slugs = entry.get("courses") or []
    if not isinstance(course_slugs, list) or not course_slugs:
        slugs.add(slug)
        report.error(path, line, f"path {slug!r} needs a list of courses")
        return None
    for course in course_slugs:
        if course not in courses:
            report.error(path, line, f"path {slug!r} names a course that is not loaded: {course!r}")
    audience = entry.get("audience", "both")
    if audience not in AUDIENCES:
        report.error(path, line, f"bad audience {audience!r}: {' | '.join(AUDIENCES)}")
    return LearningPath(slug, titles, _localised(entry.get("summary")) or {}, audience,
                        tuple(c for c in course_slugs if c in courses))
