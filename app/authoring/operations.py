"""Drafts of a course, publishing a draft as a git commit, the history of a course and rollback.

A course's draft is a working copy in `instance/drafts/<course>`, shared by the trainers who edit it; learners
never see it. Publishing checks the draft with the course checker, copies it over the course folder of the
courses repository and commits it with the trainer as author. Rolling back commits an earlier version again.
"""
import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from .. import catalog as catalog_module
from ..content.loader import load_catalog
from ..content.loader.names import ITEM_FILE, MODULE_DIR
from ..content.model import Catalog, Problem
from . import repository, sync

#: the files a trainer edits as text
TEXT_SUFFIXES = (".md", ".yml")


class PublishRefused(Exception):
    """The version to publish has errors: nothing was changed."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class DraftOutdated(Exception):
    """The live course changed (a publish or a rollback) after the draft began: publishing would undo it."""


class EditConflict(Exception):
    """The file changed since the trainer opened it: saving would overwrite someone else's work."""

    def __init__(self, current: str):
        super().__init__("the file changed")
        self.current = current


@dataclass(frozen=True)
class Status:
    live: str | None  # the commit learners are served (None: not published through git yet)
    draft: bool
    draft_base: str | None


def courses_dir() -> Path:
    return Path(current_app.config["COURSES_DIR"])


def drafts_dir() -> Path:
    return Path(current_app.instance_path) / "drafts"


def draft_path(slug: str) -> Path:
    return drafts_dir() / slug


def base_file(slug: str) -> Path:
    return drafts_dir() / f".{slug}.base"


def course_exists(slug: str) -> bool:
    """A published course, or a new course's draft."""
    return (courses_dir() / slug / "course.md").is_file() or draft_path(slug).is_dir()


def new_course_drafts() -> list[str]:
    """The drafts of courses never published."""
    root = drafts_dir()
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not (courses_dir() / p.name).exists()) \
        if root.is_dir() else []


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def status(slug: str) -> Status:
    repository.ensure_repository(courses_dir())
    base = base_file(slug).read_text().strip() if base_file(slug).is_file() else None
    return Status(repository.last_change(courses_dir(), slug), draft_path(slug).is_dir(), base or None)


def start_draft(slug: str) -> Path:
    """A working copy of the live course (kept if one exists already)."""
    repository.ensure_repository(courses_dir())
    target = draft_path(slug)
    if not target.is_dir():
        drafts_dir().mkdir(parents=True, exist_ok=True)
        shutil.copytree(courses_dir() / slug, target, symlinks=False)
        base_file(slug).write_text(repository.last_change(courses_dir(), slug) or "")
    return target


def discard_draft(slug: str) -> None:
    shutil.rmtree(draft_path(slug), ignore_errors=True)
    base_file(slug).unlink(missing_ok=True)


def draft_files(slug: str) -> list[str]:
    """The draft's text files, relative to its folder, in course order."""
    root = draft_path(slug)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES)


def read_draft_file(slug: str, name: str) -> str:
    return (draft_path(slug) / name).read_text(encoding="utf-8")


def save_draft_file(slug: str, name: str, text: str, base_hash: str) -> None:
    """Save a file of the draft, unless it changed since the editor read it (`base_hash`): then EditConflict."""
    path = draft_path(slug) / name
    with repository.locked_file(drafts_dir() / ".lock"):
        current = path.read_text(encoding="utf-8")
        if text_hash(current) != base_hash:
            raise EditConflict(current)
        path.write_text(text.replace("\r\n", "\n"), encoding="utf-8")


def draft_modules(slug: str) -> list[str]:
    """The module folders of the draft (`01-basics`, ...)."""
    root = draft_path(slug)
    return sorted(p.name for p in root.iterdir() if p.is_dir() and MODULE_DIR.match(p.name))


def add_quiz_file(slug: str, module: str, title: str, markdown: str) -> str:
    """Write a new quiz at the end of a module of the draft; its file name (relative to the draft)."""
    folder = draft_path(slug) / module
    with repository.locked_file(drafts_dir() / ".lock"):
        numbers = [int(m.group(1)) for p in folder.iterdir() if (m := ITEM_FILE.match(p.name)) and m.group(1)]
        stem = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40].strip("-") or "quiz"
        name = f"{max(numbers, default=0) + 1:02d}-{stem}.quiz.md"
        (folder / name).write_text(markdown, encoding="utf-8")
    return f"{module}/{name}"


def load_checked(folder: Path, url_prefix: str = "/courses") -> Catalog:
    """One course folder as the checker loads it, paths relative to the folder's parent (links to live courses
    resolve)."""
    return load_catalog(courses_dir(), url_prefix=url_prefix, only=folder, relative_to=folder.parent,
                        word_budget=current_app.config["LESSON_WORD_BUDGET"])


def check_folder(folder: Path) -> list[Problem]:
    """Every problem of one course folder."""
    return list(load_checked(folder).problems)


def _replace_course(slug: str, source: Path) -> None:
    target = courses_dir() / slug
    staging = courses_dir() / f".{slug}.publishing"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging, symlinks=False)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def _after_change() -> None:
    catalog_module.reload()
    catalog_module.request_reload(current_app)
    sync.announce(current_app)


def _commit_and_share(slug: str, message: str, author: tuple[str, str]) -> str | None:
    """Commit the course's files and push them to the other servers (inside the lock).

    :raises DraftOutdated: another server published a change to the same files at the same time
    """
    commit = repository.commit_path(courses_dir(), slug, message, author)
    if commit is not None:
        try:
            sync.push(current_app)
        except sync.PushRejected:
            catalog_module.reload()
            raise DraftOutdated("another server published this course at the same time") from None
        commit = repository.last_change(courses_dir(), slug)
    return commit


def publish(slug: str, author: tuple[str, str], message: str) -> str | None:
    """Publish the draft: check it, then commit it as the live course. The new commit (None: nothing changed)."""
    repo = courses_dir()
    repository.ensure_repository(repo)
    with repository.locked(repo):
        state = status(slug)
        if not state.draft:
            raise DraftOutdated("there is no draft to publish")
        if (state.draft_base or "") != (state.live or ""):
            raise DraftOutdated("the live course changed after this draft began")
        problems = check_folder(draft_path(slug))
        if any(problem.level == "error" for problem in problems):
            raise PublishRefused(problems)
        _replace_course(slug, draft_path(slug))
        commit = _commit_and_share(slug, message, author)
        if commit is None:
            return None
        base_file(slug).write_text(commit)
    _after_change()
    return commit


def add_course(slug: str, source: Path, author: tuple[str, str], message: str) -> str | None:
    """Publish a new course (already checked) from `source`."""
    repo = courses_dir()
    repository.ensure_repository(repo)
    with repository.locked(repo):
        if (repo / slug).exists():
            raise FileExistsError(slug)
        _replace_course(slug, source)
        commit = _commit_and_share(slug, message, author)
    _after_change()
    return commit


def history(slug: str) -> list[repository.Change]:
    repository.ensure_repository(courses_dir())
    return repository.history(courses_dir(), slug)


def change_diff(slug: str, commit: str) -> str | None:
    """The diff of one change of the course, or None when `commit` is not one of its changes."""
    if commit not in {change.commit for change in history(slug)}:
        return None
    return repository.diff(courses_dir(), commit, slug)


def rollback(slug: str, commit: str, author: tuple[str, str]) -> str | None:
    """Publish the course as it was at `commit` again, as a new commit, after checking it."""
    repo = courses_dir()
    changes = {change.commit: change for change in history(slug)}
    if commit not in changes:
        raise LookupError(commit)
    with repository.locked(repo), tempfile.TemporaryDirectory() as temporary:
        old = repository.export_tree(repo, commit, slug, temporary)
        problems = check_folder(old)
        if any(problem.level == "error" for problem in problems):
            raise PublishRefused(problems)
        _replace_course(slug, old)
        first_line = changes[commit].message.splitlines()[0] if changes[commit].message else ""
        done = _commit_and_share(slug, f"Roll back to {commit[:10]} ({first_line})", author)
    if done is not None:
        _after_change()
    return done
