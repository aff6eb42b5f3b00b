"""Search over course content, on SQLite (FTS5) and PostgreSQL (full-text search)."""
import re
import shutil

import pytest
from sqlalchemy import func, select

from app.catalog import reload
from app.extensions import db
from app.search.models import SearchEntry

GLOSSARY = """
## Words to know

Budget
:   A plan of the money you expect to receive and to spend.

Overdraft
:   Money the bank lets you take beyond what is in your account.

| Word | What it means |
|---|---|
| **Instalment** (rata) | One payment of a loan. |
| Plain cell | Not a glossary word. |

A budget is kept by the ESU.

*[ESU]: Economic Support Unit
"""


def results(client, query, lang="en"):
    html = client.get("/search", query_string={"q": query, "lang": lang}).get_data(as_text=True)
    listed = html.split('<ol class="results">', 1)[-1].split("</ol>")[0] if '<ol class="results">' in html else ""
    return re.findall(r"<li>\s*<a href=\"([^\"]+)\"[^>]*>(.*?)</a>.*?</li>", listed, re.S), html


def test_a_lesson_is_found_linked_and_its_match_marked(any_db_app):
    client = any_db_app.test_client()
    found, html = results(client, "aside")
    assert found == [("/courses/sample-course/basics/saving", "Saving")]
    assert "Put a little <mark>aside</mark> every week" in html
    assert "1 result for “aside”" in html


def test_titles_count_more_and_words_are_found_by_their_start(any_db_app):
    client = any_db_app.test_client()
    found, _ = results(client, "sav")
    assert found[0] == ("/courses/sample-course/basics/saving", "<mark>Saving</mark>")


def test_search_is_in_the_page_language_with_the_course_language_where_untranslated(any_db_app):
    client = any_db_app.test_client()
    found, _ = results(client, "entrate", "it")  # only in the Italian version of the first lesson
    assert found == [("/courses/sample-course/basics/welcome", "Benvenuti")]
    assert results(client, "entrate", "en")[0] == []
    found, _ = results(client, "aside", "it")  # the saving lesson has no Italian version
    assert found == [("/courses/sample-course/basics/saving", "Saving")]


def test_glossary_terms_are_found(any_db_app, courses_dir):
    lesson = courses_dir / "sample-course/01-basics/02-saving.md"
    lesson.write_text(lesson.read_text() + GLOSSARY)
    reload(any_db_app)  # the index follows the reloaded content
    client = any_db_app.test_client()
    found, html = results(client, "overdraft")
    assert found[0] == ("/courses/sample-course/basics/saving", "<mark>Overdraft</mark>")
    assert "Glossary · Saving" in html
    found, html = results(client, "economic support")
    assert ("/courses/sample-course/basics/saving", "ESU") in found
    found, html = results(client, "payment loan")  # a table of words in bold is a glossary too
    assert ("/courses/sample-course/basics/saving", "Instalment (rata)") in found
    assert results(client, "glossary word")[0] == [("/courses/sample-course/basics/saving", "Saving")]


def test_quiz_questions_and_answers_are_never_searchable(any_db_app):
    client = any_db_app.test_client()
    # a word of an option ("Prices in two shops"), of a feedback and of a question, each only in the quiz
    for word in ("shops", "borrowing", "businesses"):
        assert results(client, word)[0] == []
    found, _ = results(client, "check the basics")  # its title is searchable
    assert found[0][0] == "/courses/sample-course/basics/check"
    assert "<mark>Check</mark>" in found[0][1] and "<mark>basics</mark>" in found[0][1]


def test_the_index_is_built_from_the_loaded_content_not_the_files(any_db_app, courses_dir):
    shutil.rmtree(courses_dir)
    assert results(any_db_app.test_client(), "aside")[0] != []


@pytest.mark.parametrize("query", ['"a" OR b*', "NEAR(a b)", "x' ; DROP TABLE users; --", "a:* & !", "‏", "*"])
def test_any_query_text_is_safe(any_db_app, query):
    response = any_db_app.test_client().get("/search", query_string={"q": query})
    assert response.status_code == 200


def test_the_query_is_escaped_and_long_queries_are_refused(client):
    html = client.get("/search", query_string={"q": "<script>alert(1)</script> aside"}).get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    response = client.get("/search", query_string={"q": "aside " * 40})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.get_data(as_text=True)


def test_search_works_without_javascript_from_every_page(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/search"' in html
    page = client.get("/search").get_data(as_text=True)
    assert '<form method="get" action="/search"' in page
    assert not re.search(r'<script(?![^>]* src="/)', page)  # no inline script; the site's own files only add


@pytest.mark.postgres
def test_postgresql_rebuilds_once_per_content_version(any_db_app, catalog):
    if not any_db_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    client = any_db_app.test_client()
    results(client, "aside")
    with any_db_app.app_context():
        first = db.session.scalars(select(SearchEntry.id).order_by(SearchEntry.id).limit(1)).one()
        count = db.session.scalar(select(func.count()).select_from(SearchEntry))
    reload(any_db_app)  # same files: same content version, nothing to rewrite
    results(client, "aside")
    with any_db_app.app_context():
        assert db.session.scalars(select(SearchEntry.id).order_by(SearchEntry.id).limit(1)).one() == first
        assert db.session.scalar(select(func.count()).select_from(SearchEntry)) == count
