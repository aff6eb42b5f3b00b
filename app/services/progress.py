"""Progress: lessons done, where a learner is, and course completion (exactly once)."""
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import CourseCompletion, Enrolment, LessonProgress, QuizAttempt
from ..models.base import utcnow


@dataclass
class CourseState:
    """What one learner has done in one course."""

    course: object
    done_lessons: set = field(default_factory=set)
    passed_quizzes: set = field(default_factory=set)
    best_scores: dict = field(default_factory=dict)
    last_item_key: str | None = None
    completed_at: object = None

    def is_done(self, item):
        return item.key in (self.done_lessons if item.kind == "lesson" else self.passed_quizzes)

    @property
    def done_count(self):
        return sum(self.is_done(item) for item in self.course.items)

    @property
    def percent(self):
        total = len(self.course.items)
        return round(100 * self.done_count / total) if total else 0

    @property
    def minutes_left(self):
        return sum(item.minutes for item in self.course.items if not self.is_done(item))

    @property
    def started(self):
        return self.last_item_key is not None or self.done_count > 0

    def continue_item(self):
        """The last item viewed if not done yet, else the next one not done (wrapping to the start)."""
        items = self.course.items
        start = next((i for i, item in enumerate(items) if item.key == self.last_item_key), 0)
        for item in items[start:] + items[:start]:
            if not self.is_done(item):
                return item
        return None


def _quiz_summary(user_id, course_slug=None):
    query = select(
        QuizAttempt.course_slug, QuizAttempt.quiz_key, func.max(QuizAttempt.score),
        func.max(case((QuizAttempt.passed.is_(True), 1), else_=0)),
    ).where(QuizAttempt.user_id == user_id, QuizAttempt.submitted_at.is_not(None))
    if course_slug:
        query = query.where(QuizAttempt.course_slug == course_slug)
    return db.session.execute(query.group_by(QuizAttempt.course_slug, QuizAttempt.quiz_key)).all()


def course_state(user_id, course):
    """Load one learner's state in one course with a fixed number of queries (four)."""
    state = CourseState(course)
    state.done_lessons = set(db.session.scalars(
        select(LessonProgress.lesson_key).where(LessonProgress.user_id == user_id,
                                                LessonProgress.course_slug == course.slug)))
    for _, key, best, passed in _quiz_summary(user_id, course.slug):
        state.best_scores[key] = best
        if passed:
            state.passed_quizzes.add(key)
    state.last_item_key = db.session.scalar(select(Enrolment.last_item_key).where(
        Enrolment.user_id == user_id, Enrolment.course_slug == course.slug))
    state.completed_at = db.session.scalar(select(CourseCompletion.completed_at).where(
        CourseCompletion.user_id == user_id, CourseCompletion.course_slug == course.slug))
    return state


def all_course_states(user_id, catalog):
    """Every course's state for one learner with a fixed number of queries (four)."""
    states = {slug: CourseState(course) for slug, course in catalog.courses.items()}
    for slug, key in db.session.execute(select(LessonProgress.course_slug, LessonProgress.lesson_key)
                                        .where(LessonProgress.user_id == user_id)):
        if slug in states:
            states[slug].done_lessons.add(key)
    for slug, key, best, passed in _quiz_summary(user_id):
        if slug in states:
            states[slug].best_scores[key] = best
            if passed:
                states[slug].passed_quizzes.add(key)
    for slug, key in db.session.execute(select(Enrolment.course_slug, Enrolment.last_item_key)
                                        .where(Enrolment.user_id == user_id)):
        if slug in states:
            states[slug].last_item_key = key
    for slug, at in db.session.execute(select(CourseCompletion.course_slug, CourseCompletion.completed_at)
                                       .where(CourseCompletion.user_id == user_id)):
        if slug in states:
            states[slug].completed_at = at
    return states


#: re-opening the same item within this time does not write to the database again
VIEW_WRITE_INTERVAL = timedelta(minutes=5)


def record_view(user_id, course, item_key):
    """Remember the item a learner opened (creates the enrolment on first visit).

    :return: True if it wrote to the database (the caller then commits)
    """
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user_id,
                                                          Enrolment.course_slug == course.slug))
    if (enrolment is not None and enrolment.last_item_key == item_key
            and utcnow() - enrolment.last_viewed_at < VIEW_WRITE_INTERVAL):
        return False
    if enrolment is None:
        try:
            with db.session.begin_nested():
                enrolment = Enrolment(user_id=user_id, course_slug=course.slug)
                db.session.add(enrolment)
        except IntegrityError:
            enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user_id,
                                                                  Enrolment.course_slug == course.slug))
    enrolment.last_item_key = item_key
    enrolment.last_viewed_at = utcnow()
    db.session.flush()
    return True


def is_lesson_done(user_id, course, lesson):
    return db.session.scalar(select(LessonProgress.id).where(
        LessonProgress.user_id == user_id, LessonProgress.course_slug == course.slug,
        LessonProgress.lesson_key == lesson.key)) is not None


def mark_lesson_done(user, course, lesson, organisation_name):
    """Mark a lesson done (idempotent) and complete the course if that was the last step.

    :return: the CourseCompletion if this call completed the course, else None
    """
    try:
        with db.session.begin_nested():
            db.session.add(LessonProgress(user_id=user.id, course_slug=course.slug, lesson_key=lesson.key))
    except IntegrityError:
        pass  # already done: marking twice changes nothing
    return complete_if_finished(user, course, organisation_name)


def complete_if_finished(user, course, organisation_name):
    """Record the completion once if every lesson is done and every quiz passed.

    The unique constraint on (user, course) makes concurrent calls record it once.
    :return: the new CourseCompletion, or None if not finished or already recorded
    """
    state = course_state(user.id, course)
    if state.completed_at is not None or state.done_count < len(course.items):
        return None
    completion = CourseCompletion(user_id=user.id, course_slug=course.slug, course_version=course.version)
    try:
        with db.session.begin_nested():
            db.session.add(completion)
    except IntegrityError:
        return None
    if course.certificate:
        from .certificates import issue_certificate

        issue_certificate(user, course, organisation_name)
    return completion


def attempt_history(user_id):
    """Every submitted quiz attempt of a learner, newest first."""
    return db.session.scalars(select(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.submitted_at.is_not(None),
    ).order_by(QuizAttempt.submitted_at.desc())).all()


def course_totals():
    """Per course: (learners who started, learners who completed), deleted accounts included (anonymised rows)."""
    started = dict(db.session.execute(select(Enrolment.course_slug, func.count())
                                      .group_by(Enrolment.course_slug)).all())
    completed = dict(db.session.execute(select(CourseCompletion.course_slug, func.count())
                                        .group_by(CourseCompletion.course_slug)).all())
    return {slug: (started.get(slug, 0), completed.get(slug, 0)) for slug in started.keys() | completed.keys()}
