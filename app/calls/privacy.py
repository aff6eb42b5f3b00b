"""Privacy provider for ideas calls: submissions, jury seats and scores; calls a person opened keep no name.

Registered by main's privacy registry (`app.privacy.registry.discover`).
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from ..extensions import db
from ..privacy.registry import Provider, delete_rows, register, rows_of
from .models import Call, JuryMember, Score, Submission


def export_calls(user_id):
    return {
        "calls_opened": rows_of(Call, Call.created_by == user_id, exclude=("created_by",)),
        "submissions": rows_of(Submission, Submission.learner_id == user_id, exclude=("id", "learner_id")),
        "jury_seats": rows_of(JuryMember, JuryMember.user_id == user_id, exclude=("id", "user_id")),
        "scores_given": rows_of(Score, Score.juror_id == user_id, exclude=("id", "juror_id")),
    }


def erase_calls(user):
    """Submissions (with their scores), jury seats and scores go; a call the user opened stays, unsigned."""
    delete_rows(Score, Score.juror_id == user.id)
    delete_rows(Submission, Submission.learner_id == user.id)
    delete_rows(JuryMember, JuryMember.user_id == user.id)
    db.session.execute(update(Call).where(Call.created_by == user.id).values(created_by=None))


register(Provider(name="calls", title=_l("Your ideas calls"),
                  tables=("calls", "call_submissions", "call_jurors", "call_scores"),
                  export=export_calls, erase=erase_calls, order=40))
