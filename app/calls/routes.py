"""Call pages: the list, opening a call, submitting, scoring, the ranking and its CSV export."""
from datetime import timezone

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..catalog import get_catalog
from ..cohorts.exports import csv_response
from ..courses import get_course
from ..extensions import db
from ..organisations.access import organisation_admin_required
from ..workbook.plan import build_plan
from ..workbook.review import reviewers_for
from . import operations
from .forms import ActionForm, CallForm
from .operations import CallError

bp = Blueprint("calls", __name__, template_folder="templates")


def _message(error):
    messages = {
        "closed": _("The deadline of this call has passed: submissions can no longer be made or withdrawn."),
        "incomplete": _("Complete every worksheet the call asks for before you submit."),
        "already_submitted": _("You have already submitted your plan to this call."),
        "conflict": _("You reviewed this learner's plan as a trainer: you cannot score it (conflict of interest)."),
        "already_scored": _("You have already scored this plan. Scores cannot be changed."),
        "every_criterion": _("Give a score from 0 to 10 for every criterion."),
        "score_range": _("Give a score from 0 to 10 for every criterion."),
        "rubric_count": _("Write from 1 to 12 criteria."),
        "jurors": _("Choose the jury among the trainers of your organisation."),
        "deadline_past": _("The deadline must be in the future."),
        "worksheets": _("Choose worksheets of the chosen course."),
    }
    if error.code == "rubric_line":
        return _("Criteria line %(line)s: write a name, then |, then a weight from 0.1 to 100.", line=error.detail)
    return messages[error.code]


def _is_manager():
    return current_user.is_authenticated and current_user.manages_organisation


@bp.route("/calls")
@login_required
def index():
    """The calls of my organisation: open ones first."""
    return render_template("calls/list.html", calls=operations.calls_of(current_user), is_open=operations.is_open,
                           can_open=_is_manager())


@bp.route("/calls/new", methods=["GET", "POST"])
@organisation_admin_required
def new():
    """Open a call: title, description, deadline, required worksheets, weighted rubric, jury."""
    catalog = get_catalog()
    courses = [course for course in catalog.courses.values() if course.worksheets]
    form = CallForm()
    form.course.choices = [(course.slug, course.texts[course.language].title) for course in courses]
    form.worksheets.choices = [(f"{course.slug}:{sheet.key}", sheet.texts[course.language].title)
                               for course in courses for sheet in course.worksheets]
    form.jurors.choices = [(user.id, user.display_name) for user in reviewers_for(current_user)]
    if form.validate_on_submit():
        course = get_course(form.course.data)
        keys = [value.partition(":")[2] for value in form.worksheets.data if value.startswith(course.slug + ":")]
        try:
            rubric = operations.parse_rubric(form.rubric.data)
            call = operations.open_call(current_user, course, form.title.data, form.description.data or "",
                                        form.deadline.data.replace(tzinfo=timezone.utc),
                                        keys, rubric, form.jurors.data)
        except CallError as error:
            flash(_message(error), "error")
            return render_template("calls/new.html", form=form), 422
        db.session.commit()
        flash(_("The call is open."), "success")
        return redirect(url_for("calls.detail", call_id=call.id))
    return render_template("calls/new.html", form=form), 422 if form.errors else 200


@bp.route("/calls/<int:call_id>")
@login_required
def detail(call_id):
    """A call: what it asks, my submission (learners), the plans to score (jurors)."""
    call = operations.call_or_404(current_user, call_id)
    course = get_catalog().course(call.course_slug)
    juror = operations.is_juror(call, current_user)
    to_score = []
    if juror:
        for ranked in operations.ranking(call):
            submission = ranked.submission
            to_score.append((submission, bool(operations.scores_by(submission, current_user)),
                             operations.conflict_of_interest(submission, current_user)))
    return render_template("calls/detail.html", call=call, course=course, is_open=operations.is_open(call),
                           submission=operations.own_submission(call, current_user), juror=juror,
                           to_score=to_score, can_manage=_is_manager(), action=ActionForm())


@bp.route("/calls/<int:call_id>/submit", methods=["POST"])
@login_required
def submit(call_id):
    """Submit a frozen copy of my plan."""
    call = operations.call_or_404(current_user, call_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.submit(call, current_user, get_course(call.course_slug))
        db.session.commit()
        flash(_("Your plan is submitted. Later changes to your workbook do not change the submitted copy."),
              "success")
    except CallError as error:
        db.session.rollback()
        flash(_message(error), "error")
    return redirect(url_for("calls.detail", call_id=call.id))


@bp.route("/calls/<int:call_id>/withdraw", methods=["POST"])
@login_required
def withdraw(call_id):
    """Withdraw my submission before the deadline."""
    call = operations.call_or_404(current_user, call_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.withdraw(call, current_user)
        db.session.commit()
        flash(_("Your submission is withdrawn."), "success")
    except CallError as error:
        flash(_message(error), "error")
    return redirect(url_for("calls.detail", call_id=call.id))


@bp.route("/calls/<int:call_id>/submissions/<int:submission_id>", methods=["GET", "POST"])
@login_required
def score(call_id, submission_id):
    """A juror reads the submitted plan and scores each criterion; others' scores only after their own."""
    call = operations.call_or_404(current_user, call_id)
    if not operations.is_juror(call, current_user):
        abort(404)
    submission = operations.submission_or_404(call, submission_id)
    course = get_course(call.course_slug)
    errors = None
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        try:
            values = {c.id: (int(request.form.get(f"score-{c.id}", "")), request.form.get(f"comment-{c.id}", ""))
                      for c in call.criteria}
        except ValueError:
            errors = CallError("every_criterion")
        else:
            try:
                operations.record_scores(call, submission, current_user, values)
                db.session.commit()
                flash(_("Your scores are saved."), "success")
                return redirect(url_for("calls.score", call_id=call.id, submission_id=submission.id))
            except CallError as error:
                db.session.rollback()
                errors = error
    mine = operations.scores_by(submission, current_user)
    ranked = next(r for r in operations.ranking(call) if r.submission.id == submission.id) if mine else None
    sheets = [sheet for sheet in build_plan(course, submission.snapshot, [course.language])
              if sheet.worksheet.key in call.required_worksheets]
    return render_template(
        "calls/score.html", call=call, submission=submission, sheets=sheets, mine=mine, ranked=ranked,
        conflict=operations.conflict_of_interest(submission, current_user), action=ActionForm(),
        error=_message(errors) if errors else None, typed=request.form if errors else None,
    ), 422 if errors else 200


@bp.route("/calls/<int:call_id>/results")
@organisation_admin_required
def results(call_id):
    """The ranking: mean weighted score and spread of each submission."""
    call = operations.call_or_404(current_user, call_id)
    return render_template("calls/results.html", call=call, ranked=operations.ranking(call))


@bp.route("/calls/<int:call_id>/results.csv")
@organisation_admin_required
def results_csv(call_id):
    """The ranking as CSV (rank, learner, mean, spread, jurors)."""
    call = operations.call_or_404(current_user, call_id)
    rows = [[place, ranked.submission.learner.display_name, ranked.submission.submitted_at.isoformat(),
             "" if ranked.mean is None else f"{ranked.mean:.2f}", "" if ranked.spread is None else f"{ranked.spread:.2f}",
             len(ranked.juror_scores)] for place, ranked in enumerate(operations.ranking(call), start=1)]
    return csv_response(f"call-{call.id}-results.csv",
                        ["rank", "learner", "submitted_at", "mean_weighted_score", "spread", "jurors_scored"], rows)
