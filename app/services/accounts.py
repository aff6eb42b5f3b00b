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


def normalise_username(username: str | None) -> str:
    """The username as stored: Unicode-normalised, trimmed, lowercase."""
    return unicodedata.normalize("NFKC", username or "").strip().lower()


def normalise_display_name(name: str | None) -> str:
    """Keep the name as typed, in any script; only tidy Unicode form and spaces."""
    return " ".join(unicodedata.normalize("NFC", name or "").split())


def find_user(username: str) -> User | None:
    """The account with this username (typed in any case), or None."""
    return db.session.execute(select(User).where(User.username == normalise_username(username))).scalar_one_or_none()


def normalise_email(email: str | None) -> str | None:
    """The email as stored (trimmed, lowercase), None for none."""
    return (email or "").strip().lower() or None


def email_taken(email: str | None, except_user_id: int | None = None) -> bool:
    """True when another account already uses `email` (already normalised)."""
    query = select(User.id).where(func.lower(User.email) == email)
    if except_user_id is not None:
        query = query.where(User.id != except_user_id)
    return email is not None and db.session.execute(query).first() is not None


def create_user(*, username: str, display_name: str, password: str, email: str | None = None, locale: str = "en",
                track: str = "entrepreneur", role: str = "learner", hash_method: str = "scrypt") -> User:
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


def update_profile(user: User, *, display_name: str, email: str | None, locale: str, track: str) -> None:
    """Save what a user may change about themselves and flush. Raises EmailTaken."""
    email = normalise_email(email)
    if email_taken(email, except_user_id=user.id):
        raise EmailTaken(email)
    user.display_name = normalise_display_name(display_name)
    user.email, user.locale, user.track = email, locale, track
    db.session.flush()


def change_password(user: User, new_password: str, hash_method: str = "scrypt") -> None:
    """Set a new password; the new session token ends every other session."""
    user.set_password(new_password, method=hash_method)
    db.session.flush()


#: letters and digits that cannot be mistaken for each other when read aloud or copied by hand
READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


def reset_password(user: User, actor: User, hash_method: str = "scrypt") -> str:
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


def set_role(user: User, role: str, actor: User) -> None:
    """Give `user` a role. Raises OwnAdminRole when an admin would demote themselves."""
    if user.id == actor.id and role != "admin":
        raise OwnAdminRole()
    user.role = role
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    """Save the language a user wants the site in."""
    user.locale = locale
    db.session.flush()
