"""Logging out ends the session on the server: a copied cookie, or the remember-me cookie, stops working."""
from datetime import timedelta

from sqlalchemy import select

from app.auth.models import LoginSession
from app.extensions import db
from app.models.base import utcnow
from tests.conftest import PASSWORD


def copy_cookies(source, target):
    for cookie in source._cookies.values():
        target.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)


def test_a_copied_session_cookie_fails_after_logout(app, client, auth):
    auth.as_new_user("amina")
    thief = app.test_client()
    copy_cookies(client, thief)
    assert thief.get("/account/profile").status_code == 200  # the copy works while the session lives
    auth.logout()
    assert thief.get("/account/profile").status_code == 302


def test_a_copied_remember_cookie_fails_after_logout(app, client, make_user):
    make_user("amina")
    client.post("/account/login", data={"username": "amina", "password": PASSWORD, "remember": "y"})
    remember = client.get_cookie("remember_token")
    assert remember is not None
    assert remember.expires - utcnow() <= timedelta(days=30, minutes=1)
    assert remember.expires - utcnow() > timedelta(days=29)
    thief = app.test_client()
    thief.set_cookie("remember_token", remember.value)
    assert thief.get("/account/profile").status_code == 200  # remember-me restores a session
    client.post("/account/logout")
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember.value)
    assert fresh.get("/account/profile").status_code == 302


def test_log_out_everywhere_ends_every_device(app, client, auth):
    auth.as_new_user("amina")
    phone = app.test_client()
    phone.post("/account/login", data={"username": "amina", "password": PASSWORD})
    assert "logged in on 2 devices" in client.get("/account/profile").get_data(as_text=True)
    response = client.post("/account/logout-everywhere")
    assert response.status_code == 302
    assert phone.get("/account/profile").status_code == 302
    assert client.get("/account/profile").status_code == 302


def test_changing_the_password_ends_the_other_sessions_only(app, client, auth):
    auth.as_new_user("amina")
    phone = app.test_client()
    phone.post("/account/login", data={"username": "amina", "password": PASSWORD})
    client.post("/account/password", data={"current": PASSWORD, "password": "a new password",
                                           "confirm": "a new password"})
    assert client.get("/account/profile").status_code == 200
    assert phone.get("/account/profile").status_code == 302


def test_an_idle_session_expires_on_the_server(app, client, auth):
    auth.as_new_user("amina")
    with app.app_context():
        for row in db.session.scalars(select(LoginSession)):
            row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get("/account/profile").status_code == 302


def test_the_database_keeps_only_a_hash_of_the_session_key(app, client, auth):
    auth.as_new_user("amina")
    with app.app_context():
        stored = db.session.scalar(select(LoginSession.key_hash))
    with client.session_transaction() as session:
        key = session["_user_id"].split(":")[1]
    assert key not in stored and len(stored) == 64
