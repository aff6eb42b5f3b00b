"""Question types: a registry of classes with one interface (parse, read an answer, grade).

A new type is one class added to QUESTION_TYPES; the quiz parser tries each type in turn.
"""
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, ClassVar

from .rendering import render_inline, render_markdown


@dataclass(frozen=True)
class Option:
    id: str
    html: str
    correct: bool
    feedback_html: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    kind: str  # a key of questions.QUESTION_TYPES
    prompt_html: str
    body_html: str
    explanation_html: str
    options: tuple["Option", ...] = ()
    #: the key for non-choice types: a bool (true/false) or (value, tolerance) (numeric)
    answer: Any = None
    line: int = 0

    @property
    def type(self) -> type["QuestionType"]:
        """The question type class that reads, grades and shows this question."""
        return QUESTION_TYPES[self.kind]


class QuizSyntaxError(ValueError):
    """A mistake in a question's Markdown, with the line it is on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class InvalidAnswer(ValueError):
    """A submitted value that cannot be an answer to this question (tampered or malformed)."""


@dataclass(frozen=True)
class RawOption:
    marker: str  # "(" or "["
    checked: bool
    text: str
    feedback: str
    line: int


@dataclass(frozen=True)
class RawAnswers:
    """What the quiz parser found under one question heading."""

    options: tuple[RawOption, ...]
    answer_text: str | None
    answer_line: int
    heading_line: int


#: what a type's parse() returns: the Question fields it sets (options or answer)
Fields = dict[str, Any]


class QuestionType:
    """One kind of question: how it is written, read from a form, graded and shown."""

    key: ClassVar[str] = ""
    #: the template whose macros show it: `control` (the form field), `result` (the learner's answer
    #: on the results page) and `preview` (the answer key for trainers)
    template: ClassVar[str] = ""

    @classmethod
    def parse(cls, raw: RawAnswers) -> Fields | None:
        """Return the type-specific fields (options, answer) or None if `raw` is not this type."""
        raise NotImplementedError

    @classmethod
    def read_answer(cls, question: Question, values: list[str]) -> Any:
        """Turn the submitted form values into a JSON-able answer, or raise InvalidAnswer."""
        raise NotImplementedError

    @classmethod
    def grade(cls, question: Question, answer: Any) -> bool:
        """True when `answer` (as returned by read_answer) is right."""
        raise NotImplementedError


def _option_ids(count: int) -> list[str]:
    return [chr(ord("a") + i) for i in range(count)]


class _ChoiceType(QuestionType):
    marker: ClassVar[str] = ""

    @classmethod
    def parse(cls, raw: RawAnswers) -> Fields | None:
        if not raw.options or raw.options[0].marker != cls.marker:
            return None
        if raw.answer_text is not None:
            raise QuizSyntaxError(raw.answer_line, "a question has either options or an 'Answer:' line, not both")
        if any(option.marker != cls.marker for option in raw.options):
            raise QuizSyntaxError(raw.heading_line, "mixes ( ) and [ ] options: use ( ) for one right answer, [ ] for several")
        if len(raw.options) < 2:
            raise QuizSyntaxError(raw.heading_line, "a choice question needs at least two options")
        if len(raw.options) > 26:
            raise QuizSyntaxError(raw.heading_line, "a question can have at most 26 options")
        right = sum(option.checked for option in raw.options)
        if right == 0:
            raise QuizSyntaxError(raw.heading_line, "question has no right answer: mark one with (x) or [x]")
        cls.check_right_count(raw, right)
        options = tuple(
            Option(option_id, render_inline(option.text), option.checked,
                   render_markdown(option.feedback).html if option.feedback else "")
            for option_id, option in zip(_option_ids(len(raw.options)), raw.options, strict=True)
        )
        return {"options": options}

    @classmethod
    def check_right_count(cls, raw: RawAnswers, right: int) -> None:
        """Refuse a number of right options this type cannot have."""

    @classmethod
    def chosen_feedback(cls, question: Question, answer: str | list[str]) -> list[tuple[str, str, bool]]:
        """(option html, feedback html, correct) for each option the learner chose, in file order."""
        chosen = {answer} if isinstance(answer, str) else set(answer)
        return [(o.html, o.feedback_html, o.correct) for o in question.options if o.id in chosen]


class SingleChoice(_ChoiceType):
    key = "single"
    template = "quiz/types/single.html"
    marker = "("

    @classmethod
    def check_right_count(cls, raw: RawAnswers, right: int) -> None:
        if right > 1:
            raise QuizSyntaxError(raw.heading_line, "several (x) in a one-answer question: use [x] for several right answers")

    @classmethod
    def read_answer(cls, question: Question, values: list[str]) -> str:
        valid = {o.id for o in question.options}
        if len(values) != 1 or values[0] not in valid:
            raise InvalidAnswer("choose one of the options")
        return values[0]

    @classmethod
    def grade(cls, question: Question, answer: Any) -> bool:
        return any(o.id == answer and o.correct for o in question.options)


class MultipleChoice(_ChoiceType):
    key = "multiple"
    template = "quiz/types/multiple.html"
    marker = "["

    @classmethod
    def read_answer(cls, question: Question, values: list[str]) -> list[str]:
        valid = {o.id for o in question.options}
        chosen = set(values)
        if not chosen or not chosen <= valid or len(chosen) != len(values):
            raise InvalidAnswer("choose one or more of the options")
        return sorted(chosen)

    @classmethod
    def grade(cls, question: Question, answer: Any) -> bool:
        return set(answer) == {o.id for o in question.options if o.correct}


class TrueFalse(QuestionType):
    key = "truefalse"
    template = "quiz/types/truefalse.html"

    @classmethod
    def parse(cls, raw: RawAnswers) -> Fields | None:
        if raw.answer_text is None or raw.answer_text.strip().lower() not in {"true", "false"}:
            return None
        if raw.options:
            raise QuizSyntaxError(raw.answer_line, "a question has either options or an 'Answer:' line, not both")
        return {"answer": raw.answer_text.strip().lower() == "true"}

    @classmethod
    def read_answer(cls, question: Question, values: list[str]) -> bool:
        if len(values) != 1 or values[0] not in {"true", "false"}:
            raise InvalidAnswer("choose true or false")
        return values[0] == "true"

    @classmethod
    def grade(cls, question: Question, answer: Any) -> bool:
        return answer is question.answer


NUMBER_ANSWER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:(?:±|\+-|\+/-)\s*(\d+(?:\.\d+)?))?\s*$")
MAX_NUMBER_INPUT = 40


def parse_learner_number(text: str) -> float | list[float]:
    """Read a number as people type it: `100`, `100,5`, `1 250`, `1.250,50`, `€ 80`, Arabic digits.

    Returns a float, or a list of two floats when the text reads two ways ("1,250", "1.250").
    """
    text = unicodedata.normalize("NFKC", text or "")
    if len(text) > MAX_NUMBER_INPUT:
        raise InvalidAnswer("the number is too long")
    # decimal digits of any script; other digits (Ethiopic ፩, superscripts) are left to fail as "not a number"
    text = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)
    text = text.replace("\u066b", ".").replace("\u066c", ",")  # Arabic decimal and thousands marks
    text = re.sub(r"[\s'’€$£%]", "", text).replace("\u2212", "-")
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}[,.]\d{3}", text):
        # "1,250" or "1.250": 1250 to some readers, 1.25 to others; both readings are kept
        return [float(text.replace(",", "").replace(".", "")), float(text.replace(",", "."))]
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1 or text.count(".") > 1:
        text = text.replace(",", "").replace(".", "") if text.count(",") > 1 else text.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise InvalidAnswer("type a number")
    value = float(text)
    if not math.isfinite(value):
        raise InvalidAnswer("type a number")
    return value


class Numeric(QuestionType):
    key = "numeric"
    template = "quiz/types/numeric.html"

    @classmethod
    def parse(cls, raw: RawAnswers) -> Fields | None:
        if raw.answer_text is None:
            return None
        if raw.options:
            raise QuizSyntaxError(raw.answer_line, "a question has either options or an 'Answer:' line, not both")
        match = NUMBER_ANSWER.match(raw.answer_text)
        if not match:
            raise QuizSyntaxError(
                raw.answer_line,
                f"bad 'Answer:' line {raw.answer_text.strip()!r}: write true, false, a number, or a number ± tolerance",
            )
        return {"answer": (float(match.group(1)), float(match.group(2) or 0))}

    @classmethod
    def read_answer(cls, question: Question, values: list[str]) -> float | list[float]:
        if len(values) != 1:
            raise InvalidAnswer("type a number")
        return parse_learner_number(values[0])

    @classmethod
    def grade(cls, question: Question, answer: Any) -> bool:
        value, tolerance = question.answer
        readings = answer if isinstance(answer, list) else [answer]
        return any(abs(reading - value) <= tolerance + 1e-9 for reading in readings)

    @classmethod
    def describe_answer(cls, question: Question, answer: float | list[float]) -> str:
        """The number the learner typed, as read (both readings when it reads two ways)."""
        readings = answer if isinstance(answer, list) else [answer]
        return " / ".join(f"{reading:g}" for reading in readings)


QUESTION_TYPES: dict[str, type[QuestionType]] = {cls.key: cls for cls in (SingleChoice, MultipleChoice, TrueFalse, Numeric)}


def question_fields(raw: RawAnswers) -> tuple[str, Fields]:
    """Ask each registered type to parse `raw`; return (type key, fields)."""
    for key, kind in QUESTION_TYPES.items():
        fields = kind.parse(raw)
        if fields is not None:
            return key, fields
    raise QuizSyntaxError(raw.heading_line, "question has no answers: add options or an 'Answer:' line")
