"""Certificates as verifiable credentials: sign once, publish, verify."""
import json

from flask import current_app, url_for
from sqlalchemy import update

from ..extensions import db
from ..models import Certificate
from ..services.certificates import format_code
from . import issuer, openbadges


def public_url(endpoint, **values):
    """An absolute URL on the public site: PUBLIC_BASE_URL when set, else the request's host (for links only)."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def signed_url(endpoint, **values):
    """An absolute URL for a signed document: always on the configured public base URL (PublicBaseUrlMissing)."""
    return issuer.public_base_url() + url_for(endpoint, **values)


def verification_url(certificate):
    return public_url("certificates.verify", code=format_code(certificate.code))


def issuer_profile():
    return openbadges.issuer_profile(issuer.issuer_did(), issuer.awarding_organisation_name(),
                                     signed_url("main.index"))


def unsigned_credential(certificate):
    code = format_code(certificate.code)
    return openbadges.open_badge_credential(
        certificate, credential_id=signed_url("certificates.verify", code=code), issuer=issuer_profile(),
        achievement_id=signed_url("learn.course", course_slug=certificate.course_slug),
        status_id=signed_url("certificates.revocation_list", code=code),
        secret_key=current_app.config["SECRET_KEY"],
    )


def signed_credential(certificate):
    """The certificate's signed OpenBadgeCredential, signed on first request and kept, so its proof never changes.

    :raise issuer.PublicBaseUrlMissing: when no public base URL is configured (nothing is signed then)
    """
    if certificate.credential is None:
        text = json.dumps(issuer.sign(unsigned_credential(certificate)), ensure_ascii=False)
        # the first signature wins: a concurrent request that signed too gets the stored one
        db.session.execute(update(Certificate).where(Certificate.id == certificate.id,
                                                     Certificate.credential.is_(None)).values(credential=text))
        db.session.commit()
        db.session.refresh(certificate)
    return json.loads(certificate.credential)
