"""Rate-limit policy for accounts: only failures count, per account and per address apart.

A class behind one address can all log in; one attacker cannot lock out the site, and guessing one
account's password is slow from any number of addresses.
"""
from flask import current_app, g, request
from flask_limiter.util import get_remote_address

from ..extensions import limiter
from .names import clean_username


def _config(key):
    return lambda: current_app.config[key]


def _account_key():
    return "account:" + clean_username(request.form.get("username", ""))[:40]


def note_failure():
    """Call in a view when a login or recovery attempt failed: only then do its limits count."""
    g.account_attempt_failed = True


def note_success():
    g.account_attempt_succeeded = True


def _failed(_response):
    return g.get("account_attempt_failed", False)


def _succeeded(_response):
    return g.get("account_attempt_succeeded", False)


def failures_limited(view):
    """Limit failed attempts of `view` (POST) per account and, separately, per client address."""
    view = limiter.limit(_config("LOGIN_FAILURES_PER_ACCOUNT"), key_func=_account_key, methods=["POST"],
                         deduct_when=_failed, scope="failures-account")(view)
    return limiter.limit(_config("LOGIN_FAILURES_PER_ADDRESS"), key_func=get_remote_address, methods=["POST"],
                         deduct_when=_failed, scope="failures-address")(view)


def registrations_limited(view):
    """Limit accounts created per client address."""
    return limiter.limit(_config("REGISTER_RATE_LIMIT"), key_func=get_remote_address, methods=["POST"],
                         deduct_when=_succeeded, scope="register")(view)


def reset_requests_limited(view):
    """Limit reset-link requests per client address (each may send a mail)."""
    return limiter.limit(_config("RESET_REQUEST_RATE_LIMIT"), key_func=get_remote_address, methods=["POST"],
                         scope="reset-request")(view)
