"""Odd input never gives a 500 nor stores bad data: NUL, Unicode that grows, foreign digits, control characters."""
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import QuizAttempt, User
from tests.conftest import PASSWORD, AuthActions

QUIZ = "/courses/sample-course/numbers/check"


@pytest.fixture
def db_client(any_db_app, make_user):
    client = any_db_app.test_client()
    return any_db_app, client, AuthActions(client, lambda *a, **k: make_user(*a, target_app=any_db_app, **k))


def stored_user(app, username):
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def test_nul_in_the_login_username_is_stripped(db_client):
    _app, client, auth = db_client
    auth._make_user("amina")
    response = client.post("/account/login", data={"username": "ami\x00na", "password": PASSWORD})
    assert response.status_code == 302


def test_nul_in_the_display_name_is_stripped(db_client):
    app, client, auth = db_client
    assert auth.register(username="samir", display_name="Sa\x00mir").status_code == 200
    assert stored_user(app, "samir").display_name == "Samir"
    client.post("/account/profile", data={"display_name": "Sa\x00mir B", "locale": "en", "track": "operator"})
    assert stored_user(app, "samir").display_name == "Samir B"


def test_a_nul_in_any_field_or_query_is_no_500(db_client):
    _app, client, auth = db_client
    auth.as_new_user("amina", role="admin")
    for url in ("/verify?code=\x00", "/?lang=\x00", "/account/login?next=/\x00"):
        assert client.get(url).status_code < 500
    assert client.post("/account/reset", data={"email": "a\x00@example.org"}).status_code < 500


@pytest.mark.parametrize("field, value", [
    ("username", "\ufdfa" * 3),  # one character that NFKC turns into 18
    ("display_name", "\ufb2c" * 100),  # grows under NFC (Hebrew presentation forms)
    ("display_name", "x" * 119 + "\u0958"),  # decomposes under NFC: 121 characters
])
def test_names_that_grow_past_their_column_after_normalisation_are_refused(db_client, field, value):
    app, _client, auth = db_client
    data = {"username": "valid", "display_name": "Valid Name", field: value}
    response = auth.register(**data)
    assert response.status_code == 200 and 'aria-invalid="true"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.id)) is None


def open_numeric_quiz(client):
    html = client.get(QUIZ).get_data(as_text=True)
    return re.search(r'name="attempt" value="(\d+)"', html).group(1)


@pytest.mark.parametrize("typed", ["፩፩", "１0", "፲", "١٠"])
def test_foreign_digits_in_a_numeric_answer(client, auth, typed):
    auth.as_new_user("tigist")
    attempt = open_numeric_quiz(client)
    response = client.post(QUIZ + "/submit", data={"attempt": attempt, "q-simple-interest": typed})
    if typed in ("١٠", "１0"):  # Arabic-Indic and full-width digits are read
        assert response.status_code == 302
    else:  # Ethiopic digits and superscripts: a clear message, not a 500
        assert response.status_code == 422
        assert "Please type the number with the digits 0 to 9." in response.get_data(as_text=True)


@pytest.mark.parametrize("attempt", ["²", "١", "-1", "99999999999999999999"])
def test_odd_attempt_numbers_get_a_fresh_form(app, client, auth, attempt):
    auth.as_new_user("tigist")
    open_numeric_quiz(client)
    response = client.post(QUIZ + "/submit", data={"attempt": attempt, "q-simple-interest": "10"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(QuizAttempt.submitted_at)) is None


@pytest.mark.parametrize("target, expected", [
    ("/%0D%0ASet-Cookie:%20x=1", "/"), ("/%0d%0aX:%20y", "/"), ("/a%0Ab", "/"),
    ("/courses%0A", "/courses"),  # outer white space is trimmed
    ("/%00x", "/x"),  # NUL is dropped from every input
])
def test_a_line_break_in_next_at_registration_is_ignored(client, auth, target, expected):
    response = client.post("/account/register?next=" + target, data={
        "display_name": "Amina", "username": "amina", "password": PASSWORD, "confirm": PASSWORD, "locale": "en",
        "track": "entrepreneur", "accept_notice": "y"})
    assert response.status_code == 200
    assert f'class="button continue" href="{expected}"' in response.get_data(as_text=True)
    auth.logout()
    response = client.post("/account/login?next=" + target, data={"username": "amina", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == expected


def test_a_good_next_is_kept_at_registration(client):
    response = client.post("/account/register?next=/courses/sample-course", data={
        "display_name": "Amina", "username": "amina", "password": PASSWORD, "confirm": PASSWORD, "locale": "en",
        "track": "entrepreneur", "accept_notice": "y"})
    assert 'class="button continue" href="/courses/sample-course"' in response.get_data(as_text=True)
