"""Bulk accounts: pasted text, CSV or XLSX; every bad row explained; all or nothing; login cards."""
import io
import re

import pypdfium2
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.cohorts.models import CohortMember
from app.extensions import db
from app.models import User
from tests.conftest import PASSWORD

HEADER = "display_name,username,email,language,track\n"


@pytest.fixture
def trainer(client, workspace):
    workspace.person("tina", role="trainer")
    cohort = workspace.cohort()
    client.post("/account/login", data={"username": "tina", "password": PASSWORD})
    return cohort


def _learners(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User).where(User.role == "learner"))


def _upload(client, cohort, data, filename):
    return client.post(f"/trainer/cohorts/{cohort}/import", data={"upload": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def _xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_pasted_list_creates_accounts_in_the_cohort(app, client, trainer):
    pasted = HEADER + "".join(f"Learner {n},learner{n},,{'ar' if n % 2 else ''},\n" for n in range(30))
    response = client.post(f"/trainer/cohorts/{trainer}/import", data={"pasted": pasted})
    assert response.headers["Location"] == f"/trainer/cohorts/{trainer}/cards"
    with app.app_context():
        users = db.session.scalars(select(User).where(User.role == "learner").order_by(User.id)).all()
        assert len(users) == 30 and all(u.must_change_password for u in users)
        assert {u.locale for u in users} == {"ar", "en"}  # the cohort's language fills the gaps
        assert db.session.scalar(select(func.count()).select_from(CohortMember)) == 30
        assert not users[0].check_password("")  # no password works before the card is printed


def test_an_xlsx_upload_with_semicolons_and_tabs_alike(app, client, trainer):
    data = _xlsx([["Display name", "Username", "Track"], ["أمينة حداد", "Amina.H", "operator"]])
    assert _upload(client, trainer, data, "list.xlsx").status_code == 302
    semicolons = "display_name;username\nLuca Bianchi;luca\n".encode()
    assert _upload(client, trainer, semicolons, "list.csv").status_code == 302
    with app.app_context():
        amina = db.session.scalar(select(User).where(User.username == "amina.h"))
        assert (amina.display_name, amina.track) == ("أمينة حداد", "operator")


@pytest.mark.parametrize("content, filename, message", [
    (b"", "empty.csv", "The file is empty."),
    (b"name,login\nA,b\n", "wrong.csv", "The first row must name the columns"),
    (HEADER.encode(), "only-header.csv", "There are no learners under the header row."),
    (b"\xff\xfe\x00b\x00a\x00d", "utf16.csv", "The file is not UTF-8 text."),
    (b"PK\x03\x04 not really a spreadsheet", "broken.xlsx", "This file is not a readable XLSX spreadsheet."),
    (b"display_name,username\nA,bb\n", "list.pdf", "Upload a .csv or .xlsx file."),
])
def test_unusable_files_are_refused_whole(app, client, trainer, content, filename, message):
    response = _upload(client, trainer, content, filename)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _learners(app) == 0


def test_every_bad_row_is_reported_and_nothing_is_imported(app, client, trainer, make_user):
    make_user("taken", display_name="Someone")
    rows = [
        "Good One,good1,,,",
        ",nameless,,,",  # row 3
        "Dup A,twice,,,",  # row 4
        "Dup B,Twice,,,",  # row 5: same username, other case
        "Taken,taken,,,",  # row 6: exists in the database
        f"{'x' * 121},long,,,",  # row 7
        "Bad Mail,mail1,not-an-email,,",  # row 8
        "Bad Lang,lang1,,xx,",  # row 9
        "Bad Track,track1,,,pirate",  # row 10
        "Sp Ace,has space,,,",  # row 11
        "Mail A,mail2,same@example.org,,",  # row 12
        "Mail B,mail3,SAME@example.org,,",  # row 13
    ]
    response = client.post(f"/trainer/cohorts/{trainer}/import", data={"pasted": HEADER + "\n".join(rows)})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Nothing was imported." in html
    for number, reason in [(3, "display_name is empty"), (5, "username twice is also on row 4"),
                           (6, "username taken already has an account"),
                           (7, "display_name is longer than 120 characters"), (8, "email is not a valid address"),
                           (9, "language must be one of"), (10, "track must be one of"),
                           (11, "username must be 3 to 40 letters"), (13, "email same@example.org is also on row 12")]:
        assert re.search(rf"Row {number}: <span dir=\"auto\">[^<]*{re.escape(reason)}", html), (number, reason)
    assert "Row 2:" not in html and "Row 4:" not in html
    assert _learners(app) == 1  # only the account that was already there


def test_a_spreadsheet_with_a_formula_is_refused(app, client, trainer):
    data = _xlsx([["display_name", "username"], ["Amina", "amina"], ["=HYPERLINK(\"http://x\")", "evil"]])
    response = _upload(client, trainer, data, "list.xlsx")
    assert response.status_code == 400
    assert "Row 3 has a formula. Paste values only" in response.get_data(as_text=True)
    assert _learners(app) == 0


def test_a_20_mb_file_gets_a_clear_message(app, client, trainer):
    body = b"--x\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"huge.csv\"\r\n\r\n"
    response = client.post(f"/trainer/cohorts/{trainer}/import", data=body + b"a" * (20 * 1024 * 1024) + b"\r\n--x--\r\n",
                           content_type="multipart/form-data; boundary=x")
    assert response.status_code == 413
    assert "The file is too large: at most 2 MB." in response.get_data(as_text=True)
    assert client.post("/account/profile", data={"display_name": "x" * 70_000}).status_code == 413  # others stay small


def pdf_text(data):
    """All the text of a PDF, page after page."""
    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_login_cards_give_one_time_passwords_and_a_new_password_at_first_login(app, client, trainer):
    pasted = HEADER + "Amina Haddad,amina,,ar,\nLuca Bianchi,luca,,it,\n"
    client.post(f"/trainer/cohorts/{trainer}/import", data={"pasted": pasted})
    confirm = client.get(f"/trainer/cohorts/{trainer}/cards").get_data(as_text=True)
    assert "2 learners have not chosen their own password yet." in confirm
    with app.app_context():
        ids = db.session.scalars(select(User.id).where(User.role == "learner").order_by(User.username)).all()
    response = client.post(f"/trainer/cohorts/{trainer}/cards", data={"learners": ids})
    assert response.mimetype == "application/pdf" and response.headers["Cache-Control"] == "no-store"
    text = pdf_text(response.data)
    assert "اسم المستخدم" in text  # Amina's card speaks Arabic
    assert "Nome utente" in text  # Luca's card speaks Italian
    passwords = re.findall(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}", text)
    password = re.compile(r"([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})").search(text, text.index("luca"))
    assert len(passwords) == 2 and password is not None
    learner = app.test_client()
    assert learner.post("/account/login", data={"username": "luca", "password": password.group(1)}).status_code == 302
    assert learner.get("/").headers["Location"] == "/account/password"
    assert learner.get("/account/password").headers["Location"].startswith("/privacy/")  # the notice comes first
    learner.post("/privacy/", data={"accept": "y"})
    learner.post("/account/password", data={"current": password.group(1), "password": "my own secret",
                                            "confirm": "my own secret"})
    assert learner.get("/").status_code == 200
    with app.app_context():
        assert not db.session.scalar(select(User).where(User.username == "luca")).must_change_password
