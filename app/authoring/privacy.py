"""Privacy provider: the courses a person may edit (exported; the rights are removed on erasure). Their
published changes stay in the courses' git history under the name they published with."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from ..extensions import db
from ..privacy.registry import Provider, jsonable, register
from .models import CourseEditor


def _export(user_id):
    rows = db.session.scalars(select(CourseEditor).where(CourseEditor.user_id == user_id)
                              .order_by(CourseEditor.course_slug)).all()
    granted = db.session.scalars(select(CourseEditor.course_slug).where(CourseEditor.granted_by_id == user_id)).all()
    return {"may_edit": [{"course": row.course_slug, "since": jsonable(row.created_at)} for row in rows],
            "granted_to_others": sorted(set(granted))}


def _erase(user):
    db.session.execute(delete(CourseEditor).where(CourseEditor.user_id == user.id))
    db.session.execute(update(CourseEditor).where(CourseEditor.granted_by_id == user.id).values(granted_by_id=None))


register(Provider(name="course_editing", title=_l("Courses you may edit"), tables=("course_editors",),
                  export=_export, erase=_erase))
