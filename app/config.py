"""Default configuration. Override in instance/config.py or with SOGLIA_* environment variables."""
import os
import secrets
from datetime import timedelta
from pathlib import Path

#: Every key a deployment may set through a SOGLIA_<KEY> environment variable.
ENV_KEYS = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "COURSES_DIR": str,
    "RATELIMIT_STORAGE_URI": str,
    "ORGANISATION_NAME": str,
    "ORGANISATION_LANGUAGE": str,
    "REQUIRE_LOGIN": bool,
    "COURSES_AUTO_RELOAD": bool,
    "SESSION_COOKIE_SECURE": bool,
    "PUBLIC_BASE_URL": str,
    "COURSES_REMOTE": str,
    "COURSES_SYNC_REDIS_URL": str,
    "COURSES_SYNC_CHANNEL": str,
    "JOBS_REDIS_URL": str,
    "CERTIFICATE_PDF_DIR": str,
    "OPERATORS_LANGUAGE": str,
    "TRUSTED_PROXIES": int,
    "PRIVACY_CONTACT": str,
    "RETENTION_INACTIVE_MONTHS": int,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_SENDER": str,
}


class DefaultConfig:
    """Safe defaults for a single-machine install on SQLite."""

    COURSES_DIR = str(Path(__file__).resolve().parent.parent / "courses")
    DATABASE_URL = None  # None: SQLite file in the instance folder
    ORGANISATION_NAME = "Soglia"
    #: the language of the awarding organisation: certificates of holders who read another language are bilingual
    ORGANISATION_LANGUAGE = "it"
    PUBLIC_BASE_URL = None  # e.g. https://learn.example.org; None: the request's host
    REQUIRE_LOGIN = False
    COURSES_AUTO_RELOAD = None  # None: on in debug mode, off otherwise
    COURSES_REMOTE = None  # a git remote (bare repository path or URL) that several servers publish through
    COURSES_SYNC_REDIS_URL = None  # e.g. redis://localhost:6379/0: where servers tell each other of a publish
    COURSES_SYNC_CHANNEL = "soglia:courses-published"
    LANGUAGES = ("en", "it", "ar", "fr", "es")
    RTL_LANGUAGES = ("ar", "fa", "he", "ur")
    BABEL_DEFAULT_LOCALE = "en"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 64 * 1024  # no form of ours needs more
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    VERIFY_RATE_LIMIT = "60 per minute"
    PASSWORD_HASH_METHOD = "scrypt"
    LESSON_WORD_BUDGET = 1500  # the checker warns about longer lessons
    #: background jobs (certificate PDFs) on Redis, run by `flask jobs worker`; None: in the app's own process
    JOBS_REDIS_URL = None  # e.g. redis://localhost:6379/0
    JOBS_QUEUE = "soglia"
    #: seconds a certificate download waits for its PDF before showing "being prepared"
    CERTIFICATE_PDF_WAIT = 2.0
    OPERATORS_LANGUAGE = "it"  # the second language offered for a bilingual business plan
    PLAN_PDF_RATE_LIMIT = "20 per minute"
    #: how many proxies (e.g. nginx) stand in front of the app and set X-Forwarded-For; 0: none
    TRUSTED_PROXIES = 0
    #: failed logins (and recovery attempts) allowed; only failures count, per account and per address apart
    LOGIN_FAILURES_PER_ACCOUNT = "10 per 15 minutes"
    LOGIN_FAILURES_PER_ADDRESS = "50 per 15 minutes"
    REGISTER_RATE_LIMIT = "30 per hour"
    RESET_REQUEST_RATE_LIMIT = "10 per hour"
    #: "keep me logged in" lasts this long; other sessions end after this long without a visit
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    LOGIN_IDLE_TIMEOUT = timedelta(days=1)
    PASSWORD_RESET_MAX_AGE = 3600  # seconds a reset link is valid
    #: who runs this Soglia and how to reach them about personal data (shown in the privacy notice)
    PRIVACY_CONTACT = None
    #: accounts not used for this many months are anonymised by `flask privacy retention`; 0: never
    RETENTION_INACTIVE_MONTHS = 24
    #: outgoing mail (password reset links); without MAIL_SERVER the mail is written to the log
    MAIL_SERVER = None
    MAIL_PORT = 587
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_SENDER = None


def env_overrides(environ=os.environ):
    """Read SOGLIA_* variables into a dict of config keys."""
    found = {}
    for key, kind in ENV_KEYS.items():
        raw = environ.get(f"SOGLIA_{key}")
        if raw is None:
            continue
        if kind is bool:
            found[key] = raw.strip().lower() in {"1", "true", "yes", "on"}
        else:
            found[key] = kind(raw)
    return found


def load_or_create_secret_key(instance_path):
    """Return the secret key kept in the instance folder, creating it (mode 0600) on first start."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def database_uri(config, instance_path):
    """The SQLAlchemy URI: the configured URL (postgresql:// uses psycopg 3) or instance/soglia.db."""
    url = config.get("DATABASE_URL") or config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "soglia.db")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url
