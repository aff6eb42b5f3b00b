"""Following learners: dashboard (filters, search, sort, pages, constant SQL), learner detail, item analysis."""
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from app.cohorts.models import Cohort, CohortCourse
from app.cohorts.operations import add_existing_learners
from app.extensions import db
from app.models import Enrolment, LessonProgress, User
from tests.cohorts.conftest import do_lesson, take_quiz
from tests.conftest import PASSWORD


@pytest.fixture
def cohort(client, workspace):
    workspace.person("tina", role="trainer")
    ids = [workspace.person(name, display_name=name.title()) for name in ("amina", "luca", "omar")]
    cohort_id = workspace.cohort(learners=ids, due_on=date.today() + timedelta(days=10))
    client.post("/account/login", data={"username": "tina", "password": PASSWORD})
    return cohort_id


def _rows(html):
    """{learner name: text of their progress table}."""
    return {name: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)) for name, body in re.findall(
        r'<h2><a href="/trainer/learners/\d+" dir="auto">([^<]+)</a>(.*?)</li>', html, re.S)}


def test_the_dashboard_shows_each_learner_per_course(app, client, workspace, cohort, catalog):
    amina = workspace.learner_client("amina")
    do_lesson(amina)
    take_quiz(amina, catalog)
    html = client.get(f"/trainer/cohorts/{cohort}/").get_data(as_text=True)
    rows = _rows(html)
    assert set(rows) == {"Amina", "Luca", "Omar"}
    assert "1/3" in rows["Amina"] and "1/2" in rows["Amina"] and "100%" in rows["Amina"] and "On track" in rows["Amina"]
    assert "0/3" in rows["Luca"] and "Not started" in rows["Luca"]
    assert "Learners by progress" in html and "<svg" in html and not re.search(r'<script(?![^>]* src="/)', html)


def test_filters_search_sort_and_late(app, client, workspace, cohort, catalog):
    do_lesson(workspace.learner_client("luca"))
    assert set(_rows(client.get(f"/trainer/cohorts/{cohort}/?q=LUC").get_data(as_text=True))) == {"Luca"}
    assert set(_rows(client.get(f"/trainer/cohorts/{cohort}/?show=late").get_data(as_text=True))) == set()
    inactive = _rows(client.get(f"/trainer/cohorts/{cohort}/?show=inactive&days=7").get_data(as_text=True))
    assert set(inactive) == {"Amina", "Omar"}
    by_progress = client.get(f"/trainer/cohorts/{cohort}/?sort=progress").get_data(as_text=True)
    assert list(_rows(by_progress))[0] == "Luca"
    with app.app_context():
        db.session.execute(update(CohortCourse).values(due_on=date.today() - timedelta(days=1)))
        db.session.commit()
    late = client.get(f"/trainer/cohorts/{cohort}/?show=late").get_data(as_text=True)
    assert set(_rows(late)) == {"Amina", "Luca", "Omar"} and "Late" in _rows(late)["Luca"]
    assert client.get(f"/trainer/cohorts/{cohort}/?days=abc&sort=evil&show=x").status_code == 200


def test_inactive_counts_days_since_the_last_activity(app, client, workspace, cohort):
    do_lesson(workspace.learner_client("amina"))
    with app.app_context():
        long_ago = datetime.now(timezone.utc) - timedelta(days=30)
        db.session.execute(update(LessonProgress).values(completed_at=long_ago))
        db.session.execute(update(Enrolment).values(last_viewed_at=long_ago))
        db.session.commit()
    assert "Amina" in _rows(client.get(f"/trainer/cohorts/{cohort}/?show=inactive&days=14").get_data(as_text=True))
    assert "Amina" not in _rows(client.get(f"/trainer/cohorts/{cohort}/?show=inactive&days=60").get_data(as_text=True))


def test_the_dashboard_runs_the_same_statements_for_3_or_40_learners(app, client, workspace, cohort, catalog,
                                                                     count_queries):
    do_lesson(workspace.learner_client("amina"))
    with count_queries() as small:
        assert client.get(f"/trainer/cohorts/{cohort}/").status_code == 200
    many = [workspace.person(f"learner{n}") for n in range(37)]
    with app.app_context():
        add_existing_learners(db.session.get(User, 1), db.session.get(Cohort, cohort), many)
        db.session.commit()
    for username in ("learner1", "learner2"):
        learner = workspace.learner_client(username)
        do_lesson(learner)
        take_quiz(learner, catalog, wrong=True)
    with count_queries() as large:
        html = client.get(f"/trainer/cohorts/{cohort}/?page=2").get_data(as_text=True)
    assert len(_rows(html)) == 15 and "Page 2 of 2" in html
    assert large.count == small.count


def test_the_learner_page_shows_the_timeline_with_answers(app, client, workspace, cohort, catalog, count_queries):
    amina = workspace.learner_client("amina")
    do_lesson(amina)
    take_quiz(amina, catalog, wrong=True)
    with app.app_context():
        amina_id = db.session.scalar(select(User.id).where(User.username == "amina"))
    html = client.get(f"/trainer/learners/{amina_id}").get_data(as_text=True)
    assert re.search(r"Lesson done: <span dir=\"auto\">Welcome</span>", html)
    assert "attempt 1" in html and "Not passed" in html
    assert "Your bank and another bank" in html or "Prices in two shops" in html  # her wrong choice, in words
    assert "Spring 2027" in html
    with count_queries() as first:
        client.get(f"/trainer/learners/{amina_id}")
    take_quiz(amina, catalog)
    do_lesson(amina, "saving")
    with count_queries() as second:
        client.get(f"/trainer/learners/{amina_id}")
    assert first.count == second.count


def test_item_analysis_finds_the_hardest_question_and_the_most_chosen_wrong_answer(
        app, client, workspace, cohort, catalog, count_queries):
    wrong_budget = {"budget-compares": "Prices in two shops"}
    take_quiz(workspace.learner_client("amina"), catalog, choose=wrong_budget)
    take_quiz(workspace.learner_client("luca"), catalog, choose=wrong_budget)
    take_quiz(workspace.learner_client("omar"), catalog, choose={"budget-compares": "Your bank and another bank"})
    url = f"/trainer/cohorts/{cohort}/quizzes/sample-course/basics/check"
    with count_queries() as counted:
        html = client.get(url).get_data(as_text=True)
    hardest = re.search(r'<p class="notice" id="hardest">(.*?)</p>', html, re.S).group(1)
    assert "What does a budget compare?" in hardest and "0% right" in hardest
    assert re.search(r"<strong>Most chosen:</strong> Prices in two shops — 2", html)
    assert "Your bank and another bank — 1" in html
    assert "100% right (3 of 3 answers)" in html  # the other questions
    assert "Share of right answers per question" in html and "<svg" in html
    take_quiz(workspace.learner_client("amina"), catalog)
    with count_queries() as again:
        client.get(url)
    assert again.count == counted.count
    assert client.get(f"/trainer/cohorts/{cohort}/quizzes/sample-course/basics/welcome").status_code == 404
