"""The loader and checker: every rule of the format, every checker message."""
import shutil
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.content.loader import load_catalog, load_course

DATA = Path(__file__).parent.parent / "data"
BROKEN = DATA / "broken"


def problems_of(catalog):
    return [str(p) for p in catalog.problems]


def test_sample_course_loads_with_structure_slugs_and_translations():
    catalog = load_catalog(DATA / "courses")
    assert problems_of(catalog) == []
    course = catalog.course("sample-course")
    assert [m.slug for m in course.modules] == ["basics", "numbers"]
    assert [i.key for i in course.items] == ["basics/welcome", "basics/saving", "basics/check",
                                            "numbers/interest", "numbers/check"]
    assert course.languages == ("en", "it")
    assert course.certificate is True and course.audience == "both"
    welcome = course.item("basics/welcome")
    assert set(welcome.texts) == {"en", "it"} and welcome.texts["it"].title == "Benvenuti"
    assert course.item("numbers/interest").texts["en"].title == "Interest"  # from the # heading
    quiz = course.item("basics/check")
    assert quiz.pass_mark == 0.6 and quiz.attempts == 3 and quiz.shuffle is True
    assert [q.kind for q in quiz.versions["en"].questions] == ["single", "multiple", "numeric", "truefalse"]
    assert [p.slug for p in catalog.paths] == ["starter"]


def test_quiz_parts_land_in_the_right_fields():
    quiz = load_catalog(DATA / "courses").course("sample-course").item("basics/check")
    first = quiz.versions["en"].questions[0]
    assert first.id == "budget-compares"
    assert first.prompt_html == "What does a budget compare?"
    assert [o.correct for o in first.options] == [True, False, False]
    assert "that is what a budget does" in first.options[0].feedback_html
    assert "spend more than you earn" in first.explanation_html
    assert "Choose all that apply" in quiz.versions["en"].questions[1].body_html
    assert quiz.versions["en"].questions[2].answer == (250.0, 0.5)
    assert quiz.versions["en"].questions[3].answer is False


def test_links_and_images_are_rewritten_to_served_urls():
    course = load_catalog(DATA / "courses").course("sample-course")
    html = course.item("basics/welcome").texts["en"].html
    assert 'src="/courses/sample-course/assets/01-basics/images/budget.png"' in html
    assert 'href="/courses/sample-course/basics/saving#how-to-save"' in html
    assert 'href="/courses/sample-course/basics/welcome"' in course.texts["en"].html


def test_the_content_hash_changes_with_any_file(tmp_path):
    shutil.copytree(DATA / "courses", tmp_path / "courses")
    before = load_catalog(tmp_path / "courses").course("sample-course").version
    path = tmp_path / "courses/sample-course/01-basics/02-saving.md"
    path.write_text(path.read_text() + "\nMore.\n")
    assert load_catalog(tmp_path / "courses").course("sample-course").version != before


EXPECTED = {
    "bad-front-matter/course.md:3: error: bad value for 'audience'",
    "bad-front-matter/course.md:4: error: unknown front-matter key 'colour'",
    "bad-front-matter/course.md:5: error: bad value for 'certificate'",
    "no-title/course.md:1: error: missing title",
    "no-title/01-m/01-a.md:1: error: missing title",
    "duplicate-slugs/01-m/02-same.md:1: error: duplicate slug 'same'",
    "duplicate-slugs/02-m:1: error: duplicate module slug 'm'",
    "bad-quiz/01-m/02-q.quiz.md:5: error: question has no right answer",
    "bad-quiz/01-m/02-q.quiz.md:12: error: malformed option '- (y) one'",
    "bad-quiz/01-m/02-q.quiz.md:17: error: bad 'Answer:' line 'about twelve'",
    "bad-quiz/01-m/02-q.quiz.md:19: error: question has no answers",
    "bad-quiz/01-m/02-q.quiz.md:23: error: mixes ( ) and [ ] options",
    "bad-quiz/01-m/02-q.quiz.md:28: error: duplicate question id 'no-right'",
    "broken-links/01-m/01-a.md:3: error: broken link or image: 02-missing.md",
    "broken-links/01-m/01-a.md:3: error: broken link or image: images/gone.png",
    "broken-links/01-m/01-a.md:3: error: broken link or image: ../../secret.md",
    "broken-links/01-m/01-a.md:5: warning: raw HTML is not allowed",
    "bad-translation/01-m/01-a.it.md:1: error: translation differs from the original: 0 headings",
    "bad-translation/01-m/02-q.quiz.it.md:1: error: translation differs from the original: question 'q'",
    "bad-translation/01-m/03-orphan.fr.md:1: warning: translation without an original file",
    "empty-lesson/01-m/01-a.md:4: error: empty lesson",
    "bad-yaml/course.md:2: error: front matter is not valid YAML",
}


def test_every_checker_message_with_file_and_line():
    catalog = load_catalog(BROKEN, relative_to=BROKEN)
    found = problems_of(catalog)
    for expected in EXPECTED:
        assert any(line.startswith(expected) for line in found), f"missing: {expected}\nfound:\n" + "\n".join(found)


def test_a_course_with_an_error_is_skipped_and_the_others_load(tmp_path):
    shutil.copytree(DATA / "courses/sample-course", tmp_path / "good")
    shutil.copytree(BROKEN / "bad-quiz", tmp_path / "bad-quiz")
    catalog = load_catalog(tmp_path)
    assert list(catalog.courses) == ["good"]
    assert catalog.errors


def test_a_translated_quiz_with_other_settings_is_warned_about(tmp_path):
    shutil.copytree(DATA / "courses/sample-course", tmp_path / "c")
    path = tmp_path / "c/01-basics/03-check.quiz.it.md"
    path.write_text((tmp_path / "c/01-basics/03-check.quiz.md").read_text().replace("title: Check the basics", "title: Verifica"))
    catalog = load_catalog(tmp_path)
    assert any("takes pass_mark, attempts and shuffle from the original" in str(p) for p in catalog.problems)
    assert "it" in catalog.course("c").item("basics/check").versions


def test_unknown_path_course_is_an_error(tmp_path):
    shutil.copytree(DATA / "courses", tmp_path / "courses")
    (tmp_path / "courses/paths.yml").write_text("- slug: p\n  title: P\n  courses: [nope]\n")
    catalog = load_catalog(tmp_path / "courses")
    assert any("names a course that is not loaded: 'nope'" in str(p) for p in catalog.problems)


def test_load_course_alone_reports_like_the_catalogue():
    course = load_course(DATA / "courses/sample-course")
    assert course is not None and course.slug == "sample-course"


def test_loading_a_hundred_lessons_is_quick(tmp_path):
    """Sanity check of the budget; the real figure comes from `make bench`."""
    course = tmp_path / "big"
    (course / "01-m").mkdir(parents=True)
    (course / "course.md").write_text("---\ntitle: Big\n---\n")
    lesson = (DATA / "courses/sample-course/01-basics/02-saving.md").read_text() * 20
    for number in range(1, 101):
        (course / "01-m" / f"{number:03d}-l{number}.md").write_text(lesson)
    started = time.perf_counter()
    catalog = load_catalog(tmp_path)
    assert len(catalog.course("big").lessons) == 100
    assert time.perf_counter() - started < 10  # generous: a machine under load must not fail it


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=2000))
def test_the_loader_never_raises_on_arbitrary_text(tmp_path, text):
    root = tmp_path / "fuzz"
    shutil.rmtree(root, ignore_errors=True)
    (root / "c" / "01-m").mkdir(parents=True)
    (root / "c" / "course.md").write_text(text)
    (root / "c" / "01-m" / "01-l.md").write_text(text)
    (root / "c" / "01-m" / "02-q.quiz.md").write_text(text)
    catalog = load_catalog(root)
    assert all(p.level in {"error", "warning"} for p in catalog.problems)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.sampled_from([
    "## Q {#a}", "## Q", "- (x) yes", "- ( ) no", "- [x] y", "- [ ] n", "  > feedback", "Answer: 3",
    "Answer: true", "Answer: x", "text", "", "- (y) bad", "---", "title: T", "## Q {#A B}", "```",
]), max_size=40))
def test_the_quiz_parser_never_raises_on_quiz_like_text(tmp_path, lines):
    root = tmp_path / "fuzzq"
    shutil.rmtree(root, ignore_errors=True)
    (root / "c" / "01-m").mkdir(parents=True)
    (root / "c" / "course.md").write_text("---\ntitle: C\n---\n")
    (root / "c" / "01-m" / "01-q.quiz.md").write_text("---\ntitle: Q\n---\n" + "\n".join(lines))
    load_catalog(root)
