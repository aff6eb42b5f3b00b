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
