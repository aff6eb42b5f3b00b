"""Certificates as verifiable credentials: sign once, publish, verify."""
import json
import secrets
from datetime import UTC, datetime

from flask import current_app, url_for
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..catalog import get_catalog
from ..competences.operations import competences_of
from ..extensions import db
from ..links import public_url
from ..models import Certificate
from ..services.certificates import format_code
from . import dataintegrity, issuer, openbadges, status_list


def signed_url(endpoint, **values):
    """An absolute URL for a signed document: always on the configured public base URL (PublicBaseUrlMissing)."""
    return issuer.public_base_url() + url_for(endpoint, **values)


def verification_url(certificate):
    return public_url("certificates.verify", code=format_code(certificate.code))


def issuer_profile():
    return openbadges.issuer_profile(issuer.issuer_did(), issuer.awarding_organisation_name(),
                                     signed_url("main.index"))


def achievement_url(certificate):
    """The public page of what was achieved: the course, or the learning path."""
    if certificate.is_path:
        return signed_url("main.path", slug=certificate.course_slug)
    return signed_url("learn.course", course_slug=certificate.course_slug)


def status_list_url(number):
    return signed_url("certificates.status_list", number=number)


def unsigned_credential(certificate):
    code = format_code(certificate.code)
    status = [status_list.status_entry(status_list_url(certificate.status_list), certificate.status_index),
              openbadges.revocation_status(signed_url("certificates.revocation_list", code=code))]
    return openbadges.open_badge_credential(
        certificate, credential_id=signed_url("certificates.verify", code=code), issuer=issuer_profile(),
        achievement_id=achievement_url(certificate), status=status,
        secret_key=current_app.config["SECRET_KEY"], alignment=alignments(certificate),
    )


def alignments(certificate):
    """Open Badges Alignments to the competences the certificate attests, each to its public page."""
    lang, framework = certificate.course_language, get_catalog().framework
    return [{
        "type": ["Alignment"], "targetType": "ceasn:Competency", "targetCode": competence.id,
        "targetName": competence.name(lang), "targetDescription": competence.description(lang),
        "targetFramework": framework.name(lang),
        "targetUrl": signed_url("competences.competence", competence_id=competence.id),
    } for competence in competences_of(certificate)]


def _open_status_list():
    """The list that takes new credentials: the newest, until it is filled to FILL_LIMIT."""
    newest = db.session.scalar(select(func.max(Certificate.status_list))) or 1
    used = db.session.scalar(select(func.count()).where(Certificate.status_list == newest)) or 0
    return newest if used < status_list.FILL_LIMIT else newest + 1


def assign_status_bit(certificate, attempts=20):
    """Give the certificate a random free bit in the open status list, once (a unique constraint guards it)."""
    while certificate.status_index is None and attempts:
        attempts -= 1
        number, index = _open_status_list(), secrets.randbelow(status_list.LENGTH)
        try:
            with db.session.begin_nested():
                db.session.execute(update(Certificate).where(
                    Certificate.id == certificate.id, Certificate.status_index.is_(None),
                ).values(status_list=number, status_index=index))
        except IntegrityError:
            continue  # the bit was taken meanwhile: draw again
        db.session.refresh(certificate)
    if certificate.status_index is None:
        raise RuntimeError("no free status list bit found")


def signed_credential(certificate):
    """The certificate's signed OpenBadgeCredential, signed on first request and kept, so its proof never changes.

    :raise issuer.PublicBaseUrlMissing: when no public base URL is configured (nothing is signed then)
    """
    if certificate.credential is None:
        assign_status_bit(certificate)
        text = json.dumps(issuer.sign(unsigned_credential(certificate)), ensure_ascii=False)
        # the first signature wins: a concurrent request that signed too gets the stored one
        db.session.execute(update(Certificate).where(Certificate.id == certificate.id,
                                                     Certificate.credential.is_(None)).values(credential=text))
        db.session.commit()
        db.session.refresh(certificate)
    return json.loads(certificate.credential)


def signed_status_list(number):
    """The signed BitstringStatusListCredential of list `number`; None if no certificate uses that list."""
    in_list = select(Certificate.status_index, Certificate.revoked_at).where(Certificate.status_list == number)
    rows = db.session.execute(in_list).all()
    if not rows:
        return None
    revoked = [index for index, revoked_at in rows if revoked_at is not None]
    now = dataintegrity.timestamp(datetime.now(UTC))
    return issuer.sign(status_list.status_list_credential(status_list_url(number), issuer.issuer_did(), revoked, now))
