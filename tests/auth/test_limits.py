"""Rate limits that protect without locking everyone out: failures per account and per address, behind proxies."""
import pytest

from app import create_app
from app.extensions import db
from app.privacy import operations as privacy_operations
from app.services import accounts
from tests.conftest import FAST_HASH, PASSWORD, make_config


@pytest.fixture
def limited(tmp_path, courses_dir):
    """An app with small limits; `limited(**config)` returns (app, client)."""

    def factory(**extra):
        config = {"LOGIN_FAILURES_PER_ACCOUNT": "3 per minute", "LOGIN_FAILURES_PER_ADDRESS": "5 per minute", **extra}
        app = create_app(make_config(tmp_path, courses_dir, **config))
        with app.app_context():
            db.create_all()
        return app, app.test_client()

    return factory


def add_users(app, *names):
    with app.app_context():
        for name in names:
            user = accounts.create_user(username=name, display_name=name, password=PASSWORD,
                                        hash_method=FAST_HASH)
            privacy_operations.accept_notice(user)
        db.session.commit()


def login(client, username, password="wrong password", address="10.0.0.1", headers=None):
    return client.post("/account/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers or {}).status_code


def test_failed_logins_are_limited_per_account_from_any_address(limited):
    app, client = limited()
    add_users(app, "amina", "samir")
    codes = [login(client, "amina", address=f"10.0.0.{i}") for i in range(4)]
    assert codes == [200, 200, 200, 429]
    assert login(client, "AMINA", address="10.9.9.9") == 429  # the account, however it is typed
    assert login(client, "samir", address="10.0.0.1") == 200  # other accounts are not affected


def test_failed_logins_are_limited_per_address_across_accounts(limited):
    _app, client = limited()
    codes = [login(client, f"user{i}", address="10.0.0.7") for i in range(6)]
    assert codes == [200] * 5 + [429]
    assert login(client, "user9", address="10.0.0.8") == 200


def test_a_class_behind_one_address_can_all_log_in(limited):
    app, _ = limited(LOGIN_FAILURES_PER_ADDRESS="3 per minute")
    names = [f"learner{i}" for i in range(11)]
    add_users(app, *names)
    codes = [login(app.test_client(), name, PASSWORD, address="192.0.2.1") for name in names]
    assert codes == [302] * 11


def test_behind_a_trusted_proxy_each_client_address_counts_apart(limited):
    _app, client = limited(TRUSTED_PROXIES=1)
    for i in range(5):
        assert login(client, f"u{i}", address="127.0.0.1", headers={"X-Forwarded-For": "203.0.113.5"}) == 200
    assert login(client, "u9", address="127.0.0.1", headers={"X-Forwarded-For": "203.0.113.5"}) == 429
    assert login(client, "u9", address="127.0.0.1", headers={"X-Forwarded-For": "203.0.113.6"}) == 200


def test_without_trusted_proxies_a_forged_forwarded_header_changes_nothing(limited):
    _app, client = limited()
    codes = [login(client, f"u{i}", headers={"X-Forwarded-For": f"198.51.100.{i}"}) for i in range(6)]
    assert codes[-1] == 429


def test_registration_is_limited_per_address(limited):
    app, _client = limited(REGISTER_RATE_LIMIT="2 per hour")

    def register(name):
        fresh = app.test_client()
        return fresh.post("/account/register", data={
            "display_name": name, "username": name, "password": PASSWORD, "confirm": PASSWORD, "locale": "en",
            "track": "entrepreneur", "accept_notice": "y"}, environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code

    assert [register("one"), register("two"), register("three")] == [200, 200, 429]


def test_failed_recovery_attempts_are_limited(limited):
    app, client = limited()
    add_users(app, "amina")
    data = {"username": "amina", "code": "aaaa-bbbb-cccc", "password": "new password", "confirm": "new password"}
    codes = [client.post("/account/recover", data=data, environ_base={"REMOTE_ADDR": f"10.2.0.{i}"}).status_code
             for i in range(4)]
    assert codes == [200, 200, 200, 429]


def test_reset_requests_are_limited(limited):
    _app, client = limited(RESET_REQUEST_RATE_LIMIT="2 per hour")
    codes = [client.post("/account/reset", data={"email": f"x{i}@example.org"}).status_code for i in range(3)]
    assert codes == [302, 302, 429]
