"""Quiz pages: the form of the open attempt, its submission, and each graded attempt's results."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..catalog import get_catalog
from ..courses import get_course, get_item, localised
from ..extensions import db
from ..models import QuizAttempt
from ..services import certificates, progress, quizzes
from .pages import show_quiz

bp = Blueprint("quiz", __name__, template_folder="templates")

MAX_FIELDS = 400


def _quiz_url(course, quiz):
    return url_for("learn.item", course_slug=course.slug, module_slug=quiz.module_slug, item_slug=quiz.slug)


def _result_url(course, quiz, attempt):
    return url_for("quiz.result", course_slug=course.slug, module_slug=quiz.module_slug, item_slug=quiz.slug,
                   number=attempt.number)


@bp.route("/courses/<course_slug>/<module_slug>/<item_slug>/submit", methods=["POST"])
@login_required
def submit(course_slug, module_slug, item_slug):
    """Grade the open attempt once; a replay shows the stored result instead."""
    course = get_course(course_slug)
    quiz = get_item(course, module_slug, item_slug, kind="quiz")
    if len(request.form) > MAX_FIELDS:
        abort(413)
    try:
        submission = quizzes.submit_form(current_user, course, quiz, request.form,
                                         current_app.config["ORGANISATION_NAME"])
    except quizzes.StaleForm:
        flash(_("This quiz form is not valid any more. Here is a fresh one."), "error")
        return redirect(_quiz_url(course, quiz))
    except quizzes.AlreadySubmitted as replay:
        db.session.rollback()
        flash(_("This attempt was already submitted. Here is its result."), "info")
        return redirect(_result_url(course, quiz, replay.attempt))
    except quizzes.InvalidSubmission as invalid:
        db.session.rollback()
        if None in invalid.errors:
            abort(400)
        return show_quiz(course, quiz, errors=invalid.errors, given=request.form), 422
    db.session.commit()
    if submission.completion is not None:
        flash(_("Congratulations! You have completed this course."), "success")
    return redirect(_result_url(course, quiz, submission.attempt))


@bp.route("/courses/<course_slug>/<module_slug>/<item_slug>/attempts/<int:number>")
@login_required
def result(course_slug, module_slug, item_slug, number):
    """One graded attempt of mine: completion first, then score, feedback and explanations."""
    course = get_course(course_slug)
    quiz = get_item(course, module_slug, item_slug, kind="quiz")
    attempt: QuizAttempt | None = quizzes.graded_attempt(current_user.id, course, quiz, number)
    if attempt is None:
        abort(404)
    version, fell_back = localised(quiz.versions, course)
    state = progress.course_state(current_user.id, course)
    completed = state.completed_at is not None
    history = quizzes.submitted_attempts(current_user.id, course, quiz)
    return render_template(
        "quiz/result.html", course=course, quiz=quiz, version=version, fell_back=fell_back, attempt=attempt,
        rows=quizzes.review(attempt, version.questions), state=state,
        attempts_left=None if not quiz.attempts else max(0, quiz.attempts - len(history)),
        after=course.neighbours(quiz.key)[1],
        certificate=certificates.certificate_of(current_user.id, course.slug) if completed else None,
        next_in_path=progress.next_in_path(current_user.id, get_catalog(), course) if completed else None,
        format_code=certificates.format_code,
    )
