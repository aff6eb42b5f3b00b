"""Server-side login sessions: logging out deletes the row, so a copied cookie stops working at once."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import make_transient_to_detached

from ..database import prepared
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


#: the user's columns and the login session's, read in one Core statement (no ORM query per request)
_USERS = User.__table__
_LOGINS = LoginSession.__table__
_USER_ATTRIBUTES = [User.__mapper__.get_property_by_column(column).key for column in _USERS.columns]


def _load_statement():
    return (select(*_USERS.columns, _LOGINS.c.remember, _LOGINS.c.expires_at)
            .select_from(_USERS.join(_LOGINS, _LOGINS.c.user_id == _USERS.c.id))
            .where(_USERS.c.id == bindparam("user_id"), _LOGINS.c.key_hash == bindparam("key_hash"),
                   _LOGINS.c.expires_at > bindparam("now"), _USERS.c.anonymised_at.is_(None)))


def load(user_id, key):
    """The active user whose unexpired session has this key, or None. One query; rarely a write (sliding expiry)."""
    now = utcnow()
    key_hash = _hash(key)
    row = db.session.connection().execute(prepared(_load_statement), {"user_id": user_id, "key_hash": key_hash, "now": now}).first()
    if row is None:
        return None
    *columns, remember, expires_at = row
    user = _attached(dict(zip(_USER_ATTRIBUTES, columns)))
    user.login_key = key
    changed = False
    if not remember and expires_at - now < lifetime(False) / 2:
        db.session.execute(update(LoginSession).where(LoginSession.key_hash == key_hash)
                           .values(expires_at=now + lifetime(False)))
        changed = True
    if user.last_seen_at is None or now - user.last_seen_at > SEEN_EVERY:
        user.last_seen_at, changed = now, True
    if changed:
        db.session.commit()
    return user


def _attached(values):
    """The User of these loaded column values, in the session as if the ORM had queried it."""
    found = db.session.identity_map.get(User.__mapper__.identity_key_from_primary_key([values["id"]]))
    if found is not None:
        return found
    user = User()
    user.__dict__.update(values)  # loaded values, not changes: no history
    make_transient_to_detached(user)
    db.session.add(user)
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
