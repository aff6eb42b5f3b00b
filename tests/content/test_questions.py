"""Question types: parsing, reading answers and grading, for every type."""
import pytest

from app.content.model import Option, Question
from app.content.questions import (
    QUESTION_TYPES, InvalidAnswer, MultipleChoice, Numeric, QuizSyntaxError, RawAnswers, RawOption,
    SingleChoice, TrueFalse, parse_learner_number, question_fields,
)


def choice(kind, right):
    options = tuple(Option(oid, oid.upper(), oid in right) for oid in "abc")
    return Question(id="q", kind=kind, prompt_html="?", body_html="", explanation_html="", options=options)


def numeric(value, tolerance):
    return Question(id="n", kind="numeric", prompt_html="?", body_html="", explanation_html="",
                    answer=(value, tolerance))


def test_registry_names_every_type():
    assert set(QUESTION_TYPES) == {"single", "multiple", "truefalse", "numeric"}
    assert all(QUESTION_TYPES[key].key == key for key in QUESTION_TYPES)


def test_single_choice_grades_only_the_right_option():
    question = choice("single", {"b"})
    assert SingleChoice.grade(question, SingleChoice.read_answer(question, ["b"]))
    assert not SingleChoice.grade(question, SingleChoice.read_answer(question, ["a"]))


@pytest.mark.parametrize("values", [[], ["z"], ["a", "b"], ["<script>"]])
def test_single_choice_rejects_tampered_values(values):
    with pytest.raises(InvalidAnswer):
        SingleChoice.read_answer(choice("single", {"a"}), values)


def test_multiple_choice_needs_exactly_the_right_set():
    question = choice("multiple", {"a", "c"})
    assert MultipleChoice.grade(question, MultipleChoice.read_answer(question, ["c", "a"]))
    assert not MultipleChoice.grade(question, MultipleChoice.read_answer(question, ["a"]))
    assert not MultipleChoice.grade(question, MultipleChoice.read_answer(question, ["a", "b", "c"]))


@pytest.mark.parametrize("values", [["a", "a"], ["a", "q"], []])
def test_multiple_choice_rejects_duplicates_and_unknown_ids(values):
    with pytest.raises(InvalidAnswer):
        MultipleChoice.read_answer(choice("multiple", {"a"}), values)


def test_true_false():
    question = Question(id="t", kind="truefalse", prompt_html="", body_html="", explanation_html="", answer=False)
    assert TrueFalse.grade(question, TrueFalse.read_answer(question, ["false"]))
    assert not TrueFalse.grade(question, TrueFalse.read_answer(question, ["true"]))
    with pytest.raises(InvalidAnswer):
        TrueFalse.read_answer(question, ["maybe"])


@pytest.mark.parametrize("typed, right", [
    ("100", True), ("100.5", True), ("100,5", True), ("99.5", True), ("100.51", False), ("99.49", False),
    ("101", False), (" 100 € ", True), ("١٠٠", True),
])
def test_numeric_tolerance_edges(typed, right):
    question = numeric(100, 0.5)
    assert Numeric.grade(question, Numeric.read_answer(question, [typed])) is right


def test_numeric_zero_tolerance_is_exact():
    question = numeric(250, 0)
    assert Numeric.grade(question, 250.0)
    assert not Numeric.grade(question, 250.01)


def test_ambiguous_thousands_are_read_both_ways():
    assert Numeric.grade(numeric(1250, 0), parse_learner_number("1,250"))
    assert Numeric.grade(numeric(1.25, 0), parse_learner_number("1,250"))
    assert Numeric.grade(numeric(1400, 0), parse_learner_number("1.400"))
    assert parse_learner_number("1.250,50") == 1250.5
    assert parse_learner_number("1 250") == 1250


@pytest.mark.parametrize("typed", ["abc", "", "1e308", "nan", "inf", "1" * 50, "--1", "1/2"])
def test_numeric_rejects_what_is_not_a_number(typed):
    with pytest.raises(InvalidAnswer):
        parse_learner_number(typed)


def raw(options=(), answer=None):
    return RawAnswers(tuple(RawOption(m, c, t, "", 3) for m, c, t in options), answer, 4, 2)


def test_parse_picks_the_type_from_the_syntax():
    assert question_fields(raw([("(", True, "a"), ("(", False, "b")]))[0] == "single"
    assert question_fields(raw([("[", True, "a"), ("[", True, "b")]))[0] == "multiple"
    assert question_fields(raw(answer="true")) == ("truefalse", {"answer": True})
    assert question_fields(raw(answer="12 ± 0.5")) == ("numeric", {"answer": (12.0, 0.5)})
    assert question_fields(raw(answer="12 +- 1")) == ("numeric", {"answer": (12.0, 1.0)})


@pytest.mark.parametrize("bad, message", [
    (raw([("(", True, "a"), ("(", True, "b")]), "several (x)"),
    (raw([("(", False, "a"), ("(", False, "b")]), "no right answer"),
    (raw([("(", True, "a")]), "at least two options"),
    (raw([("(", True, "a"), ("[", False, "b")]), "mixes"),
    (raw(answer="twelve"), "bad 'Answer:' line"),
    (raw(), "no answers"),
])
def test_parse_errors_say_what_is_wrong(bad, message):
    with pytest.raises(QuizSyntaxError) as error:
        question_fields(bad)
    assert message in str(error.value)


@pytest.mark.parametrize("typed, value", [
    ("٢٥٠", 250.0), ("٢٥٠٫٥", 250.5), ("١٢٬٥٠٠٫٧٥", 12500.75), ("-٥", -5.0), ("١٬٢٥٠", [1250.0, 1.25]),
])
def test_arabic_digits_and_marks_are_read(typed, value):
    assert parse_learner_number(typed) == value


def test_a_number_may_be_typed_with_up_to_40_characters():
    assert parse_learner_number("0" * 39 + "7") == 7.0
    with pytest.raises(InvalidAnswer):
        parse_learner_number("0" * 40 + "7")
