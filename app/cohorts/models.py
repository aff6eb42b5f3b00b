from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models.base import UTCDateTime, utcnow

#: how a learner came into a cohort
JOIN_METHODS = ("code", "selected", "import")
#: what the programme report counts (see tallies.py)
METRICS = ("enrolled", "started", "completed", "certificates")
#: how it breaks them down; "people" counts each person once, on the day of their first event of each kind
COUNT_DIMENSIONS = ("people", "cohort", "course", "language", "track")


class Cohort(db.Model):
    """A class of learners in one organisation, following assigned courses between two dates."""

    __tablename__ = "cohorts"
    __table_args__ = (
        UniqueConstraint("organisation_id", "name"),
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    #: the language the cohort is taught in; new learners default to it
    language: Mapped[str] = mapped_column(String(8))
    starts_on = mapped_column(Date, nullable=True)
    ends_on = mapped_column(Date, nullable=True)
    #: what learners type (or follow as a link) to join; unique across the platform
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    #: the last day the code works; None: it works until the trainer changes it
    join_code_expires_on = mapped_column(Date, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at = mapped_column(UTCDateTime(), default=utcnow)

    assignments = relationship("CohortCourse", order_by="CohortCourse.id", cascade="all, delete-orphan",
                               back_populates="cohort")


class CohortCourse(db.Model):
    """A course assigned to a cohort, maybe as part of a learning path, maybe due by a date."""

    __tablename__ = "cohort_courses"
    __table_args__ = (UniqueConstraint("cohort_id", "course_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    course_slug: Mapped[str] = mapped_column(String(100))
    #: the learning path it was assigned through, if any
    path_slug: Mapped[str | None] = mapped_column(String(100))
    due_on = mapped_column(Date, nullable=True)

    cohort = relationship("Cohort", back_populates="assignments")


class CohortMember(db.Model):
    """A learner in a cohort: once per cohort (unique), in the cohort's organisation (checked on adding)."""

    __tablename__ = "cohort_members"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id"),
        CheckConstraint(f"method IN {JOIN_METHODS}", name="method_known"),
        Index("ix_cohort_members_user_cohort", "user_id", "cohort_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    method: Mapped[str] = mapped_column(String(10))
    joined_at = mapped_column(UTCDateTime(), default=utcnow, index=True)


class ProgrammePlace(db.Model):
    """A learner × a course assigned to one of their cohorts, with the days the programme report counts.

    What the stored counts are made of, so a change about a learner updates the counts by the difference.
    """

    __tablename__ = "programme_places"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    course_slug: Mapped[str] = mapped_column(String(100), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    #: the learner's language and track when last counted
    language: Mapped[str] = mapped_column(String(8))
    track: Mapped[str] = mapped_column(String(20))
    #: UTC days: joined the cohort, opened the course, completed it, got its certificate (not revoked)
    enrolled_on = mapped_column(Date)
    started_on = mapped_column(Date, nullable=True)
    completed_on = mapped_column(Date, nullable=True)
    certified_on = mapped_column(Date, nullable=True)


class ProgrammeCount(db.Model):
    """How many learner-course places had each event on a day, per cohort, course, language and track; and how
    many people had their first event of each kind ("people", value "")."""

    __tablename__ = "programme_counts"
    __table_args__ = (
        CheckConstraint(f"dimension IN {COUNT_DIMENSIONS}", name="dimension_known"),
        CheckConstraint(" AND ".join(f"{metric} >= 0" for metric in METRICS), name="not_negative"),
        Index("ix_programme_counts_organisation_day", "organisation_id", "day"),
    )

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    dimension: Mapped[str] = mapped_column(String(10), primary_key=True)
    #: the cohort id, course slug, language code or track
    value: Mapped[str] = mapped_column(String(100), primary_key=True)
    day = mapped_column(Date, primary_key=True)
    enrolled: Mapped[int] = mapped_column(Integer, default=0)
    started: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[int] = mapped_column(Integer, default=0)
    certificates: Mapped[int] = mapped_column(Integer, default=0)
