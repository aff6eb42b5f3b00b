"""The end-of-run check of `make bench-cluster` finds work that was lost or doubled."""
import pytest
from sqlalchemy import create_engine, delete, select, text
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import Certificate, LessonProgress, QuizAttempt, User
from app.services import progress, quizzes
from bench.cluster_checks import Expected, integrity_problems
from tests.conftest import answer_key_form


def expected_of(course, username):
    return Expected(username, course.slug, frozenset(i.key for i in course.items if i.kind == "lesson"),
                    {i.key: len(i.versions[course.language].questions) for i in course.items if i.kind == "quiz"})


@pytest.fixture
def finished(app, make_user):
    """Amina completed the sample course: (course, what the check expects of her)."""
    make_user("amina")
    with app.app_context():
        course = app.extensions["soglia.catalog"].course("sample-course")
        user = db.session.scalar(select(User).where(User.username == "amina"))
        for item in course.items:
            if item.kind == "lesson":
                progress.mark_lesson_done(user, course, item, "NGO")
            else:
                attempt = quizzes.open_attempt(user.id, course, item)
                form = MultiDict({"attempt": str(attempt.id), **answer_key_form(item, attempt=attempt)})
                quizzes.submit_form(user, course, item, form, "NGO")
        db.session.commit()
        yield course, expected_of(course, "amina")


def problems(expected):
    with db.engine.connect() as conn:
        return integrity_problems(conn, [expected])


def test_a_completed_course_passes(finished):
    assert problems(finished[1]) == []


def test_a_missing_lesson_record_is_found(finished):
    db.session.execute(delete(LessonProgress).where(LessonProgress.lesson_key == "basics/saving"))
    db.session.commit()
    assert problems(finished[1]) == ["amina in sample-course: lesson records missing for basics/saving"]


def test_a_missing_certificate_is_found(finished):
    db.session.execute(delete(Certificate))
    db.session.commit()
    assert problems(finished[1]) == ["amina in sample-course: 0 certificates instead of 1"]


def test_a_second_graded_attempt_is_found(finished):
    course, expected = finished
    attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.quiz_key == "numbers/check"))
    db.session.add(QuizAttempt(user_id=attempt.user_id, course_slug=course.slug, quiz_key=attempt.quiz_key, number=2,
                               seed=1, pass_mark=attempt.pass_mark, course_version=attempt.course_version,
                               submitted_at=attempt.submitted_at, score=1.0, passed=True))
    db.session.commit()
    assert problems(expected) == ["amina in sample-course: 2 graded attempts at numbers/check instead of 1"]


def test_an_unknown_learner_is_found(finished):
    assert problems(expected_of(finished[0], "nobody")) == ["nobody: no such user"]


def test_doubled_rows_are_found_where_no_constraint_stops_them():
    """A database that lost its unique constraints (say a bad migration): every doubled row is reported."""
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        for statement in (
            "CREATE TABLE users (id INTEGER, username TEXT)",
            "CREATE TABLE course_completions (user_id INTEGER, course_slug TEXT)",
            "CREATE TABLE certificates (user_id INTEGER, kind TEXT, course_slug TEXT)",
            "CREATE TABLE lesson_progress (user_id INTEGER, course_slug TEXT, lesson_key TEXT)",
            "CREATE TABLE quiz_attempts (id INTEGER, user_id INTEGER, course_slug TEXT, quiz_key TEXT, number INTEGER,"
            " submitted_at TEXT, passed BOOLEAN)",
            "CREATE TABLE question_answers (attempt_id INTEGER, question_id TEXT)",
            "INSERT INTO users VALUES (1, 'amina')",
            "INSERT INTO course_completions VALUES (1, 'c'), (1, 'c')",
            "INSERT INTO certificates VALUES (1, 'course', 'c'), (1, 'course', 'c')",
            "INSERT INTO lesson_progress VALUES (1, 'c', 'm/a'), (1, 'c', 'm/a')",
            "INSERT INTO quiz_attempts VALUES (7, 1, 'c', 'm/q', 1, 'now', 1)",
            "INSERT INTO question_answers VALUES (7, 'one'), (7, 'one')",
        ):
            conn.execute(text(statement))
    with engine.connect() as conn:
        found = integrity_problems(conn, [Expected("amina", "c", frozenset({"m/a"}), {"m/q": 1})])
    assert found == [
        "course_completions: 1 group(s) of rows doubled on (user_id, course_slug)",
        "certificates: 1 group(s) of rows doubled on (user_id, kind, course_slug)",
        "lesson_progress: 1 group(s) of rows doubled on (user_id, course_slug, lesson_key)",
        "question_answers: 1 group(s) of rows doubled on (attempt_id, question_id)",
        "amina in c: 2 completions instead of 1",
        "amina in c: 2 certificates instead of 1",
        "amina in c: 2 lesson records for 1 lessons",
        "amina in c: 2 answers stored for the 1 questions of m/q",
    ]
