"""A database outage shows a 503 page, to visitors and logged-in users alike, and passes by itself."""
import sqlite3

import psycopg
import pytest
from sqlalchemy import event

from app.extensions import db
from tests.conftest import AuthActions


class Outage:
    """Refuse every new database connection while `down` is true (and drop the pooled ones)."""

    def __init__(self, app):
        self.app, self.down = app, False
        with app.app_context():
            self.engine = db.engine
            self.error = sqlite3.OperationalError if self.engine.dialect.name == "sqlite" else psycopg.OperationalError
        event.listen(self.engine, "do_connect", self._connect)

    def _connect(self, *args):
        if self.down:
            raise self.error("connection refused (test outage)")

    def start(self):
        self.down = True
        self.engine.dispose()

    def end(self):
        self.down = False


@pytest.fixture
def outage(any_db_app):
    found = Outage(any_db_app)
    yield found
    found.end()


@pytest.mark.parametrize("url", ["/", "/account/profile", "/courses/sample-course", "/no/such/page"])
def test_a_logged_in_user_gets_a_503_page_then_it_recovers(any_db_app, outage, make_user, url):
    client = any_db_app.test_client()
    AuthActions(client, lambda *a, **k: make_user(*a, target_app=any_db_app, **k)).as_new_user("amina")
    outage.start()
    response = client.get(url)
    body = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "not available for a moment" in body and "Log in" in body  # rendered as a visitor, without the database
    outage.end()
    assert client.get("/account/profile").status_code == 200  # still logged in: the session was not lost


def test_a_visitor_posting_a_form_gets_a_503(any_db_app, outage):
    outage.start()
    response = any_db_app.test_client().post("/account/login", data={"username": "x", "password": "y"})
    assert response.status_code == 503
    outage.end()
    assert any_db_app.test_client().post("/account/login", data={"username": "x", "password": "y"}).status_code == 200


def test_health_check_reports_the_outage(any_db_app, outage):
    outage.start()
    assert any_db_app.test_client().get("/healthz").status_code == 503
