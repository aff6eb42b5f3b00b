"""The boundaries mutation testing found untested: pass mark, unanswered questions, error codes, fallbacks."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.catalog import reload
from app.content.questions import (
    QuestionType,
    QuizSyntaxError,
    RawAnswers,
    RawOption,
    SingleChoice,
    TrueFalse,
    question_fields,
)
from app import models
from app.extensions import db
from app.models import User
from app.services import certificates, progress, quizzes
from tests.conftest import PASSWORD, answer_key_form


@pytest.fixture
def amina(app, make_user):
    make_user("amina")
    with app.app_context():
        yield db.session.scalar(select(User))


@pytest.fixture
def course(app):
    return app.extensions["soglia.catalog"].course("sample-course")


def mixed_form(quiz, attempt, right):
    """Answers right to the first `right` questions, wrong to the others."""
    good = answer_key_form(quiz, attempt=attempt)
    bad = answer_key_form(quiz, attempt=attempt, wrong=True)
    ids = ["q-" + q.id for q in quiz.versions["en"].questions]
    return MultiDict({"attempt": str(attempt.id), **{n: (good if i < right else bad)[n] for i, n in enumerate(ids)}})


@pytest.mark.parametrize("pass_mark, passed", [(0.5, True), (0.5000001, False), (0.4999999, True)])
def test_a_score_exactly_at_the_pass_mark_passes(amina, course, pass_mark, passed):
    quiz = course.item("basics/check")  # four questions: two right is exactly 50 %
    attempt = quizzes.open_attempt(amina.id, course, quiz)
    attempt.pass_mark = pass_mark
    quizzes.submit_attempt(attempt, course, quiz, mixed_form(quiz, attempt, right=2))
    assert (attempt.score, attempt.passed) == (0.5, passed)


def test_is_passing_at_and_around_the_mark():
    assert quizzes.is_passing(0.7, 0.7) and quizzes.is_passing(0.7 - 1e-12, 0.7)
    assert not quizzes.is_passing(0.69, 0.7)


def test_every_unanswered_question_is_reported_and_nothing_graded(amina, course):
    quiz = course.item("basics/check")
    attempt = quizzes.open_attempt(amina.id, course, quiz)
    form = MultiDict(answer_key_form(quiz, attempt=attempt))
    del form["q-left-over"], form["q-ways-to-save"]
    form["q-budget-business"] = "   "  # blank is not an answer
    with pytest.raises(quizzes.InvalidSubmission) as invalid:
        quizzes.submit_attempt(attempt, course, quiz, form)
    assert invalid.value.errors == {"left-over": quizzes.MISSING, "ways-to-save": quizzes.MISSING,
                                    "budget-business": quizzes.MISSING}
    assert attempt.submitted_at is None and attempt.answers == []


@pytest.mark.parametrize("field, value, code", [
    ("q-budget-compares", "a", {"budget-compares": "invalid"}),  # a file-order letter, not a token
    ("q-left-over", "twelve", {"left-over": "invalid"}),
    ("q-budget-business", "yes", {"budget-business": "invalid"}),
    ("q-not-in-this-quiz", "1", {None: "unknown"}),
])
def test_the_error_codes_the_templates_branch_on(amina, course, field, value, code):
    quiz = course.item("basics/check")
    attempt = quizzes.open_attempt(amina.id, course, quiz)
    form = MultiDict(answer_key_form(quiz, attempt=attempt))
    form[field] = value
    with pytest.raises(quizzes.InvalidSubmission) as invalid:
        quizzes.submit_attempt(attempt, course, quiz, form)
    assert invalid.value.errors == code


def test_an_attempt_of_another_quiz_is_refused_as_a_whole(amina, course):
    attempt = quizzes.open_attempt(amina.id, course, course.item("basics/check"))
    with pytest.raises(quizzes.InvalidSubmission) as invalid:
        quizzes.submit_form(amina, course, course.item("numbers/check"), MultiDict({"attempt": str(attempt.id)}),
                            "NGO")
    assert invalid.value.errors == {None: quizzes.OTHER_QUIZ}


@pytest.mark.parametrize("attempt_field", ["", "x", "0", "99999", "1" * 12])
def test_a_form_without_a_usable_attempt_is_stale(amina, course, attempt_field):
    with pytest.raises(quizzes.StaleForm):
        quizzes.submit_form(amina, course, course.item("basics/check"), MultiDict({"attempt": attempt_field}), "NGO")


def test_a_replayed_attempt_raises_already_submitted_with_the_attempt(amina, course):
    quiz = course.item("numbers/check")
    attempt = quizzes.open_attempt(amina.id, course, quiz)
    form = MultiDict({"attempt": str(attempt.id), **answer_key_form(quiz, attempt=attempt)})
    quizzes.submit_form(amina, course, quiz, form, "NGO")
    with pytest.raises(quizzes.AlreadySubmitted) as replay:
        quizzes.submit_form(amina, course, quiz, form, "NGO")
    assert replay.value.attempt.id == attempt.id


def test_the_review_skips_questions_added_after_the_attempt(amina, course):
    quiz = course.item("basics/check")
    attempt = quizzes.open_attempt(amina.id, course, quiz)
    quizzes.submit_attempt(attempt, course, quiz, mixed_form(quiz, attempt, right=1))
    questions = quiz.versions["en"].questions
    rows = quizzes.review(attempt, questions[1:] + course.item("numbers/check").versions["en"].questions)
    assert [(row.question.id, row.correct) for row in rows] == [(q.id, False) for q in questions[1:]]
    assert rows[0].response == sorted(o.id for o in questions[1].options if not o.correct)


@pytest.mark.parametrize("locale, language", [("it", "it"), ("fr", "en"), ("ar", "en")])
def test_the_certificate_is_in_the_learners_language_or_else_the_courses(amina, course, locale, language):
    amina.locale = locale
    certificate = certificates.issue_certificate(amina, course, "NGO")
    assert certificate.course_language == language
    assert certificate.course_title == course.texts[language].title
    assert certificates.issue_certificate(amina, course, "NGO").id == certificate.id  # once


def test_all_course_states_with_quizzes_enrolments_and_completions(app, amina, course):
    catalog = app.extensions["soglia.catalog"]
    quiz = course.item("basics/check")
    attempt = quizzes.open_attempt(amina.id, course, quiz)
    quizzes.submit_attempt(attempt, course, quiz, mixed_form(quiz, attempt, right=1))
    progress.record_view(amina.id, course, "numbers/interest")
    state = progress.all_course_states(amina.id, catalog)["sample-course"]
    assert state.best_scores == {"basics/check": 0.25} and state.passed_quizzes == set()
    assert state.last_item_key == "numbers/interest" and state.started and state.completed_at is None
    for item in course.items:
        if item.kind == "lesson":
            progress.mark_lesson_done(amina, course, item, "NGO")
        else:
            attempt = quizzes.open_attempt(amina.id, course, item)
            quizzes.submit_form(amina, course, item, mixed_form(item, attempt, right=9), "NGO")
    state = progress.all_course_states(amina.id, catalog)["sample-course"]
    assert state.passed_quizzes == {"basics/check", "numbers/check"} and state.best_scores["basics/check"] == 1.0
    assert state.completed_at is not None and state.percent == 100 and state.minutes_left == 0


def test_continue_item(amina, course):
    def state(done=(), last=None):
        found = progress.CourseState(course, done_lessons={k for k in done if "check" not in k},
                                     passed_quizzes={k for k in done if "check" in k}, last_item_key=last)
        item = found.continue_item()
        return item.key if item else None

    keys = [item.key for item in course.items]
    assert state() == keys[0]
    assert state(last="basics/saving") == "basics/saving"  # the last item viewed, not done yet
    assert state(done=["basics/saving"], last="basics/saving") == "basics/check"  # the next one not done
    assert state(done=keys[2:], last="numbers/check") == keys[0]  # wraps to the start
    assert state(done=keys, last="basics/check") is None
    assert state(last="removed/lesson") == keys[0]  # an item no longer in the course


def test_truefalse_with_options_and_an_answer_line_is_an_error():
    raw = RawAnswers((RawOption("(", True, "yes", "", 3), RawOption("(", False, "no", "", 4)), "true", 5, 2)
    with pytest.raises(QuizSyntaxError) as error:
        TrueFalse.parse(raw)
    assert error.value.line == 5 and "either options or an 'Answer:' line" in str(error.value)
    with pytest.raises(QuizSyntaxError):
        question_fields(raw)
    assert TrueFalse.parse(RawAnswers((), "maybe", 5, 2)) is None
    assert SingleChoice.parse(RawAnswers((), "true", 5, 2)) is None


def test_every_question_type_names_its_display_template(app):
    from app.content.questions import QUESTION_TYPES

    for kind in QUESTION_TYPES.values():
        assert issubclass(kind, QuestionType)
        template = app.jinja_env.get_template(kind.template)
        assert {"control", "result", "preview"} <= set(template.module.__dict__)


def test_the_trainer_counts_only_lessons_that_still_exist(app, client, auth, make_user, courses_dir):
    """Same counting as the learner's page: a lesson removed from the files no longer counts."""
    make_user("amina")
    learner = app.test_client()
    learner.post("/account/login", data={"username": "amina", "password": PASSWORD})
    learner.post("/courses/sample-course/basics/welcome/done")
    learner.post("/courses/sample-course/numbers/interest/done")
    (courses_dir / "sample-course/02-numbers/01-interest.md").unlink()
    reload(app)
    auth.as_new_user("tina", role="trainer")
    with app.app_context():
        from app.cohorts import operations as cohorts

        tina = db.session.scalar(select(User).where(User.username == "tina"))
        cohort = cohorts.create_cohort(tina.organisation_id, tina, name="Group", language="en")
        cohorts.assign_courses(cohort, ["sample-course"])
        cohorts.add_existing_learners(tina, cohort, [db.session.scalar(select(User.id).where(User.username == "amina"))])
        db.session.commit()
    dashboard = client.get(f"/trainer/cohorts/{cohort.id}/").get_data(as_text=True)
    assert '<span dir="ltr">1/2</span>' in dashboard and '<span dir="ltr">0/2</span>' in dashboard
    page = learner.get("/courses/sample-course").get_data(as_text=True)
    assert "25%" in page  # one of four items, as the trainer counts


def test_role_and_password_rules_live_in_the_accounts_service(app, make_user):
    from app.services import accounts

    for name, role in (("boss", "admin"), ("tina", "trainer"), ("lea", "learner")):
        make_user(name, role=role)
    with app.app_context():
        boss, tina, lea = (accounts.find_user(name) for name in ("boss", "tina", "lea"))
        with pytest.raises(accounts.OwnAdminRole):
            accounts.set_role(boss, "trainer", boss)
        accounts.set_role(boss, "admin", boss)  # keeping it is fine
        accounts.set_role(tina, "learner", boss)
        assert (boss.role, tina.role) == ("admin", "learner")
        accounts.set_role(tina, "trainer", boss)
        with pytest.raises(accounts.StaffPasswordReset):
            accounts.reset_password(boss, tina)  # a trainer may not reset an admin's password
        password = accounts.reset_password(lea, tina)
        assert lea.check_password(password) and lea.must_change_password
        assert accounts.reset_password(tina, boss)  # an admin may reset a trainer's


def test_options_are_shuffled_once_per_attempt_and_shown_with_their_tokens(app, course):
    """Shuffled once per attempt (a fixed order for each), tokens with each option; file order unshuffled."""
    quiz, unshuffled = course.item("basics/check"), course.item("numbers/check")
    question = quiz.versions["en"].questions[0]
    in_file = [option.id for option in question.options]
    with app.app_context():
        orders = set()
        for seed in range(12):
            attempt = models.QuizAttempt(id=seed + 1, seed=seed)
            shown = quizzes.shown_options(attempt, quiz, question)
            assert quizzes.shown_options(attempt, quiz, question) == shown  # the same every time it is shown
            assert sorted(s.option.id for s in shown) == in_file
            tokens = quizzes.option_tokens(attempt, question)
            assert [s.token for s in shown] == [tokens[s.option.id] for s in shown]
            orders.add(tuple(s.option.id for s in shown))
        assert len(orders) > 1  # attempts differ
        assert all(quizzes.option_order(models.QuizAttempt(id=1, seed=seed), unshuffled, question) == in_file
                   for seed in range(12))


def test_a_step_done_offline_keeps_the_time_it_was_done(amina, course):
    """Replayed from an offline device: the lesson and the completion carry the device's time, not the upload's."""
    done_at = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)
    for item in course.items:
        if item.kind == "quiz":
            attempt = quizzes.open_attempt(amina.id, course, item)
            quizzes.submit_attempt(attempt, course, item, MultiDict(
                {"attempt": str(attempt.id), **answer_key_form(item, attempt=attempt)}))
    lessons = [item for item in course.items if item.kind == "lesson"]
    for lesson in lessons[:-1]:
        progress.mark_lesson_done(amina, course, lesson, "NGO")
    completion = progress.mark_lesson_done(amina, course, lessons[-1], "NGO", at=done_at)
    assert completion is not None and completion.completed_at == done_at
    assert db.session.scalar(select(models.LessonProgress.completed_at).where(
        models.LessonProgress.lesson_key == lessons[-1].key)) == done_at
