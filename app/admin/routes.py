"""Admin pages: users and their roles, issued certificates, revoking and reinstating."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import Certificate, User
from ..security import role_required
from ..services import accounts, certificates
from .forms import ReasonForm, RoleForm

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.route("/")
@role_required("admin")
def index():
    """Users with their roles, and issued certificates."""
    users = db.session.scalars(select(User).order_by(User.created_at.desc()).limit(500)).all()
    issued = db.session.scalars(select(Certificate).order_by(Certificate.issued_at.desc()).limit(500)).all()
    return render_template("admin/index.html", users=users, certificates=issued, role_form=RoleForm(),
                           format_code=certificates.format_code)


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@role_required("admin")
def set_role(user_id):
    """Make a user a learner, trainer or admin."""
    user = db.session.get(User, user_id) or abort(404)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        accounts.set_role(user, form.role.data, current_user)
    except accounts.OwnAdminRole:
        flash(_("You cannot remove your own admin role."), "error")
    else:
        db.session.commit()
        flash(_("Role saved."), "success")
    return redirect(url_for("admin.index"))


@bp.route("/certificates/<code>", methods=["GET", "POST"])
@role_required("admin")
def certificate(code):
    """Revoke or reinstate one certificate, with a reason; see its history."""
    found = certificates.find_certificate(code) or abort(404)
    form = ReasonForm()
    if form.validate_on_submit():
        if found.is_revoked:
            certificates.reinstate(found, current_user, form.reason.data.strip())
            flash(_("The certificate is valid again."), "success")
        else:
            certificates.revoke(found, current_user, form.reason.data.strip())
            flash(_("The certificate is revoked."), "success")
        db.session.commit()
        return redirect(url_for("admin.certificate", code=certificates.format_code(found.code)))
    return render_template("admin/certificate.html", certificate=found, form=form,
                           format_code=certificates.format_code)
