"""Immutable domain objects for course content."""
from dataclasses import dataclass, field

from .questions import Option, Question

__all__ = ["Catalog", "Course", "LearningPath", "Lesson", "Module", "Option", "Problem", "Question", "Quiz",
           "QuizVersion", "Text", "pick"]


@dataclass(frozen=True)
class Problem:
    """One finding of the loader/checker, printed as `path:line: level: message`."""

    path: str
    line: int
    level: str  # "error" or "warning"
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.level}: {self.message}"


@dataclass(frozen=True)
class Text:
    """One language version of a page: title, pre-rendered sanitised HTML, source file."""

    title: str
    html: str
    source: str = ""


def pick(versions, lang, default_lang):
    """The version for `lang`, else the default language's; with a flag telling if it fell back."""
    if lang in versions:
        return versions[lang], False
    return versions[default_lang], True


@dataclass(frozen=True)
class Lesson:
    slug: str
    module_slug: str
    minutes: int
    texts: dict  # lang -> Text
    kind: str = "lesson"

    @property
    def key(self):
        """The stable id learner records use: `<module>/<lesson>`."""
        return f"{self.module_slug}/{self.slug}"


@dataclass(frozen=True)
class QuizVersion:
    title: str
    intro_html: str
    questions: tuple  # of Question
    source: str = ""


@dataclass(frozen=True)
class Quiz:
    slug: str
    module_slug: str
    pass_mark: float  # 0..1
    attempts: int  # 0 = unlimited
    shuffle: bool
    versions: dict  # lang -> QuizVersion
    minutes: int = 5
    kind: str = "quiz"

    @property
    def key(self):
        return f"{self.module_slug}/{self.slug}"

    @property
    def texts(self):
        return {lang: Text(v.title, v.intro_html, v.source) for lang, v in self.versions.items()}


@dataclass(frozen=True)
class Module:
    slug: str
    texts: dict  # lang -> Text (title + intro html)
    items: tuple  # Lesson and Quiz, in order
    competences: tuple = ()  # ids in the competence framework that this module develops


@dataclass(frozen=True)
class Course:
    slug: str
    path: str
    language: str
    texts: dict  # lang -> Text (title + intro html)
    summaries: dict  # lang -> str
    audience: str
    level: str
    minutes: int
    certificate: bool
    modules: tuple
    version: str  # content hash
    authors: tuple = ()
    license: str = ""
    items_by_key: dict = field(default_factory=dict, compare=False, repr=False)
    competences: tuple = ()  # ids in the competence framework that the whole course develops

    @property
    def all_competences(self):
        """The competences the course develops: its own, then its modules', each once, in order."""
        return tuple(dict.fromkeys([*self.competences, *(c for module in self.modules for c in module.competences)]))

    @property
    def languages(self):
        return tuple(sorted(self.texts))

    @property
    def items(self):
        return tuple(item for module in self.modules for item in module.items)

    @property
    def lessons(self):
        return tuple(item for item in self.items if item.kind == "lesson")

    @property
    def quizzes(self):
        return tuple(item for item in self.items if item.kind == "quiz")

    def item(self, key):
        return self.items_by_key.get(key)

    def neighbours(self, key):
        """The items before and after `key` in course order (None at either end)."""
        items = self.items
        index = next(i for i, item in enumerate(items) if item.key == key)
        before = items[index - 1] if index > 0 else None
        after = items[index + 1] if index + 1 < len(items) else None
        return before, after


@dataclass(frozen=True)
class LearningPath:
    slug: str
    titles: dict  # lang -> str
    summaries: dict  # lang -> str
    audience: str
    course_slugs: tuple

    def title(self, lang):
        """The title in `lang`, else in English, else in the first language it has."""
        return self.titles.get(lang) or self.titles.get("en") or next(iter(self.titles.values()))


def _in_language(texts, lang):
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


class _NamedInLanguages:
    """`names` and `descriptions` by language, read in one language with a fallback."""

    def name(self, lang):
        return _in_language(self.names, lang)

    def description(self, lang):
        return _in_language(self.descriptions, lang)


@dataclass(frozen=True)
class Competence(_NamedInLanguages):
    """One competence of the framework: a stable id, its area, a name and a description per language."""

    id: str
    area: str
    names: dict  # lang -> str
    descriptions: dict  # lang -> str


@dataclass(frozen=True)
class CompetenceArea(_NamedInLanguages):
    id: str
    names: dict  # lang -> str
    descriptions: dict  # lang -> str
    competences: tuple  # Competence, in order


@dataclass(frozen=True)
class CompetenceFramework:
    """`courses/competences.yml`: competence areas and their competences."""

    names: dict = field(default_factory=dict)  # lang -> the framework's name
    areas: tuple = ()

    @property
    def competences(self):
        """id -> Competence, in framework order."""
        return {competence.id: competence for area in self.areas for competence in area.competences}

    def name(self, lang):
        return _in_language(self.names, lang)


@dataclass(frozen=True)
class Catalog:
    courses: dict  # slug -> Course, in catalogue order
    paths: tuple
    problems: tuple
    root: str = ""
    signature: tuple = ()
    framework: CompetenceFramework = field(default_factory=CompetenceFramework)

    def course(self, slug):
        return self.courses.get(slug)

    @property
    def errors(self):
        return tuple(p for p in self.problems if p.level == "error")
