"""Course structure: a course folder, its module folders, their lessons and quizzes, in every language."""
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..model import (Course, Item, Lesson, Module, Question, Quiz, QuizVersion, Text, Worksheet, WorksheetField,
                     WorksheetVersion)
from .frontmatter import COURSE_KEYS, LESSON_KEYS, MODULE_KEYS, QUIZ_KEYS, TRANSLATION_KEYS, KeyRule, read_page
from .names import ITEM_FILE, MODULE_DIR, PAGE_FILE, is_slug
from .pages import LinkResolver, render_page, title_from_heading
from .quiz import parse_quiz
from .reporter import Reporter
from .translations import lesson_difference, lesson_shape, quiz_difference, quiz_structure
from .worksheet import parse_worksheet, worksheet_difference, worksheet_structure

#: a page's versions by language (None: the original): (front matter, body, first body line, file)
PageVersions = dict[str | None, tuple[dict[str, Any], str, int, Path]]
#: an item's files by language (None: the original)
ItemFiles = dict[str | None, Path]

#: a part of a versioned item (a question, a field) and one language version of it
P = TypeVar("P")
V = TypeVar("V")

#: a lesson longer than this many words gets a warning: long pages are hard going on a phone (about 7 minutes)
DEFAULT_WORD_BUDGET = 1500


@dataclass(frozen=True)
class Settings:
    """How a tree is loaded: where courses are served, and the checker's word budget for a lesson."""

    url_prefix: str = "/courses"
    word_budget: int = DEFAULT_WORD_BUDGET


def content_hash(course_dir: Path) -> str:
    """A short hash of every file in the course: its version."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(course_dir).rglob("*") if p.is_file()):
        digest.update(path.relative_to(course_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_course(course_dir: Path, url_prefix: str = "/courses", report: Reporter | None = None,
                version: str | None = None, word_budget: int = DEFAULT_WORD_BUDGET) -> Course | None:
    """Load one course folder: the Course, or None when it has an error (reported to `report`).

    After an error it reads on wherever it can, so that one run reports every problem.
    """
    settings = Settings(url_prefix, word_budget)
    course_dir = Path(course_dir)
    report = report or Reporter(course_dir.resolve().parent.parent)
    errors_before = report.error_count()
    slug = course_dir.name
    if not is_slug(slug):
        report.error(course_dir, 1, f"bad course folder name {slug!r}: use lowercase letters, digits and dashes")
        return None
    if not (course_dir / "course.md").is_file():
        report.error(course_dir / "course.md", 1, "missing course.md")
        return None
    pages = _page_versions(course_dir, "course", COURSE_KEYS, TRANSLATION_KEYS, report)
    meta = pages[None][0] if None in pages else {}  # unreadable course.md (reported): check the rest all the same
    language = meta.get("language", "en")
    texts, summaries = _course_texts(course_dir, slug, pages, language, settings, report)
    modules = _load_modules(course_dir, slug, language, settings, report)
    if report.error_count() > errors_before or language not in texts:
        return None
    items = {item.key: item for module in modules for item in module.items}
    return Course(
        slug=slug, path=str(course_dir), language=language, texts=texts, summaries=summaries,
        audience=meta.get("audience", "both"), level=meta.get("level", "beginner"),
        minutes=meta.get("minutes") or sum(item.minutes for item in items.values()),
        certificate=meta.get("certificate", False), modules=tuple(modules),
        version=version or content_hash(course_dir), authors=tuple(meta.get("authors", ())),
        license=meta.get("license", ""), items_by_key=items, competences=tuple(meta.get("competences", ())),
    )


def _page_versions(directory: Path, name: str, keys: dict[str, KeyRule], translation_keys: dict[str, KeyRule],
                   report: Reporter) -> PageVersions:
    """Read course.md/module.md and their translations: {lang: (meta, body, line, path)}."""
    versions: PageVersions = {}
    for entry in sorted(directory.glob(f"{name}*.md")):
        match = PAGE_FILE.match(entry.name)
        if not match or match.group(1) != name:
            continue
        lang = match.group(2)
        meta, body, line = read_page(entry, keys if lang is None else translation_keys, report)
        if meta is not None:
            versions[lang] = (meta, body, line, entry)
    return versions


def _course_texts(course_dir: Path, slug: str, pages: PageVersions, language: str, settings: Settings,
                  report: Reporter) -> tuple[dict[str, Text], dict[str, str]]:
    """The course page's title and intro, and its summary, per language."""
    original = pages[None][0] if None in pages else {}
    texts: dict[str, Text] = {}
    summaries: dict[str, str] = {}
    resolver = LinkResolver(course_dir, slug, course_dir, settings.url_prefix)
    for page_lang, (page_meta, body, line, path) in pages.items():
        lang = page_lang or language
        if "title" not in page_meta:
            report.error(path, 1, "missing title")
            continue
        texts[lang] = Text(page_meta["title"], render_page(path, body, line, resolver, report), report.rel(path))
        summaries[lang] = page_meta["summary"] if "summary" in page_meta else original.get("summary", "")
    return texts, summaries


def _load_modules(course_dir: Path, slug: str, language: str, settings: Settings, report: Reporter) -> list[Module]:
    """Every module folder of the course, in order; a course needs at least one."""
    modules: list[Module] = []
    module_slugs: set[str] = set()
    for entry in sorted(course_dir.iterdir()):
        if not entry.is_dir():
            continue
        match = MODULE_DIR.match(entry.name)
        if not match:
            if any(entry.glob("*.md")):
                report.warning(entry, 1, "folder with Markdown files is not a module: name it like 01-some-slug")
            continue
        module_slug = match.group(2)
        if module_slug in module_slugs:
            report.error(entry, 1, f"duplicate module slug {module_slug!r}")
            continue
        module_slugs.add(module_slug)
        module = _load_module(course_dir, slug, entry, module_slug, language, settings, report)
        modules.append(module)
    if not modules:
        report.error(course_dir / "course.md", 1, "the course has no modules (folders like 01-some-slug/ with lessons)")
    return modules


def _load_module(course_dir: Path, course_slug: str, module_dir: Path, module_slug: str, language: str,
                 settings: Settings, report: Reporter) -> Module:
    resolver = LinkResolver(course_dir, course_slug, module_dir, settings.url_prefix)
    texts: dict[str, Text] = {}
    competences: tuple[str, ...] = ()
    for lang, (meta, body, line, path) in _page_versions(module_dir, "module", MODULE_KEYS, MODULE_KEYS,
                                                         report).items():
        if lang is None:
            competences = tuple(meta.get("competences", ()))
        title = meta.get("title")
        if not title:
            report.error(path, 1, "missing title")
            continue
        texts[lang or language] = Text(title, render_page(path, body, line, resolver, report), report.rel(path))
    if language not in texts:
        texts[language] = Text(module_slug.replace("-", " ").capitalize(), "")
    items: list[Item] = []
    slugs: set[str] = set()
    for (_number, slug, kind), versions in sorted(_group_files(module_dir, report).items()):
        if None not in versions:
            for path in versions.values():
                report.warning(path, 1, "translation without an original file beside it")
            continue
        if slug in slugs:
            report.error(versions[None], 1, f"duplicate slug {slug!r} in this module")
            continue
        slugs.add(slug)
        item: Item | None
        if kind == "quiz":
            item = _load_quiz(versions, module_slug, slug, language, resolver, report)
        elif kind == "worksheet":
            item = _load_worksheet(versions, module_slug, slug, language, resolver, report)
        else:
            item = _load_lesson(versions, module_slug, slug, language, resolver, report, settings.word_budget)
        if item is not None:
            items.append(item)
    if not items:
        report.error(module_dir, 1, "the module has no lessons")
    return Module(module_slug, texts, tuple(items), competences)


def _group_files(directory: Path, report: Reporter) -> dict[tuple[int, str, str], ItemFiles]:
    """Map (number, slug, kind) -> {lang or None: path} for the lesson, quiz and worksheet files in `directory`."""
    groups: dict[tuple[int, str, str], ItemFiles] = {}
    for entry in sorted(directory.iterdir()):
        if not entry.is_file() or entry.suffix != ".md" or PAGE_FILE.match(entry.name):
            continue
        match = ITEM_FILE.match(entry.name)
        if not match:
            report.warning(entry, 1, "not a lesson, quiz or worksheet: name it like 01-some-slug.md, "
                                     "02-check.quiz.md or 03-my-plan.worksheet.md")
            continue
        number, slug, suffix, bare_quiz, lang = match.groups()
        kind = "quiz" if bare_quiz else (suffix or ".lesson")[1:]
        key = (int(number) if number else 10**6, slug or bare_quiz, kind)
        groups.setdefault(key, {})[lang] = entry
    return groups


def _languages(versions: ItemFiles) -> list[str | None]:
    """The original first, then the translations in order."""
    return [None, *sorted(lang for lang in versions if lang)]


def _load_lesson(versions: ItemFiles, module_slug: str, slug: str, language: str, resolver: LinkResolver,
                 report: Reporter, word_budget: int) -> Lesson | None:
    texts: dict[str, Text] = {}
    minutes = 5
    original_shape: tuple[int, int] | None = None
    for lang in _languages(versions):
        path = versions[lang]
        meta, body, line = read_page(path, LESSON_KEYS, report)
        if meta is None:
            continue
        title = meta.get("title")
        if not title:
            title, body = title_from_heading(body)
        if not title:
            report.error(path, 1, "missing title: add `title:` to the front matter or a `# Heading`")
            continue
        if not body.strip():
            report.error(path, line, "empty lesson")
            continue
        shape = lesson_shape(body)
        if lang is None:
            minutes, original_shape = meta.get("minutes", minutes), shape
        elif original_shape is not None and lesson_difference(original_shape, shape):
            report.error(path, 1, f"translation differs from the original: {lesson_difference(original_shape, shape)}")
            continue
        html = render_page(path, body, line, resolver, report, word_budget)
        texts[lang or language] = Text(title, html, report.rel(path))
    if language not in texts:
        return None
    return Lesson(slug=slug, module_slug=module_slug, minutes=minutes, texts=texts)


@dataclass(frozen=True)
class VersionedSyntax(Generic[P, V]):
    """How a kind of item with language versions (quiz, worksheet) is read, checked and built."""

    keys: dict[str, KeyRule]
    parse: Callable[[Path, str, int, LinkResolver | None, Reporter], tuple[str, tuple[P, ...], bool]]
    structure: Callable[[tuple[P, ...]], list[Any]]
    difference: Callable[[list[Any], list[Any]], str]
    version: Callable[[str, str, tuple[P, ...], str], V]
    #: warned when a translation's front matter sets more than its title
    translated_settings_warning: str = ""


QUIZ_SYNTAX = VersionedSyntax[Question, QuizVersion](
    QUIZ_KEYS, parse_quiz, quiz_structure, quiz_difference, QuizVersion,
    "a translated quiz takes pass_mark, attempts and shuffle from the original")
WORKSHEET_SYNTAX = VersionedSyntax[WorksheetField, WorksheetVersion](
    LESSON_KEYS, parse_worksheet, worksheet_structure, worksheet_difference, WorksheetVersion)


def _load_versioned(versions: ItemFiles, language: str, syntax: VersionedSyntax[P, V], resolver: LinkResolver,
                    report: Reporter) -> tuple[dict[str, Any], int, dict[str, V]] | None:
    """An item's versions by language, its original's front matter and number of parts; None without an original."""
    loaded: dict[str, V] = {}
    original: dict[str, Any] | None = None
    structure: list[Any] = []
    for lang in _languages(versions):
        path = versions[lang]
        meta, body, line = read_page(path, syntax.keys, report)
        if meta is None:
            continue
        if not meta.get("title"):
            report.error(path, 1, "missing title")
            continue
        intro_html, parts, complete = syntax.parse(path, body, line, resolver, report)
        if not complete or not parts:
            continue
        if lang is None:
            original, structure = meta, syntax.structure(parts)
        elif original is not None:
            if syntax.translated_settings_warning and set(meta) - {"title", "original_hash"}:
                report.warning(path, 1, syntax.translated_settings_warning)
            difference = syntax.difference(structure, syntax.structure(parts))
            if difference:
                report.error(path, 1, f"translation differs from the original: {difference}")
                continue
        loaded[lang or language] = syntax.version(meta["title"], intro_html, parts, report.rel(path))
    return None if original is None else (original, len(structure), loaded)


def _load_quiz(versions: ItemFiles, module_slug: str, slug: str, language: str, resolver: LinkResolver,
               report: Reporter) -> Quiz | None:
    loaded = _load_versioned(versions, language, QUIZ_SYNTAX, resolver, report)
    if loaded is None:
        return None
    settings, questions, quiz_versions = loaded
    return Quiz(
        slug=slug, module_slug=module_slug, pass_mark=settings.get("pass_mark", 70) / 100,
        attempts=settings.get("attempts", 0), shuffle=settings.get("shuffle", False),
        versions=quiz_versions, minutes=settings.get("minutes", max(2, questions)),
    )


def _load_worksheet(versions: ItemFiles, module_slug: str, slug: str, language: str, resolver: LinkResolver,
                    report: Reporter) -> Worksheet | None:
    loaded = _load_versioned(versions, language, WORKSHEET_SYNTAX, resolver, report)
    if loaded is None:
        return None
    meta, _fields, worksheet_versions = loaded
    return Worksheet(slug=slug, module_slug=module_slug, minutes=meta.get("minutes", 15), versions=worksheet_versions)
