"""Every page type, in English and in Arabic, on a 360 px phone: accessible (axe-core), valid HTML (Nu checker),
and never wider than the screen."""
import pytest

from app import create_app
from app.authoring.operations import start_draft
from app.extensions import db
from app.services.certificates import format_code, issue_certificate
from tests.conftest import FAST_HASH, LiveServer, _teardown, make_config
from tests.e2e.checks import AXE_SCRIPT, VNU_JAR, check_page, nu_errors

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
PASSWORD = "a good password"
#: a long link with no place to break, as source lists in the starter lessons have
LONG_URL = "https://www.example.org/publications/2024/financial-inclusion-of-migrants-and-refugees-in-europe.pdf"
ARABIC_LESSON = f"""---
title: الادخار
minutes: 4
---

## كيف تدّخر

ضع مبلغًا صغيرًا جانبًا كل أسبوع. المصدر: <{LONG_URL}>

الرابط نفسه داخل النص: {LONG_URL}
"""


@pytest.fixture
def site(tmp_path, courses_dir):
    """A live server with the sample courses (plus an Arabic lesson with a long link) and one admin per language."""
    if not (AXE_SCRIPT.exists() and VNU_JAR.exists()):
        pytest.fail("axe-core and the Nu checker are missing: run `make e2e-tools` (or `make test`)")
    (courses_dir / "sample-course/01-basics/02-saving.ar.md").write_text(ARABIC_LESSON, encoding="utf-8")
    app = create_app(make_config(tmp_path, courses_dir, WTF_CSRF_ENABLED=True))
    codes = {}
    with app.app_context():
        db.create_all()
        from app.privacy.operations import accept_notice
        from app.services import accounts

        course = app.extensions["soglia.catalog"].course("sample-course")
        for language, name in (("en", "Amina Haddad"), ("ar", "أمينة حداد")):
            user = accounts.create_user(username=f"admin-{language}", display_name=name,
                                        password=PASSWORD, role="admin", track="entrepreneur", locale=language,
                                        hash_method=FAST_HASH)
            accept_notice(user)
            codes[language] = format_code(issue_certificate(user, course, "Soglia Test NGO").code)
        db.session.commit()
        start_draft("sample-course")
    with LiveServer(app) as server:
        server.codes = codes
        yield server
    _teardown(app)


class Sweep:
    """Visits pages in one browser page and keeps a report for each."""

    def __init__(self, page, base, language):
        self.page, self.base, self.language, self.reports = page, base, language, []

    def visit(self, label, path):
        response = self.page.goto(self.base + path)
        self.record(label, response)
        return response

    def submit(self, label, selector):
        with self.page.expect_navigation() as navigation:
            self.page.click(selector)
        self.record(label, navigation.value)

    def record(self, label, response):
        self.reports.append(check_page(self.page, f"{self.language} {label}", response))


def answer_every_question(page):
    """Pick the first option of every choice question and type 1 into every other field."""
    page.evaluate("""() => {
      for (const question of document.querySelectorAll("fieldset.question")) {
        const choice = question.querySelector("input[type=radio], input[type=checkbox]");
        if (choice) { choice.checked = true; continue; }
        for (const input of question.querySelectorAll("input:not([type=hidden])")) input.value = "1";
      }
    }""")


#: (label, address) of the pages anyone may see; {code} is a certificate's code
PUBLIC_PAGES = [
    ("home", "/"), ("path", "/paths/starter"), ("course", "/courses/sample-course"),
    ("lesson", "/courses/sample-course/basics/welcome"),
    ("lesson with a long link", "/courses/sample-course/basics/saving"),
    ("quiz", "/courses/sample-course/basics/check"), ("verify form", "/verify"), ("verify result", "/verify/{code}"),
    ("not found", "/no-such-page"), ("search", "/search"), ("search results", "/search?q=budget"),
    ("privacy notice", "/privacy/"), ("recovery code", "/account/recover"), ("reset link", "/account/reset"),
]
#: and the pages of a logged-in admin (who is also a learner and a trainer), after the quiz pages
LEARNER_PAGES = [("my learning", "/my-learning"), ("my certificates", "/certificates"),
                 ("certificate", "/certificates/{code}"), ("profile", "/account/profile"),
                 ("password", "/account/password"), ("my data", "/privacy/my-data"),
                 ("my data, readable", "/privacy/my-data.html")]
STAFF_PAGES = [("trainer", "/trainer/"), ("trainer learners", "/trainer/learners"),
               ("trainer preview", "/trainer/preview/sample-course/basics/check"), ("admin", "/admin/"),
               ("admin certificate", "/admin/certificates/{code}"), ("new learner account", "/account/new-learner")]
#: the course editor's pages, on a draft of the sample course (started by the fixture)
EDITOR_PAGES = [("course editor", "/authoring/"), ("new course", "/authoring/new"),
                ("course draft", "/authoring/sample-course/"), ("course structure", "/authoring/sample-course/structure"),
                ("edit a file", "/authoring/sample-course/edit/01-basics/02-saving.ar.md"),
                ("rename a lesson", "/authoring/sample-course/modules/basics/items/saving/rename"),
                ("delete a lesson", "/authoring/sample-course/modules/basics/items/saving/delete")]


def sweep_language(browser, site, language):
    context = browser.new_context(viewport=PHONE, bypass_csp=True, locale=language)
    sweep = Sweep(context.new_page(), site.url, language)
    code = site.codes[language]
    for label, path in PUBLIC_PAGES:
        sweep.visit(label, path.format(code=code) + ("&" if "?" in path else "?") + f"lang={language}")
    sweep.visit("register", f"/account/register?lang={language}")
    sweep.page.fill("#password", "short")
    sweep.submit("register with errors", "form.stack button[type=submit]")
    sweep.visit("login", f"/account/login?lang={language}")
    sweep.page.fill("#username", f"admin-{language}")
    sweep.page.fill("#password", "wrong password")
    sweep.submit("login with errors", "form.stack button[type=submit]")
    sweep.page.fill("#username", f"admin-{language}")
    sweep.page.fill("#password", PASSWORD)
    sweep.page.click("form.stack button[type=submit]")
    sweep.page.wait_for_load_state()
    sweep.visit("home, logged in", "/")
    sweep.visit("course, logged in", "/courses/sample-course")
    sweep.visit("lesson, logged in", "/courses/sample-course/basics/saving")
    sweep.visit("quiz, logged in", "/courses/sample-course/basics/check")
    answer_every_question(sweep.page)
    sweep.submit("quiz result", "form.quiz-form button[type=submit]")
    for label, path in LEARNER_PAGES + STAFF_PAGES + EDITOR_PAGES:
        sweep.visit(label, path.format(code=code))
    sweep.visit("profile, again", "/account/profile")
    sweep.submit("recovery codes", "form[action$='/recovery-codes'] button")
    context.close()
    return sweep.reports


def test_every_page_type_is_accessible_valid_and_fits_a_phone(browser, site, tmp_path):
    reports = sweep_language(browser, site, "en") + sweep_language(browser, site, "ar")
    problems = []
    for report in reports:
        if report.width > PHONE["width"] or report.overflowing:
            problems.append(f"{report.label}: {report.width} px wide at {PHONE['width']} px: {report.overflowing}")
        for violation in report.blocking:
            problems.append(f"{report.label}: axe {violation['impact']} {violation['id']} at {violation['targets']}")
    nu = nu_errors(reports, tmp_path / "nu")
    for label, errors in nu.items():
        problems.extend(f"{label}: Nu: {error}" for error in errors)
    widest = max(reports, key=lambda report: report.width)
    print(f"{len(reports)} pages; axe: {sum(len(r.violations) for r in reports)} violations, "
          f"{sum(len(r.blocking) for r in reports)} serious or critical; "
          f"Nu: {sum(map(len, nu.values()))} errors; widest: {widest.width} px ({widest.label})")
    assert len(reports) == 2 * 45
    assert not problems, "\n".join(problems)
