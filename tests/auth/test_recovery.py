"""Recovery without a trainer: recovery codes (hashed, single use) and email reset links (expiring, single use)."""
import logging
import re

import pytest
from sqlalchemy import select

from app.auth.models import RecoveryCode
from app.extensions import db
from app.models import User

CODE = re.compile(r"<code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code>")


def codes_in(response):
    return CODE.findall(response.get_data(as_text=True))


def recover(client, code, username="amina", password="a brand new password"):
    return client.post("/account/recover", data={"username": username, "code": code, "password": password,
                                                 "confirm": password})


def test_registration_shows_ten_codes_once_and_stores_only_hashes(app, auth):
    response = auth.register(username="amina")
    codes = codes_in(response)
    assert len(set(codes)) == 10 and response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not any(code in h or code.replace("-", "") in h for code in codes for h in stored)


def test_a_code_sets_a_new_password_once(app, client, auth):
    codes = codes_in(auth.register(username="amina"))
    auth.logout()
    response = recover(client, codes[3].upper().replace("-", " "))  # typed in capitals with spaces
    assert response.status_code == 302
    assert "9 recovery codes left" in client.get(response.headers["Location"]).get_data(as_text=True)
    auth.logout()
    assert auth.login("amina", "a brand new password").status_code == 302
    auth.logout()
    again = recover(client, codes[3], password="yet another password")
    assert again.status_code == 200 and "already used" in again.get_data(as_text=True)
    assert auth.login("amina", "yet another password").status_code == 200


def test_a_code_of_another_account_does_not_work(client, auth):
    codes = codes_in(auth.register(username="amina"))
    auth.logout()
    auth.register(username="samir")
    auth.logout()
    assert recover(client, codes[0], username="samir").status_code == 200
    assert auth.login("samir", "a brand new password").status_code == 200


def test_new_codes_replace_the_old_ones(client, auth):
    old = codes_in(auth.register(username="amina"))
    new = codes_in(client.post("/account/recovery-codes"))
    assert len(new) == 10 and not set(new) & set(old)
    auth.logout()
    assert recover(client, old[0]).status_code == 200
    assert recover(client, new[0]).status_code == 302


def reset_link(caplog):
    found = re.findall(r"http://localhost(/account/reset/\S+)", caplog.text)
    return found[-1] if found else None


def test_a_reset_link_is_printed_to_the_log_and_works_once(app, client, make_user, caplog):
    user_id = make_user("amina")
    with app.app_context():
        db.session.get(User, user_id).email = "amina@example.org"
        db.session.commit()
    caplog.set_level(logging.WARNING)
    response = client.post("/account/reset", data={"email": "Amina@Example.org"})
    assert response.status_code == 302
    link = reset_link(caplog)
    assert link and "To: amina@example.org" in caplog.text
    assert client.post(link, data={"password": "a reset password", "confirm": "a reset password"}).status_code == 302
    client.post("/account/logout")
    reused = client.post(link, data={"password": "a second password", "confirm": "a second password"})
    assert reused.headers["Location"] == "/account/reset"
    assert client.post("/account/login", data={"username": "amina", "password": "a reset password"}).status_code == 302


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, caplog):
    caplog.set_level(logging.WARNING)
    response = client.post("/account/reset", data={"email": "nobody@example.org"})
    assert response.status_code == 302 and reset_link(caplog) is None


def test_a_reset_link_expires(app, client, make_user, caplog, monkeypatch):
    user_id = make_user("amina")
    with app.app_context():
        db.session.get(User, user_id).email = "amina@example.org"
        db.session.commit()
    caplog.set_level(logging.WARNING)
    client.post("/account/reset", data={"email": "amina@example.org"})
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert client.get(reset_link(caplog)).headers["Location"] == "/account/reset"


@pytest.mark.parametrize("token", ["garbage", "W1sxLCJ4Il0", "x" * 300])
def test_a_forged_reset_link_is_refused(client, token):
    assert client.get(f"/account/reset/{token}").status_code == 302


def test_with_a_mail_server_the_link_is_sent_by_smtp(app, client, make_user, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            sent.append(("starttls",))

        def login(self, username, password):
            sent.append(("login", username, password))

        def send_message(self, message):
            sent.append(("send", message["To"], message.get_content()))

    monkeypatch.setattr("app.auth.mail.smtplib.SMTP", FakeSMTP)
    app.config.update(MAIL_SERVER="smtp.example.org", MAIL_USERNAME="soglia", MAIL_PASSWORD="pw",
                      MAIL_SENDER="learn@example.org")
    user_id = make_user("amina")
    with app.app_context():
        db.session.get(User, user_id).email = "amina@example.org"
        db.session.commit()
    client.post("/account/reset", data={"email": "amina@example.org"})
    assert sent[:3] == [("connect", "smtp.example.org", 587), ("starttls",), ("login", "soglia", "pw")]
    assert sent[3][1] == "amina@example.org" and "/account/reset/" in sent[3][2]
