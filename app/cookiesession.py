"""Flask's signed-cookie session, with its signing serializer made once per key instead of on every request,
and each cookie's signature checked once per process instead of on every request."""
import time

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

#: cookies whose signature was checked, kept per process (emptied when full)
MAX_VERIFIED = 20000
_SCALARS = (str, int, float, bool, type(None))


class SessionInterface(SecureCookieSessionInterface):
    """The same cookie, signature and rules. A cookie is a fixed string: once its signature is good, it stays good
    under the same keys, so only its age is checked again. Sessions holding anything mutable (flash messages)
    are always read afresh, so no request can change what another one reads."""

    def __init__(self) -> None:
        self._made: tuple[tuple, URLSafeTimedSerializer | None] | None = None
        self._verified: dict[str, tuple[dict, float]] = {}  # cookie: (its scalar values, signed at, epoch seconds)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        made = self._made
        if made is None or made[0] != keys:
            made = self._made = (keys, super().get_signing_serializer(app))
            self._verified = {}
        return made[1]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = app.permanent_session_lifetime.total_seconds()
        verified = self._verified.get(value)
        if verified is not None:
            data, signed_at = verified
            # itsdangerous' own rule: an expired cookie starts an empty session
            return self.session_class(data if time.time() - signed_at <= int(max_age) else None)
        try:
            data, signed_at = serializer.loads(value, max_age=int(max_age), return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(data, dict) and all(isinstance(item, _SCALARS) for item in data.values()):
            if len(self._verified) >= MAX_VERIFIED:
                self._verified = {}
            self._verified[value] = (dict(data), signed_at.timestamp())
        return self.session_class(data)
