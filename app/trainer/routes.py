"""Trainer pages: the content report, previews with the answer key, and learners' progress."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..catalog import get_catalog
from ..courses import get_course, get_item, localised
from ..extensions import db
from ..models import User
from ..security import role_required, safe_next_url
from ..services import accounts, progress

bp = Blueprint("trainer", __name__, url_prefix="/trainer", template_folder="templates")


@bp.route("/")
@role_required("trainer")
def index():
    """The content report (same as `flask courses check`) and the catalogue to preview."""
    catalog = get_catalog()
    return render_template("trainer/index.html", catalog=catalog)


@bp.route("/preview/<course_slug>/<module_slug>/<item_slug>")
@role_required("trainer")
def preview(course_slug, module_slug, item_slug):
    """A lesson or quiz as learners see it, every language version, quizzes with the answer key."""
    course = get_course(course_slug)
    item = get_item(course, module_slug, item_slug)
    text, fell_back = localised(item.texts, course)
    return render_template("trainer/preview.html", course=course, item=item, text=text, fell_back=fell_back)


@bp.route("/learners/<int:user_id>/password", methods=["POST"])
@role_required("trainer")
def reset_password(user_id):
    """Give a learner a new password to hand over in person; only admins may do it for staff."""
    user = db.session.get(User, user_id) or abort(404)
    try:
        password = accounts.reset_password(user, current_user, current_app.config["PASSWORD_HASH_METHOD"])
    except accounts.StaffPasswordReset:
        abort(403)
    db.session.commit()
    flash(_("New password for %(name)s: %(password)s — give it to them in person; they can change it in "
            "their profile.", name=user.display_name, password=password), "success")
    return redirect(safe_next_url(request.form.get("next"), url_for("trainer.learners")))


@bp.route("/learners")
@role_required("trainer")
def learners():
    """Each learner's progress per course: lessons done, quizzes passed, completion."""
    catalog = get_catalog()
    users = db.session.scalars(select(User).where(User.role == "learner", User.anonymised_at.is_(None))
                               .order_by(User.display_name)).all()
    states = progress.learners_states([user.id for user in users], catalog)
    return render_template("trainer/learners.html", catalog=catalog, users=users, states=states,
                           totals=progress.course_totals())
