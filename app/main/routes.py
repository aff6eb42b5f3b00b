"""The catalogue, learning paths, the language switch, and the health and ping endpoints."""
from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from ..catalog import get_catalog
from ..extensions import db
from ..i18n import current_language
from ..pagecache import kept_page
from ..security import safe_next_url
from ..services import accounts
from ..services.progress import all_course_states
from ..workbook.review import review_notices

bp = Blueprint("main", __name__, template_folder="templates")

TRACK_AUDIENCES = {"entrepreneur": {"entrepreneurs", "both"}, "operator": {"operators", "both"}}


def _visible_courses(catalog):
    if current_user.is_authenticated:
        wanted = TRACK_AUDIENCES.get(current_user.track, {"both"})
        return [c for c in catalog.courses.values() if c.audience in wanted]
    return list(catalog.courses.values())


@bp.route("/")
def index():
    """The catalogue: courses and paths for the learner's track, in their language first."""
    catalog = get_catalog()
    lang = current_language()
    courses = _visible_courses(catalog)
    in_language = [c for c in courses if lang in c.texts]
    others = [c for c in courses if lang not in c.texts]
    slugs = {c.slug for c in courses}
    paths = [p for p in catalog.paths if set(p.course_slugs) & slugs]
    states = all_course_states(current_user.id, catalog) if current_user.is_authenticated else {}
    notices = review_notices(current_user.id) if current_user.is_authenticated else []
    inputs = (tuple(state.fingerprint() for state in states.values()),
              tuple((notice.course_slug, notice.new_comments, notice.ready) for notice in notices))
    return kept_page(lambda: render_template(
        "main/index.html", courses=in_language, other_courses=others, paths=paths, states=states,
        path_percent={p.slug: path_progress(p, states) for p in paths}, catalog=catalog, review_notices=notices),
        inputs=inputs)


def path_progress(path, states):
    """Percent of a path's lessons and quizzes done, or None before the learner starts it."""
    chosen = [states[slug] for slug in path.course_slugs if slug in states]
    if not any(state.started for state in chosen):
        return None
    total = sum(len(state.course.items) for state in chosen)
    return round(100 * sum(state.done_count for state in chosen) / total) if total else 0


@bp.route("/paths/<slug>")
def path(slug):
    """One learning path: its courses in order."""
    catalog = get_catalog()
    found = next((p for p in catalog.paths if p.slug == slug), None)
    if found is None:
        abort(404)
    states = all_course_states(current_user.id, catalog) if current_user.is_authenticated else {}
    return kept_page(lambda: render_template("main/path.html", path=found, catalog=catalog, states=states),
                     inputs=tuple(state.fingerprint() for state in states.values()))


@bp.route("/language", methods=["POST"])
@login_required
def save_language():
    """Save the language the page is shown in as the user's preference, then go back to that page."""
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    accounts.set_locale(current_user, lang)
    db.session.commit()
    session["lang"] = lang
    return redirect(safe_next_url(request.form.get("next"), url_for("main.index")))


@bp.route("/healthz")
def healthz():
    """Liveness and readiness: database reachable and courses loaded."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # any failure means "not ready"; the detail goes to the log
        current_app.logger.exception("health check: database unreachable")
        database = "error"
    catalog = get_catalog()
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "error", database=database,
                   courses=len(catalog.courses), content_errors=len(catalog.errors)), status


@bp.route("/ping")
def ping():
    """The smallest response the app can give: the benchmark's baseline."""
    return "pong", 200, {"Content-Type": "text/plain; charset=utf-8"}
