"""The bench database: a learner part-way through a course (logged in through the real forms) and a graduate
whose certificate the public can verify (completed through the app's own services)."""
import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from werkzeug.datastructures import MultiDict

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
LEARNER_COURSE = "financial-literacy"
LESSONS_DONE = 3  # the learner is part-way: some lessons done, the rest ahead


@dataclass
class Seeded:
    cookie: str  # the logged-in learner's cookies, as a browser sends them
    lesson: str  # a lesson, a quiz and the course page the learner is following
    quiz: str
    course: str
    verify: str  # the public verification page of the graduate's certificate


def bench_env(tmp):
    """Soglia as in production, on its default database (SQLite), with the courses fixed (no reload check)."""
    return {**os.environ, "SOGLIA_DATABASE_URL": f"sqlite:///{tmp}/bench.db", "SOGLIA_SECRET_KEY": "bench",
            "SOGLIA_COURSES_AUTO_RELOAD": "false", "PYTHONHASHSEED": "0",
            # one wrk client asks far more than a verifier may: the limit is still checked on every request
            "SOGLIA_VERIFY_RATE_LIMIT": "1000000 per minute"}


def create_database(env):
    subprocess.run([VENV_BIN / "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)


#: the browser every bench request claims to be: the one the learner logged in with, as a real browser stays the
#: same (another one would make Flask-Login mark the session not fresh and re-sign its cookie on every request)
USER_AGENT = "Mozilla/5.0 (soglia-bench)"


def create_floor_database(env):
    """The floor app's database and its one person, made once before its workers start."""
    subprocess.run([sys.executable, "-c", "import bench.floor"], cwd=ROOT, env=env, check=True)


def _browser():
    """(its cookie jar, an opener keeping cookies): the browser every bench request claims to be."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    return jar, opener


def _cookie_header(jar):
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def floor_cookie(base):
    """The floor app's session cookie, logged in by the bench's browser."""
    jar, opener = _browser()
    opener.open(base + "/login").read()
    return _cookie_header(jar)


def seed(base, env):
    """Register the learner through the server at `base`, then give both learners their history in-process."""
    cookie = _registered_cookie(base)
    code, paths = _seed_in_process(env)
    return Seeded(cookie=cookie, verify=f"/verify/{code}", **paths)


def _registered_cookie(base):
    """Register a learner through the real forms and return its session cookie."""
    jar, opener = _browser()
    page = opener.open(base + "/account/register").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "display_name": "Bench Learner", "username": "bench",
                                   "password": "bench password", "confirm": "bench password", "locale": "en",
                                   "track": "entrepreneur", "accept_notice": "y"}).encode()
    opener.open(base + "/account/register", data=data).read()
    return _cookie_header(jar)


def _seed_in_process(env):
    """The learner's first lessons done; a graduate who completed the shortest certificate course."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        from app import create_app

        app = create_app()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    from app.catalog import get_catalog
    from app.extensions import db
    from app.models import User
    from app.privacy.operations import accept_notice
    from app.services import accounts, progress
    from app.services.certificates import certificate_of, format_code

    organisation = app.config["ORGANISATION_NAME"]
    with app.app_context():
        catalog = get_catalog()
        course = catalog.course(LEARNER_COURSE)
        learner = db.session.scalar(db.select(User).where(User.username == "bench"))
        for lesson in course.lessons[:LESSONS_DONE]:
            progress.record_view(learner.id, course, lesson.key)
            progress.mark_lesson_done(learner, course, lesson, organisation)
        graduate = accounts.create_user(username="graduate", display_name="Bench Graduate", password="bench password",
                                        locale="en", track="entrepreneur", hash_method="pbkdf2:sha256:1000")
        accept_notice(graduate)
        finished = min((c for c in catalog.courses.values() if c.certificate), key=lambda c: len(c.items))
        _complete(graduate, finished, organisation)
        db.session.commit()
        certificate = certificate_of(graduate.id, finished.slug)
        assert certificate is not None, f"completing {finished.slug} issued no certificate"
        lesson, quiz = course.lessons[LESSONS_DONE], course.quizzes[0]
        paths = {"lesson": f"/courses/{course.slug}/{lesson.module_slug}/{lesson.slug}",
                 "quiz": f"/courses/{course.slug}/{quiz.module_slug}/{quiz.slug}",
                 "course": f"/courses/{course.slug}"}
        code = format_code(certificate.code)
        db.session.remove()
        db.engine.dispose()
    return code, paths


def _complete(user, course, organisation):
    """Every lesson done and every quiz passed, through the same services as the learner's own requests."""
    from app.services import progress, quizzes

    for item in course.items:
        progress.record_view(user.id, course, item.key)
        if item.kind != "quiz":
            progress.mark_lesson_done(user, course, item, organisation)
            continue
        attempt = quizzes.open_attempt(user.id, course, item)
        form = MultiDict({"attempt": str(attempt.id)})
        for question in quizzes.original_questions(course, item):
            name = quizzes.FIELD_PREFIX + question.id
            if question.options:
                tokens = quizzes.option_tokens(attempt, question)
                for option in question.options:
                    if option.correct:
                        form.add(name, tokens[option.id])
            elif question.kind == "truefalse":
                form.add(name, "true" if question.answer else "false")
            else:
                form.add(name, str(question.answer[0]))
        submission = quizzes.submit_form(user, course, item, form, organisation)
        assert submission.attempt.passed, f"the answer key failed {course.slug}/{item.key}"
