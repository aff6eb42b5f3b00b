"""The programme report's day counts, kept exact in the same transaction as the events they count.

A *place* is a learner × a course assigned to one of their cohorts. Each place has at most one day of each event:
enrolled (joined the cohort), started (opened the course), completed, certified (the course certificate, while not
revoked); so day counts add up over any period. Whatever changes a learner's places or events (joining or leaving a
cohort, a course assigned or unassigned, a first visit, a completion, a certificate issued, revoked or reinstated, a
new language or track) calls `recount` afterwards: it locks those learners, compares their places as last counted
(ProgrammePlace) with their places now, and adds the difference to ProgrammeCount with upserts, so concurrent
writers never lose a count.

Figures follow the present state: a learner moved to another cohort counts in that cohort only (enrolled on the day
they joined it, their other events on the days they happened); a revoked certificate leaves the day it was issued
until it is reinstated; a learner who changes language or track takes their counts along. "people" counts each
person once per organisation, on the day of their first event of each kind, so periods add up too.
"""
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Connection, Select, and_, bindparam, delete, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Certificate, CourseCompletion, Enrolment, User
from .models import METRICS, Cohort, CohortCourse, CohortMember, ProgrammeCount, ProgrammePlace

#: cohort, course, learner
PlaceKey = tuple[int, str, int]
#: organisation, dimension, value, day
CountKey = tuple[int, str, str, date]
#: a figure per metric
Counts = dict[CountKey, list[int]]
Executor = Session | Connection
#: rows per upsert statement (PostgreSQL takes at most 65535 parameters)
BATCH = 1000


@dataclass(frozen=True)
class Place:
    organisation_id: int
    language: str
    track: str
    #: the day of each metric's event, or None
    days: tuple[date | None, ...]


@dataclass(frozen=True)
class Check:
    """A fresh count compared with the stored one."""

    places: int
    wrong_places: int
    wrong_counts: int

    @property
    def exact(self) -> bool:
        return not self.wrong_places and not self.wrong_counts


def _day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.astimezone(timezone.utc).date()


def _places_now(executor: Executor, user_ids: list[int] | None) -> dict[PlaceKey, Place]:
    """Every place (of these learners) with its event days, from the learning records."""
    def same_place(model: Any) -> Any:
        return and_(model.user_id == CohortMember.user_id, model.course_slug == CohortCourse.course_slug)

    query = (select(CohortMember.cohort_id, CohortCourse.course_slug, CohortMember.user_id, Cohort.organisation_id,
                    User.locale, User.track, CohortMember.joined_at, Enrolment.started_at,
                    CourseCompletion.completed_at, Certificate.issued_at)
             .select_from(CohortMember)
             .join(Cohort, Cohort.id == CohortMember.cohort_id)
             .join(CohortCourse, CohortCourse.cohort_id == CohortMember.cohort_id)
             .join(User, User.id == CohortMember.user_id)
             .outerjoin(Enrolment, same_place(Enrolment))
             .outerjoin(CourseCompletion, same_place(CourseCompletion))
             .outerjoin(Certificate, and_(same_place(Certificate), Certificate.kind == "course",
                                          Certificate.revoked_at.is_(None))))
    if user_ids is not None:
        query = query.where(CohortMember.user_id.in_(user_ids))
    return {(cohort_id, slug, user_id): Place(organisation_id, language, track, tuple(_day(m) for m in moments))
            for cohort_id, slug, user_id, organisation_id, language, track, *moments in executor.execute(query)}


def _stored_places(executor: Executor, user_ids: list[int] | None) -> dict[PlaceKey, Place]:
    columns = ProgrammePlace.__table__.c
    query = select(columns.cohort_id, columns.course_slug, columns.user_id, columns.organisation_id, columns.language,
                   columns.track, columns.enrolled_on, columns.started_on, columns.completed_on, columns.certified_on)
    if user_ids is not None:
        query = query.where(columns.user_id.in_(user_ids))
    return {(cohort_id, slug, user_id): Place(organisation_id, language, track, tuple(days))
            for cohort_id, slug, user_id, organisation_id, language, track, *days in executor.execute(query)}


def tally(places: Mapping[PlaceKey, Place]) -> Counts:
    """The day counts these places make (complete for each learner in them: "people" needs all their places)."""
    counts: defaultdict[CountKey, list[int]] = defaultdict(lambda: [0] * len(METRICS))
    firsts: dict[tuple[int, int], list[date | None]] = {}
    for (cohort_id, course_slug, user_id), place in places.items():
        first = firsts.setdefault((place.organisation_id, user_id), [None] * len(METRICS))
        values = (("cohort", str(cohort_id)), ("course", course_slug), ("language", place.language),
                  ("track", place.track))
        for index, day in enumerate(place.days):
            if day is None:
                continue
            for dimension, value in values:
                counts[place.organisation_id, dimension, value, day][index] += 1
            earliest = first[index]
            if earliest is None or day < earliest:
                first[index] = day
    for (organisation_id, _user_id), days in firsts.items():
        for index, found in enumerate(days):
            if found is not None:
                counts[organisation_id, "people", "", found][index] += 1
    return dict(counts)


def _difference(new: Counts, old: Counts) -> Counts:
    zero = [0] * len(METRICS)
    changes = {}
    for key in new.keys() | old.keys():
        delta = [a - b for a, b in zip(new.get(key, zero), old.get(key, zero))]
        if any(delta):
            changes[key] = delta
    return changes


def _count_rows(counts: Counts) -> list[dict[str, Any]]:
    return [{"organisation_id": organisation_id, "dimension": dimension, "value": value, "day": day,
             **dict(zip(METRICS, figures))}
            for (organisation_id, dimension, value, day), figures in sorted(counts.items())]


def _place_rows(places: Mapping[PlaceKey, Place]) -> list[dict[str, Any]]:
    return [{"cohort_id": cohort_id, "course_slug": slug, "user_id": user_id,
             "organisation_id": place.organisation_id, "language": place.language, "track": place.track,
             **dict(zip(("enrolled_on", "started_on", "completed_on", "certified_on"), place.days))}
            for (cohort_id, slug, user_id), place in places.items()]


def _dialect(executor: Executor) -> str:
    return executor.get_bind().dialect.name if isinstance(executor, Session) else executor.dialect.name


def _add_counts(executor: Executor, changes: Counts) -> None:
    """Add signed differences to the day counts, rows in key order so concurrent writers lock in the same order.

    Increases are upserts; decreases update rows that exist (they were counted), and the table's constraint stops
    a count below zero (a database checks an upsert's proposed row before the conflict, so they cannot be one).
    """
    dialect_insert = postgresql.insert if _dialect(executor) == "postgresql" else sqlite.insert
    table = ProgrammeCount.__table__
    increases = _count_rows({key: [max(n, 0) for n in delta] for key, delta in changes.items() if max(delta) > 0})
    for start in range(0, len(increases), BATCH):
        statement = dialect_insert(table).values(increases[start:start + BATCH])
        executor.execute(statement.on_conflict_do_update(
            index_elements=[table.c.organisation_id, table.c.dimension, table.c.value, table.c.day],
            set_={metric: table.c[metric] + statement.excluded[metric] for metric in METRICS}))
    decreases = _count_rows({key: [min(n, 0) for n in delta] for key, delta in changes.items() if min(delta) < 0})
    if decreases:
        executor.execute(
            update(table).where(*(table.c[name] == bindparam(f"key_{name}")
                                  for name in ("organisation_id", "dimension", "value", "day")))
            .values({metric: table.c[metric] + bindparam(f"by_{metric}") for metric in METRICS}),
            [{f"{'by' if name in METRICS else 'key'}_{name}": value for name, value in row.items()}
             for row in decreases])


def recount(user_ids: Iterable[int] | Select[tuple[int]]) -> None:
    """Bring the counts up to date after a change about these learners; call it after the change, before commit."""
    if not isinstance(user_ids, Select):
        user_ids = list(user_ids)
        if not user_ids:
            return
    session = db.session()
    session.flush()
    locked = list(session.scalars(select(User.id).where(User.id.in_(user_ids)).order_by(User.id).with_for_update()))
    if not locked:
        return
    old = _stored_places(session, locked)
    new = _places_now(session, locked)
    if new == old:
        return
    _add_counts(session, _difference(tally(new), tally(old)))
    session.execute(delete(ProgrammePlace.__table__).where(ProgrammePlace.user_id.in_(locked)))
    if new:
        session.execute(insert(ProgrammePlace.__table__), _place_rows(new))


def _stored_counts(executor: Executor) -> Counts:
    columns = ProgrammeCount.__table__.c
    query = select(columns.organisation_id, columns.dimension, columns.value, columns.day,
                   *(columns[metric] for metric in METRICS))
    return {(organisation_id, dimension, value, day): list(figures)
            for organisation_id, dimension, value, day, *figures in executor.execute(query) if any(figures)}


def _compare(executor: Executor) -> tuple[dict[PlaceKey, Place], Counts, Check]:
    new = _places_now(executor, None)
    old = _stored_places(executor, None)
    counts = tally(new)
    wrong_places = sum(1 for key in new.keys() | old.keys() if new.get(key) != old.get(key))
    return new, counts, Check(len(new), wrong_places, len(_difference(counts, _stored_counts(executor))))


def check(executor: Executor) -> Check:
    """Count everything again from the learning records and compare with the stored counts (read only)."""
    return _compare(executor)[2]


def rebuild(executor: Executor) -> Check:
    """Count everything again and replace the stored counts; returns how the stored ones compared.

    On PostgreSQL the two tables are locked until commit, so learners' changes meanwhile wait instead of being lost.
    """
    if _dialect(executor) == "postgresql":
        executor.execute(text("LOCK TABLE programme_places, programme_counts IN EXCLUSIVE MODE"))
    places, counts, found = _compare(executor)
    executor.execute(delete(ProgrammeCount.__table__))
    executor.execute(delete(ProgrammePlace.__table__))
    if places:
        executor.execute(insert(ProgrammePlace.__table__), _place_rows(places))
        executor.execute(insert(ProgrammeCount.__table__), _count_rows(counts))
    return found
