from sqlalchemy import Index, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class SearchEntry(db.Model):
    """One searchable document, for PostgreSQL full-text search; rebuilt whenever the content changes.

    Not used on SQLite, where the index is an in-memory FTS5 table of each process.
    """

    __tablename__ = "search_entries"
    __table_args__ = (
        Index("ix_search_entries_document", "document", postgresql_using="gin"),
        Index("ix_search_entries_lang", "lang"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the content these entries were built from (a hash of every course's version)
    content_version: Mapped[str] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(8))
    #: the text search configuration of the language the text is written in
    text_config: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10))
    course_slug: Mapped[str] = mapped_column(String(100))
    item_key: Mapped[str] = mapped_column(String(201))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    document = mapped_column(TSVECTOR().with_variant(Text(), "sqlite"))
