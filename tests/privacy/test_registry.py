"""Every table that refers to a user has a privacy provider: a new table without one fails here."""
from app.extensions import db
from app.privacy.registry import PROVIDERS, Provider, covered_tables, discover, register


def tables_referring_to_users():
    """Tables with a column whose foreign key points at users (directly)."""
    found = set()
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if any(key.column.table.name == "users" for key in column.foreign_keys):
                found.add(table.name)
    return found | {"users"}


def test_every_table_referring_to_users_has_a_provider(app):
    discover()
    referring = tables_referring_to_users()
    assert {"users", "enrolments", "quiz_attempts", "certificates", "login_sessions"} <= referring  # the walk works
    missing = referring - covered_tables()
    assert not missing, f"no privacy provider covers {sorted(missing)}: add one in app/<domain>/privacy.py"


def test_providers_only_name_tables_that_exist(app):
    discover()
    assert covered_tables() <= set(db.metadata.tables)


def test_a_table_without_provider_is_caught(app):
    """The check itself can fail: a new table referring to users and no provider."""
    from sqlalchemy import Column, ForeignKey, Integer, Table

    table = Table("diary_entries", db.metadata, Column("id", Integer, primary_key=True),
                  Column("author_id", ForeignKey("users.id")))
    try:
        assert "diary_entries" in tables_referring_to_users() - covered_tables()
        register(Provider(name="diary", title="Diary", tables=("diary_entries",), export=lambda user_id: [],
                          erase=lambda user: None))
        assert "diary_entries" not in tables_referring_to_users() - covered_tables()
    finally:
        db.metadata.remove(table)
        PROVIDERS.pop("diary", None)
