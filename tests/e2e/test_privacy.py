"""End to end in Chromium: a learner reads the notice, earns a certificate, downloads their data, deletes the account."""
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.certificates.test_e2e import PASSWORD, complete_course_in_browser

pytestmark = pytest.mark.e2e
NAME = "Tigist Haile-Mariam"


def test_deleting_an_account_revokes_its_certificate_and_leaves_no_name(page, browser, live_server, make_user,
                                                                        tmp_path, screenshot_dir):
    base = live_server.url
    live_server.app.config["CERTIFICATE_PDF_DIR"] = str(tmp_path / "pdfs")
    course = live_server.app.extensions["soglia.catalog"].course("sample-course")
    make_user("teacher", role="trainer", display_name="The Trainer", target_app=live_server.app)

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{base}/account/register?lang=en")
    expect(page.locator(".notice")).to_contain_text("Who sees it: you, your trainers")
    page.fill("#display_name", NAME)
    page.fill("#username", "tigist")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("form.stack button[type=submit]")
    expect(page.locator("main")).to_contain_text("Please read the privacy notice and tick the box.")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.check("#accept_notice")
    page.click("form.stack button[type=submit]")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have kept my codes").click()

    complete_course_in_browser(page, base, course)
    page.goto(f"{base}/certificates")
    page.get_by_role("link", name="Sample course").click()
    verify_url = page.locator("main a[href*='/verify/SGL-']").get_attribute("href")

    trainer_context = browser.new_context()
    trainer = trainer_context.new_page()
    trainer.goto(f"{base}/account/login")
    trainer.fill("#username", "teacher")
    trainer.fill("#password", "correct horse")
    trainer.click("form.stack button[type=submit]")
    trainer.goto(f"{base}/trainer/learners")
    expect(trainer.locator("main")).to_contain_text(NAME)
    expect(trainer.locator(".course-totals")).to_contain_text("1 started, 1 completed")

    page.goto(f"{base}/account/profile")
    page.get_by_role("link", name="Download your data or delete your account").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling on a phone
    page.screenshot(path=str(screenshot_dir / "privacy-my-data-360.png"), full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as JSON (for other programs)").click()
    exported = json.loads(Path(download_info.value.path()).read_text())
    assert exported["sections"]["account"]["profile"]["display_name"] == NAME
    assert exported["sections"]["certificates"]["held"][0]["code"] in verify_url

    page.fill("#password", PASSWORD)
    page.check("#confirm")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator("main")).to_contain_text("Your account is deleted.")
    expect(page.locator("header")).to_contain_text("Log in")

    page.goto(verify_url)
    expect(page.locator(".verdict")).to_contain_text("Revoked")
    expect(page.locator("main")).to_contain_text("holder deleted the account")
    expect(page.locator("main")).not_to_contain_text("Tigist")
    page.screenshot(path=str(screenshot_dir / "privacy-verify-deleted-holder.png"), full_page=True)

    trainer.reload()
    expect(trainer.locator("main")).not_to_contain_text("Tigist")
    expect(trainer.locator(".course-totals")).to_contain_text("1 started, 1 completed")
    trainer_context.close()
