"""The certificate PDF is PDF/A-3b with its metadata, and carries the signed credential as an attached file."""
import io
import json
from datetime import UTC

import pypdfium2 as pdfium
from pypdf import PdfReader

from app.certificates import dataintegrity
from app.services.certificates import find_certificate
from tests.certificates.test_pdf import download


def attachments_of(data):
    return {name: contents[0] for name, contents in PdfReader(io.BytesIO(data)).attachments.items()}


def test_the_pdf_is_pdf_a_3b_with_title_author_subject_keywords_and_dates(client, auth, issue, app):
    code = issue()
    auth.login()
    reader = PdfReader(io.BytesIO(download(client, code).data))
    raw = reader.xmp_metadata.stream.get_data().decode()
    assert 'pdfaid:part="3"' in raw and 'pdfaid:conformance="B"' in raw  # PDF/A-3b, in the XMP metadata
    assert "<rdf:li>Soglia Test NGO</rdf:li>" in raw and "<xmp:CreateDate>" in raw
    assert reader.trailer["/Root"]["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    info = reader.metadata
    assert info.title == f"Certificate of completion · {code}"
    assert info.author == "Soglia Test NGO"
    assert "Sample course" in info.subject and "Amina Haddad" in info.subject
    keywords = info["/Keywords"]
    assert "Open Badges 3.0" in keywords and "Sample course" in keywords and "Corso di prova" in keywords
    with app.app_context():
        issued = find_certificate(code).issued_at.replace(microsecond=0)
    assert info.creation_date.astimezone(UTC) == issued


def test_the_signed_credential_is_attached_and_verifies_on_its_own(client, auth, issue):
    code = issue()
    auth.login()
    data = download(client, code).data
    attached = attachments_of(data)
    assert list(attached) == ["open-badge-credential.json"]
    credential = json.loads(attached["open-badge-credential.json"])
    assert credential == json.loads(client.get(f"/verify/{code}.json").get_data(as_text=True))
    did_document = json.loads(client.get("/.well-known/did.json").get_data(as_text=True))
    assert dataintegrity.verify(credential, dataintegrity.key_resolver(did_document))
    credential["credentialSubject"]["name"] = "Somebody Else"
    assert not dataintegrity.verify(credential, dataintegrity.key_resolver(did_document))
    # PDF/A-3 names the file's relationship to the document in the catalogue's /AF list
    reader = PdfReader(io.BytesIO(data))
    (spec,) = {reference.idnum: reference for reference in reader.trailer["/Root"]["/AF"]}.values()  # WeasyPrint
    spec = spec.get_object()  # lists the one file twice
    assert spec["/AFRelationship"] == "/Data" and spec["/UF"] == "open-badge-credential.json"
    assert spec["/EF"]["/F"].get_object()["/Subtype"] == "/application/json"
    document = pdfium.PdfDocument(data)  # a second, independent reader sees it too
    assert document.count_attachments() == 1 and document.get_attachment(0).get_name() == "open-badge-credential.json"
    assert json.loads(bytes(document.get_attachment(0).get_data()))["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"


def test_every_language_version_carries_the_same_credential(client, auth, issue):
    code = issue()
    auth.login()
    default = attachments_of(download(client, code).data)
    with client.get(f"/certificates/{code}.pdf?language=it") as response:
        italian = attachments_of(response.get_data())
    assert default == italian


def test_without_a_public_base_url_the_pdf_downloads_without_a_credential(client, auth, issue, app):
    code = issue()
    app.config["PUBLIC_BASE_URL"] = None
    auth.login()
    data = download(client, code).data
    assert attachments_of(data) == {}
    assert b'pdfaid:part="3"' in PdfReader(io.BytesIO(data)).xmp_metadata.stream.get_data()
