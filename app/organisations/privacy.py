"""Privacy provider: staff actions in the audit log that name a person (exported; the person is unlinked on erasure)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from ..extensions import db
from ..privacy.registry import Provider, jsonable, register
from .models import AuditEvent


def _export(user_id):
    events = db.session.scalars(select(AuditEvent).where(
        or_(AuditEvent.actor_id == user_id, AuditEvent.subject_id == user_id)).order_by(AuditEvent.id)).all()
    return [{"action": e.action, "by_you": e.actor_id == user_id, "about_you": e.subject_id == user_id,
             "detail": e.detail, "at": jsonable(e.created_at)} for e in events]


def _erase(user):
    """The log keeps what was done and when, without saying by or to whom."""
    db.session.execute(update(AuditEvent).where(AuditEvent.actor_id == user.id).values(actor_id=None))
    db.session.execute(update(AuditEvent).where(AuditEvent.subject_id == user.id).values(subject_id=None))


register(Provider(name="audit_log", title=_l("Staff actions"), tables=("audit_events",), export=_export,
                  erase=_erase))
