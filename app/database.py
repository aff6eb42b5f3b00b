"""Database engine settings: SQLite gets WAL, foreign keys and a busy timeout."""
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db


def configure_database(app):
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def is_unique_violation(error):
    """True when an IntegrityError comes from a unique constraint (SQLite or PostgreSQL)."""
    text = str(getattr(error, "orig", error)).lower()
    return "unique" in text or "duplicate key" in text


__all__ = ["configure_database", "is_unique_violation", "Engine"]
