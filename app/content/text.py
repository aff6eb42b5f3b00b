"""A page's text in one language."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """One language version of a page: title, pre-rendered sanitised HTML, source file."""

    title: str
    html: str
    source: str = ""
