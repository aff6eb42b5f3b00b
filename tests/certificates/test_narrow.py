"""Certificate pages on a 360 px phone: nothing scrolls sideways, in a left-to-right or right-to-left language."""
import pytest

from app import catalog as catalog_module
from tests.competences.test_framework import declare
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_certificate_pages_fit_a_360_px_phone(browser, live_server, issue, lang, screenshot_dir, courses_dir):
    app = live_server.app
    declare(courses_dir, course_ids=["money-saving"], module_ids=["money-budgeting"])
    catalog_module.reload(app)
    app.config.update(PUBLIC_BASE_URL=live_server.url, CERTIFICATE_PDF_DIR=str(app.instance_path) + "/pdfs")
    code = issue(username="long", display_name="Maria Guadalupe Fernández de la Concepción Rodríguez-Ñúñez",
                 target_app=app, locale=lang)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale=lang)
    page = context.new_page()

    def check(path, name):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.lang") == lang
        page.screenshot(path=str(screenshot_dir / f"certificate-360px-{lang}-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path

    check(f"/verify/{code}", "verify")  # a visitor: the page follows the browser's language
    check("/verify", "verify-form")
    check("/competences", "competences")
    check("/competences/money-budgeting", "competence")
    page.goto(f"{live_server.url}/account/login")
    page.fill("#username", "long")
    page.fill("#password", PASSWORD)
    page.click("form.stack button[type=submit]")
    check("/certificates", "mine")
    check(f"/certificates/{code}", "show")
    context.close()
