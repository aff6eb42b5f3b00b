"""Item analysis of a quiz in a cohort, and how a learner's answers read: from the stored responses."""
import json
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import String, case, cast, func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..i18n import current_language
from ..models import Certificate, LessonProgress, QuestionAnswer, QuizAttempt
from .models import CohortMember


def _questions(course, quiz):
    """The quiz's questions in the page language (else the course's), keyed by id."""
    version = quiz.versions.get(current_language()) or quiz.versions[course.language]
    return version.questions


def describe_response(question, response):
    """A learner's answer as safe HTML: the chosen option(s), true/false, or the number."""
    if question.options:
        chosen = response if isinstance(response, list) else [response]
        labels = {option.id: Markup(option.html) for option in question.options}
        return Markup(", ").join(labels.get(option_id, escape(str(option_id))) for option_id in chosen)
    if isinstance(response, bool):
        return escape(_("True") if response else _("False"))
    return escape(str(response))


@dataclass
class QuestionStats:
    question: object
    answers: int = 0
    right: int = 0
    #: [(answer as HTML, times chosen)], most chosen first
    wrong_choices: list = field(default_factory=list)

    @property
    def share_right(self):
        return self.right / self.answers if self.answers else None


@dataclass
class ItemAnalysis:
    attempts: int
    passed: int
    learners: int
    questions: list

    @property
    def pass_rate(self):
        return self.passed / self.attempts if self.attempts else None

    @property
    def hardest(self):
        answered = [q for q in self.questions if q.answers]
        return min(answered, key=lambda q: q.share_right) if answered else None


def _wrong_choices(question, responses):
    """Count wrong answers: per wrong option chosen (choice questions) or per wrong value."""
    counts: dict[str, int] = {}
    for raw, times in responses:
        response = json.loads(raw)
        if question.options:
            chosen = response if isinstance(response, list) else [response]
            wrong = [option.id for option in question.options if option.id in chosen and not option.correct]
            for option_id in wrong:
                counts[option_id] = counts.get(option_id, 0) + times
        else:
            key = json.dumps(response)
            counts[key] = counts.get(key, 0) + times
    described = []
    for key, times in counts.items():
        response = key if question.options else json.loads(key)
        described.append((describe_response(question, response), times))
    return sorted(described, key=lambda pair: -pair[1])


def item_analysis(cohort, course, quiz):
    """Attempts, pass rate and per-question results of the cohort's learners: three statements."""
    members = select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id).scalar_subquery()
    in_scope = (QuizAttempt.user_id.in_(members), QuizAttempt.course_slug == course.slug,
                QuizAttempt.quiz_key == quiz.key, QuizAttempt.submitted_at.is_not(None))
    attempts, passed, learners = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((QuizAttempt.passed.is_(True), 1), else_=0)), 0),
               func.count(func.distinct(QuizAttempt.user_id))).where(*in_scope)).one()
    rows = db.session.execute(
        select(QuestionAnswer.question_id, QuestionAnswer.correct, cast(QuestionAnswer.response, String), func.count())
        .join(QuizAttempt, QuizAttempt.id == QuestionAnswer.attempt_id).where(*in_scope)
        .group_by(QuestionAnswer.question_id, QuestionAnswer.correct, cast(QuestionAnswer.response, String))).all()
    stats = {q.id: QuestionStats(q) for q in _questions(course, quiz)}
    wrong: dict[str, list] = {}
    for question_id, correct, raw, times in rows:
        found = stats.get(question_id)
        if found is None:  # a question removed from the quiz since
            continue
        found.answers += times
        if correct:
            found.right += times
        else:
            wrong.setdefault(question_id, []).append((raw, times))
    for question_id, responses in wrong.items():
        stats[question_id].wrong_choices = _wrong_choices(stats[question_id].question, responses)
    return ItemAnalysis(attempts, passed, learners, list(stats.values()))


@dataclass
class TimelineEvent:
    kind: str  # "lesson", "attempt" or "certificate"
    at: Any  # a datetime
    course_slug: str
    item_key: str = ""
    attempt: object = None
    certificate: object = None


def learner_timeline(user, limit=200):
    """What a learner did, newest first: lessons, quiz attempts with answers, certificates (four statements)."""
    events = [TimelineEvent("lesson", at, slug, key) for slug, key, at in db.session.execute(
        select(LessonProgress.course_slug, LessonProgress.lesson_key, LessonProgress.completed_at)
        .where(LessonProgress.user_id == user.id).order_by(LessonProgress.completed_at.desc()).limit(limit))]
    attempts = db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id == user.id, QuizAttempt.submitted_at.is_not(None))
        .options(selectinload(QuizAttempt.answers)).order_by(QuizAttempt.submitted_at.desc()).limit(limit)).all()
    events += [TimelineEvent("attempt", a.submitted_at, a.course_slug, a.quiz_key, attempt=a) for a in attempts]
    certificates = db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)).all()
    events += [TimelineEvent("certificate", c.issued_at, c.course_slug, certificate=c) for c in certificates]
    events.sort(key=lambda event: event.at, reverse=True)
    return events[:limit]
