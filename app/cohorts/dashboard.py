"""Following learners: progress per learner and assigned course, loaded in a fixed number of statements."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select, union_all

from ..extensions import db
from ..models import Certificate, Enrolment, LessonProgress, QuizAttempt, User
from ..services import progress
from ..services.progress import CourseState
from .models import Cohort, CohortCourse, CohortMember

PER_PAGE = 25
#: completion buckets of the progress chart: (label, lowest percent, highest percent)
BUCKETS = (("0%", 0, 0), ("1–25%", 1, 25), ("26–50%", 26, 50), ("51–75%", 51, 75), ("76–99%", 76, 99),
           ("100%", 100, 100))


@dataclass
class CourseProgress:
    """One learner in one assigned course: the progress service's state, with activity, due date, certificate."""

    state: CourseState
    due_on: date | None = None
    last_activity: datetime | None = None
    certificate_code: str | None = None

    @property
    def course(self):
        return self.state.course

    @property
    def lessons_done(self):
        return self.state.lessons_done

    @property
    def quizzes_passed(self):
        return self.state.quizzes_passed

    @property
    def lessons_total(self):
        return len(self.course.lessons)

    @property
    def quizzes_total(self):
        return len(self.course.quizzes)

    @property
    def best_score(self):
        return max(self.state.best_scores.values(), default=None)

    @property
    def completed_at(self):
        return self.state.completed_at

    @property
    def percent(self):
        return 100 if self.completed_at is not None else min(99, self.state.percent)

    @property
    def started(self):
        return self.last_activity is not None or self.state.started

    def status(self, today):
        """'completed', 'late' (due date passed), 'not_started' or 'on_track'."""
        if self.completed_at is not None:
            return "completed"
        if self.due_on is not None and self.due_on < today:
            return "late"
        return "on_track" if self.started else "not_started"


@dataclass
class LearnerProgress:
    user_id: int
    display_name: str
    username: str
    courses: list = field(default_factory=list)

    @property
    def last_activity(self):
        return max((c.last_activity for c in self.courses if c.last_activity), default=None)

    @property
    def percent(self):
        return round(sum(c.percent for c in self.courses) / len(self.courses)) if self.courses else 0

    @property
    def completed(self):
        return bool(self.courses) and all(c.completed_at is not None for c in self.courses)

    def is_late(self, today):
        return any(c.status(today) == "late" for c in self.courses)

    def inactive_since(self, cutoff):
        return self.last_activity is None or self.last_activity < cutoff


def load_progress(members, assignments, catalog):
    """Progress of `members` [(id, display_name, username)] in `assignments` [(course_slug, due_on)].

    Counted by the progress service, as on the learners' own pages; six statements whatever the numbers.
    """
    learners = {uid: LearnerProgress(uid, name, username) for uid, name, username in members}
    wanted = [(slug, due) for slug, due in assignments if catalog.course(slug) is not None]
    if not learners or not wanted:
        return list(learners.values())
    ids, slugs = list(learners), [slug for slug, _ in wanted]
    states = progress.learners_states(ids, catalog)
    cells = {}
    for uid in ids:
        for slug, due in wanted:
            cells[uid, slug] = CourseProgress(states[uid][slug], due)
            learners[uid].courses.append(cells[uid, slug])
    moments = union_all(
        select(LessonProgress.user_id, LessonProgress.course_slug, LessonProgress.completed_at.label("at"))
        .where(LessonProgress.user_id.in_(ids), LessonProgress.course_slug.in_(slugs)),
        select(QuizAttempt.user_id, QuizAttempt.course_slug, QuizAttempt.submitted_at)
        .where(QuizAttempt.user_id.in_(ids), QuizAttempt.course_slug.in_(slugs), QuizAttempt.submitted_at.is_not(None)),
        select(Enrolment.user_id, Enrolment.course_slug, Enrolment.last_viewed_at)
        .where(Enrolment.user_id.in_(ids), Enrolment.course_slug.in_(slugs)),
    ).subquery()
    for uid, slug, last in db.session.execute(
            select(moments.c.user_id, moments.c.course_slug, func.max(moments.c.at))
            .group_by(moments.c.user_id, moments.c.course_slug)):
        cells[uid, slug].last_activity = last
    for uid, slug, code in db.session.execute(
            select(Certificate.user_id, Certificate.course_slug, Certificate.code)
            .where(Certificate.user_id.in_(ids), Certificate.course_slug.in_(slugs), Certificate.revoked_at.is_(None))):
        cells[uid, slug].certificate_code = code
    return list(learners.values())


def cohort_members(cohort):
    """(id, display name, username) of every learner in the cohort, in one statement."""
    return db.session.execute(
        select(User.id, User.display_name, User.username).join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id, User.anonymised_at.is_(None))
        .order_by(User.display_name, User.id)).all()


def assignments_of(cohort):
    return [(a.course_slug, a.due_on) for a in cohort.assignments]


@dataclass
class Dashboard:
    learners: list  # this page
    total: int  # after filters
    page: int
    pages: int
    everyone: int
    distribution: list  # (label, count)
    late: int
    completed: int


def _matches(learner, search):
    needle = search.casefold()
    return needle in learner.display_name.casefold() or needle in learner.username


def cohort_dashboard(cohort, catalog, *, search="", show="", days=14, sort="name", page=1, today=None, now=None):
    """Filter, sort and paginate the cohort's learners; the whole cohort is counted for the chart."""
    today = today or date.today()
    now = now or datetime.now(timezone.utc)
    learners = load_progress(cohort_members(cohort), assignments_of(cohort), catalog)
    distribution = [(label, sum(low <= learner.percent <= high for learner in learners))
                    for label, low, high in BUCKETS]
    late = sum(learner.is_late(today) for learner in learners)
    completed = sum(learner.completed for learner in learners)
    chosen = [learner for learner in learners if not search or _matches(learner, search)]
    if show == "late":
        chosen = [learner for learner in chosen if learner.is_late(today)]
    elif show == "completed":
        chosen = [learner for learner in chosen if learner.completed]
    elif show == "inactive":
        cutoff = now - timedelta(days=days or 14)
        chosen = [learner for learner in chosen if learner.inactive_since(cutoff)]
    if sort == "progress":
        chosen.sort(key=lambda learner: (-learner.percent, learner.display_name.casefold()))
    elif sort == "activity":
        oldest = datetime.min.replace(tzinfo=timezone.utc)
        chosen.sort(key=lambda learner: learner.last_activity or oldest, reverse=True)
    pages = max(1, -(-len(chosen) // PER_PAGE))
    page = min(max(1, page), pages)
    return Dashboard(chosen[(page - 1) * PER_PAGE:page * PER_PAGE], len(chosen), page, pages, len(learners),
                     distribution, late, completed)


def learner_assignments(user):
    """The courses assigned to a learner through their cohorts: [(cohort, course_slug, due_on)], one statement."""
    return db.session.execute(
        select(Cohort, CohortCourse.course_slug, CohortCourse.due_on)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .join(CohortCourse, CohortCourse.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user.id, Cohort.organisation_id == user.organisation_id)
        .order_by(Cohort.name, CohortCourse.id)).all()


def learner_cohorts(user):
    return db.session.scalars(select(Cohort).join(CohortMember, CohortMember.cohort_id == Cohort.id).where(
        CohortMember.user_id == user.id, Cohort.organisation_id == user.organisation_id).order_by(Cohort.name)).all()
