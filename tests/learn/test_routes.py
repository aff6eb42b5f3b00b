"""Catalogue, course page, lessons, marking done, assets and "my learning"."""
import re
from time import monotonic

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import CourseCompletion, Enrolment, LessonProgress
from tests.conftest import answer_key_form

LESSON = "/courses/sample-course/basics/welcome"


def rows(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_catalogue_shows_courses_and_paths_to_anyone(client):
    html = client.get("/").get_data(as_text=True)
    assert "Sample course" in html and "Starter path" in html
    assert 'href="/courses/sample-course"' in html and 'href="/paths/starter"' in html


def test_catalogue_follows_the_learners_track(app, client, auth, courses_dir):
    app.config["COURSES_AUTO_RELOAD"] = True
    course = courses_dir / "sample-course" / "course.md"
    course.write_text(course.read_text().replace("audience: both", "audience: operators"))
    auth.as_new_user("amina", track="entrepreneur")
    assert "Sample course" not in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.as_new_user("olga", track="operator")
    assert "Sample course" in client.get("/").get_data(as_text=True)


def test_reading_is_open_without_an_account(client):
    html = client.get(LESSON).get_data(as_text=True)
    assert "Why budgets matter" in html and "Log in to save your progress" in html
    assert "Mark as done" not in html


def test_lesson_page_renders_prepared_content_and_neighbours(client, auth):
    html = client.get(LESSON).get_data(as_text=True)
    assert '<h2 id="why-budgets-matter">' in html
    assert 'src="/courses/sample-course/assets/01-basics/images/budget.png"' in html
    assert 'rel="next" href="/courses/sample-course/basics/saving"' in html
    assert 'rel="prev"' not in html


def test_next_is_a_post_that_marks_the_lesson_done(client, auth):
    """Logged in, "Next" is the form's main button (no plain link around it): moving on counts as reading."""
    auth.as_new_user()
    html = client.get(LESSON).get_data(as_text=True)
    form = re.search(r'<form method="post" action="/courses/sample-course/basics/welcome/done".*?</form>', html, re.S)
    assert form and "<button type=\"submit\">Next: Saving</button>" in form.group(0)
    assert 'name="stay"' in form.group(0) and "Mark as done" in form.group(0)
    assert 'rel="next"' not in html


def test_mark_as_done_without_moving_on(client, auth, app):
    auth.as_new_user()
    response = client.post(LESSON + "/done", data={"stay": "1"})
    assert response.headers["Location"] == LESSON
    assert rows(app, LessonProgress) == 1
    html = client.get(LESSON).get_data(as_text=True)
    assert "You have done this lesson." in html and 'name="stay"' not in html


def test_paging_through_with_next_counts_every_lesson_once(client, auth, app, catalog):
    auth.as_new_user()
    course = catalog.course("sample-course")
    for lesson in course.lessons:
        url = f"/courses/sample-course/{lesson.module_slug}/{lesson.slug}/done"
        client.post(url)
        client.post(url)
    assert rows(app, LessonProgress) == len(course.lessons)
    html = client.get("/courses/sample-course").get_data(as_text=True)
    assert f'value="{round(100 * len(course.lessons) / len(course.items))}"' in html


def test_course_page_marks_what_is_not_done_yet(client, auth):
    assert "Not done yet" not in client.get("/courses/sample-course").get_data(as_text=True)
    auth.as_new_user()
    client.post(LESSON + "/done")
    html = client.get("/courses/sample-course").get_data(as_text=True)
    assert "4 steps not done yet, marked below." in html
    assert html.count('<span class="todo">Not done yet</span>') == 2
    assert html.count('<span class="todo">Not passed yet</span>') == 2


def test_unknown_course_or_lesson_is_404(client, auth):
    auth.as_new_user()
    assert client.get("/courses/nope").status_code == 404
    assert client.get("/courses/sample-course/basics/nope").status_code == 404
    assert client.post("/courses/nope/basics/welcome/done").status_code == 404
    assert client.post("/courses/sample-course/basics/nope/done").status_code == 404
    assert client.post("/courses/sample-course/basics/check/done").status_code == 404  # a quiz, not a lesson


def test_marking_done_needs_an_account_and_post(client):
    assert client.get(LESSON + "/done").status_code == 405
    response = client.post(LESSON + "/done")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_mark_done_is_idempotent_and_moves_on(client, auth, app):
    auth.as_new_user()
    first = client.post(LESSON + "/done")
    assert first.headers["Location"] == "/courses/sample-course/basics/saving"
    client.post(LESSON + "/done")
    assert rows(app, LessonProgress) == 1
    assert "You have done this lesson." in client.get(LESSON).get_data(as_text=True)


def test_course_page_shows_done_marks_percentage_and_continue(client, auth):
    auth.as_new_user()
    html = client.get("/courses/sample-course").get_data(as_text=True)
    assert "Start the course" in html and 'value="0"' in html
    client.post(LESSON + "/done")
    client.get("/courses/sample-course/basics/saving")
    html = client.get("/courses/sample-course").get_data(as_text=True)
    assert 'value="20"' in html  # 1 of 5 items
    assert "Continue where you left off" in html
    assert 'class="button" href="/courses/sample-course/basics/saving"' in html
    assert '<li class="lesson done">' in html


def test_continue_skips_to_the_next_item_not_done(client, auth):
    auth.as_new_user()
    client.get(LESSON)
    client.post(LESSON + "/done")
    html = client.get("/courses/sample-course").get_data(as_text=True)
    assert 'class="button" href="/courses/sample-course/basics/saving"' in html


def test_last_viewed_position_is_recorded(client, auth, app):
    auth.as_new_user()
    client.get("/courses/sample-course/numbers/interest")
    with app.app_context():
        assert db.session.scalar(select(Enrolment.last_item_key)) == "numbers/interest"


def test_my_learning_lists_started_courses(client, auth):
    auth.as_new_user()
    assert "You have not started a course yet." in client.get("/my-learning").get_data(as_text=True)
    client.post(LESSON + "/done")
    html = client.get("/my-learning").get_data(as_text=True)
    assert "Sample course" in html and 'value="20"' in html


def submit_quiz(client, quiz, wrong=False):
    url = f"/courses/sample-course/{quiz.module_slug}/{quiz.slug}"
    html = client.get(url).get_data(as_text=True)
    attempt = re.search(r'name="attempt" value="(\d+)"', html).group(1)
    assert client.post(url + "/submit", data={"attempt": attempt, **answer_key_form(quiz, html, wrong=wrong)}
                       ).status_code == 302


def test_my_learning_names_course_and_module_of_every_attempt(client, auth, catalog):
    auth.as_new_user()
    basics, numbers = catalog.course("sample-course").quizzes
    submit_quiz(client, basics, wrong=True)
    submit_quiz(client, numbers)
    html = client.get("/my-learning").get_data(as_text=True)
    attempts = html[html.index('id="attempts-h"'):]
    assert attempts.index("<h3>Sample course</h3>") < attempts.index("Check the basics")
    basics_row = re.search(r"<li>\s*<span class=\"meta\">The basics ›</span>.*?</li>", attempts, re.S).group(0)
    assert "Check the basics" in basics_row and "Not passed" in basics_row
    numbers_row = re.search(r"<li>\s*<span class=\"meta\">Numbers ›</span>.*?</li>", attempts, re.S).group(0)
    assert "Interest check" in numbers_row and "Passed" in numbers_row and "Not passed" not in numbers_row


def test_my_learning_shows_the_next_step_of_each_path(client, auth, catalog):
    auth.as_new_user()
    client.post(LESSON + "/done")
    html = client.get("/my-learning").get_data(as_text=True)
    paths = html[html.index('id="paths-h"'):html.index('id="courses-h"')]
    assert "Starter path" in paths
    assert 'Next step: <a href="/courses/sample-course/basics/saving">Saving</a>' in paths
    course = catalog.course("sample-course")
    for lesson in course.lessons:
        client.post(f"/courses/sample-course/{lesson.module_slug}/{lesson.slug}/done")
    for quiz in course.quizzes:
        submit_quiz(client, quiz)
    html = client.get("/my-learning").get_data(as_text=True)
    assert "Path completed." in html and "Next step:" not in html


def test_path_page_lists_its_courses_in_order(client):
    html = client.get("/paths/starter").get_data(as_text=True)
    assert "Starter path" in html and "Sample course" in html
    assert client.get("/paths/nope").status_code == 404


@pytest.mark.parametrize("path, status", [
    ("01-basics/images/budget.png", 200), ("01-basics/01-welcome.md", 404), ("course.md", 404),
    ("../sample-course/course.md", 404), ("01-basics/../../paths.yml", 404), ("01-basics/images/none.png", 404),
    ("%2e%2e/%2e%2e/etc/passwd", 404),
])
def test_assets_are_served_only_from_the_course_and_of_allowed_types(client, path, status):
    response = client.get(f"/courses/sample-course/assets/{path}")
    assert response.status_code == status
    if status == 200:
        assert response.mimetype == "image/png" and "max-age=86400" in response.headers["Cache-Control"]
    response.close()


def test_edited_files_show_up_on_the_next_request_in_development(app, client, courses_dir):
    app.config["COURSES_AUTO_RELOAD"] = True
    lesson = courses_dir / "sample-course/01-basics/02-saving.md"
    lesson.write_text(lesson.read_text().replace("Put a little aside", "Save ten euros"))
    assert "Save ten euros" in client.get("/courses/sample-course/basics/saving").get_data(as_text=True)


def test_reload_command_reaches_running_servers(app, client, runner, courses_dir, monkeypatch):
    lesson = courses_dir / "sample-course/01-basics/02-saving.md"
    lesson.write_text(lesson.read_text().replace("Put a little aside", "Keep a reserve"))
    assert "Keep a reserve" not in client.get("/courses/sample-course/basics/saving").get_data(as_text=True)
    assert runner.invoke(args=["courses", "reload"]).exit_code == 0
    later = monotonic() + app.config["COURSES_RELOAD_CHECK_SECONDS"]
    monkeypatch.setattr("app.catalog.monotonic", lambda: later)  # the worker looks for the signal once a while
    assert "Keep a reserve" in client.get("/courses/sample-course/basics/saving").get_data(as_text=True)


def test_lesson_query_count_does_not_grow(client, auth, count_queries, courses_dir):
    auth.as_new_user()
    client.get(LESSON)
    with count_queries() as first:
        client.get(LESSON)
    for number in range(3, 30):
        (courses_dir / f"sample-course/01-basics/{number:02d}-extra-{number}.md").write_text(f"# Extra {number}\n\nText.\n")
    client.application.config["COURSES_AUTO_RELOAD"] = True
    client.get("/courses/sample-course")
    client.application.config["COURSES_AUTO_RELOAD"] = False
    for slug in ["welcome", "saving"]:
        client.post(f"/courses/sample-course/basics/{slug}/done")
    with count_queries() as second:
        client.get(LESSON)
    assert first.count == second.count <= 6, second.statements


def test_course_page_query_count_is_constant(client, auth, count_queries, app):
    auth.as_new_user()
    with count_queries() as empty:
        client.get("/courses/sample-course")
    client.post(LESSON + "/done")
    client.post("/courses/sample-course/basics/saving/done")
    with count_queries() as busy:
        client.get("/courses/sample-course")
    assert empty.count == busy.count <= 6, busy.statements


def test_completion_row_is_not_created_before_everything_is_done(client, auth, app):
    auth.as_new_user()
    for slug in ["basics/welcome", "basics/saving", "numbers/interest"]:
        client.post(f"/courses/sample-course/{slug}/done")
    assert rows(app, CourseCompletion) == 0  # the two quizzes are not passed yet


def test_pages_for_visitors_are_cached_but_never_shared_with_or_from_users(app, client, auth):
    anonymous = app.test_client()
    first = anonymous.get(LESSON).get_data(as_text=True)
    assert app.extensions["soglia.pages"], "the visitor's page is kept"
    auth.as_new_user()
    client.post(LESSON + "/done")
    mine = client.get(LESSON).get_data(as_text=True)
    assert "You have done this lesson." in mine and "csrf_token" in mine
    again = anonymous.get(LESSON).get_data(as_text=True)
    assert again == first and "You have done this lesson." not in again and "csrf_token" not in again


def test_cached_pages_follow_the_language(app):
    visitor = app.test_client()
    english = visitor.get(LESSON, headers={"Accept-Language": "en"}).get_data(as_text=True)
    italian = app.test_client().get(LESSON, headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert "Welcome" in english and "Benvenuti" in italian


def test_a_reload_empties_the_page_cache(app, courses_dir):
    from app.catalog import reload

    visitor = app.test_client()
    visitor.get(LESSON)
    lesson = courses_dir / "sample-course/01-basics/01-welcome.md"
    lesson.write_text(lesson.read_text().replace("A budget compares", "A plan compares"))
    reload(app)
    assert "A plan compares" in visitor.get(LESSON).get_data(as_text=True)


def test_paths_show_progress_once_started(client, auth):
    auth.as_new_user()
    assert "<progress" not in client.get("/").get_data(as_text=True).split('id="courses-h"')[0]
    client.post(LESSON + "/done")
    paths_section = client.get("/").get_data(as_text=True).split('id="courses-h"')[0]
    assert '<progress max="100" value="20"' in paths_section
