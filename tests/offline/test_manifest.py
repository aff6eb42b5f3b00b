"""The offline manifest: every page and file of a course in one language, sizes, and a version that moves."""
import json
import re

from sqlalchemy import select

from app.catalog import reload
from app.extensions import db
from app.models import Enrolment
from app.offline.manifest import human_size


def manifest(client, slug="sample-course"):
    response = client.get(f"/offline/courses/{slug}.json")
    assert response.status_code == 200
    return response.get_json()


def test_the_manifest_lists_every_page_and_file_of_the_course(client, auth, catalog, courses_dir):
    auth.as_new_user()
    data = manifest(client)
    course = catalog.course("sample-course")
    urls = [entry["url"] for entry in data["entries"]]
    expected_pages = ["/courses/sample-course"] + [
        f"/courses/sample-course/{item.module_slug}/{item.slug}" for item in course.items]
    assert urls[:len(expected_pages)] == expected_pages
    image = courses_dir / "sample-course/01-basics/images/budget.png"
    assert {"url": "/courses/sample-course/assets/01-basics/images/budget.png", "bytes": image.stat().st_size} \
        .items() <= next(e for e in data["entries"] if e["url"].endswith("budget.png")).items()
    assert data["total_bytes"] == sum(entry["bytes"] for entry in data["entries"])
    assert [page["key"] for page in data["pages"]] == [item.key for item in course.items]
    assert data["size"] == human_size(data["total_bytes"])


def test_the_sizes_are_close_to_what_the_phone_downloads(client, auth):
    auth.as_new_user()
    data = manifest(client)
    downloaded = 0
    for entry in data["entries"]:
        with client.get(entry["url"], headers={"Soglia-Download": "1"}) as response:
            downloaded += len(response.data)
    assert 0.75 * downloaded <= data["total_bytes"] <= 1.25 * downloaded


def test_no_answer_key_goes_to_the_phone(client, auth, catalog):
    auth.as_new_user()
    text = json.dumps(manifest(client))
    quiz = catalog.course("sample-course").quizzes[0]
    assert "correct" not in text
    option_ids = {option.id for question in quiz.versions["en"].questions for option in question.options}
    page = client.get(f"/courses/sample-course/{quiz.module_slug}/{quiz.slug}").get_data(as_text=True)
    assert not option_ids & set(re.findall(r'value="([^"]+)"', page)) - {"true", "false"}


def test_the_version_changes_with_the_content_and_the_language(client, auth, courses_dir, app):
    auth.as_new_user()
    before = manifest(client)
    lesson = courses_dir / "sample-course/01-basics/02-saving.md"
    lesson.write_text(lesson.read_text() + "\n\nOne more sentence.\n")
    reload(app)
    after = manifest(client)
    assert after["version"] != before["version"]
    unchanged = {e["url"]: e["hash"] for e in before["entries"]}
    image = next(e for e in after["entries"] if e["url"].endswith("budget.png"))
    assert unchanged[image["url"]] == image["hash"]  # an unchanged image is not downloaded again
    with app.app_context():
        from app.models import User

        db.session.scalar(select(User)).locale = "it"
        db.session.commit()
    italian = manifest(client)
    assert italian["language"] == "it" and italian["version"] != after["version"]
    assert italian["title"] != after["title"]


def test_keeping_a_course_enrols_but_does_not_move_where_i_left_off(client, auth, app):
    auth.as_new_user()
    client.get("/courses/sample-course/basics/welcome")
    for entry in manifest(client)["entries"]:
        client.get(entry["url"], headers={"Soglia-Download": "1"}).close()
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment))
    assert enrolment.last_item_key == "basics/welcome"


def test_the_manifest_is_for_logged_in_learners_only(client):
    response = client.get("/offline/courses/sample-course.json")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert client.get("/offline/courses/no-such-course.json").status_code == 302


def test_course_and_path_pages_show_the_size_first(client, auth, catalog):
    assert "data-keep" not in client.get("/courses/sample-course").get_data(as_text=True)  # visitors: nothing
    auth.as_new_user()
    size = manifest(client)["size"]
    page = client.get("/courses/sample-course").get_data(as_text=True)
    assert f"Keep on my phone ({size})" in page and "Keep this course on my phone" in page
    path = catalog.paths[0]
    page = client.get(f"/paths/{path.slug}").get_data(as_text=True)
    assert "Keep this path on my phone" in page
    for slug in path.course_slugs:
        assert f"/offline/courses/{slug}.json" in page


def test_sizes_read_like_a_phone_shows_them(app):
    with app.test_request_context():
        assert human_size(850) == "1 KB"
        assert human_size(23_400) == "23 KB"
        assert human_size(1_230_000) == "1.2 MB"


def test_the_sizes_command_prints_every_course_and_path_in_every_language(runner, catalog):
    result = runner.invoke(args=["offline", "sizes"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].split("\t") == ["course or path", "en", "it", "ar", "fr", "es"]
    assert any(line.startswith("sample-course\t") and re.search(r"\d+ KB", line) for line in lines)
    assert sum(line.startswith("path ") for line in lines) == len(catalog.paths)
