"""What each per-learner query filters, groups and orders by (the cases mutation testing found untested)."""
import shutil
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.catalog import reload
from app.content.model import Catalog, LearningPath
from app.extensions import db
from app.models import Certificate, User
from app.models.base import utcnow
from app.services import certificates, progress, quizzes
from tests.conftest import answer_key_form


@pytest.fixture
def two_courses(app, make_user, courses_dir):
    """(sample course, its copy `second-course` with the same item keys, amina, bilal) in an app context."""
    shutil.copytree(courses_dir / "sample-course", courses_dir / "second-course")
    reload(app)
    make_user("amina")
    make_user("bilal", display_name="Bilal Amri")
    with app.app_context():
        catalog = app.extensions["soglia.catalog"]
        users = {u.username: u for u in db.session.scalars(select(User))}
        yield catalog.course("sample-course"), catalog.course("second-course"), users["amina"], users["bilal"]


def graded(user, course, quiz, right=True):
    attempt = quizzes.open_attempt(user.id, course, quiz)
    quizzes.submit_attempt(attempt, course, quiz, MultiDict(answer_key_form(quiz, wrong=not right, attempt=attempt)))
    return attempt


def test_best_scores_are_grouped_per_learner_and_per_course(app, two_courses):
    first, second, amina, bilal = two_courses
    graded(amina, first, first.item("basics/check"), right=True)
    graded(bilal, first, first.item("basics/check"), right=False)
    graded(bilal, second, second.item("basics/check"), right=True)
    quizzes.open_attempt(amina.id, second, second.item("basics/check"))  # open, not graded: no score yet
    states = progress.learners_states([amina.id, bilal.id], app.extensions["soglia.catalog"])
    assert states[amina.id]["sample-course"].best_scores == {"basics/check": 1.0}
    assert states[amina.id]["second-course"].best_scores == {}
    assert states[bilal.id]["sample-course"].best_scores == {"basics/check": 0.0}
    assert states[bilal.id]["sample-course"].passed_quizzes == set()
    assert states[bilal.id]["second-course"].passed_quizzes == {"basics/check"}


def test_no_learners_no_queries(app, count_queries):
    with app.app_context(), count_queries() as counter:
        assert progress.learners_states([], app.extensions["soglia.catalog"]) == {}
    assert counter.count == 0


def test_a_lesson_is_done_in_its_own_course_only(two_courses):
    first, second, amina, _ = two_courses
    progress.mark_lesson_done(amina, first, first.item("basics/welcome"), "NGO")
    assert progress.is_lesson_done(amina.id, first, first.item("basics/welcome"))
    assert not progress.is_lesson_done(amina.id, second, second.item("basics/welcome"))
    assert not progress.is_lesson_done(amina.id, first, first.item("basics/saving"))


def test_graded_attempts_by_number_and_history_newest_first(two_courses):
    first, _, amina, _ = two_courses
    quiz = first.item("basics/check")
    one, two = graded(amina, first, quiz, right=False), graded(amina, first, quiz)
    two.submitted_at = one.submitted_at + timedelta(minutes=1)
    db.session.flush()
    quizzes.open_attempt(amina.id, first, quiz)  # number 3, open
    assert quizzes.graded_attempt(amina.id, first, quiz, 2) == two
    assert quizzes.graded_attempt(amina.id, first, quiz, 1) == one
    assert quizzes.graded_attempt(amina.id, first, quiz, 3) is None
    assert [a.id for a in progress.attempt_history(amina.id)] == [two.id, one.id]


def test_certificates_by_course_newest_first(two_courses):
    first, second, amina, _ = two_courses
    older = certificates.issue_certificate(amina, first, "NGO")
    newer = certificates.issue_certificate(amina, second, "NGO")
    older.issued_at = utcnow() - timedelta(days=1)
    db.session.flush()
    assert certificates.certificate_of(amina.id, "second-course") == newer
    assert certificates.certificate_of(amina.id, "sample-course") == older
    assert certificates.certificates_of(amina.id) == [newer, older]


def test_issuing_again_only_reads(app, two_courses, count_queries):
    first, _, amina, _ = two_courses
    issued = certificates.issue_certificate(amina, first, "NGO")
    db.session.commit()
    with count_queries() as counter:
        assert certificates.issue_certificate(amina, first, "NGO") == issued
    assert not any(s.lstrip().upper().startswith(("INSERT", "SAVEPOINT")) for s in counter.statements)


def test_a_certificate_issued_concurrently_is_the_one_returned(two_courses, monkeypatch):
    """The insert loses the race (unique on learner and course): the other request's certificate is returned."""
    first, second, amina, _ = two_courses
    theirs = certificates.issue_certificate(amina, first, "NGO")
    certificates.issue_certificate(amina, second, "NGO")
    real = certificates.certificate_of
    calls = []

    def late_lookup(user_id, course_slug):
        calls.append(course_slug)
        return None if len(calls) == 1 else real(user_id, course_slug)  # the first look misses it

    monkeypatch.setattr(certificates, "certificate_of", late_lookup)
    assert certificates.issue_certificate(amina, first, "NGO") == theirs
    assert calls == ["sample-course", "sample-course"]
    assert db.session.scalar(select(Certificate.id).where(Certificate.id == theirs.id)) == theirs.id


@pytest.mark.parametrize("padding, found", [(44, True), (45, False)])
def test_a_typed_code_may_be_64_characters_long(padding, found):
    code = certificates.new_code()
    typed = " " * padding + code  # 20 symbols
    assert len(typed) == padding + 20
    assert (certificates.normalise_code(typed) == code) is found


def test_the_next_course_comes_from_the_first_path_that_holds_the_course(two_courses):
    first, second, amina, _ = two_courses
    catalog = Catalog({"sample-course": first, "second-course": second}, (
        LearningPath("other", {"en": "Other"}, {}, "both", ("elsewhere",)),
        LearningPath("p", {"en": "P"}, {}, "both", ("sample-course", "second-course")),
    ), ())
    assert progress.next_in_path(amina.id, catalog, first) == (catalog.paths[1], second)


def test_numeric_answers_are_described_as_read():
    from app.content.questions import Numeric, Question

    question = Question(id="n", kind="numeric", prompt_html="", body_html="", explanation_html="", answer=(5, 0))
    assert Numeric.describe_answer(question, 250.0) == "250"
    assert Numeric.describe_answer(question, [1250.0, 1.25]) == "1250 / 1.25"


def test_the_quiz_pages_attempts_are_of_that_quiz_in_that_course(two_courses):
    first, second, amina, _ = two_courses
    check, numbers = first.item("basics/check"), first.item("numbers/check")
    done = graded(amina, first, check)
    other_quiz = quizzes.open_attempt(amina.id, first, numbers)
    other_course = quizzes.open_attempt(amina.id, second, second.item("basics/check"))
    open_one, graded_ones = quizzes.attempts_of(amina.id, first, check)
    assert open_one is None and [a.id for a in graded_ones] == [done.id]
    assert quizzes.attempts_of(amina.id, first, numbers)[0].id == other_quiz.id
    assert quizzes.attempts_of(amina.id, second, second.item("basics/check"))[0].id == other_course.id
