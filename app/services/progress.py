"""Progress: lessons done, where a learner is, and course completion (exactly once).

Every page counts progress the same way, through CourseState: only items of the loaded course count,
so a lesson removed from the files no longer counts for anyone.
"""
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (Float, Integer, Row, bindparam, case, cast, exists, func, literal_column, null, select,
                        union_all)
from sqlalchemy.exc import IntegrityError

from ..cohorts import tallies
from ..content.model import Catalog, Course, Item, LearningPath, Lesson, Worksheet
from ..database import prepared
from ..extensions import db
from ..models import CourseCompletion, Enrolment, LessonProgress, QuizAttempt, User
from ..models.base import UTCDateTime, utcnow
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

    def fingerprint(self) -> tuple[Any, ...]:
        """Everything a page may show of this state, hashable: kept pages are looked up by it."""
        return (self.course.slug, frozenset(self.done_lessons), frozenset(self.passed_quizzes),
                frozenset(self.best_scores.items()), self.last_item_key, self.completed_at)

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


def _states_statement(of_learners: Callable[[Any], Any], in_courses: Callable[[Any], Any] | None) -> Any:
    """Lessons done, best quiz scores, last items and completions of learners in courses, as one UNION ALL:
    rows of (kind, user id, course slug, item key, best score, passed, completed at). `of_learners` and
    `in_courses` make the condition on a table's user id and course slug columns (no condition: every course)."""
    def where(table: Any) -> tuple[Any, ...]:
        return (of_learners(table.c.user_id),) + ((in_courses(table.c.course_slug),) if in_courses else ())

    lessons, attempts = LessonProgress.__table__, QuizAttempt.__table__
    enrolments, completions = Enrolment.__table__, CourseCompletion.__table__
    no_score, no_flag, no_time = cast(null(), Float), cast(null(), Integer), cast(null(), UTCDateTime())
    return union_all(
        select(literal_column("'lesson'"), lessons.c.user_id, lessons.c.course_slug, lessons.c.lesson_key,
               no_score, no_flag, no_time).where(*where(lessons)),
        select(literal_column("'quiz'"), attempts.c.user_id, attempts.c.course_slug, attempts.c.quiz_key,
               func.max(attempts.c.score), func.max(case((attempts.c.passed.is_(True), 1), else_=0)), no_time)
        .where(*where(attempts), attempts.c.submitted_at.is_not(None))
        .group_by(attempts.c.user_id, attempts.c.course_slug, attempts.c.quiz_key),
        select(literal_column("'enrolment'"), enrolments.c.user_id, enrolments.c.course_slug,
               enrolments.c.last_item_key, no_score, no_flag, no_time).where(*where(enrolments)),
        select(literal_column("'completion'"), completions.c.user_id, completions.c.course_slug, null(), no_score,
               no_flag, completions.c.completed_at).where(*where(completions)),
    )


def _many_learners_states() -> Any:
    """Many learners in many courses (trainers' reports)."""
    return _states_statement(lambda user_id: user_id.in_(bindparam("user_ids")),
                             lambda slug: slug.in_(bindparam("slugs")))


def _learner_states() -> Any:
    """One learner in every course (rows of courses not loaded now are left out when read)."""
    return _states_statement(lambda user_id: user_id == bindparam("user_id"), None)


def _learner_course_state() -> Any:
    """One learner in one course."""
    return _states_statement(lambda user_id: user_id == bindparam("user_id"), lambda slug: slug == bindparam("slug"))


def _load_states(user_ids: Sequence[int], courses: Iterable[Course], builder: Callable[[], Any],
                 params: dict[str, Any]) -> dict[int, States]:
    """Every learner's state in every course, read by one statement (`builder`'s, with `params`)."""
    courses = list(courses)
    states = {user_id: {course.slug: CourseState(course) for course in courses} for user_id in user_ids}
    rows = db.session.connection().execute(prepared(builder), params)
    for kind, user_id, slug, key, best, passed, completed_at in rows:
        state = states[user_id].get(slug)
        if state is None:
            continue  # a course no longer loaded
        if kind == "lesson":
            state.done_lessons.add(key)
        elif kind == "quiz":
            state.best_scores[key] = best
            if passed:
                state.passed_quizzes.add(key)
        elif kind == "enrolment":
            state.last_item_key = key
        else:
            state.completed_at = completed_at
    return states


def course_state(user_id: int, course: Course) -> CourseState:
    """One learner's state in one course with one statement."""
    return _load_states([user_id], [course], _learner_course_state,
                        {"user_id": user_id, "slug": course.slug})[user_id][course.slug]


def all_course_states(user_id: int, catalog: Catalog) -> States:
    """Every course's state for one learner with one statement."""
    return _load_states([user_id], catalog.courses.values(), _learner_states, {"user_id": user_id})[user_id]


def learners_states(user_ids: Sequence[int], catalog: Catalog) -> dict[int, States]:
    """Each learner's state in every course, for trainers' reports: counted exactly as learners' own pages."""
    if not user_ids:
        return {}
    return _load_states(user_ids, catalog.courses.values(), _many_learners_states,
                        {"user_ids": list(user_ids), "slugs": [course.slug for course in catalog.courses.values()]})


#: re-opening the same item within this time does not write to the database again
VIEW_WRITE_INTERVAL = timedelta(minutes=5)


def _enrolment(user_id: int, course: Course) -> Enrolment | None:
    return db.session.scalar(select(Enrolment).where(Enrolment.user_id == user_id,
                                                     Enrolment.course_slug == course.slug))


def _viewed_statement() -> Any:
    """The enrolment's last item and when it was viewed, as one row (NULLs when not enrolled), and, when asked
    for a lesson, whether it is done: what an item's page reads before deciding to write anything."""
    enrolment, lessons = Enrolment.__table__, LessonProgress.__table__
    user_id: Any = bindparam("user_id")
    slug: Any = bindparam("course_slug")
    of_enrolment = (enrolment.c.user_id == user_id, enrolment.c.course_slug == slug)
    return select(
        select(enrolment.c.last_item_key).where(*of_enrolment).scalar_subquery(),
        select(enrolment.c.last_viewed_at).where(*of_enrolment).scalar_subquery(),
        exists().where(lessons.c.user_id == user_id, lessons.c.course_slug == slug,
                       lessons.c.lesson_key == bindparam("item_key")))



def _read_view(user_id: int, course: Course, item_key: str) -> tuple[bool, bool]:
    """(the item is the last one viewed, recently enough not to write again; the item is a lesson done)."""
    last_key, last_viewed, done = db.session.connection().execute(
        prepared(_viewed_statement), {"user_id": user_id, "course_slug": course.slug, "item_key": item_key}).one()
    return last_key == item_key and utcnow() - last_viewed < VIEW_WRITE_INTERVAL, bool(done)


def record_view(user_id: int, course: Course, item_key: str) -> bool:
    """Remember the item a learner opened (creates the enrolment on first visit); re-opening the same item
    within VIEW_WRITE_INTERVAL writes nothing.

    :return: True if it wrote to the database (the caller then commits)
    """
    recent, _ = _read_view(user_id, course, item_key)
    return False if recent else _write_view(user_id, course, item_key)


def _write_view(user_id: int, course: Course, item_key: str) -> bool:
    enrolment = _enrolment(user_id, course)
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


def open_lesson(user_id: int, course: Course, lesson: Lesson | Worksheet, record: bool = True) -> tuple[bool, bool]:
    """Whether a lesson (or worksheet) is done and, when `record`, remember it was opened (see record_view):
    one statement to read, a write only when due (the caller commits).

    :return: (True if the lesson is done, True if it wrote to the database)
    """
    recent, done = _read_view(user_id, course, lesson.key)
    return done, (record and not recent and _write_view(user_id, course, lesson.key))


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


def _history_statement() -> Any:
    attempts = QuizAttempt.__table__
    return (select(attempts).where(attempts.c.user_id == bindparam("user_id"), attempts.c.submitted_at.is_not(None))
            .order_by(attempts.c.submitted_at.desc()))


def attempt_history(user_id: int) -> Sequence[Row[Any]]:
    """Every submitted quiz attempt of a learner, newest first, as read-only rows of the attempts table."""
    return db.session.connection().execute(prepared(_history_statement), {"user_id": user_id}).all()


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
