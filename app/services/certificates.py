"""Certificates: issue once per learner and course, look up by code, revoke and reinstate."""
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from ..cohorts import tallies
from ..content.model import Course
from ..database import prepared
from ..extensions import db
from ..models import Certificate, CertificateEvent, User
from ..models.base import utcnow
from ..organisations.operations import awarding_name

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 20  # 20 symbols x 5 bits = 100 random bits
CODE_PREFIX = "SGL"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_code() -> str:
    """A new random code: CODE_LENGTH symbols of Crockford's base 32."""
    return "".join(secrets.choice(CROCKFORD) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """`SGL-7K4Q-9XTB-2MWD-...`: groups of four, easy to read aloud and type."""
    return "-".join([CODE_PREFIX] + [code[i:i + 4] for i in range(0, len(code), 4)])


def normalise_code(text: str | None) -> str | None:
    """Read a typed code: any case, with or without dashes, spaces or the SGL prefix.

    Returns None for anything that cannot be a code (so lookups of junk cost nothing).
    """
    if not text or len(text) > 64:
        return None
    cleaned = re.sub(r"[\s\-_.]", "", text.upper())
    cleaned = cleaned.removeprefix(CODE_PREFIX)
    cleaned = cleaned.translate(_CONFUSABLE)
    if len(cleaned) != CODE_LENGTH or any(ch not in CROCKFORD for ch in cleaned):
        return None
    return cleaned


def find_certificate(text: str | None) -> Certificate | None:
    """The certificate with the code in `text` (typed any way normalise_code reads), or None."""
    code = normalise_code(text)
    if code is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


@dataclass(frozen=True)
class VerifiedCertificate:
    """What the public verification page shows of a certificate (nothing else is read)."""

    code: str
    kind: str
    course_slug: str
    holder_name: str
    course_title: str
    course_language: str
    issuer_name: str
    issued_at: datetime
    revoked_at: datetime | None
    revoked_reason: str | None
    courses: list[dict[str, str]] | None
    competences: list[str] | None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_path(self) -> bool:
        return self.kind == "path"


def _verified_statement() -> Any:
    return select(*[getattr(Certificate, field.name) for field in fields(VerifiedCertificate)]).where(
        Certificate.code == bindparam("code"))


def verified_certificate(text: str | None) -> VerifiedCertificate | None:
    """The public facts of the certificate with the code in `text`, read in one Core statement, or None."""
    code = normalise_code(text)
    if code is None:
        return None
    row = db.session.connection().execute(prepared(_verified_statement), {"code": code}).one_or_none()
    return VerifiedCertificate(*row) if row is not None else None


def certificate_of(user_id: int, course_slug: str) -> Certificate | None:
    """The learner's certificate for a course, or None."""
    return db.session.scalar(select(Certificate).where(Certificate.user_id == user_id, Certificate.kind == "course",
                                                       Certificate.course_slug == course_slug))


def certificates_of(user_id: int) -> Sequence[Certificate]:
    """The learner's certificates, newest first."""
    return db.session.scalars(select(Certificate).where(Certificate.user_id == user_id)
                              .order_by(Certificate.issued_at.desc())).all()


def own_certificate(user_id: int, text: str) -> Certificate | None:
    """The learner's certificate with this code, or None for unknown codes and other people's."""
    certificate = find_certificate(text)
    return certificate if certificate is not None and certificate.user_id == user_id else None


def issue_certificate(user: User, course: Course, organisation_name: str) -> Certificate:
    """Issue the certificate for a completed course, once (unique on user and course).

    :return: the certificate, new or already issued
    """
    existing = certificate_of(user.id, course.slug)
    if existing is not None:
        return existing
    language = user.locale if user.locale in course.texts else course.language
    certificate = Certificate(
        code=new_code(), user_id=user.id, course_slug=course.slug, holder_name=user.display_name,
        course_title=course.texts[language].title, course_version=course.version,
        course_language=language, issuer_name=awarding_name(user.organisation_id, organisation_name), competences=list(course.all_competences),
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:  # a concurrent request issued it first: that one is the certificate
        existing = certificate_of(user.id, course.slug)
        assert existing is not None
        return existing
    return certificate


def revoke(certificate: Certificate, actor: User, reason: str) -> None:
    """Revoke with a reason, recording who and when."""
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason
    db.session.add(CertificateEvent(certificate=certificate, actor_id=actor.id, action="revoked", reason=reason))
    db.session.flush()
    tallies.recount([certificate.user_id])


def reinstate(certificate: Certificate, actor: User, reason: str) -> None:
    """Make a revoked certificate valid again, recording who, when and why."""
    certificate.revoked_at = None
    certificate.revoked_reason = None
    db.session.add(CertificateEvent(certificate=certificate, actor_id=actor.id, action="reinstated", reason=reason))
    db.session.flush()
    tallies.recount([certificate.user_id])
