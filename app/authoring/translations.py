"""Translations of a course beside their original: which are missing, which are out of date, saving one.

A translation saved in the editor records the original it was made from: `original_hash` in its front matter,
the first 12 hex digits of the SHA-256 of the original file's text as the translator saw it. It is out of date
when the original's text no longer has that hash. The record is in the file itself, so it holds in a draft
(not committed yet), after publishing, after a rollback (an old translation comes back with the old hash it
was made from), in a course package and when the structure editor renumbers files; git history holds none of
these cases. A translation never saved here has no record: it is shown as not compared yet.
"""
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from ..content.loader.frontmatter import parse_yaml
from ..content.loader.names import ITEM_FILE, MODULE_DIR, PAGE_FILE
from . import operations, repository

HASH_KEY = "original_hash"
#: a translation's state against its original
MISSING, OUTDATED, CURRENT, UNKNOWN = "missing", "outdated", "current", "unknown"
LANGUAGE = re.compile(r"[a-z]{2,3}")
HASH = re.compile(r"[0-9a-f]{12}")
#: the front-matter keys a new translation takes from its original (the others come from the original itself)
COPIED_KEYS = ("title", "summary")


@dataclass(frozen=True)
class Row:
    """An original file of the course and the state of its translation in each language."""

    original: str
    states: dict[str, str] = field(default_factory=dict)


def original_hash(text: str) -> str:
    return hashlib.sha256(text.replace("\r\n", "\n").encode()).hexdigest()[:12]


def _language_of(filename: str) -> tuple[bool, str | None]:
    """(whether the file is a course page, module page, lesson, quiz or worksheet; its language or None)."""
    page = PAGE_FILE.match(filename)
    if page:
        return True, page.group(2)
    item = ITEM_FILE.match(filename)
    return (True, item.group(5)) if item else (False, None)


def is_original(name: str) -> bool:
    """Whether `name` (relative to the course folder) is a page, lesson, quiz or worksheet in the original language."""
    parts = PurePosixPath(name).parts
    if not 1 <= len(parts) <= 2 or (len(parts) == 2 and not MODULE_DIR.match(parts[0])):
        return False
    known, language = _language_of(parts[-1])
    return known and language is None and (len(parts) == 2 or PAGE_FILE.match(parts[0]) is not None)


def translation_name(original: str, language: str) -> str:
    return f"{original[:-len('.md')]}.{language}.md"


def _split(text: str) -> tuple[list[str] | None, list[str]]:
    """(front-matter lines or None when there is none, body lines) of a page's text."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines[0].strip() != "---":
        return None, lines
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in {"---", "..."}), None)
    if end is None:
        return None, lines
    return lines[1:end], lines[end + 1:]


def front_matter(text: str) -> dict:
    """The page's front matter (empty when it has none or it cannot be read)."""
    meta_lines, _ = _split(text)
    if meta_lines is None:
        return {}
    try:
        meta = parse_yaml("\n".join(meta_lines))
    except yaml.YAMLError:
        return {}
    return meta if isinstance(meta, dict) else {}


def without_record(text: str) -> str:
    """The translation's text as the trainer edits it: without the `original_hash` line."""
    meta_lines, body = _split(text)
    if meta_lines is None:
        return text
    kept = [line for line in meta_lines if not line.startswith(f"{HASH_KEY}:")]
    return "\n".join(["---", *kept, "---", *body]) if kept else "\n".join(body).lstrip("\n")


def with_record(text: str, hash_of_original: str) -> str:
    """The translation's text with `original_hash` set (front matter added when it has none)."""
    text = without_record(text.replace("\r\n", "\n"))
    meta_lines, body = _split(text)
    record = f'{HASH_KEY}: "{hash_of_original}"'
    if meta_lines is None:
        return "\n".join(["---", record, "---", "", *body])
    return "\n".join(["---", *meta_lines, record, "---", *body])


def first_draft(original_text: str) -> str:
    """A new translation's starting text: the original, with only the front-matter keys a translation takes."""
    meta_lines, body = _split(original_text)
    if meta_lines is None:
        return original_text
    meta = front_matter(original_text)
    kept = {key: meta[key] for key in COPIED_KEYS if key in meta}
    head = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False, width=1000).strip() if kept else ""
    return "\n".join(["---", *([head] if head else []), "---", *body])


def state(folder: Path, original: str, language: str) -> str:
    """The state of the translation of `original` into `language` in the course folder `folder`."""
    path = folder / translation_name(original, language)
    if not path.is_file():
        return MISSING
    recorded = front_matter(path.read_text(encoding="utf-8")).get(HASH_KEY)
    if not isinstance(recorded, str):
        return UNKNOWN
    current = original_hash((folder / original).read_text(encoding="utf-8"))
    return CURRENT if recorded == current else OUTDATED


def source_language(folder: Path) -> str:
    language = front_matter((folder / "course.md").read_text(encoding="utf-8")).get("language", "en")
    return language if isinstance(language, str) and LANGUAGE.fullmatch(language) else "en"


def originals(folder: Path) -> list[str]:
    """The course's pages, lessons, quizzes and worksheets in the original language, in course order."""
    names = ["course.md"] if (folder / "course.md").is_file() else []
    for module in sorted(p for p in folder.iterdir() if p.is_dir() and MODULE_DIR.match(p.name)):
        names.extend(f"{module.name}/{p.name}" for p in sorted(module.iterdir(), key=lambda p: (p.name != "module.md", p.name))
                     if p.is_file() and is_original(f"{module.name}/{p.name}"))
    return names


def languages(folder: Path, site_languages: tuple[str, ...]) -> list[str]:
    """The languages a course is or may be translated into: the site's and any found in its files."""
    found = {language for p in folder.rglob("*.md") if (language := _language_of(p.name)[1])}
    source = source_language(folder)
    return [lang for lang in site_languages if lang != source] + sorted(found - set(site_languages) - {source})


def overview(folder: Path, site_languages: tuple[str, ...]) -> tuple[list[str], list[Row]]:
    """(languages, one row per original with its translations' states) for the course folder."""
    langs = languages(folder, site_languages)
    return langs, [Row(name, {lang: state(folder, name, lang) for lang in langs}) for name in originals(folder)]


def save(slug: str, original: str, language: str, text: str, base_hash: str, seen_hash: str) -> None:
    """Save the translation into the draft, recording the original the translator saw (`seen_hash`).

    :param base_hash: the hash of the translation file when the editor read it, empty when it did not exist
    :raises operations.EditConflict: the translation changed (or was created) since then
    """
    path = operations.draft_path(slug) / translation_name(original, language)
    with repository.locked_file(operations.drafts_dir() / ".lock"):
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if (operations.text_hash(current) if current is not None else "") != base_hash:
            raise operations.EditConflict(current or "")
        path.write_text(with_record(text, seen_hash), encoding="utf-8")
