"""Authorisation in one place: load an object and check that it belongs to the current user's organisation.

Every trainer view loads its objects through these helpers. Another organisation's object is answered
with 404, exactly like one that does not exist, so its existence is not revealed.
"""
from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import User
from ..security import role_required


def organisation_id():
    """The organisation the current staff member works in."""
    return current_user.organisation_id


def get_person_or_404(user_id, learners_only=False, platform_admin_anywhere=False):
    """A person of the current organisation (a learner if asked), else 404.

    :param platform_admin_anywhere: platform admins may reach people of every organisation
    """
    user = db.session.get(User, user_id)
    in_reach = user is not None and user.anonymised_at is None and (user.organisation_id == organisation_id()
                                     or (platform_admin_anywhere and current_user.is_admin))
    if user is None or not in_reach or (learners_only and user.role != "learner"):
        abort(404)
    return user


def get_cohort_or_404(cohort_id):
    """A cohort of the current organisation, else 404."""
    from ..cohorts.models import Cohort

    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort.organisation_id != organisation_id():
        abort(404)
    return cohort


def get_cohort_member_or_404(cohort, user_id):
    """A learner who is in `cohort` (itself already checked), else 404."""
    from ..cohorts.models import CohortMember

    user = db.session.scalar(select(User).join(CohortMember, CohortMember.user_id == User.id).where(
        CohortMember.cohort_id == cohort.id, User.id == user_id))
    if user is None or user.organisation_id != cohort.organisation_id:
        abort(404)
    return user


def organisation_admin_required(view):
    """Only the organisation's admins (and platform admins) may use the view."""

    @wraps(view)
    @role_required("trainer")
    def wrapped(*args, **kwargs):
        if not current_user.manages_organisation:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
