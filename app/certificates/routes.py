"""Certificates for their holders (page, PDF) and for anyone checking one (verify by code, Open Badges, DID)."""
from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, jsonify, make_response, redirect, render_template, request, send_file,
                   url_for)
from flask_login import current_user, login_required

from ..competences.operations import competences_of
from ..extensions import limiter
from ..i18n import current_language
from ..pagecache import kept_page
from ..services.certificates import (certificates_of, find_certificate, format_code, normalise_code, own_certificate,
                                     verified_certificate)
from . import issuer as issuer_module
from . import openbadges
from .forms import VerifyForm
from .operations import issuer_profile, signed_credential, signed_status_list, signed_url, verification_url
from .background import ready_pdf
from .presentation import path_courses, pdf_languages, titles

bp = Blueprint("certificates", __name__, template_folder="templates")

#: a "being prepared" page asks again after this many seconds
PREPARING_RETRY_SECONDS = 3
#: Look-ups by code (page, credential, status list) share one budget per client: more routes, no more guesses.
VERIFY_SCOPE = "verify-code"


def _verify_limit():
    return current_app.config["VERIFY_RATE_LIMIT"]


def get_own_certificate(code):
    """A certificate of the current user by code; 404 for unknown codes and other people's."""
    return own_certificate(current_user.id, code) or abort(404)


@bp.route("/certificates")
@login_required
def mine():
    """My certificates."""
    return render_template("certificates/mine.html", certificates=certificates_of(current_user.id),
                           format_code=format_code)


@bp.route("/certificates/<code>")
@login_required
def show(code):
    """The certificate as a page, with the link to verify it."""
    certificate = get_own_certificate(code)
    return render_template("certificates/show.html", certificate=certificate, format_code=format_code,
                           verify_url=verification_url(certificate), pdf_languages=pdf_languages(certificate),
                           courses=path_courses(certificate, current_language()),
                           competences=competences_of(certificate))


@bp.route("/certificates/<code>.pdf")
@login_required
def pdf(code):
    """The certificate as an A4 PDF for its holder (rendered once per state and language, in the background when
    issued, then read from the cache); a "being prepared" page that reloads itself while a job still renders it.

    `?language=xx` asks for one language the course exists in; the default is bilingual when the holder's language
    is not the organisation's.
    """
    certificate = get_own_certificate(code)
    asked = request.args.get("language")
    if asked is not None and asked not in pdf_languages(certificate):
        abort(404)
    name = f"soglia-certificate-{format_code(certificate.code)}{'-' + asked if asked else ''}.pdf"
    path = ready_pdf(certificate, (asked,) if asked else None)
    if path is None:
        response = make_response(render_template(
            "certificates/preparing.html", certificate=certificate, format_code=format_code,
            retry_seconds=PREPARING_RETRY_SECONDS, again_url=url_for("certificates.pdf", code=code, language=asked)), 202)
        response.headers["Retry-After"] = str(PREPARING_RETRY_SECONDS)
        return response
    response = send_file(path, mimetype="application/pdf", as_attachment=True, download_name=name)
    response.cache_control.private = True
    return response


def _json(document):
    response = jsonify(document)
    response.mimetype = "application/ld+json"
    response.headers["Access-Control-Allow-Origin"] = "*"  # public data, for verifiers running in a browser
    response.cache_control.no_cache = True  # revocation must show at once
    return response


@bp.errorhandler(issuer_module.PublicBaseUrlMissing)
def _unsigned(error):
    """Nothing is signed for a host named by a request: say what the administrator must set."""
    current_app.logger.warning("%s", error)
    return jsonify(error=503, message=str(error)), 503


@bp.route("/verify", methods=["GET"])
@limiter.limit(_verify_limit)
def verify_form():
    """Type a certificate code to check it."""
    form = VerifyForm(request.args)
    if request.args and form.validate():
        code = normalise_code(form.code.data)
        if code is not None:
            return redirect(url_for("certificates.verify", code=format_code(code)))
        form.code.errors.append("not-a-code")
    return render_template("certificates/verify_form.html", form=form)


@bp.route("/verify/<code>")
@limiter.shared_limit(_verify_limit, scope=VERIFY_SCOPE)
def verify(code):
    """Public: is this certificate valid, revoked, or unknown? Shows only what the certificate says.

    One statement reads the certificate on every request (a revocation shows at once); the page is rendered once
    per state of the certificate, language and viewer.
    """
    certificate = verified_certificate(code)
    if certificate is None:
        return render_template("certificates/verify.html", certificate=None), 404
    return kept_page(lambda: render_template(
        "certificates/verify.html", certificate=certificate, format_code=format_code, titles=titles(certificate),
        courses=path_courses(certificate, current_language()), competences=competences_of(certificate),
        public_reason=public_reason(certificate)), inputs=repr(certificate))  # every field: lists are unhashable


def public_reason(certificate):
    """The revocation reason the public may see: only the system's own "holder deleted the account", which names
    nobody; a reason written by staff is for administrators."""
    from ..privacy.operations import HOLDER_DELETED

    return certificate.revoked_reason if certificate.revoked_reason == HOLDER_DELETED else None


@bp.route("/verify/<code>.json")
@limiter.shared_limit(_verify_limit, scope=VERIFY_SCOPE)
def verify_json(code):
    """Public: the certificate as an Open Badges 3.0 OpenBadgeCredential (JSON-LD)."""
    certificate = find_certificate(code) or abort(404)
    return _json(signed_credential(certificate))


@bp.route("/verify/status/<code>.json")
@limiter.shared_limit(_verify_limit, scope=VERIFY_SCOPE)
def revocation_list(code):
    """Public: the 1EdTech revocation list named by the credential's credentialStatus."""
    certificate = find_certificate(code) or abort(404)
    return _json(openbadges.revocation_list(
        certificate, list_id=signed_url("certificates.revocation_list", code=format_code(certificate.code)),
        issuer_id=issuer_module.issuer_did(), credential_id=signed_url("certificates.verify",
                                                                        code=format_code(certificate.code)),
    ))


@bp.route("/verify/status-lists/<int:number>.json")
@limiter.shared_limit(_verify_limit, scope=VERIFY_SCOPE)
def status_list(number):
    """Public: a signed Bitstring Status List credential (revocation), named by credentials' first status entry."""
    if number > 2**31:
        abort(404)
    return _json(signed_status_list(number) or abort(404))


@bp.route("/verify/issuer.json")
def issuer():
    """Public: the issuer's Open Badges Profile (its id is the issuer's DID)."""
    return _json(openbadges.issuer_document(issuer_profile()))


@bp.route("/.well-known/did.json")
@bp.route("/did.json", endpoint="did_document_in_path")
def did_document():
    """Public: the issuer's DID document, at the one path where did:web resolvers look for it."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base or issuer_module.did_document_path(base) != urlsplit(base).path.rstrip("/") + request.path:
        abort(404)
    response = jsonify(issuer_module.did_document())
    response.mimetype = "application/did+ld+json"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.cache_control.max_age = 300
    return response
