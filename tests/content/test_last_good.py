"""Never break a live course: a course whose files get an error keeps serving its last good version."""
import shutil

from app import create_app
from app.catalog import get_catalog, reload
from app.cli import check_command
from app.extensions import db

from ..conftest import make_config

SAVING = "/courses/sample-course/basics/saving"


def make_app(tmp_path, courses_dir, **extra):
    app = create_app(make_config(tmp_path, courses_dir, **{"COURSES_AUTO_RELOAD": True, **extra}))
    with app.app_context():
        db.create_all()
    return app


def break_saving(courses_dir, body="Put a little aside every week."):
    (courses_dir / "sample-course" / "01-basics" / "02-saving.md").write_text(f"---\ntitle: [oops\n---\n\n{body}\n")


def write_saving(courses_dir, body):
    (courses_dir / "sample-course" / "01-basics" / "02-saving.md").write_text(f"---\ntitle: Saving\n---\n\n{body}\n")


def test_a_broken_edit_keeps_the_last_good_version_under_auto_reload(tmp_path, courses_dir):
    app = make_app(tmp_path, courses_dir)
    client = app.test_client()
    live = get_catalog(app).course("sample-course").version
    break_saving(courses_dir, "A NEW SENTENCE THAT MUST NOT SHOW")
    page = client.get(SAVING)
    assert page.status_code == 200
    assert "Put a little aside every week." in page.get_data(as_text=True)
    assert "A NEW SENTENCE" not in page.get_data(as_text=True)
    catalog = get_catalog(app)
    assert catalog.held_back == {"sample-course": live}
    assert any(p.level == "error" and p.path.endswith("02-saving.md") for p in catalog.problems)
    assert client.get("/healthz").json["content_errors"] >= 1


def test_a_fixed_course_serves_its_new_version(tmp_path, courses_dir):
    app = make_app(tmp_path, courses_dir)
    client = app.test_client()
    break_saving(courses_dir)
    client.get(SAVING)
    write_saving(courses_dir, "Save a coin each day.")
    assert "Save a coin each day." in client.get(SAVING).get_data(as_text=True)
    assert get_catalog(app).held_back == {}


def test_the_last_good_version_survives_a_restart(tmp_path, courses_dir):
    make_app(tmp_path, courses_dir)  # production: a first start with good files
    break_saving(courses_dir, "BROKEN")
    restarted = make_app(tmp_path, courses_dir, COURSES_AUTO_RELOAD=False)
    page = restarted.test_client().get(SAVING).get_data(as_text=True)
    assert "Put a little aside every week." in page and "BROKEN" not in page
    assert "sample-course" in get_catalog(restarted).held_back


def test_a_new_course_with_errors_is_not_published(tmp_path, courses_dir):
    shutil.copytree(courses_dir / "sample-course", courses_dir / "new-course")
    (courses_dir / "new-course" / "01-basics" / "02-saving.md").write_text("---\ntitle: [oops\n---\n")
    app = make_app(tmp_path, courses_dir)
    assert app.test_client().get("/courses/new-course").status_code == 404
    assert get_catalog(app).unpublished == ("new-course",)
    assert "new-course" not in get_catalog(app).held_back


def test_trainers_see_the_errors_and_the_live_version(app, client, auth, courses_dir):
    live = get_catalog(app).course("sample-course").version
    shutil.copytree(courses_dir / "sample-course", courses_dir / "new-course")
    (courses_dir / "new-course" / "course.md").write_text("---\ntitle: [oops\n---\n")
    break_saving(courses_dir)
    reload(app)  # production: `flask courses reload` or a publish
    auth.as_new_user("tina", role="trainer")
    html = client.get("/trainer/").get_data(as_text=True)
    assert f"sample-course has errors: learners still get its last good version {live[:12]}." in html
    assert "new-course is a new course with errors: it is not published until they are fixed." in html
    assert "02-saving.md:2: error" in html


def test_the_checker_names_the_live_version(tmp_path, courses_dir):
    app = make_app(tmp_path, courses_dir)
    live = get_catalog(app).course("sample-course").version
    break_saving(courses_dir)
    app = make_app(tmp_path, courses_dir, COURSES_AUTO_RELOAD=False)
    result = app.test_cli_runner().invoke(check_command, [])
    assert result.exit_code == 1
    assert f"sample-course: learners still get its last good version {live[:12]}" in result.stderr
    assert "last good version" not in result.stdout
