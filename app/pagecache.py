"""Pages for visitors without an account, rendered once per address and language, kept in memory.

Only pages that hold nothing personal (no form, no CSRF token, no flash message) use it; the
cache is emptied whenever the course files are reloaded.
"""
from flask import current_app, request, session
from flask_login import current_user

from .i18n import current_language

MAX_PAGES = 2000


def init_app(app):
    app.extensions["soglia.pages"] = {}


def clear(app):
    app.extensions["soglia.pages"] = {}


def anonymous_page(render, version=None):
    """Return `render()`'s HTML, from memory when the visitor has no account and no messages.

    `version` (hashable) names the state of the data shown, when it may change without a reload of the courses.
    """
    if current_user.is_authenticated or "_flashes" in session:
        return render()
    pages = current_app.extensions["soglia.pages"]
    key = (request.full_path, current_language(), version)
    html = pages.get(key)
    if html is None:
        html = render()
        if not session.modified:
            if len(pages) >= MAX_PAGES:
                pages.clear()
            pages[key] = html
    return html
