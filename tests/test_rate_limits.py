"""Rate limits shared by several workers through Redis, the production set-up."""
import os
import secrets

import pytest
import redis

from app import create_app
from app.extensions import db
from tests.conftest import make_config

REDIS_URL = os.environ.get("SOGLIA_TEST_REDIS_URL", "redis://127.0.0.1:6379")


def redis_available():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not redis_available() and not os.environ.get("CI"), reason="Redis is not reachable")
def test_two_workers_share_the_login_limit(tmp_path, courses_dir):
    config = make_config(tmp_path, courses_dir, RATELIMIT_STORAGE_URI=REDIS_URL,
                         RATELIMIT_KEY_PREFIX="soglia-test-" + secrets.token_hex(4),
                         LOGIN_FAILURES_PER_ADDRESS="3 per minute")
    apps = [create_app(config), create_app(config)]
    with apps[0].app_context():
        db.create_all()
    workers = [app.test_client() for app in apps]
    codes = [workers[i % 2].post("/account/login", data={"username": "x", "password": "y"}).status_code
             for i in range(4)]
    assert codes == [200, 200, 200, 429]


def _counted_limiter_calls(monkeypatch):
    """Every look-up of a route's limits and every call to the rate-limiting strategy (so to the storage)."""
    from app.extensions import limiter

    calls = []
    for owner, name in ((limiter.limit_manager, "resolve_limits"), (limiter.limiter, "hit"), (limiter.limiter, "test"),
                        (limiter.limiter, "get_window_stats")):
        original = getattr(owner, name)
        monkeypatch.setattr(owner, name, lambda *args, _name=name, _original=original, **kwargs: (
            calls.append(_name), _original(*args, **kwargs))[1])
    return calls


def test_routes_without_a_limit_never_reach_the_limiter(client, auth, monkeypatch):
    auth.as_new_user()
    calls = _counted_limiter_calls(monkeypatch)
    for url in ["/ping", "/", "/courses/sample-course", "/courses/sample-course/basics/welcome", "/my-learning",
                "/no/such/page", "/static/style.css", "/verify/issuer.json"]:
        response = client.get(url)
        assert "X-RateLimit-Limit" not in response.headers, url
        response.close()
    assert calls == []
    assert client.get("/verify/SGL-0000-0000-0000-0000-0000").status_code == 404
    assert {"resolve_limits", "hit"} <= set(calls)
    assert "X-RateLimit-Limit" in client.get("/verify/SGL-0000-0000-0000-0000-0000").headers


def test_limited_routes_still_refuse_at_their_limits(tmp_path, courses_dir):
    app = create_app(make_config(tmp_path, courses_dir, VERIFY_RATE_LIMIT="2 per minute",
                                 REGISTER_RATE_LIMIT="1 per hour", LOGIN_FAILURES_PER_ADDRESS="2 per minute"))
    with app.app_context():
        db.create_all()
    client = app.test_client()
    code = "/verify/SGL-0000-0000-0000-0000-0000"
    assert [client.get(code).status_code for _ in range(3)] == [404, 404, 429]
    assert [client.post("/account/login", data={"username": "x", "password": "y"}).status_code
            for _ in range(3)] == [200, 200, 429]
    registration = {"display_name": "Amina", "password": "long enough password", "confirm": "long enough password",
                    "locale": "en", "track": "entrepreneur", "accept_notice": "y"}
    # only an account made counts: the first shows its recovery codes, the second is refused
    assert client.post("/account/register", data={**registration, "username": "amina"}).status_code == 200
    assert client.post("/account/register", data={**registration, "username": "bilal"}).status_code == 429
    assert client.get("/ping").status_code == 200  # the other routes stay open
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_default_limit_still_covers_every_route(tmp_path, courses_dir):
    from app.extensions import limiter

    try:
        app = create_app(make_config(tmp_path, courses_dir, RATELIMIT_DEFAULT="2 per minute"))
        client = app.test_client()
        assert [client.get("/ping").status_code for _ in range(3)] == [200, 200, 429]
    finally:
        limiter.limit_manager.set_default_limits([])  # the limiter is shared by every app of this process


def test_an_app_with_rate_limits_turned_off_starts_and_never_refuses(tmp_path, courses_dir):
    app = create_app(make_config(tmp_path, courses_dir, RATELIMIT_ENABLED=False, VERIFY_RATE_LIMIT="2 per minute",
                                 LOGIN_FAILURES_PER_ADDRESS="2 per minute"))
    with app.app_context():
        db.create_all()
    client = app.test_client()
    assert {client.get("/verify/SGL-0000-0000-0000-0000-0000").status_code for _ in range(4)} == {404}
    assert {client.post("/account/login", data={"username": "x", "password": "y"}).status_code
            for _ in range(4)} == {200}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
