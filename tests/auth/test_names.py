"""Names that cannot spoof: no direction overrides or invisible characters, no look-alike usernames."""
import pytest
from sqlalchemy import select

from app.auth.names import clean_display_name, clean_username, username_skeleton
from app.extensions import db
from app.models import User


@pytest.mark.parametrize("typed, shown", [
    ("Mario \u202eossoR\u202c Rossi", "Mario ossoR Rossi"),
    ("Ma\u200bria\u2060", "Maria"),
    ("\u2067أمينة\u2069 حداد", "أمينة حداد"),
    ("\ufeffLayla\u200e", "Layla"),
    ("می\u200cخواهم", "می\u200cخواهم"),  # the Persian zero-width non-joiner shapes the word: kept in names
])
def test_display_names_lose_direction_overrides_and_invisible_characters(typed, shown):
    assert clean_display_name(typed) == shown


def test_usernames_lose_every_invisible_character():
    assert clean_username("ad\u200cmin\u202e") == "admin"


@pytest.mark.parametrize("lookalike", ["аdmin", "admіn", "ΑDMIN", "ａdmin"])
def test_usernames_confusable_across_scripts_share_a_skeleton(lookalike):
    assert username_skeleton(lookalike) == username_skeleton("admin")


def test_different_names_keep_different_skeletons():
    assert len({username_skeleton(name) for name in ("admin", "amina", "أمينة", "samir", "sam1r")}) == 5


def test_registering_a_lookalike_of_an_existing_username_is_refused(app, client, auth):
    auth.register(username="admin")
    auth.logout()
    response = auth.register(username="аdmin")  # Cyrillic а
    assert "looks too much like another one" in response.get_data(as_text=True)
    response = auth.register(username="асе")  # all Cyrillic, next to nothing: fine
    assert response.status_code == 200 and "Recovery codes" in response.get_data(as_text=True)
    auth.logout()
    assert "looks too much like another one" in auth.register(username="ace").get_data(as_text=True)


def test_a_spoofing_name_is_stored_clean(app, auth):
    auth.register(username="mario", display_name="Mario \u202eossoR\u202c Rossi")
    with app.app_context():
        assert db.session.scalar(select(User.display_name)) == "Mario ossoR Rossi"
