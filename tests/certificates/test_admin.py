"""Revoking and reinstating through the admin pages: audited, admins only, and shown on the public page at once."""
import pytest
from flask_babel import format_date
from sqlalchemy import select

from app.extensions import db
from app.models import CertificateEvent, User
from app.services.certificates import find_certificate


def events(app):
    with app.app_context():
        return [(event.action, event.actor.username, event.reason)
                for event in db.session.scalars(select(CertificateEvent).order_by(CertificateEvent.id))]


def verdict(client, code):
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    return page.split('<p class="verdict', 1)[1].split("</p>", 1)[0]


def test_an_admin_revokes_and_reinstates_with_reasons_and_the_public_page_follows(client, auth, app, issue):
    code = issue()
    auth.as_new_user("boss", role="admin", display_name="The Boss")
    assert "Valid" in verdict(client, code)
    response = client.post(f"/admin/certificates/{code.lower()}", data={"reason": "  Copied answers  "})
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/certificates/{code}"
    assert events(app) == [("revoked", "boss", "Copied answers")]
    assert "Revoked" in verdict(client, code)
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Copied answers" not in page  # the detailed reason is for administrators only
    with app.app_context():
        revoked_at = find_certificate(code).revoked_at
    with app.test_request_context():
        assert format_date(revoked_at) in page
    client.post(f"/admin/certificates/{code}", data={"reason": "Appeal upheld"})
    assert events(app) == [("revoked", "boss", "Copied answers"), ("reinstated", "boss", "Appeal upheld")]
    assert "Valid" in verdict(client, code)
    assert "Copied answers" not in client.get(f"/verify/{code}").get_data(as_text=True)
    history = client.get(f"/admin/certificates/{code}").get_data(as_text=True)
    assert "Copied answers" in history and "Appeal upheld" in history


def test_a_reason_is_required(client, auth, app, issue):
    code = issue()
    auth.as_new_user("boss", role="admin")
    client.post(f"/admin/certificates/{code}", data={"reason": "   "})
    assert events(app) == [] and "Valid" in verdict(client, code)


@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_learners_and_trainers_may_not_revoke(client, auth, app, issue, role):
    code = issue()
    auth.as_new_user("someone", role=role)
    assert client.get(f"/admin/certificates/{code}").status_code == 403
    assert client.post(f"/admin/certificates/{code}", data={"reason": "Because"}).status_code == 403
    assert events(app) == [] and "Valid" in verdict(client, code)


def test_the_holder_may_not_revoke_their_own_certificate(client, auth, app, issue):
    code = issue()
    auth.login()
    assert client.post(f"/admin/certificates/{code}", data={"reason": "Mine"}).status_code == 403
    with app.app_context():
        assert not find_certificate(code).is_revoked
        assert db.session.scalar(select(User.role).where(User.username == "amina")) == "learner"
