"""What a course takes to keep on a phone: every page and file URL in one language, with sizes and a version."""
import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, request, url_for
from flask_babel import format_decimal

from ..content.model import Course, LearningPath, pick

#: bytes of the layout around a page's own text (header, navigation, footer, forms), measured on the starter courses
PAGE_FRAME_BYTES = 4400
#: bump when the shape of the offline manifest changes, so every device sees an update
FORMAT = "1"


#: the header the "keep on my phone" download sends, so fetching every page is not taken for reading it
DOWNLOAD_HEADER = "Soglia-Download"


def is_download() -> bool:
    return request.headers.get(DOWNLOAD_HEADER) == "1"


@dataclass(frozen=True)
class Entry:
    """One URL to keep: its size in bytes and a hash that changes when its content does."""

    url: str
    bytes: int
    hash: str


@dataclass(frozen=True)
class Page:
    """A lesson or quiz in course order, for the offline list and for moving on after "Mark as done"."""

    key: str
    url: str
    title: str
    kind: str


@dataclass(frozen=True)
class CourseManifest:
    course_slug: str
    language: str
    title: str
    version: str
    entries: tuple[Entry, ...]
    pages: tuple[Page, ...]

    @property
    def total_bytes(self) -> int:
        return sum(entry.bytes for entry in self.entries)

    def as_json(self) -> dict:
        return {
            "course": self.course_slug, "language": self.language, "title": self.title, "version": self.version,
            "total_bytes": self.total_bytes,
            "entries": [{"url": e.url, "bytes": e.bytes, "hash": e.hash} for e in self.entries],
            "pages": [{"key": p.key, "url": p.url, "title": p.title, "kind": p.kind} for p in self.pages],
        }


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def _texts_of(item, language: str, course: Course) -> list[str]:
    """The HTML a page of this item shows in `language`: title, body, and for quizzes every question."""
    if item.kind == "quiz":
        version, _ = pick(item.versions, language, course.language)
        parts = [version.title, version.intro_html]
        for question in version.questions:
            parts += [question.prompt_html, question.body_html] + [option.html for option in question.options]
        return parts
    text, _ = pick(item.texts, language, course.language)
    return [text.title, text.html]


def _asset_paths(course: Course, fragments: list[str]) -> list[str]:
    """The course-folder paths of files the HTML links to (images, audio, video, documents)."""
    prefix = url_for("learn.asset", course_slug=course.slug, path="")
    pattern = re.compile(r'(?:src|href|poster)="' + re.escape(prefix) + r'([^"#?]+)')
    found = []
    for fragment in fragments:
        for match in pattern.finditer(fragment):
            path = html.unescape(match.group(1))
            if path not in found:
                found.append(path)
    return found


def _file_entry(course: Course, path: str) -> Entry | None:
    full = (Path(course.path) / path).resolve()
    if not full.is_relative_to(Path(course.path).resolve()) or not full.is_file():
        return None
    data = full.read_bytes()
    return Entry(url_for("learn.asset", course_slug=course.slug, path=path), len(data),
                 hashlib.sha256(data).hexdigest()[:16])


def _page_entry(url: str, texts: list[str], course: Course, language: str) -> Entry:
    size = PAGE_FRAME_BYTES + sum(len(text.encode()) for text in texts)
    return Entry(url, size, _digest(course.version, language, url))


def _build(course: Course, language: str) -> CourseManifest:
    course_text, _ = pick(course.texts, language, course.language)
    course_texts = [course_text.title, course_text.html]
    for module in course.modules:
        module_text, _ = pick(module.texts, language, course.language)
        course_texts += [module_text.title, module_text.html]
    entries = [_page_entry(url_for("learn.course", course_slug=course.slug), course_texts, course, language)]
    pages, all_texts = [], list(course_texts)
    for item in course.items:
        url = url_for("learn.item", course_slug=course.slug, module_slug=item.module_slug, item_slug=item.slug)
        texts = _texts_of(item, language, course)
        all_texts += texts
        entries.append(_page_entry(url, texts, course, language))
        pages.append(Page(item.key, url, texts[0], item.kind))
    for path in _asset_paths(course, all_texts):
        entry = _file_entry(course, path)
        if entry is not None:
            entries.append(entry)
    version = _digest(FORMAT, course.version, language, *(entry.hash for entry in entries))
    return CourseManifest(course.slug, language, course_text.title, version, tuple(entries), tuple(pages))


def course_manifest(course: Course, language: str) -> CourseManifest:
    """The course's offline manifest in `language` (the course's own if it has no such translation), memoised."""
    language = language if language in course.texts else course.language
    catalog = current_app.extensions["soglia.catalog"]
    memo_catalog, memo = current_app.extensions.get("soglia.offline_manifests", (None, {}))
    if memo_catalog is not catalog:  # the courses were reloaded: start afresh
        memo = {}
        current_app.extensions["soglia.offline_manifests"] = (catalog, memo)
    key = (course.slug, course.version, language)
    if key not in memo:
        memo[key] = _build(course, language)
    return memo[key]


def path_bytes(path: LearningPath, courses: dict, language: str) -> int:
    """The download size of every course of a learning path in `language`."""
    return sum(course_manifest(courses[slug], language).total_bytes for slug in path.course_slugs if slug in courses)


def human_size(size: int) -> str:
    """`850 KB`, `1.2 MB`: how a download size is shown (decimal units, as phones show data use)."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{format_decimal(size / 1_000_000, format='0.0')} MB"
