"""The real courses/ folder: structure, languages and paths, so an edit cannot silently break them."""
import re

import pytest

from app.content.loader import load_catalog
from tests.conftest import REAL_COURSES

COURSES = {
    "financial-literacy": {"en", "it", "ar", "fr", "es"},
    "microcredit": {"en", "it"},
    "intercultural-communication": {"en", "it"},
    "business-start-up": {"en", "it", "ar", "fr", "es"},
    "language-of-money-and-work": {"en", "it", "ar", "fr", "es"},
}
REFERENCE = {"country-guides": {"en", "it", "ar", "fr", "es"}}
MODULES = {
    "financial-literacy": ["money-and-budgeting", "accounts-payments-saving", "credit-debt-fraud"],
    "microcredit": [
        "what-is-microcredit",
        "responsible-lending",
        "assessing-and-accompanying-borrowers",
        "microcredit-by-country",
        "case-study",
    ],
    "intercultural-communication": [
        "integration-and-cultural-models",
        "plain-language",
        "working-with-interpreters",
        "case-study",
    ],
    "business-start-up": [
        "from-idea-to-business-model",
        "business-plan-and-numbers",
        "registration-funding-first-year",
        "preparing-for-the-microcredit-interview",
    ],
    "language-of-money-and-work": [
        "words-of-money-and-work",
        "reading-your-documents",
        "talking-about-work-and-money",
    ],
}
COUNTRIES = ["italy", "spain", "portugal", "belgium"]
PATHS = {
    "operators": ["microcredit", "intercultural-communication", "financial-literacy"],
    "info-training": ["language-of-money-and-work", "financial-literacy", "business-start-up", "country-guides"],
}
COURSE_LINK = re.compile(r'href="/courses/([a-z0-9-]+)(?:/([a-z0-9-]+)/([a-z0-9-]+))?(?:#[^"]*)?"')


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(REAL_COURSES)


def test_no_error_and_no_warning(catalog):
    assert [str(p) for p in catalog.problems] == []


def test_the_starter_courses_load(catalog):
    assert set(catalog.courses) == set(COURSES) | set(REFERENCE)


@pytest.mark.parametrize("slug, modules", MODULES.items())
def test_each_course_has_its_modules_in_order(catalog, slug, modules):
    assert [module.slug for module in catalog.course(slug).modules] == modules


def test_country_guides_are_a_reference_with_one_page_per_country(catalog):
    course = catalog.course("country-guides")
    assert not course.certificate
    assert [item.slug for item in course.items] == COUNTRIES
    assert all(item.kind == "lesson" for item in course.items)


@pytest.mark.parametrize("slug", COURSES)
def test_each_course_has_modules_lessons_and_quizzes(catalog, slug):
    course = catalog.course(slug)
    assert course.certificate
    assert len(course.modules) >= 3
    for module in course.modules:
        lessons = [i for i in module.items if i.kind == "lesson"]
        quizzes = [i for i in module.items if i.kind == "quiz"]
        assert len(lessons) >= 2, module.slug
        assert len(quizzes) >= 1, module.slug
        for quiz in quizzes:
            questions = quiz.versions[course.language].questions
            assert len(questions) >= 5, quiz.key
            for question in questions:
                assert question.explanation_html, (quiz.key, question.id)
                assert all(option.feedback_html for option in question.options), (quiz.key, question.id)


@pytest.mark.parametrize("slug, languages", (COURSES | REFERENCE).items())
def test_every_page_exists_in_every_language_of_the_course(catalog, slug, languages):
    course = catalog.course(slug)
    assert set(course.texts) == languages
    for module in course.modules:
        assert set(module.texts) == languages, module.slug
        for item in module.items:
            assert set(item.texts) == languages, item.key


def test_numeric_questions_where_the_topic_has_numbers(catalog):
    for slug in ["financial-literacy", "business-start-up", "microcredit", "language-of-money-and-work"]:
        course = catalog.course(slug)
        kinds = {q.kind for quiz in course.quizzes for q in quiz.versions[course.language].questions}
        assert "numeric" in kinds, slug


def test_lessons_cite_their_sources(catalog):
    for course in catalog.courses.values():
        for lesson in course.lessons:
            html = lesson.texts[course.language].html
            assert "<h2" in html and "http" in html, lesson.key


def test_links_between_courses_point_to_existing_pages(catalog):
    pages = {(c.slug, None, None) for c in catalog.courses.values()}
    pages |= {(c.slug, i.module_slug, i.slug) for c in catalog.courses.values() for i in c.items}
    links = []
    for course in catalog.courses.values():
        for item in course.items:
            for lang, text in item.texts.items():
                for target in COURSE_LINK.findall(text.html):
                    links.append(target)
                    assert (target[0], target[1] or None, target[2] or None) in pages, (item.key, lang, target)
    assert any(target[0] == "country-guides" for target in links)


def test_learning_paths(catalog):
    assert {p.slug: list(p.course_slugs) for p in catalog.paths} == PATHS
    info = next(p for p in catalog.paths if p.slug == "info-training")
    for slug in info.course_slugs:
        assert {"ar", "fr", "es"} <= set(catalog.course(slug).texts)


def title_of(item, lang):
    from markupsafe import escape

    return str(escape(item.texts[lang].title))


def test_every_page_of_the_real_courses_opens_in_every_language(tmp_path, make_user):
    from app import create_app
    from app.extensions import db
    from tests.conftest import PASSWORD, make_config

    app = create_app(make_config(tmp_path, REAL_COURSES))
    with app.app_context():
        db.create_all()
    make_user("tina", role="trainer", target_app=app)
    trainer, visitor = app.test_client(), app.test_client()
    trainer.post("/account/login", data={"username": "tina", "password": PASSWORD})
    catalog = app.extensions["soglia.catalog"]
    for course in catalog.courses.values():
        for lang in course.languages:
            assert visitor.get(f"/courses/{course.slug}?lang={lang}").status_code == 200
        for item in course.items:
            path = f"{course.slug}/{item.module_slug}/{item.slug}"
            assert trainer.get(f"/trainer/preview/{path}").status_code == 200, path
            for lang in item.texts:
                html = visitor.get(f"/courses/{path}?lang={lang}").get_data(as_text=True)
                assert f'<html lang="{lang}"' in html, (path, lang)
                assert "not yet available" not in html, (path, lang)
                assert title_of(item, lang) in html, (path, lang)
    for path in catalog.paths:
        assert visitor.get(f"/paths/{path.slug}").status_code == 200
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
