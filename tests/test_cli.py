"""`flask courses check|list` for trainers, `flask courses build` for deployments."""
from pathlib import Path

DATA = Path(__file__).parent / "data"


def test_check_prints_problems_and_exits_1_on_errors(runner):
    result = runner.invoke(args=["courses", "check", str(DATA / "broken")])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.endswith("bad-quiz/01-m/02-q.quiz.md:5: error: question has no right answer: mark one with (x) or [x]")
               for line in lines)
    assert "0 courses loaded" in result.output


def test_check_passes_on_a_good_course_and_a_single_course_folder(runner):
    assert runner.invoke(args=["courses", "check", str(DATA / "courses")]).exit_code == 0
    single = runner.invoke(args=["courses", "check", str(DATA / "courses/sample-course")])
    assert single.exit_code == 0 and "1 course loaded, 0 errors, 0 warnings" in single.output


def test_warnings_alone_do_not_fail_the_check(runner, tmp_path):
    import shutil

    shutil.copytree(DATA / "courses/sample-course", tmp_path / "c")
    (tmp_path / "c/01-basics/09-orphan.fr.md").write_text("# Orpheline\n\nTexte.\n")
    result = runner.invoke(args=["courses", "check", str(tmp_path / "c")])
    assert result.exit_code == 0 and "warning: translation without an original file" in result.output


def test_list_prints_the_catalogue(runner):
    result = runner.invoke(args=["courses", "list"])
    assert result.exit_code == 0
    assert "sample-course  Sample course  [en, it]" in result.output and "lessons=3 quizzes=2" in result.output
    assert "path starter: sample-course" in result.output


def test_the_example_course_in_the_docs_is_clean(runner):
    docs = Path(__file__).parent.parent / "docs/example-course"
    result = runner.invoke(args=["courses", "check", str(docs)])
    assert result.exit_code == 0 and "1 course loaded, 0 errors, 0 warnings" in result.output


def test_build_fills_the_content_cache_that_servers_start_from(app, runner, catalog, monkeypatch):
    import shutil

    from app import create_app
    from app.content.loader import catalog as loader
    from tests.conftest import make_config

    cache = Path(app.instance_path) / "content-cache"
    shutil.rmtree(cache)
    result = runner.invoke(args=["courses", "build"])
    assert result.exit_code == 0, result.output
    assert f"{len(catalog.courses)} course" in result.output and str(cache) in result.output
    assert sorted(path.name.rsplit("-", 1)[0] for path in cache.glob("*.pickle")) == sorted(catalog.courses)
    def no_rendering(*_args, **_kwargs):
        raise AssertionError("a course was rendered again instead of read from the cache")

    monkeypatch.setattr(loader, "load_course", no_rendering)
    started = create_app(make_config(Path(app.instance_path).parent, app.config["COURSES_DIR"]))
    assert sorted(started.extensions["soglia.catalog"].courses) == sorted(catalog.courses)
