"""Staff actions on people (password reset with an audit trail), organisation admin, platform admin."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import User
from ..security import role_required
from ..services import accounts
from . import operations
from .access import get_person_or_404, organisation_admin_required, organisation_id
from .forms import MoveUserForm, OrganisationForm, RenameForm, StaffForm
from .models import Organisation

bp = Blueprint("organisations", __name__, template_folder="templates")


@bp.route("/trainer/people/<int:user_id>/password", methods=["GET", "POST"])
@role_required("trainer")
def reset_password(user_id):
    """Ask first; then give the person a one-time password to hand over in person, and log it."""
    user = get_person_or_404(user_id, platform_admin_anywhere=True)
    if not accounts.may_reset_password(user, current_user):
        abort(403)
    if request.method == "GET":
        return render_template("organisations/reset_confirm.html", user=user,
                               back=url_for("cohorts.learner", user_id=user.id) if user.role == "learner" else
                               url_for("organisations.staff"))
    password = accounts.reset_password(user, current_user, current_app.config["PASSWORD_HASH_METHOD"])
    operations.record(current_user, "password_reset", user)
    db.session.commit()
    # shown once, in this response only (never in a flash message or a cached page)
    return render_template("organisations/reset_done.html", user=user, password=password)


@bp.route("/organisation/audit")
@organisation_admin_required
def audit():
    """Who did what to whom, and when, in this organisation."""
    events = operations.audit_page(organisation_id(), request.args.get("page", 1, type=int) or 1)
    return render_template("organisations/audit.html", events=events, actions=operations.AUDIT_ACTIONS)


@bp.route("/organisation/staff")
@organisation_admin_required
def staff():
    """The organisation's trainers and admins, and a way to give someone a staff role."""
    people = db.session.scalars(select(User).where(User.organisation_id == organisation_id(),
                                                   User.role != "learner").order_by(User.display_name)).all()
    organisation = db.session.get(Organisation, organisation_id())
    return render_template("organisations/staff.html", people=people, organisation=organisation, form=StaffForm())


@bp.route("/organisation/people/<int:user_id>/role", methods=["POST"])
@organisation_admin_required
def set_staff_role(user_id):
    """Make a person of the organisation a learner or trainer, and maybe an organisation admin."""
    user = get_person_or_404(user_id)
    form = StaffForm()
    if not form.validate_on_submit() or user.is_admin:
        abort(400)
    if user.id == current_user.id:
        flash(_("You cannot change your own role."), "error")
    else:
        operations.set_staff_role(current_user, user, form.role.data, form.organisation_admin.data)
        db.session.commit()
        flash(_("Role saved."), "success")
    return redirect(request.form.get("back") == "learner" and url_for("cohorts.learner", user_id=user.id)
                    or url_for("organisations.staff"))


@bp.route("/admin/organisations", methods=["GET", "POST"])
@role_required("admin")
def organisations():
    """Platform admins: every organisation with its number of people; create one."""
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            operations.create_organisation(form.name.data, form.slug.data)
        except operations.SlugTaken:
            db.session.rollback()
            form.slug.errors.append(_("Another organisation uses this short name."))
        else:
            db.session.commit()
            flash(_("Organisation created."), "success")
            return redirect(url_for("organisations.organisations"))
    return render_template("organisations/list.html", form=form, organisations=operations.organisations_with_counts())


@bp.route("/admin/organisations/<int:organisation_id>", methods=["GET", "POST"])
@role_required("admin")
def organisation(organisation_id):
    """Rename an organisation, and move a person (for example its first trainer) into it."""
    found = db.session.get(Organisation, organisation_id) or abort(404)
    rename, move = RenameForm(prefix="rename", obj=found), MoveUserForm(prefix="move")
    if request.form.get("action") == "rename" and rename.validate_on_submit():
        operations.rename_organisation(found, rename.name.data)
        db.session.commit()
        flash(_("Organisation saved."), "success")
        return redirect(url_for("organisations.organisation", organisation_id=found.id))
    if request.form.get("action") == "move" and move.validate_on_submit():
        user = accounts.find_user(move.username.data)
        if user is None:
            move.username.errors.append(_("No account has this username."))
        else:
            operations.move_user(current_user, user, found)
            db.session.commit()
            flash(_("%(name)s now belongs to %(organisation)s.", name=user.display_name, organisation=found.name),
                  "success")
            return redirect(url_for("organisations.organisation", organisation_id=found.id))
    people = db.session.scalars(select(User).where(User.organisation_id == found.id, User.role != "learner")
                                .order_by(User.display_name)).all()
    return render_template("organisations/detail.html", organisation=found, rename=rename, move=move, people=people)
