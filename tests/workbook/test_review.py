"""Operator review: explicit consent, read-only plan, comments where they apply, ready mark, 404 elsewhere."""
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.workbook.models import PlanShare
from tests.cohorts.conftest import Workspace
from tests.workbook.conftest import GOOD, URL

OVERVIEW = "/workbook/sample-course"


def ids(app):
    with app.app_context():
        return {user.username: user.id for user in db.session.scalars(select(User))}


def setup(app, client, auth, make_user):
    workspace = Workspace(app, make_user)
    workspace.person("tina", role="trainer", display_name="Tina Trainer")
    other = workspace.organisation("Other NGO")
    workspace.person("otto", role="trainer", organisation_id=other, display_name="Otto Outsider")
    auth.as_new_user("amina", display_name="Amina Haddad")
    client.post(URL + "/save", data={**GOOD, "product": "Amina's <b>wraps</b>"})
    return ids(app)


def share(client, reviewer_id, consent="y"):
    return client.post(OVERVIEW + "/share", data={"reviewer": reviewer_id, **({"consent": consent} if consent else {})})


def test_sharing_needs_consent_and_a_trainer_of_the_learners_organisation(app, client, auth, make_user):
    people = setup(app, client, auth, make_user)
    page = client.get(OVERVIEW).get_data(as_text=True)
    assert "Tina Trainer" in page and "Otto Outsider" not in page
    share(client, people["tina"], consent=None)
    share(client, people["otto"])
    with app.app_context():
        assert db.session.scalar(select(PlanShare.id)) is None
    assert share(client, people["tina"]).status_code == 302
    assert "Shared with Tina Trainer" in client.get(OVERVIEW).get_data(as_text=True)


def test_the_reviewer_reads_comments_and_marks_ready_and_the_learner_sees_it(app, client, auth, make_user):
    people = setup(app, client, auth, make_user)
    share(client, people["tina"])
    auth.logout()
    auth.login("tina")
    listing = client.get("/review").get_data(as_text=True)
    assert "Amina Haddad" in listing and "New: not commented yet" in listing
    with app.app_context():
        share_id = db.session.scalar(select(PlanShare.id))
    page = client.get(f"/review/{share_id}").get_data(as_text=True)
    assert "Amina&#39;s &lt;b&gt;wraps&lt;/b&gt;" in page and "<b>wraps</b>" not in page  # escaped, read-only
    assert URL + "/save" not in page
    response = client.post(f"/review/{share_id}/comments",
                           data={"place": "numbers/plan#price", "body": "Is <i>6 €</i> right for your street?"})
    assert response.status_code == 302
    assert client.post(f"/review/{share_id}/comments", data={"place": "numbers/plan#nope", "body": "x"}).status_code == 422
    assert client.post(f"/review/{share_id}/comments",
                       data={"place": "numbers/plan", "body": "y" * 2001}).status_code == 422
    client.post(f"/review/{share_id}/ready")
    assert "Ready for the interview" in client.get("/review").get_data(as_text=True)
    auth.logout()
    make_user("samir", display_name="Samir Nasser")
    auth.login("samir")  # another learner: nothing of Amina's plan on his page
    home = client.get("/").get_data(as_text=True)
    assert "new comment" not in home and "Ready for the interview" not in home
    auth.logout()
    auth.login("amina")
    home = client.get("/").get_data(as_text=True)
    assert "1 new comment from your trainer" in home and "Ready for the interview" in home
    sheet = client.get(URL).get_data(as_text=True)
    assert "Is &lt;i&gt;6 €&lt;/i&gt; right for your street?" in sheet
    assert sheet.index("Is &lt;i&gt;6") > sheet.index('id="f-price"')  # under the field it is about
    client.get(OVERVIEW)  # seen
    assert "new comment" not in client.get("/").get_data(as_text=True)


def test_withdrawing_closes_the_plan_to_the_reviewer(app, client, auth, make_user):
    people = setup(app, client, auth, make_user)
    share(client, people["tina"])
    with app.app_context():
        share_id = db.session.scalar(select(PlanShare.id))
    assert client.post(f"{OVERVIEW}/shares/{share_id}/withdraw").status_code == 302
    assert "No longer shared with Tina Trainer" in client.get(OVERVIEW).get_data(as_text=True)
    auth.logout()
    auth.login("tina")
    assert client.get(f"/review/{share_id}").status_code == 404
    assert "Amina Haddad" not in client.get("/review").get_data(as_text=True)


def test_other_people_get_404(app, client, auth, make_user):
    people = setup(app, client, auth, make_user)
    share(client, people["tina"])
    with app.app_context():
        share_id = db.session.scalar(select(PlanShare.id))
    Workspace(app, make_user).person("tom", role="trainer")
    make_user("samir")
    auth.logout()
    auth.login("tom")  # a trainer of the same organisation it was not shared with
    assert client.get(f"/review/{share_id}").status_code == 404
    assert client.post(f"/review/{share_id}/comments", data={"place": "numbers/plan", "body": "x"}).status_code == 404
    auth.logout()
    auth.login("samir")  # another learner
    assert client.post(f"{OVERVIEW}/shares/{share_id}/withdraw").status_code == 404
    assert client.get(f"/review/{share_id}").status_code == 403
