"""The workspace's queries on SQLite and PostgreSQL: JSON responses grouped, dates compared, all-or-nothing import."""
from datetime import date
from functools import partial

import pytest
from sqlalchemy import func, select

from app.cohorts.models import CohortMember
from app.extensions import db
from app.models import User
from tests.cohorts.conftest import Workspace, do_lesson, take_quiz
from tests.conftest import PASSWORD, run_concurrently


@pytest.fixture
def db_workspace(any_db_app, make_user):
    workspace = Workspace(any_db_app, partial(make_user, target_app=any_db_app))
    workspace.person("tina", role="trainer")
    learners = [workspace.person(name) for name in ("amina", "luca")]
    workspace.cohort(learners=learners)
    trainer = any_db_app.test_client()
    trainer.post("/account/login", data={"username": "tina", "password": PASSWORD})
    return workspace, trainer


def test_item_analysis_report_and_dashboard_on_each_database(any_db_app, db_workspace):
    workspace, trainer = db_workspace
    catalog = any_db_app.extensions["soglia.catalog"]
    for username in ("amina", "luca"):
        learner = workspace.learner_client(username)
        do_lesson(learner)
        take_quiz(learner, catalog, choose={"budget-compares": "Prices in two shops"})
    analysis = trainer.get("/trainer/cohorts/1/quizzes/sample-course/basics/check").get_data(as_text=True)
    assert "<strong>Most chosen:</strong> Prices in two shops — 2" in analysis
    today = date.today().isoformat()
    report = trainer.get(f"/trainer/report.csv?start={today}&end={today}").get_data(as_text=True)
    assert "all people,,2,2,0,0" in report
    dashboard = trainer.get("/trainer/cohorts/1/?sort=activity&show=inactive&days=1").get_data(as_text=True)
    assert "No learners match." in dashboard  # both were active today


def test_an_import_with_one_taken_username_creates_nobody(any_db_app, db_workspace):
    _workspace, trainer = db_workspace
    pasted = "display_name,username\n" + "".join(f"New {n},new{n}\n" for n in range(5)) + "Again,amina\n"
    assert trainer.post("/trainer/cohorts/1/import", data={"pasted": pasted}).status_code == 400
    with any_db_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 3


def test_joining_twice_at_once_makes_one_membership(any_db_app, db_workspace):
    workspace, _trainer = db_workspace
    code = workspace.join_code(1)
    newcomer = workspace.person("omar")

    def join():
        from app.cohorts import operations

        return operations.join_with_code(db.session.get(User, newcomer), code)

    results, errors = run_concurrently(any_db_app, join, times=4)
    assert errors == []
    with any_db_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CohortMember)
                                 .where(CohortMember.user_id == newcomer)) == 1
