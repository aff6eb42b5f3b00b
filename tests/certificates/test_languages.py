"""A certificate in the viewer's language: the verify page, and PDFs in any language the course has."""
import pypdfium2 as pdfium
import pytest

from tests.certificates.test_pdf import download, page_text


def test_the_verify_page_follows_the_visitors_language_with_the_holders_title_beside(client, issue):
    code = issue()  # an English-speaking holder: the course title as issued is "Sample course"
    html = client.get(f"/verify/{code}", headers={"Accept-Language": "it-IT,it;q=0.9"}).get_data(as_text=True)
    assert '<html lang="it"' in html and "Verifica del certificato" in html
    assert '<span class="title" lang="it" dir="auto">Corso di prova</span>' in html
    assert 'class="also" lang="en">English: <bdi dir="auto">Sample course</bdi>' in html


def test_the_language_switch_on_the_page_wins_over_the_browser(client, issue):
    code = issue(locale="it")  # an Italian-speaking holder: issued as "Corso di prova"
    html = client.get(f"/verify/{code}?lang=en", headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert '<html lang="en"' in html
    assert '<span class="title" lang="en" dir="auto">Sample course</span>' in html
    assert 'class="also" lang="it">Italiano: <bdi dir="auto">Corso di prova</bdi>' in html


def test_a_language_the_course_lacks_shows_the_holders_title_alone(client, issue):
    code = issue(locale="it")
    html = client.get(f"/verify/{code}", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl"' in html
    assert '<span class="title" lang="it" dir="auto">Corso di prova</span>' in html and 'class="also"' not in html



def test_the_pdf_is_bilingual_when_the_holder_does_not_read_the_organisations_language(client, auth, issue):
    code = issue()
    auth.login()
    text = page_text(download(client, code).data)
    assert "Certificate of completion" in text and "Certificato di completamento" in text
    assert "Sample course" in text and "Corso di prova" in text


def test_the_pdf_is_in_one_language_when_the_holder_reads_the_organisations(client, auth, issue):
    code = issue(locale="it")
    auth.login()
    text = page_text(download(client, code).data)
    assert "Certificato di completamento" in text and "Corso di prova" in text
    assert "Certificate of completion" not in text and "Sample course" not in text


def test_the_holder_downloads_the_pdf_in_any_language_of_the_course(client, auth, issue, app):
    code = issue()
    auth.login()
    show = client.get(f"/certificates/{code}").get_data(as_text=True)
    for language in ("it", "en"):
        assert f'href="/certificates/{code}.pdf?language={language}"' in show
    with client.get(f"/certificates/{code}.pdf?language=it") as response:
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == f"attachment; filename=soglia-certificate-{code}-it.pdf"
        text = page_text(response.get_data())
    assert "Certificato di completamento" in text and "Corso di prova" in text and "Sample course" not in text
    with client.get(f"/certificates/{code}.pdf?language=en") as response:
        text = page_text(response.get_data())
    assert "Certificate of completion" in text and "Certificato" not in text


@pytest.mark.parametrize("language", ["ar", "xx", "", "en,it", "../../etc"])
def test_a_language_the_course_lacks_is_404(client, auth, issue, language):
    code = issue()
    auth.login()
    assert client.get(f"/certificates/{code}.pdf", query_string={"language": language}).status_code == 404


def test_the_organisation_language_is_configurable(client, auth, issue, app):
    app.config["ORGANISATION_LANGUAGE"] = "en"
    code = issue()
    auth.login()
    assert len(pdfium.PdfDocument(download(client, code).data)) == 1
    assert "Certificato" not in page_text(download(client, code).data)
