"""End to end: an Arabic-speaking learner builds a business plan, a trainer reviews it, a jury ranks it."""
from datetime import timedelta

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from app.calls import operations as calls
from app.extensions import db
from app.models import User
from app.models.base import utcnow
from app.privacy.operations import accept_notice
from app.services import accounts
from tests.conftest import FAST_HASH, REAL_COURSES

pytestmark = pytest.mark.e2e

COURSE = "/courses/business-start-up"
CANVAS = {
    "customer_segments": "نساء الحي والعاملون في المكاتب", "value_propositions": "لفائف طازجة بسعر عادل",
    "channels": "سوق الحي ومجموعة واتساب", "customer_relationships": "بطاقة وفاء", "revenue_streams": "بيع كل لفافة نقدًا",
    "key_resources": "عربة طعام وموقد", "key_activities": "الطبخ والبيع كل يوم", "key_partners": "مورّد الخبز",
    "cost_structure": "مكان في السوق، الغاز، المواد",
}


@pytest.fixture
def courses_dir():
    return REAL_COURSES


def log_in(context, base, username, password="a good password"):
    page = context.new_page()
    page.goto(f"{base}/account/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form.stack button[type=submit]")
    return page


def test_a_learner_in_arabic_from_canvas_to_the_ranking(browser, live_server, tmp_path, screenshot_dir):
    base, app = live_server.url, live_server.app
    with app.app_context():
        for username, name, role, locale in [("samir", "سمير", "learner", "ar"), ("tina", "Tina Rossi", "trainer", "it"),
                                             ("jay", "Jay Juror", "trainer", "en"), ("joe", "Jo Juror", "trainer", "en")]:
            accounts.create_user(username=username, display_name=name, password="a good password", role=role,
                                 locale=locale, hash_method=FAST_HASH)
        db.session.execute(update(User).where(User.username == "tina").values(organisation_admin=True))
        users = {u.username: u for u in db.session.scalars(select(User))}
        for user in users.values():
            accept_notice(user)  # they read the privacy notice when their accounts were made
        db.session.commit()
        course = app.extensions["soglia.catalog"].course("business-start-up")
        call = calls.open_call(users["tina"], course, "Dream Big! 2027", "أفكار للحي", utcnow() + timedelta(days=7),
                               ["from-idea-to-business-model/your-business-model-canvas",
                                "business-plan-and-numbers/your-break-even-point"],
                               [("Clear idea", 2.0), ("Numbers that hold", 1.0)], [users["jay"].id, users["joe"].id])
        db.session.commit()
        call_id = call.id

    learner_context = browser.new_context(viewport={"width": 360, "height": 740}, accept_downloads=True)
    learner = log_in(learner_context, base, "samir")
    learner.goto(f"{base}{COURSE}/from-idea-to-business-model/your-business-model-canvas")
    expect(learner.locator("html")).to_have_attribute("dir", "rtl")
    for field_id, text in CANVAS.items():
        learner.fill(f"#in-{field_id}", text)
    learner.click("form.worksheet button[type=submit]")
    expect(learner.locator(".flash.success").first).to_be_visible()
    assert learner.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling

    learner.goto(f"{base}{COURSE}/business-plan-and-numbers/your-break-even-point")
    for name, value in {"product": "لفافة", "price": "٦", "variable_cost": "2,50", "own_pay": "1200",
                        "expected_units": "750", "fixed_costs.0.item": "مكان في السوق", "fixed_costs.0.amount": "400",
                        "fixed_costs.1.item": "غاز وتأمين", "fixed_costs.1.amount": "650"}.items():
        learner.fill(f"[name='{name}']", value)
    learner.click("form.worksheet button[type=submit]")
    expect(learner.locator("#in-break_even")).to_contain_text("300")

    learner.goto(f"{base}{COURSE}/business-plan-and-numbers/your-cash-flow-plan")
    learner.fill("#in-opening", "3000")
    learner.fill("#in-bad_case_drop", "20")
    learner.fill("#in-bad_case_plan", "أقلل أجري في الأشهر الأولى")
    for month in range(12):
        learner.fill(f"[name='months.{month}.month']", f"ش{month + 1}")
        learner.fill(f"[name='months.{month}.cash_in']", str(1500 + 100 * month))
        learner.fill(f"[name='months.{month}.cash_out']", "1400")
    learner.click("form.worksheet button[type=submit]")
    expect(learner.locator("#in-closing")).to_contain_text("10,800")

    # the Arabic + Italian PDF
    learner.goto(f"{base}/workbook/business-start-up")
    learner.select_option("#second", "it")
    with learner.expect_download() as download:
        learner.click("form[action$='plan.pdf'] button[type=submit]")
    pdf_path = tmp_path / "plan.pdf"
    download.value.save_as(pdf_path)
    document = pdfium.PdfDocument(pdf_path.read_bytes())
    pages = [page.get_textpage().get_text_range() for page in document]
    assert "Segmenti di clientela" in pages[0] and set("مورّد الخبز") <= set(pages[0])
    numbers = "\n".join(pages[1:])
    assert "Punto di pareggio" in numbers and "300" in numbers.split("Punto di pareggio")[1][:80]
    document[0].render(scale=1.6).to_pil().save(screenshot_dir / "business-plan-ar-it-page1.png")

    # shared with Tina, with consent
    learner.select_option("#reviewer", label="Tina Rossi")
    learner.check("#consent")
    learner.click("form[action$='/share'] button[type=submit]")
    expect(learner.locator(".flash.success").first).to_contain_text("Tina Rossi")

    # Tina comments on the price and marks the plan ready
    tina = log_in(browser.new_context(), base, "tina")
    tina.goto(f"{base}/review")
    tina.click("text=سمير")
    sheet = tina.locator("section.review-sheet", has=tina.locator("#f-business-plan-and-numbers\\/your-break-even-point-price"))
    sheet.locator("select[name=place]").select_option("business-plan-and-numbers/your-break-even-point#price")
    sheet.locator("textarea[name=body]").fill("Il prezzo di 6 € va bene per il mercato? Controlla i concorrenti.")
    sheet.locator("button[type=submit]").click()
    tina.click("form[action$='/ready'] button[type=submit]")
    expect(tina.locator(".flash.success").first).to_be_visible()

    # Samir sees the notice and the comment under the price
    learner.goto(f"{base}/")
    expect(learner.locator("p.notice[role=status]")).to_be_visible()
    learner.goto(f"{base}{COURSE}/business-plan-and-numbers/your-break-even-point")
    expect(learner.locator("#f-price .comments")).to_contain_text("Controlla i concorrenti")

    # he submits to the open call
    learner.goto(f"{base}/calls/{call_id}")
    learner.click(f"form[action$='/calls/{call_id}/submit'] button[type=submit]")
    expect(learner.locator(".flash.success").first).to_be_visible()

    # two jurors score it
    for juror, (first, second) in (("jay", ("8", "6")), ("joe", ("7", "7"))):
        page = log_in(browser.new_context(), base, juror)
        page.goto(f"{base}/calls/{call_id}")
        page.click("text=سمير")
        expect(page.locator("main")).to_contain_text("مورّد الخبز")
        inputs = page.locator("input[type=number]")
        inputs.nth(0).fill(first)
        inputs.nth(1).fill(second)
        page.click("form.worksheet button[type=submit]")
        expect(page.locator(".flash.success").first).to_be_visible()

    # the ranking shows it: (8×2 + 6) ÷ 3 = 7.33 and 7, mean 7.17, spread 0.33 (Tina reads Italian: 7,17)
    tina.goto(f"{base}/calls/{call_id}/results")
    row = tina.locator("table.ranking tbody tr").first
    expect(row).to_contain_text("سمير")
    expect(row).to_contain_text("7,17")
    expect(row).to_contain_text("0,33")
