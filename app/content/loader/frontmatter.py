"""Front matter: the YAML block at the top of a page, and the keys each kind of file accepts."""
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from .names import AUDIENCES, LEVELS
from .reporter import Reporter

#: libyaml's safe loader when PyYAML was built with it: the same results, several times faster
_FAST_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: a front-matter key's check and what a good value looks like
KeyRule = tuple[Callable[[Any], bool], str]


def parse_yaml(text: str) -> Any:
    """Parse YAML safely; on an error, parse again with the pure-Python loader for its clearer position."""
    try:
        return yaml.load(text, Loader=_FAST_YAML)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return yaml.safe_load(text)


def is_text(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _int_at_least(low: int) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= low


def _is_language(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch("[a-z]{2,3}", value) is not None


def _is_percentage(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 100


def _is_id_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and re.fullmatch("[a-z0-9][a-z0-9-]*", v) for v in value)


COMPETENCES_RULE: KeyRule = (_is_id_list, "a list of competence ids from competences.yml")
#: the original a translation was made from (the editor writes it): how out-of-date translations are found
ORIGINAL_HASH_RULE: KeyRule = (lambda v: isinstance(v, str) and re.fullmatch("[0-9a-f]{12}", v) is not None,
                               "the first 12 hex digits of the original's SHA-256, in quotes (the editor writes it)")
COURSE_KEYS: dict[str, KeyRule] = {
    "title": (is_text, "a text"),
    "summary": (is_text, "a text"),
    "audience": (lambda v: v in AUDIENCES, " | ".join(AUDIENCES)),
    "level": (lambda v: v in LEVELS, " | ".join(LEVELS)),
    "minutes": (_int_at_least(1), "a whole number of minutes"),
    "language": (_is_language, "a language code such as en"),
    "certificate": (lambda v: isinstance(v, bool), "true or false"),
    "authors": (lambda v: isinstance(v, list) and all(is_text(a) for a in v), "a list of names"),
    "license": (is_text, "a text"),
    "competences": COMPETENCES_RULE,
}
TRANSLATION_KEYS: dict[str, KeyRule] = {**{key: COURSE_KEYS[key] for key in ("title", "summary")},
                                         "original_hash": ORIGINAL_HASH_RULE}
MODULE_KEYS: dict[str, KeyRule] = {"title": (is_text, "a text"), "competences": COMPETENCES_RULE,
                                   "original_hash": ORIGINAL_HASH_RULE}
LESSON_KEYS: dict[str, KeyRule] = {
    "title": (is_text, "a text"), "minutes": (_int_at_least(1), "a whole number of minutes"),
    "original_hash": ORIGINAL_HASH_RULE,
}
QUIZ_KEYS: dict[str, KeyRule] = {
    "title": (is_text, "a text"),
    "pass_mark": (_is_percentage, "a percentage from 0 to 100"),
    "attempts": (_int_at_least(0), "a whole number, 0 for unlimited"),
    "shuffle": (lambda v: isinstance(v, bool), "true or false"),
    "minutes": (_int_at_least(1), "a whole number of minutes"),
    "original_hash": ORIGINAL_HASH_RULE,
}

#: what read_page returns: (front matter, or None when it cannot be read; body; line of the body's first line)
Page = tuple[dict[str, Any] | None, str, int]


def read_page(path: Path, keys: Mapping[str, KeyRule], report: Reporter) -> Page:
    """Split a file into (front matter, body, first body line); report bad YAML and keys."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.error(path, 1, f"cannot read the file as UTF-8 text ({exc.__class__.__name__})")
        return None, "", 1
    lines = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    if lines[0].strip() != "---":
        return {}, "\n".join(lines), 1
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in {"---", "..."}), None)
    if end is None:
        report.error(path, 1, "front matter starts with --- but never ends with ---")
        return None, "", 1
    meta = _parse_front_matter(path, "\n".join(lines[1:end]), report)
    if meta is None:
        return None, "", 1
    body = "\n".join(lines[end + 1:])
    return _valid_keys(path, lines, meta, keys, report), body, end + 2


def _parse_front_matter(path: Path, source: str, report: Reporter) -> dict[str, Any] | None:
    try:
        meta = parse_yaml(source) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        report.error(path, line, f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}")
        return None
    if not isinstance(meta, dict):
        report.error(path, 2, "front matter must be `key: value` lines")
        return None
    return meta


def _valid_keys(path: Path, lines: list[str], meta: dict[str, Any], keys: Mapping[str, KeyRule],
                report: Reporter) -> dict[str, Any]:
    """The keys that are known and have good values; every other one is reported (and the page read on)."""
    valid = {}
    for key, value in meta.items():
        line = _key_line(lines, key)
        if key not in keys:
            report.error(path, line, f"unknown front-matter key {key!r} (known: {', '.join(keys)})")
        elif not keys[key][0](value):
            report.error(path, line, f"bad value for {key!r}: expected {keys[key][1]}")
        else:
            valid[key] = value
    return valid


def _key_line(lines: list[str], key: object) -> int:
    pattern = re.compile(rf"^{re.escape(str(key))}\s*:")
    return next((i + 1 for i, line in enumerate(lines) if pattern.match(line)), 1)
