"""Every learner page runs a fixed number of SQL statements, however much the learner and the others have done."""
import re
import shutil

import pytest

from app.catalog import reload
from tests.conftest import PASSWORD, answer_key_form

QUIZ = "/courses/sample-course/basics/check"
#: statements of a second visit (the first may write: enrolment, open attempt); the login session read is one
PAGES = {
    "catalogue": ("/", 3),
    "path": ("/paths/starter", 2),
    "course": ("/courses/sample-course", 2),
    "lesson": ("/courses/sample-course/basics/welcome", 2),
    "quiz": (QUIZ, 3),
    "quiz result": (QUIZ + "/attempts/1", 5),
    "my learning": ("/my-learning", 3),
    "certificates": ("/certificates", 2),
}
LESSONS = ["basics/welcome", "basics/saving", "numbers/interest"]


@pytest.fixture
def two_courses(app, courses_dir):
    shutil.copytree(courses_dir / "sample-course", courses_dir / "second-course")
    reload(app)


def logged_in(app, name):
    client = app.test_client()
    assert client.post("/account/login", data={"username": name, "password": PASSWORD}).status_code == 302
    return client


def submit_quiz(client, course="sample-course", wrong=True):
    catalog = client.application.extensions["soglia.catalog"]
    url = f"/courses/{course}/basics/check"
    page = client.get(url).get_data(as_text=True)
    quiz = catalog.course(course).item("basics/check")
    attempt = re.search(r'name="attempt" value="(\d+)"', page).group(1)
    response = client.post(url + "/submit", data={"attempt": attempt, **answer_key_form(quiz, page=page, wrong=wrong)})
    assert "/attempts/" in response.location, response.location


def learn(client, course, lessons, attempts):
    for key in lessons:
        assert client.post(f"/courses/{course}/{key}/done", data={"stay": "1"}).status_code == 302
    for _ in range(attempts):
        submit_quiz(client, course)


def statements(client, count_queries):
    counts = {}
    for name, (url, _) in PAGES.items():
        assert client.get(url).status_code == 200, url
        with count_queries() as counter:
            assert client.get(url).status_code == 200, url
        counts[name] = counter.count
    return counts


def test_a_new_learner(app, make_user, count_queries, two_courses):
    make_user("amina")
    amina = logged_in(app, "amina")
    submit_quiz(amina)
    assert statements(amina, count_queries) == {name: count for name, (_, count) in PAGES.items()}


def test_a_busy_learner_among_many(app, make_user, count_queries, two_courses):
    for number in range(6):
        make_user(f"other{number}", display_name=f"Other {number}")
        learn(logged_in(app, f"other{number}"), "sample-course", LESSONS[:number % 3 + 1], 1)
    make_user("amina")
    amina = logged_in(app, "amina")
    learn(amina, "sample-course", LESSONS[:2], 3)  # every attempt used
    learn(amina, "second-course", LESSONS, 2)
    assert statements(amina, count_queries) == {name: count for name, (_, count) in PAGES.items()}
