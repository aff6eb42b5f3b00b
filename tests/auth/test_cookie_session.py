"""The signed session cookie, checked once per process: the same rules as Flask's own on every later request."""
import time

from flask import session


def _known_cookie(client):
    """The client's session cookie, after a request that read it (so its signature is checked and kept)."""
    assert client.get("/my-learning").status_code == 200
    cookie = client.get_cookie("session").value
    assert client.get("/my-learning").status_code == 200
    assert client.get_cookie("session").value == cookie, "the cookie is stable between requests"
    return cookie


def _session_of(app, cookie):
    with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
        return dict(session)


def test_a_known_cookie_reads_back_the_same_session_and_is_not_shared_between_requests(app, client, auth):
    auth.as_new_user()
    cookie = _known_cookie(client)
    with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
        first = dict(session)
        session["scribble"] = "x"  # changing one request's session leaves the kept values alone
    assert _session_of(app, cookie) == first and "_user_id" in first


def test_a_tampered_cookie_is_an_empty_session(app, client, auth):
    auth.as_new_user()
    cookie = _known_cookie(client)
    tampered = cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")
    assert _session_of(app, tampered) == {}


def test_a_kept_cookie_still_expires(app, client, auth, monkeypatch):
    auth.as_new_user()
    cookie = _known_cookie(client)
    assert _session_of(app, cookie)
    later = time.time() + app.permanent_session_lifetime.total_seconds() + 5
    monkeypatch.setattr(time, "time", lambda: later)
    assert _session_of(app, cookie) == {}


def test_a_kept_cookie_stops_working_when_the_secret_key_changes(app, client, auth):
    auth.as_new_user()
    cookie = _known_cookie(client)
    assert _session_of(app, cookie)
    app.secret_key = "another-secret"
    assert _session_of(app, cookie) == {}


def test_sessions_with_flash_messages_are_read_afresh(app, client, auth):
    auth.as_new_user()
    with client.session_transaction() as changed:
        changed["_flashes"] = [("info", "hello")]
    cookie = client.get_cookie("session").value
    assert _session_of(app, cookie)["_flashes"] == [("info", "hello")]
    assert cookie not in app.session_interface._verified
