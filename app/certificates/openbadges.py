"""Open Badges 3.0: a certificate as an OpenBadgeCredential, its issuer Profile and its revocation list."""
import hashlib
import hmac
from datetime import timezone

from flask_babel import force_locale
from flask_babel import gettext as _

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    # defines the 1EdTechRevocationList and 1EdTechJsonSchemaValidator2019 terms used below
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
]
SCHEMA_URL = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"


def timestamp(moment):
    """ISO 8601 in UTC with a trailing Z, to the second."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def holder_pseudonym(user_id, secret_key):
    """A stable identifier for the holder that reveals neither their id nor anything else about them."""
    return hmac.new(secret_key.encode(), f"soglia-holder:{user_id}".encode(), hashlib.sha256).hexdigest()


def identity_hash(identifier, salt):
    """An Open Badges IdentityHash: 'sha256$' and the hex SHA-256 of the identifier followed by the salt."""
    return "sha256$" + hashlib.sha256(f"{identifier}{salt}".encode()).hexdigest()


def issuer_profile(issuer_id, name, site_url):
    return {"id": issuer_id, "type": ["Profile"], "name": name, "url": site_url}


def issuer_document(profile):
    """The issuer Profile on its own, for readers who follow the site's link rather than resolve the DID."""
    return {"@context": CONTEXT[:2], **profile}


def _texts(certificate):
    """Name, description, achievement description and criteria of a course or path certificate."""
    course, issuer_name = certificate.course_title, certificate.issuer_name
    name = _("Certificate of completion: %(course)s", course=course)
    if certificate.is_path:
        courses = "; ".join(entry["title"] for entry in certificate.courses)
        return (name, _("%(issuer)s certifies that the holder completed the learning path %(path)s.",
                        issuer=issuer_name, path=course),
                _("Completion of the learning path %(path)s, issued by %(issuer)s.", path=course, issuer=issuer_name),
                _("Completed every course of the learning path %(path)s: %(courses)s.", path=course, courses=courses))
    return (name, _("%(issuer)s certifies that the holder completed the course %(course)s.",
                    issuer=issuer_name, course=course),
            _("Completion of the course %(course)s, issued by %(issuer)s.", course=course, issuer=issuer_name),
            _("Completed every lesson and passed every quiz of the course %(course)s.", course=course))


def open_badge_credential(certificate, *, credential_id, issuer, achievement_id, status, secret_key, alignment=()):
    """The certificate as an unsigned OpenBadgeCredential, its texts in the certificate's language.

    The holder appears by name and by a salted hash of a keyed pseudonym; never by id or e-mail address.
    `status` is the list of credentialStatus entries; `alignment` the Alignments to competences.
    """
    with force_locale(certificate.course_language):
        name, description, achievement_description, narrative = _texts(certificate)
    achievement = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "LearningProgram" if certificate.is_path else "CertificateOfCompletion",
        "name": certificate.course_title,
        "description": achievement_description,
        "criteria": {"narrative": narrative},
        "inLanguage": certificate.course_language,
        "version": certificate.course_version,
    }
    if alignment:
        achievement["alignment"] = list(alignment)
    return {
        "@context": CONTEXT,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "description": description,
        "issuer": issuer,
        "validFrom": timestamp(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": certificate.holder_name,
            "identifier": [{
                "type": "IdentityObject",
                "identityHash": identity_hash(holder_pseudonym(certificate.user_id, secret_key), certificate.code),
                "identityType": "identifier",
                "hashed": True,
                "salt": certificate.code,
            }],
            "achievement": achievement,
        },
        "credentialSchema": [{"id": SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}],
        "credentialStatus": status,
    }


#: the only reason the public ever sees; the detailed one is for administrators
PUBLIC_REVOCATION_REASON = "Revoked by the issuer."


def revocation_status(list_id):
    """The 1EdTech revocation list entry of `credentialStatus`."""
    return {"id": list_id, "type": "1EdTechRevocationList"}


def revocation_list(certificate, *, list_id, issuer_id, credential_id):
    """A 1EdTech revocation list with just this credential, if revoked: no public list of every revocation."""
    revoked = [{"id": credential_id, "revocationReason": PUBLIC_REVOCATION_REASON}] if certificate.is_revoked else []
    return {"id": list_id, "issuer": issuer_id, "revokedCredentials": revoked}
