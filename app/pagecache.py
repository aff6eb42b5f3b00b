"""Pages rendered once and kept in memory, per address, language and everything else they show.

A visitor's page holds nothing personal. A logged-in user's page is rendered under a stand-in user
(`Viewer`) that carries only the key's fields (role, track, preferred language); anything else the
page would read of the user is an error, not a silent leak. What a page shows of the user's progress
is passed as `inputs` and is part of the key, so two users share a page only when it would be the same
for both. The CSRF token is a marker in the kept page, filled in with the session's own token on every
response; a page with flash messages is never kept. The pages are emptied when the courses reload.
"""
import secrets
from collections import OrderedDict

from flask import current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from .i18n import current_language

MAX_PAGES = 2000
#: signed CSRF tokens kept, by session (signing costs more than serving a kept page)
MAX_TOKENS = 20000
#: stands for the CSRF token in a kept page (random, so no content can contain it)
CSRF_MARK = "csrf-mark-" + secrets.token_hex(16)


class PersonalDataInKeptPage(RuntimeError):
    """A kept page tried to show something of the user that its key does not name."""


class Viewer:
    """The logged-in user as a kept page sees them: what every learner with the same key has in common."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, user):
        self.role, self.track, self.locale = user.role, user.track, user.locale
        self.is_trainer, self.is_admin = user.is_trainer, user.is_admin

    def key(self):
        return self.role, self.track, self.locale

    def __getattr__(self, name):
        raise PersonalDataInKeptPage(f"a kept page read the user's {name!r}: pass it in the page's inputs")


def init_app(app):
    """Keep pages; templates' `csrf_token()` (global and in the context, as Flask-WTF sets both) becomes ours."""
    app.extensions["soglia.pages"] = OrderedDict()
    app.extensions["soglia.csrf_tokens"] = {}
    app.jinja_env.globals["csrf_token"] = _csrf_token
    app.context_processor(lambda: {"csrf_token": _csrf_token})


def clear(app):
    app.extensions["soglia.pages"] = OrderedDict()


def _csrf_token():
    """The template's `csrf_token()`: the session's token, or the marker while a kept page renders."""
    return CSRF_MARK if g.get("soglia_keeping_page") else session_csrf_token()


def session_csrf_token():
    """Flask-WTF's signed token of this session, signed once per session while tokens do not expire."""
    raw = session.get("csrf_token")
    if raw is None or current_app.config["WTF_CSRF_TIME_LIMIT"] is not None:
        return generate_csrf()
    signed = current_app.extensions["soglia.csrf_tokens"]
    token = signed.get(raw)
    if token is None:
        if len(signed) >= MAX_TOKENS:
            signed.clear()
        token = signed[raw] = generate_csrf()
    return token


def kept_page(render, inputs=()):
    """`render()`'s HTML, from memory when it was rendered before for the same address, language, viewer
    and `inputs` (hashable: everything the page shows that is not in the address or the viewer)."""
    if "_flashes" in session:
        return render()
    user = current_user._get_current_object()
    viewer = Viewer(user) if user.is_authenticated else None
    key = (request.full_path, current_language(), viewer.key() if viewer else None, inputs)
    pages = current_app.extensions["soglia.pages"]
    fragments = pages.get(key)
    if fragments is None:
        fragments, keep = _render_kept(render, user, viewer)
        if not keep:
            return session_csrf_token().join(fragments) if len(fragments) > 1 else fragments[0]
        if len(pages) >= MAX_PAGES:
            pages.popitem(last=False)
        pages[key] = fragments
    else:
        pages.move_to_end(key)
    return fragments[0] if len(fragments) == 1 else session_csrf_token().join(fragments)


def _render_kept(render, user, viewer):
    """(the page split at its CSRF tokens, False when rendering it made a real token or changed the session)."""
    modified, token = session.modified, g.pop("csrf_token", None)
    session.modified = False
    g.soglia_keeping_page = True
    if viewer is not None:
        g._login_user = viewer
    try:
        html = render()
    finally:
        g.soglia_keeping_page = False
        g._login_user = user
        changed = session.modified or "csrf_token" in g
        session.modified = modified or session.modified
        if token is not None:
            g.csrf_token = token
    return tuple(html.split(CSRF_MARK)), not changed
