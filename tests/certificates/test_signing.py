"""Signed credentials: eddsa-rdfc-2022 Data Integrity proofs by the issuer's did:web keys."""
import copy
import json
import os
import stat
from datetime import datetime
from pathlib import Path

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.certificates import dataintegrity, issuer
from app.extensions import db
from app.models import Certificate

VECTORS = Path(__file__).parent.parent / "data" / "vc-di-eddsa"


def read(name):
    return (VECTORS / name).read_text(encoding="utf-8")


def vector_loader():
    return dataintegrity.make_document_loader(
        {"https://www.w3.org/ns/credentials/examples/v2": json.loads(read("examples-v2.json"))})


def vector_key():
    raw = base58.b58decode(json.loads(read("keyPair.json"))["privateKeyMultibase"][1:])
    assert raw[:2] == b"\x80\x26"  # multicodec ed25519-priv
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def test_signing_reproduces_the_official_eddsa_rdfc_2022_test_vector():
    loader, key = vector_loader(), vector_key()
    expected = json.loads(read("signedDataInt.json"))
    unsigned = json.loads(read("unsigned.json"))
    assert dataintegrity.canonicalize(unsigned, loader) == read("canonDocDataInt.txt")
    config = {k: v for k, v in expected["proof"].items() if k != "proofValue"} | {"@context": unsigned["@context"]}
    assert dataintegrity.canonicalize(config, loader) == read("proofCanonDataInt.txt")
    key_pair = json.loads(read("keyPair.json"))
    assert dataintegrity.public_key_multibase(key.public_key()) == key_pair["publicKeyMultibase"]
    signed = dataintegrity.sign(unsigned, key, expected["proof"]["verificationMethod"],
                                created=datetime.fromisoformat(expected["proof"]["created"]), document_loader=loader)
    assert signed["proof"] == [expected["proof"]]
    public = key.public_key()
    assert dataintegrity.verify(expected, lambda method: public, document_loader=loader)


def test_an_undefined_term_cannot_be_signed_and_no_context_is_fetched():
    key = Ed25519PrivateKey.generate()
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
                "issuer": "did:web:example.org", "credentialSubject": {"id": "did:web:example.org"}}
    with pytest.raises(dataintegrity.ProofError, match="madeUp"):
        dataintegrity.sign({**document, "madeUp": 1}, key, "did:web:example.org#k")
    with pytest.raises(dataintegrity.ProofError, match="not bundled"):
        dataintegrity.sign({**document, "@context": ["https://example.org/ctx.json"]}, key, "did:web:example.org#k")


@pytest.mark.parametrize(("base", "did", "path"), [
    ("https://learn.example.org", "did:web:learn.example.org", "/.well-known/did.json"),
    ("https://learn.example.org/", "did:web:learn.example.org", "/.well-known/did.json"),
    ("https://Example.org:8443", "did:web:example.org%3A8443", "/.well-known/did.json"),
    ("https://example.org/ngo/soglia", "did:web:example.org:ngo:soglia", "/ngo/soglia/did.json"),
])
def test_did_web_follows_the_base_url(base, did, path):
    assert issuer.did_web(base) == did
    assert issuer.did_document_path(base) == path


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return json.loads(response.get_data(as_text=True))


def test_round_trip_the_credential_verifies_against_the_served_did_document(client, issue):
    code = issue()
    credential = get(client, f"/verify/{code}.json")
    (proof,) = credential["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod" and proof["proofValue"].startswith("z")
    assert datetime.fromisoformat(proof["created"]).tzinfo is not None and proof["created"].endswith("Z")
    did_document = get(client, "/.well-known/did.json")
    assert did_document["id"] == "did:web:localhost" == credential["issuer"]["id"]
    (method,) = did_document["verificationMethod"]
    assert method["type"] == "Multikey" and method["controller"] == did_document["id"]
    assert method["publicKeyMultibase"].startswith("z6Mk")
    assert proof["verificationMethod"] == method["id"] and did_document["assertionMethod"] == [method["id"]]
    assert dataintegrity.verify(credential, dataintegrity.key_resolver(did_document))
    # the same signed credential on every request: it is kept, not signed again
    assert get(client, f"/verify/{code}.json") == credential


def leaf_paths(document, prefix=()):
    if isinstance(document, dict):
        for key, value in document.items():
            yield from leaf_paths(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from leaf_paths(value, (*prefix, index))
    else:
        yield prefix


def tampered(document, path):
    changed = copy.deepcopy(document)
    target = changed
    for step in path[:-1]:
        target = target[step]
    value = target[path[-1]]
    target[path[-1]] = (not value) if isinstance(value, bool) else value + "x" if isinstance(value, str) else 7
    return changed


def test_changing_any_field_breaks_the_proof(client, issue):
    credential = get(client, f"/verify/{issue()}.json")
    resolver = dataintegrity.key_resolver(get(client, "/.well-known/did.json"))
    assert dataintegrity.verify(credential, resolver)
    paths = [path for path in leaf_paths(credential) if path[:1] not in {("proof",)}]
    paths += [("proof", 0, "created"), ("proof", 0, "proofValue")]
    assert len(paths) > 20
    for path in paths:
        assert not dataintegrity.verify(tampered(credential, path), resolver), path
    assert not dataintegrity.verify({k: v for k, v in credential.items() if k != "name"}, resolver)
    assert not dataintegrity.verify({k: v for k, v in credential.items() if k != "proof"}, resolver)
    assert not dataintegrity.verify({**credential, "proof": []}, resolver)


def test_a_credential_signed_with_a_rotated_out_key_still_verifies(client, app, issue, runner):
    first = get(client, f"/verify/{issue()}.json")
    result = runner.invoke(args=["certificates", "rotate-key"])
    assert result.exit_code == 0 and "New signing key: z6Mk" in result.output
    second = get(client, f"/verify/{issue(username='omar', display_name='Omar')}.json")
    did_document = get(client, "/.well-known/did.json")
    assert len(did_document["verificationMethod"]) == 2 and len(did_document["assertionMethod"]) == 2
    assert first["proof"][0]["verificationMethod"] != second["proof"][0]["verificationMethod"]
    assert second["proof"][0]["verificationMethod"] == did_document["assertionMethod"][-1]
    resolver = dataintegrity.key_resolver(did_document)
    assert dataintegrity.verify(first, resolver) and dataintegrity.verify(second, resolver)
    with app.app_context():
        assert issuer.verify(first) and issuer.verify(second)
    # withdrawing a key (deleting its file, for a leaked key) makes its credentials fail
    oldest = min(issuer.keys_folder(app.instance_path).glob("*.pem"))
    oldest.unlink()
    resolver = dataintegrity.key_resolver(get(client, "/.well-known/did.json"))
    assert not dataintegrity.verify(first, resolver) and dataintegrity.verify(second, resolver)


def test_the_key_is_made_on_first_start_readable_by_the_owner_only(app):
    (path,) = issuer.keys_folder(app.instance_path).glob("*.pem")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_nothing_is_signed_for_a_host_named_by_the_request(client, app, issue):
    code = issue()
    app.config["PUBLIC_BASE_URL"] = None
    response = client.get(f"/verify/{code}.json", headers={"Host": "evil.example"})
    assert response.status_code == 503 and "PUBLIC_BASE_URL" in response.get_json()["message"]
    assert client.get("/.well-known/did.json").status_code == 404
    with app.app_context():
        assert db.session.get(Certificate, 1).credential is None


@pytest.mark.parametrize("path", ["/did.json", "/.well-known/did.json/x", "/.well-known/did.jsonx",
                                  "/.well-known/did.json%00", "/.well-known/..%2fdid.json", "/users/x/did.json"])
def test_malformed_did_requests_are_404(client, path):
    assert client.get(path).status_code == 404


def test_a_base_url_with_a_path_serves_the_did_document_under_it(client, app):
    app.config["PUBLIC_BASE_URL"] = "https://example.org/soglia"
    assert client.get("/.well-known/did.json").status_code == 404
    response = client.get("/did.json", base_url="http://localhost/soglia")  # mounted under /soglia
    assert response.status_code == 200 and response.mimetype == "application/did+ld+json"
    assert response.get_json()["id"] == "did:web:example.org:soglia"


@pytest.mark.parametrize("code", ["%00", "%E2%80%AE%E2%80%AE", "%C3%BC" * 30, "%3Cscript%3E", "SGL-%F0%9F%98%80",
                                  "Z" * 500, "SGL-0000-0000-0000-0000-0000", "..%2F..%2Fetc%2Fpasswd"])
def test_certificate_codes_with_odd_characters_are_404_everywhere(client, auth, issue, code):
    issue()
    for path in (f"/verify/{code}", f"/verify/{code}.json", f"/verify/status/{code}.json"):
        assert client.get(path).status_code == 404, path
    auth.login()
    for path in (f"/certificates/{code}", f"/certificates/{code}.pdf"):
        assert client.get(path).status_code == 404, path


def test_deleting_the_account_drops_the_kept_credential_that_names_the_holder(client, app, issue):
    from app.certificates.privacy import revoke_and_unname
    from app.models import User
    from app.services.certificates import find_certificate

    code = issue()
    assert "Amina Haddad" in client.get(f"/verify/{code}.json").get_data(as_text=True)
    with app.app_context():
        certificate = find_certificate(code)
        assert "Amina Haddad" in certificate.credential
        revoke_and_unname(db.session.get(User, certificate.user_id))
        db.session.commit()
        assert find_certificate(code).credential is None
