"""Property: no form answers any input with a 5xx (hypothesis posts odd text to every POST route)."""
import re

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from app.extensions import db
from app.models import User
from app.services.certificates import format_code, issue_certificate

ODD = ["\x00", "\u202e", "\u200b", "፩", "²", "\ufdfa" * 30, "a\r\nb", "' OR 1=1 --", "<script>", "%00", "-1",
       "9" * 40, "1e309", "NaN", "", " ", "y", "on", "en", "ar", "learner", "admin", "entrepreneur"]
VALUES = st.one_of(st.sampled_from(ODD), st.text(max_size=60), st.text(min_size=300, max_size=3000))
SAMPLE_ARGUMENTS = {"course_slug": "sample-course", "module_slug": "numbers", "item_slug": "check", "user_id": 1,
                    "number": 1, "token": "x", "code": None, "filename": "style.css", "cohort_id": 1,
                    "organisation_id": 1, "share_id": 1, "call_id": 1, "submission_id": 1, "slug": "sample-course",
                    "commit": "0" * 40, "name": "01-basics/02-saving.md", "module": "basics", "item": "saving",
                    "direction": "up", "language": "it"}


def form_field_names():
    """Every field of every form in the app, plus the fields the quiz reads by hand."""
    names = {"attempt", "next", "q-which", "q-simple-interest", "q-saving-yes"}
    pending = list(FlaskForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        for klass in form.__mro__:
            names.update(name for name, value in vars(klass).items() if isinstance(value, UnboundField))
    return sorted(names)


def post_routes(app, code):
    """Every POST route with sample values in its URL."""
    values = {**SAMPLE_ARGUMENTS, "code": code}
    return sorted(re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(values[match.group(1)]), rule.rule)
                  for rule in app.url_map.iter_rules() if "POST" in rule.methods)


@pytest.fixture
def fuzz_app(app, make_user):
    make_user("boss", role="admin", display_name="Boss")
    learner = make_user("amina")
    with app.app_context():
        course = app.extensions["soglia.catalog"].course("sample-course")
        code = issue_certificate(db.session.get(User, learner), course, "NGO").code
        db.session.commit()
    return app, format_code(code)


def test_the_route_list_covers_the_forms(fuzz_app):
    app, code = fuzz_app
    routes = post_routes(app, code)
    assert {"/account/register", "/account/login", "/privacy/delete", "/account/recover",
            "/courses/sample-course/numbers/check/submit"} <= set(routes)
    assert {"display_name", "username", "password", "code", "reason", "accept_notice"} <= set(form_field_names())


def form_on_page(client, route):
    """The fields a browser would send for the forms on the page of `route`, with their default values."""
    page = client.get(route.removesuffix("/submit"))
    html = page.get_data(as_text=True) if page.status_code == 200 else ""
    fields = {}
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if name and name.group(1) not in fields:
            value = re.search(r'value="([^"]*)"', tag)
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def test_no_form_answers_odd_input_with_a_server_error(fuzz_app):
    """Start from what the page's form would send, then replace a few fields with odd values."""
    app, code = fuzz_app
    routes, fields = post_routes(app, code), form_field_names()
    app.config["RATELIMIT_ENABLED"] = False
    client = app.test_client()

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(route=st.sampled_from(routes), as_admin=st.booleans(), data=st.data())
    def post_anything(route, as_admin, data):
        with client.session_transaction() as session:
            session.clear()
        if as_admin:
            client.post("/account/login", data={"username": "boss", "password": "correct horse"})
        form = form_on_page(client, route)
        names = sorted(form) or fields
        picks = data.draw(st.lists(st.tuples(st.integers(0, 99), VALUES), min_size=1, max_size=3))
        odd = {names[index % len(names)]: value for index, value in picks}
        next_url = data.draw(VALUES)
        response = client.post(route, query_string={"next": next_url}, data={**form, **odd})
        assert response.status_code < 500, (route, form, odd)

    post_anything()


def test_every_field_of_every_form_takes_every_odd_value(fuzz_app):
    """The systematic half: one odd value at a time in one field, the rest as the page's form sends it."""
    app, code = fuzz_app
    app.config["RATELIMIT_ENABLED"] = False
    client = app.test_client()
    failures = []
    for route in post_routes(app, code):
        with client.session_transaction() as session:
            session.clear()
        client.post("/account/login", data={"username": "boss", "password": "correct horse"})
        form = form_on_page(client, route) or {"next": ""}
        for name in form:
            for value in ODD:
                status = client.post(route, data={**form, name: value}).status_code
                if status >= 500:
                    failures.append((route, name, value, status))
    assert failures == []
