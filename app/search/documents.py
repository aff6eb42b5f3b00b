"""The searchable documents of a catalogue: plain text cut out of the HTML rendered at load."""
import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..content.model import pick

TAG = re.compile(r"<[^>]+>")
TERM = re.compile(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", re.S)
ABBREVIATION = re.compile(r'<abbr title="([^"]*)">(.*?)</abbr>', re.S)
#: a glossary table: a row whose first cell starts with the word in bold, the next cell explains it
TERM_ROW = re.compile(r"<tr>\s*<td[^>]*>(\s*<strong>.*?)</td>\s*<td[^>]*>(.*?)</td>", re.S)
#: Arabic short vowels and other marks, and the tatweel: written or not, the word is the same
ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


@dataclass(frozen=True)
class Document:
    lang: str  # the interface language it is found in
    text_lang: str  # the language it is written in (the course's when not translated)
    kind: str  # "course", "module", "lesson", "quiz" or "term"
    course_slug: str
    item_key: str  # "<module>/<item>", the module slug, or "" for a course
    title: str
    body: str


@lru_cache(maxsize=2048)  # an untranslated page is indexed once per interface language
def plain(fragment):
    """Visible text of sanitised HTML, one space between blocks, normalised for matching."""
    text = html.unescape(TAG.sub(" ", fragment))
    return normalise(" ".join(text.split()))


def normalise(text):
    return ARABIC_MARKS.sub("", unicodedata.normalize("NFC", text))


def terms(fragment):
    """Glossary entries of a page: definition lists, tables of words in bold, and abbreviations."""
    pairs = TERM.findall(fragment) + TERM_ROW.findall(fragment)
    found = [(plain(term), plain(definition)) for term, definition in pairs]
    found += [(plain(short), normalise(html.unescape(title))) for title, short in ABBREVIATION.findall(fragment)]
    return found


def catalogue_documents(catalog, languages):
    """Every document for every interface language: the text a visitor in that language is shown."""
    for course in catalog.courses.values():
        for lang in languages:
            yield from _course_documents(course, lang)


def _course_documents(course, lang):
    text, _ = pick(course.texts, lang, course.language)
    text_lang = lang if lang in course.texts else course.language
    summary = course.summaries.get(text_lang, "")
    yield Document(lang, text_lang, "course", course.slug, "", plain(text.title), normalise(summary) + " "
                   + plain(text.html))
    for module in course.modules:
        module_text, fell_back = pick(module.texts, lang, course.language)
        module_lang = course.language if fell_back else lang
        yield Document(lang, module_lang, "module", course.slug, module.slug, plain(module_text.title),
                       plain(module_text.html))
        for item in module.items:
            item_text, fell_back = pick(item.texts, lang, course.language)
            item_lang = course.language if fell_back else lang
            # a quiz is found by its title and introduction only: never its questions or answers
            yield Document(lang, item_lang, item.kind, course.slug, item.key, plain(item_text.title),
                           plain(item_text.html))
            for term, definition in terms(item_text.html):
                yield Document(lang, item_lang, "term", course.slug, item.key, term, definition)
