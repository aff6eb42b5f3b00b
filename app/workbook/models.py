"""A learner's worksheet answers: one row per field, referring to the content by slugs and ids."""
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

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
