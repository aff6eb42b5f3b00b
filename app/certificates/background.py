"""Certificate PDFs off the request path: rendered by a background job as soon as a certificate is issued (after
its commit), and the download waits for it only briefly."""
import time

from flask import current_app, has_request_context, request
from sqlalchemy import event, select

from .. import jobs
from ..extensions import db
from ..models import Certificate
from .operations import verification_url
from .pdf import cached_pdf, pdf_path, warm_up

#: session.info key: codes of the certificates flushed in the current transaction
_ISSUED = "soglia.issued_certificates"
#: how often a waiting download looks for the file
POLL_SECONDS = 0.05


def init_app(app):
    jobs.on_worker_start(app, warm_up)
    if not event.contains(db.session, "after_flush", _note_issued):
        event.listen(db.session, "after_flush", _note_issued)
        event.listen(db.session, "after_commit", _prepare_issued)
        event.listen(db.session, "after_transaction_end", _forget_uncommitted)


def _note_issued(session, _flush_context):
    for obj in session.new:
        if isinstance(obj, Certificate):
            session.info.setdefault(_ISSUED, []).append(obj.code)


def _prepare_issued(session):
    if session.get_nested_transaction() is None:  # the whole transaction, not a savepoint
        for code in session.info.pop(_ISSUED, ()):
            prepare(code)


def _forget_uncommitted(session, transaction):
    if transaction.parent is None:
        session.info.pop(_ISSUED, None)


def job_id(code, languages=None):
    return f"certificate-pdf-{code}-{'-'.join(languages) if languages else 'default'}"


def prepare(code, languages=None):
    """Queue the rendering of a certificate's PDF (once per certificate and languages); False if not queued."""
    base_url = current_app.config.get("PUBLIC_BASE_URL") or (request.url_root if has_request_context() else None)
    if not base_url:
        return False
    return jobs.get_jobs().enqueue(render_job, (code, tuple(languages) if languages else None, base_url),
                                   job_id(code, languages))


def render_job(code, languages, base_url):
    """The job: render the PDF into the cache (in its own app and request context, for addresses and a session)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.app_context(), app.test_request_context("/", base_url=base_url):
        certificate = db.session.scalar(select(Certificate).where(Certificate.code == code))
        if certificate is not None:
            cached_pdf(certificate, verification_url(certificate), languages)


def ready_pdf(certificate, languages=None):
    """The path of the rendered PDF, waiting up to CERTIFICATE_PDF_WAIT seconds for a background job; None if it
    is still being prepared. Rendered here when no worker can do it: no queue server, a failed job, none queued."""
    path = pdf_path(certificate, languages)
    if path.exists():
        return path
    queue, key = jobs.get_jobs(), job_id(certificate.code, languages)
    state = queue.status(key)
    if state == jobs.PENDING or (state is None and queue.background and prepare(certificate.code, languages)):
        deadline = time.monotonic() + current_app.config["CERTIFICATE_PDF_WAIT"]
        while not path.exists():
            if time.monotonic() >= deadline:
                return None
            time.sleep(POLL_SECONDS)
        return path
    return cached_pdf(certificate, verification_url(certificate), languages)
