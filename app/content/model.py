"""Immutable domain objects for course content."""
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from .questions import Option, Question
from .text import Text, VersionedItem
from .worksheets import Worksheet, WorksheetField, WorksheetVersion

__all__ = ["Catalog", "Course", "Item", "LearningPath", "Lesson", "Module", "Option", "Problem", "Question", "Quiz",
           "QuizVersion", "Text", "Worksheet", "WorksheetField", "WorksheetVersion", "pick"]

V = TypeVar("V")


@dataclass(frozen=True)
class Problem:
    """One finding of the loader/checker, printed as `path:line: level: message`."""

    path: str
    line: int
    level: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"


def pick(versions: Mapping[str, V], lang: str, default_lang: str) -> tuple[V, bool]:
    """The version for `lang`, else the default language's; with a flag telling if it fell back."""
    if lang in versions:
        return versions[lang], False
    return versions[default_lang], True


@dataclass(frozen=True)
class Lesson:
    slug: str
    module_slug: str
    minutes: int
    texts: dict[str, Text]  # by language
    kind: str = "lesson"

    @property
    def key(self) -> str:
        """The stable id learner records use: `<module>/<lesson>`."""
        return f"{self.module_slug}/{self.slug}"


@dataclass(frozen=True)
class QuizVersion:
    title: str
    intro_html: str
    questions: tuple[Question, ...]
    source: str = ""


@dataclass(frozen=True)
class Quiz(VersionedItem):
    slug: str
    module_slug: str
    pass_mark: float  # 0..1
    attempts: int  # 0 = unlimited
    shuffle: bool
    versions: dict[str, QuizVersion]  # by language
    minutes: int = 5
    kind: str = "quiz"


#: a step of a course: learner records refer to it by its key
Item = Lesson | Quiz | Worksheet


@dataclass(frozen=True)
class Module:
    slug: str
    texts: dict[str, Text]  # title + intro html, by language
    items: tuple[Item, ...]  # in order
    competences: tuple[str, ...] = ()  # ids in the competence framework that this module develops


@dataclass(frozen=True)
class Course:
    slug: str
    path: str
    language: str
    texts: dict[str, Text]  # title + intro html, by language
    summaries: dict[str, str]  # by language
    audience: str
    level: str
    minutes: int
    certificate: bool
    modules: tuple[Module, ...]
    version: str  # content hash
    authors: tuple[str, ...] = ()
    license: str = ""
    items_by_key: dict[str, Item] = field(default_factory=dict, compare=False, repr=False)
    competences: tuple[str, ...] = ()  # ids in the competence framework that the whole course develops

    @property
    def all_competences(self) -> tuple[str, ...]:
        """The competences the course develops: its own, then its modules', each once, in order."""
        return tuple(dict.fromkeys([*self.competences, *(c for module in self.modules for c in module.competences)]))

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self.texts))

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for module in self.modules for item in module.items)

    @property
    def lessons(self) -> tuple[Lesson, ...]:
        return tuple(item for item in self.items if isinstance(item, Lesson))

    @property
    def worksheets(self) -> tuple[Worksheet, ...]:
        return tuple(item for item in self.items if isinstance(item, Worksheet))

    @property
    def quizzes(self) -> tuple[Quiz, ...]:
        return tuple(item for item in self.items if isinstance(item, Quiz))

    def item(self, key: str) -> Item | None:
        return self.items_by_key.get(key)

    def neighbours(self, key: str) -> tuple[Item | None, Item | None]:
        """The items before and after `key` in course order (None at either end)."""
        items = self.items
        index = next(i for i, item in enumerate(items) if item.key == key)
        before = items[index - 1] if index > 0 else None
        after = items[index + 1] if index + 1 < len(items) else None
        return before, after


@dataclass(frozen=True)
class LearningPath:
    slug: str
    titles: dict[str, str]  # by language
    summaries: dict[str, str]  # by language
    audience: str
    course_slugs: tuple[str, ...]

    def title(self, lang: str) -> str:
        """The title in `lang`, else in English, else in the first language it has."""
        return self.titles.get(lang) or self.titles.get("en") or next(iter(self.titles.values()))


def _in_language(texts: dict[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


class _NamedInLanguages:
    """`names` and `descriptions` by language, read in one language with a fallback."""

    names: dict[str, str]
    descriptions: dict[str, str]

    def name(self, lang: str) -> str:
        return _in_language(self.names, lang)

    def description(self, lang: str) -> str:
        return _in_language(self.descriptions, lang)


@dataclass(frozen=True)
class Competence(_NamedInLanguages):
    """One competence of the framework: a stable id, its area, a name and a description per language."""

    id: str
    area: str
    names: dict[str, str]
    descriptions: dict[str, str]


@dataclass(frozen=True)
class CompetenceArea(_NamedInLanguages):
    id: str
    names: dict[str, str]
    descriptions: dict[str, str]
    competences: tuple[Competence, ...]  # in order


@dataclass(frozen=True)
class CompetenceFramework:
    """`courses/competences.yml`: competence areas and their competences."""

    names: dict[str, str] = field(default_factory=dict)  # the framework's name, by language
    areas: tuple[CompetenceArea, ...] = ()

    @property
    def competences(self) -> dict[str, Competence]:
        """id -> Competence, in framework order."""
        return {competence.id: competence for area in self.areas for competence in area.competences}

    def name(self, lang: str) -> str:
        return _in_language(self.names, lang)


@dataclass(frozen=True)
class Catalog:
    courses: dict[str, Course]  # by slug, in catalogue order
    paths: tuple[LearningPath, ...]
    problems: tuple[Problem, ...]
    root: str = ""
    signature: tuple[tuple[str, int, int], ...] = ()
    framework: CompetenceFramework = field(default_factory=CompetenceFramework)
    #: courses whose files have errors, still served in their last good version: slug -> that version
    held_back: dict[str, str] = field(default_factory=dict)
    #: course folders with errors and no good version yet: not published
    unpublished: tuple[str, ...] = ()

    def course(self, slug: str) -> Course | None:
        return self.courses.get(slug)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level == "error")
