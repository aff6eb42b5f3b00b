"""The programme report for funders: counts only, no names, over a date range."""
import threading
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone

from cachetools import TTLCache
from flask import current_app
from sqlalchemy import and_, case, func, select

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
    counted_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


def _bounds(start, end):
    return (datetime.combine(start, time.min, timezone.utc),
            datetime.combine(end + timedelta(days=1), time.min, timezone.utc))


def _places(organisation_id):
    """Every learner × assigned course of the organisation's cohorts, with the events the report counts.

    Enrolments, completions and certificates are unique per learner and course, so each place is one row.
    """
    def same_place(model):
        return and_(model.user_id == CohortMember.user_id, model.course_slug == CohortCourse.course_slug)

    return (select().select_from(CohortMember)
            .join(Cohort, Cohort.id == CohortMember.cohort_id)
            .join(CohortCourse, CohortCourse.cohort_id == Cohort.id)
            .join(User, User.id == CohortMember.user_id)
            .outerjoin(Enrolment, same_place(Enrolment))
            .outerjoin(CourseCompletion, same_place(CourseCompletion))
            .outerjoin(Certificate, and_(same_place(Certificate), Certificate.revoked_at.is_(None)))
            .where(Cohort.organisation_id == organisation_id))


def _happened(since, until):
    """metric -> the condition that a place counts for it in the period."""
    return {
        "enrolled": and_(CohortMember.joined_at >= since, CohortMember.joined_at < until),
        "started": and_(Enrolment.started_at >= since, Enrolment.started_at < until),
        "completed": and_(CourseCompletion.completed_at >= since, CourseCompletion.completed_at < until),
        "certificates": and_(Certificate.issued_at >= since, Certificate.issued_at < until),
    }


def programme_report(organisation_id, start, end):
    """Two passes over the places (grouped, then per person) and one for cohort names: three statements."""
    since, until = _bounds(start, end)
    happened = _happened(since, until)
    flags = [case((happened[metric], 1), else_=0) for metric in METRICS]
    keys = (Cohort.id, CohortCourse.course_slug, User.locale, User.track)
    breakdown: dict[str, dict] = {dimension: {} for dimension in DIMENSIONS}
    grouped = _places(organisation_id).add_columns(*keys, *(func.sum(flag) for flag in flags)).group_by(*keys)
    for row in db.session.execute(grouped):
        for dimension, value in zip(DIMENSIONS, row[:4]):
            counts = breakdown[dimension].setdefault(value, dict.fromkeys(METRICS, 0))
            for metric, count in zip(METRICS, row[4:]):
                counts[metric] += count
    per_person = (_places(organisation_id).add_columns(*(func.max(flag).label(m) for m, flag in zip(METRICS, flags)))
                  .group_by(CohortMember.user_id).subquery())
    totals = db.session.execute(select(*(func.coalesce(func.sum(per_person.c[m]), 0) for m in METRICS))).one()
    names = dict(db.session.execute(select(Cohort.id, Cohort.name).where(Cohort.organisation_id == organisation_id)).all())
    return ProgrammeReport(start, end, dict(zip(METRICS, totals)), breakdown, names)


_cache_lock = threading.Lock()


def recent_programme_report(organisation_id, start, end):
    """The report as counted in the last REPORT_CACHE_SECONDS (0: always counted now).

    Counting a year of a large programme scans every learner × course place; funders' figures do not
    need to be newer than a few minutes, so a worker keeps each report for that long.
    """
    seconds = current_app.config["REPORT_CACHE_SECONDS"]
    if not seconds:
        return programme_report(organisation_id, start, end)
    with _cache_lock:
        cache = current_app.extensions.setdefault("soglia.programme_reports", TTLCache(maxsize=128, ttl=seconds))
        found = cache.get((organisation_id, start, end))
    if found is None:
        found = programme_report(organisation_id, start, end)
        with _cache_lock:
            cache[organisation_id, start, end] = found
    return found


def report_rows(report, label_of):
    """The report flattened for CSV/XLSX: (dimension, value, enrolled, started, completed, certificates)."""
    yield ("all people", "", *(report.people[m] for m in METRICS))
    for dimension in DIMENSIONS:
        for value, counts in sorted(report.breakdown[dimension].items(), key=lambda kv: str(label_of(dimension, kv[0]))):
            yield (dimension, label_of(dimension, value), *(counts[m] for m in METRICS))
