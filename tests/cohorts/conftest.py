"""Shared set-up for the trainer workspace: organisations, cohorts, learners with progress."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from app.cohorts import operations as cohorts
from app.cohorts.models import Cohort
from app.extensions import db
from app.models import User
from app.organisations import operations as organisations
from tests.conftest import PASSWORD, answer_key_form, page_option_tokens


class Workspace:
    """Builds organisations, cohorts and learners directly through the operations."""

    def __init__(self, app, make_user):
        self.app = app
        self.make_user = make_user

    def organisation(self, name):
        with self.app.app_context():
            found = organisations.create_organisation(name)
            db.session.commit()
            return found.id

    def person(self, username, role="learner", organisation_id=None, **fields):
        user_id = self.make_user(username, role=role, display_name=fields.pop("display_name", username.title()),
                                 **fields)
        if organisation_id is not None:
            with self.app.app_context():
                db.session.get(User, user_id).organisation_id = organisation_id
                db.session.commit()
        return user_id

    def cohort(self, name="Spring 2027", creator="tina", courses=("sample-course",), due_on=None, learners=(),
               **fields):
        with self.app.app_context():
            trainer = db.session.scalar(select(User).where(User.username == creator))
            cohort = cohorts.create_cohort(trainer.organisation_id, trainer, name=name, language="en", **fields)
            cohorts.assign_courses(cohort, list(courses), due_on)
            cohorts.add_existing_learners(trainer, cohort, list(learners))
            db.session.commit()
            return cohort.id

    def join_code(self, cohort_id):
        with self.app.app_context():
            return db.session.get(Cohort, cohort_id).join_code

    def learner_client(self, username):
        client = self.app.test_client()
        assert client.post("/account/login", data={"username": username, "password": PASSWORD}).status_code == 302
        return client


@pytest.fixture
def workspace(app, make_user):
    return Workspace(app, make_user)


def do_lesson(client, lesson="welcome", module="basics"):
    """Open a lesson of the sample course, then mark it done, as a learner does."""
    client.get(f"/courses/sample-course/{module}/{lesson}")
    return client.post(f"/courses/sample-course/{module}/{lesson}/done")


def take_quiz(client, catalog, wrong=False, choose=None):
    """Open and submit the sample course's first quiz, right or wrong; `choose` picks {question id: option html}."""
    quiz = catalog.course("sample-course").item("basics/check")
    page = client.get("/courses/sample-course/basics/check").get_data(as_text=True)
    form = answer_key_form(quiz, page=page, wrong=wrong)
    tokens = page_option_tokens(page)
    for question_id, option_html in (choose or {}).items():
        form["q-" + question_id] = tokens["q-" + question_id][option_html]
    form["attempt"] = re.search(r'name="attempt" value="(\d+)"', page).group(1)
    return client.post("/courses/sample-course/basics/check/submit", data=form)


TODAY = date.today()
