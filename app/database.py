"""Database engine settings (SQLite gets WAL, foreign keys and a busy timeout), and statements prepared once."""
from collections.abc import Callable
from typing import Any

from sqlalchemy import event

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


#: statements of the hot paths, by the function that builds them
_PREPARED: dict[Callable[[], Any], Any] = {}


def prepared(builder: Callable[[], Any]) -> Any:
    """The statement `builder` makes, built once per process on first use. SQLAlchemy then reuses its compiled
    form and result mapping; built on first use rather than at import, so mutation testing sees, and varies, the
    builder under the tests that run it (tests/mutation_plugin.py calls forget_prepared before each test)."""
    statement = _PREPARED.get(builder)
    if statement is None:
        statement = _PREPARED[builder] = builder()
    return statement


def forget_prepared() -> None:
    """Build every prepared statement again on its next use."""
    _PREPARED.clear()
