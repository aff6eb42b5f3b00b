"""End to end in Chromium: a learner earns a certificate, downloads its PDF, and anyone can check it."""
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import answer_rightly

pytestmark = pytest.mark.e2e

PASSWORD = "a good password"


def register(page, base, username, name):
    page.goto(f"{base}/account/register?lang=en")
    page.fill("#display_name", name)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.select_option("#locale", "en")
    page.check("#accept_notice")
    page.click("form.stack button[type=submit]")
    expect(page.locator("header")).to_contain_text("Log out")


def complete_course_in_browser(page, base, course):
    """Mark every lesson done and pass every quiz, clicking as a learner does."""
    for item in course.items:
        page.goto(f"{base}/courses/{course.slug}/{item.module_slug}/{item.slug}")
        if item.kind == "lesson":
            page.get_by_role("button", name="Mark as done").click()
        else:
            answer_rightly(page, item)
            page.get_by_role("button", name="Submit answers").click()
            expect(page.locator(".score")).to_contain_text("Passed")


def test_a_learner_earns_downloads_and_shares_a_certificate(page, browser, live_server, make_user, tmp_path,
                                                           screenshot_dir):
    base = live_server.url
    live_server.app.config["CERTIFICATE_PDF_DIR"] = str(tmp_path / "pdfs")
    course = live_server.app.extensions["soglia.catalog"].course("sample-course")
    register(page, base, "zoe", "Zoë Ñúñez")
    complete_course_in_browser(page, base, course)

    page.goto(f"{base}/certificates")
    expect(page.locator("main")).to_contain_text("Sample course")
    page.screenshot(path=str(screenshot_dir / "certificates-mine.png"), full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF").click()
    download = download_info.value
    assert re.fullmatch(r"soglia-certificate-SGL(-[0-9A-Z]{4}){5}\.pdf", download.suggested_filename)
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")

    page.get_by_role("link", name="Sample course").click()
    verify_url = page.locator("main a[href*='/verify/SGL-']").get_attribute("href")
    code = verify_url.rsplit("/", 1)[1]
    assert verify_url == f"{base}/verify/{code}" and code in download.suggested_filename

    visitor = browser.new_context()
    public = visitor.new_page()
    public.goto(verify_url)
    expect(public.locator(".verdict")).to_contain_text("Valid")
    expect(public.locator(".facts")).to_contain_text("Zoë Ñúñez")
    public.screenshot(path=str(screenshot_dir / "certificate-verify-valid.png"), full_page=True)

    make_user("boss", role="admin", display_name="The Boss", target_app=live_server.app)
    admin_context = browser.new_context()
    admin = admin_context.new_page()
    admin.goto(f"{base}/account/login")
    admin.fill("#username", "boss")
    admin.fill("#password", "correct horse")
    admin.click("form.stack button[type=submit]")
    admin.goto(f"{base}/admin/certificates/{code}")
    admin.fill("#reason", "Completed on a shared account")
    admin.get_by_role("button", name="Revoke").click()
    expect(admin.locator("main")).to_contain_text("The certificate is revoked.")

    public.reload()
    expect(public.locator(".verdict")).to_contain_text("Revoked")
    expect(public.locator("main")).not_to_contain_text("Completed on a shared account")  # admins only
    public.screenshot(path=str(screenshot_dir / "certificate-verify-revoked.png"), full_page=True)
    visitor.close()
    admin_context.close()
