"""Learner pages kept in memory: one learner's data, token or answers never reach another; progress is exact at once."""
import re

import pytest
from flask import render_template_string
from itsdangerous import URLSafeTimedSerializer

from app.pagecache import PersonalDataInKeptPage, kept_page
from tests.conftest import PASSWORD

LESSON = "/courses/sample-course/basics/welcome"
COURSE = "/courses/sample-course"
QUIZ = "/courses/sample-course/basics/check"
PAGES = ["/", COURSE, LESSON, QUIZ, "/my-learning", "/paths/starter"]
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"')


@pytest.fixture
def two_learners(app, make_user):
    """(amina's client, bilal's client), both logged in."""
    make_user("amina", display_name="Amina Haddad")
    make_user("bilal", display_name="Bilal Amri")
    clients = []
    for name in ("amina", "bilal"):
        client = app.test_client()
        assert client.post("/account/login", data={"username": name, "password": PASSWORD}).status_code == 302
        clients.append(client)
    return clients


def tokens(html):
    return {first or second for first, second in TOKEN.findall(html)}


def valid_for(app, client, token):
    """The token is the signed form of this client's session token."""
    with client.session_transaction() as session:
        raw = session["csrf_token"]
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").loads(token) == raw


def test_every_page_carries_the_own_sessions_csrf_token(app, two_learners):
    amina, bilal = two_learners
    for url in PAGES:
        first = amina.get(url).get_data(as_text=True)
        second = bilal.get(url).get_data(as_text=True)  # the same page, from memory when the key matches
        assert tokens(first) and tokens(second), url
        assert all(valid_for(app, amina, token) for token in tokens(first)), url
        assert all(valid_for(app, bilal, token) for token in tokens(second)), url
        assert not tokens(first) & tokens(second), url
        assert "csrf-mark-" not in first + second


def test_done_marks_are_each_learners_own_and_exact_at_once(two_learners):
    amina, bilal = two_learners
    assert "You have done this lesson." not in amina.get(LESSON).get_data(as_text=True)
    amina.post(LESSON + "/done", data={"stay": "1"})
    assert "You have done this lesson." in amina.get(LESSON).get_data(as_text=True)
    assert "You have done this lesson." not in bilal.get(LESSON).get_data(as_text=True)
    assert "Mark as done" in bilal.get(LESSON).get_data(as_text=True)
    mine, his = amina.get(COURSE).get_data(as_text=True), bilal.get(COURSE).get_data(as_text=True)
    assert mine != his
    assert re.search(r"\b20%", mine) and not re.search(r"\b20%", his)
    bilal.post(LESSON + "/done", data={"stay": "1"})
    assert "You have done this lesson." in bilal.get(LESSON).get_data(as_text=True)
    assert re.search(r"\b20%", bilal.get(COURSE).get_data(as_text=True))


def test_quiz_pages_show_each_learner_their_own_attempt(two_learners):
    amina, bilal = two_learners
    hers, his = amina.get(QUIZ).get_data(as_text=True), bilal.get(QUIZ).get_data(as_text=True)
    attempt = re.compile(r'name="attempt" value="(\d+)"')
    assert attempt.search(hers).group(1) != attempt.search(his).group(1)
    options = re.compile(r'type="radio" name="q-[^"]+" value="([0-9a-f]{12})"')
    assert not set(options.findall(hers)) & set(options.findall(his))
    again = amina.get(QUIZ).get_data(as_text=True)
    assert attempt.search(again).group(1) == attempt.search(hers).group(1)
    assert options.findall(again) == options.findall(hers)


def test_a_flash_message_is_shown_once_and_to_its_learner_only(two_learners):
    amina, bilal = two_learners
    amina.get(LESSON)
    with amina.session_transaction() as session:
        session["_flashes"] = [("info", "A message for Amina")]
    assert "A message for Amina" in amina.get(LESSON).get_data(as_text=True)
    assert "A message for Amina" not in amina.get(LESSON).get_data(as_text=True)
    assert "A message for Amina" not in bilal.get(LESSON).get_data(as_text=True)


def test_names_never_reach_another_learners_pages(two_learners):
    amina, bilal = two_learners
    for url in PAGES + ["/certificates", "/account/profile"]:
        amina.get(url)
        assert "Amina Haddad" not in bilal.get(url).get_data(as_text=True), url


def test_a_kept_page_may_not_read_what_its_key_does_not_name(app, auth):
    auth.as_new_user("amina")
    client_cookie = auth._client.get_cookie("session").value
    with app.test_request_context("/", headers={"Cookie": f"session={client_cookie}"}):
        app.preprocess_request()
        with pytest.raises(PersonalDataInKeptPage):
            kept_page(lambda: render_template_string("{{ current_user.display_name }}"))
        assert kept_page(lambda: render_template_string("{{ current_user.role }}")) == "learner"
