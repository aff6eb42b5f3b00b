"""Organisations and the audit log: plain functions on the session; the caller commits."""
import re
import unicodedata

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import User
from .models import DEFAULT_SLUG, AuditEvent, Organisation

#: every action the audit log knows, with how it reads on the log page
AUDIT_ACTIONS = {
    "password_reset": _l("gave a new password to"),
    "login_cards": _l("printed login cards"),
    "learners_imported": _l("created learner accounts"),
    "member_added": _l("added to a cohort"),
    "member_removed": _l("removed from a cohort"),
    "staff_changed": _l("changed the staff role of"),
    "organisation_changed": _l("moved to another organisation"),
    "course_editor_added": _l("let edit a course"),
    "course_editor_removed": _l("stopped from editing a course"),
}


class SlugTaken(ValueError):
    """Another organisation already uses this short name."""


def default_organisation_id() -> int:
    """The default organisation's id, created (once, even under concurrency) on first use."""
    found = db.session.scalar(select(Organisation.id).where(Organisation.slug == DEFAULT_SLUG))
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            organisation = Organisation(slug=DEFAULT_SLUG, name=current_app.config["ORGANISATION_NAME"])
            db.session.add(organisation)
        return organisation.id
    except IntegrityError:  # created by a concurrent request
        return db.session.execute(select(Organisation.id).where(Organisation.slug == DEFAULT_SLUG)).scalar_one()


def slugify(name):
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60]


def awarding_name(organisation_id: int, platform_name: str) -> str:
    """The awarding body a certificate names: the learner's partner organisation, or the platform for the default one."""
    slug, name = db.session.execute(select(Organisation.slug, Organisation.name)
                                    .where(Organisation.id == organisation_id)).one()
    return platform_name if slug == DEFAULT_SLUG else name


def create_organisation(name, slug=None):
    """Add an organisation and flush. Raises SlugTaken."""
    name = " ".join(name.split())
    slug = slugify(slug or name) or "organisation"
    if db.session.scalar(select(Organisation.id).where(Organisation.slug == slug)) is not None:
        raise SlugTaken(slug)
    organisation = Organisation(slug=slug, name=name)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def rename_organisation(organisation, name):
    organisation.name = " ".join(name.split())
    db.session.flush()


def organisations_with_counts():
    """Every organisation with its number of people, in two statements."""
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    counts = dict(db.session.execute(select(User.organisation_id, func.count()).group_by(User.organisation_id)).all())
    return [(organisation, counts.get(organisation.id, 0)) for organisation in organisations]


def record(actor, action, subject=None, detail=""):
    """Write one audit event in the actor's organisation (flushed with the caller's transaction)."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    organisation_id = subject.organisation_id if subject is not None else actor.organisation_id
    db.session.add(AuditEvent(organisation_id=organisation_id, actor_id=actor.id, action=action,
                              subject_id=subject.id if subject is not None else None, detail=detail[:300]))


def audit_page(organisation_id, page, per_page=50):
    """One page of an organisation's audit log, newest first, actors and subjects loaded with it."""
    from sqlalchemy.orm import joinedload

    query = (select(AuditEvent).where(AuditEvent.organisation_id == organisation_id)
             .options(joinedload(AuditEvent.actor), joinedload(AuditEvent.subject))
             .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def set_staff_role(actor, user, role, organisation_admin):
    """Make a person of the organisation a learner or trainer, and maybe its admin; recorded."""
    user.role = role
    user.organisation_admin = bool(organisation_admin and role != "learner")
    record(actor, "staff_changed", user, f"{role}{' + admin' if user.organisation_admin else ''}")
    db.session.flush()


def move_user(actor, user, organisation):
    """Move a person to another organisation (platform admins only); they leave their cohorts."""
    from ..cohorts.operations import leave_all_cohorts

    if user.organisation_id == organisation.id:
        return
    leave_all_cohorts(user)
    record(actor, "organisation_changed", user, organisation.name)  # in the organisation they leave
    user.organisation_id = organisation.id
    user.organisation_admin = False
    db.session.flush()
