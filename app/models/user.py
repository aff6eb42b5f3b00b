"""User accounts: login name, certificate name, role, track, language, password."""
import secrets

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, String
from sqlalchemy import false as sql_false
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import UTCDateTime, utcnow

ROLES = ("learner", "trainer", "admin")
TRACKS = ("operator", "entrepreneur")
MAX_PASSWORD_LENGTH = 128
MIN_PASSWORD_LENGTH = 8


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES}", name="role_known"),
        CheckConstraint(f"track IN {TRACKS}", name="track_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: login name, stored lowercased
    username: Mapped[str] = mapped_column(String(40), unique=True)
    #: the name as it should appear on a certificate, in any script
    display_name: Mapped[str] = mapped_column(String(120))
    #: optional: many learners have no email address
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    track: Mapped[str] = mapped_column(String(20), default="entrepreneur")
    #: load images only on request and never preload media (prepaid data)
    data_saver: Mapped[bool] = mapped_column(default=False, server_default=sql_false())
    role: Mapped[str] = mapped_column(String(20), default="learner")
    #: part of the login cookie; replaced on password change, which ends other sessions
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_urlsafe(24))
    created_at = mapped_column(UTCDateTime(), default=utcnow)

    def set_password(self, password: str, method: str = "scrypt") -> None:
        if not password or len(password) > MAX_PASSWORD_LENGTH:
            raise ValueError("password length out of range")
        self.password_hash = generate_password_hash(password, method=method)
        self.session_token = secrets.token_urlsafe(24)

    def check_password(self, password):
        """An empty or over-long password is never valid."""
        if not password or len(password) > MAX_PASSWORD_LENGTH or not self.password_hash:
            return False
        return check_password_hash(self.password_hash, password)

    def get_id(self):
        return f"{self.id}:{self.session_token}"

    @property
    def is_trainer(self):
        return self.role in {"trainer", "admin"}

    @property
    def is_admin(self):
        return self.role == "admin"
