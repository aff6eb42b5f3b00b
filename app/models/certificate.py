"""Certificates and their revocation history."""
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow


class Certificate(db.Model):
    """A completion certificate: a snapshot of who, what and when, verifiable by its code."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("user_id", "course_slug"),
        CheckConstraint("(revoked_at IS NULL) = (revoked_reason IS NULL)", name="reason_when_revoked"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 100 random bits in Crockford base32, stored without dashes, upper case
    code: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_slug: Mapped[str] = mapped_column(String(100))
    holder_name: Mapped[str] = mapped_column(String(120))
    course_title: Mapped[str] = mapped_column(String(300))
    course_version: Mapped[str] = mapped_column(String(64))
    course_language: Mapped[str] = mapped_column(String(8))
    issuer_name: Mapped[str] = mapped_column(String(200))
    issued_at = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at = mapped_column(UTCDateTime(), nullable=True)
    revoked_reason: Mapped[str | None] = mapped_column(Text)

    events = relationship("CertificateEvent", order_by="CertificateEvent.id", back_populates="certificate")

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class CertificateEvent(db.Model):
    """An audit record: who revoked or reinstated a certificate, when and why."""

    __tablename__ = "certificate_events"
    __table_args__ = (CheckConstraint("action IN ('revoked', 'reinstated')", name="action_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime(), default=utcnow)

    certificate = relationship("Certificate", back_populates="events")
    actor = relationship("User")
