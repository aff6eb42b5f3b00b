"""The whole catalogue: every course folder under the root (from the disk cache when unchanged), paths.yml,
and the links between courses, checked once every course is loaded."""
import os
from pathlib import Path

from .. import cache
from ..model import Catalog, Course, Problem
from .course import DEFAULT_WORD_BUDGET, content_hash, load_course
from .paths import load_paths
from .reporter import Reporter, SiteLink

#: what loading one course gives: the course (None when it has errors), its problems, its links to site pages
Loaded = tuple[Course | None, list[Problem], list[SiteLink]]


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


def _load_course_cached(folder: Path, url_prefix: str, base: Path, cache_dir: str | Path | None,
                        word_budget: int) -> Loaded:
    """The course, its problems and its site links; from the cache when the course's files are unchanged."""
    report = Reporter(base)
    if cache_dir is None:
        return load_course(folder, url_prefix, report, word_budget=word_budget), report.problems, report.site_links
    version = content_hash(folder)
    key = cache.cache_key(version, url_prefix, report.base, word_budget)
    hit: Loaded | None = cache.read(cache_dir, folder.name, key)
    if hit is not None:
        return hit
    course = load_course(folder, url_prefix, report, version=version, word_budget=word_budget)
    loaded = (course, report.problems, report.site_links)
    cache.write(cache_dir, folder.name, key, loaded)
    return loaded


def _resolves(url: str, url_prefix: str, courses: dict[str, Course], root: Path, only: bool) -> bool:
    """Whether a link to a site path leads to a loaded course, one of its lessons or quizzes, or one of its files.

    Paths outside the courses (the home page, /verify...) are not the checker's business. When one course
    is checked alone, a link to another course resolves if that course's folder is there.
    """
    path = url.split("#", 1)[0].split("?", 1)[0]
    prefix = url_prefix.rstrip("/") + "/"
    if not path.startswith(prefix):
        return True
    slug, *rest = path[len(prefix):].strip("/").split("/")
    course = courses.get(slug)
    if course is None:
        return only and (root / slug / "course.md").is_file()
    if not rest:
        return True
    if rest[0] == "assets":
        return (Path(course.path) / "/".join(rest[1:])).is_file()
    return len(rest) == 2 and course.item(f"{rest[0]}/{rest[1]}") is not None


def load_catalog(root: str | Path, url_prefix: str = "/courses", only: str | Path | None = None,
                 relative_to: str | Path | None = None, cache_dir: str | Path | None = None,
                 word_budget: int = DEFAULT_WORD_BUDGET) -> Catalog:
    """Load every course under `root` (or only the folder `only`), and paths.yml.

    :param relative_to: the folder problem paths are shown relative to (default: root's parent)
    :param cache_dir: where to keep rendered courses between loads (None: render everything)
    :param word_budget: lessons with more words get a warning
    """
    root = Path(root)
    report = Reporter(relative_to or root.resolve().parent)
    courses: dict[str, Course] = {}
    if not root.is_dir():
        report.error(root, 1, "the courses folder does not exist")
        return Catalog({}, (), tuple(report.problems), str(root))
    folders = [Path(only)] if only else sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    links: list[tuple[Course | None, SiteLink]] = []
    for folder in folders:
        course, problems, site_links = _load_course_cached(folder, url_prefix, report.base, cache_dir, word_budget)
        report.problems.extend(problems)
        links.extend((course, link) for link in site_links)
        if course is not None:
            courses[course.slug] = course
    for course, link in links:
        if course is not None and not _resolves(link.url, url_prefix, courses, root, only is not None):
            report.warning(report.base / link.path, link.line,
                           f"link to a course page that is not loaded: {link.url}: check the course, module and "
                           "lesson names, and that the course loads without errors")
    paths = load_paths(root, courses, report) if only is None else ()
    return Catalog(courses, paths, tuple(report.problems), str(root), tree_signature(root))
