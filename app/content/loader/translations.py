"""What a translation must keep from its original: a lesson's shape, a quiz's questions and answer key."""
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..model import Question

#: (question id, type, which options are right, answer) per question
QuizStructure = list[tuple[str, str, tuple[bool, ...], Any]]


def lesson_shape(body: str) -> tuple[int, int]:
    """(sub-headings, images) of a lesson body: a translation has as many of each."""
    return len(re.findall(r"^#{2,6} ", body, re.MULTILINE)), len(re.findall(r"!\[", body))


def lesson_difference(original: tuple[int, int], translated: tuple[int, int]) -> str:
    """How a translated lesson's shape differs from the original's; empty when it does not."""
    if translated == original:
        return ""
    return (f"{translated[0]} headings and {translated[1]} images, "
            f"the original has {original[0]} and {original[1]}")


def quiz_structure(questions: Iterable[Question]) -> QuizStructure:
    """What a translation must keep: ids, types, option counts and the answer key."""
    return [(q.id, q.kind, tuple(o.correct for o in q.options), q.answer) for q in questions]


def quiz_difference(original: Sequence[Any], translated: Sequence[Any]) -> str:
    """How a translated quiz differs from the original; empty when it does not."""
    if len(original) != len(translated):
        return f"{len(translated)} questions, the original has {len(original)}"
    for position, (a, b) in enumerate(zip(original, translated, strict=True), start=1):
        if a[0] != b[0]:
            return f"question {position} has id {b[0]!r}, the original {a[0]!r}"
        if a[1:] != b[1:]:
            return f"question {a[0]!r} has other options or another answer than the original"
    return ""
