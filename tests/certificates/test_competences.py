"""Competences on certificates (page, verify page, PDF, Open Badges alignment), their public pages, the profile."""
import json

import pytest
from jsonschema import Draft201909Validator, FormatChecker

from app import catalog as catalog_module
from app.certificates import dataintegrity
from tests.certificates.test_openbadges import SCHEMA, set_revoked
from tests.certificates.test_pdf import download, page_text
from tests.competences.test_framework import declare


@pytest.fixture
def with_competences(app, courses_dir):
    declare(courses_dir, course_ids=["money-saving"], module_ids=["money-budgeting"])
    return catalog_module.reload(app)


def test_a_competence_has_a_public_page_in_the_visitors_language(client, with_competences):
    page = client.get("/competences/money-budgeting", headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert "<h1>Pianificare un bilancio</h1>" in page and "Costruisce un bilancio mensile." in page
    assert "Gestire il denaro" in page and 'href="/courses/sample-course"' in page
    index = client.get("/competences").get_data(as_text=True)
    assert "Managing money" in index and 'href="/competences/money-saving"' in index


@pytest.mark.parametrize("path", ["/competences/cooking", "/competences/money-budgeting%00", "/competences/%E2%80%AE",
                                  "/competences/..%2F..%2Fetc", "/competences/" + "x" * 300])
def test_unknown_competences_and_odd_characters_are_404(client, with_competences, path):
    assert client.get(path).status_code == 404


def test_the_certificate_lists_its_competences_everywhere(client, auth, issue, with_competences, app):
    code = issue()
    auth.login()
    show = client.get(f"/certificates/{code}").get_data(as_text=True)
    assert "Competences" in show and 'href="/competences/money-saving"' in show and "Planning a budget" in show
    visitor = app.test_client()
    verify = visitor.get(f"/verify/{code}", headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert "Risparmiare in sicurezza" in verify and 'href="/competences/money-budgeting"' in verify
    text = page_text(download(client, code).data)  # bilingual English + Italian
    assert "Saving safely · Planning a budget" in text and "Risparmiare in sicurezza · Pianificare un bilancio" in text


def test_the_credential_aligns_to_the_competence_pages_and_stays_valid(client, issue, with_competences):
    code = issue()
    credential = json.loads(client.get(f"/verify/{code}.json").get_data(as_text=True))
    alignment = credential["credentialSubject"]["achievement"]["alignment"]
    assert [a["targetCode"] for a in alignment] == ["money-saving", "money-budgeting"]
    first = alignment[0]
    assert first["type"] == ["Alignment"] and first["targetType"] == "ceasn:Competency"
    assert first["targetName"] == "Saving safely" and first["targetFramework"] == "Test framework"
    assert first["targetUrl"] == "http://localhost/competences/money-saving"
    assert client.get(first["targetUrl"].removeprefix("http://localhost")).status_code == 200
    validator = Draft201909Validator(SCHEMA, format_checker=FormatChecker())
    assert validator.is_valid({**credential, "credentialStatus": credential["credentialStatus"][0]})
    did_document = json.loads(client.get("/.well-known/did.json").get_data(as_text=True))
    assert dataintegrity.verify(credential, dataintegrity.key_resolver(did_document))


def test_the_profile_shows_the_competences_of_valid_certificates(client, auth, issue, make_user, app,
                                                                   with_competences):
    make_user("boss", role="admin")
    auth.as_new_user("omar", display_name="Omar")
    assert "Complete a course with a certificate" in client.get("/account/profile").get_data(as_text=True)
    code = issue()
    auth.logout()
    auth.login()
    profile = client.get("/account/profile").get_data(as_text=True)
    assert "Your competences" in profile
    assert profile.index("Planning a budget") < profile.index("Saving safely")  # framework order
    set_revoked(app, code, "Mistake")
    assert "Planning a budget" not in client.get("/account/profile").get_data(as_text=True)


def test_a_certificate_keeps_the_competences_it_was_issued_with(client, issue, with_competences, courses_dir, app):
    code = issue()
    path = courses_dir / "sample-course" / "course.md"
    path.write_text(path.read_text().replace("competences: [money-saving]\n", ""))
    catalog_module.reload(app)
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Saving safely" in page and "Planning a budget" in page
