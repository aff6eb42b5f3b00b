"""The programme report's stored day counts equal a fresh count over the learning records, whatever happened."""
import random
import shutil
import threading
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

import pytest
from freezegun import freeze_time
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.cohorts import operations as cohorts
from app.cohorts import reports, tallies
from app.cohorts.models import Cohort, CohortCourse, CohortMember, ProgrammeCount
from app.extensions import db
from app.models import Certificate, CourseCompletion, Enrolment, QuizAttempt, User
from app.organisations import operations as organisations
from app.services import accounts, certificates, progress
from tests.conftest import FAST_HASH, run_concurrently

COURSES = ("sample-course", "second-course")
FIRST_DAY = date(2027, 3, 1)
DAYS = [FIRST_DAY + timedelta(days=n) for n in range(6)]


@pytest.fixture
def courses_dir(courses_dir):
    """Two courses, so a learner has several places."""
    shutil.copytree(courses_dir / "sample-course", courses_dir / "second-course")
    return courses_dir


def _at(day, seconds=43200):
    return datetime.combine(day, datetime.min.time(), timezone.utc) + timedelta(seconds=seconds)


def _day(moment):
    return moment.astimezone(timezone.utc).date() if moment else None


def fresh_report(organisation_id, start, end):
    """The report counted from the records, independently of the stored counts: (people, breakdown)."""
    def by_place(model, column, *conditions):
        return {(user_id, slug): _day(at) for user_id, slug, at in db.session.execute(
            select(model.user_id, model.course_slug, column).where(*conditions))}

    started = by_place(Enrolment, Enrolment.started_at)
    completed = by_place(CourseCompletion, CourseCompletion.completed_at)
    certified = by_place(Certificate, Certificate.issued_at, Certificate.kind == "course",
                         Certificate.revoked_at.is_(None))
    users = {user.id: user for user in db.session.scalars(select(User))}
    assigned = defaultdict(list)
    for cohort_id, slug in db.session.execute(select(CohortCourse.cohort_id, CohortCourse.course_slug)):
        assigned[cohort_id].append(slug)
    breakdown = {dimension: defaultdict(lambda: dict.fromkeys(reports.METRICS, 0)) for dimension in reports.DIMENSIONS}
    firsts = defaultdict(dict)
    for cohort_id, user_id, joined in db.session.execute(
            select(CohortMember.cohort_id, CohortMember.user_id, CohortMember.joined_at)
            .join(Cohort, Cohort.id == CohortMember.cohort_id).where(Cohort.organisation_id == organisation_id)):
        user = users[user_id]
        for slug in assigned[cohort_id]:
            days = dict(zip(reports.METRICS, (_day(joined), started.get((user_id, slug)),
                                              completed.get((user_id, slug)), certified.get((user_id, slug)))))
            for metric, day in days.items():
                if day is None:
                    continue
                firsts[user_id][metric] = min(day, firsts[user_id].get(metric, day))
                if start <= day <= end:
                    for dimension, value in zip(reports.DIMENSIONS, (cohort_id, slug, user.locale, user.track)):
                        breakdown[dimension][value][metric] += 1
    people = {metric: sum(1 for found in firsts.values() if start <= found.get(metric, date.max) <= end)
              for metric in reports.METRICS}
    return people, {dimension: dict(values) for dimension, values in breakdown.items()}


class Programme:
    """Two organisations, each with a trainer, two cohorts and learners; events on chosen days."""

    def __init__(self, app, seed):
        self.app = app
        self.random = random.Random(seed)
        self.catalog = app.extensions["soglia.catalog"]
        with app.app_context():
            self.organisations = []
            for name in ("North NGO", "South NGO"):
                organisation = organisations.create_organisation(name)
                db.session.flush()
                trainer = self._person(f"trainer-{organisation.id}", organisation.id, role="trainer")
                cohort_ids = [cohorts.create_cohort(organisation.id, trainer, name=f"Group {n}", language="en").id
                              for n in (1, 2)]
                learners = [self._person(f"learner-{organisation.id}-{n}", organisation.id) for n in range(4)]
                self.organisations.append((organisation.id, trainer.id, cohort_ids, [user.id for user in learners]))
            db.session.commit()

    def _person(self, username, organisation_id, role="learner"):
        user = accounts.create_user(username=username, display_name=username.title(), password="a long password",
                                    role=role, locale=self.random.choice(("en", "ar", "it")),
                                    track=self.random.choice(("entrepreneur", "operator")), hash_method=FAST_HASH,
                                    organisation_id=organisation_id)
        db.session.flush()
        return user

    def step(self):
        """One random event on a random day (committed)."""
        organisation_id, trainer_id, cohort_ids, learner_ids = self.random.choice(self.organisations)
        trainer = db.session.get(User, trainer_id)
        cohort = db.session.get(Cohort, self.random.choice(cohort_ids))
        user = db.session.get(User, self.random.choice(learner_ids))
        course = self.catalog.course(self.random.choice(COURSES))
        kind = self.random.choice(("join", "join", "leave", "assign", "assign", "unassign", "start", "start",
                                   "complete", "complete", "revoke", "reinstate", "locale", "track"))
        with freeze_time(_at(self.random.choice(DAYS), self.random.choice((0, 43200, 86399)))):
            if kind == "join":
                cohorts.add_existing_learners(trainer, cohort, [user.id])
            elif kind == "leave":
                cohorts.remove_member(trainer, cohort, user)
            elif kind == "assign":
                cohorts.assign_courses(cohort, [course.slug])
            elif kind == "unassign":
                cohorts.unassign_course(cohort, course.slug)
            elif kind == "start":
                progress.record_view(user.id, course, course.items[0].key)
            elif kind == "complete":
                self._complete(user, course)
            elif kind in ("revoke", "reinstate"):
                found = certificates.certificate_of(user.id, course.slug)
                if found is not None and found.is_revoked == (kind == "reinstate"):
                    (certificates.reinstate if kind == "reinstate" else certificates.revoke)(found, trainer, "checked")
            elif kind == "locale":
                accounts.set_locale(user, self.random.choice(("en", "ar", "it")))
            else:
                accounts.update_profile(user, display_name=user.display_name, email=user.email, locale=user.locale,
                                        track="operator" if user.track == "entrepreneur" else "entrepreneur")
            db.session.commit()
        return kind

    def _complete(self, user, course):
        """Pass the quizzes (set up directly), then do every lesson: the last one completes the course."""
        if progress.course_state(user.id, course).completed_at is not None:
            return
        for quiz in course.quizzes:
            db.session.add(QuizAttempt(user_id=user.id, course_slug=course.slug, quiz_key=quiz.key, number=99,
                                       seed=1, pass_mark=quiz.pass_mark, course_version=course.version,
                                       submitted_at=_at(FIRST_DAY), score=1.0, passed=True))
        for lesson in course.lessons:
            progress.mark_lesson_done(user, course, lesson, "Soglia Test NGO")


def _assert_report_is_exact(programme):
    ranges = [(DAYS[0] - timedelta(days=1), DAYS[-1] + timedelta(days=1)), (DAYS[0], DAYS[0]), (DAYS[2], DAYS[3]),
              (DAYS[1], DAYS[-1]), (DAYS[-1] + timedelta(days=1), DAYS[-1] + timedelta(days=9))]
    for organisation_id, *_rest in programme.organisations:
        for start, end in ranges:
            report = reports.programme_report(organisation_id, start, end)
            assert (report.people, report.breakdown) == fresh_report(organisation_id, start, end), (start, end)
    assert tallies.check(db.session()).exact


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_report_equals_a_fresh_count_after_random_events(any_db_app, seed):
    programme = Programme(any_db_app, seed)
    with any_db_app.app_context():
        happened = set()
        for _ in range(60):
            happened.add(programme.step())
            assert tallies.check(db.session()).exact, happened  # right after each event, not only eventually
        _assert_report_is_exact(programme)
        assert {"join", "complete", "unassign", "locale"} <= happened
        assert db.session.scalar(select(ProgrammeCount.day).where(ProgrammeCount.certificates > 0).limit(1))
        assert tallies.rebuild(db.session()).exact  # counting all over again finds nothing to correct
        db.session.commit()
        _assert_report_is_exact(programme)


def test_a_day_runs_from_midnight_to_midnight_utc(app):
    programme = Programme(app, 4)
    organisation_id, trainer_id, (cohort_id, _other), (learner_id, *_rest) = programme.organisations[0]
    course = programme.catalog.course("sample-course")
    with app.app_context():
        cohort, trainer = db.session.get(Cohort, cohort_id), db.session.get(User, trainer_id)
        cohorts.assign_courses(cohort, [course.slug])
        with freeze_time(_at(DAYS[0], 86399)):  # 23:59:59
            cohorts.add_existing_learners(trainer, cohort, [learner_id])
        with freeze_time(_at(DAYS[1], 0)):  # midnight
            progress.record_view(learner_id, course, course.items[0].key)
        db.session.commit()

        def people(start, end):
            return reports.programme_report(organisation_id, start, end).people

        assert people(DAYS[0], DAYS[0]) == {"enrolled": 1, "started": 0, "completed": 0, "certificates": 0}
        assert people(DAYS[1], DAYS[1]) == {"enrolled": 0, "started": 1, "completed": 0, "certificates": 0}
        assert people(DAYS[0], DAYS[1]) == {"enrolled": 1, "started": 1, "completed": 0, "certificates": 0}
        assert people(DAYS[2], DAYS[5])["started"] == 0


def test_another_organisations_events_never_count(app):
    programme = Programme(app, 5)
    (north, _trainer, _cohorts, _learners), (south, trainer_id, (cohort_id, _other), learners) = programme.organisations
    course = programme.catalog.course("sample-course")
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        cohorts.assign_courses(cohort, [course.slug])
        cohorts.add_existing_learners(db.session.get(User, trainer_id), cohort, learners)
        for learner_id in learners:
            progress.record_view(learner_id, course, course.items[0].key)
        db.session.commit()
        today = date.today()
        assert reports.programme_report(south, today, today).people["started"] == 4
        north_report = reports.programme_report(north, today, today)
        assert set(north_report.people.values()) == {0}
        assert all(not values for values in north_report.breakdown.values())


def test_a_person_counts_once_on_their_first_day_and_a_moved_learner_in_their_new_cohort(app):
    programme = Programme(app, 6)
    organisation_id, trainer_id, (first, second), (learner_id, *_rest) = programme.organisations[0]
    course = programme.catalog.course("sample-course")
    with app.app_context():
        trainer = db.session.get(User, trainer_id)
        for cohort_id in (first, second):
            cohorts.assign_courses(db.session.get(Cohort, cohort_id), [course.slug])
        with freeze_time(_at(DAYS[0])):
            cohorts.add_existing_learners(trainer, db.session.get(Cohort, first), [learner_id])
            progress.record_view(learner_id, course, course.items[0].key)
        with freeze_time(_at(DAYS[3])):
            cohorts.remove_member(trainer, db.session.get(Cohort, first), db.session.get(User, learner_id))
            cohorts.add_existing_learners(trainer, db.session.get(Cohort, second), [learner_id])
        db.session.commit()
        whole = reports.programme_report(organisation_id, DAYS[0], DAYS[-1])
        assert whole.people == {"enrolled": 1, "started": 1, "completed": 0, "certificates": 0}
        assert whole.breakdown["cohort"] == {second: {"enrolled": 1, "started": 1, "completed": 0, "certificates": 0}}
        early = reports.programme_report(organisation_id, DAYS[0], DAYS[2])
        assert early.people["started"] == 1 and early.people["enrolled"] == 0  # enrolled on joining the second


def test_counts_cannot_go_below_zero(app):
    programme = Programme(app, 7)
    organisation_id = programme.organisations[0][0]
    with app.app_context():
        db.session.add(ProgrammeCount(organisation_id=organisation_id, dimension="course", value="sample-course",
                                      day=FIRST_DAY, enrolled=1, started=0, completed=0, certificates=0))
        db.session.commit()
        with pytest.raises(IntegrityError, match="not_negative"):
            db.session.execute(update(ProgrammeCount).values(enrolled=ProgrammeCount.enrolled - 2))
        db.session.rollback()


def test_the_recount_command_finds_and_repairs_wrong_counts(app, runner):
    programme = Programme(app, 8)
    for _ in range(15):
        with app.app_context():
            programme.step()
    result = runner.invoke(args=["cohorts", "recount", "--check"])
    assert result.exit_code == 0 and "0 places and 0 day counts differed" in result.output
    with app.app_context():
        db.session.add(ProgrammeCount(organisation_id=programme.organisations[0][0], dimension="course",
                                      value="ghost-course", day=FIRST_DAY, enrolled=1, started=0, completed=0,
                                      certificates=0))
        db.session.commit()
    result = runner.invoke(args=["cohorts", "recount", "--check"])
    assert result.exit_code == 1 and "0 places and 0 day counts" not in result.output
    result = runner.invoke(args=["cohorts", "recount"])
    assert result.exit_code == 0 and "now rebuilt" in result.output
    assert runner.invoke(args=["cohorts", "recount", "--check"]).exit_code == 0


def test_the_migration_counts_the_records_already_there(tmp_path, courses_dir):
    from alembic.script import ScriptDirectory
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import migrate
    from app.organisations.models import Organisation
    from tests.conftest import make_config

    app = create_app(make_config(tmp_path, courses_dir, DATABASE_URL=f"sqlite:///{tmp_path}/m.db"))
    with app.app_context():
        script = ScriptDirectory.from_config(migrate.get_config())
        counts_revision = next(r for r in script.walk_revisions() if "programme counts" in (r.doc or ""))
        upgrade(revision=counts_revision.down_revision)
        organisation = db.session.scalar(select(Organisation))
        learner = User(username="amina", display_name="Amina", locale="ar", track="operator",
                       organisation_id=organisation.id, password_hash="x")
        cohort = Cohort(organisation_id=organisation.id, name="Before", language="en", join_code="ABCDEFGH")
        db.session.add_all([learner, cohort])
        db.session.flush()
        db.session.add_all([CohortCourse(cohort_id=cohort.id, course_slug="sample-course"),
                            CohortMember(cohort_id=cohort.id, user_id=learner.id, method="selected",
                                         joined_at=_at(DAYS[0])),
                            Enrolment(user_id=learner.id, course_slug="sample-course", started_at=_at(DAYS[1]))])
        db.session.commit()
        upgrade()
        report = reports.programme_report(organisation.id, DAYS[0], DAYS[-1])
        assert report.people == {"enrolled": 1, "started": 1, "completed": 0, "certificates": 0}
        assert report.breakdown["language"] == {"ar": {"enrolled": 1, "started": 1, "completed": 0, "certificates": 0}}
        assert tallies.check(db.session()).exact
        db.session.remove()
        db.engine.dispose()


def test_events_at_the_same_moment_are_all_counted(any_db_app):
    programme = Programme(any_db_app, 9)
    organisation_id, trainer_id, (cohort_id, _other), learners = programme.organisations[0]
    with any_db_app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        cohorts.assign_courses(cohort, list(COURSES))
        cohorts.add_existing_learners(db.session.get(User, trainer_id), cohort, learners)
        db.session.commit()
    # four learners open the same course (the same day counts), then one learner opens both courses at once
    visits = iter([(learner, COURSES[0]) for learner in learners] + [(learners[0], COURSES[1]),
                                                                     (learners[1], COURSES[1])])
    lock = threading.Lock()

    def visit():
        with lock:
            learner, slug = next(visits)
        course = programme.catalog.course(slug)
        return progress.record_view(learner, course, course.items[0].key)

    for times in (4, 2):
        results, errors = run_concurrently(any_db_app, visit, times=times)
        assert errors == [] and results == [True] * times
    with any_db_app.app_context():
        today = date.today()
        report = reports.programme_report(organisation_id, today, today)
        assert report.people["started"] == 4
        assert report.breakdown["course"][COURSES[0]]["started"] == 4
        assert report.breakdown["course"][COURSES[1]]["started"] == 2
        assert tallies.check(db.session()).exact
