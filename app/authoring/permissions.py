"""Who may edit which course: admins every course, trainers the courses an admin granted them."""
from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import User
from ..organisations import operations as organisations
from ..security import role_required
from .models import CourseEditor


def may_edit(user, slug):
    if user.is_admin:
        return True
    return user.is_trainer and db.session.scalar(
        select(CourseEditor.id).where(CourseEditor.course_slug == slug, CourseEditor.user_id == user.id)) is not None


def editable_slugs(user, slugs):
    """The courses of `slugs` that `user` may edit."""
    if user.is_admin:
        return list(slugs)
    granted = set(db.session.scalars(select(CourseEditor.course_slug).where(CourseEditor.user_id == user.id)))
    return [slug for slug in slugs if slug in granted]


def course_editor_required(view):
    """The view takes `slug`: only admins and the trainers granted that course may use it (others: 403)."""

    @wraps(view)
    @role_required("trainer")
    def wrapped(slug, *args, **kwargs):
        if not may_edit(current_user, slug):
            abort(403)
        return view(slug, *args, **kwargs)

    return wrapped


def editors(slug):
    return list(db.session.scalars(select(User).join(CourseEditor, CourseEditor.user_id == User.id)
                                   .where(CourseEditor.course_slug == slug).order_by(User.display_name)))


def grantable_trainers(slug):
    """Trainers who may not edit the course yet."""
    granted = select(CourseEditor.user_id).where(CourseEditor.course_slug == slug)
    return list(db.session.scalars(select(User).where(User.role == "trainer", User.id.not_in(granted))
                                   .order_by(User.display_name)))


def grant(actor, user, slug):
    """Let the trainer `user` edit the course (no-op when already granted); audited. The caller commits."""
    try:
        with db.session.begin_nested():
            db.session.add(CourseEditor(course_slug=slug, user_id=user.id, granted_by_id=actor.id))
    except IntegrityError:
        return
    organisations.record(actor, "course_editor_added", user, slug)


def revoke(actor, user, slug):
    found = db.session.scalar(select(CourseEditor).where(CourseEditor.course_slug == slug,
                                                         CourseEditor.user_id == user.id))
    if found is not None:
        db.session.delete(found)
        organisations.record(actor, "course_editor_removed", user, slug)
