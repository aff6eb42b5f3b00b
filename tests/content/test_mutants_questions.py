"""Numeric grading at the exact edge of its rounding allowance (a mutant that survived)."""
from app.content.model import Question
from app.content.questions import Numeric


def test_a_reading_exactly_one_billionth_off_an_exact_answer_is_right():
    question = Question(id="n", kind="numeric", prompt_html="?", body_html="", explanation_html="", answer=(0.0, 0.0))
    assert Numeric.grade(question, Numeric.read_answer(question, ["0.000000001"]))
    assert not Numeric.grade(question, Numeric.read_answer(question, ["0.000000002"]))
