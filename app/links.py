"""Absolute links for things that leave the site: printed QR codes, credentials, emails."""
from flask import current_app, url_for


def public_url(endpoint, **values):
    """An absolute URL on the public site: PUBLIC_BASE_URL when set, else the request's host."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
