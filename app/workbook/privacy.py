"""Privacy provider for the workbook: a learner's answers, the plans they shared, the comments people wrote.

Registered by main's privacy registry (`app.privacy.registry.discover`).
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_

from ..privacy.registry import Provider, delete_rows, register, rows_of
from .models import PlanComment, PlanShare, WorksheetAnswer


def export_workbook(user_id):
    return {
        "worksheet_answers": rows_of(WorksheetAnswer, WorksheetAnswer.user_id == user_id, exclude=("id", "user_id")),
        "plans_shared": rows_of(PlanShare, or_(PlanShare.learner_id == user_id, PlanShare.reviewer_id == user_id),
                                exclude=("id",)),
        "comments_written": rows_of(PlanComment, PlanComment.author_id == user_id, exclude=("id", "author_id")),
    }


def erase_workbook(user):
    """The answers, the shares (with their comments) and the comments the user wrote go."""
    delete_rows(PlanComment, PlanComment.author_id == user.id)
    delete_rows(PlanShare, or_(PlanShare.learner_id == user.id, PlanShare.reviewer_id == user.id))
    delete_rows(WorksheetAnswer, WorksheetAnswer.user_id == user.id)


register(Provider(name="workbook", title=_l("Your business plan"),
                  tables=("worksheet_answers", "plan_shares", "plan_comments"),
                  export=export_workbook, erase=erase_workbook, order=40))
