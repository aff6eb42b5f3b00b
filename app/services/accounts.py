"""Accounts: create users, change passwords and roles."""
import secrets
import unicodedata

from sqlalchemy import func, select

from ..extensions import db
from ..models import User


class UsernameTaken(ValueError):
    """Another account already uses this username."""


class EmailTaken(ValueError):
    """Another account already uses this email address."""


class OwnAdminRole(PermissionError):
    """An admin may not take away their own admin role (someone must stay able to manage the site)."""


class StaffPasswordReset(PermissionError):
    """Only admins may reset the password of a trainer or an admin."""


def normalise_username(username):
    return unicodedata.normalize("NFKC", username or "").strip().lower()


def normalise_display_name(name):
    """Keep the name as typed, in any script; only tidy Unicode form and spaces."""
    return " ".join(unicodedata.normalize("NFC", name or "").split())


def find_user(username):
    return db.session.execute(select(User).where(User.username == normalise_username(username))).scalar_one_or_none()


def normalise_email(email):
    return (email or "").strip().lower() or None


def email_taken(email, except_user_id=None):
    """True when another account already uses `email` (already normalised)."""
    query = select(User.id).where(func.lower(User.email) == email)
    if except_user_id is not None:
        query = query.where(User.id != except_user_id)
    return email is not None and db.session.execute(query).first() is not None


def create_user(*, username, display_name, password, email=None, locale="en",
                track="entrepreneur", role="learner", hash_method="scrypt"):
    """Create a user and flush. Raises UsernameTaken / EmailTaken."""
    username = normalise_username(username)
    email = normalise_email(email)
    if db.session.execute(select(User.id).where(User.username == username)).first():
        raise UsernameTaken(username)
    if email_taken(email):
        raise EmailTaken(email)
    user = User(username=username, display_name=normalise_display_name(display_name), email=email,
                locale=locale, track=track, role=role)
    user.set_password(password, method=hash_method)
    db.session.add(user)
    db.session.flush()
    return user


def update_profile(user, *, display_name, email, locale, track):
    """Save what a user may change about themselves and flush. Raises EmailTaken."""
    email = normalise_email(email)
    if email_taken(email, except_user_id=user.id):
        raise EmailTaken(email)
    user.display_name = normalise_display_name(display_name)
    user.email, user.locale, user.track = email, locale, track
    db.session.flush()


def change_password(user, new_password, hash_method="scrypt"):
    """Set a new password; the new session token ends every other session."""
    user.set_password(new_password, method=hash_method)
    db.session.flush()


#: letters and digits that cannot be mistaken for each other when read aloud or copied by hand
READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


def reset_password(user, actor, hash_method="scrypt"):
    """Give a user a new random password (for people without email); ends all their sessions.

    :raises StaffPasswordReset: when `actor` is not an admin and `user` is not a learner
    :return: the new password, to be handed to the user once
    """
    if user.role != "learner" and not actor.is_admin:
        raise StaffPasswordReset()
    groups = ["".join(secrets.choice(READABLE) for _ in range(4)) for _ in range(3)]
    password = "-".join(groups)
    change_password(user, password, hash_method)
    return password


def set_role(user, role, actor):
    """Give `user` a role. Raises OwnAdminRole when an admin would demote themselves."""
    if user.id == actor.id and role != "admin":
        raise OwnAdminRole()
    user.role = role
    db.session.flush()
