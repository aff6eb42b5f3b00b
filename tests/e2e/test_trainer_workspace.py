"""End to end: a trainer runs a cohort, from a CSV of 30 learners to the funder's report."""
import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from app.extensions import db
from app.services import accounts
from tests.cohorts.test_import import pdf_text
from tests.conftest import FAST_HASH, check_option
from tests.e2e.test_every_page import site  # noqa: F401  (the sweep's live server, one admin per language)

pytestmark = pytest.mark.e2e


def _answer_quiz(page, quiz, wrong_ids):
    """Answer every question of `quiz` rightly except those in `wrong_ids` (first wrong option)."""
    for question in quiz.versions["en"].questions:
        wrong = question.id in wrong_ids
        if question.options:
            chosen = [o for o in question.options if o.correct != wrong]
            for option in chosen[:1] if question.kind == "single" else chosen:
                check_option(page, question, option)
        elif question.kind == "truefalse":
            value = "true" if question.answer != wrong else "false"
            page.check(f"input[name='q-{question.id}'][value='{value}']")
        else:
            page.fill(f"input[name='q-{question.id}']", str(question.answer[0] + (99 if wrong else 0)))
    page.get_by_role("button", name="Submit answers").click()


def test_a_trainer_runs_a_cohort_from_csv_to_programme_report(browser, live_server, tmp_path, screenshot_dir):
    base, app = live_server.url, live_server.app
    with app.app_context():
        from app.privacy.operations import accept_notice

        accept_notice(accounts.create_user(username="tina", display_name="Tina Rossi", password="trainer password",
                                           role="trainer", hash_method=FAST_HASH))
        db.session.commit()
    trainer = browser.new_context(accept_downloads=True)
    page = trainer.new_page()
    page.goto(f"{base}/account/login")
    page.fill("#username", "tina")
    page.fill("#password", "trainer password")
    page.click("form.stack button[type=submit]")

    # a cohort, with the starter path due in a month
    page.goto(f"{base}/trainer/")
    page.get_by_role("link", name="Cohorts", exact=True).first.click()
    page.fill("#name", "Torino spring")
    page.select_option("#language", "en")
    page.get_by_role("button", name="Create cohort").click()
    expect(page.locator("h1")).to_have_text("Torino spring")
    page.select_option("#target", "path:starter")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator("main")).to_contain_text("Courses assigned.")

    # 30 learners from a CSV file
    rows = ["display_name,username,email,language,track"] + [f"Learner {n:02d},learner{n:02d},,en," for n in range(30)]
    upload = tmp_path / "learners.csv"
    upload.write_text("\n".join(rows) + "\n")
    page.get_by_role("link", name="Import", exact=True).click()
    page.set_input_files("#upload", str(upload))
    page.get_by_role("button", name="Check and create accounts").click()
    expect(page.locator("main")).to_contain_text("30 learner accounts created.")

    # their login cards
    with page.expect_download() as download:
        page.get_by_role("button", name="Print their login cards (PDF)").click()
    cards = tmp_path / "cards.pdf"
    download.value.save_as(cards)
    text = pdf_text(cards.read_bytes())
    assert len(re.findall(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}", text)) == 30
    password = re.compile(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}").search(text, text.index("learner00")).group(0)
    login_url = re.search(r"(http://127\.0\.0\.1:\d+/account/login\?username=learner00)", text).group(1)

    # one learner logs in with the card, chooses a password, completes a lesson and tries the quiz
    learner = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    learner.goto(login_url)
    expect(learner.locator("#username")).to_have_value("learner00")
    learner.fill("#password", password)
    learner.click("form.stack button[type=submit]")
    expect(learner).to_have_url(re.compile("/privacy/"))  # an account made by a trainer: the notice, once
    learner.check("#accept")
    learner.get_by_role("button", name="Continue").click()
    expect(learner).to_have_url(re.compile("/account/password$"))  # then a password of their own
    learner.fill("#current", password)
    learner.fill("#password", "my own password")
    learner.fill("#confirm", "my own password")
    learner.click("form.stack button[type=submit]")
    learner.goto(f"{base}/courses/sample-course/basics/welcome")
    learner.get_by_role("button", name="Mark as done").click()
    quiz = app.extensions["soglia.catalog"].course("sample-course").item("basics/check")
    learner.goto(f"{base}/courses/sample-course/basics/check")
    _answer_quiz(learner, quiz, wrong_ids={"budget-compares"})
    expect(learner.locator(".score")).to_be_visible()

    # the trainer sees it on the dashboard, on a phone too, without sideways scrolling
    page.get_by_role("link", name="Learners", exact=True).click()
    row = page.locator("li.learner", has_text="Learner 00")
    expect(row).to_contain_text("1/3")
    expect(row).to_contain_text("On track")
    expect(page.locator("main")).to_contain_text("30 learners")
    phone = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740},
                                storage_state=trainer.storage_state()).new_page()
    phone.goto(page.url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(screenshot_dir / "trainer-dashboard-phone.png"), full_page=True)
    phone.context.close()

    # the hardest question of the quiz
    page.get_by_role("link", name="Quizzes", exact=True).click()
    page.get_by_role("link", name="Check the basics").click()
    expect(page.locator("#hardest")).to_contain_text("What does a budget compare?")
    expect(page.locator("#hardest")).to_contain_text("0% right")
    page.screenshot(path=str(screenshot_dir / "item-analysis.png"), full_page=True)

    # the XLSX of the cohort's progress
    page.get_by_role("link", name="Learners", exact=True).click()
    with page.expect_download() as download:
        page.locator("a", has_text="XLSX").first.click()
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True)
    sheet = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    assert len(sheet) == 31
    assert next(r for r in sheet if r[1] == "learner00")[3] == 1

    # and the programme report for the funder
    page.goto(f"{base}/trainer/cohorts/")
    page.get_by_role("link", name="Programme report").click()
    page.get_by_role("button", name="Show").click()
    expect(page.locator("main")).to_contain_text("Torino spring")
    assert "Learner 00" not in page.locator("main").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    report = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert ["all people", "", "30", "1", "0", "0"] in report
    page.screenshot(path=str(screenshot_dir / "programme-report.png"), full_page=True)
    learner.context.close()
    trainer.close()


def _seed_workspace(app):
    """A cohort with the sample course and a learner who did a lesson and a quiz; returns the ids."""
    from app.cohorts import operations as cohorts
    from app.models import LessonProgress, QuestionAnswer, QuizAttempt, User
    from app.models.base import utcnow

    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.username == "admin-en"))
        learner = accounts.create_user(username="learner-ar", display_name="أمينة حداد", password="a good password",
                                       locale="ar", hash_method=FAST_HASH)
        cohort = cohorts.create_cohort(admin.organisation_id, admin, name="مجموعة تورينو", language="ar")
        cohorts.assign_courses(cohort, ["sample-course"])
        cohorts.add_existing_learners(admin, cohort, [learner.id])
        db.session.add(LessonProgress(user_id=learner.id, course_slug="sample-course", lesson_key="basics/welcome"))
        attempt = QuizAttempt(user_id=learner.id, course_slug="sample-course", quiz_key="basics/check", number=1,
                              seed=1, pass_mark=0.6, course_version="x", submitted_at=utcnow(), score=0.25,
                              passed=False)
        db.session.add(attempt)
        db.session.flush()
        db.session.add(QuestionAnswer(attempt_id=attempt.id, question_id="budget-compares", response="c",
                                      correct=False))
        db.session.commit()
        return cohort.id, learner.id, admin.organisation_id


def test_workspace_pages_are_accessible_valid_and_fit_a_phone(browser, site, tmp_path):
    """Every trainer workspace page, in English and Arabic, on a 360 px phone: axe-core, Nu checker, width."""
    from tests.e2e.checks import nu_errors
    from tests.e2e.test_every_page import PASSWORD, PHONE, Sweep

    cohort, learner, organisation = _seed_workspace(site.app)
    pages = [("cohorts", "/trainer/cohorts/"), ("cohort dashboard", f"/trainer/cohorts/{cohort}/"),
             ("cohort filtered", f"/trainer/cohorts/{cohort}/?show=late&q=x"),
             ("cohort settings", f"/trainer/cohorts/{cohort}/manage"),
             ("import", f"/trainer/cohorts/{cohort}/import"), ("login cards", f"/trainer/cohorts/{cohort}/cards"),
             ("add learners", f"/trainer/cohorts/{cohort}/learners/add"),
             ("quizzes", f"/trainer/cohorts/{cohort}/quizzes"),
             ("item analysis", f"/trainer/cohorts/{cohort}/quizzes/sample-course/basics/check"),
             ("learners", "/trainer/learners"), ("learner", f"/trainer/learners/{learner}"),
             ("programme report", "/trainer/report"), ("reset password", f"/trainer/people/{learner}/password"),
             ("staff", "/organisation/staff"), ("audit log", "/organisation/audit"),
             ("organisations", "/admin/organisations"), ("organisation", f"/admin/organisations/{organisation}"),
             ("join", "/join")]
    reports = []
    for language in ("en", "ar"):
        context = browser.new_context(viewport=PHONE, bypass_csp=True, locale=language)
        sweep = Sweep(context.new_page(), site.url, language)
        sweep.page.goto(f"{site.url}/account/login")
        sweep.page.fill("#username", f"admin-{language}")
        sweep.page.fill("#password", PASSWORD)
        sweep.page.click("form.stack button[type=submit]")
        sweep.page.wait_for_load_state()
        for label, path in pages:
            sweep.visit(label, path)
        sweep.visit("import with errors", f"/trainer/cohorts/{cohort}/import")
        sweep.page.fill("#pasted", "name,login\nA,b")
        sweep.submit("import with errors", "form.stack button[type=submit]")
        sweep.visit("reset confirm", f"/trainer/people/{learner}/password")
        sweep.submit("new password", "main form button[type=submit]")
        context.close()
        reports += sweep.reports
    problems = []
    for report in reports:
        if report.width > PHONE["width"] or report.overflowing:
            problems.append(f"{report.label}: {report.width} px wide at {PHONE['width']} px: {report.overflowing}")
        for violation in report.blocking:
            problems.append(f"{report.label}: axe {violation['impact']} {violation['id']} at {violation['targets']}")
    for label, errors in nu_errors(reports, tmp_path / "nu").items():
        problems.extend(f"{label}: Nu: {error}" for error in errors)
    assert len(reports) == 2 * (len(pages) + 4)
    assert not problems, "\n".join(problems)
