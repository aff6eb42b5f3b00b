"""Recovery codes (for people without email) and reset links (for people with one)."""
import hashlib
import re

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import delete, func, select, update

from ..extensions import db
from ..models import User
from ..models.base import utcnow
from ..services.accounts import READABLE, readable_secret
from .models import RecoveryCode

CODE_COUNT = 10


def _code_hash(user_id, code):
    """Codes carry ~59 random bits, so a salted SHA-256 resists guessing offline; the user id is the salt."""
    return hashlib.sha256(f"{user_id}:{code}".encode()).hexdigest()


def _normalise_code(text):
    """Read a typed code: any case, with or without dashes and spaces."""
    cleaned = re.sub(r"[\s\-_.]", "", (text or "").lower())
    if len(cleaned) != 12 or any(ch not in READABLE for ch in cleaned):
        return None
    return "-".join(cleaned[i:i + 4] for i in range(0, 12, 4))


def issue_codes(user):
    """Replace the user's recovery codes with new ones and flush; returns them, to be shown only once."""
    codes = [readable_secret() for _ in range(CODE_COUNT)]
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_code_hash(user.id, code)) for code in codes)
    db.session.flush()
    return codes


def unused_count(user_id):
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)))


def use_code(user, text):
    """Spend one unused code of `user`; True if it was valid. Two requests cannot spend the same code."""
    code = _normalise_code(text)
    if code is None:
        return False
    spent = db.session.execute(update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _code_hash(user.id, code),
        RecoveryCode.used_at.is_(None)).values(used_at=utcnow()))
    return spent.rowcount == 1  # type: ignore[attr-defined]


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="soglia-password-reset")


def _fingerprint(user):
    """Changes when the password changes: a used link cannot be used again."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def reset_token(user):
    return _serializer().dumps([user.id, _fingerprint(user)])


def user_for_reset_token(token):
    """The user a reset link is for, or None when it is forged, expired or already used."""
    try:
        user_id, fingerprint = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (BadData, TypeError, ValueError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active or fingerprint != _fingerprint(user):
        return None
    return user
