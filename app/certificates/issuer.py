"""The platform as a credential issuer: its did:web identifier, its Ed25519 keys and its DID document.

Keys live in `instance/issuer_keys/`, one PKCS#8 PEM file per key (mode 0600), named by the UTC time it was made:
the newest signs, every key still in the folder is published so that credentials signed before a rotation keep
verifying. `flask certificates rotate-key` makes a new key; deleting a key's file withdraws it (for a leaked key).
"""
import os
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from flask import current_app

from . import dataintegrity

KEYS_FOLDER = "issuer_keys"


class PublicBaseUrlMissing(RuntimeError):
    """Credentials are signed only for a configured public address, never for whatever host a request names."""

    def __init__(self):
        super().__init__("PUBLIC_BASE_URL is not set: credentials are signed only for the configured public "
                         "address (set SOGLIA_PUBLIC_BASE_URL, e.g. https://learn.example.org), never for the "
                         "host named by a request.")


def awarding_organisation_name(certificate=None):
    """The name of the organisation that awards certificates (one place, so organisations can take it over)."""
    return current_app.config["ORGANISATION_NAME"]


def public_base_url():
    """The configured public base URL without a trailing slash; PublicBaseUrlMissing if it is not set."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        raise PublicBaseUrlMissing()
    return base.rstrip("/")


def did_web(base_url):
    """The did:web DID of a base URL: `https://example.org:8443/soglia` → `did:web:example.org%3A8443:soglia`."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    if not host:
        raise ValueError(f"not an absolute URL: {base_url!r}")
    if parts.port:
        host += f":{parts.port}"
    segments = [quote(host, safe="")] + [quote(segment, safe="") for segment in parts.path.split("/") if segment]
    return "did:web:" + ":".join(segments)


def did_document_path(base_url):
    """Where did:web resolvers look for the DID document, as a path on the site."""
    path = urlsplit(base_url).path.rstrip("/")
    return f"{path}/did.json" if path else "/.well-known/did.json"


def issuer_did():
    return did_web(public_base_url())


# --- keys -------------------------------------------------------------------------------------------------------

def keys_folder(instance_path=None):
    return Path(instance_path or current_app.instance_path) / KEYS_FOLDER


def _write_key(folder, key):
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ") + ".pem"
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return folder / name


def ensure_signing_key(instance_path):
    """Create the first issuer key on first start (mode 0600); keep the ones that exist."""
    folder = keys_folder(instance_path)
    if not any(folder.glob("*.pem")):
        _write_key(folder, dataintegrity.new_private_key())


def rotate_signing_key(instance_path=None):
    """Make a new signing key; the old ones stay published. :return: the new key's publicKeyMultibase"""
    _write_key(keys_folder(instance_path), dataintegrity.new_private_key())
    return _key_fragment(load_keys(instance_path)[-1])


def load_keys(instance_path=None):
    """Every issuer private key, oldest first (the last one signs)."""
    return [load_pem_private_key(path.read_bytes(), password=None)
            for path in sorted(keys_folder(instance_path).glob("*.pem"))]


def _key_fragment(private_key):
    return dataintegrity.public_key_multibase(private_key.public_key())


def verification_method_id(did, private_key):
    """`did:web:host#z6Mk…`: the key's Multikey fingerprint is its fragment."""
    return f"{did}#{_key_fragment(private_key)}"


def did_document():
    """The issuer's DID document: every published key as a Multikey, each usable for assertions."""
    did = issuer_did()
    methods = [{"id": verification_method_id(did, key), "type": "Multikey", "controller": did,
                "publicKeyMultibase": _key_fragment(key)} for key in load_keys()]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def sign(document):
    """`document` signed with the current issuer key (eddsa-rdfc-2022); PublicBaseUrlMissing without a base URL."""
    did = issuer_did()
    key = load_keys()[-1]
    return dataintegrity.sign(document, key, verification_method_id(did, key))


def verify(document):
    """True if `document` carries a valid proof by a key that the issuer's DID document publishes."""
    return dataintegrity.verify(document, dataintegrity.key_resolver(did_document()))
