"""`make bench`: content loading, page weight, throughput under gunicorn (wrk) and instructions per request
(callgrind), every route as a ratio to a bare Flask hello-world served the same way, with the goals of issue 14.

BENCH_PARTS (default "loading,wrk,callgrind") picks parts, BENCH_ROUTES (words, comma-separated) the routes whose
name contains one; BENCH_DURATION, BENCH_CALLGRIND_REQUESTS and BENCH_CALLGRIND_WARMUP tune them.
"""
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import instructions, loading, seed, throughput  # noqa: E402

PARTS = set(os.environ.get("BENCH_PARTS", "loading,wrk,callgrind").split(","))
ROUTES = [word for word in os.environ.get("BENCH_ROUTES", "").split(",") if word]


@dataclass
class Route:
    name: str
    path: str
    cookie: str | None = None
    goal: float | None = None  # the least throughput as a share of hello-world's


#: the third reference: what any logged-in page costs on this stack (bench/floor.py)
FLOOR = "floor: logged-in hello"


def routes_of(seeded):
    learner = seeded.cookie
    every = [
        Route("/ping", "/ping", goal=0.85),
        Route("catalogue, anonymous", "/"),
        Route("lesson, anonymous", seeded.lesson),
        Route("lesson, logged in", seeded.lesson, learner, goal=0.5),
        Route("catalogue, logged in", "/", learner, goal=0.35),
        Route("course page, logged in", seeded.course, learner, goal=0.35),
        Route("my learning", "/my-learning", learner, goal=0.35),
        Route("quiz page, logged in", seeded.quiz, learner, goal=0.35),
        Route("/verify/<code>", seeded.verify, goal=0.5),
    ]
    # /ping is the second baseline: always measured
    return [r for r in every if r.name == "/ping" or not ROUTES or any(word in r.name for word in ROUTES)]


def main():
    for tool, part in (("wrk", "wrk"), ("valgrind", "callgrind")):
        if part in PARTS and not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install {tool}")
    if "loading" in PARTS:
        loading.bench_loading()
    tmp = Path(tempfile.mkdtemp(prefix="soglia-bench-"))
    env = seed.bench_env(tmp)
    failed = 0
    try:
        seed.create_database(env)
        env["BENCH_FLOOR_DATABASE_URL"] = f"sqlite:///{tmp}/floor.db"
        seed.create_floor_database(env)
        with throughput.gunicorn("wsgi:app", env, probe="/ping") as soglia, \
                throughput.gunicorn("bench.hello:app", env) as hello, \
                throughput.gunicorn("bench.floor:app", env, probe="/login") as floor:
            seeded = seed.seed(soglia, env)
            floor_cookie = seed.floor_cookie(floor)
            routes = routes_of(seeded)
            print(f"bench learner on {seeded.lesson}, {seeded.quiz}; certificate {seeded.verify}")
            if "loading" in PARTS:
                loading.report_page_weight(soglia, seeded.cookie)
            if "wrk" in PARTS:
                measured = throughput.measure(hello, soglia, routes)
                failed = throughput.report(*measured, routes)
                throughput.report_floor(measured, throughput.wrk(floor + "/", floor_cookie))
        if "callgrind" in PARTS:
            hello_count = instructions.count("bench.hello:app", [("hello-world", "/", None)], env)["hello-world"]
            floor_count = instructions.count("bench.floor:app", [(FLOOR, "/", floor_cookie)], env)[FLOOR]
            counts = instructions.count("wsgi:app", [(r.name, r.path, r.cookie) for r in routes], env)
            instructions.report(hello_count, {**counts, FLOOR: floor_count}, [Route(FLOOR, "/"), *routes])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
