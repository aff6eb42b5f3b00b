"""Certificate pages through the client: issuing on completion, who sees what, public verification, rate limits."""
import pytest
from flask_babel import format_date
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Certificate
from app.services.certificates import format_code
from tests.certificates.conftest import complete_course
from tests.conftest import make_config

UNKNOWN = "SGL-0000-0000-0000-0000-0000"
NOT_CODES = ["nonsense", "SGL-7K4Q", "%27%20OR%201%3D1--", "SGL-7K4Q-9XTB-2MWD-ABCD-EFG!", "A" * 300, "x" * 5000]


def certificates_in(app):
    with app.app_context():
        return db.session.scalars(select(Certificate)).all()


def body(response):
    return response.get_data(as_text=True)


def test_completing_the_course_issues_one_certificate_listed_on_my_certificates(client, auth, app, catalog):
    auth.as_new_user()
    assert "You have no certificates yet" in body(client.get("/certificates"))
    course = catalog.course("sample-course")
    complete_course(client, course)
    complete_course(client, course)  # everything again: still one certificate
    (certificate,) = certificates_in(app)  # the one-course "starter" path earns no certificate of its own
    assert certificate.course_slug == "sample-course" and certificate.holder_name == "Amina Haddad"
    page = body(client.get("/certificates"))
    assert format_code(certificate.code) in page and "Sample course" in page
    assert f"/certificates/{format_code(certificate.code)}.pdf" in page


def test_the_certificate_page_shows_the_certificate_and_links_to_the_pdf(client, auth, issue):
    code = issue()
    auth.login()
    page = body(client.get(f"/certificates/{code}"))
    assert "Amina Haddad" in page and "Sample course" in page and code in page
    assert f'href="/certificates/{code}.pdf"' in page
    assert f"http://localhost/verify/{code}" in page


@pytest.mark.parametrize("path", ["/certificates/{code}", "/certificates/{code}.pdf"])
def test_another_learners_certificate_is_not_found(client, auth, issue, path):
    code = issue()
    auth.as_new_user("other", display_name="Someone Else")
    response = client.get(path.format(code=code))
    assert response.status_code == 404 and "Amina" not in body(response)


@pytest.mark.parametrize("path", ["/certificates", "/certificates/{code}", "/certificates/{code}.pdf"])
def test_anonymous_visitors_are_sent_to_log_in(client, issue, path):
    response = client.get(path.format(code=issue()))
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/certificates/{code}", "/certificates/{code}.pdf", "/verify/{code}",
                                  "/verify/{code}.json", "/verify/status/{code}.json"])
@pytest.mark.parametrize("code", [UNKNOWN, *NOT_CODES])
def test_unknown_and_malformed_codes_are_not_found_without_a_trace(client, auth, path, code):
    auth.as_new_user()
    response = client.get(path.format(code=code))
    assert response.status_code == 404
    text = body(response)
    assert "Traceback" not in text and "sqlalchemy" not in text.lower() and "File \"" not in text
    if path.endswith(".json"):
        assert response.is_json and response.get_json() == {"error": 404}


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "{bare}", "{spaced}", "{bare_lower}"])
def test_verification_reads_the_code_however_it_was_typed(client, issue, typed):
    code = issue()
    bare = code.replace("-", "")[3:]
    variants = {"code": code, "lower": code.lower(), "bare": bare, "spaced": code.replace("-", "%20"),
                "bare_lower": bare.lower()}
    response = client.get("/verify/" + typed.format(**variants))
    assert response.status_code == 200 and "Amina Haddad" in body(response)


def test_the_form_sends_a_typed_code_to_its_verification_page(client, issue):
    code = issue()
    response = client.get("/verify", query_string={"code": " " + code.lower().replace("-", " ")})
    assert response.status_code == 302 and response.headers["Location"] == f"/verify/{code}"


def test_the_verification_page_says_valid_and_shows_only_what_the_certificate_says(client, app, issue):
    code = issue(username="amina", display_name="Amina Haddad", email="amina@example.org")
    page = body(client.get(f"/verify/{code}"))
    assert '<p class="verdict valid"' in page and "Valid" in page
    for fact in ("Amina Haddad", "Sample course", "Soglia Test NGO", code):
        assert fact in page
    (certificate,) = certificates_in(app)
    with app.test_request_context():
        assert format_date(certificate.issued_at) in page
    for private in ("amina@example.org", ">amina<", "entrepreneur", "Revoked"):
        assert private not in page
    assert f'<link rel="alternate" type="application/ld+json" href="/verify/{code}.json">' in page
    assert '<meta name="robots" content="noindex">' in page


def test_a_visitor_sees_a_revocation_at_once_and_each_check_is_one_statement(client, app, issue, count_queries):
    from app.models import User
    from app.services.certificates import find_certificate, reinstate, revoke

    code = issue()
    verdicts = []

    def check():
        with count_queries() as statements:
            page = body(client.get(f"/verify/{code}"))
        assert statements.count == 1
        verdicts.append(page.split('<p class="verdict ', 1)[1].split('"', 1)[0])

    def change(action):
        with app.app_context():
            action(find_certificate(code), db.session.scalar(select(User)), "reason")
            db.session.commit()

    check()
    check()  # the second visit reads the page kept in memory
    change(revoke)
    check()
    change(reinstate)
    check()
    assert verdicts == ["valid", "valid", "revoked", "valid"]


def test_an_unknown_code_says_not_found(client):
    response = client.get(f"/verify/{UNKNOWN}")
    page = body(response)
    assert response.status_code == 404 and "Not found" in page and 'rel="alternate"' not in page


def test_malformed_codes_never_reach_the_database(client, count_queries):
    with count_queries() as unknown:
        client.get(f"/verify/{UNKNOWN}")
    with count_queries() as malformed:
        for code in NOT_CODES:
            client.get(f"/verify/{code}")
    assert unknown.count == 1 and malformed.count == 0


def test_verification_is_rate_limited_across_the_page_and_the_json(tmp_path, courses_dir):
    app = create_app(make_config(tmp_path, courses_dir, VERIFY_RATE_LIMIT="3 per minute"))
    with app.app_context():
        db.create_all()
    client = app.test_client()
    assert [client.get(f"/verify/{UNKNOWN}").status_code for _ in range(2)] == [404, 404]
    assert client.get(f"/verify/{UNKNOWN}.json").status_code == 404
    limited = client.get(f"/verify/{UNKNOWN}")
    assert limited.status_code == 429 and "Retry-After" in limited.headers
    assert client.get(f"/verify/{UNKNOWN}.json").status_code == 429
    assert client.get("/verify/status/" + UNKNOWN + ".json").status_code == 429
    with app.app_context():
        db.session.remove()
        db.engine.dispose()

