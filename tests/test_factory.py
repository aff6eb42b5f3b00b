"""The app factory, configuration and health check."""
import os
import stat

from app import create_app
from app.config import database_uri, env_overrides


def test_testing_config_is_applied(app):
    assert app.testing
    assert app.config["ORGANISATION_NAME"] == "Soglia Test NGO"


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch, courses_dir):
    instance = tmp_path / "instance"
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(instance))
    first = create_app({"COURSES_DIR": str(courses_dir), "DATABASE_URL": f"sqlite:///{tmp_path}/a.db"})
    second = create_app({"COURSES_DIR": str(courses_dir), "DATABASE_URL": f"sqlite:///{tmp_path}/a.db"})
    key_file = instance / "secret_key"
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()
    assert len(first.config["SECRET_KEY"]) >= 64
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_the_instance_folder_may_be_outside_the_code(tmp_path, monkeypatch, courses_dir):
    """SOGLIA_INSTANCE_PATH: keys, caches and instance/config.py live there (e.g. /var/lib/soglia)."""
    instance = tmp_path / "var" / "soglia"
    instance.mkdir(parents=True)
    (instance / "config.py").write_text('ORGANISATION_NAME = "From the instance folder"\n')
    monkeypatch.setenv("SOGLIA_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("SOGLIA_COURSES_DIR", str(courses_dir))
    monkeypatch.setenv("SOGLIA_DATABASE_URL", f"sqlite:///{tmp_path}/a.db")
    app = create_app()
    assert app.instance_path == str(instance)
    assert app.config["ORGANISATION_NAME"] == "From the instance folder"
    assert (instance / "secret_key").exists()


def test_environment_overrides_are_typed():
    found = env_overrides({"SOGLIA_SECRET_KEY": "k", "SOGLIA_REQUIRE_LOGIN": "true",
                           "SOGLIA_COURSES_AUTO_RELOAD": "0", "OTHER": "x"})
    assert found == {"SECRET_KEY": "k", "REQUIRE_LOGIN": True, "COURSES_AUTO_RELOAD": False}


def test_database_uri_defaults_to_sqlite_in_instance_and_uses_psycopg3_for_postgres(tmp_path):
    assert database_uri({}, str(tmp_path)) == f"sqlite:///{tmp_path}/soglia.db"
    assert database_uri({"DATABASE_URL": "postgres://u@h/db"}, "x") == "postgresql+psycopg://u@h/db"
    assert database_uri({"DATABASE_URL": "postgresql://u@h/db"}, "x") == "postgresql+psycopg://u@h/db"


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(app):
    from app.extensions import db

    with app.app_context():
        connection = db.session.connection()
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_healthz_reports_database_and_courses(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "courses": 1, "content_errors": 0}


def test_healthz_says_503_when_the_database_is_down(tmp_path, courses_dir):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "COURSES_DIR": str(courses_dir), "INSTANCE_PATH": str(tmp_path),
                      "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "error"


def test_a_course_with_errors_does_not_stop_the_app(tmp_path, courses_dir):
    (courses_dir / "broken").mkdir()
    (courses_dir / "broken" / "course.md").write_text("---\ntitle: [oops\n---\n")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "COURSES_DIR": str(courses_dir), "INSTANCE_PATH": str(tmp_path),
                      "DATABASE_URL": f"sqlite:///{tmp_path}/b.db"})
    health = app.test_client().get("/healthz").json
    assert health["courses"] == 1 and health["content_errors"] == 2  # bad YAML, and (read on) no modules
