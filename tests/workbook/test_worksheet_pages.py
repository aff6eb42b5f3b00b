"""Filling in a worksheet: plain form posts, nothing typed is lost, complete worksheets count as done."""
import re

from sqlalchemy import select

from app.extensions import db
from app.models import LessonProgress
from app.services import progress
from app.workbook.models import WorksheetAnswer
from tests.workbook.conftest import GOOD, URL


def saved(app, username="amina"):
    with app.app_context():
        return {row.field_id: row.value for row in db.session.scalars(select(WorksheetAnswer))}


def test_the_page_shows_fields_help_and_examples_and_asks_anonymous_visitors_to_log_in(client):
    page = client.get(URL).get_data(as_text=True)
    assert "Price per unit" in page and "One product, or your main one." in page and "Wraps" in page
    assert "Log in to fill in this worksheet" in page and URL + "/save" not in page


def test_a_save_keeps_every_answer_and_computes_the_break_even(app, client, auth):
    auth.as_new_user()
    response = client.post(URL + "/save", data=GOOD)
    assert response.status_code == 302 and response.headers["Location"].endswith(URL)
    assert saved(app) == {"product": "Wraps", "idea": "A food stall\nnear the station.", "price": 6.0,
                          "variable": 2.5, "channel": "market",
                          "fixed": [{"item": "Pitch", "amount": 400.0}, {"item": "Gas and the rest", "amount": 650.0}]}
    page = client.get(URL).get_data(as_text=True)
    assert re.search(r'<output id="in-break_even"><span dir="ltr">300</span> units a month', page)
    assert 'value="2.5"' in page and 'value="Gas and the rest"' in page and "This worksheet is complete" in page


def test_a_complete_worksheet_counts_towards_course_progress_once(app, client, auth, catalog):
    auth.as_new_user()
    client.post(URL + "/save", data={**GOOD, "channel": ""})
    with app.app_context():
        assert db.session.scalar(select(LessonProgress.id)) is None
    client.post(URL + "/save", data=GOOD)
    client.post(URL + "/save", data=GOOD)
    with app.app_context():
        rows = db.session.scalars(select(LessonProgress)).all()
        assert [row.lesson_key for row in rows] == ["numbers/plan"]
        course = catalog.course("sample-course")
        assert progress.course_state(rows[0].user_id, course).is_done(course.item("numbers/plan"))


def test_a_failed_save_keeps_the_typed_text_and_saves_the_rest(app, client, auth):
    auth.as_new_user()
    data = {**GOOD, "price": "six euros", "idea": "x" * 4001, "variable": "-3"}
    response = client.post(URL + "/save", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="six euros"' in page and "x" * 4001 in page and 'value="-3"' in page
    assert "Type a number" in page and "Too long: at most 4000 characters" in page
    assert "Too small: the lowest number accepted here is 0" in page
    assert saved(app)["product"] == "Wraps" and "price" not in saved(app) and "idea" not in saved(app)


def test_a_division_by_zero_is_a_clear_cannot_compute(client, auth):
    auth.as_new_user()
    client.post(URL + "/save", data={**GOOD, "variable": "6"})
    page = client.get(URL).get_data(as_text=True)
    assert "Cannot compute: it would divide by zero" in page


def test_numbers_out_of_range_and_unknown_choices_are_refused(app, client, auth):
    auth.as_new_user()
    page = client.post(URL + "/save", data={**GOOD, "price": "1e9", "channel": "<b>x</b>"}).get_data(as_text=True)
    assert "Type a number" in page and "Choose one of the options." in page
    page = client.post(URL + "/save", data={**GOOD, "price": "999999"}).get_data(as_text=True)
    assert "Too large: the highest number accepted here is 100,000" in page


def test_hostile_text_is_escaped_when_shown_again(client, auth):
    auth.as_new_user()
    client.post(URL + "/save", data={**GOOD, "product": "<script>alert(1)</script>", "fixed.0.item": '"><img src=x>'})
    page = client.get(URL).get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '"><img src=x>' not in page


def test_answers_are_each_learners_own(app, client, auth):
    auth.as_new_user("amina")
    client.post(URL + "/save", data={**GOOD, "product": "Amina's wraps"})
    auth.logout()
    auth.as_new_user("samir")
    page = client.get(URL).get_data(as_text=True)
    assert "Amina&#39;s wraps" not in page and "Amina's wraps" not in page
    assert client.get("/workbook/sample-course").status_code == 200


def test_the_worksheet_is_shown_in_the_learners_language(client, auth):
    auth.as_new_user(locale="it")
    page = client.get(URL).get_data(as_text=True)
    assert "Prezzo unitario" in page and "Al mercato" in page


def test_the_whole_canvas_in_arabic_at_full_length_can_be_saved(app, client, auth):
    auth.as_new_user(locale="ar")
    long_arabic = "زبائن الحي " * 363  # 3,993 characters, about 40 KB once percent-encoded
    other_blocks = {f"block{i}": long_arabic for i in range(8)}  # the eight other blocks of a canvas: 360 KB in all
    response = client.post(URL + "/save", data={**GOOD, "idea": long_arabic, **other_blocks})
    assert response.status_code == 302
    assert saved(app)["idea"] == long_arabic.strip()


def test_the_page_runs_the_same_statements_before_and_after_saving_and_marking(client, auth, count_queries):
    auth.as_new_user("amina")
    counts = []
    for step in ({}, GOOD, {**GOOD, "product": "Soup"}):
        if step:
            client.post(URL + "/save", data=step)
        client.get(URL)
        with count_queries() as counter:
            assert client.get(URL).status_code == 200
        counts.append(counter.count)
    assert counts == [4, 4, 4]
