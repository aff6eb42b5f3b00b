"""Fixtures of the editor's tests: a trainer allowed to edit the sample course, with a draft started."""
from pathlib import Path

import pytest
from sqlalchemy import select

from app.authoring import permissions
from app.extensions import db
from app.models import User


@pytest.fixture
def trainer(app, client, auth, make_user):
    """The client logged in as Tina, a trainer an admin allowed to edit the sample course, who started its draft."""
    admin = make_user("ada", role="admin", display_name="Ada Admin")
    auth.as_new_user("tina", role="trainer", display_name="Tina Trainer")
    with app.app_context():
        admin, tina = db.session.get(User, admin), db.session.scalar(select(User).filter_by(username="tina"))
        permissions.grant(admin, tina, "sample-course")
        db.session.commit()
    client.post("/authoring/sample-course/draft")
    return client


@pytest.fixture
def draft(trainer, app):
    """The folder of the sample course's draft."""
    return Path(app.instance_path) / "drafts" / "sample-course"
