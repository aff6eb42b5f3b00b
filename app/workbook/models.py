"""A learner's worksheet answers: one row per field, referring to the content by slugs and ids."""
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models.base import UTCDateTime, utcnow


class WorksheetAnswer(db.Model):
    """What a learner wrote in one field of a worksheet; saved again whenever they change it."""

    __tablename__ = "worksheet_answers"
    __table_args__ = (UniqueConstraint("user_id", "course_slug", "worksheet_key", "field_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_slug: Mapped[str] = mapped_column(String(100))
    #: the `<module>/<worksheet>` key
    worksheet_key: Mapped[str] = mapped_column(String(201))
    field_id: Mapped[str] = mapped_column(String(40))
    #: a text, a number, a choice id, or a list of rows ({column id: text or number})
    value = mapped_column(JSON, nullable=True)
    updated_at = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class PlanShare(db.Model):
    """A learner's consent that one trainer of their organisation reads their plan and comments on it.

    Withdrawing keeps the row (withdrawn_at set): the reviewer may no longer read the plan, and the call
    jury still knows who reviewed it (a conflict of interest).
    """

    __tablename__ = "plan_shares"
    __table_args__ = (UniqueConstraint("learner_id", "course_slug", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_slug: Mapped[str] = mapped_column(String(100))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    shared_at = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at = mapped_column(UTCDateTime(), nullable=True)
    #: when the reviewer marked the plan "ready for the interview"
    ready_at = mapped_column(UTCDateTime(), nullable=True)

    learner = relationship("User", foreign_keys=[learner_id])
    reviewer = relationship("User", foreign_keys=[reviewer_id])

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class PlanComment(db.Model):
    """A reviewer's comment on one worksheet (field_id empty) or one field of it."""

    __tablename__ = "plan_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    share_id: Mapped[int] = mapped_column(ForeignKey("plan_shares.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    worksheet_key: Mapped[str] = mapped_column(String(201))
    field_id: Mapped[str] = mapped_column(String(40), default="")
    body: Mapped[str] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime(), default=utcnow)
    #: when the learner first saw it (their home page shows the ones not seen yet)
    seen_at = mapped_column(UTCDateTime(), nullable=True)

    author = relationship("User", foreign_keys=[author_id])
