"""The sync endpoint: each queued event once, at its own time, graded on the server, one certificate."""
import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.models import Certificate, CourseCompletion, Enrolment, LessonProgress, QuizAttempt, User
from app.offline import operations
from app.offline.models import OfflineEvent
from tests.conftest import PASSWORD, answer_key_form, make_config, run_concurrently


def login(client, username="amina"):
    response = client.post("/account/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def setup(any_db_app, make_user):
    """(app, course, a logged-in client) on SQLite and PostgreSQL."""
    make_user("amina", target_app=any_db_app)
    client = any_db_app.test_client()
    login(client)
    return any_db_app, any_db_app.extensions["soglia.catalog"].course("sample-course"), client


def iso(moment):
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def lesson_event(lesson, at=None, event_id=None):
    return {"id": event_id or str(uuid.uuid4()), "type": "lesson-done", "course": "sample-course", "item": lesson.key,
            "at": iso(at or datetime.now(timezone.utc))}


def quiz_event(client, quiz, at=None, wrong=False):
    """The answers a learner gives on the quiz page they kept (its attempt and option tokens), as queued."""
    page = client.get(f"/courses/sample-course/{quiz.module_slug}/{quiz.slug}",
                      headers={"Soglia-Download": "1"}).get_data(as_text=True)
    attempt = re.search(r'name="attempt" value="(\d+)"', page).group(1)
    form = {name: value if isinstance(value, list) else [value]
            for name, value in answer_key_form(quiz, page=page, wrong=wrong).items()}
    form["attempt"] = [attempt]
    return {"id": str(uuid.uuid4()), "type": "quiz-answers", "course": "sample-course", "item": quiz.key,
            "at": iso(at or datetime.now(timezone.utc)), "form": form}


def sync(client, *events):
    response = client.post("/offline/sync", json={"events": list(events)})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]


def count(app, model, **where):
    with app.app_context():
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)


def enrol(client, course, app=None):
    """Keep the course on the phone: that enrols the learner (moved a day back when `app` is given)."""
    assert client.get(f"/offline/courses/{course.slug}.json").status_code == 200
    if app is not None:
        with app.app_context():
            for enrolment in db.session.scalars(select(Enrolment)):
                enrolment.started_at -= timedelta(days=1)
            db.session.commit()


def test_a_lesson_done_offline_counts_once_at_its_own_time(setup):
    app, course, client = setup
    enrol(client, course, app)
    lesson = course.lessons[0]
    done_at = datetime.now(timezone.utc) - timedelta(hours=3)
    event = lesson_event(lesson, at=done_at)
    first = sync(client, event, event)  # sent twice in one request
    again = sync(client, event)  # and again later (the response was lost)
    assert [r["status"] for r in first] == ["recorded", "recorded"]
    assert [first[0]["duplicate"], first[1]["duplicate"], again[0]["duplicate"]] == [False, True, True]
    assert count(app, LessonProgress) == 1
    assert count(app, OfflineEvent) == 1
    with app.app_context():
        progress_row = db.session.scalar(select(LessonProgress))
        assert abs(progress_row.completed_at - done_at) < timedelta(seconds=1)


def test_a_second_event_for_a_done_lesson_changes_nothing(setup):
    app, course, client = setup
    enrol(client, course)
    lesson = course.lessons[0]
    results = sync(client, lesson_event(lesson), lesson_event(lesson))
    assert [r["status"] for r in results] == ["recorded", "already-done"]
    assert count(app, LessonProgress) == 1


def test_times_stay_between_enrolment_and_now(setup):
    app, course, client = setup
    enrol(client, course)
    future = datetime.now(timezone.utc) + timedelta(days=2)
    past = datetime(2001, 1, 1, tzinfo=timezone.utc)
    sync(client, lesson_event(course.lessons[0], at=future), lesson_event(course.lessons[1], at=past))
    with app.app_context():
        enrolled = db.session.scalar(select(Enrolment.started_at))
        rows = {r.lesson_key: r.completed_at for r in db.session.scalars(select(LessonProgress))}
        claimed = {e.item_key: e.claimed_at for e in db.session.scalars(select(OfflineEvent))}
    now = datetime.now(timezone.utc)
    assert rows[course.lessons[0].key] <= now and rows[course.lessons[0].key] > now - timedelta(minutes=1)
    assert abs(rows[course.lessons[1].key] - enrolled) < timedelta(seconds=1)
    assert claimed[course.lessons[1].key].year == 2001  # what the device said is kept beside it


def test_a_time_long_ago_is_kept_within_thirty_days(setup):
    app, course, client = setup
    with app.app_context():  # enrolled long ago
        user = db.session.scalar(select(User))
        user.created_at = datetime(2020, 1, 1, tzinfo=timezone.utc)
        db.session.add(Enrolment(user_id=user.id, course_slug=course.slug,
                                 started_at=datetime(2020, 1, 2, tzinfo=timezone.utc)))
        db.session.commit()
    sync(client, lesson_event(course.lessons[0], at=datetime(2020, 3, 1, tzinfo=timezone.utc)))
    with app.app_context():
        done_at = db.session.scalar(select(LessonProgress.completed_at))
    bound = datetime.now(timezone.utc) - operations.MAX_OFFLINE_AGE
    assert abs(done_at - bound) < timedelta(minutes=1)


def test_quiz_answers_are_graded_on_the_server_when_they_arrive(setup):
    app, course, client = setup
    enrol(client, course, app)
    quiz = course.quizzes[0]
    answered_at = datetime.now(timezone.utc) - timedelta(minutes=20)
    event = quiz_event(client, quiz, at=answered_at)
    assert count(app, QuizAttempt, submitted_at=None) == 1  # opened when the page was kept, not graded
    [result] = sync(client, event)
    assert result["status"] == "graded" and result["passed"] is True and result["score"] == 1
    assert "100%" in result["message"]
    assert result["url"].endswith(f"/{quiz.slug}/attempts/1")
    assert client.get(result["url"]).status_code == 200
    [replay] = sync(client, event)
    assert replay["duplicate"] and replay["status"] == "graded"
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt))
        assert attempt.score == 1 and abs(attempt.submitted_at - max(answered_at, attempt.started_at)) < timedelta(
            seconds=1)
    assert count(app, QuizAttempt) == 1


def test_wrong_answers_offline_are_marked_not_passed(setup):
    app, course, client = setup
    [result] = sync(client, quiz_event(client, course.quizzes[0], wrong=True))
    assert result["status"] == "graded" and result["passed"] is False and result["score"] == 0


def test_completion_through_synced_events_issues_one_certificate(setup):
    app, course, client = setup
    enrol(client, course, app)
    start = datetime.now(timezone.utc) - timedelta(hours=1)
    events = []
    for index, item in enumerate(course.items):
        at = start + timedelta(minutes=index)
        events.append(lesson_event(item, at=at) if item.kind == "lesson" else quiz_event(client, item, at=at))
    with app.app_context():  # the quiz pages were kept on the phone yesterday
        for attempt in db.session.scalars(select(QuizAttempt)):
            attempt.started_at -= timedelta(days=1)
        db.session.commit()
    first = sync(client, *events[:-1])
    assert not any(r.get("completed") for r in first)
    last = sync(client, events[-1], *events)  # the last one, then everything again from a retry
    assert last[0]["completed"] is True
    assert not any(r.get("completed") for r in last[1:])
    assert count(app, Certificate) == 1
    assert count(app, CourseCompletion) == 1
    with app.app_context():
        completed_at = db.session.scalar(select(CourseCompletion.completed_at))
    assert abs(completed_at - (start + timedelta(minutes=len(events) - 1))) < timedelta(seconds=1)


def test_two_devices_of_one_learner_stay_consistent(setup):
    app, course, phone = setup
    tablet = app.test_client()
    login(tablet)
    enrol(phone, course)
    quiz = course.quizzes[0]
    on_phone = quiz_event(phone, quiz)
    on_tablet = quiz_event(tablet, quiz)  # the same open attempt, kept on both devices
    lesson = course.lessons[0]
    phone_results = sync(phone, lesson_event(lesson), on_phone)
    tablet_results = sync(tablet, lesson_event(lesson), on_tablet)
    assert [r["status"] for r in phone_results] == ["recorded", "graded"]
    assert [r["status"] for r in tablet_results] == ["already-done", "stale"]
    assert "already submitted" in tablet_results[1]["message"]
    assert tablet_results[1]["url"] == phone_results[1]["url"]  # the result the phone's answers got
    assert count(app, LessonProgress) == 1
    assert count(app, QuizAttempt) == 1
    pages = [client.get("/courses/sample-course").get_data(as_text=True) for client in (phone, tablet)]
    assert pages[0].count("<strong>Done</strong>") == pages[1].count("<strong>Done</strong>") == 1


def test_one_event_sent_at_once_from_several_requests_is_applied_once(setup):
    app, course, client = setup
    enrol(client, course)
    event = lesson_event(course.lessons[0])
    with app.app_context():
        user_id = db.session.scalar(select(User.id))

    def send():
        with app.test_request_context():
            user = db.session.get(User, user_id)
            return operations.apply_event(user, event, "NGO").status

    results, errors = run_concurrently(app, send, times=4)
    assert errors == []
    assert results.count("recorded") == 4  # every sender is told what the one delivery did
    assert count(app, OfflineEvent) == 1
    assert count(app, LessonProgress) == 1


def test_events_of_one_learner_do_not_touch_another(setup, make_user):
    app, course, client = setup
    make_user("bilal", display_name="Bilal", target_app=app)
    event = lesson_event(course.lessons[0])
    sync(client, event)
    other = app.test_client()
    login(other, "bilal")
    [result] = sync(other, event)  # the same id from another account is that account's own event
    assert result["duplicate"] is False
    assert count(app, LessonProgress) == 2
    assert count(app, OfflineEvent) == 2


@pytest.mark.parametrize("event, reason", [
    ({"id": "not-a-uuid", "type": "lesson-done", "course": "sample-course", "item": "basics/welcome"}, "id"),
    ({"id": str(uuid.uuid4()), "type": "delete-all", "course": "sample-course", "item": "basics/welcome"}, "type"),
    ({"id": str(uuid.uuid4()), "type": "lesson-done", "course": "no-such-course", "item": "basics/welcome"}, "target"),
    ({"id": str(uuid.uuid4()), "type": "lesson-done", "course": "sample-course", "item": "basics/check"}, "target"),
    ({"id": str(uuid.uuid4()), "type": "quiz-answers", "course": "sample-course", "item": "basics/check",
      "form": {"q-x": ["a" * 500]}}, "form"),
    ("just a string", "shape"),
])
def test_bad_events_are_rejected_and_leave_nothing(setup, event, reason):
    app, course, client = setup
    [result] = sync(client, event)
    assert result["status"] == "rejected" and result["reason"] == reason
    assert count(app, OfflineEvent) == 0
    assert count(app, LessonProgress) == 0


def test_invalid_quiz_answers_are_rejected(setup):
    app, course, client = setup
    event = quiz_event(client, course.quizzes[0])
    event["form"] = {"attempt": event["form"]["attempt"]}  # no answers at all
    [result] = sync(client, event)
    assert result["status"] == "rejected"
    assert count(app, QuizAttempt, submitted_at=None) == 1


def test_sync_wants_a_logged_in_learner_and_a_list(client, auth):
    assert client.post("/offline/sync", json={"events": []}).status_code == 401
    auth.as_new_user()
    assert client.post("/offline/sync", data="junk").status_code == 400
    assert client.post("/offline/sync", json={"events": "x"}).status_code == 400
    too_many = [{"id": str(uuid.uuid4())}] * (operations.MAX_EVENTS + 1)
    assert client.post("/offline/sync", json={"events": too_many}).status_code == 413


def test_sync_needs_the_csrf_token_from_the_page(tmp_path, courses_dir, make_user):
    from app import create_app

    app = create_app(make_config(tmp_path, courses_dir, WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
    make_user("amina", target_app=app)
    client = app.test_client()
    page = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    client.post("/account/login", data={"username": "amina", "password": PASSWORD, "csrf_token": token.group(1)})
    page = client.get("/courses/sample-course").get_data(as_text=True)
    meta_token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
    lesson = app.extensions["soglia.catalog"].course("sample-course").lessons[0]
    body = {"events": [lesson_event(lesson)]}
    assert client.post("/offline/sync", json=body).status_code == 400
    assert client.post("/offline/sync", json=body, headers={"X-CSRFToken": "forged"}).status_code == 400
    response = client.post("/offline/sync", json=body, headers={"X-CSRFToken": meta_token})
    assert response.status_code == 200 and response.get_json()["results"][0]["status"] == "recorded"


def statements(app, action):
    """How many SQL statements `action()` runs on the app's database."""
    seen = []
    with app.app_context():
        engine = db.engine

    def record(*args):
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(seen)


def test_each_event_costs_the_same_number_of_statements(setup):
    app, course, client = setup
    enrol(client, course)
    one = statements(app, lambda: sync(client, lesson_event(course.lessons[0])))
    two = statements(app, lambda: sync(client, lesson_event(course.lessons[1]), lesson_event(course.lessons[2])))
    per_event = two - one
    assert 0 < per_event <= 16  # bounded, and the same for every further event: no query grows with the queue
    three = statements(app, lambda: sync(client, *(lesson_event(lesson) for lesson in course.lessons)))
    assert three <= one + 2 * (per_event + 2)  # three more, for lessons already done (a rolled-back insert each)
