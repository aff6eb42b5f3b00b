"""The worksheet page: shown at the item's URL (learn), and again with the typed text after a failed save."""
from flask import render_template
from flask_login import current_user

from ..content.model import Course, Worksheet
from ..content.worksheets import compute
from ..courses import localised
from ..extensions import db
from ..services import progress
from .operations import worksheet_answers
from .review import comments_on_plan


def show_worksheet(course: Course, worksheet: Worksheet, errors=None, typed=None, status=200):
    """The worksheet form with the learner's saved answers (or, after a failed save, what they typed)."""
    version, fell_back = localised(worksheet.versions, course)
    answers = {}
    comments = {}
    done = False
    if current_user.is_authenticated:
        done, wrote = progress.open_lesson(current_user.id, course, worksheet)
        if wrote:
            db.session.commit()
        answers = worksheet_answers(current_user.id, course, worksheet)
        comments = {field_id: found for (key, field_id), found in comments_on_plan(current_user.id, course.slug).items()
                    if key == worksheet.key}
    before, after = course.neighbours(worksheet.key)
    return render_template(
        "workbook/worksheet.html", course=course, worksheet=worksheet, version=version, fell_back=fell_back,
        answers=answers, computed=compute(version.fields, answers), errors=errors or {}, typed=typed,
        done=done, before=before, after=after, comments=comments,
    ), status
