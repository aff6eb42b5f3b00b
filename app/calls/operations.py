"""Opening a call, submitting and withdrawing, scoring, and ranking. Rules are checked here and in the schema."""
import statistics
from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..content.model import Course, Worksheet
from ..content.worksheets import is_complete
from ..extensions import db
from ..models import User
from ..models.base import utcnow
from ..workbook.operations import course_answers
from ..workbook.review import reviewed_by, reviewers_for
from .models import MAX_SCORE, MIN_SCORE, Call, Criterion, JuryMember, Score, Submission

#: the most criteria a rubric may have, and the longest comment a juror may write
MAX_CRITERIA = 12
MAX_SCORE_COMMENT = 2000


class CallError(ValueError):
    """What cannot be done, as a code the page turns into a message; `detail` names a line or a worksheet."""

    def __init__(self, code: str, detail: object = None) -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


def parse_rubric(text: str) -> list[tuple[str, float]]:
    """`name | weight` per line -> [(name, weight)]; CallError("rubric_line", line number) on a bad line."""
    criteria = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, _sep, weight = line.rpartition("|")
        try:
            value = float(weight.strip().replace(",", "."))
        except ValueError:
            raise CallError("rubric_line", number) from None
        if not name.strip() or not 0 < value <= 100 or len(name.strip()) > 200:
            raise CallError("rubric_line", number)
        criteria.append((name.strip(), value))
    if not criteria or len(criteria) > MAX_CRITERIA:
        raise CallError("rubric_count")
    return criteria


def open_call(admin: User, course: Course, title: str, description: str, deadline: datetime,
              worksheet_keys: list[str], rubric: list[tuple[str, float]], juror_ids: list[int]) -> Call:
    """A new call of the admin's organisation; jurors must be trainers of that organisation."""
    allowed = {user.id for user in reviewers_for(admin)} | {admin.id}
    if not juror_ids or not set(juror_ids) <= allowed:
        raise CallError("jurors")
    if deadline <= utcnow():
        raise CallError("deadline_past")
    if not worksheet_keys or not set(worksheet_keys) <= {w.key for w in course.worksheets}:
        raise CallError("worksheets")
    call = Call(organisation_id=admin.organisation_id, title=title.strip(), description=description.strip(),
                deadline=deadline, course_slug=course.slug, required_worksheets=list(worksheet_keys),
                created_by=admin.id)
    call.criteria = [Criterion(position=i, name=name, weight=weight) for i, (name, weight) in enumerate(rubric)]
    call.jurors = [JuryMember(user_id=user_id) for user_id in sorted(set(juror_ids))]
    db.session.add(call)
    db.session.flush()
    return call


def call_or_404(user: User, call_id: int) -> Call:
    """A call of the user's organisation, else 404."""
    call = db.session.get(Call, call_id)
    if call is None or call.organisation_id != user.organisation_id:
        abort(404)
    return call


def submission_or_404(call: Call, submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.call_id != call.id:
        abort(404)
    return submission


def calls_of(user: User) -> list[Call]:
    return list(db.session.scalars(select(Call).where(Call.organisation_id == user.organisation_id)
                                   .order_by(Call.deadline.desc())))


def is_open(call: Call) -> bool:
    return utcnow() < call.deadline


def is_juror(call: Call, user: User) -> bool:
    return any(member.user_id == user.id for member in call.jurors)


def own_submission(call: Call, learner: User) -> Submission | None:
    return db.session.scalar(select(Submission).where(Submission.call_id == call.id,
                                                      Submission.learner_id == learner.id))


def submit(call: Call, learner: User, course: Course) -> Submission:
    """Submit a frozen copy of the required worksheets, each complete, before the deadline (once)."""
    if not is_open(call):
        raise CallError("closed")
    answers = course_answers(learner.id, course)
    for key in call.required_worksheets:
        worksheet = course.item(key)
        if not isinstance(worksheet, Worksheet) or not is_complete(worksheet.versions[course.language].fields, answers.get(key, {})):
            raise CallError("incomplete", key)
    submission = Submission(call_id=call.id, learner_id=learner.id,
                            snapshot={key: answers.get(key, {}) for key in call.required_worksheets})
    try:
        with db.session.begin_nested():
            db.session.add(submission)
    except IntegrityError:
        raise CallError("already_submitted") from None
    return submission


def withdraw(call: Call, learner: User) -> None:
    """Take a submission back, before the deadline only."""
    if not is_open(call):
        raise CallError("closed")
    submission = own_submission(call, learner)
    if submission is not None:
        db.session.delete(submission)
        db.session.flush()


def conflict_of_interest(submission: Submission, juror: User) -> bool:
    """The juror was asked to review this learner's plan as an operator: they may not score it."""
    return reviewed_by(juror.id, submission.learner_id)


def scores_by(submission: Submission, juror: User) -> list[Score]:
    return list(db.session.scalars(select(Score).where(Score.submission_id == submission.id,
                                                       Score.juror_id == juror.id)))


def record_scores(call: Call, submission: Submission, juror: User, values: dict[int, tuple[int, str]]) -> None:
    """Score every criterion at once ({criterion id: (score, comment)}); a second time is refused."""
    if not is_juror(call, juror):
        abort(403)
    if conflict_of_interest(submission, juror):
        raise CallError("conflict")
    if set(values) != {criterion.id for criterion in call.criteria}:
        raise CallError("every_criterion")
    for value, comment in values.values():
        if not MIN_SCORE <= value <= MAX_SCORE or len(comment) > MAX_SCORE_COMMENT:
            raise CallError("score_range")
    try:
        with db.session.begin_nested():
            for criterion_id, (value, comment) in values.items():
                db.session.add(Score(submission_id=submission.id, criterion_id=criterion_id, juror_id=juror.id,
                                     value=value, comment=comment.strip()))
    except IntegrityError:
        raise CallError("already_scored") from None


@dataclass
class Ranked:
    """A submission's place: mean weighted score over the jurors who scored every criterion, and its spread."""

    submission: Submission
    juror_scores: list[float]

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.juror_scores) if self.juror_scores else None

    @property
    def spread(self) -> float | None:
        """Highest minus lowest juror's weighted score: how much the jury agrees."""
        return max(self.juror_scores) - min(self.juror_scores) if self.juror_scores else None


def ranking(call: Call) -> list[Ranked]:
    """Every submission, best mean weighted score first (unscored ones last), with two queries."""
    weights = {criterion.id: criterion.weight for criterion in call.criteria}
    total_weight = sum(weights.values())
    submissions = list(db.session.scalars(select(Submission).where(Submission.call_id == call.id)))
    by_juror: dict[tuple[int, int], dict[int, int]] = {}
    for score in db.session.scalars(select(Score).join(Submission).where(Submission.call_id == call.id)):
        by_juror.setdefault((score.submission_id, score.juror_id), {})[score.criterion_id] = score.value
    ranked = []
    for submission in submissions:
        weighted = [sum(weights[c] * v for c, v in scores.items()) / total_weight
                    for (submission_id, _juror), scores in by_juror.items()
                    if submission_id == submission.id and set(scores) == set(weights)]
        ranked.append(Ranked(submission, weighted))
    return sorted(ranked, key=lambda r: (r.mean is None, -(r.mean or 0), r.submission.submitted_at))
