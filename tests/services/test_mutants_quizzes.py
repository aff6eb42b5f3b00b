"""Quiz and certificate behaviour that surviving mutants showed untested (see docs/mutants/quizzes-certificates.md)."""
import dataclasses

import pytest
from sqlalchemy import func, select, update
from werkzeug.datastructures import MultiDict

from app.content.questions import Option, Question
from app.extensions import db
from app.models import Certificate, QuestionAnswer, QuizAttempt, User
from app.models.base import utcnow
from app.services import certificates, progress, quizzes
from tests.conftest import answer_key_form, inserted_first_by_another_request, run_first_by_another_request


@pytest.fixture
def learners(app, make_user):
    """(course, amina, bilal) inside an app context."""
    make_user("amina")
    make_user("bilal", display_name="Bilal Amri")
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        yield app.extensions["soglia.catalog"].course("sample-course"), users["amina"], users["bilal"]


def form_for(attempt, quiz, wrong=False):
    return MultiDict({"attempt": str(attempt.id), **answer_key_form(quiz, wrong=wrong, attempt=attempt)})


def test_the_open_attempt_is_returned_again_even_when_it_is_the_last_allowed(learners):
    course, amina, _ = learners
    quiz = dataclasses.replace(course.item("basics/check"), attempts=1)
    first = quizzes.open_attempt(amina.id, course, quiz)
    assert quizzes.open_attempt(amina.id, course, quiz) is first


def test_a_graded_attempt_is_not_reopened(learners):
    course, amina, _ = learners
    quiz = course.item("basics/check")
    first = quizzes.open_attempt(amina.id, course, quiz)
    quizzes.submit_attempt(first, course, quiz, form_for(first, quiz))
    again = quizzes.open_attempt(amina.id, course, quiz)
    assert again.id != first.id and again.number == 2 and again.submitted_at is None


def test_attempt_seeds_vary_widely_and_fit_a_32_bit_column(learners):
    course, amina, _ = learners
    quiz = dataclasses.replace(course.item("basics/check"), attempts=0)
    seeds = []
    for _ in range(40):
        attempt = quizzes.open_attempt(amina.id, course, quiz)
        seeds.append(attempt.seed)
        attempt.submitted_at, attempt.score, attempt.passed = utcnow(), 0.0, False
        db.session.flush()
    assert all(0 <= seed < 2**31 for seed in seeds)
    assert len(set(seeds)) == len(seeds)  # 40 draws among 62 values would collide


def test_option_tokens_depend_on_the_secret_key(learners, app):
    course, amina, _ = learners
    quiz = course.item("basics/check")
    question = next(q for q in quiz.versions["en"].questions if q.options)
    attempt = quizzes.open_attempt(amina.id, course, quiz)
    before = quizzes.option_tokens(attempt, question)
    app.secret_key = "another secret"
    assert set(quizzes.option_tokens(attempt, question).values()).isdisjoint(before.values())


def test_an_unknown_option_token_is_an_invalid_answer(learners):
    course, amina, _ = learners
    quiz = course.item("basics/check")
    question = next(q for q in quiz.versions["en"].questions if q.options)
    attempt = quizzes.open_attempt(amina.id, course, quiz)
    form = form_for(attempt, quiz)
    form.setlist("q-" + question.id, ["0123456789ab"])
    with pytest.raises(quizzes.InvalidSubmission) as error:
        quizzes.submit_attempt(attempt, course, quiz, form)
    assert error.value.errors == {question.id: quizzes.INVALID}


def test_grading_one_attempt_leaves_other_learners_open_attempts_open(learners):
    course, amina, bilal = learners
    quiz = course.item("basics/check")
    hers, his = quizzes.open_attempt(amina.id, course, quiz), quizzes.open_attempt(bilal.id, course, quiz)
    quizzes.submit_attempt(hers, course, quiz, form_for(hers, quiz))
    db.session.commit()
    db.session.refresh(his)
    assert hers.submitted_at is not None and his.submitted_at is None and his.score is None


def test_a_replayed_submit_names_the_graded_attempt(learners):
    course, amina, _ = learners
    quiz = course.item("basics/check")
    attempt = quizzes.open_attempt(amina.id, course, quiz)
    form = form_for(attempt, quiz)
    quizzes.submit_form(amina, course, quiz, form, "NGO")
    with pytest.raises(quizzes.AlreadySubmitted) as replay:
        quizzes.submit_form(amina, course, quiz, form, "NGO")
    assert replay.value.attempt is attempt and attempt.submitted_at is not None


def test_passing_the_last_quiz_reports_the_completion(learners):
    course, amina, _ = learners
    for item in course.items:
        if item.kind == "lesson":
            progress.mark_lesson_done(amina, course, item, "NGO")
    last = None
    for item in course.items:
        if item.kind != "lesson":
            attempt = quizzes.open_attempt(amina.id, course, item)
            last = quizzes.submit_form(amina, course, item, form_for(attempt, item), "NGO")
    assert last is not None and last.completion is not None
    assert last.completion.user_id == amina.id and last.completion.course_slug == course.slug


def test_the_certificate_records_the_competences_the_course_develops(learners):
    course, amina, _ = learners
    course = dataclasses.replace(course, competences=("money-budgeting", "money-banking"))
    certificate = certificates.issue_certificate(amina, course, "NGO")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).competences == list(course.all_competences)


def test_a_path_certificate_under_the_same_slug_is_not_the_course_certificate(learners):
    course, amina, _ = learners
    db.session.add(Certificate(kind="path", code=certificates.new_code(), user_id=amina.id, course_slug=course.slug,
                               holder_name="Amina Haddad", course_title="A path", course_version="1",
                               course_language="en", issuer_name="NGO"))
    db.session.flush()
    assert certificates.certificate_of(amina.id, course.slug) is None
    issued = certificates.issue_certificate(amina, course, "NGO")
    assert issued.kind == "course" and certificates.certificate_of(amina.id, course.slug) is issued


@pytest.fixture
def db_learner(any_db_app, make_user):
    """(course, quiz, learner id) on SQLite and PostgreSQL, inside an app context."""
    user_id = make_user(target_app=any_db_app)
    with any_db_app.app_context():
        course = any_db_app.extensions["soglia.catalog"].course("sample-course")
        yield course, course.item("basics/check"), user_id


@pytest.mark.mutants_postgres
def test_an_attempt_a_concurrent_request_opened_first_is_the_one_returned(db_learner):
    course, quiz, user_id = db_learner
    with inserted_first_by_another_request(
            QuizAttempt.__table__, user_id=user_id, course_slug=course.slug, quiz_key=quiz.key, number=1, seed=7,
            pass_mark=quiz.pass_mark, course_version=course.version) as theirs:
        attempt = quizzes.open_attempt(user_id, course, quiz)
    db.session.commit()
    assert theirs and (attempt.id, attempt.number, attempt.seed) == (theirs[0], 1, 7)
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1


@pytest.mark.mutants_postgres
def test_an_attempt_a_concurrent_request_graded_first_is_named_in_the_refusal(db_learner):
    course, quiz, user_id = db_learner
    attempt = quizzes.open_attempt(user_id, course, quiz)
    db.session.commit()
    graded_by_them = (update(QuizAttempt).where(QuizAttempt.id == attempt.id)
                      .values(submitted_at=utcnow(), score=0.5, passed=False))
    with run_first_by_another_request("UPDATE quiz_attempts ", graded_by_them) as theirs:
        with pytest.raises(quizzes.AlreadySubmitted) as refusal:
            quizzes.submit_attempt(attempt, course, quiz, form_for(attempt, quiz))
    assert theirs and refusal.value.attempt is attempt and (attempt.score, attempt.passed) == (0.5, False)
    assert db.session.scalar(select(func.count()).select_from(QuestionAnswer)) == 0

def test_all_26_options_of_a_question_are_read_and_a_27th_value_is_refused(learners):
    course, amina, _ = learners
    letters = [chr(ord("a") + i) for i in range(26)]
    question = Question(id="every-letter", kind="multiple", prompt_html="Which?", body_html="", explanation_html="",
                        options=tuple(Option(letter, letter.upper(), True) for letter in letters))
    attempt = quizzes.open_attempt(amina.id, course, course.item("basics/check"))
    tokens = quizzes.option_tokens(attempt, question)
    form = MultiDict([("q-every-letter", tokens[letter]) for letter in letters])
    answer = quizzes.read_answers(attempt, [question], form)["every-letter"]
    assert answer == letters and question.type.grade(question, answer)
    form.add("q-every-letter", tokens["a"])
    with pytest.raises(quizzes.InvalidSubmission) as error:
        quizzes.read_answers(attempt, [question], form)
    assert error.value.errors == {"every-letter": quizzes.INVALID}


@pytest.mark.mutants_postgres
def test_graded_attempts_are_listed_first_to_last_and_the_open_one_apart(db_learner):
    course, quiz, user_id = db_learner
    for number in (2, 3, 1):  # stored in another order than their numbers; 3 is still open
        graded = {} if number == 3 else {"submitted_at": utcnow(), "score": number / 2, "passed": number == 2}
        db.session.add(QuizAttempt(user_id=user_id, course_slug=course.slug, quiz_key=quiz.key, number=number,
                                   seed=number, pass_mark=quiz.pass_mark, course_version=course.version, **graded))
        db.session.flush()
    db.session.commit()
    assert [a.number for a in quizzes.submitted_attempts(user_id, course, quiz)] == [1, 2]
    open_one, graded = quizzes.attempts_of(user_id, course, quiz)
    assert (open_one.number, [a.number for a in graded]) == (3, [1, 2])


def test_a_typed_code_verifies_its_certificate_and_junk_or_an_unknown_code_nothing(learners):
    course, amina, _ = learners
    issued = certificates.issue_certificate(amina, course, "NGO")
    db.session.commit()
    found = certificates.verified_certificate(certificates.format_code(issued.code).lower())
    assert (found.code, found.kind, found.course_slug, found.holder_name, found.issuer_name, found.revoked_at) == (
        issued.code, "course", course.slug, "Amina Haddad", "NGO", None)
    assert certificates.verified_certificate("not a code") is None
    assert certificates.verified_certificate(certificates.new_code()) is None
