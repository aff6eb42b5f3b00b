"""The courses of `make bench-cluster`: two small courses with certificates, each with lessons and two quizzes,
and the answers a learner gives to pass them."""
from pathlib import Path

COURSES = ("cluster-alpha", "cluster-beta")
#: what a passing learner answers: the text of the right option, or the value typed
ANSWERS = {"capital": ("option", "Rome"), "boils": ("value", "true"), "product": ("value", "42")}
#: the text a publish changes, and what it becomes: the course-reload signal must bring it to every server
PUBLISHED_LESSON = ("cluster-alpha", "01-start/02-saving.md")
PUBLISHED_TEXT = "A sentence published while the cluster runs."

_PARAGRAPH = ("Put a little money aside every week, even a small amount. Write down what comes in and what goes "
              "out, and look at the list at the end of the month: it shows where the money went. ") * 6

_QUIZ = """---
title: {title}
pass_mark: 100
attempts: 5
shuffle: true
---

Answer all the questions.

## Which city is the capital of Italy? {{#capital}}

- (x) Rome
- ( ) Milan
- ( ) Naples

## Water boils at 100 °C at sea level. {{#boils}}

Answer: true

## How much is 6 × 7? {{#product}}

Answer: 42
"""


def lesson(title, text=_PARAGRAPH):
    return f"---\ntitle: {title}\nminutes: 3\n---\n\n## {title}\n\n{text}\n"


def write_courses(folder):
    """Write the bench courses into `folder` (created)."""
    for slug in COURSES:
        course = Path(folder) / slug
        for module in ("01-start", "02-more"):
            (course / module).mkdir(parents=True)
            (course / module / "module.md").write_text(f"---\ntitle: Module {module[-4:]}\n---\n\nWhat it covers.\n")
        (course / "course.md").write_text(
            f"---\ntitle: Course {slug}\nsummary: A course of the cluster bench.\naudience: both\nlevel: beginner\n"
            "minutes: 20\nlanguage: en\ncertificate: true\n---\n\nA course of the cluster bench.\n")
        (course / "01-start" / "01-welcome.md").write_text(lesson("Welcome"))
        (course / "01-start" / "02-saving.md").write_text(lesson("Saving"))
        (course / "01-start" / "03-check.quiz.md").write_text(_QUIZ.format(title="First check"))
        (course / "02-more" / "01-interest.md").write_text(lesson("Interest"))
        (course / "02-more" / "02-budget.md").write_text(lesson("Budget"))
        (course / "02-more" / "03-final.quiz.md").write_text(_QUIZ.format(title="Final check"))
