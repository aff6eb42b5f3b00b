"""Flask-Login's user loader: a session is valid only while its user's session token is."""
from flask_babel import lazy_gettext as _l

from . import sessions


def init_login(login_manager):
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id):
        """The cookie holds `<id>:<session key>`; the session must still exist server-side (see sessions.py)."""
        raw_id, _, key = (user_id or "").partition(":")
        if not (raw_id.isascii() and raw_id.isdigit()) or len(raw_id) > 12 or not key or len(key) > 64:
            return None
        return sessions.load(int(raw_id), key)
