"""Flask-Login's user loader: a session is valid only while its user's session token is."""
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models import User


def init_login(login_manager):
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id):
        """The cookie holds `<id>:<session token>`; a changed password changes the token."""
        raw_id, _, token = (user_id or "").partition(":")
        if not raw_id.isdigit() or not token:
            return None
        user = db.session.get(User, int(raw_id))
        return user if user is not None and user.session_token == token else None
