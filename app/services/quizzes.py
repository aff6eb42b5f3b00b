"""Quiz attempts: open, grade once, keep every answer."""
import random
import secrets

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..content.questions import InvalidAnswer
from ..extensions import db
from ..models import QuestionAnswer, QuizAttempt
from ..models.base import utcnow

FIELD_PREFIX = "q-"
MAX_VALUES_PER_QUESTION = 26


class NoAttemptsLeft(Exception):
    """The quiz allows no more attempts for this learner."""


class AlreadySubmitted(Exception):
    """The attempt was graded before (a replayed or double submit)."""

    def __init__(self, attempt):
        super().__init__("already submitted")
        self.attempt = attempt


class InvalidSubmission(Exception):
    """The form does not fit the quiz: per-question messages, or a general one under None."""

    def __init__(self, errors):
        super().__init__("invalid submission")
        self.errors = errors


def original_questions(course, quiz):
    """Grading always uses the course's own language; translations share its answer key."""
    return quiz.versions[course.language].questions


def submitted_attempts(user_id, course, quiz):
    return db.session.scalars(select(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.course_slug == course.slug,
        QuizAttempt.quiz_key == quiz.key, QuizAttempt.submitted_at.is_not(None),
    ).order_by(QuizAttempt.number)).all()


def _open_attempt_query(user_id, course, quiz):
    return select(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.course_slug == course.slug,
        QuizAttempt.quiz_key == quiz.key, QuizAttempt.submitted_at.is_(None))


def open_attempt(user_id, course, quiz):
    """The learner's open attempt at this quiz, created if needed. Raises NoAttemptsLeft."""
    attempt = db.session.scalar(_open_attempt_query(user_id, course, quiz))
    if attempt is not None:
        return attempt
    row = db.session.execute(select(func.count(), func.max(QuizAttempt.number)).where(
        QuizAttempt.user_id == user_id, QuizAttempt.course_slug == course.slug,
        QuizAttempt.quiz_key == quiz.key)).one()
    used, highest = row[0], row[1] or 0
    if quiz.attempts and used >= quiz.attempts:
        raise NoAttemptsLeft()
    attempt = QuizAttempt(user_id=user_id, course_slug=course.slug, quiz_key=quiz.key, number=highest + 1,
                          seed=secrets.randbelow(2**31), pass_mark=quiz.pass_mark, course_version=course.version)
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # a concurrent request opened it first
        attempt = db.session.scalar(_open_attempt_query(user_id, course, quiz))
        if attempt is None:
            raise NoAttemptsLeft() from None
    return attempt


def option_order(attempt, quiz, question):
    """Option ids in the order this attempt shows them: shuffled once per attempt, stable after."""
    ids = [option.id for option in question.options]
    if quiz.shuffle:
        random.Random(f"{attempt.seed}:{question.id}").shuffle(ids)
    return ids


def read_answers(questions, form):
    """Read every question's answer from the form. Raises InvalidSubmission with messages."""
    known = {FIELD_PREFIX + q.id for q in questions}
    unknown = [name for name in form if name.startswith(FIELD_PREFIX) and name not in known]
    if unknown:
        raise InvalidSubmission({None: "unknown"})
    answers, errors = {}, {}
    for question in questions:
        values = [v for v in form.getlist(FIELD_PREFIX + question.id)][:MAX_VALUES_PER_QUESTION + 1]
        values = [v for v in values if v.strip()]
        if not values:
            errors[question.id] = "missing"
            continue
        try:
            answers[question.id] = question.type.read_answer(question, values)
        except InvalidAnswer:
            errors[question.id] = "invalid"
    if errors:
        raise InvalidSubmission(errors)
    return answers


def submit_attempt(attempt, course, quiz, form):
    """Grade an open attempt once and store its answers.

    :raises AlreadySubmitted: for a replayed or double submit (nothing is stored twice)
    :raises InvalidSubmission: when answers are missing, malformed or for another quiz
    """
    if attempt.submitted_at is not None:
        raise AlreadySubmitted(attempt)
    questions = original_questions(course, quiz)
    answers = read_answers(questions, form)
    results = {q.id: q.type.grade(q, answers[q.id]) for q in questions}
    score = sum(results.values()) / len(questions)
    passed = score + 1e-9 >= attempt.pass_mark
    claimed = db.session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(submitted_at=utcnow(), score=score, passed=passed)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise AlreadySubmitted(db.session.get(QuizAttempt, attempt.id))
    db.session.execute(insert(QuestionAnswer), [  # one statement, however long the quiz
        {"attempt_id": attempt.id, "question_id": q.id, "response": answers[q.id], "correct": results[q.id]}
        for q in questions
    ])
    db.session.refresh(attempt)
    return attempt
