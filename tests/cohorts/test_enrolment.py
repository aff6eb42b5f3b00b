"""Cohorts: creation, assigned courses, and joining by code or link (at registration or later)."""
from datetime import date, timedelta

from sqlalchemy import select

from app.cohorts.models import Cohort, CohortCourse, CohortMember
from app.extensions import db
from app.models import User
from tests.conftest import PASSWORD


def _members(app, cohort_id):
    with app.app_context():
        return set(db.session.scalars(select(User.username).join(CohortMember, CohortMember.user_id == User.id)
                                      .where(CohortMember.cohort_id == cohort_id)))


def test_a_trainer_creates_a_cohort_and_assigns_a_path_with_a_due_date(app, client, auth):
    auth.as_new_user("tina", role="trainer")
    response = client.post("/trainer/cohorts/", data={"name": " Torino  2027 ", "language": "it",
                                                      "starts_on": "2027-01-10", "ends_on": "2027-03-01"})
    assert response.status_code == 302
    with app.app_context():
        cohort = db.session.scalar(select(Cohort))
        assert (cohort.name, cohort.language, str(cohort.ends_on)) == ("Torino 2027", "it", "2027-03-01")
    client.post(f"/trainer/cohorts/{cohort.id}/courses", data={"target": "path:starter", "due_on": "2027-02-15"})
    with app.app_context():
        assigned = db.session.scalars(select(CohortCourse)).all()
        assert [(a.course_slug, a.path_slug, str(a.due_on)) for a in assigned] == [
            ("sample-course", "starter", "2027-02-15")]
    page = client.get(f"/trainer/cohorts/{cohort.id}/manage").get_data(as_text=True)
    assert "due 2027-02-15" in page and cohort.join_code[:4] + "-" + cohort.join_code[4:] in page


def test_cohort_form_errors_store_nothing(app, client, auth):
    auth.as_new_user("tina", role="trainer")
    client.post("/trainer/cohorts/", data={"name": "Torino", "language": "it"})
    again = client.post("/trainer/cohorts/", data={"name": "Torino", "language": "it"}).get_data(as_text=True)
    assert "You already have a cohort with this name." in again
    backwards = client.post("/trainer/cohorts/", data={"name": "Late", "language": "it", "starts_on": "2027-03-01",
                                                       "ends_on": "2027-01-01"}).get_data(as_text=True)
    assert "The end date is before the start date." in backwards
    bad_target = client.post("/trainer/cohorts/1/courses", data={"target": "course:nope"}, follow_redirects=True)
    assert "Choose a course or path from the list." in bad_target.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Cohort.name)).all() == ["Torino"]
        assert db.session.scalars(select(CohortCourse)).all() == []


def test_a_learner_joins_at_registration_with_the_code(app, client, auth, workspace):
    workspace.person("tina", role="trainer")
    cohort = workspace.cohort()
    code = workspace.join_code(cohort)
    response = auth.register("amina", join_code=f"{code[:4].lower()}-{code[4:]}")
    assert response.status_code == 200 and "Welcome to Spring 2027!" in response.get_data(as_text=True)
    assert _members(app, cohort) == {"amina"}


def test_unknown_and_expired_codes_are_explained_and_nothing_is_created(app, client, auth, workspace):
    workspace.person("tina", role="trainer")
    cohort = workspace.cohort(join_code_expires_on=date.today() - timedelta(days=1))
    unknown = auth.register("amina", join_code="ZZZZ-ZZZZ").get_data(as_text=True)
    assert "No cohort has this join code. Check it with your trainer." in unknown
    expired = auth.register("amina", join_code=workspace.join_code(cohort)).get_data(as_text=True)
    assert "This join code has expired. Ask your trainer for a new one." in expired
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "amina")) is None


def test_a_learner_joins_later_by_link_and_twice_is_once(app, client, auth, workspace):
    workspace.person("tina", role="trainer")
    cohort = workspace.cohort()
    code = workspace.join_code(cohort)
    assert client.get(f"/join/{code}").headers["Location"] == f"/account/register?code={code}"
    assert f'value="{code}"' in client.get(f"/account/register?code={code}").get_data(as_text=True)
    auth.as_new_user("amina")
    assert client.get(f"/join/{code}").headers["Location"] == f"/join?code={code}"
    assert client.post("/join", data={"code": code}).status_code == 302
    assert "You are already in Spring 2027." in client.post("/join", data={"code": code},
                                                            follow_redirects=True).get_data(as_text=True)
    assert _members(app, cohort) == {"amina"}
    assert "No cohort has this join code." in client.post("/join", data={"code": "nope"}).get_data(as_text=True)


def test_a_code_of_another_organisation_does_not_take_an_attached_learner(app, client, workspace):
    workspace.person("tina", role="trainer")
    first = workspace.cohort("Home")
    other = workspace.organisation("Other NGO")
    workspace.person("bruno", role="trainer", organisation_id=other)
    foreign = workspace.cohort("Away", creator="bruno")
    learner = workspace.person("amina")
    client.post("/account/login", data={"username": "amina", "password": PASSWORD})
    client.post("/join", data={"code": workspace.join_code(first)})
    refused = client.post("/join", data={"code": workspace.join_code(foreign)}).get_data(as_text=True)
    assert "This join code belongs to another organisation." in refused
    with app.app_context():
        assert db.session.get(User, learner).organisation_id != other


def test_a_new_code_replaces_the_old_one(app, client, auth, workspace):
    workspace.person("tina", role="trainer")
    cohort = workspace.cohort()
    old = workspace.join_code(cohort)
    client.post("/account/login", data={"username": "tina", "password": PASSWORD})
    client.post(f"/trainer/cohorts/{cohort}/code")
    assert workspace.join_code(cohort) != old
    auth.logout()
    assert "No cohort has this join code." in auth.register("amina", join_code=old).get_data(as_text=True)


def test_a_trainer_adds_existing_learners_of_the_organisation_only(app, client, workspace):
    workspace.person("tina", role="trainer")
    cohort = workspace.cohort()
    amina = workspace.person("amina", display_name="Amina Haddad")
    other = workspace.organisation("Other NGO")
    outsider = workspace.person("omar", organisation_id=other)
    client.post("/account/login", data={"username": "tina", "password": PASSWORD})
    page = client.get(f"/trainer/cohorts/{cohort}/learners/add").get_data(as_text=True)
    assert "Amina Haddad" in page and "omar" not in page
    client.post(f"/trainer/cohorts/{cohort}/learners/add", data={"learners": [amina, outsider]})
    client.post(f"/trainer/cohorts/{cohort}/learners/add", data={"learners": [amina]})  # a double submit
    assert _members(app, cohort) == {"amina"}
    client.post(f"/trainer/cohorts/{cohort}/learners/{amina}/remove")
    assert _members(app, cohort) == set()
