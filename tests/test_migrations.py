"""`flask db upgrade` on an empty database gives exactly the models' schema (SQLite and PostgreSQL)."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from tests.conftest import POSTGRES, PostgresSchema, make_config


def upgraded_differences(app):
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, db.metadata)


def test_sqlite_upgrade_matches_models(tmp_path, courses_dir):
    app = create_app(make_config(tmp_path, courses_dir, DATABASE_URL=f"sqlite:///{tmp_path}/m.db"))
    assert upgraded_differences(app) == []
    with app.app_context():
        assert "quiz_attempts" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert "quiz_attempts" not in inspect(db.engine).get_table_names()
        db.engine.dispose()


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL is not reachable")
def test_postgresql_upgrade_matches_models(tmp_path, courses_dir):
    with PostgresSchema() as schema:
        app = create_app(make_config(tmp_path, courses_dir, **schema.config()))
        assert upgraded_differences(app) == []
        with app.app_context():
            downgrade(revision="base")
            db.engine.dispose()
