from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db, limiter
from ..models import Certificate
from ..services.certificates import find_certificate, format_code, normalise_code
from .forms import VerifyForm

bp = Blueprint("certificates", __name__, template_folder="templates")


def _verify_limit():
    return current_app.config["VERIFY_RATE_LIMIT"]


def get_own_certificate(code):
    """A certificate of the current user by code; 404 for unknown codes and other people's."""
    certificate = find_certificate(code)
    if certificate is None or certificate.user_id != current_user.id:
        abort(404)
    return certificate


@bp.route("/certificates")
@login_required
def mine():
    """My certificates."""
    certificates = db.session.scalars(select(Certificate).where(Certificate.user_id == current_user.id)
                                      .order_by(Certificate.issued_at.desc())).all()
    return render_template("certificates/mine.html", certificates=certificates, format_code=format_code)


@bp.route("/certificates/<code>")
@login_required
def show(code):
    """The certificate as a page, with the link to verify it."""
    certificate = get_own_certificate(code)
    return render_template("certificates/show.html", certificate=certificate, format_code=format_code,
                           verify_url=verification_url(certificate))


def verification_url(certificate):
    base = current_app.config.get("PUBLIC_BASE_URL")
    path = url_for("certificates.verify", code=format_code(certificate.code))
    return (base.rstrip("/") + path) if base else url_for("certificates.verify", code=format_code(certificate.code), _external=True)


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
@limiter.limit(_verify_limit)
def verify(code):
    """Public: is this certificate valid, revoked, or unknown? Shows only what the certificate says."""
    certificate = find_certificate(code)
    if certificate is None:
        return render_template("certificates/verify.html", certificate=None, code=code[:64]), 404
    return render_template("certificates/verify.html", certificate=certificate, format_code=format_code)
