from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..catalog import get_catalog
from ..extensions import db
from ..learn.helpers import get_course, get_item, localised
from ..models import CourseCompletion, Enrolment, LessonProgress, QuizAttempt, User
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
    if user.role != "learner" and not current_user.is_admin:
        abort(403)
    password = accounts.reset_password(user, current_app.config["PASSWORD_HASH_METHOD"])
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
    done = dict(((u, c), n) for u, c, n in db.session.execute(
        select(LessonProgress.user_id, LessonProgress.course_slug, func.count()).group_by(
            LessonProgress.user_id, LessonProgress.course_slug)))
    passed = dict(((u, c), n) for u, c, n in db.session.execute(
        select(QuizAttempt.user_id, QuizAttempt.course_slug, func.count(func.distinct(QuizAttempt.quiz_key)))
        .where(QuizAttempt.passed.is_(True)).group_by(QuizAttempt.user_id, QuizAttempt.course_slug)))
    completed = {(u, c) for u, c in db.session.execute(select(CourseCompletion.user_id, CourseCompletion.course_slug))}
    started = {(u, c) for u, c in db.session.execute(select(Enrolment.user_id, Enrolment.course_slug))}
    return render_template("trainer/learners.html", catalog=catalog, users=users, done=done, passed=passed,
                           completed=completed, started=started, totals=progress.course_totals())
