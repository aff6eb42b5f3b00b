"""Certificate PDFs: A4 landscape from a Jinja template by WeasyPrint, rendered once per state and cached."""
import logging
import os
import tempfile
import time
import unicodedata
from pathlib import Path

import segno
from flask import current_app, render_template
from flask_babel import force_locale

from ..i18n import text_direction
from ..services.certificates import format_code

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


def render_pdf(certificate, verify_url):
    """The certificate as PDF bytes, labelled in the certificate's language."""
    language = certificate.course_language
    with force_locale(language):
        html = render_template(
            "certificates/pdf.html", certificate=certificate, code=format_code(certificate.code),
            verify_url=verify_url, qr=qr_data_uri(verify_url), lang=language,
            page_dir=text_direction(language), direction=writing_direction,
        )
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


def cached_pdf(certificate, verify_url):
    """The path of the certificate's PDF in its current state (valid or revoked), rendering it on first use."""
    folder = pdf_folder()
    path = folder / f"{certificate.code}-{'revoked' if certificate.is_revoked else 'valid'}.pdf"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    data = render_pdf(certificate, verify_url)
    log.info("rendered certificate PDF %s in %.0f ms", path.name, 1000 * (time.perf_counter() - started))
    fd, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)  # atomic: a concurrent download sees the whole file or none
    return path
