import json

from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..extensions import db
from ..models.base import utcnow
from ..security import safe_next_url
from . import operations
from .forms import AcceptNoticeForm, DeleteAccountForm
from .notice import notice_facts

bp = Blueprint("privacy", __name__, url_prefix="/privacy", template_folder="templates")

#: pages a user who has not accepted the current notice may still open
OPEN_WITHOUT_NOTICE = {"static", "privacy.notice", "privacy.my_data", "privacy.export_json", "privacy.export_html",
                       "privacy.export_pdf", "privacy.delete", "auth.logout", "main.healthz", "main.ping"}


@bp.before_app_request
def _ask_for_the_notice():
    """Who has not accepted the current notice (a new version, an account a trainer made) reads it first."""
    if request.endpoint in OPEN_WITHOUT_NOTICE or not current_user.is_authenticated:
        return None
    if operations.needs_notice(current_user):
        return redirect(url_for("privacy.notice", next=request.full_path if request.method == "GET" else None))
    return None


@bp.app_context_processor
def _privacy_facts():
    return {"privacy": notice_facts}


@bp.route("/", methods=["GET", "POST"])
def notice():
    """The privacy notice; logged-in users who have not accepted this version accept it here."""
    form = AcceptNoticeForm()
    asking = current_user.is_authenticated and operations.needs_notice(current_user)
    if asking and form.validate_on_submit():
        operations.accept_notice(current_user)
        db.session.commit()
        return redirect(safe_next_url(request.args.get("next"), url_for("main.index")))
    return render_template("privacy/notice.html", form=form, asking=asking)


@bp.route("/my-data")
@login_required
def my_data():
    """Download your data, or delete your account."""
    return render_template("privacy/my_data.html", form=DeleteAccountForm())


def _download_name(extension):
    """ASCII only (usernames may be in any script, headers may not): the date tells downloads apart."""
    return f"soglia-my-data-{utcnow():%Y-%m-%d}.{extension}"


@bp.route("/my-data.json")
@login_required
def export_json():
    body = json.dumps(operations.export_data(current_user), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{_download_name("json")}"', "Cache-Control": "no-store"})


def _readable_export():
    return render_template("privacy/export.html", data=operations.export_data(current_user),
                           titles=operations.section_titles())


@bp.route("/my-data.html")
@login_required
def export_html():
    return _readable_export(), 200, {"Cache-Control": "no-store"}


@bp.route("/my-data.pdf")
@login_required
def export_pdf():
    from .pdf import html_to_pdf

    return Response(html_to_pdf(_readable_export()), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{_download_name("pdf")}"', "Cache-Control": "no-store"})


@bp.route("/delete", methods=["POST"])
@login_required
def delete():
    """Delete your account: personal data erased everywhere, certificates revoked, logged out."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.password.data):
            form.password.errors.append(_("This is not your current password."))
        elif operations.is_last_admin(current_user):
            flash(_("You are the only administrator. Make someone else an administrator first."), "error")
        else:
            operations.delete_account(current_user)
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your account is deleted. Thank you for learning with us."), "info")
            return redirect(url_for("main.index"))
    return render_template("privacy/my_data.html", form=form), 422
