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


BOTH = "a question has either options or an 'Answer:' line, not both"


@pytest.mark.parametrize("bad, line, message", [
    (raw([("(", True, "a"), ("(", False, "b")], answer="true"), 4, BOTH),
    (raw([("(", True, "a"), ("(", True, "b")]), 2,
     "several (x) in a one-answer question: use [x] for several right answers"),
    (raw([("(", False, "a"), ("(", False, "b")]), 2, "question has no right answer: mark one with (x) or [x]"),
    (raw([("(", True, "a")]), 2, "a choice question needs at least two options"),
    (raw([("(", True, "a"), ("[", False, "b")]), 2,
     "mixes ( ) and [ ] options: use ( ) for one right answer, [ ] for several"),
    (raw([("(", i == 0, f"o{i}") for i in range(27)]), 2, "a question can have at most 26 options"),
    (raw(answer="twelve"), 4, "bad 'Answer:' line 'twelve': write true, false, a number, or a number ± tolerance"),
    (raw(), 2, "question has no answers: add options or an 'Answer:' line"),
])
def test_parse_errors_name_their_line_and_say_exactly_what_is_wrong(bad, line, message):
    with pytest.raises(QuizSyntaxError) as error:
        question_fields(bad)
    assert (error.value.line, str(error.value)) == (line, message)


@pytest.mark.parametrize("kind, answer", [(TrueFalse, "false"), (Numeric, "12")])
def test_every_answer_line_type_refuses_options_beside_it(kind, answer):
    """Each type checks its own syntax, whatever the order the registry tries them in."""
    with pytest.raises(QuizSyntaxError) as error:
        kind.parse(raw([("(", True, "a"), ("(", False, "b")], answer=answer))
    assert (error.value.line, str(error.value)) == (4, BOTH)


def test_options_get_letters_in_file_order_with_their_text_and_feedback():
    found = question_fields(RawAnswers(tuple(
        RawOption("[", checked, text, feedback, 3) for checked, text, feedback in
        [(True, "*One*", "Yes, **one**."), (False, "Two", ""), (True, "Three", "")]), None, 4, 2))
    assert found == ("multiple", {"options": (Option("a", "<em>One</em>", True, "<p>Yes, <strong>one</strong>.</p>"),
                                              Option("b", "Two", False, ""), Option("c", "Three", True, ""))})


def test_a_choice_question_may_have_26_options():
    _kind, fields = question_fields(raw([("(", i == 0, f"o{i}") for i in range(26)]))
    assert [option.id for option in fields["options"]][-1] == "z"


def test_false_is_an_answer_line_and_a_number_alone_must_be_exact():
    assert question_fields(raw(answer=" False ")) == ("truefalse", {"answer": False})
    assert question_fields(raw(answer="42")) == ("numeric", {"answer": (42.0, 0.0)})


def test_an_answer_exactly_at_the_tolerance_is_right():
    assert Numeric.grade(numeric(10, 0.25), 10.25) and Numeric.grade(numeric(10, 0.25), 9.75)


@pytest.mark.parametrize("typed, value", [
    ("1,234,567", 1234567.0), ("1.234.567", 1234567.0), ("\u22125", -5.0), ("1.234.567,5", 1234567.5),
    ("1,234,567.5", 1234567.5),
])
def test_thousands_separators_and_the_minus_sign(typed, value):
    assert parse_learner_number(typed) == value


@pytest.mark.parametrize("typed", ["1,234.567,8", "1.234,567.8"])
def test_separators_in_no_consistent_order_are_not_a_number(typed):
    with pytest.raises(InvalidAnswer):
        parse_learner_number(typed)


def test_the_results_page_shows_the_chosen_options_feedback_and_the_number_as_read():
    question = Question(id="q", kind="multiple", prompt_html="?", body_html="", explanation_html="", options=(
        Option("a", "A", True, "<p>right</p>"), Option("b", "B", False, "<p>no</p>"), Option("c", "C", True)))
    assert MultipleChoice.chosen_feedback(question, ["c", "b"]) == [("B", "<p>no</p>", False), ("C", "", True)]
    assert SingleChoice.chosen_feedback(question, "a") == [("A", "<p>right</p>", True)]
    assert Numeric.describe_answer(numeric(1, 0), [1250.0, 1.25]) == "1250 / 1.25"
    assert Numeric.describe_answer(numeric(1, 0), 7.5) == "7.5"
