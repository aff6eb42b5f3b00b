"""Certificate PDFs: A4 landscape PDF/A-3b from a Jinja template by WeasyPrint, carrying the signed credential as an
attached JSON file; rendered once per state and language, and cached."""
import json
import logging
import os
import tempfile
import time
import unicodedata
from pathlib import Path

import segno
from flask import current_app, render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from ..competences.operations import competences_of
from ..i18n import text_direction
from ..services.certificates import format_code
from . import issuer, openbadges
from .presentation import default_pdf_languages, path_courses, titles

#: the name of the signed Open Badges credential attached to the PDF
CREDENTIAL_ATTACHMENT = "open-badge-credential.json"

log = logging.getLogger(__name__)

#: Only data: URIs (the QR code) may be loaded: rendering never makes a request or reads a file.
_FETCHER_PROTOCOLS = ("data",)


def writing_direction(text):
    """What dir="auto" means: 'rtl' if the first letter with a strong direction is right-to-left."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def qr_data_uri(url):
    """A QR code for `url` as an SVG data URI (vector, so it stays sharp when printed)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2, dark="#111111", light="#ffffff")


def _side(certificate, lang, course_title):
    """Every text of the certificate in one language."""
    with force_locale(lang):
        return {
            "lang": lang, "dir": text_direction(lang), "course": course_title,
            "courses": [course["title"] for course in path_courses(certificate, lang)],
            "competences_label": _("Competences"),
            "competences": [competence.name(lang) for competence in competences_of(certificate)],
            "heading": _("Certificate of completion"), "certifies": _("This certifies that"),
            "completed": (_("has completed the learning path") if certificate.is_path
                          else _("has completed the course")), "revoked_note": _("This certificate has been revoked."),
            "stamp": _("REVOKED"), "issued": _("Issued on %(date)s", date=format_date(certificate.issued_at, "long")),
            "code": _("Certificate code"), "check": _("Anyone can check this certificate at:"),
            "qr_alt": _("QR code of the verification address"),
        }


def _signed_credential_json(certificate):
    """The signed credential to attach, or None while no public base URL is configured (nothing is signed then)."""
    from .operations import signed_credential

    try:
        return json.dumps(signed_credential(certificate), ensure_ascii=False, indent=2)
    except issuer.PublicBaseUrlMissing as missing:
        log.warning("certificate PDF without its signed credential: %s", missing)
        return None


def render_pdf(certificate, verify_url, languages=None):
    """The certificate as PDF/A-3b bytes, in `languages` (one or two codes; default: `default_pdf_languages`),
    with the signed Open Badges credential attached as a JSON file."""
    languages = tuple(languages or default_pdf_languages(certificate))
    known = titles(certificate)
    sides = [_side(certificate, lang, known.get(lang, certificate.course_title)) for lang in languages]
    html = render_template(
        "certificates/pdf.html", certificate=certificate, code=format_code(certificate.code), sides=sides,
        verify_url=verify_url, qr=qr_data_uri(verify_url), lang=languages[0],
        page_dir=text_direction(languages[0]), direction=writing_direction,
        issued=openbadges.timestamp(certificate.issued_at),
        modified=openbadges.timestamp(certificate.revoked_at or certificate.issued_at),
        keywords=", ".join(dict.fromkeys(["Open Badges 3.0", "verifiable credential", *(s["course"] for s in sides),
                                          *sides[0]["competences"]])),
    )
    credential = _signed_credential_json(certificate)
    # imported on first use: WeasyPrint loads the system's Pango, which only PDFs need
    from weasyprint import HTML, Attachment, URLFetcher

    attachments = [Attachment(string=credential, name=CREDENTIAL_ATTACHMENT, relationship="Data",
                              description="Signed Open Badges 3.0 credential (W3C Data Integrity, eddsa-rdfc-2022)",
                              created=certificate.issued_at, modified=certificate.issued_at)] if credential else []
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=_FETCHER_PROTOCOLS)).write_pdf(
        pdf_variant="pdf/a-3b", attachments=attachments)


def render_html_pdf(html):
    """PDF bytes from an HTML page that fetches nothing but data: URIs (no request, no file read)."""
    # imported on first use: WeasyPrint loads the system's Pango, which only PDFs need
    from weasyprint import HTML, URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=_FETCHER_PROTOCOLS)).write_pdf()


def pdf_folder():
    """Where rendered PDFs are kept: CERTIFICATE_PDF_DIR if set, else instance/certificates."""
    return Path(current_app.config.get("CERTIFICATE_PDF_DIR") or Path(current_app.instance_path) / "certificates")


def forget_pdfs(certificate):
    """Delete every rendered PDF of the certificate (they show the holder's name)."""
    for path in pdf_folder().glob(f"{certificate.code}-*.pdf"):
        path.unlink(missing_ok=True)


def pdf_path(certificate, languages=None):
    """Where the certificate's PDF in `languages` and its current state (valid or revoked) is kept, rendered or not."""
    languages = tuple(languages or default_pdf_languages(certificate))
    _signed_credential_json(certificate)  # signed (and kept) first, so the file name says whether it is attached
    state = ("revoked" if certificate.is_revoked else "valid") + ("" if certificate.credential else "-unsigned")
    return pdf_folder() / f"{certificate.code}-{'-'.join(languages)}-{state}.pdf"


def cached_pdf(certificate, verify_url, languages=None):
    """The path of the certificate's PDF in `languages` and its current state, rendered on first use."""
    languages = tuple(languages or default_pdf_languages(certificate))
    path = pdf_path(certificate, languages)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    data = render_pdf(certificate, verify_url, languages)
    log.info("rendered certificate PDF %s in %.0f ms", path.name, 1000 * (time.perf_counter() - started))
    fd, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)  # atomic: a concurrent download sees the whole file or none
    return path


def warm_up():
    """Load WeasyPrint, Pango and the fonts once (about two seconds), so a worker's first PDF is as quick as the next."""
    render_html_pdf("<p>Soglia</p>")
