"""Immutable domain objects for course content."""
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from .questions import Option, Question

__all__ = ["Catalog", "Course", "Item", "LearningPath", "Lesson", "Module", "Option", "Problem", "Question", "Quiz",
           "QuizVersion", "Text", "pick"]

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


@dataclass(frozen=True)
class Text:
    """One language version of a page: title, pre-rendered sanitised HTML, source file."""

    title: str
    html: str
    source: str = ""


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
class Quiz:
    slug: str
    module_slug: str
    pass_mark: float  # 0..1
    attempts: int  # 0 = unlimited
    shuffle: bool
    versions: dict[str, QuizVersion]  # by language
    minutes: int = 5
    kind: str = "quiz"

    @property
    def key(self) -> str:
        return f"{self.module_slug}/{self.slug}"

    @property
    def texts(self) -> dict[str, Text]:
        return {lang: Text(v.title, v.intro_html, v.source) for lang, v in self.versions.items()}


#: a step of a course: learner records refer to it by its key
Item = Lesson | Quiz


@dataclass(frozen=True)
class Module:
    slug: str
    texts: dict[str, Text]  # title + intro html, by language
    items: tuple[Item, ...]  # in order


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


@dataclass(frozen=True)
class Catalog:
    courses: dict[str, Course]  # by slug, in catalogue order
    paths: tuple[LearningPath, ...]
    problems: tuple[Problem, ...]
    root: str = ""
    signature: tuple[tuple[str, int, int], ...] = ()

    def course(self, slug: str) -> Course | None:
        return self.courses.get(slug)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.level == "error")
