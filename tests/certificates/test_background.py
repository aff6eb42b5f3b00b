"""Certificate PDFs rendered by a background job after completion: in the app's own process without Redis, by an RQ
worker with it; the download then reads the cache, waits briefly, or says the PDF is being prepared."""
import os
import secrets

import pytest
import redis
from flask.testing import FlaskClient
from rq import SimpleWorker

from app import create_app
from app.certificates import background
from app.certificates import pdf as pdf_module
from app.extensions import db
from app.jobs import FAILED, get_jobs
from app.models import Certificate, User
from app.services.certificates import format_code, issue_certificate
from tests.certificates.conftest import complete_course
from tests.conftest import PASSWORD, make_config

REDIS_URL = os.environ.get("SOGLIA_TEST_JOBS_REDIS_URL", "redis://127.0.0.1:6379/3")


def redis_available():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not redis_available() and not os.environ.get("CI"), reason="Redis is not reachable")


class ServerLikeClient(FlaskClient):
    """Closes every response once read, as a WSGI server does after sending it (which runs after-response jobs)."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        response.get_data()
        response.close()
        return response


def count_renders(monkeypatch):
    calls = []
    real_render = pdf_module.render_pdf

    def render(*args):
        calls.append(args[0].code)
        return real_render(*args)

    monkeypatch.setattr(pdf_module, "render_pdf", render)
    return calls


def forbid_renders(monkeypatch):
    def render(*_args):
        raise AssertionError("rendered inside the download request")

    monkeypatch.setattr(pdf_module, "render_pdf", render)


def download(client, code, query=""):
    """The certificate download, read and closed (a PDF streams from its cached file)."""
    with client.get(f"/certificates/{code}.pdf{query}") as response:
        response.get_data()
    return response


def finish_course(app, client):
    client.post("/account/login", data={"username": "amina", "password": PASSWORD})
    complete_course(client, app.extensions["soglia.catalog"].course("sample-course"))
    with app.app_context():
        return format_code(db.session.scalar(db.select(Certificate.code)))


def test_without_redis_the_pdf_is_rendered_after_the_completing_response_and_then_served_from_the_cache(
        app, make_user, monkeypatch):
    app.test_client_class = ServerLikeClient
    make_user("amina")
    renders = count_renders(monkeypatch)
    code = finish_course(app, app.test_client())
    assert renders == [code.replace("-", "")[3:]]  # once, right after the response that completed the course
    forbid_renders(monkeypatch)
    client = app.test_client()
    client.post("/account/login", data={"username": "amina", "password": PASSWORD})
    response = download(client, code)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_without_redis_a_job_that_never_ran_is_rendered_on_demand(app, client, make_user, monkeypatch):
    make_user("amina")
    renders = count_renders(monkeypatch)
    code = finish_course(app, client)  # the test client never closes its responses: no job ran
    assert renders == []
    response = download(client, code)
    assert response.status_code == 200 and response.data.startswith(b"%PDF") and len(renders) == 1


def test_without_redis_a_failed_job_is_logged_and_the_pdf_rendered_on_demand(app, make_user, monkeypatch, caplog):
    app.test_client_class = ServerLikeClient
    make_user("amina")

    def broken(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(pdf_module, "render_pdf", broken)
    code = finish_course(app, app.test_client())
    assert "failed" in caplog.text and "disk full" in caplog.text
    key = background.job_id(code.replace("-", "")[3:])
    with app.app_context():
        assert get_jobs().status(key) == FAILED
    monkeypatch.undo()
    renders = count_renders(monkeypatch)
    client = app.test_client()
    client.post("/account/login", data={"username": "amina", "password": PASSWORD})
    response = download(client, code)
    assert response.status_code == 200 and response.data.startswith(b"%PDF") and len(renders) == 1


@pytest.fixture
def redis_app(tmp_path, courses_dir):
    """The app with its jobs on a throw-away RQ queue in Redis."""
    queue = "soglia-test-" + secrets.token_hex(4)
    app = create_app(make_config(tmp_path, courses_dir, JOBS_REDIS_URL=REDIS_URL, JOBS_QUEUE=queue,
                                 CERTIFICATE_PDF_WAIT=0.2, CERTIFICATE_PDF_DIR=str(tmp_path / "pdfs"),
                                 PUBLIC_BASE_URL="http://localhost"))
    with app.app_context():
        db.create_all()
    yield app
    connection = redis.Redis.from_url(REDIS_URL)
    with app.app_context():  # only this test's jobs: tests in other xdist workers use the same Redis database
        codes = db.session.scalars(db.select(Certificate.code)).all()
    keys = connection.keys(f"rq:*{queue}*") + [key for code in codes
                                                for key in connection.keys(f"rq:*:certificate-pdf-{code}-*")]
    if keys:
        connection.delete(*keys)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def run_worker(app):
    """Run every queued job in this process, as `flask jobs worker --burst` does; the ids of the jobs finished."""
    with app.app_context():
        queue = get_jobs().queue()
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
        assert queue.count == 0
        return queue.finished_job_registry.get_job_ids()


@needs_redis
def test_with_redis_a_double_completion_queues_one_job_and_the_download_waits_for_the_worker(
        redis_app, make_user, monkeypatch):
    make_user("amina", target_app=redis_app)
    client = redis_app.test_client()
    code = finish_course(redis_app, client)
    course = redis_app.extensions["soglia.catalog"].course("sample-course")
    last = course.items[-1]
    client.post(f"/courses/{course.slug}/{last.module_slug}/{last.slug}/done")  # done again: nothing new
    complete_course(client, course)
    with redis_app.app_context():
        assert get_jobs().queue().count == 1

    forbid_renders(monkeypatch)
    preparing = download(client, code)
    assert preparing.status_code == 202 and preparing.headers["Retry-After"] == "3"
    html = preparing.get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="3">' in html and 'role="status"' in html
    assert "being prepared" in html and f'href="/certificates/{code}.pdf"' in html
    with redis_app.app_context():
        assert get_jobs().queue().count == 1  # the wait queued nothing more

    monkeypatch.undo()
    renders = count_renders(monkeypatch)
    assert run_worker(redis_app) == [background.job_id(code.replace("-", "")[3:])] and len(renders) == 1
    forbid_renders(monkeypatch)
    response = download(client, code)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


@needs_redis
def test_with_redis_a_pdf_nobody_queued_is_queued_by_the_download(redis_app, issue, auth, monkeypatch):
    code = issue(target_app=redis_app)  # issued outside a request: queued with the configured public address
    with redis_app.app_context():
        queue = get_jobs().queue()
        assert queue.count == 1
        queue.empty()
    client = redis_app.test_client()
    client.post("/account/login", data={"username": "amina", "password": PASSWORD})
    assert download(client, code, "?language=it").status_code == 202
    with redis_app.app_context():
        assert [job.id for job in get_jobs().queue().jobs] == [background.job_id(code.replace("-", "")[3:], ("it",))]
    result = redis_app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    with redis_app.app_context():
        assert get_jobs().queue().finished_job_registry.get_job_ids() == [
            background.job_id(code.replace("-", "")[3:], ("it",))]
    forbid_renders(monkeypatch)
    assert download(client, code, "?language=it").status_code == 200


@needs_redis
def test_a_certificate_is_queued_only_when_its_transaction_commits(redis_app, make_user):
    amina, bilal = make_user("amina", target_app=redis_app), make_user("bilal", target_app=redis_app)
    with redis_app.app_context():
        queue, course = get_jobs().queue(), redis_app.extensions["soglia.catalog"].course("sample-course")
        issue_certificate(db.session.get(User, amina), course, "NGO")  # flushed in a savepoint
        assert queue.count == 0
        db.session.rollback()
        assert queue.count == 0
        code = issue_certificate(db.session.get(User, bilal), course, "NGO").code
        assert queue.count == 0
        db.session.commit()
        assert [job.id for job in queue.jobs] == [background.job_id(code)]  # Bilal's only: Amina's was rolled back


def test_the_worker_command_needs_a_queue_server(app):
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 1 and "SOGLIA_JOBS_REDIS_URL" in result.output


def test_with_redis_unreachable_the_pdf_is_rendered_on_demand(tmp_path, courses_dir, make_user, monkeypatch):
    app = create_app(make_config(tmp_path, courses_dir, JOBS_REDIS_URL="redis://127.0.0.1:1/0",
                                 CERTIFICATE_PDF_DIR=str(tmp_path / "pdfs"), PUBLIC_BASE_URL="http://localhost"))
    with app.app_context():
        db.create_all()
    make_user("amina", target_app=app)
    client = app.test_client()
    code = finish_course(app, client)
    response = download(client, code)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
