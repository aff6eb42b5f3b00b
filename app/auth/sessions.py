"""Server-side login sessions: logging out deletes the row, so a copied cookie stops working at once."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from ..extensions import db
from ..models import User
from ..models.base import utcnow
from .models import LoginSession

#: how often, at most, a visit is written down (retention counts from it; idle sessions slide forward)
SEEN_EVERY = timedelta(hours=12)


def _hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


def lifetime(remember):
    config = current_app.config
    return config["REMEMBER_COOKIE_DURATION"] if remember else config["LOGIN_IDLE_TIMEOUT"]


def start(user, remember=False):
    """Open a session for `user` before `login_user(user)`: its key goes into the cookie via get_id()."""
    key = secrets.token_urlsafe(24)
    now = utcnow()
    db.session.add(LoginSession(user_id=user.id, key_hash=_hash(key), remember=bool(remember), created_at=now,
                                expires_at=now + lifetime(remember)))
    user.last_seen_at = now
    user.login_key = key
    db.session.flush()
    return key


def load(user_id, key):
    """The active user whose unexpired session has this key, or None. One query; rarely a write (sliding expiry)."""
    now = utcnow()
    row = db.session.execute(
        select(User, LoginSession).join(LoginSession, LoginSession.user_id == User.id)
        .where(User.id == user_id, LoginSession.key_hash == _hash(key), LoginSession.expires_at > now,
               User.anonymised_at.is_(None))
    ).first()
    if row is None:
        return None
    user, login = row
    user.login_key = key
    changed = False
    if not login.remember and login.expires_at - now < lifetime(False) / 2:
        login.expires_at, changed = now + lifetime(False), True
    if user.last_seen_at is None or now - user.last_seen_at > SEEN_EVERY:
        user.last_seen_at, changed = now, True
    if changed:
        db.session.commit()
    return user


def end(user_id, key):
    """Log out this one session."""
    if key:
        db.session.execute(delete(LoginSession).where(LoginSession.user_id == user_id,
                                                      LoginSession.key_hash == _hash(key)))


def end_all(user_id: int, except_key: str | None = None) -> None:
    """Log out every session of the user (but `except_key`'s, when given)."""
    query = delete(LoginSession).where(LoginSession.user_id == user_id)
    if except_key:
        query = query.where(LoginSession.key_hash != _hash(except_key))
    db.session.execute(query)


def purge_expired():
    """Delete expired sessions; returns how many."""
    return db.session.execute(delete(LoginSession).where(LoginSession.expires_at <= utcnow())).rowcount  # type: ignore[attr-defined]


def count(user_id):
    return len(db.session.scalars(select(LoginSession.id).where(LoginSession.user_id == user_id,
                                                                LoginSession.expires_at > utcnow())).all())
