"""A page's text in one language, and what items with language versions (quizzes, worksheets) share."""
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Text:
    """One language version of a page: title, pre-rendered sanitised HTML, source file."""

    title: str
    html: str
    source: str = ""


class VersionedItem:
    """A course item whose versions by language each have a title, an intro and a source file."""

    slug: str
    module_slug: str
    versions: Mapping[str, Any]

    @property
    def key(self) -> str:
        """The stable id learner records use: `<module>/<item>`."""
        return f"{self.module_slug}/{self.slug}"

    @property
    def texts(self) -> dict[str, Text]:
        return {lang: Text(v.title, v.intro_html, v.source) for lang, v in self.versions.items()}
