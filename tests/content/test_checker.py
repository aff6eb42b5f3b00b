"""The checker (issue 10): every problem in one run, each printed once, and the warnings for authors."""
import shutil
from pathlib import Path

import pytest

from app.content.loader import load_catalog

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def course(tmp_path):
    """A private copy of the sample course to plant problems in; returns its folder."""
    shutil.copytree(DATA / "courses", tmp_path / "tree")
    return tmp_path / "tree/sample-course"


def problems(course, **options):
    return [str(p).split("sample-course/", 1)[-1] for p in load_catalog(course.parent, **options).problems]


def test_five_planted_errors_are_all_reported_in_one_run(course):
    quiz = course / "01-basics/03-check.quiz.md"
    text = quiz.read_text()
    text = text.replace("attempts: 3", "attempts: many\ncolour: blue")  # two front-matter errors
    text = text.replace("- (x) Money in and money out", "- ( ) Money in and money out")  # no right answer
    text = text.replace("Answer: 250 ± 0.5", "Answer: about 250")  # a bad Answer: line
    quiz.write_text(text)
    page = (course / "course.md").read_text()
    (course / "course.md").write_text(page.replace("certificate: true", "certificate: maybe"))
    found = problems(course, only=course)
    assert len([p for p in found if ": error: " in p]) == 5, found
    assert any("bad value for 'attempts'" in p for p in found) and any("unknown front-matter key 'colour'" in p
                                                                       for p in found)
    assert any("question has no right answer" in p for p in found) and any("bad 'Answer:' line" in p for p in found)
    assert any(p.startswith("course.md:") and "bad value for 'certificate'" in p for p in found)
    assert len(found) == len(set(found))  # each once


def test_an_unreadable_course_page_does_not_hide_the_lessons_problems(course):
    (course / "course.md").write_text("---\ntitle: [oops\n---\n")
    (course / "02-numbers/01-interest.md").write_text("# Interest\n\nSee [the missing page](nowhere.md).\n")
    found = problems(course)
    assert any("front matter is not valid YAML" in p for p in found)
    assert "02-numbers/01-interest.md:3: error: broken link or image: nowhere.md" in found


def test_bare_web_addresses_are_warned_about_links_and_code_are_not(course):
    (course / "02-numbers/01-interest.md").write_text(
        "# Interest\n\nRead https://example.org/rates.\n\nOr [the bank](https://bank.example) or "
        "<https://auto.example>.\n\n`https://code.example` and\n\n    https://block.example\n")
    assert problems(course) == [(
        "02-numbers/01-interest.md:3: warning: bare web address https://example.org/rates: "
        "make it a link that says where it goes, like [Site name](https://example.org/rates)")]


def test_images_need_alt_text(course):
    (course / "02-numbers/01-interest.md").write_text(
        "# Interest\n\nText.\n\n![](../01-basics/images/budget.png)\n\n![A budget](../01-basics/images/budget.png)\n")
    assert problems(course) == [(
        "02-numbers/01-interest.md:5: warning: image without alt text: ../01-basics/images/budget.png: "
        "describe what it shows, like ![A monthly budget](../01-basics/images/budget.png)")]


def test_lessons_over_the_word_budget_are_warned_about_and_the_budget_is_configurable(course):
    (course / "02-numbers/01-interest.md").write_text("# Interest\n\n" + "word " * 60 + "\n")
    assert problems(course) == []  # the default budget
    assert problems(course, word_budget=50) == [(
        "02-numbers/01-interest.md:1: warning: the lesson has 60 words, more than the budget of 50: "
        "split it into shorter lessons")]
    assert problems(course, word_budget=60) == []


def test_links_between_courses_must_resolve(course):
    shutil.copytree(course, course.parent / "other-course")
    lesson = course / "02-numbers/01-interest.md"
    lesson.write_text("# Interest\n\n[A lesson](/courses/other-course/basics/saving) and "
                      "[its folder](../../other-course/01-basics/02-saving.md).\n\n"
                      "[Gone](/courses/other-course/basics/gone) and [no course](/courses/nowhere).\n\n"
                      "[Home](/) and [a file](/courses/other-course/assets/01-basics/images/budget.png).\n")
    catalog = load_catalog(course.parent)
    html = catalog.course("sample-course").item("numbers/interest").texts["en"].html
    assert 'href="/courses/other-course/basics/saving"' in html.split("its folder")[0].rsplit("<a", 1)[1]
    found = [str(p).split("tree/", 1)[1] for p in catalog.problems]
    advice = "check the course, module and lesson names, and that the course loads without errors"
    assert found == [
        f"sample-course/02-numbers/01-interest.md:5: warning: link to a course page that is not loaded: {url}: {advice}"
        for url in ("/courses/other-course/basics/gone", "/courses/nowhere")
    ]
    (course.parent / "other-course/01-basics/02-saving.md").write_text("---\ncolour: red\n---\n# Saving\n\nText.\n")
    broken_target = [str(p) for p in load_catalog(course.parent).problems]
    assert sum("/courses/other-course/basics/saving" in p for p in broken_target) == 2  # that course is not loaded
    alone = [str(p) for p in load_catalog(course.parent, only=course).problems]
    assert len(alone) == 1 and "/courses/nowhere" in alone[0]  # checked alone: the other course's folder counts


def test_the_command_prints_each_problem_once_with_plurals(runner, course):
    (course / "02-numbers/01-interest.md").write_text("# Interest\n\nSee https://example.org and [x](gone.md).\n")
    result = runner.invoke(args=["courses", "check", str(course)])
    assert result.exit_code == 1
    assert result.stdout.count("bare web address https://example.org") == 1
    assert result.stdout.count("broken link or image: gone.md") == 1
    assert "bare web address" not in result.stderr and result.stderr.strip() == "0 courses loaded, 1 error, 1 warning"
    (course / "02-numbers/01-interest.md").write_text("# Interest\n\nSee [the rates](https://example.org).\n")
    result = runner.invoke(args=["courses", "check", str(course), "--word-budget", "3"])
    warned = result.stdout.count("more than the budget of 3")
    assert warned > 1 and result.stdout.count("\n") == warned
    assert result.exit_code == 0 and result.stderr.strip() == f"1 course loaded, 0 errors, {warned} warnings"
