"""Administration: roles."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import User


def role_of(app, username):
    with app.app_context():
        return db.session.scalar(select(User.role).where(User.username == username))


def test_admin_makes_a_trainer(client, auth, make_user, app):
    make_user("tina")
    auth.as_new_user("boss", role="admin")
    with app.app_context():
        tina = db.session.scalar(select(User.id).where(User.username == "tina"))
    assert client.post(f"/admin/users/{tina}/role", data={"role": "trainer"}).status_code == 302
    assert role_of(app, "tina") == "trainer"


def test_unknown_role_and_user_are_refused(client, auth, app):
    auth.as_new_user("boss", role="admin")
    with app.app_context():
        boss = db.session.scalar(select(User.id).where(User.username == "boss"))
    assert client.post(f"/admin/users/{boss}/role", data={"role": "emperor"}).status_code == 400
    assert client.post("/admin/users/9999/role", data={"role": "trainer"}).status_code == 404


def test_an_admin_cannot_demote_themselves(client, auth, app):
    auth.as_new_user("boss", role="admin")
    with app.app_context():
        boss = db.session.scalar(select(User.id).where(User.username == "boss"))
    client.post(f"/admin/users/{boss}/role", data={"role": "learner"})
    assert role_of(app, "boss") == "admin"


def test_trainers_cannot_change_roles(client, auth, make_user, app):
    make_user("amina")
    auth.as_new_user("tina", role="trainer")
    assert client.post("/admin/users/1/role", data={"role": "admin"}).status_code == 403
    assert role_of(app, "tina") == "trainer"


@pytest.mark.parametrize("lang, names", [
    ("it", ("Partecipante", "Formatore", "Amministratore")),
    ("ar", ("متعلّم", "مدرّب", "مسؤول")),
])
def test_role_names_are_translated(client, auth, lang, names):
    auth.as_new_user("boss", role="admin", locale=lang)
    html = client.get("/admin/").get_data(as_text=True)
    for value, name in zip(("learner", "trainer", "admin"), names):
        assert f'<option value="{value}"' in html and f">{name}</option>" in html
    assert ">admin</option>" not in html
    profile = client.get("/account/profile").get_data(as_text=True)
    assert f"<dd>{names[2]}</dd>" in profile
