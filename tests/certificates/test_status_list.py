"""Revocation through a signed W3C Bitstring Status List: many credentials per list, random bits."""
import json

import pytest
from sqlalchemy import select

from app.certificates import dataintegrity, status_list
from app.extensions import db
from app.models import Certificate
from tests.certificates.test_openbadges import get_json, set_revoked


def credential_of(client, code):
    return get_json(client, f"/verify/{code}.json")


def bit_of(client, credential):
    entry = credential["credentialStatus"][0]
    document = get_json(client, entry["statusListCredential"].removeprefix("http://localhost"))
    return status_list.bit(status_list.decode(document["credentialSubject"]["encodedList"]),
                           int(entry["statusListIndex"]))


def test_encoding_puts_bit_zero_leftmost_and_compresses():
    encoded = status_list.encode([0, 9, status_list.LENGTH - 1])
    assert encoded.startswith("u") and "=" not in encoded and len(encoded) < 200
    bits = status_list.decode(encoded)
    assert len(bits) == status_list.LENGTH // 8 == 16384
    assert bits[0] == 0b1000_0000 and bits[1] == 0b0100_0000 and bits[-1] == 1
    assert [i for i in (0, 1, 8, 9, 10, status_list.LENGTH - 1) if status_list.bit(bits, i)] == [
        0, 9, status_list.LENGTH - 1]


def test_the_first_status_entry_points_at_a_signed_bitstring_status_list(client, app, issue, make_user):
    make_user("boss", role="admin")
    code = issue()
    credential = credential_of(client, code)
    entry = credential["credentialStatus"][0]
    index = int(entry["statusListIndex"])
    assert entry == {"id": f"http://localhost/verify/status-lists/1.json#{index}",
                     "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                     "statusListIndex": str(index),
                     "statusListCredential": "http://localhost/verify/status-lists/1.json"}
    document = get_json(client, "/verify/status-lists/1.json")
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["issuer"] == credential["issuer"]["id"] == "did:web:localhost"
    assert document["credentialSubject"]["type"] == "BitstringStatusList"
    assert document["credentialSubject"]["statusPurpose"] == "revocation"
    did_document = get_json_did(client)
    assert dataintegrity.verify(document, dataintegrity.key_resolver(did_document))
    assert not bit_of(client, credential)
    set_revoked(app, code, "Copied the final quiz")
    assert bit_of(client, credential)
    revoked_list = get_json(client, "/verify/status-lists/1.json")
    assert dataintegrity.verify(revoked_list, dataintegrity.key_resolver(did_document))
    assert "Copied" not in json.dumps(revoked_list)
    set_revoked(app, code)
    assert not bit_of(client, credential)


def get_json_did(client):
    return json.loads(client.get("/.well-known/did.json").get_data(as_text=True))


def test_many_credentials_share_a_list_at_random_distinct_positions(client, app, issue, make_user):
    make_user("boss", role="admin")
    codes = [issue(username=f"learner{n}", display_name=f"Learner {n}") for n in range(8)]
    entries = [credential_of(client, code)["credentialStatus"][0] for code in codes]
    assert {entry["statusListCredential"] for entry in entries} == {"http://localhost/verify/status-lists/1.json"}
    indexes = [int(entry["statusListIndex"]) for entry in entries]
    assert len(set(indexes)) == 8
    assert indexes != sorted(indexes) and max(indexes) > 1000  # position says nothing about the order of issue
    set_revoked(app, codes[3], "Mistake")
    assert [bit_of(client, credential_of(client, code)) for code in codes] == [False] * 3 + [True] + [False] * 4


def test_a_taken_bit_is_drawn_again_and_a_full_list_opens_the_next(client, app, issue, monkeypatch):
    draws = iter([5, 5, 6, 7])
    monkeypatch.setattr("app.certificates.operations.secrets.randbelow", lambda n: next(draws))
    monkeypatch.setattr(status_list, "FILL_LIMIT", 2)
    codes = [issue(username=f"learner{n}", display_name=f"Learner {n}") for n in range(3)]
    entries = [credential_of(client, code)["credentialStatus"][0] for code in codes]
    assert [(e["statusListCredential"][-7:], e["statusListIndex"]) for e in entries] == [
        ("/1.json", "5"), ("/1.json", "6"), ("/2.json", "7")]
    with app.app_context():
        rows = db.session.execute(select(Certificate.status_list, Certificate.status_index)).all()
    assert sorted(rows) == [(1, 5), (1, 6), (2, 7)]


@pytest.mark.parametrize("path", ["/verify/status-lists/1.json", "/verify/status-lists/0.json",
                                  "/verify/status-lists/-1.json", "/verify/status-lists/abc.json",
                                  "/verify/status-lists/99999999999999999999.json"])
def test_unknown_status_lists_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.get_json() == {"error": 404}


def test_the_verify_page_gives_no_detailed_reason_but_the_admin_page_does(client, app, issue, make_user, auth):
    make_user("boss", role="admin")
    code = issue()
    set_revoked(app, code, "Copied the final quiz")
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Revoked" in page and "Copied the final quiz" not in page
    auth.login("boss")
    assert "Copied the final quiz" in client.get(f"/admin/certificates/{code}").get_data(as_text=True)
