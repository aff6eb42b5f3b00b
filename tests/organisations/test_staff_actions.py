"""Careful staff actions: password reset asks first, shows the password isolated, and is audited."""
import re

from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.organisations.models import AuditEvent, Organisation
from tests.cohorts.conftest import Workspace
from tests.conftest import PASSWORD


def _user_id(app, username):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def test_a_reset_asks_first_then_shows_the_password_isolated_and_is_audited(app, client, auth, make_user):
    make_user("amina", display_name="أمينة حداد")
    old_session = app.test_client()
    old_session.post("/account/login", data={"username": "amina", "password": PASSWORD})
    auth.as_new_user("tina", role="trainer")
    amina = _user_id(app, "amina")
    confirm = client.get(f"/trainer/people/{amina}/password").get_data(as_text=True)
    assert "Yes, give a new password" in confirm and "أمينة حداد" in confirm
    assert old_session.get("/account/profile").status_code == 200  # asking changed nothing
    response = client.post(f"/trainer/people/{amina}/password")
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    box = re.search(r'<p class="password-box" dir="ltr"><output id="new-password">([a-z0-9-]{14})</output></p>', html)
    assert box, "the password sits alone in a left-to-right box"
    assert '<bdi class="person">أمينة حداد</bdi>' in html
    assert old_session.get("/account/profile").status_code == 302  # her old sessions end
    fresh = app.test_client()
    assert fresh.post("/account/login", data={"username": "amina", "password": box.group(1)}).status_code == 302
    assert fresh.get("/courses/sample-course").headers["Location"] == "/account/password"  # her own password first
    with app.app_context():
        event = db.session.scalar(select(AuditEvent))
        assert (event.action, event.actor.username, event.subject.username) == ("password_reset", "tina", "amina")


def test_only_organisation_admins_reset_staff_passwords_and_read_the_audit_log(app, client, auth, make_user):
    make_user("other", role="trainer")
    auth.as_new_user("tina", role="trainer")
    other = _user_id(app, "other")
    assert client.post(f"/trainer/people/{other}/password").status_code == 403
    assert client.post("/trainer/people/9999/password").status_code == 404
    assert client.get("/organisation/audit").status_code == 403
    with app.app_context():
        db.session.get(User, _user_id(app, "tina")).organisation_admin = True
        db.session.commit()
    assert client.post(f"/trainer/people/{other}/password").status_code == 200
    log = client.get("/organisation/audit").get_data(as_text=True)
    assert "gave a new password to" in log and "other</bdi>" in log


def test_the_audit_log_shows_only_the_own_organisation(app, client, make_user):
    workspace = Workspace(app, make_user)
    workspace.person("tina", role="trainer")
    workspace.person("amina")
    admin = app.test_client()
    admin.post("/account/login", data={"username": "tina", "password": PASSWORD})
    admin.post(f"/trainer/people/{_user_id(app, 'amina')}/password")
    other = workspace.organisation("Other NGO")
    workspace.person("bruno", role="trainer", organisation_id=other)
    with app.app_context():
        db.session.get(User, _user_id(app, "bruno")).organisation_admin = True
        db.session.commit()
    client.post("/account/login", data={"username": "bruno", "password": PASSWORD})
    assert "No staff actions recorded yet." in client.get("/organisation/audit").get_data(as_text=True)


def test_platform_admins_create_organisations_and_move_people(app, client, auth, make_user):
    make_user("tina", role="trainer")
    auth.as_new_user("boss", role="admin")
    response = client.post("/admin/organisations", data={"name": "Rete Migranti Torino", "slug": ""})
    assert response.status_code == 302
    with app.app_context():
        organisation = db.session.scalar(select(Organisation).where(Organisation.slug == "rete-migranti-torino"))
    again = client.post("/admin/organisations", data={"name": "Rete Migranti Torino", "slug": ""})
    assert "Another organisation uses this short name." in again.get_data(as_text=True)
    client.post(f"/admin/organisations/{organisation.id}", data={"action": "move", "move-username": "tina"})
    with app.app_context():
        assert db.session.get(User, _user_id(app, "tina")).organisation_id == organisation.id
    page = client.get("/admin/organisations").get_data(as_text=True)
    assert "Rete Migranti Torino" in page
