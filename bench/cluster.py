"""`make bench-cluster`: the production set-up on loopback, under load, checked.

nginx (TLS) in front of two gunicorn instances on one PostgreSQL database, Redis for the rate limits, the
course-reload signal and the job queue. Logged-in learners read pages through nginx (wrk, rotating their
session cookies) while others complete courses over HTTP, posting some forms to both servers at once. At the
end the database must hold every learner's work exactly once, and the login limit must be one limit for both
servers. Throughput of the cluster is reported beside one instance's. Exits non-zero when a check fails.
"""
import json
import os
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import redis
from sqlalchemy import create_engine, select

from app import create_app
from app.config import DefaultConfig, database_uri
from app.extensions import db
from app.models import Certificate, User
from app.privacy import operations as privacy_operations
from app.services import accounts

from . import cluster_learners as learners
from .cluster_checks import Expected, integrity_problems
from .cluster_course import COURSES, PUBLISHED_LESSON, PUBLISHED_TEXT, lesson
from .cluster_stack import LIMITS_DB, REDIS_HOST, ROOT, WORKERS, instance_env, running_cluster

DURATION = os.environ.get("BENCH_DURATION", "8s")
ROUNDS = 2
CLUSTER = f"cluster: nginx, 2 instances × {WORKERS} workers"
ALONE = f"nginx, 1 instance × {2 * WORKERS} workers"
DIRECT = f"1 instance × {WORKERS} workers, directly"
READERS = int(os.environ.get("BENCH_CLUSTER_READERS", "8"))
COMPLETERS = int(os.environ.get("BENCH_CLUSTER_COMPLETERS", "6"))
WRK_SCRIPT = Path(__file__).with_name("cluster_wrk.lua")
FAST_HASH = "pbkdf2:sha256:1"  # the bench's own accounts: logging in is not what is measured


class Report:
    """Each check printed as it comes; the failed ones kept for the exit status."""

    def __init__(self):
        self.failures = []

    def check(self, ok, what, detail=""):
        print(f"  [{'ok' if ok else 'FAILED'}] {what}{': ' + detail if detail else ''}", flush=True)
        if not ok:
            self.failures.append(what)


def bench_app(cluster):
    """This process's own app on the cluster's database: to make accounts and read the courses."""
    return create_app({"DATABASE_URL": cluster.database_url, "SECRET_KEY": cluster.env["SOGLIA_SECRET_KEY"],
                       "INSTANCE_PATH": str(cluster.tmp / "bench-instance"),
                       "COURSES_DIR": instance_env(cluster, 1)["SOGLIA_COURSES_DIR"]})


def make_learners(app, prefix, count):
    names = [f"{prefix}-{number:02d}" for number in range(1, count + 1)]
    with app.app_context():
        for name in names:
            user = accounts.create_user(username=name, display_name=name.replace("-", " ").title(),
                                        password=learners.PASSWORD, hash_method=FAST_HASH)
            privacy_operations.accept_notice(user)
        db.session.commit()
    return names


def course_items(app, slug):
    course = app.extensions["soglia.catalog"].course(slug)
    return [learners.Item(item.kind, item.key, f"/courses/{slug}/{item.module_slug}/{item.slug}")
            for item in course.items]


def expected_work(app, usernames):
    catalog = app.extensions["soglia.catalog"]
    found = []
    for slug in COURSES:
        course = catalog.course(slug)
        lessons = frozenset(item.key for item in course.items if item.kind == "lesson")
        quizzes = {item.key: len(item.versions[course.language].questions) for item in course.items
                   if item.kind == "quiz"}
        found += [Expected(name, slug, lessons, quizzes) for name in usernames]
    return found


def publish_and_wait(cluster, report):
    """Change a lesson in the courses remote and announce it: every server must show it within seconds."""
    clone = cluster.tmp / "publisher"
    subprocess.run(["git", "clone", "-q", "-b", "main", str(cluster.courses_remote), str(clone)], check=True)
    slug, path = PUBLISHED_LESSON
    (clone / slug / path).write_text(lesson("Saving", PUBLISHED_TEXT))
    subprocess.run(["git", "-C", str(clone), "-c", "user.name=Bench", "-c", "user.email=bench@localhost",
                    "commit", "-q", "-am", "Publish"], check=True)
    subprocess.run(["git", "-C", str(clone), "push", "-q", "origin", "main"], check=True)
    started = time.monotonic()
    redis.Redis.from_url(f"{REDIS_HOST}/{LIMITS_DB}").publish(cluster.sync_channel, json.dumps({"sender": "bench"}))
    page = "/courses/cluster-alpha/start/saving"
    browser = learners.Browser(cluster.cert)
    for base in cluster.instances:
        seen_in_a_row = 0
        while seen_in_a_row < 6 and time.monotonic() - started < 20:
            seen_in_a_row = seen_in_a_row + 1 if PUBLISHED_TEXT in browser.request(base, "GET", page)[2] else 0
        report.check(seen_in_a_row >= 6, f"the publish reached {base} (every worker)",
                     f"{time.monotonic() - started:.1f} s after the announcement")


def wrk(base, duration, cookies_file, paths_file):
    """(requests per second, responses other than 200) of logged-in learners on `base`."""
    result = subprocess.run(["wrk", "-t2", "-c16", f"-d{duration}", "-s", str(WRK_SCRIPT), base, "--",
                             str(cookies_file), str(paths_file)], capture_output=True, text=True, check=True)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))
    not_ok = int(re.search(r"not-200: (\d+)", result.stdout).group(1))
    return rate, not_ok


def upstream_counts(cluster, since):
    """How many requests the cluster's front sent to each app server since byte `since` of nginx's access log."""
    port, counts = cluster.front.rsplit(":", 1)[1], {}
    with open(cluster.tmp / "nginx-access.log") as log:
        log.seek(since)
        for line in log:
            server_port, upstream = line.split(" ", 2)[:2]
            if server_port == port:
                counts[upstream] = counts.get(upstream, 0) + 1
    return counts


def access_log_size(cluster):
    time.sleep(1.5)  # the log is flushed every second
    return (cluster.tmp / "nginx-access.log").stat().st_size


def readers_load(cluster, app):
    """Log the readers in through nginx and write wrk's cookie and page lists."""
    names = make_learners(app, "reader", READERS)
    paths = [item.path for slug in COURSES for item in course_items(app, slug) if item.kind == "lesson"]
    paths += [f"/courses/{slug}" for slug in COURSES] + ["/my-learning"]
    cookies = []
    for name in names:
        browser = learners.Browser(cluster.cert)
        learners.log_in(browser, cluster.front, name)
        cookies.append(browser.cookie_header())
    (cluster.tmp / "cookies.txt").write_text("\n".join(cookies) + "\n")
    (cluster.tmp / "paths.txt").write_text("\n".join(paths) + "\n")
    return cluster.tmp / "cookies.txt", cluster.tmp / "paths.txt"


def throughput(cluster, files, report):
    """The same load on the cluster, on one instance through nginx, and on one instance directly."""
    print(f"Throughput of {READERS} logged-in learners (wrk 2 threads, 16 connections, {DURATION} each, "
          f"best of {ROUNDS} interleaved rounds):")
    since = access_log_size(cluster)
    rates, not_ok = {}, {}
    for _ in range(ROUNDS):  # interleaved, so that a busy moment of this shared machine hits each set-up alike
        for name, base in ((CLUSTER, cluster.front), (ALONE, cluster.single_front), (DIRECT, cluster.instances[0])):
            rate, failed = wrk(base, DURATION, *files)
            rates[name], not_ok[name] = max(rate, rates.get(name, 0)), failed + not_ok.get(name, 0)
    for name, rate in rates.items():
        print(f"  {name:42} {rate:8.1f} requests/s")
        report.check(not_ok[name] == 0, f"every response to the learners of {name} was 200",
                     f"{not_ok[name]} were not")
    counts = upstream_counts(cluster, since)
    shares = [counts.get(base[len("http://"):], 0) for base in cluster.instances]
    report.check(min(shares) > 0.3 * sum(shares) / 2, "nginx spread the cluster's load over both instances",
                 " / ".join(str(share) for share in shares))
    print(f"  cluster ÷ one instance directly: {rates[CLUSTER] / rates[DIRECT]:.2f}; ÷ one instance with as many "
          f"workers: {rates[CLUSTER] / rates[ALONE]:.2f} ({os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f})")


def completers(cluster, app, report):
    """Learners complete every course through nginx while wrk reads pages: (usernames, {username: browser})."""
    names = make_learners(app, "learner", COMPLETERS)
    items = {slug: course_items(app, slug) for slug in COURSES}
    load = {}
    wrk_thread = threading.Thread(target=lambda: load.update(rate=wrk(
        cluster.front, "20s", cluster.tmp / "cookies.txt", cluster.tmp / "paths.txt")))
    wrk_thread.start()
    started = time.monotonic()

    def journey(name):
        browser = learners.Browser(cluster.cert)
        learners.log_in(browser, cluster.front, name)
        walked = learners.Journey(name, browser)
        for slug in COURSES:
            learners.complete_course(browser, walked, cluster.front, cluster.instances, slug, items[slug])
        return walked

    failures = []
    with ThreadPoolExecutor(COMPLETERS) as pool:
        futures = [pool.submit(journey, name) for name in names]
        journeys = []
        for future in futures:
            try:
                journeys.append(future.result())
            except learners.Failure as failure:
                failures.append(str(failure))
    browsers = {walked.username: walked.browser for walked in journeys}
    seconds = time.monotonic() - started
    wrk_thread.join()
    forms = sum(len(walked.statuses) for walked in journeys)
    doubled = sum(walked.doubled for walked in journeys)
    print(f"{COMPLETERS} learners completed {len(COURSES)} courses each in {seconds:.1f} s under load "
          f"({forms} forms posted, {doubled} of them to both instances at once; readers meanwhile: "
          f"{load['rate'][0]:.1f} requests/s)")
    report.check(not failures, "every form of the completing learners was answered with a redirect",
                 "; ".join(failures[:3]))
    return names, browsers


def certificate_pdfs(cluster, app, browsers, report):
    """The worker renders every certificate's PDF; each holder downloads theirs through nginx."""
    with app.app_context():
        codes = dict(db.session.execute(select(Certificate.code, User.username).join(User)).all())
    folder = Path(cluster.env["SOGLIA_CERTIFICATE_PDF_DIR"])
    started = time.monotonic()
    while time.monotonic() - started < 120:
        rendered = {path.name.split("-", 1)[0] for path in folder.glob("*.pdf")} if folder.exists() else set()
        if rendered >= set(codes):
            break
        time.sleep(0.2)
    report.check(rendered >= set(codes), f"the job worker rendered the PDF of all {len(codes)} certificates",
                 f"{len(rendered & set(codes))} done {time.monotonic() - started:.1f} s after the last completion")
    downloads = [browsers[holder].request(cluster.front, "GET", f"/certificates/{code}.pdf")
                 for code, holder in codes.items() if holder in browsers]
    good = sum(1 for status, headers, body in downloads if status == 200 and body.startswith("%PDF"))
    report.check(downloads and good == len(downloads), "every holder downloads their certificate PDF through nginx",
                 f"{good} of {len(downloads)}")


def shared_login_limit(cluster, report):
    limit = int(DefaultConfig.LOGIN_FAILURES_PER_ACCOUNT.split()[0])
    statuses = learners.login_limit_statuses(cluster.cert, cluster.instances, 2 * limit + 2)
    first_refusal = statuses.index(429) + 1 if 429 in statuses else None
    report.check(first_refusal == limit + 1 and set(statuses[limit:]) == {429},
                 f"the login limit ({limit} failures per account) is shared by both instances",
                 f"failed logins alternating between instances: first 429 at try {first_refusal}")


def static_and_headers(cluster, report):
    browser = learners.Browser(cluster.cert)
    status, headers, page = browser.request(cluster.front, "GET", "/")
    report.check(status == 200 and "Content-Security-Policy" in headers and "Strict-Transport-Security" in headers,
                 "pages through nginx carry the app's security headers and HSTS")
    stylesheet = re.search(r'href="(/static/style\.css\?v=[^"]+)"', page)
    status, headers, body = browser.request(cluster.front, "GET", stylesheet.group(1) if stylesheet else "/static/")
    report.check(status == 200 and body == (ROOT / "app" / "static" / "style.css").read_text()
                 and "immutable" in headers.get("Cache-Control", ""),
                 "nginx serves the static files, the content-hashed ones immutable")


def server_errors(cluster, report):
    for name in cluster.processes:
        log = (cluster.tmp / f"{name}.log").read_text(errors="replace")
        report.check("Traceback" not in log, f"no errors in the log of {name}")


def main():
    report = Report()
    started = time.monotonic()
    with running_cluster() as cluster:
        print(f"Cluster up in {time.monotonic() - started:.1f} s: nginx {cluster.front} -> "
              f"{' + '.join(cluster.instances)} ({WORKERS} workers each), "
              "PostgreSQL, Redis, a job worker")
        app = bench_app(cluster)
        static_and_headers(cluster, report)
        publish_and_wait(cluster, report)
        files = readers_load(cluster, app)
        throughput(cluster, files, report)
        names, browsers = completers(cluster, app, report)
        certificate_pdfs(cluster, app, browsers, report)
        shared_login_limit(cluster, report)
        engine = create_engine(database_uri({"DATABASE_URL": cluster.database_url}, ""))
        with engine.connect() as conn:
            problems = integrity_problems(conn, expected_work(app, names))
        engine.dispose()
        with app.app_context():
            db.engine.dispose()
        report.check(not problems, f"every completion, certificate, lesson record and quiz attempt of the "
                     f"{len(names)} learners is in PostgreSQL exactly once", "; ".join(problems[:5]))
        server_errors(cluster, report)
    print(f"Cluster stopped and removed; {time.monotonic() - started:.0f} s in all.")
    if report.failures:
        print(f"{len(report.failures)} check(s) failed.")
        sys.exit(1)
    print("Every check passed.")


if __name__ == "__main__":
    main()
