"""Operator review pages: the learner shares and withdraws; the reviewer reads, comments, marks ready."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..catalog import get_catalog
from ..courses import get_course
from ..extensions import db
from ..i18n import current_language
from ..security import role_required
from . import operations, review
from .forms import ActionForm, CommentForm, ShareForm
from .plan import build_plan

bp = Blueprint("review", __name__, template_folder="templates")


def _overview(course):
    return redirect(url_for("workbook.overview", course_slug=course.slug))


@bp.route("/workbook/<course_slug>/share", methods=["POST"])
@login_required
def share(course_slug):
    """Share my plan with a trainer of my organisation, with my explicit consent."""
    course = get_course(course_slug)
    form = ShareForm()
    form.reviewer.choices = [(user.id, user.display_name) for user in review.reviewers_for(current_user)]
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return _overview(course)
    shared = review.share_plan(current_user, course, form.reviewer.data)
    db.session.commit()
    flash(_("Your plan is shared with %(name)s.", name=shared.reviewer.display_name), "success")
    return _overview(course)


@bp.route("/workbook/<course_slug>/shares/<int:share_id>/withdraw", methods=["POST"])
@login_required
def withdraw(course_slug, share_id):
    """Take back my consent: the trainer can no longer open my plan."""
    course = get_course(course_slug)
    shared = review.own_share_or_404(current_user, share_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    review.withdraw_share(shared)
    db.session.commit()
    flash(_("%(name)s can no longer see your plan.", name=shared.reviewer.display_name), "success")
    return _overview(course)


@bp.route("/review")
@role_required("trainer")
def shared_plans():
    """The plans learners shared with me, with their status."""
    return render_template("workbook/review_list.html", plans=review.shared_with(current_user), catalog=get_catalog())


def _review_page(shared, form=None, status=200):
    course = get_course(shared.course_slug)
    languages = [current_language() if current_language() in course.texts else course.language]
    sheets = build_plan(course, operations.course_answers(shared.learner_id, course), languages)
    return render_template(
        "workbook/review_plan.html", shared=shared, course=course, sheets=sheets,
        comments=review.comments_on_plan(shared.learner_id, course.slug), form=form or CommentForm(),
        action=ActionForm(),
    ), status


@bp.route("/review/<int:share_id>")
@role_required("trainer")
def plan(share_id):
    """A shared plan, read-only, with the comments so far and a comment form for each worksheet."""
    return _review_page(review.reviewable_share_or_404(current_user, share_id))


@bp.route("/review/<int:share_id>/comments", methods=["POST"])
@role_required("trainer")
def comment(share_id):
    """Comment on a worksheet or on one of its fields."""
    shared = review.reviewable_share_or_404(current_user, share_id)
    course = get_course(shared.course_slug)
    form = CommentForm()
    form.place.choices = [(value, value) for value in _places(course)]
    if not form.validate_on_submit():
        return _review_page(shared, form, 422)
    worksheet_key, _sep, field_id = form.place.data.partition("#")
    review.add_comment(shared, current_user, course, worksheet_key, field_id, form.body.data)
    db.session.commit()
    flash(_("Your comment is saved. The learner will see it."), "success")
    return redirect(url_for("review.plan", share_id=shared.id, _anchor=f"s-{worksheet_key}"))


def _places(course):
    """Where a comment may go: `<worksheet key>` or `<worksheet key>#<field id>`."""
    for worksheet in course.worksheets:
        yield worksheet.key
        for sheet_field in worksheet.versions[course.language].fields:
            yield f"{worksheet.key}#{sheet_field.id}"


@bp.route("/review/<int:share_id>/ready", methods=["POST"])
@role_required("trainer")
def ready(share_id):
    """Mark the plan ready for the interview, or take the mark back."""
    shared = review.reviewable_share_or_404(current_user, share_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    review.mark_ready(shared, shared.ready_at is None)
    db.session.commit()
    flash(_("Marked ready for the interview.") if shared.ready_at else _("No longer marked ready."), "success")
    return redirect(url_for("review.plan", share_id=shared.id))
