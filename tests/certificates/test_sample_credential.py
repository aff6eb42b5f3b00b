"""The shipped sample (tests/data/openbadges/sample): a real signed credential verifies with its DID document."""
import json
from pathlib import Path

from jsonschema import Draft201909Validator, FormatChecker

from app.certificates import dataintegrity, status_list
from tests.certificates.test_openbadges import SCHEMA

SAMPLE = Path(__file__).parent.parent / "data" / "openbadges" / "sample"


def load(name):
    return json.loads((SAMPLE / name).read_text(encoding="utf-8"))


def test_the_sample_credential_and_its_status_list_verify_and_are_not_revoked():
    credential, did_document, status = load("credential.json"), load("did.json"), load("status-list-1.json")
    resolver = dataintegrity.key_resolver(did_document)
    assert credential["issuer"]["id"] == did_document["id"] == status["issuer"] == "did:web:soglia.example.org"
    assert dataintegrity.verify(credential, resolver) and dataintegrity.verify(status, resolver)
    entry = credential["credentialStatus"][0]
    assert entry["statusListCredential"] == status["id"]
    bits = status_list.decode(status["credentialSubject"]["encodedList"])
    assert not status_list.bit(bits, int(entry["statusListIndex"]))
    validator = Draft201909Validator(SCHEMA, format_checker=FormatChecker())
    for each in credential["credentialStatus"]:
        assert validator.is_valid({**credential, "credentialStatus": each})
    credential["credentialSubject"]["achievement"]["alignment"][0]["targetName"] = "Something else"
    assert not dataintegrity.verify(credential, resolver)
