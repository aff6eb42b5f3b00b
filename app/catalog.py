"""The loaded course catalogue, kept on the app; reloaded on change in development."""
import logging
import os
import threading

from flask import Flask, current_app

from . import pagecache
from .content.loader import load_catalog, tree_signature
from .content.model import Catalog

log = logging.getLogger(__name__)
_lock = threading.Lock()


RELOAD_MARKER = "reload-courses"


def init_app(app):
    app.extensions["soglia.catalog"] = _load(app)
    pagecache.init_app(app)
    app.extensions["soglia.reload_mark"] = _marker_mtime(app)

    @app.before_request
    def _reload_if_changed():
        if app.config["COURSES_AUTO_RELOAD"]:
            reload_if_changed(app)
        elif _marker_mtime(app) != app.extensions["soglia.reload_mark"]:
            app.extensions["soglia.reload_mark"] = _marker_mtime(app)
            reload(app)


def _marker_mtime(app):
    try:
        return os.stat(os.path.join(app.instance_path, RELOAD_MARKER)).st_mtime_ns
    except OSError:
        return None


def request_reload(app):
    """Touch the marker file; every worker sees its new time and reloads (one stat per request)."""
    path = os.path.join(app.instance_path, RELOAD_MARKER)
    with open(path, "a"):
        os.utime(path)


def cache_dir(app):
    """Where rendered courses are kept between starts (`flask courses build` fills it)."""
    return os.path.join(app.instance_path, "content-cache")


def _load(app, previous=None):
    """Load the courses; a course whose files have errors keeps serving its last good version."""
    catalog = load_catalog(app.config["COURSES_DIR"], cache_dir=cache_dir(app),
                           word_budget=app.config["LESSON_WORD_BUDGET"], keep_last_good=True,
                           previous=previous.courses if previous else None)
    if catalog.problems:  # the details are on the Trainer page and in `flask courses check`, printed once there
        errors = len(catalog.errors)
        (log.error if errors else log.warning)(
            "the course files have %d error(s) and %d warning(s): see the Trainer page or run `flask courses check`",
            errors, len(catalog.problems) - errors)
    for slug, version in catalog.held_back.items():
        log.error("course %s has errors: learners still get its last good version %s", slug, version)
    for slug in catalog.unpublished:
        log.error("new course %s has errors: not published until they are fixed", slug)
    return catalog


def get_catalog(app: Flask | None = None) -> Catalog:
    """The loaded catalogue of `app` (default: the current app)."""
    catalog: Catalog = (app or current_app).extensions["soglia.catalog"]
    return catalog


def reload(app=None):
    app = app or current_app
    with _lock:
        app.extensions["soglia.catalog"] = _load(app, app.extensions.get("soglia.catalog"))
        pagecache.clear(app)
        for listener in app.extensions.get("soglia.catalog_listeners", ()):
            listener(app, app.extensions["soglia.catalog"])
    return app.extensions["soglia.catalog"]


def add_load_listener(app, listener):
    """Call `listener(app, catalog)` after every reload of the courses (e.g. to index them)."""
    app.extensions.setdefault("soglia.catalog_listeners", []).append(listener)


def reload_if_changed(app):
    catalog = app.extensions["soglia.catalog"]
    if tree_signature(app.config["COURSES_DIR"]) != catalog.signature:
        reload(app)
