"""Flask extensions, created unbound; create_app() binds them."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask import current_app, request, session
from flask_login import LoginManager as _LoginManager
from flask_login.config import COOKIE_NAME
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect as _CSRFProtect
from sqlalchemy import MetaData

#: Constraint names follow one convention so migrations are stable on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: objects stay readable after commit: a request commits once and then renders its page
db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION), session_options={"expire_on_commit": False})
migrate = Migrate()


class LoginManager(_LoginManager):
    """Flask-Login, knowing a visitor without looking further: with no user in the session, no remember-me cookie
    and no request or header loader, the user can only be the anonymous one."""

    def _load_user(self):
        if ("_user_id" not in session and self._request_callback is None and self._header_callback is None
                and current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) not in request.cookies):
            return self._update_request_context_with_user()
        return super()._load_user()


class CSRFProtect(_CSRFProtect):
    """Flask-WTF's CSRF protection, looking at the method before the view's exemptions: a GET needs neither."""

    def protect(self, apply_exemptions=False):
        if request.method in current_app.config["WTF_CSRF_METHODS"]:
            super().protect(apply_exemptions)


login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
