"""The programme report for funders: counts only, no names, over a date range (nine statements)."""
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import and_, func, select

from ..extensions import db
from ..models import Certificate, CourseCompletion, Enrolment, User
from .models import Cohort, CohortCourse, CohortMember

METRICS = ("enrolled", "started", "completed", "certificates")
DIMENSIONS = ("cohort", "course", "language", "track")


@dataclass
class ProgrammeReport:
    start: object
    end: object
    #: distinct people per metric
    people: dict
    #: dimension -> {value: {metric: count of learner-course places}}
    breakdown: dict = field(default_factory=dict)
    cohort_names: dict = field(default_factory=dict)


def _bounds(start, end):
    return (datetime.combine(start, time.min, timezone.utc),
            datetime.combine(end + timedelta(days=1), time.min, timezone.utc))


def _scoped(columns, organisation_id, metric, since, until):
    """Members of the organisation's cohorts × their assigned courses, and the event the metric counts."""
    query = (select(*columns).select_from(CohortMember)
             .join(Cohort, Cohort.id == CohortMember.cohort_id)
             .join(CohortCourse, CohortCourse.cohort_id == Cohort.id)
             .join(User, User.id == CohortMember.user_id)
             .where(Cohort.organisation_id == organisation_id))
    if metric == "enrolled":
        return query.where(CohortMember.joined_at >= since, CohortMember.joined_at < until)
    model, moment, extra = {
        "started": (Enrolment, Enrolment.started_at, ()),
        "completed": (CourseCompletion, CourseCompletion.completed_at, ()),
        "certificates": (Certificate, Certificate.issued_at, (Certificate.revoked_at.is_(None),)),
    }[metric]
    return query.join(model, and_(model.user_id == CohortMember.user_id,
                                  model.course_slug == CohortCourse.course_slug)).where(
        moment >= since, moment < until, *extra)


def programme_report(organisation_id, start, end):
    since, until = _bounds(start, end)
    people, breakdown = {}, {dimension: {} for dimension in DIMENSIONS}
    for metric in METRICS:
        people[metric] = db.session.scalar(_scoped([func.count(func.distinct(User.id))], organisation_id, metric,
                                                   since, until))
        keys = (Cohort.id, CohortCourse.course_slug, User.locale, User.track)
        grouped = _scoped([*keys, func.count(func.distinct(User.id))], organisation_id, metric, since, until)
        for cohort_id, course_slug, locale, track, count in db.session.execute(grouped.group_by(*keys)):
            for dimension, value in zip(DIMENSIONS, (cohort_id, course_slug, locale, track)):
                row = breakdown[dimension].setdefault(value, dict.fromkeys(METRICS, 0))
                row[metric] += count
    names = dict(db.session.execute(select(Cohort.id, Cohort.name).where(Cohort.organisation_id == organisation_id)).all())
    return ProgrammeReport(start, end, people, breakdown, names)


def report_rows(report, label_of):
    """The report flattened for CSV/XLSX: (dimension, value, enrolled, started, completed, certificates)."""
    yield ("all people", "", *(report.people[m] for m in METRICS))
    for dimension in DIMENSIONS:
        for value, counts in sorted(report.breakdown[dimension].items(), key=lambda kv: str(label_of(dimension, kv[0]))):
            yield (dimension, label_of(dimension, value), *(counts[m] for m in METRICS))
