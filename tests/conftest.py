"""Fixtures: app, client, runner, auth (flaskr style), users, databases, query counting, a live server."""
import html
import os
import re
import secrets
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import event
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.privacy import operations as privacy_operations
from app.services import accounts

HERE = Path(__file__).parent
SAMPLE_COURSES = HERE / "data" / "courses"
REAL_COURSES = HERE.parent / "courses"
POSTGRES_URL = os.environ.get("SOGLIA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
FAST_HASH = "pbkdf2:sha256:1"
PASSWORD = "correct horse"
ARTIFACTS = HERE.parent / "test-artifacts"


def postgres_available():
    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


POSTGRES = postgres_available()
if os.environ.get("CI") and not POSTGRES:
    raise RuntimeError(f"CI must reach PostgreSQL at {POSTGRES_URL}")


def make_config(tmp_path, courses_dir, **extra):
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}",
        "COURSES_DIR": str(courses_dir),
        "PASSWORD_HASH_METHOD": FAST_HASH,
        "WTF_CSRF_ENABLED": False,
        "ORGANISATION_NAME": "Soglia Test NGO",
    }
    config.update(extra)
    return config


@pytest.fixture
def courses_dir(tmp_path):
    """A private copy of the sample courses, so a test may edit it."""
    target = tmp_path / "courses"
    shutil.copytree(SAMPLE_COURSES, target)
    return target


class PostgresSchema:
    """A throw-away schema in the test database, so tests never see each other's rows."""

    def __init__(self):
        self.name = "t_" + secrets.token_hex(6)

    def __enter__(self):
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {self.name}")
        return self

    def config(self):
        return {
            "DATABASE_URL": POSTGRES_URL,
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={self.name}"}},
        }

    def __exit__(self, *exc):
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {self.name} CASCADE")


def _teardown(app):
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path, courses_dir):
    """The app on a fresh SQLite file with the sample courses."""
    app = create_app(make_config(tmp_path, courses_dir))
    with app.app_context():
        db.create_all()
    yield app
    _teardown(app)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_db_app(request, tmp_path, courses_dir):
    """The app on SQLite and, when reachable, on PostgreSQL: for tests of database behaviour."""
    if request.param == "sqlite":
        app = create_app(make_config(tmp_path, courses_dir))
        with app.app_context():
            db.create_all()
        yield app
        _teardown(app)
        return
    yield from _postgres_app(tmp_path, courses_dir)


@pytest.fixture
def postgres_app(tmp_path, courses_dir):
    """The app on PostgreSQL only, for row locks and transactions SQLite does not have (mark the test `postgres`)."""
    yield from _postgres_app(tmp_path, courses_dir)


def _postgres_app(tmp_path, courses_dir):
    if not POSTGRES:
        pytest.skip("PostgreSQL is not reachable")
    with PostgresSchema() as schema:
        app = create_app(make_config(tmp_path, courses_dir, **schema.config()))
        with app.app_context():
            db.create_all()
        yield app
        _teardown(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create users directly through the accounts service."""

    def factory(username="amina", role="learner", display_name="Amina Haddad", track="entrepreneur",
                locale="en", password=PASSWORD, target_app=None, accept_notice=True):
        with (target_app or app).app_context():
            user = accounts.create_user(username=username, display_name=display_name,
                                        password=password, role=role, track=track, locale=locale,
                                        hash_method=FAST_HASH)
            if accept_notice:
                privacy_operations.accept_notice(user)
            db.session.commit()
            return user.id

    return factory


class AuthActions:
    def __init__(self, client, make_user):
        self._client = client
        self._make_user = make_user

    def register(self, username="amina", password=PASSWORD, display_name="Amina Haddad", **fields):
        data = {"display_name": display_name, "username": username, "password": password,
                "confirm": password, "locale": "en", "track": "entrepreneur", "email": "", "accept_notice": "y"}
        data.update(fields)
        return self._client.post("/account/register", data=data)

    def login(self, username="amina", password=PASSWORD):
        return self._client.post("/account/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/account/logout")

    def as_new_user(self, username="amina", role="learner", **fields):
        self._make_user(username=username, role=role, **fields)
        response = self.login(username)
        assert response.status_code == 302, "login failed"
        return response


@pytest.fixture
def auth(client, make_user):
    return AuthActions(client, make_user)


@pytest.fixture
def catalog(app):
    return app.extensions["soglia.catalog"]


@pytest.fixture
def count_queries(app):
    """Count SQL statements run inside a `with count_queries() as counter:` block."""

    class Counter:
        def __init__(self):
            self.statements = []

        def __enter__(self):
            event.listen(self.engine, "before_cursor_execute", self._record)
            return self

        def _record(self, conn, cursor, statement, *args):
            self.statements.append(statement)

        def __exit__(self, *exc):
            event.remove(self.engine, "before_cursor_execute", self._record)

        @property
        def count(self):
            return len(self.statements)

    def factory():
        counter = Counter()
        with app.app_context():
            counter.engine = db.engine
        return counter

    return factory


def run_concurrently(app, action, times=6):
    """Start `action()` in `times` threads at the same moment, each in its own app context and session.

    Each thread commits after its action. Returns (results, errors) for the test to assert on.
    """
    barrier = threading.Barrier(times)
    results, errors = [], []

    def worker():
        try:
            with app.app_context():
                barrier.wait()
                results.append(action())
                db.session.commit()
        except Exception as exc:  # collected for the test to report
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results, errors


@contextmanager
def run_first_by_another_request(before, statement):
    """Run `statement` on a connection of its own, committed, just before the session's next SQL statement that
    starts with `before` ("INSERT INTO quiz_attempts "): what a concurrent request does between our read and our
    write. Use inside an app context. Yields a list that then holds the other statement's result.
    """
    engine, done = db.engine, []

    def run_first(conn, cursor, sql, *args):
        if done or not sql.startswith(before):
            return
        done.append(None)  # once: the other request's own statement passes here too
        with engine.begin() as other:
            done[0] = other.execute(statement)

    event.listen(engine, "before_cursor_execute", run_first)
    try:
        yield done
    finally:
        event.remove(engine, "before_cursor_execute", run_first)


@contextmanager
def inserted_first_by_another_request(table, **values):
    """run_first_by_another_request for an INSERT of `values` into `table`; the list holds the row's primary key."""
    with run_first_by_another_request(f"INSERT INTO {table.name} ", table.insert().values(**values)) as done:
        yield done
        done[:] = [result.inserted_primary_key[0] for result in done]


def page_option_tokens(html):
    """{field name: {option html: token}} as a quiz page shows its options."""
    found = {}
    for name, token, option_html in re.findall(
            r'<input type="(?:radio|checkbox)" name="(q-[^"]+)" value="([^"]+)"[^>]*> <span>(.*?)</span></label>', html):
        found.setdefault(name, {})[option_html] = token
    return found


def answer_key_form(quiz, page=None, language="en", wrong=False, attempt=None):
    """Form data answering every question of `quiz` rightly (or every one wrongly).

    Options go by the opaque tokens of one attempt: read from its quiz `page` (HTML), or computed for
    `attempt` (inside an app context).
    """
    from app.services.quizzes import option_tokens

    assert page is not None or attempt is not None, "pass the quiz page or the attempt: option values are tokens"
    data = {}
    tokens = page_option_tokens(page) if page is not None else {}
    for question in quiz.versions[language].questions:
        name = "q-" + question.id
        if question.options:
            token_of = (option_tokens(attempt, question) if attempt is not None
                        else {o.id: tokens[name][o.html] for o in question.options})
            chosen = [token_of[o.id] for o in question.options if o.correct != wrong]
            data[name] = chosen[0] if question.kind == "single" else chosen
        elif question.kind == "truefalse":
            data[name] = "true" if question.answer != wrong else "false"
        else:
            value, tolerance = question.answer
            data[name] = str(value + (tolerance + 1000 if wrong else 0))
    return data


def check_option(page, question, option):
    """Tick `option` of `question` in a browser, found by its label: the values are opaque tokens."""
    text = html.unescape(re.sub(r"<[^>]+>", "", option.html)).strip()
    label = page.locator(f"fieldset[id='q-{question.id}'] label.choice", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))
    label.locator("input").check()


def answer_rightly(page, quiz):
    """Click the right answers, read from the course's answer key."""
    for question in quiz.versions["en"].questions:
        name = f"q-{question.id}"
        if question.kind in {"single", "multiple"}:
            for option in question.options:
                if option.correct:
                    check_option(page, question, option)
        elif question.kind == "truefalse":
            page.check(f"input[name='{name}'][value='{'true' if question.answer else 'false'}']")
        else:
            page.fill(f"input[name='{name}']", str(question.answer[0]))


class LiveServer:
    """The app served by a real threaded server on 127.0.0.1, for browser tests."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture
def live_server(tmp_path, courses_dir):
    app = create_app(make_config(tmp_path, courses_dir, WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
    with LiveServer(app) as server:
        yield server
    _teardown(app)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless, with no network chatter of its own."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture
def screenshot_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def two_organisations(app, make_user):
    """(A, B): two organisations' people and cohorts (tests/two_organisations.py), inside an app context."""
    from tests.two_organisations import build, load

    ids = build(app, make_user)
    with app.app_context():
        yield load(ids["a"], "tina"), load(ids["b"], "bruno")
