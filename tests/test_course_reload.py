"""When a running server reloads the courses: every request in development, on a signal looked for once a while in
production."""
from time import monotonic

import pytest

LESSON = "/courses/sample-course/basics/saving"


@pytest.fixture
def edited(courses_dir):
    """Edit a lesson on disk; returns the new sentence."""
    lesson = courses_dir / "sample-course/01-basics/02-saving.md"
    lesson.write_text(lesson.read_text().replace("Put a little aside", "Keep a reserve"))
    return "Keep a reserve"


@pytest.fixture
def looks(monkeypatch):
    """How often a request looked at the reload signal (the marker file in the instance folder)."""
    from app import catalog

    seen = []
    original = catalog._marker_mtime
    monkeypatch.setattr(catalog, "_marker_mtime", lambda app: seen.append(1) or original(app))
    return seen


def test_in_development_an_edited_file_shows_on_the_next_request(app, client, edited, looks):
    app.config["COURSES_AUTO_RELOAD"] = True
    assert edited in client.get(LESSON).get_data(as_text=True)
    assert looks == []  # the files themselves are compared


def test_in_production_requests_do_not_look_for_the_reload_signal_each_time(app, client, runner, edited, looks):
    assert app.config["COURSES_AUTO_RELOAD"] is False
    client.get("/ping")
    assert runner.invoke(args=["courses", "reload"]).exit_code == 0
    for _ in range(5):
        assert edited not in client.get(LESSON).get_data(as_text=True)
    assert len(looks) == 1  # the first request after start; the next look is due a second later


def test_in_production_every_worker_reloads_within_the_check_interval(app, client, runner, edited, monkeypatch):
    client.get("/ping")
    assert runner.invoke(args=["courses", "reload"]).exit_code == 0
    later = monotonic() + app.config["COURSES_RELOAD_CHECK_SECONDS"]
    monkeypatch.setattr("app.catalog.monotonic", lambda: later)
    assert edited in client.get(LESSON).get_data(as_text=True)
    assert edited in client.get(LESSON).get_data(as_text=True)  # reloaded once, kept
