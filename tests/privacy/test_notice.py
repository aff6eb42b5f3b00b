"""The privacy notice: shown at registration in the user's language, accepted with version and time, asked again."""

from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.models.base import utcnow
from app.privacy.notice import NOTICE_VERSION


def user(app, username):
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def test_registration_shows_the_notice_with_the_configured_contact(app, client):
    app.config["PRIVACY_CONTACT"] = "privacy@ngo.example"
    page = client.get("/account/register?lang=en").get_data(as_text=True)
    assert "Your data in Soglia" in page and "privacy@ngo.example" in page and "Soglia Test NGO" in page
    assert "24 months" in page and 'name="accept_notice"' in page


def test_the_notice_is_in_the_users_language(client):
    page = client.get("/account/register?lang=it").get_data(as_text=True)
    assert "I tuoi dati in Soglia" in page and "Your data in Soglia" not in page
    assert "I tuoi dati in Soglia" not in client.get("/account/register?lang=ar").get_data(as_text=True)


def test_without_a_contact_the_notice_says_ask_your_trainer(client):
    assert "ask your trainer" in client.get("/privacy/").get_data(as_text=True)


def test_registering_without_accepting_is_refused(app, auth):
    response = auth.register(username="amina", accept_notice="")
    assert response.status_code == 200 and "Please read the privacy notice" in response.get_data(as_text=True)
    assert user(app, "amina") is None


def test_registering_records_version_and_time(app, auth):
    before = utcnow()
    auth.register(username="amina")
    found = user(app, "amina")
    assert found.notice_version == NOTICE_VERSION
    assert before <= found.notice_accepted_at <= utcnow()


def test_a_new_notice_version_is_asked_again_then_the_page_opens(app, client, auth):
    auth.as_new_user("amina")
    assert client.get("/account/profile").status_code == 200
    app.config["PRIVACY_NOTICE_VERSION"] = "2027-01-01"
    response = client.get("/account/profile")
    assert response.status_code == 302 and response.headers["Location"].startswith("/privacy/")
    assert client.post("/account/profile", data={}).status_code == 302  # no change before accepting
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Please read how Soglia uses your data" in page and "2027-01-01" in page
    assert client.post(response.headers["Location"], data={}).status_code == 200  # the box must be ticked
    accepted = client.post(response.headers["Location"], data={"accept": "y"})
    assert accepted.headers["Location"] == "/account/profile"
    assert user(app, "amina").notice_version == "2027-01-01"
    assert client.get("/account/profile").status_code == 200


def test_an_account_made_by_a_trainer_sees_the_notice_at_first_login(app, client, auth, make_user):
    auth.as_new_user("teacher", role="trainer")
    page = client.post("/account/new-learner", data={"display_name": "Yonas Tesfaye", "username": "yonas",
                                                      "locale": "en", "track": "entrepreneur"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "First password" in html and page.headers["Cache-Control"] == "no-store"
    password = html.split('class="secret">')[2].split("<")[0]
    assert user(app, "yonas").notice_version is None
    auth.logout()
    login = client.post("/account/login", data={"username": "yonas", "password": password})
    assert login.status_code == 302
    assert client.get("/").headers["Location"].startswith("/privacy/")


def test_learners_cannot_make_accounts(client, auth):
    auth.as_new_user("amina")
    assert client.get("/account/new-learner").status_code == 403


def test_the_home_page_tells_the_retention_rule(app, client, auth):
    auth.as_new_user("amina")
    assert "an account not used for 24 months is deleted" in client.get("/").get_data(as_text=True)


def test_every_page_links_to_the_notice(client):
    assert 'href="/privacy/"' in client.get("/").get_data(as_text=True)
    assert "Your data in Soglia" in client.get("/privacy/").get_data(as_text=True)
