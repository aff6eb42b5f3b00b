"""Events a learner's device queued while offline, each accepted once."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models.base import UTCDateTime, utcnow

EVENT_KINDS = ("lesson-done", "quiz-answers")
OUTCOMES = ("recorded", "already-done", "graded", "stale")


class OfflineEvent(db.Model):
    """One queued event, stored once per learner and client id: a replay finds it and changes nothing."""

    __tablename__ = "offline_events"
    __table_args__ = (
        UniqueConstraint("user_id", "client_id"),
        CheckConstraint(f"kind IN {EVENT_KINDS}", name="kind_known"),
        CheckConstraint(f"outcome IN {OUTCOMES}", name="outcome_known"),
        CheckConstraint("occurred_at <= received_at", name="not_in_future"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: the UUID the device gave the event when it was queued
    client_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(20))
    course_slug: Mapped[str] = mapped_column(String(100))
    #: the `<module>/<item>` key of the lesson or quiz
    item_key: Mapped[str] = mapped_column(String(201))
    #: when it happened on the device, kept within bounds (not in the future, not before enrolment)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    #: the time the device claimed, as sent
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    #: what it did: recorded, already-done (nothing new), graded, stale (the attempt was graded or is gone)
    outcome: Mapped[str] = mapped_column(String(20))
    #: the quiz attempt the answers were graded in
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="SET NULL"))
