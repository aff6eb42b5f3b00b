"""End to end: a trainer writes a course in the browser, publishes it, has a broken version refused, rolls back."""
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from app.extensions import db
from app.privacy.operations import accept_notice
from app.services import accounts
from tests.conftest import FAST_HASH

pytestmark = pytest.mark.e2e

SLUG = "first-budget"
LESSON = f"/courses/{SLUG}/first-steps/my-budget"
QUIZ = f"/courses/{SLUG}/first-steps/budget-check"
LESSON_TEXT = """---
title: My first budget
minutes: 4
---

## Money in, money out

Write down **every payment** for one week.

![]({image})

Then add them up.
"""
QUIZ_TEXT = """---
title: Budget check
pass_mark: 50
---

## What does a budget compare? {#compares}

- (x) Money in and money out
  > Right.
- ( ) Two banks
  > No.
"""


def log_in(context, base, username, password):
    page = context.new_page()
    page.goto(f"{base}/account/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state()
    return page


def add_item(page, kind, title):
    """From the structure page: add a lesson or quiz to the template's module; the editor of its file opens."""
    module = page.locator("#module-first-steps")
    module.locator("summary").click()
    module.get_by_label("Add").select_option(kind)
    module.get_by_label("Title", exact=True).fill(title)
    module.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("h1").first).to_contain_text(".md")


def save(page, text):
    page.fill("textarea#text", text)
    page.get_by_role("button", name="Save in the draft").click()
    expect(page.locator("main")).to_contain_text("Saved in the draft")


def publish(page, base, message):
    page.goto(f"{base}/authoring/{SLUG}/")
    page.fill("#message", message)
    page.get_by_role("button", name="Publish").click()


def test_a_trainer_writes_publishes_is_refused_and_rolls_back(browser, live_server, screenshot_dir, tmp_path):
    base, app = live_server.url, live_server.app
    with app.app_context():
        for username, role in (("tina", "trainer"), ("amina", "learner")):
            accept_notice(accounts.create_user(username=username, display_name=username.title(), role=role,
                                               password="a good password", hash_method=FAST_HASH))
        db.session.commit()
    page = log_in(browser.new_context(), base, "tina", "a good password")

    # a new course from the template: a draft no learner sees
    page.goto(f"{base}/authoring/")
    page.get_by_role("link", name="Create a course from the template").click()
    page.get_by_label("Title of the course").fill("Your first budget")
    page.get_by_label("Short name").fill(SLUG)
    page.get_by_role("button", name="Create the draft").click()
    expect(page.locator("h1")).to_contain_text(SLUG)
    expect(page.locator("#module-first-steps")).to_contain_text("Check your first steps")

    # a lesson with a phone photo, uploaded and made light on the server
    add_item(page, "lesson", "My budget")
    photo = tmp_path / "IMG_2041.jpg"
    Image.radial_gradient("L").resize((3000, 2000)).convert("RGB").save(photo, quality=95)
    page.get_by_role("link", name="Add a picture or audio to this page").click()
    page.set_input_files("input[type=file]", str(photo))
    page.get_by_role("button", name="Upload").click()
    snippet = page.locator(".flash.success textarea.snippet").input_value()
    image = re.search(r"\]\(([^)]+)\)", snippet).group(1)
    page.get_by_role("link", name="01-first-steps/03-my-budget.md").click()

    # the checker's warning about it shows beside its line, in the list and in the line numbers
    lesson = LESSON_TEXT.format(image=image)
    page.fill("textarea#text", lesson)
    expect(page.locator(".live-preview")).to_contain_text("every payment")  # the live preview, as learners see it
    expect(page.locator(".live-preview article img")).to_have_js_property("complete", True)
    assert page.locator(".live-preview article img").evaluate("img => img.naturalWidth") > 0
    expect(page.locator(".gutter div").nth(9)).to_have_class("warning")
    page.get_by_role("button", name="Save in the draft").click()
    row = page.locator("ol.source-lines li[value='10']")
    expect(row).to_contain_text(f"![]({image})")
    expect(row).to_contain_text("image without alt text")
    expect(page.locator(".gutter div").nth(9)).to_have_attribute("title", re.compile("image without alt text"))
    page.screenshot(path=str(screenshot_dir / "authoring-checker-message.png"), full_page=True)
    save(page, lesson.replace("![](", "![A budget on a kitchen table]("))
    expect(page.locator("ol.source-lines")).to_have_count(0)
    expect(page.locator(".gutter .warning, .gutter .error")).to_have_count(0)

    # and a quiz
    page.goto(f"{base}/authoring/{SLUG}/structure")
    add_item(page, "quiz", "Budget check")
    save(page, QUIZ_TEXT)

    publish(page, base, "First version")
    expect(page.locator("main")).to_contain_text("Published: learners now get this version.")

    learner = log_in(browser.new_context(), base, "amina", "a good password")
    learner.goto(base + LESSON)
    expect(learner.locator("main")).to_contain_text("every payment")
    picture = learner.get_by_role("img", name="A budget on a kitchen table")
    expect(picture).to_be_visible()
    expect(picture).to_have_js_property("complete", True)
    width, weight = picture.evaluate("img => [img.naturalWidth, performance.getEntriesByName(img.currentSrc)[0]"
                                     "?.encodedBodySize ?? 0]")
    assert 0 < width <= 1280, width  # shrunk on the server from 3000 px
    assert 0 < weight < photo.stat().st_size / 2, (weight, photo.stat().st_size)
    learner.goto(base + QUIZ)
    expect(learner.locator("main")).to_contain_text("What does a budget compare?")

    # a broken lesson is refused, and learners keep the version published before
    page.goto(f"{base}/authoring/{SLUG}/edit/01-first-steps/03-my-budget.md")
    save(page, "---\ntitle: [oops\n---\n\nHalf written.\n")
    publish(page, base, "Half done")
    expect(page.locator("h1")).to_have_text("Not published")
    expect(page.locator("main")).to_contain_text(f"{SLUG}/01-first-steps/03-my-budget.md:2: error")
    learner.goto(base + LESSON)
    expect(learner.locator("main")).to_contain_text("every payment")
    expect(learner.locator("main")).not_to_contain_text("Half written")

    # a second version, then a rollback to the first
    page.goto(f"{base}/authoring/{SLUG}/edit/01-first-steps/03-my-budget.md")
    save(page, lesson.replace("![](", "![A budget on a kitchen table](").replace("every payment", "every coin"))
    publish(page, base, "Coins, not payments")
    expect(page.locator("main")).to_contain_text("Published: learners now get this version.")
    learner.goto(base + LESSON)
    expect(learner.locator("main")).to_contain_text("every coin")

    first = page.locator("ol.history li", has_text="First version")
    first.get_by_role("button", name="Roll back to this version").click()
    expect(page.locator("main")).to_contain_text("Rolled back")
    expect(page.locator("ol.history li").first).to_contain_text("Roll back to")
    learner.goto(base + LESSON)
    expect(learner.locator("main")).to_contain_text("every payment")
    expect(learner.locator("main")).not_to_contain_text("every coin")


def test_structure_buttons_work_without_javascript(browser, live_server):
    base, app = live_server.url, live_server.app
    with app.app_context():
        accept_notice(accounts.create_user(username="ada", display_name="Ada", role="admin",
                                           password="a good password", hash_method=FAST_HASH))
        db.session.commit()
    page = log_in(browser.new_context(java_script_enabled=False), base, "ada", "a good password")
    page.goto(f"{base}/authoring/sample-course/structure")
    page.get_by_role("button", name="Start a draft").click()
    page.goto(f"{base}/authoring/sample-course/structure")
    page.locator("#item-basics-welcome").get_by_role("button", name="Move down").click()
    expect(page.locator("#module-basics .items > li").first).to_contain_text("Saving")
    page.locator("#item-basics-saving").get_by_role("link", name="Delete").click()
    expect(page.locator("main")).to_contain_text("01-basics/01-saving.md")
    page.get_by_role("button", name="Delete").click()
    expect(page.locator("#module-basics .items > li")).to_have_count(2)
    page.goto(f"{base}/authoring/sample-course/edit/01-basics/01-welcome.md")
    expect(page.locator(".gutter")).to_have_count(0)  # no script: a plain textarea that still saves
    page.fill("textarea#text", "---\ntitle: Welcome\n---\n\nHello without script.\n")
    page.get_by_role("button", name="Save in the draft").click()
    expect(page.locator("main")).to_contain_text("Saved in the draft")


def test_two_trainers_saving_the_same_file_lose_nothing(browser, live_server):
    base, app = live_server.url, live_server.app
    with app.app_context():
        for username in ("ada", "bea"):
            accept_notice(accounts.create_user(username=username, display_name=username.title(), role="admin",
                                               password="a good password", hash_method=FAST_HASH))
        db.session.commit()
    ada = log_in(browser.new_context(), base, "ada", "a good password")
    bea = log_in(browser.new_context(), base, "bea", "a good password")
    ada.goto(f"{base}/authoring/sample-course/")
    ada.get_by_role("button", name="Start a draft").click()
    address = f"{base}/authoring/sample-course/edit/01-basics/02-saving.md"
    ada.goto(address)
    bea.goto(address)
    save(ada, "---\ntitle: Saving\n---\n\nADA'S VERSION\n")
    bea.fill("textarea#text", "---\ntitle: Saving\n---\n\nBEA'S VERSION\n")
    bea.get_by_role("button", name="Save in the draft").click()
    expect(bea.get_by_role("alert")).to_contain_text("Someone else saved this file after you opened it")
    expect(bea.locator("pre.source")).to_contain_text("ADA'S VERSION")
    expect(bea.locator("textarea#text")).to_have_value(re.compile("BEA'S VERSION"))
    ada.reload()
    expect(ada.locator("textarea#text")).to_have_value(re.compile("ADA'S VERSION"))
    # Bea merges both on purpose and saves: that is her informed choice
    bea.fill("textarea#text", "---\ntitle: Saving\n---\n\nADA'S VERSION\n\nBEA'S VERSION\n")
    bea.get_by_role("button", name="Save in the draft").click()
    expect(bea.locator("main")).to_contain_text("Saved in the draft")
    ada.reload()
    expect(ada.locator("textarea#text")).to_have_value(re.compile("ADA'S VERSION\n\nBEA'S VERSION"))
