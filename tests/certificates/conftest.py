"""Certificate test helpers: complete the sample course as a learner would, or issue a certificate directly."""
import re

import pytest

from app.extensions import db
from app.models import User
from app.services.certificates import format_code, issue_certificate
from tests.conftest import answer_key_form


def complete_course(client, course):
    """Mark every lesson done and pass every quiz of `course` through the client."""
    for item in course.items:
        url = f"/courses/{course.slug}/{item.module_slug}/{item.slug}"
        if item.kind == "lesson":
            assert client.post(url + "/done").status_code == 302
            continue
        html = client.get(url).get_data(as_text=True)
        attempt = re.search(r'name="attempt" value="(\d+)"', html).group(1)
        assert client.post(url + "/submit", data={"attempt": attempt, **answer_key_form(item, html)}).status_code == 302


@pytest.fixture(autouse=True)
def _pdfs_in_tmp(request, tmp_path):
    """Rendered PDFs go to the test's own folder, never the real instance folder."""
    if "app" in request.fixturenames:
        request.getfixturevalue("app").config["CERTIFICATE_PDF_DIR"] = str(tmp_path / "pdfs")


@pytest.fixture
def issue(app, make_user):
    """Make a learner and issue them the sample course's certificate; returns the formatted code."""

    def factory(username="amina", display_name="Amina Haddad", email=None, target_app=None, **fields):
        target = target_app or app
        user_id = make_user(username=username, display_name=display_name, target_app=target, **fields)
        with target.app_context():
            user = db.session.get(User, user_id)
            user.email = email
            course = target.extensions["soglia.catalog"].course("sample-course")
            code = issue_certificate(user, course, target.config["ORGANISATION_NAME"]).code
            db.session.commit()
        return format_code(code)

    return factory
