"""Read a courses/ tree into immutable objects, reporting every problem with its file and line.

A course with an error is reported and skipped; the others load. Nothing here raises on bad
content: every mistake a trainer can make becomes a Problem.
"""
import hashlib
import os
import posixpath
import re
from pathlib import Path

import yaml

from . import cache
from .model import (
    Catalog, Course, LearningPath, Lesson, Module, Problem, Question, Quiz, QuizVersion, Text,
)
from .questions import QuizSyntaxError, RawAnswers, RawOption, question_fields
from .rendering import render_inline, render_markdown

#: libyaml's safe loader when PyYAML was built with it: the same results, several times faster
_FAST_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(text):
    """Parse YAML safely; on an error, parse again with the pure-Python loader for its clearer position."""
    try:
        return yaml.load(text, Loader=_FAST_YAML)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return yaml.safe_load(text)


SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
MODULE_DIR = re.compile(rf"^(\d+)-({SLUG})$")
ITEM_FILE = re.compile(rf"^(?:(\d+)-({SLUG})(\.quiz)?|(quiz))(?:\.([a-z]{{2,3}}))?\.md$")
PAGE_FILE = re.compile(r"^(course|module)(?:\.([a-z]{2,3}))?\.md$")
ASSET_TYPES = {
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".svg": "image/svg+xml", ".pdf": "application/pdf",
    ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".mp4": "video/mp4", ".webm": "video/webm",
}
AUDIENCES = ("operators", "entrepreneurs", "both")
LEVELS = ("beginner", "intermediate", "advanced")


def _text(value):
    return isinstance(value, str) and value.strip() != ""


def _int_at_least(low):
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= low


#: front-matter keys per kind of file: key -> (check, what a good value looks like)
COURSE_KEYS = {
    "title": (_text, "a text"),
    "summary": (_text, "a text"),
    "audience": (lambda v: v in AUDIENCES, " | ".join(AUDIENCES)),
    "level": (lambda v: v in LEVELS, " | ".join(LEVELS)),
    "minutes": (_int_at_least(1), "a whole number of minutes"),
    "language": (lambda v: isinstance(v, str) and re.fullmatch("[a-z]{2,3}", v), "a language code such as en"),
    "certificate": (lambda v: isinstance(v, bool), "true or false"),
    "authors": (lambda v: isinstance(v, list) and all(_text(a) for a in v), "a list of names"),
    "license": (_text, "a text"),
}
TRANSLATION_KEYS = {key: COURSE_KEYS[key] for key in ("title", "summary")}
MODULE_KEYS = {"title": (_text, "a text")}
LESSON_KEYS = {"title": (_text, "a text"), "minutes": (_int_at_least(1), "a whole number of minutes")}
QUIZ_KEYS = {
    "title": (_text, "a text"),
    "pass_mark": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 100,
                  "a percentage from 0 to 100"),
    "attempts": (_int_at_least(0), "a whole number, 0 for unlimited"),
    "shuffle": (lambda v: isinstance(v, bool), "true or false"),
    "minutes": (_int_at_least(1), "a whole number of minutes"),
}


class Reporter:
    """Collects problems for one tree, with paths relative to its root."""

    def __init__(self, base):
        self.base = Path(base).resolve()
        self.problems = []

    def rel(self, path):
        """The path as the trainer knows it: relative to `base` when inside it."""
        try:
            return str(Path(path).resolve().relative_to(self.base))
        except ValueError:
            return str(path)

    def error(self, path, line, message):
        self.problems.append(Problem(self.rel(path), line, "error", message))

    def warning(self, path, line, message):
        self.problems.append(Problem(self.rel(path), line, "warning", message))


def read_page(path, keys, report):
    """Split a file into (front matter, body, first body line); report bad YAML and keys."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.error(path, 1, f"cannot read the file as UTF-8 text ({exc.__class__.__name__})")
        return None, "", 1
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    meta, body, body_line = {}, text, 1
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in {"---", "..."}), None)
        if end is None:
            report.error(path, 1, "front matter starts with --- but never ends with ---")
            return None, "", 1
        source = "\n".join(lines[1:end])
        try:
            meta = _parse_yaml(source) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark else 1
            report.error(path, line, f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}")
            return None, "", 1
        if not isinstance(meta, dict):
            report.error(path, 2, "front matter must be `key: value` lines")
            return None, "", 1
        body = "\n".join(lines[end + 1:])
        body_line = end + 2
    ok = True
    for key, value in meta.items():
        line = _key_line(lines, key)
        if key not in keys:
            report.error(path, line, f"unknown front-matter key {key!r} (known: {', '.join(keys)})")
            ok = False
        elif not keys[key][0](value):
            report.error(path, line, f"bad value for {key!r}: expected {keys[key][1]}")
            ok = False
    return (meta if ok else None), body, body_line


def _key_line(lines, key):
    pattern = re.compile(rf"^{re.escape(str(key))}\s*:")
    return next((i + 1 for i, line in enumerate(lines) if pattern.match(line)), 1)


def _line_of(body, body_line, needle):
    for i, line in enumerate(body.split("\n")):
        if needle in line:
            return body_line + i
    return body_line


class LinkResolver:
    """Maps relative links in one file to served URLs; None for a target that does not exist."""

    def __init__(self, course_dir, course_slug, file_dir, url_prefix):
        self.course_dir = Path(course_dir)
        self.course_slug = course_slug
        self.file_dir = Path(file_dir)
        self.url_prefix = url_prefix.rstrip("/")

    def __call__(self, url):
        path, _, fragment = url.partition("#")
        path = path.split("?", 1)[0]
        relative_dir = self.file_dir.relative_to(self.course_dir).as_posix()
        target = posixpath.normpath(posixpath.join(relative_dir, path))
        if target.startswith("..") or target.startswith("/"):
            return None
        full = self.course_dir / target
        anchor = f"#{fragment}" if fragment else ""
        base = f"{self.url_prefix}/{self.course_slug}"
        if full.suffix == ".md":
            if not full.is_file():
                return None
            parts = Path(target).parts
            if len(parts) == 1 and PAGE_FILE.match(parts[0]):
                return base + anchor
            module = MODULE_DIR.match(parts[0]) if len(parts) == 2 else None
            item = ITEM_FILE.match(parts[-1]) if module else None
            if not item:
                return None
            slug = item.group(2) or item.group(4)
            return f"{base}/{module.group(2)}/{slug}{anchor}"
        if full.suffix.lower() in ASSET_TYPES and full.is_file():
            return f"{base}/assets/{target}{anchor}"
        return None


def render_page(path, body, body_line, resolver, report):
    """Render a page body once; report raw HTML and broken links."""
    rendered = render_markdown(body, resolver)
    if rendered.has_raw_html:
        line = next((body_line + i for i, text in enumerate(body.split("\n")) if re.search(r"<[a-zA-Z!/]", text)),
                    body_line)
        report.warning(path, line, "raw HTML is not allowed and will be removed; use Markdown")
    for url in rendered.broken_links:
        report.error(path, _line_of(body, body_line, url), f"broken link or image: {url}")
    return rendered.html


def _title_from_heading(body):
    """Without a front-matter title, the first `# Heading` is the title (and leaves the body)."""
    match = re.search(r"^# +(.+?)[ \t]*#*[ \t]*$", body, re.MULTILINE)
    if not match:
        return None, body
    return match.group(1), body[: match.start()] + body[match.end():]


# ---------------------------------------------------------------- quizzes

OPTION = re.compile(r"^[-*+]\s+(\(|\[)\s*([xX]?)\s*(\)|\])\s+(\S.*)$")
OPTION_LIKE = re.compile(r"^[-*+]\s*[\(\[][^\)\]]{0,3}[\)\]]")
FEEDBACK = re.compile(r"^\s{2,}>\s?(.*)$")
ANSWER = re.compile(r"^answer:\s*(.*)$", re.IGNORECASE)
HEADING = re.compile(r"^##\s+(.+?)\s*$")
HEADING_ID = re.compile(r"\s*\{#([^}]*)\}\s*$")


def parse_quiz(path, body, body_line, resolver, report):
    """Parse a quiz body into (intro html, questions); report each problem with its line."""
    intro, sections, current, fenced = [], [], None, False
    for offset, line in enumerate(body.split("\n")):
        number = body_line + offset
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match:
            current = {"heading": match.group(1), "line": number, "lines": []}
            sections.append(current)
        elif current is None:
            intro.append(line)
        else:
            current["lines"].append((number, line))
    questions, seen, failed = [], set(), False
    for position, section in enumerate(sections, start=1):
        id_match = HEADING_ID.search(section["heading"])
        question_id = id_match.group(1) if id_match else f"q{position}"
        if question_id in seen:
            report.error(path, section["line"], f"duplicate question id {question_id!r}")
            failed = True
            continue
        seen.add(question_id)
        question = _parse_question(path, section, position, resolver, report)
        if question is None:
            failed = True
            continue
        questions.append(question)
    if not sections:
        report.error(path, body_line, "the quiz has no questions: start each with a `## ` heading")
    intro_html = render_page(path, "\n".join(intro), body_line, resolver, report)
    return intro_html, tuple(questions), not failed


def _parse_question(path, section, position, resolver, report):
    heading = section["heading"]
    question_id = f"q{position}"
    id_match = HEADING_ID.search(heading)
    if id_match:
        heading = heading[: id_match.start()]
        question_id = id_match.group(1)
        if not re.fullmatch(SLUG, question_id):
            report.error(path, section["line"], f"bad question id {question_id!r}: use lowercase letters, digits and dashes")
            return None
    body, explanation, options = [], [], []
    answer_text, answer_line, state, failed = None, 0, "body", False
    for number, line in section["lines"]:
        option = OPTION.match(line)
        feedback = FEEDBACK.match(line)
        answer = ANSWER.match(line)
        if option and state in {"body", "answers"}:
            marker, mark, closing, text = option.groups()
            if (marker, closing) not in {("(", ")"), ("[", "]")}:
                report.error(path, number, f"malformed option {line.strip()!r}: brackets do not match")
                failed = True
                continue
            options.append({"marker": marker, "checked": bool(mark), "text": text, "feedback": [], "line": number})
            state = "answers"
        elif feedback and state == "answers" and options:
            options[-1]["feedback"].append(feedback.group(1))
        elif answer and state == "body" and answer_text is None and not options:
            answer_text, answer_line, state = answer.group(1), number, "answers"
        elif OPTION_LIKE.match(line.strip()) and state != "explanation":
            report.error(path, number, f"malformed option {line.strip()!r}: write `- (x) text`, `- ( ) text`, `- [x] text` or `- [ ] text`")
            failed = True
        elif state == "body":
            body.append(line)
        elif not line.strip() and state == "answers":
            continue
        else:
            if state == "answers" and (OPTION.match(line) or answer):
                report.error(path, number, "options and the 'Answer:' line must come together, before the explanation")
                failed = True
            state = "explanation"
            explanation.append(line)
    if failed:
        return None
    raw = RawAnswers(
        tuple(RawOption(o["marker"], o["checked"], o["text"], "\n".join(o["feedback"]).strip(), o["line"]) for o in options),
        answer_text, answer_line, section["line"],
    )
    try:
        kind, fields = question_fields(raw)
    except QuizSyntaxError as exc:
        report.error(path, exc.line, str(exc))
        return None
    body_line = section["lines"][0][0] if section["lines"] else section["line"]
    return Question(
        id=question_id,
        kind=kind,
        prompt_html=render_inline(heading),
        body_html=render_page(path, "\n".join(body), body_line, resolver, report),
        explanation_html=render_page(path, "\n".join(explanation), body_line, resolver, report),
        line=section["line"],
        **fields,
    )


def quiz_structure(questions):
    """What a translation must keep: ids, types, option counts and the answer key."""
    return [
        (q.id, q.kind, tuple(o.correct for o in q.options), q.answer) for q in questions
    ]


# ---------------------------------------------------------------- courses


def _group_files(directory, pattern, report):
    """Map (number, slug, is_quiz) -> {lang or None: path} for the files in `directory`."""
    groups = {}
    for entry in sorted(directory.iterdir()):
        if not entry.is_file() or entry.suffix != ".md" or PAGE_FILE.match(entry.name):
            continue
        match = pattern.match(entry.name)
        if not match:
            report.warning(entry, 1, "not a lesson or quiz: name it like 01-some-slug.md or 02-check.quiz.md")
            continue
        number, slug, quiz_suffix, bare_quiz, lang = match.groups()
        key = (int(number) if number else 10**6, slug or bare_quiz, bool(quiz_suffix or bare_quiz))
        groups.setdefault(key, {})[lang] = entry
    return groups


def _page_versions(directory, name, keys, translation_keys, language, report):
    """Read course.md/module.md and their translations: {lang: (meta, body, line, path)}."""
    versions = {}
    for entry in sorted(directory.glob(f"{name}*.md")):
        match = PAGE_FILE.match(entry.name)
        if not match or match.group(1) != name:
            continue
        lang = match.group(2)
        meta, body, line = read_page(entry, keys if lang is None else translation_keys, report)
        if meta is None:
            continue
        versions[lang] = (meta, body, line, entry)
    return versions


def load_course(course_dir, url_prefix="/courses", report=None, version=None):
    """Load one course folder: the Course, or None when it has an error (reported to `report`)."""
    course_dir = Path(course_dir)
    report = report or Reporter(course_dir.resolve().parent.parent)
    errors_before = sum(p.level == "error" for p in report.problems)
    slug = course_dir.name
    if not re.fullmatch(SLUG, slug):
        report.error(course_dir, 1, f"bad course folder name {slug!r}: use lowercase letters, digits and dashes")
        return None
    if not (course_dir / "course.md").is_file():
        report.error(course_dir / "course.md", 1, "missing course.md")
        return None
    pages = _page_versions(course_dir, "course", COURSE_KEYS, TRANSLATION_KEYS, None, report)
    if None not in pages:
        return None
    meta = pages[None][0]
    language = meta.get("language", "en")
    texts, summaries = {}, {}
    for lang, (page_meta, body, line, path) in pages.items():
        lang = lang or language
        if "title" not in page_meta:
            report.error(path, 1, "missing title")
            continue
        resolver = LinkResolver(course_dir, slug, course_dir, url_prefix)
        texts[lang] = Text(page_meta["title"], render_page(path, body, line, resolver, report), report.rel(path))
        summaries[lang] = page_meta.get("summary", meta.get("summary", ""))
    modules, module_slugs = [], set()
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
        module = _load_module(course_dir, slug, entry, module_slug, language, url_prefix, report)
        if module is not None:
            modules.append(module)
    if not modules:
        report.error(course_dir / "course.md", 1, "the course has no modules (folders like 01-some-slug/ with lessons)")
    if sum(p.level == "error" for p in report.problems) > errors_before or language not in texts:
        return None
    items = {item.key: item for module in modules for item in module.items}
    return Course(
        slug=slug, path=str(course_dir), language=language, texts=texts, summaries=summaries,
        audience=meta.get("audience", "both"), level=meta.get("level", "beginner"),
        minutes=meta.get("minutes") or sum(item.minutes for item in items.values()),
        certificate=meta.get("certificate", False), modules=tuple(modules),
        version=version or content_hash(course_dir), authors=tuple(meta.get("authors", ())),
        license=meta.get("license", ""), items_by_key=items,
    )


def _load_module(course_dir, course_slug, module_dir, module_slug, language, url_prefix, report):
    resolver = LinkResolver(course_dir, course_slug, module_dir, url_prefix)
    texts = {}
    for lang, (meta, body, line, path) in _page_versions(module_dir, "module", MODULE_KEYS, MODULE_KEYS, None, report).items():
        title = meta.get("title")
        if not title:
            report.error(path, 1, "missing title")
            continue
        texts[lang or language] = Text(title, render_page(path, body, line, resolver, report), report.rel(path))
    if language not in texts:
        texts[language] = Text(module_slug.replace("-", " ").capitalize(), "")
    items, slugs = [], set()
    for (_number, slug, is_quiz), versions in sorted(_group_files(module_dir, ITEM_FILE, report).items()):
        if None not in versions:
            for path in versions.values():
                report.warning(path, 1, "translation without an original file beside it")
            continue
        if slug in slugs:
            report.error(versions[None], 1, f"duplicate slug {slug!r} in this module")
            continue
        slugs.add(slug)
        loader = _load_quiz if is_quiz else _load_lesson
        item = loader(versions, module_slug, slug, language, resolver, report)
        if item is not None:
            items.append(item)
    if not items:
        report.error(module_dir, 1, "the module has no lessons")
    return Module(module_slug, texts, tuple(items))


def _structure_of_lesson(body):
    return (len(re.findall(r"^#{2,6} ", body, re.MULTILINE)), len(re.findall(r"!\[", body)))


def _load_lesson(versions, module_slug, slug, language, resolver, report):
    texts, minutes, original_shape = {}, 5, None
    for lang in [None] + sorted(k for k in versions if k):
        path = versions[lang]
        meta, body, line = read_page(path, LESSON_KEYS, report)
        if meta is None:
            continue
        title = meta.get("title")
        if not title:
            title, body = _title_from_heading(body)
        if not title:
            report.error(path, 1, "missing title: add `title:` to the front matter or a `# Heading`")
            continue
        if not body.strip():
            report.error(path, line, "empty lesson")
            continue
        shape = _structure_of_lesson(body)
        if lang is None:
            minutes, original_shape = meta.get("minutes", minutes), shape
        elif original_shape is not None and shape != original_shape:
            report.error(path, 1, f"translation differs from the original: {shape[0]} headings and {shape[1]} images, "
                                  f"the original has {original_shape[0]} and {original_shape[1]}")
            continue
        texts[lang or language] = Text(title, render_page(path, body, line, resolver, report), report.rel(path))
    if language not in texts:
        return None
    return Lesson(slug=slug, module_slug=module_slug, minutes=minutes, texts=texts)


def _load_quiz(versions, module_slug, slug, language, resolver, report):
    quiz_versions, settings, structure = {}, None, None
    for lang in [None] + sorted(k for k in versions if k):
        path = versions[lang]
        meta, body, line = read_page(path, QUIZ_KEYS, report)
        if meta is None:
            continue
        if not meta.get("title"):
            report.error(path, 1, "missing title")
            continue
        intro_html, questions, complete = parse_quiz(path, body, line, resolver, report)
        if not complete or not questions:
            continue
        if lang is None:
            settings, structure = meta, quiz_structure(questions)
        elif structure is not None:
            if set(meta) - {"title"}:
                report.warning(path, 1, "a translated quiz takes pass_mark, attempts and shuffle from the original")
            difference = _structure_difference(structure, quiz_structure(questions))
            if difference:
                report.error(path, 1, f"translation differs from the original: {difference}")
                continue
        quiz_versions[lang or language] = QuizVersion(meta["title"], intro_html, questions, report.rel(path))
    if settings is None:
        return None
    return Quiz(
        slug=slug, module_slug=module_slug, pass_mark=settings.get("pass_mark", 70) / 100,
        attempts=settings.get("attempts", 0), shuffle=settings.get("shuffle", False),
        versions=quiz_versions, minutes=settings.get("minutes", max(2, len(structure))),
    )


def _structure_difference(original, translated):
    if len(original) != len(translated):
        return f"{len(translated)} questions, the original has {len(original)}"
    for position, (a, b) in enumerate(zip(original, translated, strict=True), start=1):
        if a[0] != b[0]:
            return f"question {position} has id {b[0]!r}, the original {a[0]!r}"
        if a[1:] != b[1:]:
            return f"question {a[0]!r} has other options or another answer than the original"
    return ""


def content_hash(course_dir):
    """A short hash of every file in the course: its version."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(course_dir).rglob("*") if p.is_file()):
        digest.update(path.relative_to(course_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# ---------------------------------------------------------------- paths and the catalogue

PATH_KEYS = {"slug", "title", "summary", "audience", "courses"}


def _localised(value):
    """A path title is either one text or a {lang: text} mapping."""
    if isinstance(value, str) and value.strip():
        return {"en": value}
    if isinstance(value, dict) and value and all(isinstance(k, str) and _text(v) for k, v in value.items()):
        return dict(value)
    return None


def load_paths(root, courses, report):
    path = Path(root) / "paths.yml"
    if not path.is_file():
        return ()
    try:
        data = _parse_yaml(path.read_text(encoding="utf-8")) or []
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        report.error(path, mark.line + 1 if mark else 1, f"not valid YAML: {exc.__class__.__name__}")
        return ()
    if not isinstance(data, list):
        report.error(path, 1, "paths.yml must be a list of paths")
        return ()
    lines = path.read_text(encoding="utf-8").split("\n")
    paths, slugs = [], set()
    for entry in data:
        slug = entry.get("slug") if isinstance(entry, dict) else None
        line = next((i + 1 for i, text in enumerate(lines)
                     if slug and re.search(rf"slug:\s*{re.escape(str(slug))}\s*$", text)), 1)
        if not isinstance(entry, dict) or not isinstance(slug, str) or not re.fullmatch(SLUG, slug):
            report.error(path, line, "each path needs a slug (lowercase letters, digits, dashes)")
            continue
        unknown = set(entry) - PATH_KEYS
        if unknown:
            report.error(path, line, f"unknown key(s) {', '.join(sorted(unknown))} in path {slug!r}")
        titles = _localised(entry.get("title"))
        if titles is None:
            report.error(path, line, f"path {slug!r} needs a title")
            continue
        if slug in slugs:
            report.error(path, line, f"duplicate path slug {slug!r}")
            continue
        slugs.add(slug)
        course_slugs = entry.get("courses") or []
        if not isinstance(course_slugs, list) or not course_slugs:
            report.error(path, line, f"path {slug!r} needs a list of courses")
            continue
        missing = [c for c in course_slugs if c not in courses]
        for course in missing:
            report.error(path, line, f"path {slug!r} names a course that is not loaded: {course!r}")
        audience = entry.get("audience", "both")
        if audience not in AUDIENCES:
            report.error(path, line, f"bad audience {audience!r}: {' | '.join(AUDIENCES)}")
        paths.append(LearningPath(
            slug, titles, _localised(entry.get("summary")) or {}, audience,
            tuple(c for c in course_slugs if c in courses),
        ))
    return tuple(paths)


def _load_course_cached(folder, url_prefix, base, cache_dir):
    """(course or None, its problems), from the cache when the course's files are unchanged."""
    report = Reporter(base)
    if cache_dir is None:
        return load_course(folder, url_prefix, report), report.problems
    version = content_hash(folder)
    key = cache.cache_key(version, url_prefix, report.base)
    hit = cache.read(cache_dir, folder.name, key)
    if hit is not None:
        return hit
    course = load_course(folder, url_prefix, report, version=version)
    cache.write(cache_dir, folder.name, key, (course, report.problems))
    return course, report.problems


def tree_signature(root):
    """(path, mtime, size) of every file: cheap to compute, changes when any file changes."""
    found = []
    for directory, _, files in os.walk(root):
        for name in files:
            full = os.path.join(directory, name)
            try:
                stat = os.stat(full)
            except OSError:
                continue
            found.append((full, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(found))


def load_catalog(root, url_prefix="/courses", only=None, relative_to=None, cache_dir=None):
    """Load every course under `root` (or only the folder `only`), and paths.yml.

    :param relative_to: the folder problem paths are shown relative to (default: root's parent)
    :param cache_dir: where to keep rendered courses between loads (None: render everything)
    """
    root = Path(root)
    report = Reporter(relative_to or root.resolve().parent)
    courses = {}
    if not root.is_dir():
        report.error(root, 1, "the courses folder does not exist")
        return Catalog({}, (), tuple(report.problems), str(root))
    folders = [Path(only)] if only else sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for folder in folders:
        course, problems = _load_course_cached(folder, url_prefix, report.base, cache_dir)
        report.problems.extend(problems)
        if course is not None:
            courses[course.slug] = course
    paths = load_paths(root, courses, report) if only is None else ()
    return Catalog(courses, paths, tuple(report.problems), str(root), tree_signature(root))
