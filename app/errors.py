"""Error pages in the user's language; never a stack trace."""
import logging

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger(__name__)
PAGES = {400, 403, 404, 405, 413, 429, 500}


def _render(status, description=None):
    if request.path.endswith(".json") or request.path.startswith("/healthz"):
        return jsonify(error=status), status
    template = f"errors/{status}.html" if status in PAGES else "errors/generic.html"
    return render_template(template, status=status, description=description), status


def register_error_handlers(app):
    @app.errorhandler(CSRFError)
    def _csrf(error):
        return _render(400, "csrf")

    @app.errorhandler(HTTPException)
    def _http(error):
        response = _render(error.code or 500)
        if error.code == 429 and getattr(error, "retry_after", None):
            response[0].headers["Retry-After"] = str(error.retry_after)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return _render(500)
