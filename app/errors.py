"""Error pages in the user's language; never a stack trace, and never a query to render them."""
import logging

from flask import g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger(__name__)
PAGES = {400, 403, 404, 405, 413, 429, 500, 503}
#: how long a client should wait before trying again while the database is unreachable
RETRY_AFTER_OUTAGE = 30


def _forget_failed_transaction():
    try:
        db.session.rollback()
    except SQLAlchemyError:  # the connection itself is gone; the pool replaces it on the next request
        log.warning("rollback failed", exc_info=True)


def _ensure_user_loaded():
    """Load the user before rendering; if that needs an unreachable database, render as a visitor. True if so."""
    if "_login_user" in g:
        return False
    from flask_login import current_user

    from .extensions import login_manager

    try:
        current_user._get_current_object()
        return False
    except (OperationalError, InterfaceError):
        _forget_failed_transaction()
        g._login_user = login_manager.anonymous_user()
        return True


def _render(status, description=None):
    if _ensure_user_loaded():
        status = 503
    if request.path.endswith(".json") or request.path.startswith("/healthz"):
        response = make_response(jsonify(error=status), status)
    else:
        template = f"errors/{status}.html" if status in PAGES else "errors/generic.html"
        response = make_response(render_template(template, status=status, description=description), status)
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_OUTAGE)
    return response


def register_error_handlers(app):
    @app.errorhandler(CSRFError)
    def _csrf(error):
        return _render(400, "csrf")

    @app.errorhandler(HTTPException)
    def _http(error):
        response = _render(error.code or 500)
        if error.code == 429 and getattr(error, "retry_after", None):
            response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_unreachable(error):
        """The database is down or refuses connections: a 503 page, rendered without it."""
        log.error("database unreachable on %s %s: %s", request.method, request.path, error.orig or error)
        _forget_failed_transaction()
        from .extensions import login_manager

        g._login_user = login_manager.anonymous_user()
        return _render(503)

    @app.errorhandler(Exception)
    def _unexpected(error):
        log.exception("unhandled error on %s %s", request.method, request.path)
        _forget_failed_transaction()
        return _render(500)
