"""Privacy operations: accept the notice, export everything about a user, delete an account, apply retention."""
from sqlalchemy import func, select

from ..extensions import db
from ..models import User
from ..models.base import utcnow
from .notice import current_version
from .registry import discover, providers

#: the reason a certificate gets when its holder deletes the account (shown on its verify page)
HOLDER_DELETED = "holder deleted the account"


def accept_notice(user):
    """Record that `user` accepted the current notice, and when."""
    user.notice_version = current_version()
    user.notice_accepted_at = utcnow()
    db.session.flush()


def needs_notice(user):
    return user.notice_version != current_version()


def export_data(user):
    """Everything Soglia holds about `user`, section by section, JSON-able."""
    discover()
    return {
        "generated_at": utcnow().isoformat(timespec="seconds"),
        "notice_version": current_version(),
        # the account first, as it is erased last
        "sections": {provider.name: provider.export(user.id) for provider in reversed(providers())},
    }


def section_titles():
    discover()
    return {provider.name: provider.title for provider in providers()}


def delete_account(user):
    """Erase the user's personal data from every table (each provider's rule); flush, the caller commits."""
    discover()
    for provider in providers():
        provider.erase(user)
    db.session.flush()


def is_last_admin(user):
    """True for the only active administrator, who may not delete the account (nobody could manage the site)."""
    if not user.is_admin:
        return False
    admins = db.session.scalar(select(func.count()).select_from(User).where(User.role == "admin",
                                                                           User.anonymised_at.is_(None)))
    return (admins or 0) <= 1


def months_before(moment, months):
    """The same day `months` calendar months earlier (the month's last day when it is shorter)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            day -= 1


def inactive_learners(months, now=None):
    """Learner accounts not used for `months` months (counted from the last visit, else from creation)."""
    cutoff = months_before(now or utcnow(), months)
    return db.session.scalars(select(User).where(
        User.role == "learner", User.anonymised_at.is_(None),
        func.coalesce(User.last_seen_at, User.created_at) < cutoff).order_by(User.id)).all()


def apply_retention(months, now=None, dry_run=False):
    """Anonymise learner accounts inactive for `months` months; returns the accounts concerned."""
    found = inactive_learners(months, now)
    if not dry_run:
        for user in found:
            delete_account(user)
    return found
