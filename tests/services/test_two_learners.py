"""Every service that reads or writes per-learner rows, with two learners: each sees only their own."""
import shutil
import threading
import time

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.catalog import reload
from app.extensions import db
from app.models import CourseCompletion, Enrolment, QuizAttempt, User
from app.models.base import utcnow
from app.services import accounts, certificates, progress, quizzes
from tests.conftest import answer_key_form


@pytest.fixture
def learners(any_db_app, make_user):
    """(course, amina, bilal) inside an app context on SQLite and PostgreSQL."""
    make_user("amina", target_app=any_db_app)
    make_user("bilal", display_name="Bilal Amri", target_app=any_db_app)
    with any_db_app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        yield any_db_app.extensions["soglia.catalog"].course("sample-course"), users["amina"], users["bilal"]


def submit(user, course, quiz, wrong=False):
    attempt = quizzes.open_attempt(user.id, course, quiz)
    form = MultiDict({"attempt": str(attempt.id), **answer_key_form(quiz, wrong=wrong, attempt=attempt)})
    quizzes.submit_form(user, course, quiz, form, "NGO")
    db.session.commit()
    return attempt


def complete(user, course):
    for item in course.items:
        if item.kind == "lesson":
            progress.mark_lesson_done(user, course, item, "NGO")
        else:
            submit(user, course, item)
    db.session.commit()


def test_attempts_are_each_learners_own(learners):
    course, amina, bilal = learners
    quiz = course.item("basics/check")
    mine = submit(amina, course, quiz, wrong=True)
    assert quizzes.submitted_attempts(bilal.id, course, quiz) == []
    assert quizzes.graded_attempt(bilal.id, course, quiz, mine.number) is None
    assert quizzes.graded_attempt(amina.id, course, quiz, mine.number) == mine
    theirs = quizzes.open_attempt(bilal.id, course, quiz)
    assert theirs.id != mine.id and theirs.user_id == bilal.id and theirs.number == 1
    assert quizzes.open_attempt(amina.id, course, quiz).number == 2  # her own open attempt, not Bilal's
    assert [a.user_id for a in quizzes.submitted_attempts(amina.id, course, quiz)] == [amina.id]
    assert progress.attempt_history(bilal.id) == []
    assert [a.id for a in progress.attempt_history(amina.id)] == [mine.id]
    # what the quiz page reads: each learner's own open attempt and graded attempts only
    mine_open, mine_graded = quizzes.attempts_of(amina.id, course, quiz)
    theirs_open, theirs_graded = quizzes.attempts_of(bilal.id, course, quiz)
    assert (mine_open.id, [a.id for a in mine_graded]) == (quizzes.open_attempt(amina.id, course, quiz).id, [mine.id])
    assert (theirs_open.id, theirs_graded) == (theirs.id, [])


def test_the_attempt_limit_counts_only_the_learners_own_attempts(learners):
    course, amina, bilal = learners
    quiz = course.item("basics/check")
    for _ in range(quiz.attempts):
        submit(amina, course, quiz, wrong=True)
    with pytest.raises(quizzes.NoAttemptsLeft):
        quizzes.open_attempt(amina.id, course, quiz)
    assert quizzes.open_attempt(bilal.id, course, quiz).number == 1


def test_a_form_naming_another_learners_attempt_is_stale(learners):
    course, amina, bilal = learners
    quiz = course.item("basics/check")
    attempt = quizzes.open_attempt(amina.id, course, quiz)
    db.session.commit()
    form = MultiDict({"attempt": str(attempt.id), **answer_key_form(quiz, attempt=attempt)})
    with pytest.raises(quizzes.StaleForm):
        quizzes.submit_form(bilal, course, quiz, form, "NGO")
    assert quizzes.submit_form(amina, course, quiz, form, "NGO").attempt.passed is True


def test_option_tokens_differ_between_learners_and_attempts(learners):
    course, amina, bilal = learners
    quiz = course.item("basics/check")
    question = quiz.versions["en"].questions[0]
    first = quizzes.option_tokens(quizzes.open_attempt(amina.id, course, quiz), question)
    other = quizzes.option_tokens(quizzes.open_attempt(bilal.id, course, quiz), question)
    assert set(first) == set(other) == {o.id for o in question.options}
    assert not set(first.values()) & set(other.values())


def test_progress_states_are_each_learners_own(learners):
    course, amina, bilal = learners
    catalog = reload()
    progress.mark_lesson_done(amina, course, course.item("basics/welcome"), "NGO")
    progress.record_view(amina.id, course, "basics/saving")
    submit(amina, course, course.item("numbers/check"))
    assert progress.is_lesson_done(amina.id, course, course.item("basics/welcome"))
    assert not progress.is_lesson_done(bilal.id, course, course.item("basics/welcome"))
    hers, his = progress.course_state(amina.id, course), progress.course_state(bilal.id, course)
    assert (hers.done_lessons, hers.passed_quizzes, hers.last_item_key) == (
        {"basics/welcome"}, {"numbers/check"}, "basics/saving")
    assert (his.done_count, his.best_scores, his.last_item_key, his.started) == (0, {}, None, False)
    assert progress.all_course_states(bilal.id, catalog)["sample-course"].started is False
    both = progress.learners_states([amina.id, bilal.id], catalog)
    assert both[amina.id]["sample-course"].done_count == 2 and both[bilal.id]["sample-course"].done_count == 0


def test_completion_and_certificate_are_each_learners_own(learners):
    course, amina, bilal = learners
    complete(amina, course)
    assert progress.course_state(amina.id, course).completed_at is not None
    assert progress.course_state(bilal.id, course).completed_at is None
    certificate = certificates.certificate_of(amina.id, course.slug)
    assert certificate is not None and certificates.certificate_of(bilal.id, course.slug) is None
    assert certificates.certificates_of(amina.id) == [certificate] and certificates.certificates_of(bilal.id) == []
    assert certificates.own_certificate(amina.id, certificate.code) == certificate
    assert certificates.own_certificate(bilal.id, certificate.code) is None
    # Bilal's completion issues his own certificate, not Amina's again
    complete(bilal, course)
    his = certificates.certificate_of(bilal.id, course.slug)
    assert his is not None and his.id != certificate.id and his.holder_name == "Bilal Amri"


def test_the_next_course_in_a_path_skips_only_the_learners_own_completions(learners, any_db_app, courses_dir):
    course, amina, bilal = learners
    shutil.copytree(courses_dir / "sample-course", courses_dir / "second-course")
    shutil.copytree(courses_dir / "sample-course", courses_dir / "third-course")
    (courses_dir / "paths.yml").write_text(
        "- slug: p\n  title: P\n  courses: [sample-course, second-course, third-course]\n", encoding="utf-8")
    catalog = reload(any_db_app)
    second, third = catalog.course("second-course"), catalog.course("third-course")
    complete(bilal, second)
    assert progress.next_in_path(amina.id, catalog, course)[1] == second
    assert progress.next_in_path(bilal.id, catalog, course)[1] == third
    complete(bilal, third)
    assert progress.next_in_path(bilal.id, catalog, third)[1].slug == "sample-course"  # back to the start
    complete(bilal, course)
    assert progress.next_in_path(bilal.id, catalog, course) is None
    assert progress.next_in_path(amina.id, catalog, catalog.course("sample-course"))[0].slug == "p"


def test_an_email_is_taken_only_by_another_learner(learners):
    _, amina, bilal = learners
    accounts.update_profile(amina, display_name="Amina", email="a@example.org", locale="en", track="operator")
    db.session.commit()
    assert accounts.email_taken("a@example.org") and not accounts.email_taken("a@example.org", amina.id)
    assert accounts.email_taken("a@example.org", bilal.id)
    with pytest.raises(accounts.EmailTaken):
        accounts.update_profile(bilal, display_name="Bilal", email="A@example.org", locale="en", track="operator")


def test_each_learner_keeps_their_own_place_in_each_course(learners, any_db_app, courses_dir):
    course, amina, bilal = learners
    shutil.copytree(courses_dir / "sample-course", courses_dir / "second-course")
    second = reload(any_db_app).course("second-course")
    assert progress.record_view(amina.id, course, "basics/saving")
    assert progress.record_view(bilal.id, course, "numbers/interest")
    assert progress.record_view(amina.id, second, "numbers/interest")
    assert not progress.record_view(amina.id, course, "basics/saving")  # the same place again at once: no write
    places = {(e.user_id, e.course_slug): e.last_item_key for e in db.session.scalars(select(Enrolment))}
    assert places == {(amina.id, "sample-course"): "basics/saving", (bilal.id, "sample-course"): "numbers/interest",
                      (amina.id, "second-course"): "numbers/interest"}


def test_graded_attempts_come_in_the_order_of_their_numbers(learners):
    course, amina, _bilal = learners
    quiz = course.item("basics/check")
    for number in (2, 1):  # stored out of order, as a replayed offline attempt may be
        db.session.add(QuizAttempt(user_id=amina.id, course_slug=course.slug, quiz_key=quiz.key, number=number, seed=1,
                                   pass_mark=0.7, course_version=course.version, submitted_at=utcnow(), score=0.5,
                                   passed=False))
    db.session.flush()
    assert [attempt.number for attempt in quizzes.submitted_attempts(amina.id, course, quiz)] == [1, 2]


@pytest.mark.postgres
def test_the_last_two_lessons_done_at_once_complete_the_course(any_db_app, make_user):
    """Two servers each record one of the last two steps at the same moment: the course is completed once."""
    make_user("amina", target_app=any_db_app)
    with any_db_app.app_context():
        course = any_db_app.extensions["soglia.catalog"].course("sample-course")
        user = db.session.scalar(select(User).where(User.username == "amina"))
        *earlier, second_last, last = [item for item in course.items if item.kind == "lesson"]
        for item in course.items:
            if item.kind == "quiz":
                submit(user, course, item)
        for item in earlier:
            progress.mark_lesson_done(user, course, item, "NGO")
        db.session.commit()
        user_id = user.id
    first_done, results = threading.Event(), {}

    def finish(lesson, name, hold):
        with any_db_app.app_context():
            learner = db.session.get(User, user_id)
            if not hold:
                first_done.wait(5)
            results[name] = progress.mark_lesson_done(learner, course, lesson, "NGO")
            if hold:
                first_done.set()
                time.sleep(0.5)  # the other server writes meanwhile, before this one commits
            db.session.commit()

    servers = [threading.Thread(target=finish, args=(second_last, "a", True)),
               threading.Thread(target=finish, args=(last, "b", False))]
    for server in servers:
        server.start()
    for server in servers:
        server.join(10)
    with any_db_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CourseCompletion)
                                 .where(CourseCompletion.user_id == user_id)) == 1
    assert [name for name, completion in results.items() if completion is not None] == ["b"]
