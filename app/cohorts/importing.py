"""Bulk creation of learner accounts from pasted text, CSV or XLSX: every row checked, all or nothing."""
import csv
import io
import zipfile
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import User
from ..auth.names import username_skeleton
from ..models.user import NO_PASSWORD, TRACKS
from ..organisations import operations as organisations
from ..services import accounts
from .operations import _add

COLUMNS = ("display_name", "username", "email", "language", "track")
REQUIRED = ("display_name", "username")
MAX_ROWS = 2000
LIMITS = {"display_name": 120, "username": 40, "email": 254, "language": 8, "track": 20}


class ImportRejected(ValueError):
    """The whole file is unusable (empty, wrong header, unreadable, too many rows)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class ImportResult:
    rows: list = field(default_factory=list)  # dicts ready to create
    errors: list = field(default_factory=list)  # (row number, message)


def read_table(data, filename):
    """The rows of an uploaded or pasted table as lists of strings. Raises ImportRejected."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise ImportRejected(_l("The file is not UTF-8 text. Save it as “CSV UTF-8” or as XLSX.")) from None
    if "\x00" in text:
        raise ImportRejected(_l("This is not a CSV file. Upload a .csv or .xlsx file."))
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)
    return [row for row in csv.reader(lines, delimiter=delimiter)]


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportRejected(_l("This file is not a readable XLSX spreadsheet.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[str]] = []
        for number, row in enumerate(sheet.iter_rows(), start=1):
            if len(rows) > MAX_ROWS + 1:
                break
            values = []
            for cell in row:
                if cell.data_type == "f":
                    raise ImportRejected(_l("Row %(row)s has a formula. Paste values only (no formulas) and try again.",
                                            row=number))
                values.append("" if cell.value is None else str(cell.value))
            rows.append(values)
        return rows
    finally:
        workbook.close()


def _header(row):
    names = [cell.strip().lower().replace(" ", "_") for cell in row]
    unknown = [name for name in names if name and name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in names]
    if unknown or missing or len(set(filter(None, names))) != len(list(filter(None, names))):
        raise ImportRejected(_l("The first row must name the columns: %(columns)s (display_name and username are "
                                "required).", columns=", ".join(COLUMNS)))
    return names


def check_rows(table, default_language, languages):
    """Check every row; collect all problems rather than stopping at the first."""
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise ImportRejected(_l("The file is empty."))
    names = _header(table[0])
    body = table[1:]
    if not body:
        raise ImportRejected(_l("There are no learners under the header row."))
    if len(body) > MAX_ROWS:
        raise ImportRejected(_l("At most %(count)s learners at a time, please split the list.", count=MAX_ROWS))
    result = ImportResult()
    seen_usernames: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for number, row in enumerate(body, start=2):
        values = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(names) if name}
        problems = _row_problems(values, languages)
        username = accounts.normalise_username(values.get("username"))
        email = accounts.normalise_email(values.get("email"))
        skeleton = username_skeleton(username)
        if username and skeleton in seen_usernames:
            problems.append(_l("username %(name)s is also on row %(row)s", name=username, row=seen_usernames[skeleton]))
        if email and email in seen_emails:
            problems.append(_l("email %(email)s is also on row %(row)s", email=email, row=seen_emails[email]))
        seen_usernames.setdefault(skeleton, number)
        if email:
            seen_emails.setdefault(email, number)
        if len(row) > len(names) and any(cell.strip() for cell in row[len(names):]):
            problems.append(_l("more cells than columns"))
        if problems:
            result.errors.append((number, problems))
            continue
        result.rows.append({
            "number": number, "username": username, "skeleton": skeleton, "email": email,
            "display_name": accounts.normalise_display_name(values["display_name"]),
            "locale": values.get("language", "").lower() or default_language,
            "track": values.get("track", "").lower() or "entrepreneur",
        })
    _check_against_database(result)
    return result


def _row_problems(values, languages):
    problems = []
    for name, limit in LIMITS.items():
        if len(values.get(name, "")) > limit:
            problems.append(_l("%(column)s is longer than %(limit)s characters", column=name, limit=limit))
    if not values.get("display_name"):
        problems.append(_l("display_name is empty"))
    username = accounts.normalise_username(values.get("username"))
    if not username:
        problems.append(_l("username is empty"))
    elif not accounts.USERNAME_PATTERN.fullmatch(username):
        problems.append(_l("username must be 3 to 40 letters, digits, dots, dashes or underscores"))
    if values.get("email"):
        try:
            validate_email(values["email"], check_deliverability=False)
        except EmailNotValidError:
            problems.append(_l("email is not a valid address"))
    if values.get("language") and values["language"].lower() not in languages:
        problems.append(_l("language must be one of %(languages)s", languages=", ".join(languages)))
    if values.get("track") and values["track"].lower() not in TRACKS:
        problems.append(_l("track must be one of %(tracks)s", tracks=", ".join(TRACKS)))
    return problems


def _check_against_database(result):
    """Two statements, whatever the number of rows."""
    skeletons = [row["skeleton"] for row in result.rows]
    emails = [row["email"] for row in result.rows if row["email"]]
    taken = set(db.session.scalars(select(User.username_skeleton).where(
        User.username_skeleton.in_(skeletons)))) if skeletons else set()
    taken_emails = set(db.session.scalars(select(func.lower(User.email)).where(
        func.lower(User.email).in_(emails)))) if emails else set()
    kept = []
    for row in result.rows:
        problems = []
        if row["skeleton"] in taken:
            problems.append(_l("username %(name)s already has an account", name=row["username"]))
        if row["email"] in taken_emails:
            problems.append(_l("email %(email)s already has an account", email=row["email"]))
        if problems:
            result.errors.append((row["number"], problems))
        else:
            kept.append(row)
    result.rows = kept
    result.errors.sort(key=lambda error: error[0])


def create_learners(actor, cohort, rows):
    """Create the checked rows' accounts in the cohort, in the caller's transaction.

    :raises ImportRejected: when a username or email was taken meanwhile (nothing is kept)
    """
    # no password works until the login card is printed
    users = [User(username=row["username"], username_skeleton=row["skeleton"], display_name=row["display_name"],
                  email=row["email"], locale=row["locale"], track=row["track"], role="learner", password_hash=NO_PASSWORD,
                  organisation_id=cohort.organisation_id, must_change_password=True) for row in rows]
    try:
        with db.session.begin_nested():
            db.session.add_all(users)
            db.session.flush()
    except IntegrityError:
        raise ImportRejected(_l("Some of these usernames or emails were just taken. Check the list again.")) from None
    _add(cohort, [user.id for user in users], "import")
    organisations.record(actor, "learners_imported", None, f"{cohort.name}: {len(users)}")
    return users
