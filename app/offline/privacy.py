"""Privacy provider for offline sync: the receipts of events a device sent (what, when; no answers)."""
from flask_babel import lazy_gettext as _l

from ..privacy.registry import Provider, delete_rows, register, rows_of
from .models import OfflineEvent


def export_offline_events(user_id):
    return rows_of(OfflineEvent, OfflineEvent.user_id == user_id, exclude=("id", "user_id", "attempt_id"))


def erase_offline_events(user):
    """The receipts only served to take each event once; the progress they made is kept by its own provider."""
    delete_rows(OfflineEvent, OfflineEvent.user_id == user.id)


register(Provider(name="offline", title=_l("Work sent from your phone"), tables=("offline_events",),
                  export=export_offline_events, erase=erase_offline_events))
