"""The structure of a course's draft: new courses from the starter template, and modules, lessons and quizzes
added, renamed, reordered and deleted.

Folders and files keep the checker's names (`01-basics/02-saving.quiz.it.md`): after every change the number
prefixes are renumbered from 01, the translations of an item move with it, and links between the course's
Markdown files are rewritten to the new names. Learner records refer to `<module slug>/<item slug>`, so a
slug changes only when the trainer renames it.
"""
import json
import os
import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import func, select

from ..content.loader.names import ITEM_FILE, MODULE_DIR, is_slug
from ..extensions import db
from ..models import Enrolment, LessonProgress, QuizAttempt
from . import operations, repository

STARTER = Path(__file__).parent / "starter"
MAX_SLUG = 60
KINDS = ("lesson", "quiz")
NEW_ITEM = {
    "lesson": "---\ntitle: {title}\nminutes: 5\n---\n\nWrite the lesson here.\n",
    "quiz": "---\ntitle: {title}\npass_mark: 60\n---\n\n## Write a question here {{#first-question}}\n\n"
            "- (x) The right answer\n- ( ) A wrong answer\n",
}
FRONT_TITLE = re.compile(r"^title:.*$", re.M)
INLINE_LINK = re.compile(r"(\]\()([^)\s]+)")
REFERENCE_LINK = re.compile(r"^( {0,3}\[[^\]]+\]:[ \t]*)(\S+)", re.M)


class StructureError(ValueError):
    """The change is not possible (a taken slug, a bad name): nothing was changed."""


@dataclass(frozen=True)
class Entry:
    """A lesson, quiz or worksheet of the draft, with its files by language (None: the original)."""

    slug: str
    kind: str
    title: str
    files: dict[str | None, str]  # relative to the course folder

    @property
    def original(self) -> str:
        return self.files[None] if None in self.files else next(iter(self.files.values()))


@dataclass(frozen=True)
class Section:
    """A module folder of the draft and its items in order."""

    folder: str
    slug: str
    title: str
    items: list[Entry]


def slug_from(title: str) -> str:
    """A slug suggested by a title (empty when the title has no Latin letters or digits)."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:MAX_SLUG].strip("-")


def valid_slug(value: str) -> bool:
    return is_slug(value) and len(value) <= MAX_SLUG


def _read_title(path: Path) -> str:
    """The `title:` of a file's front matter ("" when it has none or cannot be read)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    end = text.find("\n---", 3) if text.startswith("---\n") else -1
    try:
        meta = yaml.safe_load(text[4:end]) if end != -1 else None
    except yaml.YAMLError:
        return ""
    return str(meta.get("title") or "") if isinstance(meta, dict) else ""


def yaml_title(title: str) -> str:
    """`title` as a YAML scalar: plain when that reads back as the same text, else double-quoted."""
    try:
        plain = yaml.safe_load(f"title: {title}") == {"title": title} and "\n" not in title
    except yaml.YAMLError:
        plain = False
    return title if plain else json.dumps(title, ensure_ascii=False)


def _write_title(path: Path, title: str) -> None:
    """Set the `title:` of a file's front matter (adding front matter when the file has none)."""
    line = f"title: {yaml_title(title)}"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if text.startswith("---\n"):
        end = text.find("\n---", 3)
        front = text[:end] if end != -1 else text
        rest = text[len(front):]
        front = FRONT_TITLE.sub(lambda _match: line, front, count=1) if FRONT_TITLE.search(front) \
            else front.replace("---\n", f"---\n{line}\n", 1)
        text = front + rest
    else:
        text = f"---\n{line}\n---\n\n{text}"
    path.write_text(text, encoding="utf-8")


def _groups(folder: Path) -> list[tuple[int, str, str, dict[str | None, str]]]:
    """The item files of a module folder as (number, slug, kind, {lang: file name}), in course order."""
    found: dict[tuple[int, str, str], dict[str | None, str]] = {}
    for entry in sorted(folder.iterdir()):
        match = ITEM_FILE.match(entry.name) if entry.is_file() else None
        if match:
            number, slug, suffix, bare_quiz, lang = match.groups()
            kind = "quiz" if bare_quiz else (suffix or ".lesson")[1:]
            found.setdefault((int(number) if number else 10**6, slug or "quiz", kind), {})[lang] = entry.name
    return [(number, slug, kind, files) for (number, slug, kind), files in sorted(found.items())]


def _modules(root: Path) -> list[tuple[int, str, str]]:
    """(number, slug, folder name) of the module folders, in order."""
    return sorted((int(m.group(1)), m.group(2), p.name) for p in root.iterdir()
                  if p.is_dir() and (m := MODULE_DIR.match(p.name)))


def outline(course: str) -> list[Section]:
    """The modules of the draft with their lessons and quizzes."""
    root = operations.draft_path(course)
    sections = []
    for _number, slug, name in _modules(root):
        items = [Entry(item, kind, _read_title(root / name / files.get(None, next(iter(files.values())))),
                       {lang: f"{name}/{file}" for lang, file in files.items()})
                 for _n, item, kind, files in _groups(root / name)]
        sections.append(Section(name, slug, _read_title(root / name / "module.md"), items))
    return sections


def find_module(course: str, module_slug: str) -> str | None:
    """The folder name of the module `module_slug` in the draft."""
    return next((name for _n, slug, name in _modules(operations.draft_path(course)) if slug == module_slug), None)


def find_item(course: str, module_slug: str, item_slug: str) -> Entry | None:
    section = next((s for s in outline(course) if s.slug == module_slug), None)
    return next((item for item in section.items if item.slug == item_slug), None) if section else None


def _item_name(number: int, slug: str, kind: str, lang: str | None) -> str:
    return f"{number:02d}-{slug}{'' if kind == 'lesson' else '.' + kind}{'.' + lang if lang else ''}.md"


def _all_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _rename(root: Path, moves: dict[str, str]) -> None:
    """Rename sibling paths in two steps, so that swapped names never overwrite each other."""
    moves = {old: new for old, new in moves.items() if old != new}
    for number, old in enumerate(moves):
        (root / old).rename(root / f"{old}.soglia-move-{number}")
    for number, (old, new) in enumerate(moves.items()):
        (root / f"{old}.soglia-move-{number}").rename(root / new)


def _identities(root: Path) -> dict[tuple[str | None, ...], str]:
    """Every file of the course by what it is, whatever its number: (module, item, kind, language) for items."""
    found: dict[tuple[str | None, ...], str] = {}
    for path in _all_files(root):
        top, _slash, rest = path.partition("/")
        module = MODULE_DIR.match(top) if rest else None
        item = ITEM_FILE.match(rest) if module and "/" not in rest else None
        if module is None:
            found[("", path)] = path
        elif item is None:
            found[(module.group(2), rest)] = path
        else:
            _number, slug, suffix, bare_quiz, lang = item.groups()
            found[(module.group(2), slug or "quiz", "quiz" if bare_quiz else suffix or "", lang)] = path
    return found


def _retarget(match: re.Match[str], moved: dict[str, str], old_dir: str, new_dir: str) -> str:
    address, hash_mark, anchor = match.group(2).partition("#")
    if not address or ":" in address or address.startswith("/"):
        return match.group(0)
    linked = posixpath.normpath(posixpath.join(old_dir, address))
    if linked not in moved:
        return match.group(0)
    return match.group(1) + posixpath.relpath(moved[linked], new_dir or ".") + hash_mark + anchor


def _rewrite_links(root: Path, moved: dict[str, str]) -> None:
    """Point the links of every Markdown file at the files' new names (`moved`: old path -> new path)."""
    if all(old == new for old, new in moved.items()):
        return
    for old_path, new_path in moved.items():
        if not new_path.endswith(".md"):
            continue
        dirs = posixpath.dirname(old_path), posixpath.dirname(new_path)
        path = root / new_path
        text = path.read_text(encoding="utf-8")
        changed = INLINE_LINK.sub(lambda m: _retarget(m, moved, *dirs), text)
        changed = REFERENCE_LINK.sub(lambda m: _retarget(m, moved, *dirs), changed)
        if changed != text:
            path.write_text(changed, encoding="utf-8")


def _restructure(course: str, change) -> None:
    """Apply `change(root)` to the draft, renumber modules and items from 01, and rewrite links to moved files.

    `change` may return how it renamed things (a function from a file's old identity to its new one); it raises
    StructureError to refuse, before changing anything.
    """
    root = operations.draft_path(course)
    with repository.locked_file(operations.drafts_dir() / ".lock"):
        before = _identities(root)
        try:
            renamed = change(root) or (lambda identity: identity)
        except StructureError:
            raise
        except (FileNotFoundError, ValueError, StopIteration) as error:  # changed by someone else meanwhile
            raise StructureError("changed") from error
        module_moves = {name: f"{position:02d}-{slug}" for position, (_n, slug, name) in enumerate(_modules(root), 1)}
        _rename(root, module_moves)
        for name in module_moves.values():
            _rename(root / name, {file: _item_name(position, slug, kind, lang)
                                  for position, (_n, slug, kind, files) in enumerate(_groups(root / name), 1)
                                  for lang, file in files.items()})
        after = _identities(root)
        _rewrite_links(root, {path: after[renamed(identity)] for identity, path in before.items()
                              if renamed(identity) in after})


def create_course(slug: str, title: str) -> None:
    """A new course's draft from the starter template; it is not live until it is published."""
    if not valid_slug(slug):
        raise StructureError("slug")
    with repository.locked_file(operations.drafts_dir() / ".lock"):
        if (operations.courses_dir() / slug).exists() or operations.draft_path(slug).exists():
            raise StructureError("taken")
        shutil.copytree(STARTER, operations.draft_path(slug))
        operations.base_file(slug).write_text("")
        _write_title(operations.draft_path(slug) / "course.md", title)


def add_module(course: str, title: str, slug: str) -> str:
    """A new module at the end of the course, with its module.md; its folder name."""
    def change(root: Path) -> None:
        if any(existing == slug for _n, existing, _name in _modules(root)):
            raise StructureError("taken")
        folder = root / f"{len(_modules(root)) + 1:02d}-{slug}"
        folder.mkdir()
        _write_title(folder / "module.md", title)

    _restructure(course, change)
    return find_module(course, slug) or ""


def add_item(course: str, module_slug: str, kind: str, title: str, slug: str) -> str:
    """A new lesson or quiz at the end of a module; its file (relative to the course folder)."""
    folder = find_module(course, module_slug)
    if folder is None or kind not in KINDS:
        raise StructureError("module")

    def change(root: Path) -> None:
        groups = _groups(root / folder)
        if any(existing == slug for _n, existing, _k, _f in groups):
            raise StructureError("taken")
        path = root / folder / _item_name(len(groups) + 1, slug, kind, None)
        path.write_text(NEW_ITEM[kind].format(title=yaml_title(title)), encoding="utf-8")

    _restructure(course, change)
    found = find_item(course, module_slug, slug)
    return found.original if found else ""


def rename_module(course: str, module_slug: str, title: str, new_slug: str) -> None:
    folder = find_module(course, module_slug)
    if folder is None:
        raise StructureError("module")

    def change(root: Path):
        if new_slug != module_slug and any(existing == new_slug for _n, existing, _name in _modules(root)):
            raise StructureError("taken")
        _write_title(root / folder / "module.md", title)
        (root / folder).rename(root / f"{folder.split('-', 1)[0]}-{new_slug}")
        return lambda identity: (new_slug, *identity[1:]) if identity[0] == module_slug else identity

    _restructure(course, change)


def rename_item(course: str, module_slug: str, item_slug: str, title: str, new_slug: str) -> None:
    """Set the original's title; a new slug renames the item's files in every language."""
    folder = find_module(course, module_slug)
    entry = find_item(course, module_slug, item_slug)
    if folder is None or entry is None:
        raise StructureError("item")

    def change(root: Path):
        if not all((root / path).is_file() for path in entry.files.values()):
            raise StructureError("changed")
        if new_slug != item_slug and any(existing == new_slug for _n, existing, _k, _f in _groups(root / folder)):
            raise StructureError("taken")
        _write_title(root / entry.original, title)
        number = next(n for n, slug, _k, _f in _groups(root / folder) if slug == item_slug)
        for lang, path in entry.files.items():
            (root / path).rename(root / folder / _item_name(number, new_slug, entry.kind, lang))
        return lambda identity: ((module_slug, new_slug, *identity[2:])
                                 if len(identity) == 4 and identity[:2] == (module_slug, item_slug) else identity)

    _restructure(course, change)


def move_module(course: str, module_slug: str, step: int) -> None:
    """Move a module one place up (step -1) or down (+1); nothing at either end."""
    if find_module(course, module_slug) is None:
        raise StructureError("module")

    def change(root: Path) -> None:
        modules = _modules(root)
        slugs = [slug for _n, slug, _name in modules]
        order = _swapped(slugs, module_slug, step)
        _rename(root, {name: f"{order.index(slug) + 1:02d}-{slug}" for _n, slug, name in modules})

    _restructure(course, change)


def move_item(course: str, module_slug: str, item_slug: str, step: int) -> None:
    """Move a lesson or quiz (with its translations) one place up (step -1) or down (+1) in its module."""
    folder = find_module(course, module_slug)
    if folder is None or find_item(course, module_slug, item_slug) is None:
        raise StructureError("item")

    def change(root: Path) -> None:
        groups = _groups(root / folder)
        order = _swapped([slug for _n, slug, _k, _f in groups], item_slug, step)
        _rename(root / folder, {file: _item_name(order.index(slug) + 1, slug, kind, lang)
                                for _n, slug, kind, files in groups for lang, file in files.items()})

    _restructure(course, change)


def _swapped(slugs: list[str], moving: str, step: int) -> list[str]:
    """`slugs` with `moving` swapped with its neighbour `step` places away (unchanged at either end)."""
    order, index = list(slugs), slugs.index(moving)
    if 0 <= index + step < len(order):
        order[index], order[index + step] = order[index + step], order[index]
    return order


def delete_module(course: str, module_slug: str) -> None:
    folder = find_module(course, module_slug)
    if folder is None:
        raise StructureError("module")
    _restructure(course, lambda root: shutil.rmtree(root / folder))


def delete_item(course: str, module_slug: str, item_slug: str) -> None:
    """Delete a lesson or quiz with all its translations."""
    entry = find_item(course, module_slug, item_slug)
    if entry is None:
        raise StructureError("item")

    def change(root: Path) -> None:
        for path in entry.files.values():
            os.remove(root / path)

    _restructure(course, change)


def learners_with_records(course: str, module_slug: str, item_slug: str | None = None) -> int:
    """How many learners have progress, quiz attempts or a bookmark under this module's or item's slug."""
    keys = [f"{module_slug}/{item_slug}"] if item_slug else None

    def matches(column):
        return column.in_(keys) if keys else column.like(f"{module_slug}/%")

    users = (select(LessonProgress.user_id).where(LessonProgress.course_slug == course,
                                                  matches(LessonProgress.lesson_key))
             .union(select(QuizAttempt.user_id).where(QuizAttempt.course_slug == course,
                                                      matches(QuizAttempt.quiz_key)),
                    select(Enrolment.user_id).where(Enrolment.course_slug == course,
                                                    matches(Enrolment.last_item_key))))
    return db.session.scalar(select(func.count()).select_from(users.subquery())) or 0
