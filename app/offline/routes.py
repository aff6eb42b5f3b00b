"""The web app manifest, the service worker, course downloads, the offline page, sync, and the data saver."""
import hashlib
import os

from flask import (Blueprint, current_app, flash, jsonify, redirect, render_template, request, send_from_directory,
                   url_for)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..catalog import get_catalog
from ..courses import get_course
from ..extensions import db
from ..i18n import current_language, text_direction
from . import datasaver, operations
from .cli import sizes_command
from .forms import DataSaverForm
from .manifest import course_manifest, human_size, path_bytes

bp = Blueprint("offline", __name__, template_folder="templates", static_folder="static",
               static_url_path="/offline/static", cli_group="offline")
bp.cli.add_command(sizes_command)

STATIC_DIR = os.path.join(os.path.dirname(__file__), "static")
#: the browser keeps the service worker script for at most this long before asking again
SERVICE_WORKER_MAX_AGE = 0


def _file_version(name: str) -> str:
    with open(os.path.join(STATIC_DIR, name), "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:10]


#: content hashes of the scripts, so pages may name them and browsers cache them for good
SCRIPT_VERSIONS = {name: _file_version(name) for name in ("offline.js", "queue.js")}


@bp.app_context_processor
def _offline_context():
    return {
        "offline_script_urls": [url_for("offline.static", filename=name, v=SCRIPT_VERSIONS[name])
                                for name in ("queue.js", "offline.js")],
        "offline_manifest": lambda course: course_manifest(course, current_language()),
        "offline_path_size": lambda path: path_bytes(path, get_catalog().courses, current_language()),
        "human_size": human_size,
        "page_weight_mark": datasaver.WEIGHT_MARK,
    }


#: tells the page's script whose phone it is (a page may be shared by everyone with the same role)
LEARNER_COOKIE = "soglia_learner"


@bp.after_app_request
def _after(response):
    asked, user = request._get_current_object(), current_user._get_current_object()  # type: ignore[attr-defined]
    if asked.endpoint == "auth.logout":
        # the learner's saved pages and queue leave the phone with them (the page also asks the worker)
        response.headers["Clear-Site-Data"] = '"cache", "storage"'
    learner = str(user.id) if user.is_authenticated else ""
    if asked.cookies.get(LEARNER_COOKIE, "") != learner:
        if learner:
            response.set_cookie(LEARNER_COOKIE, learner, samesite="Lax",
                                secure=current_app.config["SESSION_COOKIE_SECURE"])
        else:
            response.delete_cookie(LEARNER_COOKIE)
    return datasaver.finish_page(response, asked, user)


@bp.route("/manifest.<lang>.webmanifest")
def webmanifest(lang):
    """The installable app's manifest, in one language and its direction."""
    if lang not in current_app.config["LANGUAGES"]:
        lang = current_app.config["BABEL_DEFAULT_LOCALE"]
    icon = "offline.static"
    with force_locale(lang):
        description = _("Learning for work and financial independence, also without internet.")
    data = {
        "name": "Soglia", "short_name": "Soglia", "lang": lang, "dir": text_direction(lang),
        "description": description,
        "start_url": url_for("main.index"), "scope": "/", "id": "/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#0b5c55",
        "icons": [
            {"src": url_for(icon, filename="icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": url_for(icon, filename="icons/icon-192.png"), "sizes": "192x192", "type": "image/png",
             "purpose": "any maskable"},
            {"src": url_for(icon, filename="icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any maskable"},
        ],
    }
    response = jsonify(data)
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.route("/sw.js")
def service_worker():
    """The service worker, from the site's root so that it may serve every page."""
    response = send_from_directory(STATIC_DIR, "sw.js", mimetype="text/javascript", max_age=SERVICE_WORKER_MAX_AGE)
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/offline")
def offline_page():
    """Offline and data saver: what is on this phone, and the setting. Also the page shown offline."""
    form = DataSaverForm(data_saver=current_user.is_authenticated and current_user.data_saver)
    return render_template("offline/offline.html", form=form)


@bp.route("/offline/queued")
def queued_page():
    """Shown offline after sending answers: they wait on the phone and are marked when back online."""
    return render_template("offline/queued.html")


@bp.route("/offline/data-saver", methods=["POST"])
@login_required
def set_data_saver():
    """Turn the data saver on or off for my account."""
    form = DataSaverForm()
    if form.validate_on_submit():
        operations.set_data_saver(current_user.id, bool(form.data_saver.data))
        db.session.commit()
        flash(_("Data saver is on: images load only when you ask.") if form.data_saver.data
              else _("Data saver is off."), "success")
    return redirect(url_for("offline.offline_page"))


@bp.route("/offline/courses/<course_slug>.json")
@login_required
def course_manifest_json(course_slug):
    """Every URL of a course in my language, with sizes and a version: what "keep on my phone" downloads."""
    course = get_course(course_slug)
    manifest = course_manifest(course, current_language())
    operations.ensure_enrolment(current_user.id, course)
    db.session.commit()
    data = manifest.as_json()
    data.update(user=current_user.id, url=url_for("learn.course", course_slug=course.slug),
                shell=[url_for("offline.offline_page"), url_for("offline.queued_page")],
                size=human_size(manifest.total_bytes))
    response = jsonify(data)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/offline/sync", methods=["POST"])
def sync():
    """Apply the events my device queued offline; each is applied once however often it is sent."""
    if not current_user.is_authenticated:
        return jsonify(error="login"), 401
    payload = request.get_json(silent=True)
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        return jsonify(error="events"), 400
    if len(events) > operations.MAX_EVENTS:
        return jsonify(error="too-many", max=operations.MAX_EVENTS), 413
    results = operations.apply_events(current_user, events, current_app.config["ORGANISATION_NAME"])
    db.session.commit()
    return jsonify(results=results)
