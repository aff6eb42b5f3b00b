"""The competence framework (courses/competences.yml): loading, the checker, and the real framework."""
from pathlib import Path

import pytest
import yaml

from app.content.loader import load_catalog
from tests.conftest import REAL_COURSES

LANGUAGES = ("en", "it", "ar", "fr", "es")
FRAMEWORK = """
name: {en: Test framework, it: Quadro di prova}
areas:
  - id: money
    name: {en: Managing money, it: Gestire il denaro}
    description: {en: Money matters., it: Questioni di denaro.}
    competences:
      - id: money-budgeting
        name: {en: Planning a budget, it: Pianificare un bilancio}
        description: {en: Builds a monthly budget., it: Costruisce un bilancio mensile.}
      - id: money-saving
        name: {en: Saving safely, it: Risparmiare in sicurezza}
"""


def declare(courses_dir, course_ids=(), module_ids=(), framework=FRAMEWORK):
    """Write the framework and declare competences in the sample course and its first module."""
    (courses_dir / "competences.yml").write_text(framework, encoding="utf-8")
    for path, ids in ((courses_dir / "sample-course" / "course.md", course_ids),
                      (courses_dir / "sample-course" / "01-basics" / "module.md", module_ids)):
        if ids:
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("\n---\n", f"\ncompetences: [{', '.join(ids)}]\n---\n", 1), encoding="utf-8")


def test_the_framework_loads_and_courses_and_modules_declare_competences(courses_dir):
    declare(courses_dir, course_ids=["money-saving"], module_ids=["money-budgeting", "money-saving"])
    catalog = load_catalog(courses_dir)
    assert catalog.problems == ()
    framework = catalog.framework
    assert framework.name("it") == "Quadro di prova" and framework.name("ar") == "Test framework"
    (area,) = framework.areas
    assert [c.id for c in area.competences] == ["money-budgeting", "money-saving"]
    assert framework.competences["money-budgeting"].name("it") == "Pianificare un bilancio"
    assert framework.competences["money-budgeting"].area == "money"
    course = catalog.course("sample-course")
    assert course.competences == ("money-saving",) and course.modules[0].competences == ("money-budgeting",
                                                                                         "money-saving")
    assert course.all_competences == ("money-saving", "money-budgeting")


def test_the_checker_reports_an_unknown_competence_with_its_file(courses_dir):
    declare(courses_dir, course_ids=["money-budgeting", "cooking"], module_ids=["flying"])
    problems = [str(p) for p in load_catalog(courses_dir).errors]
    assert any("sample-course/course.md:1: error: unknown competence 'cooking'" in p for p in problems), problems
    assert any("sample-course/01-basics/module.md:1: error: unknown competence 'flying'" in p for p in problems)
    assert len(problems) == 2


@pytest.mark.parametrize(("framework", "message"), [
    ("areas: [", "not valid YAML"),
    ("name: {en: X}\nareas: 3\n", "needs `name` and a list of `areas`"),
    ("areas:\n  - id: a\n    name: {en: A}\n  - id: a\n    name: {en: B}\n", "duplicate competence id 'a'"),
    ("areas:\n  - id: Bad Id\n    name: {en: A}\n", "needs an id"),
    ("areas:\n  - id: a\n    competences:\n      - id: b\n", "needs a name"),
])
def test_a_broken_framework_is_reported(courses_dir, framework, message):
    declare(courses_dir, framework=framework)
    assert any(message in str(p) for p in load_catalog(courses_dir).errors)


def test_a_competence_list_must_be_a_list_of_ids(courses_dir):
    path = courses_dir / "sample-course" / "course.md"
    path.write_text(path.read_text().replace("\n---\n", "\ncompetences: money-budgeting\n---\n", 1))
    assert any("competences" in str(p) for p in load_catalog(courses_dir).problems)


def test_the_real_framework_names_and_describes_everything_in_five_languages():
    data = yaml.safe_load((REAL_COURSES / "competences.yml").read_text(encoding="utf-8"))
    assert set(data["name"]) == set(LANGUAGES)
    assert len(data["areas"]) == 5
    entries = [entry for area in data["areas"] for entry in (area, *area["competences"])]
    assert len(entries) >= 18
    for entry in entries:
        assert set(entry["name"]) == set(LANGUAGES) == set(entry["description"]), entry["id"]


def test_the_real_courses_develop_known_competences_and_every_competence_is_developed():
    catalog = load_catalog(REAL_COURSES)
    assert catalog.errors == ()
    assert any(course.all_competences for course in catalog.courses.values())
    developed = {c for course in catalog.courses.values() for c in course.all_competences}
    assert developed == set(catalog.framework.competences)  # every competence is developed by some course
    assert Path(REAL_COURSES / "competences.yml").is_file()
