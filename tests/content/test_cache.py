"""The content cache: unchanged courses come from disk, changed ones are rendered again."""
import shutil
from pathlib import Path

import pytest

from app.content.loader import catalog as catalog_loader
from app.content.loader import load_catalog

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def tree(tmp_path):
    shutil.copytree(DATA / "courses", tmp_path / "courses")
    shutil.copytree(DATA / "broken/broken-links", tmp_path / "courses/broken-links")
    return tmp_path / "courses"


def test_an_unchanged_course_is_read_from_the_cache(tree, tmp_path, monkeypatch):
    first = load_catalog(tree, cache_dir=tmp_path / "cache")
    monkeypatch.setattr(catalog_loader, "load_course", lambda *a, **k: pytest.fail("rendered again"))
    second = load_catalog(tree, cache_dir=tmp_path / "cache")
    assert second.course("sample-course") == first.course("sample-course")
    assert [str(p) for p in second.problems] == [str(p) for p in first.problems]
    assert any("broken link" in str(p) for p in second.problems)  # problems survive the cache


def test_an_edited_course_is_rendered_again(tree, tmp_path):
    load_catalog(tree, cache_dir=tmp_path / "cache")
    lesson = tree / "sample-course/01-basics/02-saving.md"
    lesson.write_text(lesson.read_text().replace("Put a little aside", "Put ten euros aside"))
    html = load_catalog(tree, cache_dir=tmp_path / "cache").course("sample-course").item("basics/saving").texts["en"].html
    assert "Put ten euros aside" in html
    assert len(list((tmp_path / "cache").glob("sample-course-*.pickle"))) == 1  # the old entry is gone


def test_a_damaged_entry_is_only_a_miss(tree, tmp_path):
    load_catalog(tree, cache_dir=tmp_path / "cache")
    for entry in (tmp_path / "cache").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert load_catalog(tree, cache_dir=tmp_path / "cache").course("sample-course") is not None
