"""Ideas calls: opening, submitting a frozen copy before the deadline, scoring blind, ranking, conflicts, CSV."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.calls.models import Call, Score, Submission
from app.extensions import db
from app.models import User
from app.models.base import utcnow
from tests.cohorts.conftest import Workspace
from tests.workbook.conftest import GOOD, URL


@pytest.fixture
def people(app, make_user):
    workspace = Workspace(app, make_user)
    for username in ("ada", "jay", "joe"):
        workspace.person(username, role="trainer", display_name=username.capitalize())
    other = workspace.organisation("Other NGO")
    workspace.person("otto", role="trainer", organisation_id=other)
    for username in ("amina", "samir"):
        make_user(username, display_name=username.capitalize())
    with app.app_context():
        db.session.execute(update(User).where(User.username == "ada").values(organisation_admin=True))
        db.session.commit()
        return {user.username: user.id for user in db.session.scalars(select(User))}


def as_user(auth, username):
    auth.logout()
    assert auth.login(username).status_code == 302


def open_call(client, people, deadline=None):
    deadline = deadline or (utcnow() + timedelta(days=7))
    return client.post("/calls/new", data={
        "title": "Dream Big! 2027", "description": "Ideas for the neighbourhood", "course": "sample-course",
        "deadline": deadline.strftime("%Y-%m-%dT%H:%M"), "worksheets": ["sample-course:numbers/plan"],
        "rubric": "Clear idea | 2\nNumbers that hold | 1", "jurors": [people["jay"], people["joe"]]})


def call_id(app):
    with app.app_context():
        return db.session.scalar(select(Call.id))


def scores(client, call, submission, first, second):
    criteria = sorted(Criterion_ids(client.application, call))
    return client.post(f"/calls/{call}/submissions/{submission}", data={
        f"score-{criteria[0]}": first, f"comment-{criteria[0]}": "ok", f"score-{criteria[1]}": second})


def Criterion_ids(app, call):  # noqa: N802
    from app.calls.models import Criterion
    with app.app_context():
        return list(db.session.scalars(select(Criterion.id).where(Criterion.call_id == call)))


def submission_of(app, username):
    with app.app_context():
        return db.session.scalar(select(Submission.id).join(User, User.id == Submission.learner_id)
                                 .where(User.username == username))


def test_a_call_from_opening_to_ranking(app, client, auth, people):
    as_user(auth, "ada")
    assert open_call(client, people).status_code == 302
    call = call_id(app)
    as_user(auth, "amina")
    page = client.get(f"/calls/{call}").get_data(as_text=True)
    assert "Clear idea" in page and "Submit my plan" in page
    client.post(f"/calls/{call}/submit")
    assert submission_of(app, "amina") is None  # the worksheet is not complete yet
    client.post(URL + "/save", data=GOOD)
    client.post(f"/calls/{call}/submit")
    assert submission_of(app, "amina") is not None
    client.post(URL + "/save", data={**GOOD, "product": "Changed later"})
    as_user(auth, "samir")
    client.post(URL + "/save", data={**GOOD, "product": "Samir's wraps"})
    client.post(f"/calls/{call}/submit")
    amina, samir = submission_of(app, "amina"), submission_of(app, "samir")

    as_user(auth, "jay")
    page = client.get(f"/calls/{call}/submissions/{amina}").get_data(as_text=True)
    assert "Wraps" in page and "Changed later" not in page  # the frozen copy
    assert scores(client, call, amina, "8", "6").status_code == 302
    assert scores(client, call, samir, "4", "4").status_code == 302
    page = scores(client, call, amina, "10", "10").get_data(as_text=True)
    assert "You have already scored this plan" in page

    as_user(auth, "joe")
    page = client.get(f"/calls/{call}/submissions/{amina}").get_data(as_text=True)
    assert "Mean weighted score of the jury" not in page  # Jay's scores stay hidden until Jo scores
    assert scores(client, call, amina, "11", "5").status_code == 422
    scores(client, call, amina, "7", "7")  # Jay: (8×2 + 6×1) ÷ 3 = 7.33; Jo: 7
    page = client.get(f"/calls/{call}/submissions/{amina}").get_data(as_text=True)
    assert "Mean weighted score of the jury so far: 7.17 out of 10 (2 jurors, spread 0.33)" in page

    as_user(auth, "ada")
    page = client.get(f"/calls/{call}/results").get_data(as_text=True)
    assert page.index("Amina") < page.index("Samir") and "7.17" in page and "4.00" in page
    csv = client.get(f"/calls/{call}/results.csv").get_data(as_text=True)
    assert csv.splitlines()[1].startswith("1,Amina,") and ",7.17,0.33,2" in csv.splitlines()[1]


def test_one_score_per_criterion_and_juror_is_a_database_rule(app, client, auth, people):
    as_user(auth, "ada")
    open_call(client, people)
    call = call_id(app)
    as_user(auth, "amina")
    client.post(URL + "/save", data=GOOD)
    client.post(f"/calls/{call}/submit")
    with app.app_context():
        criterion = Criterion_ids(app, call)[0]
        row = {"submission_id": submission_of(app, "amina"), "criterion_id": criterion, "juror_id": people["jay"],
               "value": 5, "comment": ""}
        db.session.add(Score(**row))
        db.session.commit()
        db.session.add(Score(**row))
        with pytest.raises(IntegrityError):
            db.session.commit()


def test_after_the_deadline_submitting_and_withdrawing_are_refused(app, client, auth, people):
    as_user(auth, "ada")
    open_call(client, people)
    call = call_id(app)
    as_user(auth, "amina")
    client.post(URL + "/save", data=GOOD)
    client.post(f"/calls/{call}/submit")
    assert "Withdraw my submission" in client.get(f"/calls/{call}").get_data(as_text=True)
    client.post(f"/calls/{call}/withdraw")
    assert submission_of(app, "amina") is None
    with app.app_context():
        db.session.execute(update(Call).values(deadline=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    page = client.post(f"/calls/{call}/submit", follow_redirects=True).get_data(as_text=True)
    assert "The deadline of this call has passed" in page and submission_of(app, "amina") is None


def test_a_juror_who_reviewed_the_plan_cannot_score_it(app, client, auth, people):
    as_user(auth, "ada")
    open_call(client, people)
    call = call_id(app)
    as_user(auth, "amina")
    client.post(URL + "/save", data=GOOD)
    client.post("/workbook/sample-course/share", data={"reviewer": people["jay"], "consent": "y"})
    client.post(f"/calls/{call}/submit")
    as_user(auth, "jay")
    assert "Conflict of interest" in client.get(f"/calls/{call}").get_data(as_text=True)
    response = scores(client, call, submission_of(app, "amina"), "10", "10")
    assert response.status_code == 422 and "conflict of interest" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Score.id)) is None


def test_calls_of_another_organisation_and_other_roles_are_closed(app, client, auth, people):
    as_user(auth, "ada")
    open_call(client, people)
    call = call_id(app)
    as_user(auth, "otto")
    assert client.get(f"/calls/{call}").status_code == 404
    assert client.post(f"/calls/{call}/submit").status_code == 404
    as_user(auth, "amina")
    assert client.get(f"/calls/{call}/results").status_code == 403
    assert client.get("/calls/new").status_code == 403
    client.post(URL + "/save", data=GOOD)
    client.post(f"/calls/{call}/submit")
    assert client.get(f"/calls/{call}/submissions/{submission_of(app, 'amina')}").status_code == 404


def test_opening_a_call_checks_the_rubric_and_the_deadline(app, client, auth, people):
    as_user(auth, "ada")
    response = client.post("/calls/new", data={
        "title": "X", "course": "sample-course", "deadline": (utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "worksheets": ["sample-course:numbers/plan"], "rubric": "Good idea | 2\nno weight here", "jurors": [people["jay"]]})
    assert response.status_code == 422 and "Criteria line 2" in response.get_data(as_text=True)
    response = open_call(client, people, deadline=utcnow() - timedelta(days=1))
    assert response.status_code == 422 and "The deadline must be in the future" in response.get_data(as_text=True)
    assert call_id(app) is None
