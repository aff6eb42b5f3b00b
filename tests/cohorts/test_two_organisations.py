"""Cohort services with two organisations: each sees and acts only on its own cohorts, learners and figures."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.cohorts import analysis, cards, dashboard, exports, importing, reports
from app.cohorts import operations as cohorts
from app.cohorts.models import CohortMember
from app.extensions import db
from app.models import User
from app.models.base import utcnow

TODAY = date.today()


@pytest.fixture
def course(catalog):
    return catalog.course("sample-course")


def usernames(rows, column=1):
    return sorted({row[column] for row in rows})


def test_a_cohort_name_is_taken_only_within_its_organisation(two_organisations):
    a, b = two_organisations
    with pytest.raises(cohorts.CohortNameTaken):
        cohorts.create_cohort(a.organisation_id, a.trainer, name="Spring  2027", language="en")
    autumn = cohorts.create_cohort(b.organisation_id, b.trainer, name="Autumn 2027", language="en")
    cohorts.update_cohort(a.cohort, name="Autumn 2027", language="en", starts_on=None, ends_on=None,
                          join_code_expires_on=None)  # B's name is free in A
    with pytest.raises(cohorts.CohortNameTaken):
        cohorts.update_cohort(autumn, name="Spring 2027", language="en", starts_on=None, ends_on=None,
                              join_code_expires_on=None)
    assert a.cohort.name == "Autumn 2027" and autumn.name == "Autumn 2027"


def test_each_organisation_lists_its_own_cohorts_with_their_learners(two_organisations):
    a, b = two_organisations
    assert cohorts.cohorts_with_counts(a.organisation_id) == [(a.cohort, 1)]
    assert cohorts.cohorts_with_counts(b.organisation_id) == [(b.cohort, 2)]


def test_a_join_code_of_another_organisation_is_refused_to_its_learners(two_organisations):
    a, b = two_organisations
    for learner in (b.outsider, b.learners[0]):
        with pytest.raises(cohorts.OtherOrganisation):
            cohorts.join_with_code(learner, a.cohort.join_code)
    assert b.outsider.organisation_id == b.organisation_id and not cohorts.is_member(a.cohort, b.outsider)


def test_a_learner_of_the_default_organisation_in_no_cohort_follows_the_code_into_its_organisation(two_organisations):
    a, b = two_organisations
    assert cohorts.join_with_code(a.outsider, b.cohort.join_code) == (b.cohort, True)
    assert a.outsider.organisation_id == b.organisation_id
    with pytest.raises(cohorts.OtherOrganisation):  # once in a cohort, a code no longer moves them
        cohorts.join_with_code(a.learners[0], b.cohort.join_code)


def test_a_trainer_adds_and_chooses_from_only_the_own_organisations_learners(two_organisations):
    a, b = two_organisations
    assert cohorts.learners_not_in(a.cohort) == [a.outsider]
    assert cohorts.learners_not_in(b.cohort, search="b") == [b.outsider]
    assert cohorts.add_existing_learners(a.trainer, a.cohort, [a.outsider.id, b.outsider.id, b.learners[0].id]) == 1
    members = set(db.session.scalars(select(CohortMember.user_id).where(CohortMember.cohort_id == a.cohort.id)))
    assert members == {a.learners[0].id, a.outsider.id}


def test_taking_a_learner_out_of_a_cohort_leaves_the_other_cohorts_alone(two_organisations):
    a, b = two_organisations
    amina, aziz = a.learners[0], a.outsider
    autumn = cohorts.create_cohort(a.organisation_id, a.trainer, name="Autumn 2027", language="en")
    cohorts.add_existing_learners(a.trainer, autumn, [amina.id, aziz.id])
    cohorts.add_existing_learners(a.trainer, a.cohort, [aziz.id])
    cohorts.remove_member(a.trainer, a.cohort, amina)
    cohorts.leave_all_cohorts(b.learners[0])
    assert set(db.session.execute(select(CohortMember.cohort_id, CohortMember.user_id))) == {
        (autumn.id, amina.id), (autumn.id, aziz.id), (a.cohort.id, aziz.id), (b.cohort.id, b.learners[1].id)}
    db.session.flush()
    removals = [(e.subject_id, e.detail) for e in _log(a) if e.action == "member_removed"]
    assert removals == [(amina.id, "Spring 2027")]


def test_a_learner_sees_only_the_cohorts_of_their_organisation(two_organisations):
    """A membership left in another organisation's cohort (say, after a move) gives no assignments there."""
    a, b = two_organisations
    amina = a.learners[0]
    db.session.add(CohortMember(cohort_id=b.cohort.id, user_id=amina.id, method="selected"))
    db.session.flush()
    assert dashboard.learner_cohorts(amina) == [a.cohort]
    assert [(cohort, slug) for cohort, slug, _due in dashboard.learner_assignments(amina)] == [
        (a.cohort, "sample-course")]
    assert dashboard.learner_cohorts(b.learners[0]) == [b.cohort]


def test_the_dashboard_and_the_exports_show_the_cohorts_own_learners(two_organisations, catalog):
    a, b = two_organisations
    for side in (a, b):
        board = dashboard.cohort_dashboard(side.cohort, catalog, today=TODAY)
        assert sorted(learner.username for learner in board.learners) == sorted(u.username for u in side.learners)
        expected = sorted(u.username for u in side.learners)
        assert usernames(exports.progress_rows(side.cohort, catalog, TODAY)) == expected
    assert usernames(exports.quiz_rows(a.cohort)) == []
    assert usernames(exports.quiz_rows(b.cohort)) == ["bilal"]
    assert usernames(exports.certificate_rows(a.cohort, str)) == []
    assert usernames(exports.certificate_rows(b.cohort, str)) == ["bilal"]
    assert dashboard.cohort_dashboard(b.cohort, catalog, today=TODAY).completed == 1


def test_the_quiz_analysis_counts_only_the_cohorts_learners(two_organisations, course, app):
    a, b = two_organisations
    quiz = course.item("basics/check")
    with app.test_request_context():
        assert analysis.item_analysis(a.cohort, course, quiz).attempts == 0
        found = analysis.item_analysis(b.cohort, course, quiz)
    assert (found.attempts, found.passed, found.learners) == (1, 1, 1)


def test_login_cards_are_only_for_the_cohorts_learners(two_organisations):
    a, b = two_organisations
    chosen = [a.learners[0].id, b.learners[0].id]
    assert cards.learners_for_cards(a.cohort, chosen) == [a.learners[0]]
    assert cards.learners_for_cards(b.cohort, chosen) == [b.learners[0]]


def test_imported_learners_join_the_cohorts_organisation(two_organisations):
    a, b = two_organisations
    result = importing.check_rows([["display_name", "username"], ["Noor Saleh", "noor"]], "en", ["en", "ar"])
    importing.create_learners(b.trainer, b.cohort, result.rows)
    noor = db.session.scalar(select(User).where(User.username == "noor"))
    assert noor.organisation_id == b.organisation_id and cohorts.is_member(b.cohort, noor)
    assert "learners_imported" not in {e.action for e in _log(a)}


def _log(side):
    from app.organisations.operations import audit_page

    return audit_page(side.organisation_id, 1).items


def test_the_programme_report_counts_each_organisations_own_cohorts(two_organisations):
    a, b = two_organisations
    for_a = reports.programme_report(a.organisation_id, TODAY, TODAY)
    for_b = reports.programme_report(b.organisation_id, TODAY, TODAY)
    assert for_a.people == {"enrolled": 1, "started": 1, "completed": 0, "certificates": 0}
    assert for_b.people == {"enrolled": 2, "started": 1, "completed": 1, "certificates": 1}
    assert for_a.cohort_names == {a.cohort.id: "Spring 2027"} and for_b.cohort_names == {b.cohort.id: "Spring 2027"}
    assert set(for_b.breakdown["cohort"]) == {b.cohort.id}


def test_courses_are_assigned_and_taken_back_per_cohort(two_organisations):
    a, b = two_organisations
    due = date(2027, 6, 30)
    cohorts.assign_courses(a.cohort, ["sample-course", "second-course"], due_on=due)
    cohorts.unassign_course(a.cohort, "sample-course")
    assert dashboard.assignments_of(a.cohort) == [("second-course", due)]
    assert dashboard.assignments_of(b.cohort) == [("sample-course", None)]


def test_cohorts_come_newest_first_each_with_its_own_count(two_organisations):
    a, _b = two_organisations
    autumn = cohorts.create_cohort(a.organisation_id, a.trainer, name="Autumn 2027", language="en")
    db.session.flush()
    autumn.created_at = a.cohort.created_at - timedelta(days=1)  # made later, dated earlier
    assert cohorts.cohorts_with_counts(a.organisation_id) == [(a.cohort, 1), (autumn, 0)]
    autumn.created_at = a.cohort.created_at  # the same moment: the later one first
    assert cohorts.cohorts_with_counts(a.organisation_id) == [(autumn, 0), (a.cohort, 1)]


def test_a_cohort_keeps_its_name_when_only_its_language_changes(two_organisations):
    a, _b = two_organisations
    cohorts.update_cohort(a.cohort, name="Spring 2027", language="ar", starts_on=None, ends_on=None,
                          join_code_expires_on=None)
    assert (a.cohort.name, a.cohort.language) == ("Spring 2027", "ar")


def test_membership_is_per_cohort(two_organisations):
    a, b = two_organisations
    assert cohorts.is_member(a.cohort, a.learners[0]) and not cohorts.is_member(b.cohort, a.learners[0])


def test_the_learners_to_choose_from_by_name_or_username(two_organisations, make_user):
    a, b = two_organisations
    autumn = cohorts.create_cohort(a.organisation_id, a.trainer, name="Autumn 2027", language="en")
    cohorts.add_existing_learners(a.trainer, autumn, [a.outsider.id])  # in another cohort: still to choose from
    aaron = User(username="zara", username_skeleton="zara", display_name="Aaron Zara", role="learner",
                 organisation_id=a.organisation_id, password_hash="x")
    gone = User(username="gone", username_skeleton="gone", display_name="Gone", role="learner",
                organisation_id=a.organisation_id, password_hash="x", anonymised_at=utcnow())
    db.session.add_all([aaron, gone])
    b.outsider.display_name = "Beatrice Rossi"
    db.session.flush()
    assert cohorts.learners_not_in(a.cohort) == [aaron, a.outsider]  # by name; no anonymised account
    assert cohorts.learners_not_in(b.cohort, search="ROSSI") == [b.outsider]  # by name, any case
    assert cohorts.learners_not_in(b.cohort, search="bea") == [b.outsider]  # by username
    assert cohorts.learners_not_in(b.cohort, search="_") == []  # a wildcard is only itself
    assert cohorts.learners_not_in(b.cohort, search="%") == []


def test_a_join_code_works_through_its_last_day(two_organisations):
    a, _b = two_organisations
    a.cohort.join_code_expires_on = TODAY
    assert cohorts.find_by_code(a.cohort.join_code, today=TODAY) == a.cohort
    with pytest.raises(cohorts.ExpiredCode):
        cohorts.find_by_code(a.cohort.join_code, today=TODAY + timedelta(days=1))


def test_the_learners_to_choose_from_come_fifty_at_a_time(two_organisations):
    a, _ = two_organisations
    db.session.add_all(User(username=f"many{n:02d}", username_skeleton=f"many{n:02d}", display_name=f"Many {n:02d}",
                            role="learner", organisation_id=a.organisation_id, password_hash="x") for n in range(55))
    db.session.flush()
    shown = cohorts.learners_not_in(a.cohort)
    names = [user.display_name for user in shown]
    assert len(names) == 50 and names == sorted(names) and "Many 00" in names and "Many 54" not in names
    assert len(cohorts.learners_not_in(a.cohort, limit=3)) == 3


def test_a_join_code_is_read_in_any_case_and_spacing_up_to_32_characters():
    assert cohorts.normalise_code(" ab-12 cd ") == "AB12CD"
    assert cohorts.normalise_code("x" * 40) == "X" * 32
    assert cohorts.normalise_code(None) == ""
