"""Cohorts: create, assign courses, and bring learners in (by code, by choice); the caller commits."""
import secrets
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import User
from ..organisations import operations as organisations
from ..organisations.models import DEFAULT_SLUG, Organisation
from . import tallies
from .models import Cohort, CohortCourse, CohortMember

#: upper-case letters and digits that are not mistaken for each other (no 0/O, 1/I/L)
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class CohortNameTaken(ValueError):
    """The organisation already has a cohort of this name."""


class UnknownCode(LookupError):
    """No cohort has this join code."""


class ExpiredCode(LookupError):
    """The cohort's join code is past its last day."""


class OtherOrganisation(LookupError):
    """The code belongs to a cohort of another organisation than the learner's."""


def new_join_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code):
    """`K7MP2XQA` → `K7MP-2XQA`, easier to read aloud and copy."""
    return f"{code[:4]}-{code[4:]}"


def normalise_code(raw):
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:32]


def _name_taken(organisation_id, name, except_id=None):
    query = select(Cohort.id).where(Cohort.organisation_id == organisation_id, Cohort.name == name)
    if except_id is not None:
        query = query.where(Cohort.id != except_id)
    return db.session.scalar(query) is not None


def create_cohort(organisation_id, creator, *, name, language, starts_on=None, ends_on=None,
                  join_code_expires_on=None):
    """A new cohort with a fresh join code. Raises CohortNameTaken."""
    name = " ".join(name.split())
    if _name_taken(organisation_id, name):
        raise CohortNameTaken(name)
    cohort = Cohort(organisation_id=organisation_id, name=name, language=language, starts_on=starts_on,
                    ends_on=ends_on, join_code=new_join_code(), join_code_expires_on=join_code_expires_on,
                    created_by_id=creator.id)
    try:
        with db.session.begin_nested():
            db.session.add(cohort)
    except IntegrityError:  # same name created concurrently, or (once in 10^11) the same code
        raise CohortNameTaken(name) from None
    return cohort


def update_cohort(cohort, *, name, language, starts_on, ends_on, join_code_expires_on):
    name = " ".join(name.split())
    if _name_taken(cohort.organisation_id, name, except_id=cohort.id):
        raise CohortNameTaken(name)
    cohort.name, cohort.language = name, language
    cohort.starts_on, cohort.ends_on, cohort.join_code_expires_on = starts_on, ends_on, join_code_expires_on
    db.session.flush()
    return cohort


def renew_join_code(cohort):
    """Replace the join code: the old code and link stop working."""
    cohort.join_code = new_join_code()
    db.session.flush()


def assign_courses(cohort, course_slugs, due_on=None, path_slug=None):
    """Assign courses (or set their due date when already assigned)."""
    existing = {a.course_slug: a for a in cohort.assignments}
    for slug in course_slugs:
        if slug in existing:
            existing[slug].due_on = due_on
        else:
            cohort.assignments.append(CohortCourse(course_slug=slug, due_on=due_on, path_slug=path_slug))
    db.session.flush()
    if set(course_slugs) - set(existing):
        tallies.recount(_members_of(cohort))


def unassign_course(cohort, course_slug):
    """Stop following a course in this cohort; learners keep everything they did."""
    cohort.assignments[:] = [a for a in cohort.assignments if a.course_slug != course_slug]
    db.session.flush()
    tallies.recount(_members_of(cohort))


def _members_of(cohort):
    return select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)


def cohorts_with_counts(organisation_id):
    """The organisation's cohorts, newest first, each with its number of learners (two statements)."""
    cohorts = db.session.scalars(select(Cohort).where(Cohort.organisation_id == organisation_id)
                                 .order_by(Cohort.created_at.desc(), Cohort.id.desc())).all()
    counts = dict(db.session.execute(
        select(CohortMember.cohort_id, func.count()).join(Cohort, Cohort.id == CohortMember.cohort_id)
        .where(Cohort.organisation_id == organisation_id).group_by(CohortMember.cohort_id)).all())
    return [(cohort, counts.get(cohort.id, 0)) for cohort in cohorts]


def find_by_code(raw_code, today=None):
    """The cohort a join code opens. Raises UnknownCode or ExpiredCode."""
    code = normalise_code(raw_code)
    cohort = db.session.scalar(select(Cohort).where(Cohort.join_code == code)) if code else None
    if cohort is None:
        raise UnknownCode(code)
    if cohort.join_code_expires_on is not None and cohort.join_code_expires_on < (today or date.today()):
        raise ExpiredCode(code)
    return cohort


def code_error(exc):
    """The message for a join code that does not open a cohort."""
    if isinstance(exc, ExpiredCode):
        return _("This join code has expired. Ask your trainer for a new one.")
    if isinstance(exc, OtherOrganisation):
        return _("This join code belongs to another organisation. Ask your trainer.")
    return _("No cohort has this join code. Check it with your trainer.")


def is_member(cohort, user):
    return db.session.scalar(select(CohortMember.id).where(CohortMember.cohort_id == cohort.id,
                                                           CohortMember.user_id == user.id)) is not None


def _add(cohort, user_ids, method):
    """Insert memberships that do not exist yet; returns how many were added."""
    present = set(db.session.scalars(select(CohortMember.user_id).where(
        CohortMember.cohort_id == cohort.id, CohortMember.user_id.in_(user_ids))))
    new = [uid for uid in dict.fromkeys(user_ids) if uid not in present]
    try:
        with db.session.begin_nested():
            db.session.add_all([CohortMember(cohort_id=cohort.id, user_id=uid, method=method) for uid in new])
    except IntegrityError:  # a double submit added them meanwhile: nothing more to do
        return 0
    tallies.recount(new)
    return len(new)


def join_with_code(user, raw_code):
    """A learner joins the cohort of a code. Raises UnknownCode, ExpiredCode or OtherOrganisation.

    Someone who registered without a code belongs to the default organisation and no cohort yet; their first
    code brings them into the cohort's organisation.
    :return: (cohort, True if newly joined)
    """
    cohort = find_by_code(raw_code)
    if user.organisation_id != cohort.organisation_id:
        if not _unattached(user):
            raise OtherOrganisation(cohort.id)
        user.organisation_id = cohort.organisation_id
    return cohort, _add(cohort, [user.id], "code") == 1


def _unattached(user):
    in_default = db.session.scalar(select(Organisation.slug).where(Organisation.id == user.organisation_id)) == DEFAULT_SLUG
    in_cohort = db.session.scalar(select(CohortMember.id).where(CohortMember.user_id == user.id).limit(1))
    return user.role == "learner" and in_default and in_cohort is None


def add_existing_learners(actor, cohort, user_ids):
    """Add learners the trainer selected; only learners of the cohort's organisation are taken."""
    if not user_ids:
        return 0
    allowed = db.session.execute(select(User.id, User.display_name).where(
        User.id.in_(user_ids), User.organisation_id == cohort.organisation_id, User.role == "learner")).all()
    added = _add(cohort, [uid for uid, _ in allowed], "selected")
    if added:
        organisations.record(actor, "member_added", None, f"{cohort.name}: {added}")
    return added


def remove_member(actor, cohort, user):
    """Take a learner out of a cohort; their learning records stay."""
    db.session.execute(delete(CohortMember).where(CohortMember.cohort_id == cohort.id,
                                                  CohortMember.user_id == user.id))
    tallies.recount([user.id])
    organisations.record(actor, "member_removed", user, cohort.name)


def leave_all_cohorts(user):
    db.session.execute(delete(CohortMember).where(CohortMember.user_id == user.id))
    tallies.recount([user.id])


def learners_not_in(cohort, search="", limit=50):
    """Learners of the organisation not yet in the cohort, to choose from (by name or username)."""
    query = select(User).where(
        User.organisation_id == cohort.organisation_id, User.role == "learner", User.anonymised_at.is_(None),
        ~select(CohortMember.id).where(CohortMember.cohort_id == cohort.id,
                                       CohortMember.user_id == User.id).exists())
    if search:
        needle = search.lower()
        query = query.where(func.lower(User.display_name).contains(needle, autoescape=True)
                            | User.username.contains(needle, autoescape=True))
    return db.session.scalars(query.order_by(User.display_name, User.id).limit(limit)).all()
