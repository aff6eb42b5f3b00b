"""The privacy migration on existing data: names cleaned, look-alike usernames found, old sessions ended."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db
from tests.conftest import make_config

BEFORE = "87aea1f8d31a"


def test_existing_accounts_are_cleaned_and_get_skeletons(tmp_path, courses_dir):
    app = create_app(make_config(tmp_path, courses_dir, DATABASE_URL=f"sqlite:///{tmp_path}/m.db"))
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO users (id, username, display_name, password_hash, locale, track, role, session_token) "
                "VALUES (1, 'admin', :spoof, 'x', 'en', 'entrepreneur', 'learner', 't'), "
                "(2, :cyrillic, 'B', 'x', 'en', 'entrepreneur', 'learner', 't')"),
                {"spoof": "Mario \u202eossoR\u202c Rossi", "cyrillic": "\u0430dmin"})
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT id, username_skeleton, display_name FROM users ORDER BY id")).all()
        assert rows == [(1, "admin", "Mario ossoR Rossi"), (2, None, "B")]
        downgrade(revision=BEFORE)
        db.engine.dispose()
