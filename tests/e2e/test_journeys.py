"""End to end in Debian's Chromium: what a new user does, in English and in Arabic."""
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import check_option

pytestmark = pytest.mark.e2e


def register(page, base, username, name, language="en", password="a good password"):
    page.goto(f"{base}/account/register?lang={language}")
    page.fill("#display_name", name)
    page.fill("#username", username)
    page.fill("#password", password)
    page.fill("#confirm", password)
    page.select_option("#locale", language)
    page.check("#accept_notice")
    page.click("form.stack button[type=submit]")


@pytest.mark.parametrize("language, direction, name", [
    ("en", "ltr", "Amina Haddad"),
    ("ar", "rtl", "أمينة حداد"),
])
def test_register_logout_login_profile(page, live_server, screenshot_dir, language, direction, name):
    base = live_server.url
    register(page, base, f"user-{language}", name, language)
    expect(page.locator("html")).to_have_attribute("dir", direction)
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("header button.link").click()  # log out (a POST form with its CSRF token)
    expect(page.locator("header")).to_contain_text("Soglia")
    page.goto(f"{base}/account/login?lang={language}")
    page.fill("#username", f"user-{language}")
    page.fill("#password", "a good password")
    page.click("form.stack button[type=submit]")
    page.goto(f"{base}/account/profile")
    expect(page.locator(".display-name")).to_have_text(name)
    expect(page.locator("html")).to_have_attribute("dir", direction)
    page.screenshot(path=str(screenshot_dir / f"profile-{language}.png"), full_page=True)


def test_a_hostile_lesson_runs_no_script(page, live_server, courses_dir, screenshot_dir):
    lesson = courses_dir / "sample-course/01-basics/02-saving.md"
    lesson.write_text(lesson.read_text() + """
<script>window.pwned = 1</script>
<img src=x onerror="window.pwned = 2">
[click me](javascript:window.pwned=3)
<a href="#" onclick="window.pwned=4" id="evil">evil</a>
<iframe src="javascript:parent.pwned=5"></iframe>
""")
    from app.catalog import reload

    reload(live_server.app)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server.url}/courses/sample-course/basics/saving")
    page.get_by_text("click me").click()
    if page.locator("#evil").count():
        page.locator("#evil").click()
    page.wait_for_timeout(200)
    assert page.evaluate("window.pwned") is None
    assert dialogs == []
    assert page.locator("script:not([src^='/offline/static/'])").count() == 0
    page.screenshot(path=str(screenshot_dir / "hostile-lesson.png"))


def answer(page, question, wrong=False):
    """Click or type the right (or a wrong) answer to one question, read from the answer key."""
    name = f"q-{question.id}"
    if question.kind in {"single", "multiple"}:
        for option in question.options:
            if (option.correct != wrong) if question.kind == "multiple" else (option.correct != wrong):
                check_option(page, question, option)
                if question.kind == "single":
                    break
    elif question.kind == "truefalse":
        value = "true" if question.answer != wrong else "false"
        page.check(f"input[name='{name}'][value='{value}']")
    else:
        page.fill(f"input[name='{name}']", str(question.answer[0] + (99 if wrong else 0)))


def test_a_new_learner_follows_a_course_to_the_end(page, live_server, screenshot_dir):
    base = live_server.url
    course = live_server.app.extensions["soglia.catalog"].course("sample-course")
    register(page, base, "joy", "Joy Okafor")
    page.goto(f"{base}/courses/sample-course")
    page.get_by_role("link", name="Start the course").click()
    for item in course.items:
        expect(page).to_have_url(re.compile(f"/{item.module_slug}/{item.slug}$"))
        if item.kind == "lesson":
            page.get_by_role("button", name="Next").click()  # moving on marks the lesson done
            continue
        questions = item.versions["en"].questions
        if item.key == "basics/check":  # fail once, then retry
            for question in questions:
                answer(page, question, wrong=True)
            page.get_by_role("button", name="Submit answers").click()
            expect(page.locator(".score")).to_contain_text("Not passed yet")
            page.get_by_role("link", name="Try again").click()
        for question in questions:
            answer(page, question)
        page.get_by_role("button", name="Submit answers").click()
        expect(page.locator(".score")).to_contain_text("Passed")
        if item is not course.items[-1]:
            page.locator("a.button.secondary", has_text="Next").click()
    page.goto(f"{base}/courses/sample-course")
    expect(page.locator("main")).to_contain_text("Completed on")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    page.screenshot(path=str(screenshot_dir / "course-complete.png"), full_page=True)
    page.goto(f"{base}/my-learning")
    expect(page.locator(".attempts")).to_contain_text("Not passed")
    expect(page.locator(".attempts")).to_contain_text("Passed")


def test_pages_work_on_a_phone_without_javascript(browser, live_server, screenshot_dir):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    register(page, live_server.url, "phone", "Samir")
    page.goto(f"{live_server.url}/courses/sample-course/basics/welcome")
    page.get_by_role("button", name="Mark as done").click()
    expect(page).to_have_url(re.compile("/basics/welcome$"))
    expect(page.locator("main")).to_contain_text("You have done this lesson.")
    page.get_by_role("button", name="Next").click()
    expect(page).to_have_url(re.compile("/basics/saving$"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    page.screenshot(path=str(screenshot_dir / "phone-lesson.png"), full_page=True)
    context.close()


ARABIC_DIGITS = str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")


def test_an_arabic_speaker_takes_a_real_quiz_right_to_left(page, tmp_path, screenshot_dir):
    """The financial-literacy quiz in Arabic, numbers typed in Arabic-Indic digits."""
    from app import create_app
    from app.extensions import db
    from tests.conftest import REAL_COURSES, LiveServer, make_config

    app = create_app(make_config(tmp_path, REAL_COURSES, WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
    course = app.extensions["soglia.catalog"].course("financial-literacy")
    quiz = course.quizzes[0]
    with LiveServer(app) as server:
        register(page, server.url, "layla", "ليلى حداد", "ar")
        page.goto(f"{server.url}/courses/financial-literacy/{quiz.module_slug}/{quiz.slug}")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("h1")).to_have_text(quiz.versions["ar"].title)
        for question in quiz.versions["ar"].questions:
            if question.kind == "numeric":
                typed = f"{question.answer[0]:g}".translate(ARABIC_DIGITS)
                page.fill(f"input[name='q-{question.id}']", typed)
            else:
                answer(page, question)
        page.screenshot(path=str(screenshot_dir / "quiz-ar.png"), full_page=True)
        page.locator("form.quiz-form button[type=submit]").click()
        expect(page.locator(".score")).to_contain_text("100")
        page.screenshot(path=str(screenshot_dir / "quiz-result-ar.png"), full_page=True)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
