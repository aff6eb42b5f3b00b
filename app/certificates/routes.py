"""Certificates for their holders (page, PDF) and for anyone checking one (verify by code, Open Badges)."""
from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from ..extensions import limiter
from ..links import public_url
from ..services.certificates import certificates_of, find_certificate, format_code, normalise_code, own_certificate
from . import openbadges
from .forms import VerifyForm
from .pdf import cached_pdf

bp = Blueprint("certificates", __name__, template_folder="templates")

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
                           verify_url=verification_url(certificate))


@bp.route("/certificates/<code>.pdf")
@login_required
def pdf(code):
    """The certificate as an A4 PDF for its holder (rendered once per state, then read from the cache)."""
    certificate = get_own_certificate(code)
    response = send_file(cached_pdf(certificate, verification_url(certificate)), mimetype="application/pdf",
                         as_attachment=True, download_name=f"soglia-certificate-{format_code(certificate.code)}.pdf")
    response.cache_control.private = True
    return response


def verification_url(certificate):
    return public_url("certificates.verify", code=format_code(certificate.code))


def _json(document):
    response = jsonify(document)
    response.mimetype = "application/ld+json"
    response.headers["Access-Control-Allow-Origin"] = "*"  # public data, for verifiers running in a browser
    response.cache_control.no_cache = True  # revocation must show at once
    return response


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
    """Public: is this certificate valid, revoked, or unknown? Shows only what the certificate says."""
    certificate = find_certificate(code)
    if certificate is None:
        return render_template("certificates/verify.html", certificate=None), 404
    return render_template("certificates/verify.html", certificate=certificate, format_code=format_code)


@bp.route("/verify/<code>.json")
@limiter.shared_limit(_verify_limit, scope=VERIFY_SCOPE)
def verify_json(code):
    """Public: the certificate as an Open Badges 3.0 OpenBadgeCredential (JSON-LD)."""
    certificate = find_certificate(code) or abort(404)
    return _json(openbadges.open_badge_credential(
        certificate, credential_id=verification_url(certificate), issuer_id=public_url("certificates.issuer"),
        site_url=public_url("main.index"),
        achievement_id=public_url("learn.course", course_slug=certificate.course_slug),
        status_id=public_url("certificates.revocation_list", code=format_code(certificate.code)),
        secret_key=current_app.config["SECRET_KEY"],
    ))


@bp.route("/verify/status/<code>.json")
@limiter.shared_limit(_verify_limit, scope=VERIFY_SCOPE)
def revocation_list(code):
    """Public: the 1EdTech revocation list named by the credential's credentialStatus."""
    certificate = find_certificate(code) or abort(404)
    return _json(openbadges.revocation_list(
        certificate, list_id=public_url("certificates.revocation_list", code=format_code(certificate.code)),
        issuer_id=public_url("certificates.issuer"), credential_id=verification_url(certificate),
    ))


@bp.route("/verify/issuer.json")
def issuer():
    """Public: the issuer's Open Badges Profile, the `issuer.id` of every credential."""
    return _json(openbadges.issuer_document(public_url("certificates.issuer"), current_app.config["ORGANISATION_NAME"],
                                            public_url("main.index")))
