"""Quiz attempts: open, show options under opaque per-attempt tokens, grade once, keep every answer."""
import hashlib
import hmac
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from flask import current_app
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from ..content.model import Course, Option, Question, Quiz
from ..content.questions import InvalidAnswer
from ..database import prepared
from ..extensions import db
from ..models import CourseCompletion, QuestionAnswer, QuizAttempt, User
from ..models.base import utcnow
from . import progress

FIELD_PREFIX = "q-"
MAX_VALUES_PER_QUESTION = 26
#: a submitted form (request.form)
FormData = MultiDict[str, str]
#: hex digits of an option token: 48 bits, unguessable and unrelated to the option's place or correctness
TOKEN_LENGTH = 12


class NoAttemptsLeft(Exception):
    """The quiz allows no more attempts for this learner."""


class StaleForm(Exception):
    """The form names no attempt of this learner (an old page, another account, or tampering)."""


class AlreadySubmitted(Exception):
    """The attempt was graded before (a replayed or double submit)."""

    def __init__(self, attempt: QuizAttempt) -> None:
        super().__init__("already submitted")
        self.attempt = attempt


#: the error codes templates branch on: per question "missing" or "invalid"; under None the form as a whole
MISSING, INVALID, UNKNOWN_FIELD, OTHER_QUIZ = "missing", "invalid", "unknown", "other-quiz"


class InvalidSubmission(Exception):
    """The form does not fit the quiz: per-question codes, or a general one under None."""

    def __init__(self, errors: dict[str | None, str]) -> None:
        super().__init__("invalid submission")
        self.errors = errors


@dataclass(frozen=True)
class ShownOption:
    """An option as this attempt shows it: the token the form sends back, and the option."""

    token: str
    option: Option


@dataclass(frozen=True)
class Submission:
    """A graded attempt, and the course completion it brought (None if it brought none)."""

    attempt: QuizAttempt
    completion: CourseCompletion | None


@dataclass(frozen=True)
class ReviewRow:
    """One question of a graded attempt, for the learner's results page."""

    question: Question
    correct: bool
    response: Any


def original_questions(course: Course, quiz: Quiz) -> tuple[Question, ...]:
    """Grading always uses the course's own language; translations share its answer key."""
    return quiz.versions[course.language].questions


def _attempt_filter(user_id: int, course: Course, quiz: Quiz) -> tuple[Any, ...]:
    """This learner's attempts at this quiz: every query here starts from it."""
    return (QuizAttempt.user_id == user_id, QuizAttempt.course_slug == course.slug, QuizAttempt.quiz_key == quiz.key)


def submitted_attempts(user_id: int, course: Course, quiz: Quiz) -> Sequence[QuizAttempt]:
    """The learner's graded attempts at this quiz, first to last."""
    return db.session.scalars(select(QuizAttempt).where(
        *_attempt_filter(user_id, course, quiz), QuizAttempt.submitted_at.is_not(None),
    ).order_by(QuizAttempt.number)).all()


class AttemptFacts(Protocol):
    """What a quiz page shows of an attempt: a QuizAttempt, or a row of its table read without the ORM."""

    @property
    def id(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def number(self) -> int: ...
    @property
    def score(self) -> float | None: ...
    @property
    def passed(self) -> bool | None: ...


def _attempts_of_statement() -> Any:
    """One learner's attempts at one quiz, first to last, as rows (a page that only shows them needs no ORM objects)."""
    attempts = QuizAttempt.__table__
    return (select(attempts).where(attempts.c.user_id == bindparam("user_id"),
                                   attempts.c.course_slug == bindparam("course_slug"),
                                   attempts.c.quiz_key == bindparam("quiz_key"))
            .order_by(attempts.c.number))


def attempts_of(user_id: int, course: Course, quiz: Quiz) -> tuple[AttemptFacts | None, list[AttemptFacts]]:
    """(the learner's open attempt at this quiz or None, their graded attempts first to last): one statement,
    read-only rows."""
    found = db.session.connection().execute(
        prepared(_attempts_of_statement), {"user_id": user_id, "course_slug": course.slug, "quiz_key": quiz.key}).all()
    return (next((a for a in found if a.submitted_at is None), None),
            [a for a in found if a.submitted_at is not None])


def graded_attempt(user_id: int, course: Course, quiz: Quiz, number: int) -> QuizAttempt | None:
    """The learner's graded attempt with this number, or None (also for other learners' attempts)."""
    return db.session.scalar(select(QuizAttempt).where(
        *_attempt_filter(user_id, course, quiz), QuizAttempt.number == number, QuizAttempt.submitted_at.is_not(None)))


def _find_open_attempt(user_id: int, course: Course, quiz: Quiz) -> QuizAttempt | None:
    return db.session.scalar(select(QuizAttempt).where(*_attempt_filter(user_id, course, quiz),
                                                       QuizAttempt.submitted_at.is_(None)))


def open_attempt(user_id: int, course: Course, quiz: Quiz) -> QuizAttempt:
    """The learner's open attempt at this quiz, created if needed. Raises NoAttemptsLeft."""
    attempt = _find_open_attempt(user_id, course, quiz)
    if attempt is not None:
        return attempt
    used, highest = db.session.execute(select(func.count(), func.max(QuizAttempt.number)).where(
        *_attempt_filter(user_id, course, quiz))).one()
    if quiz.attempts and used >= quiz.attempts:
        raise NoAttemptsLeft()
    attempt = QuizAttempt(user_id=user_id, course_slug=course.slug, quiz_key=quiz.key, number=(highest or 0) + 1,
                          seed=secrets.randbelow(2**31), pass_mark=quiz.pass_mark, course_version=course.version)
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # a concurrent request opened it first
        found = _find_open_attempt(user_id, course, quiz)
        if found is None:
            raise NoAttemptsLeft() from None
        attempt = found
    return attempt


def option_order(attempt: AttemptFacts, quiz: Quiz, question: Question) -> list[str]:
    """Option ids in the order this attempt shows them: shuffled once per attempt, stable after."""
    ids = [option.id for option in question.options]
    if quiz.shuffle:
        random.Random(f"{attempt.seed}:{question.id}").shuffle(ids)
    return ids


def option_tokens(attempt: AttemptFacts, question: Question) -> dict[str, str]:
    """{option id: token}: what the form sends for each option, different in every attempt.

    A keyed hash of the attempt, the question and the option: the page tells nothing about an option's
    place in the file or its correctness, and only the server can map a token back.
    """
    key = hashlib.sha256(b"soglia-option-token\0" + str(current_app.secret_key).encode()).digest()
    return {
        option.id: hmac.new(key, f"{attempt.id}:{attempt.seed}:{question.id}:{option.id}".encode(),
                            hashlib.sha256).hexdigest()[:TOKEN_LENGTH]
        for option in question.options
    }


def shown_options(attempt: AttemptFacts, quiz: Quiz, question: Question) -> list[ShownOption]:
    """The question's options in this attempt's order, each with its token."""
    by_id = {option.id: option for option in question.options}
    tokens = option_tokens(attempt, question)
    return [ShownOption(tokens[option_id], by_id[option_id]) for option_id in option_order(attempt, quiz, question)]


def _submitted_values(attempt: QuizAttempt, question: Question, form: FormData) -> list[str]:
    """The non-empty values sent for a question, option tokens turned back into option ids."""
    values = [v for v in form.getlist(FIELD_PREFIX + question.id)[:MAX_VALUES_PER_QUESTION + 1] if v.strip()]
    if not question.options:
        return values
    decode = {token: option_id for option_id, token in option_tokens(attempt, question).items()}
    return [decode.get(value, "") for value in values]  # "" is no option id: the type rejects it


def read_answers(attempt: QuizAttempt, questions: Sequence[Question], form: FormData) -> dict[str, Any]:
    """Read every question's answer from the form. Raises InvalidSubmission with error codes."""
    known = {FIELD_PREFIX + q.id for q in questions}
    if any(name.startswith(FIELD_PREFIX) and name not in known for name in form):
        raise InvalidSubmission({None: UNKNOWN_FIELD})
    answers: dict[str, Any] = {}
    errors: dict[str | None, str] = {}
    for question in questions:
        values = _submitted_values(attempt, question, form)
        if not values:
            errors[question.id] = MISSING
            continue
        try:
            answers[question.id] = question.type.read_answer(question, values)
        except InvalidAnswer:
            errors[question.id] = INVALID
    if errors:
        raise InvalidSubmission(errors)
    return answers


def is_passing(score: float, pass_mark: float) -> bool:
    """A score exactly at the pass mark passes (with room for float rounding)."""
    return score + 1e-9 >= pass_mark


def submit_attempt(attempt: QuizAttempt, course: Course, quiz: Quiz, form: FormData) -> QuizAttempt:
    """Grade an open attempt once and store its answers (flushed; the caller commits).

    :raises AlreadySubmitted: for a replayed or double submit (nothing is stored twice)
    :raises InvalidSubmission: when answers are missing, malformed or for another quiz
    """
    if attempt.submitted_at is not None:
        raise AlreadySubmitted(attempt)
    questions = original_questions(course, quiz)
    answers = read_answers(attempt, questions, form)
    results = {q.id: q.type.grade(q, answers[q.id]) for q in questions}
    score = sum(results.values()) / len(questions)
    claimed = db.session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(submitted_at=utcnow(), score=score, passed=is_passing(score, attempt.pass_mark))
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:  # another request graded it between our read and our update; nothing was written
        db.session.refresh(attempt)
        raise AlreadySubmitted(attempt)
    db.session.execute(insert(QuestionAnswer), [  # one statement, however long the quiz
        {"attempt_id": attempt.id, "question_id": q.id, "response": answers[q.id], "correct": results[q.id]}
        for q in questions
    ])
    db.session.refresh(attempt)
    return attempt


def _attempt_of_form(user_id: int, form: FormData) -> QuizAttempt:
    """The learner's attempt the form names. Raises StaleForm for anything else."""
    attempt_id = form.get("attempt", "") or ""
    well_formed = attempt_id.isascii() and attempt_id.isdigit() and len(attempt_id) < 12  # not "²" nor "١"
    attempt = db.session.get(QuizAttempt, int(attempt_id)) if well_formed else None
    if attempt is None or attempt.user_id != user_id:
        raise StaleForm()
    return attempt


def submit_form(user: User, course: Course, quiz: Quiz, form: FormData, organisation_name: str) -> Submission:
    """Grade the attempt a submitted quiz form names, and complete the course when this pass finishes it.

    :raises StaleForm: the form names no attempt of this learner
    :raises InvalidSubmission: answers missing or malformed, or the attempt is of another quiz (under None)
    :raises AlreadySubmitted: a replay of a graded attempt
    """
    attempt = _attempt_of_form(user.id, form)
    if attempt.course_slug != course.slug or attempt.quiz_key != quiz.key:
        raise InvalidSubmission({None: OTHER_QUIZ})
    submit_attempt(attempt, course, quiz, form)
    completion = progress.complete_if_finished(user, course, organisation_name) if attempt.passed else None
    return Submission(attempt, completion)


def review(attempt: QuizAttempt, questions: Sequence[Question]) -> list[ReviewRow]:
    """The attempt's answers to `questions` (in the page language), skipping questions added since."""
    answers: Mapping[str, QuestionAnswer] = {answer.question_id: answer for answer in attempt.answers}
    return [ReviewRow(q, answers[q.id].correct, answers[q.id].response) for q in questions if q.id in answers]
