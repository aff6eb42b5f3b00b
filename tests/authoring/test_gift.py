"""Moodle GIFT question banks become Soglia quizzes; what cannot be converted is reported."""
import io
from pathlib import Path

from app.authoring import gift
from app.content.loader import load_course

from .test_publishing import EDITOR

BANK = Path(__file__).parent.parent / "data" / "gift" / "microcredit-bank.gift"


def test_a_real_gift_file_becomes_a_quiz_of_the_draft_with_every_supported_type(trainer, app):
    response = trainer.post(f"{EDITOR}/gift", data={"upload": (io.BytesIO(BANK.read_bytes()), "bank.gift"),
                                                   "module": "02-numbers", "title": "From Moodle: basics"},
                            content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "9 questions converted." in html
    for refused in ("question 9 (Savings groups): a short-answer question", "question 10 (Match): a matching",
                    "question 11 (Essay): an essay question",
                    "question 5 (Monthly payment): partly right numeric answers were left out"):
        assert refused in html
    draft = Path(app.instance_path) / "drafts" / "sample-course"
    quiz_file = draft / "02-numbers" / "03-from-moodle-basics.quiz.md"
    assert f"02-numbers/{quiz_file.name}" in html
    course = load_course(draft)
    assert course is not None, "the converted quiz loads without errors"
    quiz = course.item("numbers/from-moodle-basics")
    questions = {q.id: q for q in quiz.versions["en"].questions}
    assert [q.kind for q in questions.values()] == ["multiple", "single", "numeric", "numeric", "numeric",
                                                    "truefalse", "truefalse", "single", "single"]
    basic = questions["basic-account"]
    assert [o.correct for o in basic.options] == [True, True, False]
    assert "without an overdraft" in basic.options[2].feedback_html
    assert "essential services" in basic.explanation_html
    assert questions["instalment"].answer == (100, 0.5)
    assert questions["interest-range"].answer == (10, 2)
    assert questions["monthly-payment"].answer == (53.5, 0.01)
    assert questions["deposit-guarantee"].answer is True and questions["cash-only"].answer is False
    assert "____" in questions["missing-word"].prompt_html
    assert [o.correct for o in questions["missing-word"].options] == [True, False, False]
    assert "{ } = ~ # :" in questions["escapes"].prompt_html


def test_weights_that_give_partial_credit_are_reported():
    converted = gift.convert("::W::Pick{~%70%a ~%30%b ~%-50%c}", "T")
    assert "- [x] a\n- [x] b\n- [ ] c" in converted.markdown
    assert converted.notes == ["question 1 (W): partial weights became right or wrong (Soglia gives a point for "
                               "exactly the right ones)"]


def test_a_file_with_nothing_to_convert_writes_nothing(trainer, app):
    before = sorted((Path(app.instance_path) / "drafts" / "sample-course").rglob("*.md"))
    response = trainer.post(f"{EDITOR}/gift", data={"upload": (io.BytesIO(b"::E::Tell us{}"), "e.gift"),
                                                   "module": "01-basics", "title": "Nothing"},
                            content_type="multipart/form-data")
    assert response.status_code == 422 and "an essay question" in response.get_data(as_text=True)
    assert sorted((Path(app.instance_path) / "drafts" / "sample-course").rglob("*.md")) == before
