"""Progress: behaviours that surviving mutants showed untested."""
import threading
import time
from datetime import datetime, timedelta, timezone

import psycopg
import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import CourseCompletion, Enrolment, LessonProgress, User
from app.services import progress, quizzes
from tests.conftest import POSTGRES_URL, answer_key_form


def test_course_totals_count_completions_per_course(two_organisations):
    a, _ = two_organisations
    learner, other = a.learners[0], a.outsider
    for user, slug in ((learner, "first-course"), (other, "first-course"), (learner, "second-course")):
        db.session.add(CourseCompletion(user_id=user.id, course_slug=slug, course_version="1"))
    db.session.flush()
    totals = progress.course_totals(a.organisation_id)
    assert totals["first-course"][1] == 2
    assert totals["second-course"][1] == 1


def test_an_enrolment_made_by_a_concurrent_request_is_updated(app, make_user, monkeypatch):
    user_id = make_user()
    course = app.extensions["soglia.catalog"].course("sample-course")
    with app.app_context():
        db.session.add(Enrolment(user_id=user_id, course_slug=course.slug, last_item_key=course.items[0].key))
        db.session.commit()
        real_enrolment = progress._enrolment
        calls = []

        def enrolled_just_after_reading(*args):  # the other request enrols them after our read
            calls.append(args)
            return None if len(calls) == 1 else real_enrolment(*args)

        monkeypatch.setattr(progress, "_enrolment", enrolled_just_after_reading)
        assert progress.record_view(user_id, course, course.items[1].key)
        monkeypatch.undo()
        db.session.commit()
        assert db.session.scalars(select(Enrolment.last_item_key).where(Enrolment.user_id == user_id)).all() == [
            course.items[1].key]


def test_reopening_an_item_exactly_when_the_interval_ends_writes_again(app, make_user, monkeypatch):
    user_id = make_user()
    course = app.extensions["soglia.catalog"].course("sample-course")
    opened = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
    with app.app_context():
        monkeypatch.setattr(progress, "utcnow", lambda: opened)
        assert progress.record_view(user_id, course, course.items[0].key)
        db.session.commit()
        monkeypatch.setattr(progress, "utcnow", lambda: opened + progress.VIEW_WRITE_INTERVAL - timedelta(seconds=1))
        assert not progress.record_view(user_id, course, course.items[0].key)
        monkeypatch.setattr(progress, "utcnow", lambda: opened + progress.VIEW_WRITE_INTERVAL)
        assert progress.record_view(user_id, course, course.items[0].key)


def test_a_path_certificate_names_the_same_issuer_as_the_course_certificates(client, auth, app, courses_dir):
    from app.models import Certificate
    from tests.certificates.conftest import complete_course
    from tests.certificates.test_paths import add_two_course_path

    catalog = add_two_course_path(app, courses_dir)
    auth.as_new_user()
    for slug in ("sample-course", "second-course"):
        complete_course(client, catalog.course(slug))
    with app.app_context():
        issuers = dict(db.session.execute(select(Certificate.kind, Certificate.issuer_name)).all())
    assert issuers["path"] == issuers["course"] == app.config["ORGANISATION_NAME"]


@pytest.mark.postgres
@pytest.mark.mutants_postgres
def test_two_last_steps_finished_at_once_complete_the_course(postgres_app, make_user):
    """Request A marks one of the last two lessons done and has not committed yet when request B marks the other:
    B waits on the learner's row, then sees A's lesson and records the completion."""
    user_id = make_user(target_app=postgres_app)
    course = postgres_app.extensions["soglia.catalog"].course("sample-course")
    with postgres_app.app_context():
        amina = db.session.get(User, user_id)
        progress.mark_lesson_done(amina, course, course.item("basics/welcome"), "NGO")
        for quiz in (course.item("basics/check"), course.item("numbers/check")):
            attempt = quizzes.open_attempt(user_id, course, quiz)
            quizzes.submit_attempt(attempt, course, quiz, MultiDict(answer_key_form(quiz, attempt=attempt)))
        db.session.commit()
        assert progress.mark_lesson_done(amina, course, course.item("basics/saving"), "NGO") is None  # A, open
        other = {}

        def request_b():
            with postgres_app.app_context():
                other["pid"] = db.session.scalar(select(func.pg_backend_pid()))
                completion = progress.mark_lesson_done(db.session.get(User, user_id), course,
                                                       course.item("numbers/interest"), "NGO")
                other["completed"] = completion is not None
                db.session.commit()

        b = threading.Thread(target=request_b)
        b.start()
        waiting_for_a = _wait_until_locked_out(other, b)
        db.session.commit()
        b.join(30)
    assert waiting_for_a and other["completed"]
    with postgres_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CourseCompletion)) == 1


def _wait_until_locked_out(other, thread, seconds=20):
    """True once the thread's connection waits for a lock; False if the thread ends (or time runs out) first."""
    deadline = time.monotonic() + seconds
    with psycopg.connect(POSTGRES_URL, autocommit=True) as watcher:
        while thread.is_alive() and time.monotonic() < deadline:
            if "pid" in other and watcher.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s",
                                                  (other["pid"],)).fetchone() == ("Lock",):
                return True
            time.sleep(0.02)
    return False


def test_opening_a_lesson_tells_whether_it_is_done_and_writes_only_when_due(app, make_user):
    user_id = make_user()
    course = app.extensions["soglia.catalog"].course("sample-course")
    lesson = course.item("basics/welcome")
    with app.app_context():
        assert progress.open_lesson(user_id, course, lesson) == (False, True)
        progress.mark_lesson_done(db.session.get(User, user_id), course, lesson, "NGO")
        db.session.commit()
        assert progress.open_lesson(user_id, course, lesson) == (True, False)  # opened a moment ago
        assert progress.open_lesson(user_id, course, course.item("basics/saving"), record=False) == (False, False)


def test_a_lesson_is_done_only_for_the_learner_who_did_it_in_that_course(app, make_user):
    learner, other = make_user(), make_user(username="bilal", display_name="Bilal")
    course = app.extensions["soglia.catalog"].course("sample-course")
    lesson = course.item("basics/welcome")
    with app.app_context():
        progress.mark_lesson_done(db.session.get(User, other), course, lesson, "NGO")  # another learner did it
        db.session.add(LessonProgress(user_id=learner, course_slug="another-course", lesson_key=lesson.key))
        db.session.commit()  # and this learner did a lesson of the same name in another course
        assert progress.open_lesson(learner, course, lesson, record=False) == (False, False)
        assert not progress.is_lesson_done(learner, course, lesson)


def test_records_of_a_course_no_longer_loaded_leave_the_others_whole(app, make_user):
    learner = make_user()
    catalog = app.extensions["soglia.catalog"]
    course = catalog.course("sample-course")
    with app.app_context():
        # read first: the lesson rows come before the others, and this one's course is gone from the files
        db.session.add(LessonProgress(user_id=learner, course_slug="removed-course", lesson_key="old/lesson"))
        db.session.flush()
        progress.mark_lesson_done(db.session.get(User, learner), course, course.item("basics/welcome"), "NGO")
        progress.record_view(learner, course, course.item("basics/saving").key)
        db.session.commit()
        states = progress.all_course_states(learner, catalog)
        assert "removed-course" not in states
        assert states[course.slug].done_lessons == {"basics/welcome"}
        assert states[course.slug].last_item_key == "basics/saving"


def test_a_learners_state_gives_the_completion_time_as_stored(app, make_user):
    learner = make_user()
    catalog = app.extensions["soglia.catalog"]
    course = catalog.course("sample-course")
    completed_at = datetime(2026, 5, 4, 10, 30, tzinfo=timezone.utc)
    with app.app_context():
        db.session.add(CourseCompletion(user_id=learner, course_slug=course.slug, course_version="1",
                                        completed_at=completed_at))
        db.session.commit()
        assert progress.all_course_states(learner, catalog)[course.slug].completed_at == completed_at
        assert progress.course_state(learner, course).completed_at == completed_at
        assert progress.learners_states([learner], catalog)[learner][course.slug].completed_at == completed_at
