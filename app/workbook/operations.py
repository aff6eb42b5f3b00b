"""Saving and reading a learner's worksheet answers; a complete worksheet counts as a done course step."""
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..content.model import Course, Worksheet, WorksheetVersion
from ..content.worksheets import InvalidValue, is_complete
from ..extensions import db
from ..models import CourseCompletion, User
from ..services import progress
from .models import WorksheetAnswer

#: a worksheet's answers by field id
Answers = dict[str, Any]


@dataclass
class SaveResult:
    """What a save did: the fields it could not save (and why), whether the worksheet is complete now."""

    errors: dict[str, InvalidValue] = field(default_factory=dict)
    complete: bool = False
    completion: CourseCompletion | None = None


def worksheet_answers(user_id: int, course: Course, worksheet: Worksheet) -> Answers:
    """One learner's answers to one worksheet (one query)."""
    rows = db.session.execute(select(WorksheetAnswer.field_id, WorksheetAnswer.value).where(
        WorksheetAnswer.user_id == user_id, WorksheetAnswer.course_slug == course.slug,
        WorksheetAnswer.worksheet_key == worksheet.key))
    return {field_id: value for field_id, value in rows}


def course_answers(user_id: int, course: Course) -> dict[str, Answers]:
    """One learner's answers to every worksheet of a course, by worksheet key (one query)."""
    answers: dict[str, Answers] = {sheet.key: {} for sheet in course.worksheets}
    for key, field_id, value in db.session.execute(select(
            WorksheetAnswer.worksheet_key, WorksheetAnswer.field_id, WorksheetAnswer.value).where(
            WorksheetAnswer.user_id == user_id, WorksheetAnswer.course_slug == course.slug)):
        if key in answers:
            answers[key][field_id] = value
    return answers


def save_answers(user: User, course: Course, worksheet: Worksheet, version: WorksheetVersion,
                 form: Mapping[str, str], organisation_name: str) -> SaveResult:
    """Save every field that reads well, keep the others as they were and say why; mark the worksheet done
    (once, through the progress service) when it is complete. The caller commits."""
    result = SaveResult()
    values: Answers = {}
    for sheet_field in version.fields:
        if sheet_field.computed:
            continue
        try:
            values[sheet_field.id] = sheet_field.type.read(sheet_field, form)
        except InvalidValue as exc:
            result.errors[sheet_field.id] = exc
    stored = {row.field_id: row for row in db.session.scalars(select(WorksheetAnswer).where(
        WorksheetAnswer.user_id == user.id, WorksheetAnswer.course_slug == course.slug,
        WorksheetAnswer.worksheet_key == worksheet.key))}
    for field_id, value in values.items():
        _store(stored.get(field_id), user.id, course, worksheet, field_id, value)
    db.session.flush()
    answers = {**{field_id: row.value for field_id, row in stored.items()}, **values}
    result.complete = is_complete(version.fields, answers)
    if result.complete:
        result.completion = progress.mark_lesson_done(user, course, worksheet, organisation_name)
    return result


def _store(row: WorksheetAnswer | None, user_id: int, course: Course, worksheet: Worksheet, field_id: str,
           value: Any) -> None:
    """Write one field's value; a concurrent first save of the same field (double submit) updates it instead."""
    if row is not None:
        if row.value != value:
            row.value = value
        return
    try:
        with db.session.begin_nested():
            db.session.add(WorksheetAnswer(user_id=user_id, course_slug=course.slug, worksheet_key=worksheet.key,
                                           field_id=field_id, value=value))
    except IntegrityError:
        existing = db.session.scalar(select(WorksheetAnswer).where(
            WorksheetAnswer.user_id == user_id, WorksheetAnswer.course_slug == course.slug,
            WorksheetAnswer.worksheet_key == worksheet.key, WorksheetAnswer.field_id == field_id))
        if existing is not None:
            existing.value = value
