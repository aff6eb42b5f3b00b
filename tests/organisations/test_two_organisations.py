"""Services with two organisations: each sees and acts only on its own people, log, calls and plans."""
from datetime import timedelta

import pytest
from flask_login import login_user
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from app.calls import operations as calls
from app.cohorts import operations as cohorts
from app.cohorts.models import CohortMember
from app.extensions import db
from app.models.base import utcnow
from app.organisations import access
from app.organisations import operations as organisations
from app.organisations.models import AuditEvent, Organisation
from app.workbook import review
from tests.workbook.conftest import PLAN


@pytest.fixture
def courses_dir(courses_dir):
    """The sample course with a worksheet, which calls and plan reviews need."""
    (courses_dir / "sample-course/02-numbers/03-plan.worksheet.md").write_text(PLAN)
    return courses_dir


@pytest.fixture
def course(catalog):
    return catalog.course("sample-course")


def names(people):
    return sorted(person.username for person in people)


def test_each_organisation_counts_its_own_people(two_organisations):
    a, b = two_organisations
    empty = organisations.create_organisation("Alpha NGO")
    listed = [(organisation.id, count) for organisation, count in organisations.organisations_with_counts()]
    assert listed == [(empty.id, 0), (b.organisation_id, 4), (a.organisation_id, 3)]  # by name


def test_the_audit_log_keeps_each_organisations_events(two_organisations):
    a, b = two_organisations
    organisations.record(a.trainer, "password_reset", a.learners[0])
    organisations.record(b.trainer, "login_cards", None, "Spring 2027: 2")
    organisations.set_staff_role(b.trainer, b.outsider, "trainer", True)
    organisations.set_staff_role(b.trainer, b.learners[1], "learner", True)
    db.session.flush()
    seen_by_a = [(e.action, e.actor_id) for e in organisations.audit_page(a.organisation_id, 1).items]
    seen_by_b = [(e.action, e.subject_id, e.detail) for e in organisations.audit_page(b.organisation_id, 1).items]
    assert ("password_reset", a.trainer.id) in seen_by_a
    assert {action for action, _ in seen_by_a} == {"member_added", "password_reset"}
    assert seen_by_b[:3] == [("staff_changed", b.learners[1].id, "learner"),
                             ("staff_changed", b.outsider.id, "trainer + admin"),
                             ("login_cards", None, "Spring 2027: 2")]
    assert {action for action, _, _ in seen_by_b} == {"member_added", "login_cards", "staff_changed"}
    assert (b.outsider.role, b.outsider.organisation_admin, b.learners[1].organisation_admin) == ("trainer", True,
                                                                                               False)


def test_an_action_on_a_person_is_logged_in_the_persons_organisation(two_organisations, app):
    """A platform admin of A acting on B's learner: the event belongs to B's log, not A's."""
    a, b = two_organisations
    a.trainer.role = "admin"
    organisations.record(a.trainer, "password_reset", b.outsider)
    db.session.flush()
    assert [e.subject_id for e in organisations.audit_page(b.organisation_id, 1).items if e.subject_id] == [b.outsider.id]
    assert all(e.subject_id != b.outsider.id for e in organisations.audit_page(a.organisation_id, 1).items)


def test_moving_a_person_takes_only_them_out_of_their_cohorts_and_logs_it_where_they_leave(two_organisations):
    """B's trainer, a platform admin, moves A's learner to B: A's log says so, B's does not."""
    a, b = two_organisations
    amina = a.learners[0]
    amina.organisation_admin = True
    b.trainer.role = "admin"
    organisations.move_user(b.trainer, amina, db.session.get(Organisation, b.organisation_id))
    assert amina.organisation_id == b.organisation_id and not amina.organisation_admin
    members = set(db.session.scalars(select(CohortMember.user_id)))
    assert members == {learner.id for learner in b.learners}  # B's members stay where they are
    moves = [(e.subject_id, e.detail) for e in organisations.audit_page(a.organisation_id, 1).items
             if e.action == "organisation_changed"]
    assert moves == [(amina.id, "Other NGO")]
    assert "organisation_changed" not in {e.action for e in organisations.audit_page(b.organisation_id, 1).items}


def test_the_awarding_body_is_the_organisation_or_the_platform_for_the_default_one(two_organisations):
    a, b = two_organisations
    assert organisations.awarding_name(a.organisation_id, "Platform") == "Platform"
    assert organisations.awarding_name(b.organisation_id, "Platform") == "Other NGO"


@pytest.fixture
def as_trainer_of_b(two_organisations, app):
    """A request in which B's trainer is logged in."""
    _a, b = two_organisations
    with app.test_request_context():
        login_user(b.trainer)
        yield


def test_the_load_and_check_helpers_find_only_the_own_organisations_objects(two_organisations, as_trainer_of_b):
    a, b = two_organisations
    assert access.organisation_id() == b.organisation_id
    assert access.get_person_or_404(b.learners[0].id) == b.learners[0]
    assert access.get_cohort_or_404(b.cohort.id) == b.cohort
    assert access.get_cohort_member_or_404(b.cohort, b.learners[1].id) == b.learners[1]
    for load in (lambda: access.get_person_or_404(a.learners[0].id),
                 lambda: access.get_person_or_404(a.learners[0].id, platform_admin_anywhere=True),
                 lambda: access.get_cohort_or_404(a.cohort.id),
                 lambda: access.get_cohort_member_or_404(b.cohort, a.learners[0].id),
                 lambda: access.get_person_or_404(b.trainer.id, learners_only=True)):
        with pytest.raises(NotFound):
            load()


def test_a_platform_admin_reaches_people_of_every_organisation_only_when_asked(two_organisations, app):
    a, b = two_organisations
    b.trainer.role = "admin"
    with app.test_request_context():
        login_user(b.trainer)
        assert access.get_person_or_404(a.learners[0].id, platform_admin_anywhere=True) == a.learners[0]
        with pytest.raises(NotFound):
            access.get_person_or_404(a.learners[0].id)


def test_a_member_moved_to_another_organisation_is_not_found_in_the_old_cohort(two_organisations, as_trainer_of_b):
    """A membership row left behind in B's cohort does not make A's learner reachable from it."""
    a, b = two_organisations
    db.session.add(CohortMember(cohort_id=b.cohort.id, user_id=a.learners[0].id, method="selected"))
    db.session.flush()
    with pytest.raises(NotFound):
        access.get_cohort_member_or_404(b.cohort, a.learners[0].id)


def test_a_learner_is_found_only_in_the_cohorts_they_are_in(two_organisations, as_trainer_of_b):
    _a, b = two_organisations
    autumn = cohorts.create_cohort(b.organisation_id, b.trainer, name="Autumn 2027", language="en")
    cohorts.add_existing_learners(b.trainer, autumn, [b.outsider.id])
    assert access.get_cohort_member_or_404(autumn, b.outsider.id) == b.outsider
    with pytest.raises(NotFound):
        access.get_cohort_member_or_404(b.cohort, b.outsider.id)


def open_call(admin, course, jurors):
    return calls.open_call(admin, course, "Dream Big!", "Ideas", utcnow() + timedelta(days=7), ["numbers/plan"],
                           [("Clear idea", 1.0)], [juror.id for juror in jurors])


def test_calls_belong_to_their_organisation(two_organisations, course):
    a, b = two_organisations
    call_a, call_b = open_call(a.trainer, course, [a.trainer]), open_call(b.trainer, course, [b.trainer])
    assert calls.calls_of(a.trainer) == [call_a] and calls.calls_of(b.trainer) == [call_b]
    assert calls.call_or_404(b.trainer, call_b.id) == call_b
    with pytest.raises(NotFound):
        calls.call_or_404(b.trainer, call_a.id)
    with pytest.raises(calls.CallError) as refused:
        open_call(a.trainer, course, [a.trainer, b.trainer])  # another organisation's trainer as juror
    assert refused.value.code == "jurors"


def test_a_plan_is_shared_only_with_a_trainer_of_the_learners_organisation(two_organisations, course, app):
    a, b = two_organisations
    amina, bilal = a.learners[0], b.learners[0]
    assert review.reviewers_for(amina) == [a.trainer] and review.reviewers_for(bilal) == [b.trainer]
    with pytest.raises(review.ReviewError) as refused:
        review.share_plan(amina, course, b.trainer.id)
    assert refused.value.code == "unknown_reviewer"
    shared = review.share_plan(bilal, course, b.trainer.id)
    assert [plan.share for plan in review.shared_with(b.trainer)] == [shared] and review.shared_with(a.trainer) == []
    with app.test_request_context():
        assert review.reviewable_share_or_404(b.trainer, shared.id) == shared
        with pytest.raises(NotFound):
            review.reviewable_share_or_404(a.trainer, shared.id)


def test_a_plan_shared_before_the_learner_moved_is_no_longer_seen_by_the_old_organisation(two_organisations, course,
                                                                                           app):
    a, b = two_organisations
    amina = a.learners[0]
    shared = review.share_plan(amina, course, a.trainer.id)
    amina.organisation_id = b.organisation_id
    db.session.flush()
    assert review.shared_with(a.trainer) == []
    with app.test_request_context(), pytest.raises(NotFound):
        review.reviewable_share_or_404(a.trainer, shared.id)


def test_the_audit_log_comes_newest_first_fifty_to_a_page(two_organisations):
    a, b = two_organisations
    for _ in range(50):
        organisations.record(b.trainer, "login_cards", None, "again")
    db.session.flush()
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.organisation_id == b.organisation_id)
                                .order_by(AuditEvent.id)).all()
    events[0].created_at = utcnow() + timedelta(hours=1)  # the oldest row is the newest event
    db.session.flush()
    first, second = organisations.audit_page(b.organisation_id, 1), organisations.audit_page(b.organisation_id, 2)
    assert [e.id for e in first.items] == [events[0].id] + [e.id for e in reversed(events[2:])]
    assert [e.id for e in second.items] == [events[1].id] and first.total == len(events) == 51
    assert organisations.audit_page(b.organisation_id, 3).items == []  # past the end: an empty page, not an error
    assert organisations.audit_page(a.organisation_id, 1).total == 1


def test_renaming_an_organisation_tidies_the_spaces(two_organisations):
    _a, b = two_organisations
    renamed = db.session.get(Organisation, b.organisation_id)
    organisations.rename_organisation(renamed, "  Other   NGO  Milano ")
    assert renamed.name == "Other NGO Milano"
