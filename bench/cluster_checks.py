"""The end-of-run check of `make bench-cluster`: in the database, nothing a learner did was lost or doubled."""
from dataclasses import dataclass

from sqlalchemy import text


@dataclass(frozen=True)
class Expected:
    """What one learner finished in one course: every lesson done, every quiz graded once (one attempt each)."""

    username: str
    course_slug: str
    lesson_keys: frozenset[str]
    quiz_questions: dict  # quiz key -> how many questions it has


#: (table, the columns no two rows may share): what a double submit could double
UNIQUE_ROWS = (
    ("course_completions", "user_id, course_slug"),
    ("certificates", "user_id, kind, course_slug"),
    ("lesson_progress", "user_id, course_slug, lesson_key"),
    ("quiz_attempts", "user_id, course_slug, quiz_key, number"),
    ("question_answers", "attempt_id, question_id"),
)


def _count(conn, sql, **params):
    return conn.execute(text(sql), params).scalar_one()


def duplicates(conn):
    """Rows doubled anywhere, whoever they belong to."""
    problems = []
    for table, columns in UNIQUE_ROWS:
        doubled = _count(conn, f"SELECT COUNT(*) FROM (SELECT {columns} FROM {table} GROUP BY {columns} "
                               "HAVING COUNT(*) > 1) AS doubled")
        if doubled:
            problems.append(f"{table}: {doubled} group(s) of rows doubled on ({columns})")
    return problems


def _learner_problems(conn, expected):
    who = f"{expected.username} in {expected.course_slug}"
    user_id = conn.execute(text("SELECT id FROM users WHERE username = :name"),
                           {"name": expected.username}).scalar_one_or_none()
    if user_id is None:
        return [f"{expected.username}: no such user"]
    mine = {"user": user_id, "course": expected.course_slug}
    problems = []
    completions = _count(conn, "SELECT COUNT(*) FROM course_completions WHERE user_id = :user "
                               "AND course_slug = :course", **mine)
    if completions != 1:
        problems.append(f"{who}: {completions} completions instead of 1")
    certificates = _count(conn, "SELECT COUNT(*) FROM certificates WHERE user_id = :user AND kind = 'course' "
                                "AND course_slug = :course", **mine)
    if certificates != 1:
        problems.append(f"{who}: {certificates} certificates instead of 1")
    done = [row[0] for row in conn.execute(text(
        "SELECT lesson_key FROM lesson_progress WHERE user_id = :user AND course_slug = :course"), mine)]
    missing = expected.lesson_keys - set(done)
    if missing:
        problems.append(f"{who}: lesson records missing for {', '.join(sorted(missing))}")
    if len(done) != len(set(done)) or set(done) - expected.lesson_keys:
        problems.append(f"{who}: {len(done)} lesson records for {len(expected.lesson_keys)} lessons")
    for quiz_key, questions in expected.quiz_questions.items():
        attempts = conn.execute(text(
            "SELECT id, passed FROM quiz_attempts WHERE user_id = :user AND course_slug = :course "
            "AND quiz_key = :quiz AND submitted_at IS NOT NULL"), {**mine, "quiz": quiz_key}).all()
        if len(attempts) != 1:
            problems.append(f"{who}: {len(attempts)} graded attempts at {quiz_key} instead of 1")
            continue
        answers = _count(conn, "SELECT COUNT(*) FROM question_answers WHERE attempt_id = :attempt",
                         attempt=attempts[0].id)
        if answers != questions:
            problems.append(f"{who}: {answers} answers stored for the {questions} questions of {quiz_key}")
        if not attempts[0].passed:
            problems.append(f"{who}: the attempt at {quiz_key} did not pass")
    return problems


def integrity_problems(conn, expected):
    """Everything lost or doubled, as sentences; an empty list when every learner's work is there exactly once."""
    problems = duplicates(conn)
    for one in expected:
        problems += _learner_problems(conn, one)
    return problems
