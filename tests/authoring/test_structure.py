"""New courses from the template, and modules, lessons and quizzes added, renamed, reordered and deleted."""
import html
import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from app.authoring import structure
from app.catalog import get_catalog
from app.extensions import db
from app.models import LessonProgress, User
from tests.authoring.test_publishing import EDITOR, edit


def draft(client, *parts):
    return Path(client.application.instance_path, "drafts", "sample-course", *parts)


def names(folder):
    return sorted(p.name for p in Path(folder).iterdir())


def draft_problems(client, slug="sample-course"):
    page = client.get(f"/authoring/{slug}/").get_data(as_text=True)
    return re.findall(r'<li class="(error|warning)"><code>(.*?)</code>', page)


def test_a_new_course_from_the_template_is_a_draft_until_published(trainer, app, courses_dir):
    assert trainer.get("/authoring/new").status_code == 200
    response = trainer.post("/authoring/new", data={"title": "Money for newcomers", "slug": "money-basics"})
    assert response.status_code == 302 and response.location.endswith("/authoring/money-basics/structure")
    assert not (courses_dir / "money-basics").exists()
    assert trainer.get("/courses/money-basics").status_code == 404
    page = trainer.get("/authoring/").get_data(as_text=True)
    assert "/authoring/money-basics/" in page and "new course, not published yet" in page
    outline = trainer.get("/authoring/money-basics/structure").get_data(as_text=True)
    assert "First steps" in outline and "Welcome" in outline and "Check your first steps" in outline
    assert draft_problems(trainer, "money-basics") == []
    assert trainer.post("/authoring/money-basics/publish", data={"message": "First version"}).status_code == 302
    assert get_catalog(app).course("money-basics").texts["en"].title == "Money for newcomers"
    assert "Check your first steps" in trainer.get("/courses/money-basics").get_data(as_text=True)


def test_a_new_course_with_errors_is_not_published(trainer, courses_dir):
    trainer.post("/authoring/new", data={"title": "Broken", "slug": "broken-course"})
    page = trainer.get("/authoring/broken-course/edit/01-first-steps/01-welcome.md").get_data(as_text=True)
    base = re.search(r'name="base" type="hidden" value="([0-9a-f]+)"', page).group(1)
    trainer.post("/authoring/broken-course/edit/01-first-steps/01-welcome.md",
                 data={"text": "---\ntitle: [oops\n---\n", "base": base})
    response = trainer.post("/authoring/broken-course/publish", data={"message": "Try"})
    assert response.status_code == 409
    assert "broken-course/01-first-steps/01-welcome.md:2: error" in response.get_data(as_text=True)
    assert not (courses_dir / "broken-course").exists()
    assert trainer.get("/courses/broken-course").status_code == 404


@pytest.mark.parametrize("slug,message", [
    ("Bad Slug", "Use lowercase letters"), ("sample-course", "already used"), ("a--b", "Use lowercase letters"),
    ("x" * 61, "longer than 60"),
])
def test_the_slug_of_a_new_course_is_validated(trainer, slug, message):
    response = trainer.post("/authoring/new", data={"title": "Some title", "slug": slug})
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_the_slug_is_made_from_the_title_when_left_empty(trainer):
    response = trainer.post("/authoring/new", data={"title": "Small Business: First Steps!", "slug": ""})
    assert response.location.endswith("/authoring/small-business-first-steps/structure")
    # a title with no Latin letters needs a slug typed by the trainer
    assert trainer.post("/authoring/new", data={"title": "الادخار", "slug": ""}).status_code == 422


def test_a_trainer_may_discard_a_new_course_and_its_slug_is_free_again(trainer):
    trainer.post("/authoring/new", data={"title": "Gone", "slug": "gone"})
    assert trainer.post("/authoring/gone/discard").location.endswith("/authoring/")
    assert trainer.get("/authoring/gone/").status_code == 404
    assert trainer.post("/authoring/new", data={"title": "Gone", "slug": "gone"}).status_code == 302


def test_add_a_module_with_a_lesson_and_a_quiz(trainer):
    response = trainer.post(f"{EDITOR}/modules", data={"module-title": "Loans", "module-slug": ""})
    assert response.status_code == 302
    assert (draft(trainer, "03-loans", "module.md")).read_text().startswith("---\ntitle: Loans\n---")
    response = trainer.post(f"{EDITOR}/modules/loans/items",
                            data={"add-loans-kind": "lesson", "add-loans-title": "What a loan costs",
                                  "add-loans-slug": "loan-cost"})
    assert response.location.endswith(f"{EDITOR}/edit/03-loans/01-loan-cost.md")
    trainer.post(f"{EDITOR}/modules/loans/items", data={"add-loans-kind": "quiz", "add-loans-title": "Loans: a check",
                                                         "add-loans-slug": ""})
    assert names(draft(trainer, "03-loans")) == ["01-loan-cost.md", "02-loans-a-check.quiz.md", "module.md"]
    assert 'title: "Loans: a check"' in draft(trainer, "03-loans", "02-loans-a-check.quiz.md").read_text()
    assert draft_problems(trainer) == []
    again = trainer.post(f"{EDITOR}/modules/loans/items",
                         data={"add-loans-kind": "lesson", "add-loans-title": "x", "add-loans-slug": "loan-cost"})
    assert again.status_code == 422 and "already used" in again.get_data(as_text=True)


def test_moving_a_lesson_renumbers_its_files_with_translations_and_rewrites_links(trainer):
    assert trainer.post(f"{EDITOR}/modules/basics/items/welcome/down").status_code == 302
    assert names(draft(trainer, "01-basics")) == [
        "01-saving.md", "02-welcome.it.md", "02-welcome.md", "03-check.quiz.md", "images", "module.md"]
    assert "[the next lesson](01-saving.md#how-to-save)" in draft(trainer, "01-basics", "02-welcome.md").read_text()
    assert "[la prossima lezione](01-saving.md#how-to-save)" in draft(trainer, "01-basics", "02-welcome.it.md").read_text()
    assert "(01-basics/02-welcome.md)" in draft(trainer, "course.md").read_text()
    assert "![A budget sheet](images/budget.png)" in draft(trainer, "01-basics", "02-welcome.md").read_text()
    assert draft_problems(trainer) == []
    trainer.post(f"{EDITOR}/modules/basics/items/saving/up")  # already first: nothing moves
    assert names(draft(trainer, "01-basics"))[0] == "01-saving.md"


def test_moving_a_module_renames_its_folder_and_the_links_into_it(trainer):
    trainer.post(f"{EDITOR}/modules/basics/down")
    assert [n for n in names(draft(trainer)) if n[0].isdigit()] == ["01-numbers", "02-basics"]
    assert "(02-basics/01-welcome.md)" in draft(trainer, "course.md").read_text()
    assert draft_problems(trainer) == []
    trainer.post(f"{EDITOR}/publish", data={"message": "Numbers first"})
    course = get_catalog(trainer.application).course("sample-course")
    assert [module.slug for module in course.modules] == ["numbers", "basics"]


def test_renaming_a_title_keeps_the_slug_and_a_new_slug_renames_every_translation(trainer):
    page = trainer.get(f"{EDITOR}/modules/basics/items/welcome/rename").get_data(as_text=True)
    assert 'value="Welcome"' in page and 'value="welcome"' in page
    trainer.post(f"{EDITOR}/modules/basics/items/welcome/rename", data={"title": "Hello: start here", "slug": "welcome"})
    assert 'title: "Hello: start here"' in draft(trainer, "01-basics", "01-welcome.md").read_text()
    assert "title: Benvenuti" in draft(trainer, "01-basics", "01-welcome.it.md").read_text()
    trainer.post(f"{EDITOR}/modules/basics/items/welcome/rename", data={"title": "Hello", "slug": "hello"})
    assert names(draft(trainer, "01-basics"))[:2] == ["01-hello.it.md", "01-hello.md"]
    assert "(01-basics/01-hello.md)" in draft(trainer, "course.md").read_text()
    assert draft_problems(trainer) == []


def test_renaming_a_slug_learners_have_records_for_asks_first(trainer, app):
    with app.app_context():
        learner = db.session.scalar(select(User).filter_by(username="tina"))
        db.session.add(LessonProgress(user_id=learner.id, course_slug="sample-course", lesson_key="basics/saving"))
        db.session.commit()
    page = trainer.get(f"{EDITOR}/modules/basics/items/saving/rename").get_data(as_text=True)
    assert "1 learner has progress or quiz attempts recorded" in page
    response = trainer.post(f"{EDITOR}/modules/basics/items/saving/rename", data={"title": "Saving", "slug": "save"})
    assert response.status_code == 422 and "Tick the box" in response.get_data(as_text=True)
    assert draft(trainer, "01-basics", "02-saving.md").is_file()
    trainer.post(f"{EDITOR}/modules/basics/items/saving/rename", data={"title": "Saving", "slug": "save", "confirm": "y"})
    assert draft(trainer, "01-basics", "02-save.md").is_file()
    # a module's records are every record under its slug
    assert "1 learner has" in trainer.get(f"{EDITOR}/modules/basics/rename").get_data(as_text=True)
    assert "learner has" not in trainer.get(f"{EDITOR}/modules/numbers/rename").get_data(as_text=True)


def test_renaming_a_module_slug_renames_its_folder(trainer):
    trainer.post(f"{EDITOR}/modules/numbers/rename", data={"title": "Counting", "slug": "counting"})
    assert "02-counting" in names(draft(trainer))
    assert "title: Counting" in draft(trainer, "02-counting", "module.md").read_text()
    taken = trainer.post(f"{EDITOR}/modules/counting/rename", data={"title": "Counting", "slug": "basics"})
    assert taken.status_code == 422 and "02-counting" in names(draft(trainer))


def test_deleting_asks_first_and_then_removes_the_item_with_its_translations(trainer):
    page = trainer.get(f"{EDITOR}/modules/basics/items/welcome/delete").get_data(as_text=True)
    assert "01-basics/01-welcome.it.md" in page and "01-basics/01-welcome.md" in page
    assert draft(trainer, "01-basics", "01-welcome.md").is_file()  # asking changed nothing
    trainer.post(f"{EDITOR}/modules/basics/items/welcome/delete")
    assert names(draft(trainer, "01-basics")) == ["01-saving.md", "02-check.quiz.md", "images", "module.md"]
    trainer.post(f"{EDITOR}/modules/numbers/delete")
    assert [n for n in names(draft(trainer)) if n[0].isdigit()] == ["01-basics"]
    # the link from course.md to the deleted lesson is now an error the checker names
    assert any("course.md" in problem for _level, problem in draft_problems(trainer))


def test_structure_changes_are_drafts_published_together(trainer, courses_dir):
    trainer.post(f"{EDITOR}/modules/basics/items/saving/up")
    trainer.post(f"{EDITOR}/modules", data={"module-title": "Later", "module-slug": "later"})
    trainer.post(f"{EDITOR}/modules/later/items", data={"add-later-kind": "lesson", "add-later-title": "Soon",
                                                         "add-later-slug": ""})
    assert (courses_dir / "sample-course/01-basics/02-saving.md").is_file()  # learners still get the old order
    trainer.post(f"{EDITOR}/publish", data={"message": "Saving first, and a module for later"})
    assert (courses_dir / "sample-course/01-basics/01-saving.md").is_file()
    assert (courses_dir / "sample-course/03-later/01-soon.md").is_file()
    changed = subprocess.run(["git", "-C", str(courses_dir), "show", "--stat", "--format=%s", "HEAD"],
                             capture_output=True, text=True, check=True).stdout
    assert "Saving first" in changed and "03-later/01-soon.md" in changed


def test_the_live_preview_renders_the_text_as_learners_see_it_without_saving(trainer):
    before = draft(trainer, "01-basics", "02-saving.md").read_text()
    response = trainer.post(f"{EDITOR}/live-preview/01-basics/02-saving.md",
                            data={"text": "---\ntitle: Saving\n---\n\nKeep **one coin** <script>alert(1)</script>\n"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<strong>one coin</strong>" in html and "<script>" not in html
    assert draft(trainer, "01-basics", "02-saving.md").read_text() == before
    broken = trainer.post(f"{EDITOR}/live-preview/01-basics/02-saving.md",
                          data={"text": "---\ntitle: Saving\nminutes: lots\n---\n\nText\n"}).get_data(as_text=True)
    assert re.search(r'<li class="error" data-line="3">Line 3: error: [^<]*minutes', broken)


def test_the_live_preview_needs_the_csrf_token(app, trainer):
    app.config["WTF_CSRF_ENABLED"] = True
    assert trainer.post(f"{EDITOR}/live-preview/01-basics/02-saving.md", data={"text": "x"}).status_code == 400


def test_saving_a_file_renamed_meanwhile_keeps_the_text_on_screen(trainer):
    page = trainer.get(f"{EDITOR}/edit/01-basics/02-saving.md").get_data(as_text=True)
    base = re.search(r'name="base" type="hidden" value="([0-9a-f]+)"', page).group(1)
    trainer.post(f"{EDITOR}/modules/basics/items/saving/up")  # another trainer reorders meanwhile
    response = trainer.post(f"{EDITOR}/edit/01-basics/02-saving.md", data={"text": "MY NEW TEXT", "base": base})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "renamed, moved or deleted" in html and "MY NEW TEXT" in html


def test_the_editor_page_loads_its_script_from_this_site_only(trainer):
    page = trainer.get(f"{EDITOR}/edit/01-basics/02-saving.md").get_data(as_text=True)
    scripts = re.findall(r"<script[^>]*>", page)
    assert any('src="/static/js/editor.js' in tag for tag in scripts)
    assert all(re.search(r'src="/[^/]', tag) for tag in scripts)
    script = trainer.get("/static/js/editor.js")
    script.close()
    assert script.status_code == 200 and script.mimetype == "text/javascript"


STRUCTURE_URLS = [("get", f"{EDITOR}/structure"), ("post", f"{EDITOR}/modules"),
                  ("post", f"{EDITOR}/modules/basics/items"), ("post", f"{EDITOR}/modules/basics/up"),
                  ("post", f"{EDITOR}/modules/basics/items/saving/down"), ("get", f"{EDITOR}/modules/basics/rename"),
                  ("post", f"{EDITOR}/modules/basics/items/saving/rename"),
                  ("get", f"{EDITOR}/modules/basics/delete"), ("post", f"{EDITOR}/modules/basics/items/saving/delete"),
                  ("post", f"{EDITOR}/live-preview/01-basics/02-saving.md")]


@pytest.mark.parametrize("method,url", STRUCTURE_URLS)
def test_403_on_every_structure_url_without_permission_on_the_course(client, auth, method, url):
    auth.as_new_user("otto", role="trainer")
    assert getattr(client, method)(url).status_code == 403


def test_learners_may_not_create_courses(client, auth):
    auth.as_new_user("amina")
    assert client.post("/authoring/new", data={"title": "Mine", "slug": "mine"}).status_code == 403


@pytest.mark.parametrize("url", [f"{EDITOR}/modules/nope/up", f"{EDITOR}/modules/basics/items/nope/down",
                                 f"{EDITOR}/modules/nope/delete", f"{EDITOR}/modules/basics/items/nope/rename"])
def test_unknown_modules_and_items_are_404(trainer, url):
    assert trainer.post(url).status_code == 404


def test_a_structure_change_that_collides_with_another_is_refused_with_a_message(trainer, monkeypatch):
    page = trainer.get(f"{EDITOR}/modules/basics/items/saving/rename")
    assert page.status_code == 200
    # the other trainer deletes the lesson between this page and the submit: the files are gone
    monkeypatch.setattr("app.authoring.structure.find_item", lambda *args: structure.Entry(
        "saving", "lesson", "Saving", {None: "01-basics/09-gone.md"}))
    response = trainer.post(f"{EDITOR}/modules/basics/items/saving/rename", data={"title": "S", "slug": "s"})
    assert response.status_code == 302 and response.location.endswith(f"{EDITOR}/structure")
    assert "changed the course&#39;s structure meanwhile" in trainer.get(response.location).get_data(as_text=True)
    assert draft(trainer, "01-basics", "02-saving.md").is_file()


@pytest.mark.parametrize("title", ["2024", "true", "Loans: a check", "A #1 plan", "- dash", "الادخار", 'Say "hi"'])
def test_any_title_is_written_so_that_it_reads_back_the_same(trainer, title):
    trainer.post(f"{EDITOR}/modules/basics/items/saving/rename", data={"title": title, "slug": "saving"})
    assert draft_problems(trainer) == []
    page = trainer.get(f"{EDITOR}/modules/basics/items/saving/rename").get_data(as_text=True)
    assert html.unescape(re.search(r'id="title"[^>]*value="([^"]*)"', page).group(1)) == title


def test_the_live_preview_shows_the_drafts_pictures(trainer):
    html = trainer.post(f"{EDITOR}/live-preview/01-basics/02-saving.md",
                        data={"text": "---\ntitle: Saving\n---\n\n![A budget](images/budget.png)\n"}).get_data(as_text=True)
    assert 'src="/draft-preview/sample-course/assets/01-basics/images/budget.png"' in html
    picture = trainer.get("/draft-preview/sample-course/assets/01-basics/images/budget.png")
    picture.close()
    assert picture.status_code == 200
