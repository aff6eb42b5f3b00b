from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..learn.helpers import get_course, get_item, localised
from ..models import QuizAttempt
from ..services import progress, quizzes

bp = Blueprint("quiz", __name__, template_folder="templates")

MAX_FIELDS = 400


def _questions_for_display(course, quiz, attempt):
    """The page-language questions, each with its options in this attempt's order (no answer key)."""
    version, fell_back = localised(quiz.versions, course)
    shown = []
    for question in version.questions:
        by_id = {option.id: option for option in question.options}
        order = quizzes.option_order(attempt, quiz, question) if attempt else list(by_id)
        shown.append({"question": question, "options": [by_id[i] for i in order]})
    return version, fell_back, shown


def _quiz_url(course, quiz):
    return url_for("learn.item", course_slug=course.slug, module_slug=quiz.module_slug, item_slug=quiz.slug)


def show_quiz(course, quiz, errors=None, given=None, status=200):
    """The quiz page: the open attempt's form, or why there is none."""
    attempt, history, no_attempts_left = None, [], False
    if current_user.is_authenticated:
        progress.record_view(current_user.id, course, quiz.key)
        history = quizzes.submitted_attempts(current_user.id, course, quiz)
        try:
            attempt = quizzes.open_attempt(current_user.id, course, quiz)
        except quizzes.NoAttemptsLeft:
            no_attempts_left = True
        db.session.commit()
    version, fell_back, shown = _questions_for_display(course, quiz, attempt)
    before, after = course.neighbours(quiz.key)
    return render_template(
        "quiz/quiz.html", course=course, quiz=quiz, version=version, fell_back=fell_back, shown=shown,
        attempt=attempt, history=history, no_attempts_left=no_attempts_left, errors=errors or {},
        given=given, before=before, after=after,
        best=max((a.score for a in history), default=None),
        passed=any(a.passed for a in history),
    ), status


@bp.route("/courses/<course_slug>/<module_slug>/<item_slug>/submit", methods=["POST"])
@login_required
def submit(course_slug, module_slug, item_slug):
    """Grade the open attempt once; a replay shows the stored result instead."""
    course = get_course(course_slug)
    quiz = get_item(course, module_slug, item_slug, kind="quiz")
    if len(request.form) > MAX_FIELDS:
        abort(413)
    attempt_id = request.form.get("attempt", "")
    well_formed = attempt_id.isascii() and attempt_id.isdigit() and len(attempt_id) < 12  # not "²" nor "١"
    attempt = db.session.get(QuizAttempt, int(attempt_id)) if well_formed else None
    if attempt is None or attempt.user_id != current_user.id:
        flash(_("This quiz form is not valid any more. Here is a fresh one."), "error")
        return redirect(_quiz_url(course, quiz))
    if attempt.course_slug != course.slug or attempt.quiz_key != quiz.key:
        abort(400)
    try:
        quizzes.submit_attempt(attempt, course, quiz, request.form)
    except quizzes.AlreadySubmitted as replay:
        flash(_("This attempt was already submitted. Here is its result."), "info")
        return redirect(url_for("quiz.result", course_slug=course.slug, module_slug=quiz.module_slug,
                                item_slug=quiz.slug, number=replay.attempt.number))
    except quizzes.InvalidSubmission as invalid:
        if None in invalid.errors:
            abort(400)
        page, _status = show_quiz(course, quiz, errors=invalid.errors, given=request.form)
        return page, 422
    completion = None
    if attempt.passed:
        completion = progress.complete_if_finished(current_user, course, current_app.config["ORGANISATION_NAME"])
    db.session.commit()
    if completion is not None:
        flash(_("Congratulations! You have completed this course."), "success")
    return redirect(url_for("quiz.result", course_slug=course.slug, module_slug=quiz.module_slug,
                            item_slug=quiz.slug, number=attempt.number))


@bp.route("/courses/<course_slug>/<module_slug>/<item_slug>/attempts/<int:number>")
@login_required
def result(course_slug, module_slug, item_slug, number):
    """One graded attempt of mine: score, pass or fail, feedback and explanations."""
    course = get_course(course_slug)
    quiz = get_item(course, module_slug, item_slug, kind="quiz")
    attempt = db.session.scalar(select(QuizAttempt).where(
        QuizAttempt.user_id == current_user.id, QuizAttempt.course_slug == course.slug,
        QuizAttempt.quiz_key == quiz.key, QuizAttempt.number == number, QuizAttempt.submitted_at.is_not(None)))
    if attempt is None:
        abort(404)
    version, fell_back = localised(quiz.versions, course)
    answers = {answer.question_id: answer for answer in attempt.answers}
    rows = []
    for question in version.questions:
        answer = answers.get(question.id)
        if answer is None:  # the question was added after this attempt
            continue
        rows.append({
            "question": question, "correct": answer.correct,
            "given": question.type.describe_answer(question, answer.response),
            "feedback": question.type.chosen_feedback(question, answer.response),
        })
    state = progress.course_state(current_user.id, course)
    history = quizzes.submitted_attempts(current_user.id, course, quiz)
    attempts_left = None if not quiz.attempts else max(0, quiz.attempts - len(history))
    after = course.neighbours(quiz.key)[1]
    return render_template("quiz/result.html", course=course, quiz=quiz, version=version, fell_back=fell_back,
                           attempt=attempt, rows=rows, state=state, attempts_left=attempts_left, after=after)
