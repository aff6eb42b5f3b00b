"""W3C Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite: sign and verify JSON-LD documents.

Follows the Data Integrity EdDSA Cryptosuites v1.0 recommendation: the document without its proof and the proof
configuration (with the document's `@context`) are each canonicalised with RDF Dataset Canonicalization (PyLD),
hashed with SHA-256, and the Ed25519 signature over `hash(proofConfig) + hash(document)` is the multibase
base58btc `proofValue`. JSON-LD contexts come only from the files in `contexts/`: nothing is ever fetched, and a
term that no context defines fails the canonicalisation (safe mode) instead of silently escaping the signature.
"""
import copy
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyld import jsonld

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
#: multicodec prefix of an Ed25519 public key (0xed, varint-encoded) in a Multikey
ED25519_PUB_PREFIX = b"\xed\x01"

CONTEXTS_DIR = Path(__file__).with_name("contexts")
#: Every context a signed document of ours may name, by URL, and the bundled file that holds it.
BUNDLED_CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-extensions.json",
    "https://www.w3.org/ns/did/v1": "did-v1.json",
    "https://w3id.org/security/multikey/v1": "multikey-v1.json",
}


class ProofError(ValueError):
    """A document cannot be signed or its proof cannot be checked (unknown context, undefined term, bad value)."""


def _read_context(name):
    return json.loads((CONTEXTS_DIR / name).read_text(encoding="utf-8"))


_LOADED = {url: _read_context(name) for url, name in BUNDLED_CONTEXTS.items()}


def make_document_loader(extra=None):
    """A PyLD document loader over the bundled contexts (and `extra`: url → document); it never fetches."""
    documents = {**_LOADED, **(extra or {})}

    def load(url, options=None):
        if url not in documents:
            raise jsonld.JsonLdError(f"Context {url} is not bundled; refusing to fetch it.",
                                     "jsonld.LoadDocumentError", code="loading document failed")
        return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(documents[url])}

    return load


def _refuse_dropped(term):
    raise ProofError(f"'{term}' is not defined by the document's contexts")


def canonicalize(document, document_loader):
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document (safe mode: an undefined term is an error)."""
    processor = jsonld.JsonLdProcessor(on_property_dropped=_refuse_dropped)
    try:
        return processor.normalize(document, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                              "documentLoader": document_loader, "safe": True})
    except jsonld.JsonLdError as error:
        root = error
        while root.__cause__ is not None:
            root = root.__cause__
        if isinstance(root, ProofError):
            raise root from None
        raise ProofError(root.args[0] if root.args else str(root)) from None


def _sha256(text):
    return hashlib.sha256(text.encode("utf-8")).digest()


def hash_data(unsecured_document, proof_config, document_loader):
    """`SHA-256(canonical proof config) || SHA-256(canonical document)`: the bytes that get signed."""
    return _sha256(canonicalize(proof_config, document_loader)) + _sha256(canonicalize(unsecured_document,
                                                                                       document_loader))


def _proof_config(document, proof):
    config = {key: value for key, value in proof.items() if key != "proofValue"}
    config["@context"] = document["@context"]
    return config


def timestamp(moment):
    """An XML Schema dateTime in UTC to the second, as `created` expects."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(document, private_key, verification_method, *, created=None, document_loader=None,
         proof_purpose="assertionMethod"):
    """A copy of `document` with a DataIntegrityProof added to its `proof` array.

    :param private_key: an `Ed25519PrivateKey`
    :param verification_method: the URL of the public key (e.g. `did:web:example.org#key-1`)
    """
    loader = document_loader or make_document_loader()
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": timestamp(created or datetime.now(UTC)),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    signature = private_key.sign(hash_data(unsecured, _proof_config(unsecured, proof), loader))
    proof["proofValue"] = "z" + base58.b58encode(signature).decode("ascii")
    existing = document.get("proof", [])
    return {**unsecured, "proof": [*(existing if isinstance(existing, list) else [existing]), proof]}


def verify(document, resolve_public_key, *, document_loader=None, proof_purpose="assertionMethod"):
    """True if every proof of `document` is a valid eddsa-rdfc-2022 proof by a key that `resolve_public_key`
    (verification method URL → `Ed25519PublicKey` or None) knows for `proof_purpose`; False otherwise.
    """
    proofs = document.get("proof") if isinstance(document, dict) else None
    proofs = proofs if isinstance(proofs, list) else [proofs] if isinstance(proofs, dict) else []
    if not proofs:
        return False
    loader = document_loader or make_document_loader()
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    for proof in proofs:
        if not _verify_one(unsecured, proof, resolve_public_key, loader, proof_purpose):
            return False
    return True


def _verify_one(unsecured, proof, resolve_public_key, loader, proof_purpose):
    if not isinstance(proof, dict) or proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return False
    if proof.get("proofPurpose") != proof_purpose:
        return False
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        return False
    public_key = resolve_public_key(proof.get("verificationMethod"))
    if public_key is None:
        return False
    try:
        signature = base58.b58decode(value[1:])
        public_key.verify(signature, hash_data(unsecured, _proof_config(unsecured, proof), loader))
    except (InvalidSignature, ProofError, ValueError):
        return False
    return True


def public_key_multibase(public_key):
    """An Ed25519 public key as a Multikey `publicKeyMultibase` (`z6Mk…`)."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + base58.b58encode(ED25519_PUB_PREFIX + raw).decode("ascii")


def public_key_from_multibase(text):
    """The Ed25519 public key of a `publicKeyMultibase`; ProofError if it is not one."""
    try:
        raw = base58.b58decode(text[1:]) if isinstance(text, str) and text.startswith("z") else b""
    except ValueError:
        raw = b""
    if len(raw) != 34 or not raw.startswith(ED25519_PUB_PREFIX):
        raise ProofError("not an Ed25519 publicKeyMultibase")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def new_private_key():
    return Ed25519PrivateKey.generate()


def key_resolver(did_document, proof_purpose="assertionMethod"):
    """A `resolve_public_key` for `verify` over a DID document: its Multikeys listed under `proof_purpose`."""
    allowed = {entry if isinstance(entry, str) else entry.get("id") for entry in did_document.get(proof_purpose, [])}
    keys = {}
    for method in did_document.get("verificationMethod", []):
        if method.get("id") in allowed and method.get("type") == "Multikey":
            try:
                keys[method["id"]] = public_key_from_multibase(method.get("publicKeyMultibase"))
            except ProofError:
                continue
    return keys.get
