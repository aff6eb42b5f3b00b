"""W3C Bitstring Status List v1.0: the compressed bitstring and the status list credential (unsigned)."""
import base64
import gzip

#: 131,072 bits (16 KiB), the recommendation's minimum, so a list gives herd privacy to the credentials in it
LENGTH = 131072
#: a list takes new credentials until this share of its bits is used, so random picks rarely collide
FILL_LIMIT = LENGTH // 2
PURPOSE = "revocation"


def encode(set_bits, length=LENGTH):
    """The `encodedList`: multibase base64url (no padding) of the GZIP-compressed bitstring; bit 0 leftmost."""
    bits = bytearray(length // 8)
    for index in set_bits:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded_list):
    """The bitstring of an `encodedList` as bytes (for verifiers and tests)."""
    if not encoded_list.startswith("u"):
        raise ValueError("encodedList must be multibase base64url ('u')")
    body = encoded_list[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit(bitstring, index):
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def status_entry(list_url, index):
    """The `credentialStatus` entry that points a credential at its bit."""
    return {"id": f"{list_url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": PURPOSE,
            "statusListIndex": str(index), "statusListCredential": list_url}


def status_list_credential(list_url, issuer_id, revoked_indexes, valid_from):
    """The (unsigned) BitstringStatusListCredential with the bits of `revoked_indexes` set."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encode(revoked_indexes),
        },
    }
