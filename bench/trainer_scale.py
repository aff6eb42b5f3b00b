"""`make bench-trainer`: the trainer workspace at 1k, 10k and 50k learners on PostgreSQL.

Seeds 500 cohorts of 100 learners in three steps (about 16 lesson records and 4 quiz attempts per learner,
so about 800k lesson records and 200k attempts at 50k) with COPY and counts the programme report's day counts
(`flask cohorts recount`), then reports for the cohort dashboard, a learner's page, item analysis and the
programme report over the last year: server time (best of five, in-process), SQL statements and page size.
Goal: ≤ 150 ms, ≤ 200 KB, the same statement count at every size.
"""
import json
import os
import random
import secrets
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import psycopg
from sqlalchemy import event
from werkzeug.security import generate_password_hash

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTGRES_URL = os.environ.get("SOGLIA_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
STAGES = tuple(int(n) for n in os.environ.get("BENCH_STAGES", "1000,10000,50000").split(","))
PER_COHORT = 100
PATH_COURSES = ("financial-literacy", "business-start-up")
ROUNDS = 5
TIME_BUDGET_MS, SIZE_BUDGET = 150, 200 * 1024
PASSWORD = "bench password"
NOW = datetime.now(timezone.utc)


def copy_rows(connection, table, columns, rows):
    """COPY rows (tuples) into `table`; None is NULL."""
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


class Seeder:
    """Learners with realistic progress through the info-training path, cohort by cohort."""

    def __init__(self, connection, catalog, organisation_id, trainer_id):
        self.connection = connection
        self.courses = [catalog.course(slug) for slug in PATH_COURSES]
        self.organisation_id = organisation_id
        self.trainer_id = trainer_id
        self.random = random.Random(7)
        self.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
        self.ids = {"users": 1000, "cohorts": 0, "attempts": 0}
        self.counts = {"lesson records": 0, "attempts": 0, "answers": 0, "certificates": 0}
        # per question: how likely a learner gets it right (some questions are hard)
        self.difficulty = {}
        for course in self.courses:
            for quiz in course.quizzes:
                for question in quiz.versions[course.language].questions:
                    self.difficulty[course.slug, quiz.key, question.id] = self.random.uniform(0.35, 0.95)

    def seed_cohorts(self, first, last):
        users, members, cohorts, assignments = [], [], [], []
        lessons, enrolments, completions, certificates, attempts, answers = [], [], [], [], [], []
        for number in range(first, last):
            self.ids["cohorts"] += 1
            cohort_id = self.ids["cohorts"]
            starts = (NOW - timedelta(days=self.random.randint(30, 360))).date()
            cohorts.append((cohort_id, self.organisation_id, f"Cohort {number + 1:03d}", "it", starts,
                            starts + timedelta(days=120), secrets.token_hex(4).upper(), None, self.trainer_id, NOW))
            for course in self.courses:
                assignments.append((cohort_id, course.slug, "info-training", starts + timedelta(days=90)))
            for _ in range(PER_COHORT):
                self.ids["users"] += 1
                user_id = self.ids["users"]
                joined = datetime.combine(starts, datetime.min.time(), timezone.utc) + timedelta(hours=self.random.randint(0, 200))
                users.append((user_id, f"learner{user_id}", f"learner{user_id}", f"Learner {user_id}",
                              self.password_hash, self.random.choice(("it", "ar", "fr", "es", "en")),
                              self.random.choice(("entrepreneur", "operator")), "learner", joined, joined,
                              self.organisation_id, False, False))
                members.append((cohort_id, user_id, "import", joined))
                self._progress(user_id, joined, lessons, enrolments, completions, certificates, attempts, answers)
        connection = self.connection
        copy_rows(connection, "users", ("id", "username", "username_skeleton", "display_name", "password_hash", "locale",
                                        "track", "role", "created_at", "last_seen_at", "organisation_id",
                                        "organisation_admin", "must_change_password"), users)
        copy_rows(connection, "cohorts", ("id", "organisation_id", "name", "language", "starts_on", "ends_on",
                                          "join_code", "join_code_expires_on", "created_by_id", "created_at"), cohorts)
        copy_rows(connection, "cohort_courses", ("cohort_id", "course_slug", "path_slug", "due_on"), assignments)
        copy_rows(connection, "cohort_members", ("cohort_id", "user_id", "method", "joined_at"), members)
        copy_rows(connection, "enrolments", ("user_id", "course_slug", "last_item_key", "started_at", "last_viewed_at"),
                  enrolments)
        copy_rows(connection, "lesson_progress", ("user_id", "course_slug", "lesson_key", "completed_at"), lessons)
        copy_rows(connection, "quiz_attempts", ("id", "user_id", "course_slug", "quiz_key", "number", "seed", "pass_mark",
                                                "course_version", "started_at", "submitted_at", "score", "passed"),
                  attempts)
        copy_rows(connection, "question_answers", ("attempt_id", "question_id", "response", "correct"), answers)
        copy_rows(connection, "course_completions", ("user_id", "course_slug", "course_version", "completed_at"),
                  completions)
        copy_rows(connection, "certificates", ("code", "user_id", "course_slug", "holder_name", "course_title",
                                               "course_version", "course_language", "issuer_name", "issued_at"),
                  certificates)
        for key, rows in (("lesson records", lessons), ("attempts", attempts), ("answers", answers),
                          ("certificates", certificates)):
            self.counts[key] += len(rows)

    def _progress(self, user_id, joined, lessons, enrolments, completions, certificates, attempts, answers):
        """About 16 of the path's 19 lessons and 4 quiz attempts, in course order, after joining.

        Worksheets are done like lessons (a lesson record when complete).
        """
        items = [(course, item) for course in self.courses for item in course.items]
        lesson_total = sum(1 for _course, item in items if item.kind != "quiz")
        lessons_done = max(0, lesson_total - int(abs(self.random.gauss(0, 4.5))))
        moment = joined
        done_lessons, started = 0, set()
        for course, item in items:
            if item.kind != "quiz" and done_lessons >= lessons_done:
                break
            moment += timedelta(minutes=self.random.randint(5, 2000))
            if course.slug not in started:
                started.add(course.slug)
                enrolments.append((user_id, course.slug, item.key, moment, moment))
            if item.kind != "quiz":
                done_lessons += 1
                lessons.append((user_id, course.slug, item.key, moment))
                continue
            tries = 1 if self.random.random() < 0.6 else (2 if self.random.random() < 0.4 else 0)
            for number in range(1, tries + 1):
                self.ids["attempts"] += 1
                attempt_id = self.ids["attempts"]
                questions = item.versions[course.language].questions
                right = 0
                for question in questions:
                    correct = self.random.random() < self.difficulty[course.slug, item.key, question.id]
                    right += correct
                    answers.append((attempt_id, question.id, json.dumps(self._response(question, correct)), correct))
                score = right / len(questions)
                attempts.append((attempt_id, user_id, course.slug, item.key, number, self.random.randint(0, 2**31 - 1),
                                 item.pass_mark, course.version, moment, moment + timedelta(minutes=4), score,
                                 score + 1e-9 >= item.pass_mark))
        for course in self.courses:
            course_lessons = {item.key for item in course.items if item.kind != "quiz"}
            if course_lessons <= {row[2] for row in lessons[-lesson_total:] if row[0] == user_id and row[1] == course.slug}:
                completions.append((user_id, course.slug, course.version, moment))
                certificates.append((secrets.token_hex(10).upper(), user_id, course.slug, f"Learner {user_id}",
                                     course.texts[course.language].title, course.version, course.language, "Bench NGO",
                                     moment))

    def _response(self, question, correct):
        if question.options:
            right = [o.id for o in question.options if o.correct]
            wrong = [o.id for o in question.options if not o.correct] or right
            if question.kind == "multiple":
                return right if correct else sorted(set(right[:1] + [self.random.choice(wrong)]))
            return right[0] if correct else self.random.choice(wrong)
        if question.kind == "truefalse":
            return question.answer if correct else not question.answer
        value, tolerance = question.answer
        return value if correct else value + tolerance + self.random.choice((1, 10, 100))


def measure(client, url, engine):
    statements = []

    def count(*_args):
        statements.append(1)

    client.get(url)  # warm caches (templates, catalogue)
    best = None
    for _ in range(ROUNDS):
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200, (url, response.status_code)
        best = elapsed if best is None else min(best, elapsed)
    return best * 1000, len(statements), len(response.data)


def main():
    from app import create_app
    from app.cohorts import tallies
    from app.extensions import db
    from app.privacy import operations as privacy
    from app.services import accounts

    schema = "bench_trainer_" + secrets.token_hex(4)
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        app = create_app({
            "TESTING": False, "SECRET_KEY": "bench", "DATABASE_URL": POSTGRES_URL, "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
            "COURSES_DIR": str(ROOT / "courses"), "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
            "INSTANCE_PATH": str(ROOT / "instance" / "bench"), "RATELIMIT_ENABLED": False,
            "ORGANISATION_NAME": "Bench NGO",
        })
        with app.app_context():
            db.create_all()
            trainer = accounts.create_user(username="trainer", display_name="Bench Trainer",
                                           password=PASSWORD, role="trainer", hash_method="pbkdf2:sha256:1")
            privacy.accept_notice(trainer)
            db.session.commit()
            organisation_id, trainer_id = trainer.organisation_id, trainer.id
            catalog = app.extensions["soglia.catalog"]
            engine = db.engine
        client = app.test_client()
        assert client.post("/account/login", data={"username": "trainer", "password": PASSWORD}).status_code == 302
        rows, cohorts_seeded = [], 0
        with psycopg.connect(POSTGRES_URL, options=f"-csearch_path={schema}") as connection:
            seeder = Seeder(connection, catalog, organisation_id, trainer_id)
            for learners in STAGES:
                started = time.perf_counter()
                target = learners // PER_COHORT
                seeder.seed_cohorts(cohorts_seeded, target)
                cohorts_seeded = target
                connection.commit()
                seconds = time.perf_counter() - started
                started = time.perf_counter()
                with app.app_context():
                    places = tallies.rebuild(db.session()).places
                    db.session.commit()
                counting = time.perf_counter() - started
                connection.execute("ANALYZE")
                connection.commit()
                print(f"seeded {learners:>6} learners in {target} cohorts ({seeder.counts['lesson records']} lesson "
                      f"records, {seeder.counts['attempts']} attempts, {seeder.counts['answers']} answers, "
                      f"{seeder.counts['certificates']} certificates) in {seconds:.1f} s; counted {places} "
                      f"learner-course places for the programme report in {counting:.1f} s", flush=True)
                cohort_id = target  # the newest cohort, 100 learners
                learner_id = seeder.ids["users"] - PER_COHORT + 1
                quiz = catalog.course(PATH_COURSES[0]).quizzes[0]
                today = date.today()
                pages = {
                    "cohort dashboard": f"/trainer/cohorts/{cohort_id}/",
                    "learner detail": f"/trainer/learners/{learner_id}",
                    "item analysis": f"/trainer/cohorts/{cohort_id}/quizzes/{PATH_COURSES[0]}/{quiz.module_slug}/{quiz.slug}",
                    "programme report": f"/trainer/report?start={today - timedelta(days=365)}&end={today}",
                }
                for name, url in pages.items():
                    rows.append((learners, name, *measure(client, url, engine)))
        print()
        print(f"{'learners':>8}  {'page':<18} {'time ms':>8} {'SQL':>4} {'size KB':>8}")
        failures = []
        for learners, name, ms, statements, size in rows:
            print(f"{learners:>8}  {name:<18} {ms:>8.1f} {statements:>4} {size / 1024:>8.1f}")
            if ms > TIME_BUDGET_MS or size > SIZE_BUDGET:
                failures.append(f"{name} at {learners}: {ms:.0f} ms, {size / 1024:.0f} KB")
        for name in {row[1] for row in rows}:
            counts = {row[3] for row in rows if row[1] == name}
            if len(counts) != 1:
                failures.append(f"{name}: SQL statements vary with size {sorted(counts)}")
        print("\n" + ("over budget: " + "; ".join(failures) if failures else
                      f"every page within {TIME_BUDGET_MS} ms and {SIZE_BUDGET // 1024} KB, constant SQL"))
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        if os.environ.get("BENCH_KEEP_SCHEMA"):
            print(f"kept schema {schema}")
        else:
            with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
                admin.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
