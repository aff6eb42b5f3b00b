"""Security baseline: headers, CSRF, error pages, safe redirects, roles."""
import re

import pytest

from app.security import safe_next_url
from tests.conftest import make_config


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin",
                    "Permissions-Policy": "camera=(), microphone=(), geolocation=()"}


@pytest.mark.parametrize("method, url, status", [
    ("GET", "/", 200), ("GET", "/ping", 200), ("GET", "/verify/issuer.json", 200), ("GET", "/static/style.css", 200),
    ("GET", "/my-learning", 302), ("GET", "/no/such/page", 404), ("GET", "/account/logout", 405),
    ("POST", "/account/login", 413), ("GET", "/boom", 500),
])
def test_every_kind_of_response_carries_the_security_headers(app, method, url, status):
    app.config.update(PROPAGATE_EXCEPTIONS=False, PUBLIC_BASE_URL="http://localhost")
    app.add_url_rule("/boom", "boom", lambda: 1 / 0)
    data = {"username": "x" * 70000} if method == "POST" else None
    response = app.test_client().open(url, method=method, data=data)
    assert response.status_code == status
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert {name: response.headers.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS
    assert "Strict-Transport-Security" not in response.headers
    response.close()


def test_a_rate_limited_answer_carries_the_security_headers(app, client):
    app.config["VERIFY_RATE_LIMIT"] = "1 per minute"
    client.get("/verify/SGL-0000-0000-0000-0000-0000")
    response = client.get("/verify/SGL-0000-0000-0000-0000-0000")
    assert response.status_code == 429 and response.headers["X-Frame-Options"] == "DENY"


def test_html_is_never_stored_for_a_logged_in_user_and_revalidated_for_visitors(client, auth):
    assert client.get("/").headers["Cache-Control"] == "no-cache"
    assert "Cache-Control" not in client.get("/ping").headers
    auth.as_new_user()
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_a_view_keeps_its_own_policy(client, courses_dir):
    (courses_dir / "sample-course/01-basics/images/plan.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    response = client.get("/courses/sample-course/assets/01-basics/images/plan.svg")
    assert response.headers.getlist("Content-Security-Policy") == [
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"]
    response.close()


def test_behind_https_browsers_are_told_to_stay_on_it(app, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    assert client.get("/ping").headers["Strict-Transport-Security"] == "max-age=31536000"


def test_the_session_cookie_follows_a_change_of_the_secret_key(app, client, auth):
    auth.as_new_user()
    cookie = client.get_cookie("session").value

    def visit():
        client.set_cookie("session", cookie)
        return client.get("/my-learning").status_code

    assert visit() == 200
    app.secret_key = "a new secret"
    assert visit() == 302  # signed with the old key: logged out
    app.config["SECRET_KEY_FALLBACKS"] = ["test-secret"]
    assert visit() == 200  # the old key is accepted again


def test_session_cookie_flags(client, auth):
    response = auth.register()
    cookie = next(v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_have_no_inline_script_and_no_external_requests(client, auth):
    auth.as_new_user("amina")
    for url in ["/", "/courses/sample-course", "/courses/sample-course/basics/welcome",
                "/courses/sample-course/basics/check", "/account/profile"]:
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r'<script(?![^>]* src="/)', html), url  # scripts come from files of this site
        assert not re.search(r'(src|href)="(https?:)?//', html.split("<main", 1)[0]), url


@pytest.fixture
def csrf_client(tmp_path, courses_dir):
    from app import create_app
    from app.extensions import db

    app = create_app(make_config(tmp_path, courses_dir, WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
    return app.test_client()


@pytest.mark.parametrize("url", ["/account/register", "/account/login", "/account/logout",
                                 "/courses/sample-course/basics/welcome/done", "/privacy/delete", "/privacy/",
                                 "/account/logout-everywhere", "/account/recovery-codes", "/account/recover",
                                 "/account/reset", "/account/new-learner"])
def test_a_post_without_csrf_token_is_refused(csrf_client, url):
    response = csrf_client.post(url, data={"username": "a", "password": "b"})
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)


def test_a_post_with_the_csrf_token_passes(csrf_client):
    page = csrf_client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = csrf_client.post("/account/login", data={"csrf_token": token, "username": "a", "password": "b"})
    assert response.status_code == 200 and "Wrong username or password." in response.get_data(as_text=True)


def test_unknown_route_gets_the_404_page_in_the_users_language(client):
    response = client.get("/no/such/page", headers={"Accept-Language": "it"})
    assert response.status_code == 404
    assert 'lang="it"' in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_an_unexpected_error_gets_the_500_page_without_details(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Sorry, something went wrong" in body


def test_too_large_request_is_413(client):
    assert client.post("/account/login", data={"username": "x" * 70000}).status_code == 413


@pytest.mark.parametrize("target, expected", [
    ("/courses", "/courses"), (None, "/"), ("", "/"), ("http://x.org/", "/"), ("//x.org", "/"),
    ("/\\x.org", "/"), ("courses", "/"), ("/a\\b", "/"), ("/" + "a" * 3000, "/"),
])
def test_safe_next_url(target, expected):
    assert safe_next_url(target, "/") == expected


@pytest.mark.parametrize("url", ["/trainer/", "/trainer/learners", "/trainer/cohorts/", "/trainer/report", "/admin/",
                                 "/trainer/preview/sample-course/basics/check"])
def test_learners_cannot_open_trainer_or_admin_pages(client, auth, url):
    auth.as_new_user("amina")
    assert client.get(url).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get("/trainer/")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_require_login_setting_closes_everything_but_login_and_verification(tmp_path, courses_dir):
    from app import create_app

    client = create_app(make_config(tmp_path, courses_dir, REQUIRE_LOGIN=True,
                                    PUBLIC_BASE_URL="http://localhost")).test_client()
    assert client.get("/courses/sample-course").status_code == 302
    assert client.get("/").status_code == 302
    assert client.get("/account/login").status_code == 200
    assert client.get("/verify").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/verify/issuer.json").status_code == 200
    assert client.get("/.well-known/did.json").status_code == 200
