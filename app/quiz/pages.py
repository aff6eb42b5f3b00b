"""The quiz page: the open attempt's form, shown at the item's URL (learn) and again after an invalid submission."""
from flask import render_template
from flask_login import current_user

from ..content.model import Course, Quiz
from ..courses import localised
from ..extensions import db
from ..offline.manifest import is_download
from ..pagecache import kept_page
from ..services import progress, quizzes


def _open_attempt(course, quiz):
    """(the learner's open attempt or None, their graded attempts, True when no attempt is left)."""
    if not current_user.is_authenticated:
        return None, [], False
    wrote = not is_download() and progress.record_view(current_user.id, course, quiz.key)  # keeping is not reading
    attempt, history = quizzes.attempts_of(current_user.id, course, quiz)
    no_attempts_left = attempt is None and bool(quiz.attempts) and len(history) >= quiz.attempts
    if attempt is None and not no_attempts_left:
        try:
            attempt, wrote = quizzes.open_attempt(current_user.id, course, quiz), True
        except quizzes.NoAttemptsLeft:  # a concurrent request used the last one
            no_attempts_left = True
    if wrote:
        db.session.commit()
    return attempt, history, no_attempts_left


def show_quiz(course: Course, quiz: Quiz, errors=None, given=None):
    """The quiz page: the open attempt's form (options under its tokens, no answer key), or why there is none."""
    attempt, history, no_attempts_left = _open_attempt(course, quiz)

    def render():
        version, fell_back = localised(quiz.versions, course)
        shown = [{"question": q, "options": quizzes.shown_options(attempt, quiz, q) if attempt else []}
                 for q in version.questions]
        before, after = course.neighbours(quiz.key)
        return render_template(
            "quiz/quiz.html", course=course, quiz=quiz, version=version, fell_back=fell_back, shown=shown,
            attempt=attempt, history=history, no_attempts_left=no_attempts_left, errors=errors or {},
            given=given, before=before, after=after,
            best=max((a.score for a in history), default=None),
            passed=any(a.passed for a in history),
        )

    if errors or given:
        return render()
    # the page shows the open attempt (its id and seed make the option tokens) and the graded ones
    return kept_page(render, inputs=(attempt and (attempt.id, attempt.seed), no_attempts_left,
                                     tuple((a.number, a.score, a.passed) for a in history)))
