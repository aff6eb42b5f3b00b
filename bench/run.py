"""`make bench`: content loading time, page weight, and throughput under gunicorn measured with wrk.

Throughput is reported as a ratio to the app's own /ping route served by the same server in the
same run, so the figure means something on any machine.
"""
import gzip
import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DURATION = os.environ.get("BENCH_DURATION", "8s")
WORKERS = os.environ.get("BENCH_WORKERS", "2")
PAGE_BUDGET = 50 * 1024
ROUNDS = 3  # timings are the best of three: this machine's neighbours make single runs noisy


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def wrk(url, cookie=None):
    command = ["wrk", "-t2", "-c16", f"-d{DURATION}", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+(\S+)", output).group(1)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rate, p99, int(non_2xx.group(1)) if non_2xx else 0


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    bench_loading()
    tmp = Path(tempfile.mkdtemp(prefix="soglia-bench-"))
    env = {**os.environ, "SOGLIA_DATABASE_URL": f"sqlite:///{tmp}/bench.db", "SOGLIA_SECRET_KEY": "bench",
           "SOGLIA_COURSES_AUTO_RELOAD": "false"}
    subprocess.run([VENV_BIN / "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    port = free_port()
    server = subprocess.Popen([VENV_BIN / "gunicorn", "-w", WORKERS, "-b", f"127.0.0.1:{port}", "--log-level",
                               "warning", "wsgi:app"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/ping")
        cookie = _logged_in_cookie(base)
        lesson = "/courses/financial-literacy/money-and-budgeting/your-monthly-budget"
        _report_page_weight(base, cookie)
        results = {}
        for name, path, with_cookie in [
            ("ping (baseline)", "/ping", False), ("catalogue", "/", False), ("lesson", lesson, False),
            ("catalogue, logged in", "/", True), ("lesson, logged in", lesson, True),
        ]:
            results[name] = wrk(base + path, cookie if with_cookie else None)
        baseline = results["ping (baseline)"][0]
        print(f"\ngunicorn {WORKERS} workers, wrk 2 threads x 16 connections x {DURATION}, SQLite")
        print(f"{'route':24} {'req/s':>9} {'p99':>9} {'ratio to /ping':>15}")
        for name, (rate, p99, errors) in results.items():
            flag = f"  ({errors} non-2xx!)" if errors else ""
            print(f"{name:24} {rate:9.0f} {p99:>9} {rate / baseline:15.2f}{flag}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


def _wait_for(url):
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not start: {url}")


def _logged_in_cookie(base):
    """Register a learner through the real forms and return its session cookie."""
    import http.cookiejar
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/account/register").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "display_name": "Bench Learner", "username": "bench",
                                   "password": "bench password", "confirm": "bench password", "locale": "en",
                                   "track": "entrepreneur", "accept_notice": "y"}).encode()
    opener.open(base + "/account/register", data=data).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _report_page_weight(base, cookie):
    """Bytes of every lesson page plus its stylesheet: raw, and gzip-compressed as a proxy would send."""
    import urllib.request

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


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
