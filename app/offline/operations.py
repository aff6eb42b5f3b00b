"""Sync: apply the events a device queued offline, each exactly once, at the time it happened."""
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from ..catalog import get_catalog
from ..cohorts import tallies
from ..content.model import Course, pick
from ..extensions import db
from ..i18n import current_language
from ..models import Enrolment, QuizAttempt, User
from ..models.base import utcnow
from ..services import progress, quizzes
from .models import OfflineEvent

#: events older than this are kept, with their time moved up to this bound
MAX_OFFLINE_AGE = timedelta(days=30)
#: at most this many events per sync request (a device sends more in several requests)
MAX_EVENTS = 50
MAX_FORM_FIELDS = 200
MAX_VALUE_LENGTH = 100


class BadEvent(Exception):
    """The event cannot be applied (unknown course or item, malformed): the device drops it."""


@dataclass
class Outcome:
    """What one event did, as the device is told."""

    client_id: str
    status: str  # an OfflineEvent outcome, or "rejected"
    duplicate: bool = False
    message: str = ""
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.client_id, "status": self.status, "duplicate": self.duplicate, "message": self.message,
                "url": self.url, **self.extra}


def ensure_enrolment(user_id: int, course: Course) -> None:
    """Enrol the learner when they keep a course on their phone (the lower bound of offline times)."""
    exists = db.session.scalar(select(Enrolment.id).where(Enrolment.user_id == user_id,
                                                          Enrolment.course_slug == course.slug))
    if exists is None:
        try:
            with db.session.begin_nested():
                db.session.add(Enrolment(user_id=user_id, course_slug=course.slug))
        except IntegrityError:
            pass  # a concurrent request enrolled them
        else:
            tallies.recount([user_id])


def set_data_saver(user_id: int, on: bool) -> None:
    """The learner's data saver setting (a statement, so it works whatever object the login loaded)."""
    db.session.execute(update(User).where(User.id == user_id).values(data_saver=on))


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time with a zone (as JavaScript's toISOString gives), or None."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(timezone.utc) if parsed.tzinfo else None


def bounded_time(claimed: datetime | None, user: User, course: Course, now: datetime) -> datetime:
    """The claimed time, kept between the learner's enrolment (at most 30 days back) and now."""
    enrolled: datetime | None = db.session.scalar(select(Enrolment.started_at).where(
        Enrolment.user_id == user.id, Enrolment.course_slug == course.slug))
    created: datetime | None = db.session.scalar(select(User.created_at).where(User.id == user.id))
    joined = enrolled or created or now
    lower = max(joined, now - MAX_OFFLINE_AGE)
    if claimed is None:
        return now
    return min(max(claimed, lower), now)


def _client_id(raw: Any) -> str:
    try:
        return str(uuid.UUID(str(raw)))
    except ValueError:
        raise BadEvent("id") from None


def _target(event: dict[str, Any], kind: str):
    course = get_catalog().course(str(event.get("course", "")))
    item = course.item(str(event.get("item", ""))) if course else None
    expected = "lesson" if kind == "lesson-done" else "quiz"
    if item is None or item.kind != expected:
        raise BadEvent("target")
    return course, item


def _form(raw: Any) -> MultiDict:
    """The queued quiz form as the quiz service reads it: {name: [values]} of short strings."""
    if not isinstance(raw, dict) or len(raw) > MAX_FORM_FIELDS:
        raise BadEvent("form")
    form: MultiDict = MultiDict()
    for name, values in raw.items():
        values = values if isinstance(values, list) else [values]
        if not isinstance(name, str) or len(values) > quizzes.MAX_VALUES_PER_QUESTION + 1:
            raise BadEvent("form")
        for value in values:
            if not isinstance(value, str) or len(value) > MAX_VALUE_LENGTH:
                raise BadEvent("form")
            form.add(name, value)
    return form


def _existing(user_id: int, client_id: str) -> OfflineEvent | None:
    return db.session.scalar(select(OfflineEvent).where(OfflineEvent.user_id == user_id,
                                                        OfflineEvent.client_id == client_id))


def _url(course: Course, item) -> str:
    return url_for("learn.item", course_slug=course.slug, module_slug=item.module_slug, item_slug=item.slug)


def _apply_lesson(user: User, course: Course, lesson, row: OfflineEvent, organisation_name: str) -> Outcome:
    already = progress.is_lesson_done(user.id, course, lesson)
    completion = progress.mark_lesson_done(user, course, lesson, organisation_name, at=row.occurred_at)
    row.outcome = "already-done" if already else "recorded"
    if completion is not None:
        return Outcome(row.client_id, row.outcome, message=_("Congratulations! You have completed this course."),
                       url=url_for("learn.course", course_slug=course.slug), extra={"completed": True})
    return Outcome(row.client_id, row.outcome, url=_url(course, lesson), extra={"completed": False})


def _quiz_outcome(row: OfflineEvent, course: Course, quiz, attempt, completed: bool = False) -> Outcome:
    title, _fell_back = pick(quiz.versions, current_language(), course.language)
    percent = round(100 * (attempt.score or 0))
    if row.outcome == "graded":
        message = (_("Your answers to “%(quiz)s” were marked: %(percent)s%%, passed.", quiz=title.title,
                     percent=percent) if attempt.passed else
                   _("Your answers to “%(quiz)s” were marked: %(percent)s%%, not passed yet.", quiz=title.title,
                     percent=percent))
    else:
        message = _("Your offline answers to “%(quiz)s” were not marked: this attempt was already "
                    "submitted, maybe on another device.", quiz=title.title)
    url = (url_for("quiz.result", course_slug=course.slug, module_slug=quiz.module_slug, item_slug=quiz.slug,
                   number=attempt.number) if attempt is not None and attempt.submitted_at else _url(course, quiz))
    if completed:
        message += " " + _("Congratulations! You have completed this course.")
    extra = {"completed": completed}
    if attempt is not None and attempt.submitted_at is not None:
        extra.update(score=attempt.score, passed=attempt.passed)
    return Outcome(row.client_id, row.outcome, message=message, url=url, extra=extra)


def _apply_quiz(user: User, course: Course, quiz, row: OfflineEvent, form: MultiDict,
                organisation_name: str) -> Outcome:
    try:
        with db.session.begin_nested():
            submission = quizzes.submit_form(user, course, quiz, form, organisation_name)
    except quizzes.AlreadySubmitted as replay:
        row.outcome, row.attempt_id = "stale", replay.attempt.id
        return _quiz_outcome(row, course, quiz, replay.attempt)
    except quizzes.StaleForm:
        row.outcome = "stale"
        return _quiz_outcome(row, course, quiz, None)
    except quizzes.InvalidSubmission:
        raise BadEvent("answers") from None
    attempt = submission.attempt
    attempt.submitted_at = max(row.occurred_at, attempt.started_at)  # graded now, answered then
    if submission.completion is not None:
        submission.completion.completed_at = attempt.submitted_at
    row.outcome, row.attempt_id = "graded", attempt.id
    db.session.flush()
    return _quiz_outcome(row, course, quiz, attempt, completed=submission.completion is not None)


def _describe_existing(row: OfflineEvent) -> Outcome:
    """What a replayed event did the first time."""
    course = get_catalog().course(row.course_slug)
    item = course.item(row.item_key) if course else None
    if course is None or item is None:
        return Outcome(row.client_id, row.outcome, duplicate=True)
    if row.kind == "quiz-answers":
        attempt = db.session.get(QuizAttempt, row.attempt_id) if row.attempt_id else None
        outcome = _quiz_outcome(row, course, item, attempt)
    else:
        outcome = Outcome(row.client_id, row.outcome, url=_url(course, item))
    outcome.duplicate = True
    return outcome


def apply_event(user: User, event: Any, organisation_name: str, now: datetime | None = None) -> Outcome:
    """Apply one queued event once (flushed; the caller commits).

    A replay (same learner, same client id) changes nothing and reports what the first delivery did.
    :raises BadEvent: for an event that can never apply; nothing is stored
    """
    if not isinstance(event, dict):
        raise BadEvent("shape")
    client_id = _client_id(event.get("id"))
    kind = event.get("type")
    if kind not in ("lesson-done", "quiz-answers"):
        raise BadEvent("type")
    existing = _existing(user.id, client_id)
    if existing is not None:
        return _describe_existing(existing)
    course, item = _target(event, kind)
    form = _form(event.get("form")) if kind == "quiz-answers" else MultiDict()
    now = now or utcnow()
    claimed = parse_time(event.get("at"))
    row = OfflineEvent(user_id=user.id, client_id=client_id, kind=kind, course_slug=course.slug, item_key=item.key,
                       claimed_at=claimed, occurred_at=bounded_time(claimed, user, course, now), received_at=now,
                       outcome="recorded")
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
            if kind == "lesson-done":
                return _apply_lesson(user, course, item, row, organisation_name)
            return _apply_quiz(user, course, item, row, form, organisation_name)
    except IntegrityError:  # the same event arrived at the same moment from a second request
        existing = _existing(user.id, client_id)
        if existing is None:
            raise
        return _describe_existing(existing)


def apply_events(user: User, events: list[Any], organisation_name: str) -> list[dict[str, Any]]:
    """Apply a device's queued events in order; one result per event, rejected ones included."""
    now = utcnow()
    results = []
    for event in events:
        try:
            results.append(apply_event(user, event, organisation_name, now).as_json())
        except BadEvent as bad:
            raw_id = event.get("id") if isinstance(event, dict) else None
            results.append({"id": str(raw_id)[:40] if raw_id else None, "status": "rejected", "reason": str(bad)})
    db.session.flush()
    return results
