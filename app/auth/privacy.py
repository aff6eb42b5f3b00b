"""Privacy provider for accounts: the profile, login sessions and recovery codes."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import User
from ..models.base import utcnow
from ..models.user import NO_PASSWORD
from ..privacy.registry import Provider, delete_rows, jsonable, register, rows_of
from .models import LoginSession, RecoveryCode

PROFILE_FIELDS = ("username", "display_name", "email", "locale", "track", "role", "created_at", "last_seen_at",
                  "notice_version", "notice_accepted_at")


def export_account(user_id):
    user = db.session.get(User, user_id)
    used, unused = (db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user_id, condition)) for condition in
        (RecoveryCode.used_at.is_not(None), RecoveryCode.used_at.is_(None)))
    return {
        "profile": {name: jsonable(getattr(user, name)) for name in PROFILE_FIELDS},
        "login_sessions": rows_of(LoginSession, LoginSession.user_id == user_id, exclude=("key_hash", "user_id")),
        "recovery_codes": {"unused": unused, "used": used},
    }


def erase_account(user):
    """The row stays (progress counts refer to it) but holds nothing that identifies the person."""
    delete_rows(LoginSession, LoginSession.user_id == user.id)
    delete_rows(RecoveryCode, RecoveryCode.user_id == user.id)
    user.username = f"deleted-{user.id}"
    user.username_skeleton = None
    user.display_name = ""
    user.email = None
    user.password_hash = NO_PASSWORD
    user.notice_version = user.notice_accepted_at = None
    user.last_seen_at = None
    user.anonymised_at = utcnow()


register(Provider(name="account", title=_l("Your account"), tables=("users", "login_sessions", "recovery_codes"),
                  export=export_account, erase=erase_account, order=100))
