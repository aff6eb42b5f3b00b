"""Languages: preference, then ?lang=, then Accept-Language; right direction for Arabic."""
import pytest


def page(client, *args, **kwargs):
    return client.get(*args, **kwargs).get_data(as_text=True)


def test_accept_language_picks_the_ui_language(client):
    html = page(client, "/", headers={"Accept-Language": "it-IT,it;q=0.9,en;q=0.5"})
    assert '<html lang="it" dir="ltr">' in html
    assert "Corsi" in html  # translated navigation


def test_lang_parameter_wins_over_the_browser_and_is_remembered(client):
    html = page(client, "/?lang=ar", headers={"Accept-Language": "it"})
    assert '<html lang="ar" dir="rtl">' in html
    assert '<html lang="ar" dir="rtl">' in page(client, "/courses/sample-course", headers={"Accept-Language": "it"})


@pytest.mark.parametrize("query", ["?lang=ar", "?page=2&lang=ar", "?l%61ng=ar"])
def test_the_switch_is_remembered_however_the_query_spells_it(client, query):
    page(client, "/" + query)
    assert '<html lang="ar" dir="rtl">' in page(client, "/courses/sample-course", headers={"Accept-Language": "it"})


def test_the_users_preference_wins_over_the_browser(client, auth):
    auth.as_new_user("amina", locale="ar")
    assert '<html lang="ar" dir="rtl">' in page(client, "/", headers={"Accept-Language": "en"})


def test_a_logged_in_user_can_switch_language_and_save_it(client, auth, app):
    """An operator beside a migrant switches Italian to Arabic on any page, then may keep it."""
    auth.as_new_user("olga", locale="it")
    html = page(client, "/my-learning")
    assert html.count('hreflang="') == len(app.config["LANGUAGES"])
    assert 'href="/my-learning?lang=ar"' in html
    assert 'action="/language"' not in html  # already in the preferred language: nothing to save
    switched = page(client, "/my-learning?lang=ar")
    assert '<html lang="ar" dir="rtl">' in switched
    assert '<html lang="ar" dir="rtl">' in page(client, "/")  # for the rest of the session
    assert 'action="/language"' in switched and 'name="lang" value="ar"' in switched
    response = client.post("/language", data={"lang": "ar", "next": "/my-learning?lang=ar"})
    assert response.status_code == 302 and response.headers["Location"] == "/my-learning?lang=ar"
    auth.logout()
    auth.login("olga")
    html = page(client, "/", headers={"Accept-Language": "it"})
    assert '<html lang="ar" dir="rtl">' in html and 'action="/language"' not in html


def test_saving_a_language_checks_it(client, auth):
    assert client.post("/language", data={"lang": "it"}).status_code == 302  # to the login page
    auth.as_new_user("olga", locale="it")
    assert client.post("/language", data={"lang": "xx"}).status_code == 400
    response = client.post("/language", data={"lang": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_the_switch_keeps_the_other_query_arguments(client):
    html = page(client, "/courses/sample-course?lang=it&x=1")
    assert 'href="/courses/sample-course?x=1&amp;lang=ar"' in html


@pytest.mark.parametrize("lang, direction", [("en", "ltr"), ("it", "ltr"), ("ar", "rtl"), ("fr", "ltr")])
def test_direction_follows_the_language(client, lang, direction):
    assert f'<html lang="{lang}" dir="{direction}">' in page(client, f"/?lang={lang}")


def test_unknown_language_falls_back_to_english(client):
    assert '<html lang="en"' in page(client, "/?lang=xx", headers={"Accept-Language": "zz"})


def test_course_content_in_the_page_language_or_the_course_language_with_a_notice(client):
    italian = page(client, "/courses/sample-course/basics/welcome?lang=it")
    assert "Benvenuti" in italian and "not yet available in your language" not in italian
    saving = page(client, "/courses/sample-course/basics/saving?lang=it")
    assert "How to save" in saving and 'lang="en"' in saving
    assert "non è ancora disponibile nella tua lingua" in saving


def test_arabic_error_pages(client):
    html = page(client, "/missing?lang=ar")
    assert 'dir="rtl"' in html


@pytest.mark.parametrize("lang", ["it", "ar", "fr", "es"])
def test_every_interface_string_is_translated(lang):
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).parent.parent / f"app/translations/{lang}/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    missing = [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.id, tuple) else m.string)]
    assert missing == []


def test_plural_forms_follow_the_language(client):
    html = page(client, "/?lang=ar")
    assert "دورة واحدة" in html  # the sample path has one course: Arabic singular form
    assert "1 دورات" not in html
