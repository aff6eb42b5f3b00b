"""User accounts: login name, certificate name, role, track, language, password."""
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy import false as sql_false
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import UTCDateTime, utcnow

ROLES = ("learner", "trainer", "admin")
TRACKS = ("operator", "entrepreneur")
MAX_PASSWORD_LENGTH = 128
MIN_PASSWORD_LENGTH = 8
USERNAME_LENGTH = 40
DISPLAY_NAME_LENGTH = 120
EMAIL_LENGTH = 254
#: never a valid werkzeug hash: an anonymised account cannot log in
NO_PASSWORD = "!"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES}", name="role_known"),
        CheckConstraint(f"track IN {TRACKS}", name="track_known"),
        CheckConstraint("(notice_version IS NULL) = (notice_accepted_at IS NULL)", name="notice_accepted_when"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: login name, stored lowercased
    username: Mapped[str] = mapped_column(String(USERNAME_LENGTH), unique=True)
    #: the username with cross-script look-alikes folded (Cyrillic "а" -> "a"): no two accounts may share it
    username_skeleton: Mapped[str | None] = mapped_column(String(USERNAME_LENGTH), unique=True)
    #: the name as it should appear on a certificate, in any script
    display_name: Mapped[str] = mapped_column(String(DISPLAY_NAME_LENGTH))
    #: optional: many learners have no email address
    email: Mapped[str | None] = mapped_column(String(EMAIL_LENGTH), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    track: Mapped[str] = mapped_column(String(20), default="entrepreneur")
    #: load images only on request and never preload media (prepaid data)
    data_saver: Mapped[bool] = mapped_column(default=False, server_default=sql_false())
    role: Mapped[str] = mapped_column(String(20), default="learner")
    created_at = mapped_column(UTCDateTime(), default=utcnow)
    #: every person belongs to exactly one organisation; trainers see only their own organisation's people
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: a trainer who also manages their organisation's staff and reads its audit log
    organisation_admin: Mapped[bool] = mapped_column(default=False)
    #: set for accounts made by staff (login cards, password resets): a new password at the next login
    must_change_password: Mapped[bool] = mapped_column(default=False)
    #: the last login or visit (updated at most daily): what the retention rule counts from
    last_seen_at = mapped_column(UTCDateTime(), default=utcnow)
    #: the privacy notice version this user last accepted, and when; None: not yet (e.g. made by a trainer)
    notice_version: Mapped[str | None] = mapped_column(String(32))
    notice_accepted_at = mapped_column(UTCDateTime(), nullable=True)
    #: set when the account was deleted: the row stays, emptied of personal data, so counts stay right
    anonymised_at = mapped_column(UTCDateTime(), nullable=True)

    #: the key of the login session this object was loaded for (not stored: see app/auth/sessions.py)
    login_key = None

    def set_password(self, password: str, method: str = "scrypt") -> None:
        if not password or len(password) > MAX_PASSWORD_LENGTH:
            raise ValueError("password length out of range")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password):
        """An empty or over-long password is never valid, nor is any password of a deleted account."""
        if not password or len(password) > MAX_PASSWORD_LENGTH or self.password_hash in ("", NO_PASSWORD):
            return False
        return check_password_hash(self.password_hash, password)

    def get_id(self):
        return f"{self.id}:{self.login_key}"

    @property
    def is_active(self):
        return self.anonymised_at is None

    @property
    def is_trainer(self):
        return self.role in {"trainer", "admin"}

    @property
    def is_admin(self):
        return self.role == "admin"

    @property
    def manages_organisation(self):
        """Organisation admins and platform admins."""
        return self.is_admin or (self.organisation_admin and self.is_trainer)
