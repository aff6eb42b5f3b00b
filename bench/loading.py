"""Content loading time (the Markdown pipeline) and the weight of the heaviest lesson page."""
import gzip
import itertools
import re
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_BUDGET = 50 * 1024
ROUNDS = 3  # timings are the best of three: this machine's neighbours make single runs noisy


def _lesson_tree(tmp, sources):
    """A course of 100 lessons made from `sources` (cycled), relative links made absolute."""
    course = Path(tmp) / "big"
    (course / "01-m").mkdir(parents=True)
    (course / "course.md").write_text("---\ntitle: Big\n---\n")
    for number, source in zip(range(1, 101), itertools.cycle(sources)):
        text = re.sub(r"\]\((?!https?:)[^)]*\)", "](https://example.org)", source)
        (course / "01-m" / f"{number:03d}-lesson-{number}.md").write_text(text)


def _timed_load(sources):
    from app.content.loader import load_catalog

    with tempfile.TemporaryDirectory() as tmp:
        _lesson_tree(tmp, sources)
        load_catalog(tmp)  # warm imports
        timings = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            catalog = load_catalog(tmp)
            timings.append(time.perf_counter() - started)
    assert len(catalog.course("big").lessons) == 100 and not catalog.errors
    return min(timings)


def bench_loading():
    import markdown

    from app.content.loader import load_catalog

    lessons = [p.read_text() for p in sorted((ROOT / "courses").rglob("*.md"))
               if re.fullmatch(r"\d+-[a-z0-9-]+\.md", p.name)]
    heaviest = max(lessons, key=len)
    real = _timed_load(lessons)
    heavy = _timed_load([heaviest])
    bare = markdown.Markdown(extensions=["tables"])
    library = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(100):
            bare.reset().convert(heaviest)
        library = min(library, time.perf_counter() - started)
    print(f"load+render 100 lessons (best of {ROUNDS}): {real * 1000:.0f} ms for the {len(lessons)} real English lessons cycled "
          f"({sum(len(t.split()) for t in lessons) // len(lessons)} words on average); {heavy * 1000:.0f} ms for the "
          f"longest one 100 times (python-markdown alone on it: {library * 1000:.0f} ms)")
    files = sum(1 for _ in (ROOT / "courses").rglob("*.md"))
    with tempfile.TemporaryDirectory() as cache:
        timings = []
        for _ in range(2):  # the first load renders and fills the cache, the second reads it
            started = time.perf_counter()
            catalog = load_catalog(ROOT / "courses", cache_dir=cache)
            timings.append(time.perf_counter() - started)
    print(f"real courses/ ({files} files, {len(catalog.courses)} courses): {timings[0] * 1000:.0f} ms rendering, "
          f"{timings[1] * 1000:.0f} ms from the content cache")


def report_page_weight(base, cookie):
    """Bytes of every lesson page plus its stylesheet: raw, and gzip-compressed as a proxy would send."""
    from app.content.loader import load_catalog

    css = (ROOT / "app/static/style.css").read_bytes()
    heaviest = (0, 0, "")
    for course in load_catalog(ROOT / "courses").courses.values():
        for lesson in course.lessons:
            for lang in lesson.texts:
                url = f"{base}/courses/{course.slug}/{lesson.module_slug}/{lesson.slug}?lang={lang}"
                request = urllib.request.Request(url, headers={"Cookie": cookie})
                html = urllib.request.urlopen(request).read()
                raw = len(html) + len(css)
                if raw > heaviest[0]:
                    heaviest = (raw, len(gzip.compress(html)) + len(gzip.compress(css)), url)
    raw, compressed, url = heaviest
    verdict = "within" if raw <= PAGE_BUDGET else "OVER"
    print(f"heaviest lesson page + CSS: {raw / 1024:.1f} KB raw, {compressed / 1024:.1f} KB gzip "
          f"({verdict} the {PAGE_BUDGET // 1024} KB budget, no JavaScript)  {url.split('/courses/')[1]}")
