from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models.base import UTCDateTime, utcnow

#: the organisation of a single-organisation install, created on first use
DEFAULT_SLUG = "default"


class Organisation(db.Model):
    """A partner organisation (an NGO, a microcredit provider, a municipal service): it owns its people."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at = mapped_column(UTCDateTime(), default=utcnow)


class AuditEvent(db.Model):
    """One staff action on a person: who did what to whom, when. Read by the organisation's admins."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_organisation_created", "organisation_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: a key of operations.AUDIT_ACTIONS
    action: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: what the action was about, in plain words (a cohort name, a number of learners)
    detail: Mapped[str] = mapped_column(String(300), default="")
    created_at = mapped_column(UTCDateTime(), default=utcnow)

    actor = relationship("User", foreign_keys=[actor_id])
    subject = relationship("User", foreign_keys=[subject_id])
