"""Open Badges 3.0 at /verify/<code>.json: 1EdTech's schema, no e-mail, revocation through a status list."""
import dataclasses
import hashlib
import hmac
import json
from datetime import datetime
from pathlib import Path

import pytest
from jsonschema import Draft201909Validator, FormatChecker
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.services.certificates import find_certificate, format_code, issue_certificate, reinstate, revoke

SCHEMA = json.loads((Path(__file__).parent.parent / "data/openbadges/ob_v3p0_achievementcredential_schema.json")
                    .read_text(encoding="utf-8"))
VALIDATOR = Draft201909Validator(SCHEMA, format_checker=FormatChecker())


def get_json(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    assert response.mimetype == "application/ld+json" and response.headers["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.get_data(as_text=True))


def walk_keys(document):
    if isinstance(document, dict):
        for key, value in document.items():
            yield key
            yield from walk_keys(value)
    elif isinstance(document, list):
        for value in document:
            yield from walk_keys(value)


def set_revoked(app, code, reason=None):
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        certificate = find_certificate(code)
        if reason:
            revoke(certificate, admin, reason)
        else:
            reinstate(certificate, admin, "Checked again")
        db.session.commit()


def test_the_shipped_schema_is_the_official_one_and_not_vacuous():
    Draft201909Validator.check_schema(SCHEMA)
    assert SCHEMA["$id"].startswith("https://purl.imsglobal.org/spec/ob/v3p0/schema/")
    assert SCHEMA["required"] == ["@context", "id", "type", "credentialSubject", "issuer", "validFrom"]
    assert not VALIDATOR.is_valid({"@context": ["https://www.w3.org/ns/credentials/v2"],
                                   "type": ["VerifiableCredential"]})


def test_the_credential_validates_against_the_official_schema(client, issue, app):
    code = issue(email="amina@example.org")
    credential = get_json(client, f"/verify/{code}.json")
    # The schema allows one credentialStatus; the credential lists two (VC 2.0 allows a list): the Bitstring
    # Status List entry first, the 1EdTech revocation list second. Each must be a valid CredentialStatus.
    assert len(credential["credentialStatus"]) == 2
    for status in credential["credentialStatus"]:
        single = {**credential, "credentialStatus": status}
        errors = [f"{list(error.absolute_path)}: {error.message}" for error in VALIDATOR.iter_errors(single)]
        assert errors == []
    assert not VALIDATOR.is_valid({key: value for key, value in single.items() if key != "validFrom"})
    assert credential["@context"][:2] == ["https://www.w3.org/ns/credentials/v2",
                                          "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == f"http://localhost/verify/{code}"
    with app.app_context():
        certificate = find_certificate(code)
        issued, user_id = certificate.issued_at, certificate.user_id
    assert credential["validFrom"].endswith("Z")
    assert datetime.fromisoformat(credential["validFrom"]) == issued.replace(microsecond=0)
    assert credential["issuer"] == {"id": "did:web:localhost", "type": ["Profile"],
                                    "name": "Soglia Test NGO", "url": "http://localhost/"}
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"] and subject["name"] == "Amina Haddad"
    achievement = subject["achievement"]
    assert achievement["name"] == "Sample course" and achievement["achievementType"] == "CertificateOfCompletion"
    assert achievement["id"] == "http://localhost/courses/sample-course"
    assert "Completed every lesson and passed every quiz" in achievement["criteria"]["narrative"]
    (identity,) = subject["identifier"]
    assert identity["type"] == "IdentityObject" and identity["hashed"] is True
    assert identity["identityType"] == "identifier"
    salt = identity["salt"]
    pseudonym = hmac.new(app.config["SECRET_KEY"].encode(), f"soglia-holder:{user_id}".encode(),
                         hashlib.sha256).hexdigest()
    assert identity["identityHash"] == "sha256$" + hashlib.sha256(f"{pseudonym}{salt}".encode()).hexdigest()


def test_the_credential_never_carries_an_email_address(client, issue):
    code = issue(email="amina@example.org")
    text = client.get(f"/verify/{code}.json").get_data(as_text=True)
    assert "amina@example.org" not in text and "@example" not in text
    assert "email" not in {key.lower() for key in walk_keys(json.loads(text))}


def test_identity_hashes_differ_between_certificates_of_one_person(client, app, issue, catalog):
    code = issue()
    other = dataclasses.replace(catalog.course("sample-course"), slug="another-course")
    with app.app_context():
        second = issue_certificate(db.session.scalar(select(User)), other, "NGO").code
        db.session.commit()
    hashes = {get_json(client, f"/verify/{c}.json")["credentialSubject"]["identifier"][0]["identityHash"]
              for c in (code, format_code(second))}
    assert len(hashes) == 2


def test_the_identity_hash_is_keyed_so_the_user_id_cannot_be_recovered(client, app, issue):
    import hashlib

    code = issue()
    identity = get_json(client, f"/verify/{code}.json")["credentialSubject"]["identifier"][0]
    with app.app_context():
        user_id = db.session.scalar(select(User.id))
    guesses = {"sha256$" + hashlib.sha256(f"{n}{identity['salt']}".encode()).hexdigest() for n in range(user_id + 100)}
    assert identity["identityHash"] not in guesses


def test_a_revoked_credential_says_so_in_its_1edtech_revocation_list_with_a_generic_reason(client, app, issue,
                                                                                        make_user):
    make_user("boss", role="admin")
    code = issue()
    credential = get_json(client, f"/verify/{code}.json")
    bitstring_entry, status = credential["credentialStatus"]
    assert bitstring_entry["type"] == "BitstringStatusListEntry"
    assert status == {"id": f"http://localhost/verify/status/{code}.json", "type": "1EdTechRevocationList"}
    path = status["id"].removeprefix("http://localhost")
    assert get_json(client, path) == {"id": status["id"], "issuer": credential["issuer"]["id"],
                                      "revokedCredentials": []}
    set_revoked(app, code, "Fraud by the holder's employer")
    after = get_json(client, f"/verify/{code}.json")
    assert after == credential  # the credential itself never changes: its status lists do
    assert get_json(client, path)["revokedCredentials"] == [{"id": credential["id"],
                                                             "revocationReason": "Revoked by the issuer."}]
    set_revoked(app, code)
    assert get_json(client, path)["revokedCredentials"] == []


def test_the_issuer_profile_names_the_issuer_did(client, issue):
    code = issue()
    issuer_id = get_json(client, f"/verify/{code}.json")["issuer"]["id"]
    profile = get_json(client, "/verify/issuer.json")
    assert profile["id"] == issuer_id == "did:web:localhost"
    assert profile["type"] == ["Profile"] and profile["name"] == "Soglia Test NGO"


@pytest.mark.parametrize("code", ["SGL-0000-0000-0000-0000-0000", "not-a-code", "Z" * 500])
def test_unknown_and_malformed_codes_get_a_json_404(client, code):
    response = client.get(f"/verify/{code}.json")
    assert response.status_code == 404 and response.get_json() == {"error": 404}
