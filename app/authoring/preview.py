"""The live preview: a file of the draft as typed, checked and loaded as learners would get it, nothing saved."""
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from ..content.loader.names import ITEM_FILE, MODULE_DIR
from ..content.model import Course, Item, Problem
from . import operations


def _item_key(name: str) -> str | None:
    """The `<module>/<item>` key of a lesson or quiz file of a course (None for other files)."""
    parts = PurePosixPath(name).parts
    module = MODULE_DIR.match(parts[0]) if len(parts) == 2 else None
    item = ITEM_FILE.match(parts[1]) if module else None
    if module is None or item is None:
        return None
    return f"{module.group(2)}/{item.group(2) or 'quiz'}"


def preview(slug: str, name: str, text: str, url_prefix: str) -> tuple[Course | None, Item | None, list[Problem]]:
    """The course and the item of `name` with `text` in place of the saved file, and the file's problems.

    Links are rendered under `url_prefix`, where the draft's pictures and pages are served to its editors.
    """
    with tempfile.TemporaryDirectory() as temporary:
        copy = Path(temporary) / slug
        shutil.copytree(operations.draft_path(slug), copy, symlinks=False)
        (copy / name).write_text(text.replace("\r\n", "\n"), encoding="utf-8")
        found = operations.load_checked(copy, url_prefix)
    course = found.course(slug)
    key = _item_key(name)
    problems = [problem for problem in found.problems if problem.path == f"{slug}/{name}"]
    return course, course.item(key) if course and key else None, problems
