"""Workbook pages: saving a worksheet, and a learner's workbook for a course."""
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..content.worksheets import is_complete
from ..courses import get_course, get_item, localised
from ..extensions import db, limiter
from ..i18n import current_language
from ..services import progress
from ..uploads import allow_upload
from . import operations, review
from .forms import ActionForm, ShareForm, WorksheetForm
from .pages import show_worksheet
from .pdf import render_plan_pdf
from .plan import build_plan

bp = Blueprint("workbook", __name__, template_folder="templates")


def _worksheet_url(course, worksheet):
    return url_for("learn.item", course_slug=course.slug, module_slug=worksheet.module_slug,
                   item_slug=worksheet.slug)


#: a worksheet of nine long texts in Arabic, percent-encoded, is about 200 KB
WORKSHEET_POST_BYTES = 512 * 1024


@bp.route("/courses/<course_slug>/<module_slug>/<item_slug>/save", methods=["POST"])
@login_required
@allow_upload(WORKSHEET_POST_BYTES)
def save(course_slug, module_slug, item_slug):
    """Save a worksheet: every field that reads well is kept; the others come back with the typed text."""
    course = get_course(course_slug)
    worksheet = get_item(course, module_slug, item_slug, kind="worksheet")
    if not WorksheetForm().validate_on_submit():
        abort(400)
    version, _fell_back = localised(worksheet.versions, course)
    result = operations.save_answers(current_user, course, worksheet, version, request.form,
                                     current_app.config["ORGANISATION_NAME"])
    db.session.commit()
    if result.errors:
        return show_worksheet(course, worksheet, errors=result.errors, typed=request.form, status=422)
    if result.completion is not None:
        flash(_("Congratulations! You have completed this course."), "success")
    elif result.complete:
        flash(_("Saved. This worksheet is complete."), "success")
    else:
        flash(_("Saved. You can come back and go on at any time."), "success")
    return redirect(_worksheet_url(course, worksheet))


@bp.route("/workbook/<course_slug>")
@login_required
def overview(course_slug):
    """My workbook in a course: each worksheet, whether it is complete, and its key numbers."""
    course = get_course(course_slug)
    if not course.worksheets:
        abort(404)
    answers = operations.course_answers(current_user.id, course)
    comments = review.comments_on_plan(current_user.id, course.slug)
    sheets = []
    for worksheet in course.worksheets:
        version, fell_back = localised(worksheet.versions, course)
        sheet_answers = answers[worksheet.key]
        sheets.append({"worksheet": worksheet, "version": version, "fell_back": fell_back,
                       "answers": sheet_answers, "complete": is_complete(version.fields, sheet_answers),
                       "comments": [c for (key, _field), found in comments.items() if key == worksheet.key
                                    for c in found]})
    review.mark_comments_seen(current_user.id, course.slug)
    db.session.commit()
    share_form = ShareForm()
    share_form.reviewer.choices = [(user.id, user.display_name) for user in review.reviewers_for(current_user)]
    return render_template("workbook/overview.html", course=course, sheets=sheets, comments=comments,
                           shares=review.shares_of(current_user.id, course.slug), share_form=share_form,
                           action=ActionForm(),
                           languages=plan_languages(course, request.args.get("second")),
                           second_default=current_app.config["OPERATORS_LANGUAGE"])


def plan_languages(course, second=None):
    """The plan's languages: the learner's (or the course's, if the course lacks it), then `second` if asked."""
    first = current_language() if current_language() in course.texts else course.language
    return [first] + ([second] if second and second != first and second in course.texts else [])


@bp.route("/workbook/<course_slug>/plan.pdf")
@login_required
@limiter.limit(lambda: current_app.config["PLAN_PDF_RATE_LIMIT"])
def plan_pdf(course_slug):
    """My business plan as a PDF, in my language, and also in a second one (`?second=it`) if I ask."""
    course = get_course(course_slug)
    if not course.worksheets:
        abort(404)
    languages = plan_languages(course, request.args.get("second"))
    sheets = build_plan(course, operations.course_answers(current_user.id, course), languages)
    data = render_plan_pdf(current_user.display_name, course, sheets, languages,
                           current_app.config["ORGANISATION_NAME"])
    filename = f"business-plan-{course.slug}-{'-'.join(languages)}.pdf"
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.app_template_filter("plain_number")
def plain_number(value):
    """A stored number as a learner would type it back: 1250.5, 300 (no exponent, no trailing zeros)."""
    if value is None or value == "":
        return ""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
