"""Calls, their rubric and jury, the learners' frozen submissions and the jurors' scores."""
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models.base import UTCDateTime, utcnow

#: the scale of a score for one criterion
MIN_SCORE, MAX_SCORE = 0, 10


class Call(db.Model):
    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    course_slug: Mapped[str] = mapped_column(String(100))
    #: the `<module>/<worksheet>` keys a submission must include, complete
    required_worksheets: Mapped[list[str]] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at = mapped_column(UTCDateTime(), default=utcnow)

    criteria = relationship("Criterion", order_by="Criterion.position", cascade="all, delete-orphan")
    jurors = relationship("JuryMember", cascade="all, delete-orphan")


class Criterion(db.Model):
    __tablename__ = "call_criteria"
    __table_args__ = (CheckConstraint("weight > 0", name="weight_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    weight: Mapped[float] = mapped_column(Float)


class JuryMember(db.Model):
    __tablename__ = "call_jurors"
    __table_args__ = (UniqueConstraint("call_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    user = relationship("User")


class Submission(db.Model):
    """A learner's plan as it was when they submitted it: later changes to their workbook do not touch it."""

    __tablename__ = "call_submissions"
    __table_args__ = (UniqueConstraint("call_id", "learner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: {worksheet key: {field id: value}} of the required worksheets
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitted_at = mapped_column(UTCDateTime(), default=utcnow)

    learner = relationship("User")


class Score(db.Model):
    """One juror's score for one criterion of one submission: exactly once (unique constraint)."""

    __tablename__ = "call_scores"
    __table_args__ = (
        UniqueConstraint("submission_id", "criterion_id", "juror_id"),
        CheckConstraint(f"value >= {MIN_SCORE} AND value <= {MAX_SCORE}", name="score_on_scale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("call_submissions.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("call_criteria.id", ondelete="CASCADE"), index=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    value: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at = mapped_column(UTCDateTime(), default=utcnow)
