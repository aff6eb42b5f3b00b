"""The programme report for funders: counts only, no names, over a date range."""
from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..extensions import db
from .models import COUNT_DIMENSIONS, METRICS, Cohort, ProgrammeCount

#: the report's breakdowns (each learner once per assigned course)
DIMENSIONS = COUNT_DIMENSIONS[1:]


@dataclass
class ProgrammeReport:
    start: object
    end: object
    #: metric -> people counted on the day of their first event of that kind (see tallies.py)
    people: dict
    #: dimension -> {value: {metric: count of learner-course places}}
    breakdown: dict = field(default_factory=dict)
    cohort_names: dict = field(default_factory=dict)


def programme_report(organisation_id, start, end):
    """The day counts summed over the period (first and last day included): two statements at any size."""
    columns = ProgrammeCount.__table__.c
    summed = (select(columns.dimension, columns.value, *(func.sum(columns[metric]) for metric in METRICS))
              .where(columns.organisation_id == organisation_id, columns.day >= start, columns.day <= end)
              .group_by(columns.dimension, columns.value))
    people = dict.fromkeys(METRICS, 0)
    breakdown: dict[str, dict] = {dimension: {} for dimension in DIMENSIONS}
    for dimension, value, *figures in db.session.execute(summed):
        if not any(figures):
            continue
        if dimension == "people":
            people = dict(zip(METRICS, figures))
        else:
            breakdown[dimension][int(value) if dimension == "cohort" else value] = dict(zip(METRICS, figures))
    names = dict(db.session.execute(select(Cohort.id, Cohort.name)
                                    .where(Cohort.organisation_id == organisation_id)).all())
    return ProgrammeReport(start, end, people, breakdown, names)


def report_rows(report, label_of):
    """The report flattened for CSV/XLSX: (dimension, value, enrolled, started, completed, certificates)."""
    yield ("all people", "", *(report.people[m] for m in METRICS))
    for dimension in DIMENSIONS:
        for value, counts in sorted(report.breakdown[dimension].items(), key=lambda kv: str(label_of(dimension, kv[0]))):
            yield (dimension, label_of(dimension, value), *(counts[m] for m in METRICS))
