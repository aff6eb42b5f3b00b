"""Accounts: register, log in and out, profile, password; and the bad input around them."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.models.user import MAX_PASSWORD_LENGTH

from tests.conftest import PASSWORD, make_config


def get_user(app, username):
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def test_register_creates_the_account_and_logs_in(client, auth, app):
    response = auth.register(username="Samir", display_name="  Samīr   Al-Ḥaddād ", email="")
    assert response.status_code == 200 and "Recovery codes" in response.get_data(as_text=True)
    user = get_user(app, "samir")
    assert user.display_name == "Samīr Al-Ḥaddād" and user.email is None and user.role == "learner"
    assert user.password_hash.startswith("pbkdf2:") and PASSWORD not in user.password_hash
    assert "Samīr Al-Ḥaddād" in client.get("/account/profile").get_data(as_text=True)


def test_register_accepts_arabic_name_and_optional_email(client, auth, app):
    assert auth.register(username="layla", display_name="ليلى حداد", email="Layla@Example.org").status_code == 200
    user = get_user(app, "layla")
    assert user.display_name == "ليلى حداد" and user.email == "layla@example.org"


def test_production_hashing_is_scrypt(app):
    from app.config import DefaultConfig

    user = User(username="x", display_name="x")
    user.set_password("long enough", method=DefaultConfig.PASSWORD_HASH_METHOD)
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("long enough") and not user.check_password("wrong")


def test_duplicate_username_is_refused_case_insensitively(client, auth):
    auth.register(username="amina")
    auth.logout()
    response = auth.register(username="AMINA")
    assert response.status_code == 200
    assert "This username is taken" in response.get_data(as_text=True)


def test_duplicate_email_is_refused(client, auth):
    auth.register(username="one", email="a@example.org")
    auth.logout()
    response = auth.register(username="two", email="A@example.org")
    assert "Another account uses this email address" in response.get_data(as_text=True)


@pytest.mark.parametrize("field, value", [
    ("display_name", "x" * 121), ("username", "u" * 41), ("email", "a" * 250 + "@x.org"),
    ("password", "p" * (MAX_PASSWORD_LENGTH + 1)), ("username", "bad name!"), ("password", "short"),
    ("locale", "xx"), ("track", "tourist"),
])
def test_over_long_and_bad_fields_are_refused(client, auth, app, field, value):
    data = {field: value}
    if field == "password":
        data["confirm"] = value
    response = auth.register(username="valid", **data) if field != "username" else auth.register(**{"username": value})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True) or "Not a valid choice" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.id)) is None


def test_wrong_password_and_unknown_user_get_the_same_message(client, make_user):
    make_user("amina")
    wrong = client.post("/account/login", data={"username": "amina", "password": "nope"}).get_data(as_text=True)
    unknown = client.post("/account/login", data={"username": "ghost", "password": "nope"}).get_data(as_text=True)
    assert "Wrong username or password." in wrong and "Wrong username or password." in unknown
    assert client.get("/account/profile").status_code == 302


def test_login_then_logout(client, auth):
    auth.as_new_user("amina")
    assert client.get("/account/profile").status_code == 200
    assert client.get("/account/logout").status_code == 405  # POST only
    auth.logout()
    assert client.get("/account/profile").status_code == 302


@pytest.mark.parametrize("target, expected", [
    ("/my-learning", "/my-learning"), ("https://evil.example/", "/"), ("//evil.example", "/"),
    ("/\\evil.example", "/"), ("javascript:alert(1)", "/"),
])
def test_next_redirects_stay_on_the_site(client, make_user, target, expected):
    make_user("amina")
    response = client.post("/account/login", query_string={"next": target},
                           data={"username": "amina", "password": PASSWORD})
    assert response.headers["Location"] == expected


def test_changing_the_password_ends_other_sessions(app, auth, make_user):
    make_user("amina")
    other = app.test_client()
    other.post("/account/login", data={"username": "amina", "password": PASSWORD})
    assert other.get("/account/profile").status_code == 200
    auth.login("amina")
    response = auth._client.post("/account/password", data={
        "current": PASSWORD, "password": "a new password", "confirm": "a new password"})
    assert response.status_code == 302
    assert auth._client.get("/account/profile").status_code == 200  # this session goes on
    assert other.get("/account/profile").status_code == 302  # the other one is over
    auth.logout()
    assert auth.login("amina", "a new password").status_code == 302


def test_password_change_needs_the_current_password(client, auth):
    auth.as_new_user("amina")
    response = client.post("/account/password", data={"current": "wrong", "password": "x" * 10, "confirm": "x" * 10})
    assert "This is not your current password." in response.get_data(as_text=True)


def test_profile_update(client, auth, app):
    auth.as_new_user("amina")
    response = client.post("/account/profile", data={"display_name": "Amina H.", "email": "", "locale": "ar",
                                                     "track": "operator"})
    assert response.status_code == 302
    user = get_user(app, "amina")
    assert (user.display_name, user.locale, user.track) == ("Amina H.", "ar", "operator")
    assert 'dir="rtl"' in client.get("/account/profile").get_data(as_text=True)


def test_login_is_throttled(tmp_path, courses_dir, make_user):
    from app import create_app

    app = create_app(make_config(tmp_path, courses_dir, LOGIN_FAILURES_PER_ADDRESS="3 per minute"))
    with app.app_context():
        db.create_all()
    client = app.test_client()
    codes = [client.post("/account/login", data={"username": "x", "password": "y"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "Too many attempts" in client.post("/account/login", data={}).get_data(as_text=True)


def test_create_admin_command(runner, app):
    result = runner.invoke(args=["users", "create-admin", "--username", "boss", "--name", "Boss",
                                 "--password", "secret-password"])
    assert result.exit_code == 0, result.output
    assert get_user(app, "boss").role == "admin"
    again = runner.invoke(args=["users", "create-admin", "--username", "boss", "--name", "B",
                                "--password", "secret-password"])
    assert again.exit_code != 0 and "UsernameTaken" in again.output


def test_profile_refuses_an_email_another_account_uses(client, auth, app):
    auth.register(username="one", email="a@example.org")
    auth.logout()
    auth.register(username="two")
    response = client.post("/account/profile", data={"display_name": "Two", "email": "A@example.org",
                                                     "locale": "en", "track": "operator"})
    assert "Another account uses this email address." in response.get_data(as_text=True)
    assert get_user(app, "two").email is None and get_user(app, "two").track == "entrepreneur"
