"""Quiz attempts and the answers given in each."""
from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow


class QuizAttempt(db.Model):
    """One try at a quiz: opened when shown, graded once when submitted."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "course_slug", "quiz_key", "number"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 1)", name="score_in_range"),
        CheckConstraint("pass_mark >= 0 AND pass_mark <= 1", name="pass_mark_in_range"),
        CheckConstraint("(submitted_at IS NULL) = (score IS NULL)", name="score_set_when_submitted"),
        CheckConstraint("(submitted_at IS NULL) = (passed IS NULL)", name="passed_set_when_submitted"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_slug: Mapped[str] = mapped_column(String(100))
    quiz_key: Mapped[str] = mapped_column(String(201))
    #: 1 for the first attempt at this quiz, 2 for the next...
    number: Mapped[int] = mapped_column(Integer)
    #: seeds the option order, so it stays the same within the attempt
    seed: Mapped[int] = mapped_column(Integer)
    #: the pass mark (0..1) this attempt is graded against, copied from the quiz when opened
    pass_mark: Mapped[float] = mapped_column(Float)
    course_version: Mapped[str] = mapped_column(String(64))
    started_at = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at = mapped_column(UTCDateTime(), nullable=True)
    score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column()

    answers = relationship("QuestionAnswer", back_populates="attempt", order_by="QuestionAnswer.id",
                           cascade="all, delete-orphan")


class QuestionAnswer(db.Model):
    """What the learner answered to one question in one attempt."""

    __tablename__ = "question_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(100))
    #: the answer as read by the question type: an option id, a list of ids, a bool or a number
    response = mapped_column(JSON)
    correct: Mapped[bool] = mapped_column()

    attempt = relationship("QuizAttempt", back_populates="answers")
