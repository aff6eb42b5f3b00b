"""Learner progress: enrolments, lessons done, course completions."""
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class Enrolment(db.Model):
    """A learner's place in a course: started when they first open it, and where they were."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "course_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_slug: Mapped[str] = mapped_column(String(100))
    #: the `<module>/<item>` key last opened
    last_item_key: Mapped[str | None] = mapped_column(String(201))
    started_at = mapped_column(UTCDateTime(), default=utcnow)
    last_viewed_at = mapped_column(UTCDateTime(), default=utcnow)


class LessonProgress(db.Model):
    """One lesson marked as done; the row exists only once per learner and lesson."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "course_slug", "lesson_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_slug: Mapped[str] = mapped_column(String(100))
    lesson_key: Mapped[str] = mapped_column(String(201))
    completed_at = mapped_column(UTCDateTime(), default=utcnow)


class CourseCompletion(db.Model):
    """A course completed: recorded exactly once per learner and course (unique constraint)."""

    __tablename__ = "course_completions"
    __table_args__ = (UniqueConstraint("user_id", "course_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_slug: Mapped[str] = mapped_column(String(100))
    #: the content hash of the course when it was completed
    course_version: Mapped[str] = mapped_column(String(64))
    completed_at = mapped_column(UTCDateTime(), default=utcnow)
