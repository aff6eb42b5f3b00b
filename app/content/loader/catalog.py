"""The whole catalogue: every course folder under the root (from the disk cache when unchanged) and paths.yml."""
import os
from pathlib import Path

from .. import cache
from ..model import Catalog, Course, Problem
from .course import content_hash, load_course
from .paths import load_paths
from .reporter import Reporter


def tree_signature(root: str | Path) -> tuple[tuple[str, int, int], ...]:
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


def _load_course_cached(folder: Path, url_prefix: str, base: Path,
                        cache_dir: str | Path | None) -> tuple[Course | None, list[Problem]]:
    """(course or None, its problems), from the cache when the course's files are unchanged."""
    report = Reporter(base)
    if cache_dir is None:
        return load_course(folder, url_prefix, report), report.problems
    version = content_hash(folder)
    key = cache.cache_key(version, url_prefix, report.base)
    hit: tuple[Course | None, list[Problem]] | None = cache.read(cache_dir, folder.name, key)
    if hit is not None:
        return hit
    course = load_course(folder, url_prefix, report, version=version)
    cache.write(cache_dir, folder.name, key, (course, report.problems))
    return course, report.problems


def load_catalog(root: str | Path, url_prefix: str = "/courses", only: str | Path | None = None,
                 relative_to: str | Path | None = None, cache_dir: str | Path | None = None) -> Catalog:
    """Load every course under `root` (or only the folder `only`), and paths.yml.

    :param relative_to: the folder problem paths are shown relative to (default: root's parent)
    :param cache_dir: where to keep rendered courses between loads (None: render everything)
    """
    root = Path(root)
    report = Reporter(relative_to or root.resolve().parent)
    courses: dict[str, Course] = {}
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
