from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models.base import UTCDateTime, utcnow


class CourseEditor(db.Model):
    """A trainer who may edit and publish one course (admins grant it; admins edit every course)."""

    __tablename__ = "course_editors"
    __table_args__ = (UniqueConstraint("course_slug", "user_id", name="uq_course_editors_course_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the course's folder name, its stable slug
    course_slug: Mapped[str] = mapped_column(String(100), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User", foreign_keys=[user_id])
