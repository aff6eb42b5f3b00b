"""Quiz parsing: `## ` headings split the body into questions; each line of a question is read by one syntax.

The syntaxes (an option, its feedback, an `Answer:` line, a malformed option, the prompt's body, a blank
between options, the explanation) are small classes tried in order; the question types then turn what
was read into a question.
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Question
from ..questions import QuizSyntaxError, RawAnswers, RawOption, question_fields
from ..rendering import render_inline
from .names import is_slug
from .pages import LinkResolver, render_page
from .reporter import Reporter

OPTION = re.compile(r"^[-*+]\s+(\(|\[)\s*([xX]?)\s*(\)|\])\s+(\S.*)$")
OPTION_LIKE = re.compile(r"^[-*+]\s*[\(\[][^\)\]]{0,3}[\)\]]")
FEEDBACK = re.compile(r"^\s{2,}>\s?(.*)$")
ANSWER = re.compile(r"^answer:\s*(.*)$", re.IGNORECASE)
HEADING = re.compile(r"^##\s+(.+?)\s*$")
HEADING_ID = re.compile(r"\s*\{#([^}]*)\}\s*$")


@dataclass
class Section:
    """The lines under one `## ` heading."""

    heading: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)

    def split_heading(self, position: int) -> tuple[str, str]:
        """(heading without its `{#id}`, question id): the id is `q<position>` unless the heading names one."""
        match = HEADING_ID.search(self.heading)
        if match is None:
            return self.heading, f"q{position}"
        return self.heading[: match.start()], match.group(1)


@dataclass
class _OptionDraft:
    marker: str
    checked: bool
    text: str
    line: int
    feedback: list[str] = field(default_factory=list)


@dataclass
class QuestionDraft:
    """What has been read of one question so far; `state` is where the next line belongs."""

    path: Path
    report: Reporter
    body: list[str] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    options: list[_OptionDraft] = field(default_factory=list)
    answer_text: str | None = None
    answer_line: int = 0
    state: str = "body"  # then "answers", then "explanation"
    failed: bool = False

    def error(self, line: int, message: str) -> None:
        self.report.error(self.path, line, message)
        self.failed = True

    def raw_answers(self, heading_line: int) -> RawAnswers:
        options = tuple(RawOption(o.marker, o.checked, o.text, "\n".join(o.feedback).strip(), o.line)
                        for o in self.options)
        return RawAnswers(options, self.answer_text, self.answer_line, heading_line)


class LineSyntax:
    """One kind of line in a question: whether a line is of this kind here, and what reading it does."""

    def matches(self, draft: QuestionDraft, line: str) -> bool:
        raise NotImplementedError

    def read(self, draft: QuestionDraft, number: int, line: str) -> None:
        raise NotImplementedError


class OptionLine(LineSyntax):
    """`- ( ) text`, `- (x) text`, `- [ ] text`, `- [x] text`."""

    def matches(self, draft: QuestionDraft, line: str) -> bool:
        return draft.state in {"body", "answers"} and OPTION.match(line) is not None

    def read(self, draft: QuestionDraft, number: int, line: str) -> None:
        match = OPTION.match(line)
        assert match is not None
        marker, mark, closing, text = match.groups()
        if (marker, closing) not in {("(", ")"), ("[", "]")}:
            draft.error(number, f"malformed option {line.strip()!r}: brackets do not match")
            return
        draft.options.append(_OptionDraft(marker, bool(mark), text, number))
        draft.state = "answers"


class FeedbackLine(LineSyntax):
    """`  > text` indented under an option: what a learner who chose it reads."""

    def matches(self, draft: QuestionDraft, line: str) -> bool:
        return draft.state == "answers" and bool(draft.options) and FEEDBACK.match(line) is not None

    def read(self, draft: QuestionDraft, number: int, line: str) -> None:
        match = FEEDBACK.match(line)
        assert match is not None
        draft.options[-1].feedback.append(match.group(1))


class AnswerLine(LineSyntax):
    """`Answer: true`, `Answer: 250 ± 0.5`: the key of a question without options."""

    def matches(self, draft: QuestionDraft, line: str) -> bool:
        return (draft.state == "body" and draft.answer_text is None and not draft.options
                and ANSWER.match(line) is not None)

    def read(self, draft: QuestionDraft, number: int, line: str) -> None:
        match = ANSWER.match(line)
        assert match is not None
        draft.answer_text, draft.answer_line, draft.state = match.group(1), number, "answers"


class MalformedOption(LineSyntax):
    """Something that looks like an option but is not one."""

    def matches(self, draft: QuestionDraft, line: str) -> bool:
        return draft.state != "explanation" and OPTION_LIKE.match(line.strip()) is not None

    def read(self, draft: QuestionDraft, number: int, line: str) -> None:
        draft.error(number, f"malformed option {line.strip()!r}: "
                            "write `- (x) text`, `- ( ) text`, `- [x] text` or `- [ ] text`")


class BodyLine(LineSyntax):
    """Before the answers: more of the question."""

    def matches(self, draft: QuestionDraft, line: str) -> bool:
        return draft.state == "body"

    def read(self, draft: QuestionDraft, number: int, line: str) -> None:
        draft.body.append(line)


class BlankBetweenAnswers(LineSyntax):
    """An empty line among the options."""

    def matches(self, draft: QuestionDraft, line: str) -> bool:
        return draft.state == "answers" and not line.strip()

    def read(self, draft: QuestionDraft, number: int, line: str) -> None:
        pass


class ExplanationLine(LineSyntax):
    """After the answers: the explanation every learner reads with the results."""

    def matches(self, draft: QuestionDraft, line: str) -> bool:
        return True

    def read(self, draft: QuestionDraft, number: int, line: str) -> None:
        if draft.state == "answers" and (OPTION.match(line) or ANSWER.match(line)):
            draft.error(number, "options and the 'Answer:' line must come together, before the explanation")
        draft.state = "explanation"
        draft.explanation.append(line)


LINE_SYNTAXES: tuple[LineSyntax, ...] = (
    OptionLine(), FeedbackLine(), AnswerLine(), MalformedOption(), BodyLine(), BlankBetweenAnswers(),
    ExplanationLine(),
)


def split_sections(body: str, body_line: int) -> tuple[list[str], list[Section]]:
    """(intro lines, question sections); a `## ` inside a fenced code block is not a heading."""
    intro: list[str] = []
    sections: list[Section] = []
    fenced = False
    for offset, line in enumerate(body.split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match:
            sections.append(Section(match.group(1), body_line + offset))
        elif sections:
            sections[-1].lines.append((body_line + offset, line))
        else:
            intro.append(line)
    return intro, sections


def parse_quiz(path: Path, body: str, body_line: int, resolver: LinkResolver | None,
               report: Reporter) -> tuple[str, tuple[Question, ...], bool]:
    """Parse a quiz body into (intro html, questions, complete); report each problem with its line."""
    intro, sections = split_sections(body, body_line)
    questions: list[Question] = []
    seen: set[str] = set()
    failed = False
    for position, section in enumerate(sections, start=1):
        question_id = section.split_heading(position)[1]
        if question_id in seen:
            report.error(path, section.line, f"duplicate question id {question_id!r}")
            failed = True
            continue
        seen.add(question_id)
        question = parse_question(path, section, position, resolver, report)
        if question is None:
            failed = True
        else:
            questions.append(question)
    if not sections:
        report.error(path, body_line, "the quiz has no questions: start each with a `## ` heading")
    intro_html = render_page(path, "\n".join(intro), body_line, resolver, report)
    return intro_html, tuple(questions), not failed


def parse_question(path: Path, section: Section, position: int, resolver: LinkResolver | None,
                   report: Reporter) -> Question | None:
    """One question, or None when it has an error (reported)."""
    heading, question_id = section.split_heading(position)
    if not is_slug(question_id):
        report.error(path, section.line, f"bad question id {question_id!r}: use lowercase letters, digits and dashes")
        return None
    draft = QuestionDraft(path, report)
    for number, line in section.lines:
        next(syntax for syntax in LINE_SYNTAXES if syntax.matches(draft, line)).read(draft, number, line)
    if draft.failed:
        return None
    try:
        kind, fields = question_fields(draft.raw_answers(section.line))
    except QuizSyntaxError as exc:
        report.error(path, exc.line, str(exc))
        return None
    body_line = section.lines[0][0] if section.lines else section.line
    return Question(
        id=question_id,
        kind=kind,
        prompt_html=render_inline(heading),
        body_html=render_page(path, "\n".join(draft.body), body_line, resolver, report),
        explanation_html=render_page(path, "\n".join(draft.explanation), body_line, resolver, report),
        line=section.line,
        **fields,
    )
