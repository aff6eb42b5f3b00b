"""Exports that stream: CSV row by row, XLSX through openpyxl's write-only mode (rows go to disk, not memory)."""
import csv
import io
import tempfile

from flask import Response, send_file, stream_with_context
from sqlalchemy import select

from ..extensions import db
from ..models import Certificate, QuizAttempt, User
from .dashboard import assignments_of, load_progress
from .models import CohortMember

BATCH = 500
#: a cell starting with one of these is a formula to a spreadsheet: exports prefix it with an apostrophe
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(filename, header, rows):
    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")  # spreadsheets then read the file as UTF-8
        writer.writerow(header)
        for number, row in enumerate(rows, start=1):
            writer.writerow([safe_cell(value) for value in row])
            if number % 200 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(stream_with_context(generate()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def xlsx_response(filename, header, rows):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for row in rows:
        sheet.append([safe_cell(value.replace(tzinfo=None) if hasattr(value, "tzinfo") and value.tzinfo else value)
                      for value in row])
    target = tempfile.TemporaryFile()
    workbook.save(target)
    target.seek(0)
    return send_file(target, as_attachment=True, download_name=filename,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _member_batches(cohort):
    """The cohort's learners, BATCH at a time (keyset pagination on the user id)."""
    cohort_id, after = cohort.id, 0
    while True:
        batch = db.session.execute(
            select(User.id, User.display_name, User.username).join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort_id, User.id > after).order_by(User.id).limit(BATCH)).all()
        if not batch:
            return
        yield batch
        after = batch[-1][0]


PROGRESS_HEADER = ("name", "username", "course", "lessons done", "lessons", "quizzes passed", "quizzes", "best score %",
                   "last activity", "due", "status", "completed", "certificate")


def progress_rows(cohort, catalog, today):
    """Rows of learner × assigned course; the assignments are read now, the learners while streaming."""
    assignments = assignments_of(cohort)
    return (row for batch in _member_batches(cohort) for learner in load_progress(batch, assignments, catalog)
            for row in _progress_cells(learner, today))


def _progress_cells(learner, today):
    for cell in learner.courses:
        yield (learner.display_name, learner.username, cell.course.slug, cell.lessons_done, cell.lessons_total,
                       cell.quizzes_passed, cell.quizzes_total,
                       None if cell.best_score is None else round(100 * cell.best_score), cell.last_activity,
                       cell.due_on, cell.status(today), cell.completed_at, cell.certificate_code or "")


QUIZ_HEADER = ("name", "username", "course", "quiz", "attempt", "submitted", "score %", "passed")


def quiz_rows(cohort):
    query = (select(User.display_name, User.username, QuizAttempt.course_slug, QuizAttempt.quiz_key,
                    QuizAttempt.number, QuizAttempt.submitted_at, QuizAttempt.score, QuizAttempt.passed)
             .join(User, User.id == QuizAttempt.user_id).join(CohortMember, CohortMember.user_id == User.id)
             .where(CohortMember.cohort_id == cohort.id, QuizAttempt.submitted_at.is_not(None))
             .order_by(User.display_name, QuizAttempt.course_slug, QuizAttempt.quiz_key, QuizAttempt.number))
    for name, username, course, quiz, number, submitted, score, passed in db.session.execute(
            query.execution_options(yield_per=1000)):
        yield name, username, course, quiz, number, submitted, round(100 * score), "yes" if passed else "no"


CERTIFICATE_HEADER = ("name", "username", "course", "certificate", "issued", "revoked")


def certificate_rows(cohort, format_code):
    query = (select(User.display_name, User.username, Certificate.course_slug, Certificate.code, Certificate.issued_at,
                    Certificate.revoked_at)
             .join(User, User.id == Certificate.user_id).join(CohortMember, CohortMember.user_id == User.id)
             .where(CohortMember.cohort_id == cohort.id).order_by(User.display_name, Certificate.course_slug))
    for name, username, course, code, issued, revoked in db.session.execute(query.execution_options(yield_per=1000)):
        yield name, username, course, format_code(code), issued, revoked
