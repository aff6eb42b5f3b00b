"""Behaviour that surviving mutants of app/cohorts/operations.py and app/organisations/access.py showed untested."""
from datetime import date
from functools import partial

import pytest
from sqlalchemy import select

from app.cohorts import operations as cohorts
from app.cohorts import tallies
from app.cohorts.models import Cohort, CohortMember
from app.extensions import db
from app.models import User
from app.organisations.models import AuditEvent
from tests.cohorts.conftest import Workspace
from tests.conftest import PASSWORD, inserted_first_by_another_request


def test_a_new_cohort_keeps_its_dates_and_its_creator(two_organisations):
    a, _b = two_organisations
    cohort = cohorts.create_cohort(a.organisation_id, a.trainer, name="Autumn 2027", language="en",
                                   starts_on=date(2027, 9, 1), ends_on=date(2027, 12, 1))
    db.session.commit()
    db.session.expire_all()
    assert (cohort.starts_on, cohort.ends_on) == (date(2027, 9, 1), date(2027, 12, 1))
    assert cohort.created_by_id == a.trainer.id


def test_assigning_an_assigned_course_again_changes_its_due_date(two_organisations):
    a, _b = two_organisations
    cohorts.assign_courses(a.cohort, ["sample-course"], due_on=date(2027, 6, 30))
    assert [(c.course_slug, c.due_on) for c in a.cohort.assignments] == [("sample-course", date(2027, 6, 30))]


def test_each_cohort_counts_its_own_learners(two_organisations):
    a, _b = two_organisations
    autumn = cohorts.create_cohort(a.organisation_id, a.trainer, name="Autumn 2027", language="en")
    cohorts.add_existing_learners(a.trainer, autumn, [a.outsider.id, a.learners[0].id])
    counts = {cohort.name: n for cohort, n in cohorts.cohorts_with_counts(a.organisation_id)}
    assert counts == {"Spring 2027": 1, "Autumn 2027": 2}


def test_a_learner_in_one_cohort_can_be_added_to_another(two_organisations):
    a, _b = two_organisations
    autumn = cohorts.create_cohort(a.organisation_id, a.trainer, name="Autumn 2027", language="en")
    assert cohorts.add_existing_learners(a.trainer, autumn, [a.learners[0].id]) == 1
    assert cohorts.is_member(autumn, a.learners[0])


def test_adding_members_and_newcomers_together_adds_the_newcomers(two_organisations):
    a, _b = two_organisations
    assert cohorts.add_existing_learners(a.trainer, a.cohort, [a.learners[0].id, a.outsider.id]) == 1
    assert cohorts.is_member(a.cohort, a.outsider)


def test_adding_nobody_adds_nobody(two_organisations):
    a, _b = two_organisations
    assert cohorts.add_existing_learners(a.trainer, a.cohort, []) == 0


def test_only_learners_are_added_to_a_cohort(two_organisations):
    a, _b = two_organisations
    assert cohorts.add_existing_learners(a.trainer, a.cohort, [a.trainer.id]) == 0
    assert not cohorts.is_member(a.cohort, a.trainer)


def test_the_audit_log_says_which_cohort_got_how_many_learners(two_organisations):
    a, _b = two_organisations
    cohorts.add_existing_learners(a.trainer, a.cohort, [a.outsider.id])
    db.session.flush()
    details = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "member_added")).all()
    assert "Spring 2027: 1" in details


def test_each_join_code_problem_has_its_message(app):
    with app.test_request_context():
        assert cohorts.code_error(cohorts.ExpiredCode("X")) == (
            "This join code has expired. Ask your trainer for a new one.")
        assert cohorts.code_error(cohorts.OtherOrganisation(1)) == (
            "This join code belongs to another organisation. Ask your trainer.")
        assert cohorts.code_error(cohorts.UnknownCode("X")) == "No cohort has this join code. Check it with your trainer."


def test_a_trainer_opens_a_learners_page(app, two_organisations):
    a, _b = two_organisations
    client = app.test_client()
    assert client.post("/account/login", data={"username": "tina", "password": PASSWORD}).status_code == 302
    assert client.get(f"/trainer/learners/{a.learners[0].id}").status_code == 200
    assert client.get(f"/trainer/learners/{a.trainer.id}").status_code == 404


def test_the_report_counts_follow_a_course_taken_off_a_cohort(two_organisations):
    a, _b = two_organisations
    assert tallies.check(db.session()).exact
    cohorts.unassign_course(a.cohort, "sample-course")
    assert tallies.check(db.session()).exact


@pytest.mark.mutants_postgres
def test_a_code_a_concurrent_request_already_used_does_not_join_twice(any_db_app, make_user):
    workspace = Workspace(any_db_app, partial(make_user, target_app=any_db_app))
    workspace.person("tina", role="trainer")
    amina_id = workspace.person("amina")
    cohort_id = workspace.cohort()
    with any_db_app.app_context():
        amina = db.session.get(User, amina_id)
        with inserted_first_by_another_request(CohortMember.__table__, cohort_id=cohort_id, user_id=amina_id,
                                               method="code") as theirs:
            cohort, newly_joined = cohorts.join_with_code(amina, workspace.join_code(cohort_id))
        db.session.commit()
        assert theirs and cohort.id == cohort_id and not newly_joined
        assert db.session.scalars(select(CohortMember.id).where(CohortMember.user_id == amina_id)).all() == theirs


@pytest.mark.mutants_postgres
def test_learners_to_add_are_found_in_any_case_and_namesakes_come_in_id_order(any_db_app, make_user):
    workspace = Workspace(any_db_app, partial(make_user, target_app=any_db_app))
    workspace.person("tina", role="trainer")
    first, second, third = (workspace.person(f"learner{n}", display_name="Sam Rossi") for n in (1, 2, 3))
    cohort_id = workspace.cohort()
    with any_db_app.app_context():
        db.session.get(User, first).username = "sam"  # PostgreSQL then stores (and indexes) the row after the others
        db.session.commit()
        found = cohorts.learners_not_in(db.session.get(Cohort, cohort_id), search="ROSSI")
        assert [learner.id for learner in found] == [first, second, third]
