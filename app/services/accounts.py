"""Accounts: create users, change passwords and roles."""
import re
import secrets

from sqlalchemy import Select, func, select

from ..auth.names import clean_display_name, clean_username, username_skeleton
from ..cohorts import tallies
from ..extensions import db
from ..models import User
from ..models.user import DISPLAY_NAME_LENGTH, EMAIL_LENGTH, USERNAME_LENGTH

USERNAME_PATTERN = re.compile(rf"[\w.-]{{3,{USERNAME_LENGTH}}}")


class UsernameTaken(ValueError):
    """Another account already uses this username."""


class UsernameConfusable(UsernameTaken):
    """The username looks like another account's (letters from another script that look the same)."""


class EmailTaken(ValueError):
    """Another account already uses this email address."""


class InvalidName(ValueError):
    """A username or display name that is empty, too long or has characters a username cannot have."""


class OwnAdminRole(PermissionError):
    """An admin may not take away their own admin role (someone must stay able to manage the site)."""


class StaffPasswordReset(PermissionError):
    """Only admins (of the platform or the organisation) may reset the password of a trainer or an admin."""


def normalise_username(username: str | None) -> str:
    """The username as stored: Unicode-normalised, trimmed, lowercase."""
    return clean_username(username)


def normalise_display_name(name: str | None) -> str:
    """Keep the name as typed, in any script; only tidy Unicode form and spaces."""
    return clean_display_name(name)


def find_user(username: str) -> User | None:
    """The active account with this username, or None."""
    username = normalise_username(username)
    if not username or len(username) > USERNAME_LENGTH:
        return None
    return db.session.execute(select(User).where(User.username == username,
                                                 User.anonymised_at.is_(None))).scalar_one_or_none()


def normalise_email(email: str | None) -> str | None:
    """The email as stored (trimmed, lowercase), None for none. Raises InvalidName."""
    email = (email or "").strip().lower() or None
    if email is not None and ("\x00" in email or len(email) > EMAIL_LENGTH):
        raise InvalidName(email)
    return email


def active_user_with_email(email: str | None) -> Select[User]:
    """A query for the active account with this email address."""
    return select(User).where(func.lower(User.email) == normalise_email(email), User.anonymised_at.is_(None))


def email_taken(email: str | None, except_user_id: int | None = None) -> bool:
    """True when another account already uses `email` (already normalised)."""
    query = select(User.id).where(func.lower(User.email) == email)
    if except_user_id is not None:
        query = query.where(User.id != except_user_id)
    return email is not None and db.session.execute(query).first() is not None


def check_display_name(name: str | None) -> str:
    """The cleaned display name, or InvalidName when it is empty or too long once cleaned."""
    name = normalise_display_name(name)
    if not name or len(name) > DISPLAY_NAME_LENGTH:
        raise InvalidName(name)
    return name


def create_user(*, username: str, display_name: str, password: str, email: str | None = None, locale: str = "en",
                track: str = "entrepreneur", role: str = "learner", hash_method: str = "scrypt",
                organisation_id: int | None = None) -> User:
    """Create a user and flush. Raises InvalidName, UsernameTaken, UsernameConfusable, EmailTaken.

    :param organisation_id: where the user belongs; None: the default organisation
    """
    username = normalise_username(username)
    if not USERNAME_PATTERN.fullmatch(username):
        raise InvalidName(username)
    display_name = check_display_name(display_name)
    email = normalise_email(email)
    skeleton = username_skeleton(username)
    if db.session.execute(select(User.id).where(User.username == username)).first():
        raise UsernameTaken(username)
    if db.session.execute(select(User.id).where(User.username_skeleton == skeleton)).first():
        raise UsernameConfusable(username)
    if email_taken(email):
        raise EmailTaken(email)
    if organisation_id is None:
        from ..organisations.operations import default_organisation_id

        organisation_id = default_organisation_id()
    user = User(username=username, username_skeleton=skeleton, display_name=display_name, email=email,
                locale=locale, track=track, role=role, organisation_id=organisation_id)
    user.set_password(password, method=hash_method)
    db.session.add(user)
    db.session.flush()
    return user


def update_profile(user: User, *, display_name: str, email: str | None, locale: str, track: str) -> None:
    """Save what a user may change about themselves and flush. Raises InvalidName, EmailTaken."""
    display_name = check_display_name(display_name)
    email = normalise_email(email)
    if email_taken(email, except_user_id=user.id):
        raise EmailTaken(email)
    moved = (user.locale, user.track) != (locale, track)
    user.display_name = display_name
    user.email, user.locale, user.track = email, locale, track
    db.session.flush()
    if moved:
        tallies.recount([user.id])  # the programme report counts by language and track


def change_password(user: User, new_password: str, hash_method: str = "scrypt",
                    keep_login_key: str | None = None) -> None:
    """Set a new password and end every login session of the user except `keep_login_key`'s."""
    from ..auth import sessions

    user.set_password(new_password, method=hash_method)
    user.must_change_password = False
    sessions.end_all(user.id, except_key=keep_login_key)
    db.session.flush()


#: letters and digits that cannot be mistaken for each other when read aloud or copied by hand
READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


def readable_secret(groups: int = 3, size: int = 4) -> str:
    """Random `xxxx-xxxx-xxxx` from READABLE: about 5 bits per character."""
    return "-".join("".join(secrets.choice(READABLE) for _ in range(size)) for _ in range(groups))


def may_reset_password(user: User, actor: User) -> bool:
    """Trainers reset learners' passwords; a trainer's or admin's only their organisation's or the platform's admins."""
    return user.role == "learner" or actor.manages_organisation


def reset_password(user: User, actor: User, hash_method: str = "scrypt") -> str:
    """Give a user a new one-time password (for people without email); ends all their sessions.

    The user must choose their own password when they next log in.
    :raises StaffPasswordReset: when `actor` may not reset `user`'s password (see may_reset_password)
    :return: the new password, to be handed to the user once
    """
    if not may_reset_password(user, actor):
        raise StaffPasswordReset()
    password = readable_secret()
    change_password(user, password, hash_method)
    user.must_change_password = True
    return password


def set_role(user: User, role: str, actor: User) -> None:
    """Give `user` a role. Raises OwnAdminRole when an admin would demote themselves."""
    if user.id == actor.id and role != "admin":
        raise OwnAdminRole()
    user.role = role
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    """Save the language a user wants the site in."""
    moved = user.locale != locale
    user.locale = locale
    db.session.flush()
    if moved:
        tallies.recount([user.id])
