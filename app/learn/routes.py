"""Learning pages: a course, its lessons (marked done), course files, and my learning."""
from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request, send_from_directory,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..catalog import get_catalog
from ..content.loader import ASSET_TYPES
from ..courses import get_course, get_item, localised
from ..extensions import db
from ..offline.manifest import is_download
from ..pagecache import kept_page
from ..quiz.pages import show_quiz
from ..services import progress
from ..workbook.pages import show_worksheet
from .helpers import attempts_by_course, next_steps

bp = Blueprint("learn", __name__, template_folder="templates")


@bp.route("/courses/<course_slug>")
def course(course_slug):
    """A course: modules, lessons with done marks, percentage, time left, and "continue"."""
    course = get_course(course_slug)
    state = progress.course_state(current_user.id, course) if current_user.is_authenticated else None
    return kept_page(lambda: render_template("learn/course.html", course=course, state=state,
                                             text=localised(course.texts, course)),
                     inputs=state.fingerprint() if state else ())


@bp.route("/courses/<course_slug>/<module_slug>/<item_slug>")
def item(course_slug, module_slug, item_slug):
    """A lesson (or a quiz, or a worksheet, shown by their own domains)."""
    course = get_course(course_slug)
    found = get_item(course, module_slug, item_slug)
    if found.kind == "quiz":
        return show_quiz(course, found)
    if found.kind == "worksheet":
        return show_worksheet(course, found)
    done = False
    if current_user.is_authenticated:
        done, wrote = progress.open_lesson(current_user.id, course, found, record=not is_download())
        if wrote:
            db.session.commit()
    before, after = course.neighbours(found.key)
    return kept_page(lambda: render_template(
        "learn/lesson.html", course=course, lesson=found, done=done, before=before, after=after,
        text=localised(found.texts, course), module=_module_of(course, found)), inputs=(done,))


def _module_of(course, item):
    return next(m for m in course.modules if m.slug == item.module_slug)


@bp.route("/courses/<course_slug>/<module_slug>/<item_slug>/done", methods=["POST"])
@login_required
def mark_done(course_slug, module_slug, item_slug):
    """Mark a lesson as done (idempotent), then go on to the next item, or stay with `stay`."""
    course = get_course(course_slug)
    lesson = get_item(course, module_slug, item_slug, kind="lesson")
    completion = progress.mark_lesson_done(current_user, course, lesson,
                                           current_app.config["ORGANISATION_NAME"])
    db.session.commit()
    if completion is not None:
        flash(_("Congratulations! You have completed this course."), "success")
        return redirect(url_for("learn.course", course_slug=course.slug))
    if request.form.get("stay"):
        return redirect(url_for("learn.item", course_slug=course.slug, module_slug=lesson.module_slug,
                                item_slug=lesson.slug))
    after = course.neighbours(lesson.key)[1]
    if after is not None:
        return redirect(url_for("learn.item", course_slug=course.slug, module_slug=after.module_slug,
                                item_slug=after.slug))
    return redirect(url_for("learn.course", course_slug=course.slug))


@bp.route("/courses/<course_slug>/assets/<path:path>")
def asset(course_slug, path):
    """An image or other file from inside the course folder; nothing else is served."""
    course = get_course(course_slug)
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if suffix not in ASSET_TYPES or any(part.startswith(".") for part in path.split("/")):
        abort(404)
    response = send_from_directory(course.path, path, mimetype=ASSET_TYPES[suffix], max_age=86400)
    if suffix == ".svg":
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


@bp.route("/my-learning")
@login_required
def my_learning():
    """My paths with their next step, my courses, and every quiz attempt grouped by course."""
    catalog = get_catalog()
    states = progress.all_course_states(current_user.id, catalog)
    history = progress.attempt_history(current_user.id)

    def render():
        started = [s for s in states.values() if s.started or s.best_scores]
        return render_template("learn/my_learning.html", states=started, steps=next_steps(catalog, states),
                               attempts=attempts_by_course(history, catalog))

    return kept_page(render, inputs=(tuple(state.fingerprint() for state in states.values()), tuple(
        (a.course_slug, a.quiz_key, a.number, a.submitted_at, a.score, a.passed) for a in history)))
