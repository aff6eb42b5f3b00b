"""Progress and completion on SQLite and PostgreSQL, including concurrent requests."""
import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import Certificate, CourseCompletion, LessonProgress, QuizAttempt, User
from app.services import progress, quizzes
from tests.conftest import answer_key_form, run_concurrently


def load(app, username):
    return db.session.scalar(select(User).where(User.username == username))


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def pass_quiz(user, course, quiz):
    attempt = quizzes.open_attempt(user.id, course, quiz)
    quizzes.submit_attempt(attempt, course, quiz, MultiDict(answer_key_form(quiz, attempt=attempt)))


def everything_but_the_last_lesson(app, make_user, any_db_app):
    make_user("amina", target_app=any_db_app)
    catalog = any_db_app.extensions["soglia.catalog"]
    course = catalog.course("sample-course")
    with any_db_app.app_context():
        user = load(any_db_app, "amina")
        for item in course.items[:-2]:
            if item.kind == "lesson":
                progress.mark_lesson_done(user, course, item, "NGO")
            else:
                pass_quiz(user, course, item)
        pass_quiz(user, course, course.items[-1])
        db.session.commit()
    return course, course.item("numbers/interest")


def test_course_state_counts_lessons_and_passed_quizzes(any_db_app, make_user):
    make_user("amina", target_app=any_db_app)
    course = any_db_app.extensions["soglia.catalog"].course("sample-course")
    with any_db_app.app_context():
        user = load(any_db_app, "amina")
        progress.mark_lesson_done(user, course, course.item("basics/welcome"), "NGO")
        pass_quiz(user, course, course.item("numbers/check"))
        db.session.commit()
        state = progress.course_state(user.id, course)
        assert state.done_lessons == {"basics/welcome"} and state.passed_quizzes == {"numbers/check"}
        assert state.percent == 40 and state.minutes_left == sum(i.minutes for i in course.items) - 3 - 2
        assert state.continue_item().key == "basics/saving"


def test_concurrent_completion_is_recorded_once(any_db_app, make_user):
    course, last = everything_but_the_last_lesson(None, make_user, any_db_app)
    results, errors = run_concurrently(
        any_db_app, lambda: progress.mark_lesson_done(load(any_db_app, "amina"), course, last, "NGO"))
    assert errors == []
    with any_db_app.app_context():
        assert count(LessonProgress) == 3
        assert count(CourseCompletion) == 1
        assert count(Certificate) == 1
    assert sum(result is not None for result in results) == 1


def test_the_database_refuses_a_second_completion(any_db_app, make_user):
    from sqlalchemy.exc import IntegrityError

    make_user("amina", target_app=any_db_app)
    with any_db_app.app_context():
        user = load(any_db_app, "amina")
        db.session.add(CourseCompletion(user_id=user.id, course_slug="c", course_version="v"))
        db.session.commit()
        db.session.add(CourseCompletion(user_id=user.id, course_slug="c", course_version="v"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_the_database_refuses_inconsistent_attempts(any_db_app, make_user):
    from sqlalchemy.exc import IntegrityError

    make_user("amina", target_app=any_db_app)
    with any_db_app.app_context():
        user = load(any_db_app, "amina")
        for bad in [dict(score=1.5), dict(score=0.5)]:  # out of range; score without submission
            db.session.add(QuizAttempt(user_id=user.id, course_slug="c", quiz_key="m/q", number=1, seed=1,
                                       pass_mark=0.5, course_version="v", **bad))
            with pytest.raises(IntegrityError):
                db.session.commit()
            db.session.rollback()


def test_concurrent_double_submit_grades_once(any_db_app, make_user):
    make_user("amina", target_app=any_db_app)
    course = any_db_app.extensions["soglia.catalog"].course("sample-course")
    quiz = course.item("basics/check")
    with any_db_app.app_context():
        attempt_id = quizzes.open_attempt(load(any_db_app, "amina").id, course, quiz).id
        db.session.commit()

    def submit():
        try:
            attempt = db.session.get(QuizAttempt, attempt_id)
            quizzes.submit_attempt(attempt, course, quiz, MultiDict(answer_key_form(quiz, attempt=attempt)))
            return "graded"
        except quizzes.AlreadySubmitted:
            db.session.rollback()
            return "replay"

    outcomes, errors = run_concurrently(any_db_app, submit, times=4)
    assert errors == []
    assert sorted(outcomes) == ["graded", "replay", "replay", "replay"]
    with any_db_app.app_context():
        from app.models import QuestionAnswer

        assert count(QuestionAnswer) == 4


def test_attempt_limit_is_enforced(any_db_app, make_user):
    make_user("amina", target_app=any_db_app)
    course = any_db_app.extensions["soglia.catalog"].course("sample-course")
    quiz = course.item("basics/check")
    with any_db_app.app_context():
        user = load(any_db_app, "amina")
        for _ in range(quiz.attempts):
            attempt = quizzes.open_attempt(user.id, course, quiz)
            quizzes.submit_attempt(attempt, course, quiz, MultiDict(answer_key_form(quiz, wrong=True, attempt=attempt)))
        db.session.commit()
        with pytest.raises(quizzes.NoAttemptsLeft):
            quizzes.open_attempt(user.id, course, quiz)
        assert [a.number for a in quizzes.submitted_attempts(user.id, course, quiz)] == [1, 2, 3]
