"""Trainers: the content report and previews with the answer key."""
import shutil
from pathlib import Path

BROKEN = Path(__file__).parent.parent / "data/broken"


def test_trainer_sees_the_same_report_as_the_checker(app, client, auth, courses_dir):
    shutil.copytree(BROKEN / "bad-quiz", courses_dir / "bad-quiz")
    from app.catalog import reload

    reload(app)
    auth.as_new_user("tina", role="trainer")
    html = client.get("/trainer/").get_data(as_text=True)
    assert "bad-quiz/01-m/02-q.quiz.md:5: error: question has no right answer" in html
    assert "A course with an error is not shown to learners." in html
    assert "Sample course" in html


def test_preview_shows_every_language_and_the_answer_key(client, auth):
    auth.as_new_user("tina", role="trainer")
    quiz = client.get("/trainer/preview/sample-course/basics/check").get_data(as_text=True)
    assert '<li class="right">✓ <span class="visually-hidden">Right answer:</span>Money in and money out' in quiz
    assert '<li class="wrong">✗ Your bank and another bank' in quiz
    assert "Right: that is what a budget does." in quiz
    assert "Right answer: 250, accepted from 249.5 to 250.5" in quiz


def test_preview_speaks_human_not_internal_values(client, auth):
    """No `shuffle: True`, type keys or raw floats; the wording is translated (issue 15.8)."""
    auth.as_new_user("tina", role="trainer")
    quiz = client.get("/trainer/preview/sample-course/basics/check").get_data(as_text=True)
    main = quiz.split("<main", 1)[1]
    for internal in ("shuffle:", "numeric", "truefalse", "single", "multiple", "250.0", "[en]", "∞"):
        assert internal not in main, internal
    assert "Options shown in a different order in each attempt" in main and "Attempts allowed: 3" in main
    assert "One right answer among the options" in main and "True or false" in main
    auth.logout()
    auth.as_new_user("tino", role="trainer", locale="it")
    italian = client.get("/trainer/preview/sample-course/basics/check").get_data(as_text=True)
    assert "Risposta giusta: 250, accettata da 249,5 a 250,5" in italian
    lesson = client.get("/trainer/preview/sample-course/basics/welcome").get_data(as_text=True)
    assert "Why budgets matter" in lesson and "Perché il bilancio conta" in lesson


def test_admins_may_use_trainer_pages(client, auth):
    auth.as_new_user("boss", role="admin")
    assert client.get("/trainer/").status_code == 200
