"""Progress: lessons done, where a learner is, and course completion (exactly once).

Every page counts progress the same way, through CourseState: only items of the loaded course count,
so a lesson removed from the files no longer counts for anyone.
"""
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from ..cohorts import tallies
from ..content.model import Catalog, Course, Item, LearningPath, Lesson, Worksheet
from ..extensions import db
from ..models import CourseCompletion, Enrolment, LessonProgress, QuizAttempt, User
from ..models.base import utcnow
from .certificates import issue_certificate


@dataclass
class CourseState:
    """What one learner has done in one course."""

    course: Course
    done_lessons: set[str] = field(default_factory=set)
    passed_quizzes: set[str] = field(default_factory=set)
    best_scores: dict[str, float] = field(default_factory=dict)
    last_item_key: str | None = None
    completed_at: datetime | None = None

    def is_done(self, item: Item) -> bool:
        return item.key in (self.passed_quizzes if item.kind == "quiz" else self.done_lessons)

    @property
    def done_count(self) -> int:
        return sum(self.is_done(item) for item in self.course.items)

    @property
    def lessons_done(self) -> int:
        """Lessons of the course as loaded now that are done (removed lessons do not count)."""
        return sum(self.is_done(lesson) for lesson in self.course.lessons)

    @property
    def quizzes_passed(self) -> int:
        """Quizzes of the course as loaded now that are passed."""
        return sum(self.is_done(quiz) for quiz in self.course.quizzes)

    @property
    def percent(self) -> int:
        total = len(self.course.items)
        return round(100 * self.done_count / total) if total else 0

    @property
    def minutes_left(self) -> int:
        return sum(item.minutes for item in self.course.items if not self.is_done(item))

    @property
    def started(self) -> bool:
        return self.last_item_key is not None or self.done_count > 0

    def continue_item(self) -> Item | None:
        """The last item viewed if not done yet, else the next one not done (wrapping to the start)."""
        items = self.course.items
        start = next((i for i, item in enumerate(items) if item.key == self.last_item_key), 0)
        for item in items[start:] + items[:start]:
            if not self.is_done(item):
                return item
        return None


#: one learner's states by course slug
States = dict[str, CourseState]


def _load_states(user_ids: Sequence[int], courses: Iterable[Course]) -> dict[int, States]:
    """Every learner's state in every course with a fixed number of queries (four), whatever their number."""
    courses = list(courses)
    slugs = [course.slug for course in courses]
    states = {user_id: {course.slug: CourseState(course) for course in courses} for user_id in user_ids}

    def rows_of(model: Any, column: Any) -> Any:
        """(user id, course slug, column) of these learners in these courses."""
        return db.session.execute(select(model.user_id, model.course_slug, column).where(
            model.user_id.in_(user_ids), model.course_slug.in_(slugs)))

    for user_id, slug, key in rows_of(LessonProgress, LessonProgress.lesson_key):
        states[user_id][slug].done_lessons.add(key)
    for user_id, slug, key, best, passed in db.session.execute(select(
        QuizAttempt.user_id, QuizAttempt.course_slug, QuizAttempt.quiz_key, func.max(QuizAttempt.score),
        func.max(case((QuizAttempt.passed.is_(True), 1), else_=0)),
    ).where(QuizAttempt.user_id.in_(user_ids), QuizAttempt.course_slug.in_(slugs),
            QuizAttempt.submitted_at.is_not(None),
            ).group_by(QuizAttempt.user_id, QuizAttempt.course_slug, QuizAttempt.quiz_key)):
        states[user_id][slug].best_scores[key] = best
        if passed:
            states[user_id][slug].passed_quizzes.add(key)
    for user_id, slug, key in rows_of(Enrolment, Enrolment.last_item_key):
        states[user_id][slug].last_item_key = key
    for user_id, slug, at in rows_of(CourseCompletion, CourseCompletion.completed_at):
        states[user_id][slug].completed_at = at
    return states


def course_state(user_id: int, course: Course) -> CourseState:
    """One learner's state in one course with a fixed number of queries (four)."""
    return _load_states([user_id], [course])[user_id][course.slug]


def all_course_states(user_id: int, catalog: Catalog) -> States:
    """Every course's state for one learner with a fixed number of queries (four)."""
    return _load_states([user_id], catalog.courses.values())[user_id]


def learners_states(user_ids: Sequence[int], catalog: Catalog) -> dict[int, States]:
    """Each learner's state in every course, for trainers' reports: counted exactly as learners' own pages."""
    return _load_states(list(user_ids), catalog.courses.values()) if user_ids else {}


#: re-opening the same item within this time does not write to the database again
VIEW_WRITE_INTERVAL = timedelta(minutes=5)


def _enrolment(user_id: int, course: Course) -> Enrolment | None:
    return db.session.scalar(select(Enrolment).where(Enrolment.user_id == user_id,
                                                     Enrolment.course_slug == course.slug))


def record_view(user_id: int, course: Course, item_key: str) -> bool:
    """Remember the item a learner opened (creates the enrolment on first visit).

    :return: True if it wrote to the database (the caller then commits)
    """
    enrolment = _enrolment(user_id, course)
    if (enrolment is not None and enrolment.last_item_key == item_key
            and utcnow() - enrolment.last_viewed_at < VIEW_WRITE_INTERVAL):
        return False
    if enrolment is None:
        try:
            with db.session.begin_nested():
                enrolment = Enrolment(user_id=user_id, course_slug=course.slug)
                db.session.add(enrolment)
        except IntegrityError:  # a concurrent request enrolled them first
            enrolment = _enrolment(user_id, course)
        else:
            tallies.recount([user_id])  # started: counted in the programme report
    assert enrolment is not None
    enrolment.last_item_key = item_key
    enrolment.last_viewed_at = utcnow()
    db.session.flush()
    return True


def is_lesson_done(user_id: int, course: Course, lesson: Lesson | Worksheet) -> bool:
    return db.session.scalar(select(LessonProgress.id).where(
        LessonProgress.user_id == user_id, LessonProgress.course_slug == course.slug,
        LessonProgress.lesson_key == lesson.key)) is not None


def mark_lesson_done(user: User, course: Course, lesson: Lesson | Worksheet, organisation_name: str,
                     at: datetime | None = None) -> CourseCompletion | None:
    """Mark a lesson (or a complete worksheet) done (idempotent) and complete the course if that was the last step.

    :param at: when it was done (an offline device's time); now by default
    :return: the CourseCompletion if this call completed the course, else None
    """
    try:
        with db.session.begin_nested():
            db.session.add(LessonProgress(user_id=user.id, course_slug=course.slug, lesson_key=lesson.key,
                                          completed_at=at or utcnow()))
    except IntegrityError:
        pass  # already done: marking twice changes nothing
    return complete_if_finished(user, course, organisation_name, at)


def complete_if_finished(user: User, course: Course, organisation_name: str,
                         at: datetime | None = None) -> CourseCompletion | None:
    """Record the completion once if every lesson is done and every quiz passed.

    The unique constraint on (user, course) makes concurrent calls record it once. The learner's row is locked
    first, so that two last steps finished at once (say on two servers) are counted one after the other: the
    second sees the first, and the completion is never lost.
    :return: the new CourseCompletion, or None if not finished or already recorded
    """
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    state = course_state(user.id, course)
    if state.completed_at is not None or state.done_count < len(course.items):
        return None
    completion = CourseCompletion(user_id=user.id, course_slug=course.slug, course_version=course.version,
                                  completed_at=at or utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(completion)
    except IntegrityError:
        return None
    if course.certificate:
        issue_certificate(user, course, organisation_name)
    from ..catalog import get_catalog
    from ..certificates.paths import issue_path_certificates

    issue_path_certificates(user, get_catalog(), organisation_name)
    tallies.recount([user.id])  # completed and certified: counted in the programme report
    return completion


def attempt_history(user_id: int) -> Sequence[QuizAttempt]:
    """Every submitted quiz attempt of a learner, newest first."""
    return db.session.scalars(select(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.submitted_at.is_not(None),
    ).order_by(QuizAttempt.submitted_at.desc())).all()


def next_in_path(user_id: int, catalog: Catalog, course: Course) -> tuple[LearningPath, Course] | None:
    """(path, course) to go on with after `course`: in the first path holding it, the next course the
    learner has not completed (looking past the end back to the start); None when there is none."""
    completed = set(db.session.scalars(select(CourseCompletion.course_slug)
                                       .where(CourseCompletion.user_id == user_id)))
    for path in catalog.paths:
        if course.slug not in path.course_slugs:
            continue
        index = path.course_slugs.index(course.slug)
        for slug in path.course_slugs[index + 1:] + path.course_slugs[:index]:
            following = catalog.course(slug)
            if slug not in completed and following is not None:
                return path, following
    return None


def course_totals(organisation_id: int) -> dict[str, tuple[int, int]]:
    """Per course: (learners who started, learners who completed) in an organisation, deleted accounts included."""
    started = dict(db.session.execute(select(Enrolment.course_slug, func.count())
                                      .join(User, User.id == Enrolment.user_id).where(User.organisation_id == organisation_id)
                                      .group_by(Enrolment.course_slug)).all())
    completed = dict(db.session.execute(select(CourseCompletion.course_slug, func.count())
                                        .join(User, User.id == CourseCompletion.user_id)
                                        .where(User.organisation_id == organisation_id)
                                        .group_by(CourseCompletion.course_slug)).all())
    return {slug: (started.get(slug, 0), completed.get(slug, 0)) for slug in started.keys() | completed.keys()}
