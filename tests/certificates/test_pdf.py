"""The certificate PDF: A4 landscape, the holder's name in any script, a QR code to the public check, a cache."""
import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
import zxingcpp

from app import create_app
from app.certificates import pdf as pdf_module
from app.extensions import db
from app.models import Certificate, User
from app.services.certificates import find_certificate, format_code, revoke
from tests.certificates.conftest import complete_course
from tests.conftest import PASSWORD, make_config

A4_LANDSCAPE = (841.89, 595.28)  # points


def download(client, code):
    """The PDF response, read and closed (it streams from the cached file)."""
    with client.get(f"/certificates/{code}.pdf") as response:
        assert response.status_code == 200, response.status_code
        response.get_data()  # read it while the file is open
    return response


def first_page(data):
    return pdfium.PdfDocument(data)[0]


def page_text(data):
    """The page's text; PDFium writes U+FFFE for a hyphen that ends a line."""
    return first_page(data).get_textpage().get_text_range().replace("\ufffe", "-")


def font_names(data):
    """The names of the fonts the page's text is drawn with."""
    textpage = first_page(data).get_textpage()
    names = set()
    for index in range(textpage.count_chars()):
        size = pdfium_raw.FPDFText_GetFontInfo(textpage, index, None, 0, None)
        buffer = ctypes.create_string_buffer(size)
        pdfium_raw.FPDFText_GetFontInfo(textpage, index, buffer, size, None)
        names.add(buffer.value.decode())
    return names


def rendered(data, scale=2):
    return first_page(data).render(scale=scale).to_pil()


def test_the_pdf_is_an_a4_landscape_attachment_with_everything_a_certificate_says(client, auth, issue, app):
    code = issue(username="zoe", display_name="Zoë Łukasiewicz-Ñúñez")
    auth.login("zoe")
    response = download(client, code)
    data = response.data
    assert data.startswith(b"%PDF-") and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f"attachment; filename=soglia-certificate-{code}.pdf"
    assert "private" in response.headers["Cache-Control"]
    assert len(pdfium.PdfDocument(data)) == 1
    width, height = first_page(data).get_size()
    assert (width, height) == pytest.approx(A4_LANDSCAPE, abs=1)
    text = page_text(data)
    for expected in ("Zoë Łukasiewicz-Ñúñez", "Soglia Test NGO", "Certificate of completion", "Sample course", code):
        assert expected in text
    assert "REVOKED" not in text
    with app.app_context():
        issued = find_certificate(code).issued_at
    assert str(issued.year) in text
    assert "Noto-Sans" in " ".join(font_names(data))


def test_a_cyrillic_name_is_written_in_cyrillic(client, auth, issue):
    code = issue(username="alexei", display_name="Алексей Петрович Смирнов")
    auth.login("alexei")
    data = download(client, code).data
    assert "Алексей Петрович Смирнов" in page_text(data)


def test_an_arabic_name_is_set_in_an_arabic_font_and_drawn(client, auth, issue, screenshot_dir):
    name = "أمينة حداد"
    code = issue(username="amina-ar", display_name=name)
    auth.login("amina-ar")
    data = download(client, code).data
    assert any("Arabic" in font for font in font_names(data))  # Noto Naskh Arabic or Noto Sans Arabic
    # Text extraction may return Arabic in visual order; the letters are there either way.
    assert set(name.replace(" ", "")) <= set(page_text(data))
    image = rendered(data)
    image.save(screenshot_dir / "certificate-pdf-arabic-name.png")
    assert image.convert("L").getextrema()[0] < 80  # something dark was drawn


def test_the_qr_code_opens_the_public_verification_address(tmp_path, courses_dir, make_user):
    app = create_app(make_config(tmp_path, courses_dir, PUBLIC_BASE_URL="https://learn.example.org/",
                                 CERTIFICATE_PDF_DIR=str(tmp_path / "pdfs")))
    with app.app_context():
        db.create_all()
    make_user("amina", target_app=app)
    client = app.test_client()
    client.post("/account/login", data={"username": "amina", "password": PASSWORD})
    complete_course(client, app.extensions["soglia.catalog"].course("sample-course"))
    with app.app_context():
        code = db.session.scalar(db.select(Certificate.code))
    data = download(client, format_code(code)).data
    found = [barcode.text for barcode in zxingcpp.read_barcodes(rendered(data))]
    assert found == [f"https://learn.example.org/verify/{format_code(code)}"]
    assert found[0] in "".join(page_text(data).split())  # the address may wrap onto a second line
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_pdf_is_rendered_once_then_read_from_the_cache(client, auth, issue, app, monkeypatch):
    code = issue()
    auth.login()
    calls = []
    real_render = pdf_module.render_pdf

    def render_once(*args):
        calls.append(args)
        if len(calls) > 1:
            raise AssertionError("rendered again instead of reading the cache")
        return real_render(*args)

    monkeypatch.setattr(pdf_module, "render_pdf", render_once)
    first = download(client, code).data
    # English holder, Italian organisation, a course with an Italian version: bilingual by default
    cached = Path(app.config["CERTIFICATE_PDF_DIR"]) / f"{code.replace('-', '')[3:]}-en-it-valid.pdf"
    assert cached.read_bytes() == first
    assert download(client, code).data == first
    assert len(calls) == 1
    assert [path.name for path in cached.parent.iterdir()] == [cached.name]  # no temporary file left behind


def test_a_revoked_certificate_still_downloads_marked_revoked(client, auth, issue, app, make_user):
    code = issue()
    admin_id = make_user("boss", role="admin")
    auth.login()
    valid = download(client, code).data
    with app.app_context():
        revoke(find_certificate(code), db.session.get(User, admin_id), "Fraud")
        db.session.commit()
    revoked = download(client, code).data
    assert "REVOKED" in page_text(revoked) and "This certificate has been revoked." in page_text(revoked)
    assert "REVOKED" not in page_text(valid)
    folder = Path(app.config["CERTIFICATE_PDF_DIR"])
    assert sorted(path.name.rsplit("-", 1)[1] for path in folder.iterdir()) == ["revoked.pdf", "valid.pdf"]


def test_rendering_fetches_nothing_but_data_uris(app, issue, monkeypatch):
    code = issue(display_name='Evil <img src="http://127.0.0.1:9/x.png"> <link rel=stylesheet href="file:///etc/x">')
    fetched = []

    import weasyprint

    class Spy(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            fetched.append(url)
            return super().fetch(url, headers)

    monkeypatch.setattr(weasyprint, "URLFetcher", Spy)
    with app.test_request_context():
        data = pdf_module.render_pdf(find_certificate(code), "https://learn.example.org/verify/x")
    assert all(url.startswith("data:") for url in fetched) and fetched
    assert "Evil <img" in page_text(data)  # the name is text, escaped, not markup


def test_the_longest_name_and_title_stay_clear_of_the_footer(app, issue):
    name = ("Maria Guadalupe Fernández de la Concepción " * 3)[:120]  # the longest display name allowed
    code = issue(display_name=name)
    with app.test_request_context():
        certificate = find_certificate(code)
        certificate.course_title = ("Financial literacy for newcomers: budgeting, saving and credit " * 5)[:300]
        data = pdf_module.render_pdf(certificate, "https://learn.example.org/verify/" + code)
    textpage = first_page(data).get_textpage()
    text = textpage.get_text_range()
    title_end = text.index("credit", text.index("has completed the course")) + 5
    code_line = text.index(code)
    title_bottom = min(textpage.get_charbox(i)[1] for i in range(title_end - 40, title_end))
    footer_bottom = textpage.get_charbox(code_line)[1]
    assert title_bottom > footer_bottom + 30 / 25.4 * 72  # above the 30 mm QR code that stands on the footer line
