"""Security helpers: response headers, the app-wide login gate, safe redirects, role checks."""
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, request
from flask_login import current_user

from .extensions import login_manager

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


#: (lower-case name, name, value) of the headers every response carries, unless a view set its own
SECURITY_HEADERS = tuple((name.lower(), name, value) for name, value in (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
))
HTTPS_HEADERS = SECURITY_HEADERS + (("strict-transport-security", "Strict-Transport-Security", "max-age=31536000"),)


def register_security_headers(app):
    """Every response carries SECURITY_HEADERS (added as it leaves the app, so error pages do too), and HTML says
    how it may be cached: never kept when it is a logged-in user's page."""
    app.wsgi_app = _WithSecurityHeaders(app.wsgi_app, app.config)

    @app.after_request
    def _html_cache_control(response):
        headers = response.headers
        if headers.get("Content-Type", "").startswith("text/html") and "Cache-Control" not in headers:
            headers["Cache-Control"] = "no-store" if current_user.is_authenticated else "no-cache"
        return response


class _WithSecurityHeaders:
    """WSGI middleware: the headers a view did not set itself are added to the list the server sends."""

    def __init__(self, wsgi_app, config):
        self.wsgi_app, self.config = wsgi_app, config

    def __call__(self, environ, start_response):
        wanted = HTTPS_HEADERS if self.config.get("SESSION_COOKIE_SECURE") else SECURITY_HEADERS

        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers.extend([(name, value) for key, name, value in wanted if key not in present])
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


#: what stays open to visitors when REQUIRE_LOGIN is on: logging in, registering, verifying, health
PUBLIC_ENDPOINTS = frozenset({
    "auth.login", "auth.register", "static", "main.healthz", "main.ping",
    "certificates.verify", "certificates.verify_json", "certificates.verify_form",
    "certificates.revocation_list", "certificates.issuer", "certificates.did_document",
    "certificates.did_document_in_path", "certificates.status_list", "competences.index", "competences.competence",
    "offline.static", "offline.webmanifest", "offline.service_worker",
})


def register_login_gate(app):
    """With REQUIRE_LOGIN, every page but PUBLIC_ENDPOINTS sends visitors to the login page."""

    @app.before_request
    def _login_everywhere():
        if not app.config["REQUIRE_LOGIN"] or current_user.is_authenticated:
            return None
        if request.endpoint not in PUBLIC_ENDPOINTS:
            return login_manager.unauthorized()
        return None


def safe_next_url(target, fallback):
    """Only a path on this site (no scheme, no host, no `//` or `\\` tricks) may be redirected to."""
    if not target or not isinstance(target, str) or len(target) > 2000:
        return fallback
    target = target.strip()
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):  # a line break would split the Location header
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target:
        return fallback
    return target


def role_required(*roles):
    """Allow the view only to logged-in users with one of `roles` (admins pass everywhere)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles and current_user.role != "admin":
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator

