"""What a certificate says in a given language: its title from the course files, and the PDF's languages."""
from flask import current_app

from ..catalog import get_catalog


def titles(certificate):
    """The certificate's title in every language its course (or path) has now; in the holder's language, as
    issued."""
    catalog = get_catalog()
    if certificate.is_path:
        path = next((path for path in catalog.paths if path.slug == certificate.course_slug), None)
        found = dict(path.titles) if path is not None else {}
    else:
        course = catalog.course(certificate.course_slug)
        found = {lang: text.title for lang, text in course.texts.items()} if course is not None else {}
    found[certificate.course_language] = certificate.course_title
    return found


def path_courses(certificate, lang):
    """A path certificate's courses as issued, each titled in `lang` when the course has that version now."""
    catalog = get_catalog()
    listed = []
    for entry in certificate.courses or ():
        course = catalog.course(entry["slug"])
        text = course.texts.get(lang) if course is not None else None
        listed.append({"slug": entry["slug"], "title": text.title if text else entry["title"],
                       "lang": lang if text else certificate.course_language})
    return listed


def organisation_language():
    return current_app.config["ORGANISATION_LANGUAGE"]


def pdf_languages(certificate):
    """The languages a certificate's PDF can be had in: the holder's first, then the course's others."""
    others = sorted(lang for lang in titles(certificate) if lang != certificate.course_language
                    and lang in current_app.config["LANGUAGES"])
    return (certificate.course_language, *others)


def default_pdf_languages(certificate):
    """The holder's language, and the organisation's beside it when they differ and the course has it."""
    holder, organisation = certificate.course_language, organisation_language()
    if organisation != holder and organisation in pdf_languages(certificate):
        return (holder, organisation)
    return (holder,)
