"""Quizzes through the client: answer key never sent, grading, attempts, replays, tampering."""
import re
import shutil

import pytest
from sqlalchemy import func, select

from app.catalog import reload
from app.extensions import db
from app.models import Certificate, CourseCompletion, QuestionAnswer, QuizAttempt
from app.services.certificates import format_code
from tests.conftest import answer_key_form

QUIZ = "/courses/sample-course/basics/check"


@pytest.fixture
def quiz(catalog):
    return catalog.course("sample-course").item("basics/check")


def open_form(client):
    html = client.get(QUIZ).get_data(as_text=True)
    return html, re.search(r'name="attempt" value="(\d+)"', html).group(1)


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_anonymous_users_see_the_quiz_but_must_log_in_to_take_it(client):
    html = client.get(QUIZ).get_data(as_text=True)
    assert "Log in to take this quiz" in html and "<form method=\"post\"" not in html.split("<main", 1)[1]


def test_the_answer_key_never_reaches_the_browser(client, auth, quiz):
    auth.as_new_user()
    html, _ = open_form(client)
    question = quiz.versions["en"].questions[0]
    for option in question.options:
        assert option.html in html
        assert option.feedback_html not in html  # feedback only after submitting
    assert "spend more than you earn" not in html  # the explanation
    assert "250" not in html.split("<form", 1)[1] or "1,200" in html  # no numeric answer in the form
    assert "correct" not in html.lower().split("<main", 1)[1]


def shown_options(html, name="q-budget-compares"):
    """[(token, option html)] of one question, in the order the page shows them."""
    return re.findall(rf'name="{name}" value="([^"]+)"[^>]*> <span>(.*?)</span>', html)


def test_option_order_and_tokens_are_stable_within_an_attempt(client, auth, quiz):
    auth.as_new_user()
    first, attempt = open_form(client)
    second, same_attempt = open_form(client)
    assert attempt == same_attempt
    assert shown_options(first) == shown_options(second)
    assert sorted(html for _, html in shown_options(first)) == sorted(
        o.html for o in quiz.versions["en"].questions[0].options)


def test_option_values_are_opaque_and_new_in_every_attempt(client, auth, quiz):
    """Values tell nothing about file order or correctness, and change with each attempt (issue 15.1)."""
    auth.as_new_user()
    page, attempt = open_form(client)
    tokens = [token for token, _ in shown_options(page)]
    assert len(set(tokens)) == 3 and all(re.fullmatch(r"[0-9a-f]{12}", token) for token in tokens)
    assert not {"a", "b", "c"} & set(re.findall(r'name="q-[^"]+" value="([^"]+)"', page))
    client.post(QUIZ + "/submit", data={"attempt": attempt, **answer_key_form(quiz, page, wrong=True)})
    retry, _ = open_form(client)
    assert not set(tokens) & {token for token, _ in shown_options(retry)}


def test_a_file_order_letter_is_not_an_answer(client, auth, app, quiz):
    auth.as_new_user()
    page, attempt = open_form(client)
    data = {"attempt": attempt, **answer_key_form(quiz, page), "q-budget-compares": "a"}
    response = client.post(QUIZ + "/submit", data=data)
    assert response.status_code == 422 and "This answer is not valid." in response.get_data(as_text=True)
    assert count(app, QuestionAnswer) == 0


def test_two_learners_get_different_tokens(client, auth):
    auth.as_new_user("amina")
    mine = {token for token, _ in shown_options(open_form(client)[0])}
    auth.logout()
    auth.as_new_user("bilal")
    assert not mine & {token for token, _ in shown_options(open_form(client)[0])}


def test_passing_shows_score_feedback_and_explanation(client, auth, app, quiz):
    auth.as_new_user()
    html, attempt = open_form(client)
    response = client.post(QUIZ + "/submit", data={"attempt": attempt, **answer_key_form(quiz, html)})
    assert response.headers["Location"] == QUIZ + "/attempts/1"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your score: 100%" in html and "Passed" in html
    assert "Right: that is what a budget does." in html  # feedback for the chosen option
    assert "No: a budget is about your own money." not in html  # not for options not chosen
    assert "Households use budgets too." in html  # explanation
    with app.app_context():
        stored = db.session.scalar(select(QuizAttempt))
        assert (stored.score, stored.passed, stored.pass_mark) == (1.0, True, 0.6)
        assert db.session.scalar(select(func.count()).select_from(QuestionAnswer)) == 4


def test_failing_then_retrying_and_the_best_attempt_counts(client, auth, app, quiz):
    auth.as_new_user()
    page, first = open_form(client)
    client.post(QUIZ + "/submit", data={"attempt": first, **answer_key_form(quiz, page, wrong=True)})
    html = client.get(QUIZ + "/attempts/1").get_data(as_text=True)
    assert "Your score: 0%" in html and "Not passed yet" in html and "Try again" in html
    page, second = open_form(client)
    assert second != first
    client.post(QUIZ + "/submit", data={"attempt": second, **answer_key_form(quiz, page)})
    page, third = open_form(client)
    client.post(QUIZ + "/submit", data={"attempt": third, **answer_key_form(quiz, page, wrong=True)})
    quiz_page = client.get(QUIZ).get_data(as_text=True)
    assert "You have used all the attempts for this quiz." in quiz_page  # attempts: 3
    assert "Your best score: 100%" in quiz_page and "Passed" in quiz_page
    course_page = client.get("/courses/sample-course").get_data(as_text=True)
    assert '<li class="quiz done">' in course_page


def test_a_replayed_submission_is_graded_once(client, auth, app, quiz):
    auth.as_new_user()
    page, attempt = open_form(client)
    data = {"attempt": attempt, **answer_key_form(quiz, page, wrong=True)}
    client.post(QUIZ + "/submit", data=data)
    replay = client.post(QUIZ + "/submit", data={"attempt": attempt, **answer_key_form(quiz, page)})
    assert replay.headers["Location"] == QUIZ + "/attempts/1"
    assert count(app, QuizAttempt) == 1 + 0 and count(app, QuestionAnswer) == 4
    with app.app_context():
        assert db.session.scalar(select(QuizAttempt.score)) == 0.0


def test_missing_answers_redisplay_the_form_with_messages(client, auth, app, quiz):
    auth.as_new_user()
    page, attempt = open_form(client)
    data = answer_key_form(quiz, page)
    data.pop("q-left-over")
    response = client.post(QUIZ + "/submit", data={"attempt": attempt, **data})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please answer this question." in html and "Please answer every question." in html
    assert count(app, QuestionAnswer) == 0


@pytest.mark.parametrize("field, value, status", [
    ("q-budget-compares", "z", 422),  # unknown option id
    ("q-left-over", "two hundred", 422),  # not a number
    ("q-budget-business", "maybe", 422),
    ("q-from-another-quiz", "a", 400),  # an answer to another quiz's question
])
def test_tampered_answers_are_refused_and_nothing_is_stored(client, auth, app, quiz, field, value, status):
    auth.as_new_user()
    page, attempt = open_form(client)
    data = {"attempt": attempt, **answer_key_form(quiz, page), field: value}
    assert client.post(QUIZ + "/submit", data=data).status_code == status
    assert count(app, QuestionAnswer) == 0
    with app.app_context():
        assert db.session.scalar(select(QuizAttempt.submitted_at)) is None


def test_an_attempt_of_another_quiz_or_learner_is_refused(client, auth, app, quiz, make_user):
    auth.as_new_user("amina")
    _, attempt = open_form(client)
    other_quiz = client.post("/courses/sample-course/numbers/check/submit",
                             data={"attempt": attempt, "q-simple-interest": "10"})
    assert other_quiz.status_code == 400
    auth.logout()
    auth.as_new_user("bilal")
    stolen = client.post(QUIZ + "/submit", data={"attempt": attempt, **answer_key_form(quiz, open_form(client)[0])})
    assert stolen.status_code == 302 and stolen.headers["Location"] == QUIZ
    assert count(app, QuestionAnswer) == 0


@pytest.mark.parametrize("attempt", ["", "abc", "99999", "1" * 40, "-1"])
def test_bad_attempt_ids_get_a_fresh_form(client, auth, attempt, quiz):
    auth.as_new_user()
    response = client.post(QUIZ + "/submit", data={"attempt": attempt, **answer_key_form(quiz, open_form(client)[0])})
    assert response.status_code == 302 and response.headers["Location"] == QUIZ


def test_huge_payloads_are_refused(client, auth, quiz):
    auth.as_new_user()
    _, attempt = open_form(client)
    assert client.post(QUIZ + "/submit", data={"attempt": attempt, "q-left-over": "9" * 100000}).status_code == 413
    many = {"attempt": attempt, **{f"q-x{i}": "a" for i in range(500)}}
    assert client.post(QUIZ + "/submit", data=many).status_code in {400, 413}


def test_other_learners_results_are_not_visible(client, auth, quiz):
    auth.as_new_user("amina")
    page, attempt = open_form(client)
    client.post(QUIZ + "/submit", data={"attempt": attempt, **answer_key_form(quiz, page)})
    auth.logout()
    auth.as_new_user("bilal")
    assert client.get(QUIZ + "/attempts/1").status_code == 404


def submit_and_count(client, count_queries, url, quiz):
    page = client.get(url).get_data(as_text=True)
    attempt = re.search(r'name="attempt" value="(\d+)"', page).group(1)
    with count_queries() as counter:
        client.post(url + "/submit", data={"attempt": attempt, **answer_key_form(quiz, page, wrong=True)})
    return counter


def test_submit_query_count_does_not_grow_with_the_quiz(client, auth, count_queries, catalog):
    auth.as_new_user()
    course = catalog.course("sample-course")
    small = submit_and_count(client, count_queries, "/courses/sample-course/numbers/check", course.item("numbers/check"))
    large = submit_and_count(client, count_queries, QUIZ, course.item("basics/check"))
    assert len(course.item("basics/check").versions["en"].questions) == 4 * len(
        course.item("numbers/check").versions["en"].questions)
    assert large.count == small.count <= 12, large.statements


def test_completing_the_course_records_it_once_and_issues_one_certificate(client, auth, app, catalog):
    auth.as_new_user()
    course = catalog.course("sample-course")
    for item in course.items:
        url = f"/courses/sample-course/{item.module_slug}/{item.slug}"
        if item.kind == "lesson":
            client.post(url + "/done")
            client.post(url + "/done")
        else:
            html = client.get(url).get_data(as_text=True)
            attempt = re.search(r'name="attempt" value="(\d+)"', html).group(1)
            client.post(url + "/submit", data={"attempt": attempt, **answer_key_form(item, html)})
    assert count(app, CourseCompletion) == 1 and count(app, Certificate) == 1
    assert "Completed on" in client.get("/courses/sample-course").get_data(as_text=True)
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
        assert certificate.holder_name == "Amina Haddad" and certificate.course_title == "Sample course"
        assert certificate.issuer_name == "Soglia Test NGO" and certificate.course_version == course.version


def test_completing_the_course_with_a_lesson_as_the_last_step(client, auth, app, catalog):
    auth.as_new_user()
    course = catalog.course("sample-course")
    for quiz in course.quizzes:
        url = f"/courses/sample-course/{quiz.module_slug}/{quiz.slug}"
        page = client.get(url).get_data(as_text=True)
        attempt = re.search(r'name="attempt" value="(\d+)"', page).group(1)
        client.post(url + "/submit", data={"attempt": attempt, **answer_key_form(quiz, page)})
    for lesson in course.lessons[:-1]:
        client.post(f"/courses/sample-course/{lesson.module_slug}/{lesson.slug}/done")
    last = course.lessons[-1]
    response = client.post(f"/courses/sample-course/{last.module_slug}/{last.slug}/done", follow_redirects=True)
    assert response.status_code == 200
    assert "Congratulations! You have completed this course." in response.get_data(as_text=True)
    assert count(app, CourseCompletion) == 1 and count(app, Certificate) == 1


def test_the_result_page_puts_completion_and_certificate_first_then_the_next_course(app, client, auth, courses_dir):
    """Issue 15.4: the moment of success is at the top, with the certificate and the path's next course."""
    shutil.copytree(courses_dir / "sample-course", courses_dir / "second-course")
    (courses_dir / "paths.yml").write_text(
        "- slug: starter\n  title: Starter path\n  courses: [sample-course, second-course]\n", encoding="utf-8")
    reload(app)
    auth.as_new_user()
    course = app.extensions["soglia.catalog"].course("sample-course")
    for lesson in course.lessons:
        client.post(f"/courses/sample-course/{lesson.module_slug}/{lesson.slug}/done")
    first_quiz = course.quizzes[0]
    url = f"/courses/sample-course/{first_quiz.module_slug}/{first_quiz.slug}"
    page = client.get(url).get_data(as_text=True)
    attempt = re.search(r'name="attempt" value="(\d+)"', page).group(1)
    client.post(url + "/submit", data={"attempt": attempt, **answer_key_form(first_quiz, page)})
    not_yet = client.get(url + "/attempts/1").get_data(as_text=True)
    assert "You have completed this course." not in not_yet and "Next in your path" not in not_yet
    last = course.quizzes[-1]
    url = f"/courses/sample-course/{last.module_slug}/{last.slug}"
    page = client.get(url).get_data(as_text=True)
    attempt = re.search(r'name="attempt" value="(\d+)"', page).group(1)
    client.post(url + "/submit", data={"attempt": attempt, **answer_key_form(last, page)})
    html = client.get(url + "/attempts/1").get_data(as_text=True).split("<main", 1)[1]
    with app.app_context():
        code = format_code(db.session.scalar(select(Certificate.code)))
    completed, certificate_link = html.index("You have completed this course."), html.index(f"/certificates/{code}")
    next_course = html.index('Next in your path “Starter path”: <a href="/courses/second-course">Sample course</a>')
    assert completed < certificate_link < next_course < html.index("Your score:") < html.index('class="review"')
