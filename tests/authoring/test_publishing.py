"""Drafts, publishing as git commits, history, diffs and rollback, through the editor's pages."""
import re
import subprocess
from pathlib import Path

import pytest

from sqlalchemy import func, select

from app.authoring import permissions
from app.catalog import get_catalog
from app.extensions import db
from app.organisations.models import AuditEvent

SAVING_FILE = "01-basics/02-saving.md"
SAVING = "/courses/sample-course/basics/saving"
EDITOR = "/authoring/sample-course"


def git_log(courses_dir):
    return subprocess.run(["git", "-C", str(courses_dir), "log", "--format=%an|%s", "--", "sample-course"],
                          capture_output=True, text=True, check=True).stdout.splitlines()


def edit(client, text, name=SAVING_FILE):
    page = client.get(f"{EDITOR}/edit/{name}").get_data(as_text=True)
    base = re.search(r'name="base" type="hidden" value="([0-9a-f]+)"', page).group(1)
    return client.post(f"{EDITOR}/edit/{name}", data={"text": text, "base": base})


def test_a_draft_is_not_live_until_published(trainer, courses_dir):
    assert edit(trainer, "---\ntitle: Saving\n---\n\nSave one coin a day.\n").status_code == 302
    assert "Save one coin a day." not in trainer.get(SAVING).get_data(as_text=True)
    response = trainer.post(f"{EDITOR}/publish", data={"message": "Simpler saving advice"})
    assert response.status_code == 302
    assert "Save one coin a day." in trainer.get(SAVING).get_data(as_text=True)
    assert git_log(courses_dir)[0] == "Tina Trainer|Simpler saving advice"


def test_publish_with_errors_is_refused_with_the_messages(trainer, app, courses_dir):
    live = get_catalog(app).course("sample-course").version
    edit(trainer, "---\ntitle: [oops\n---\n\nBroken.\n")
    response = trainer.post(f"{EDITOR}/publish", data={"message": "Oops"})
    assert response.status_code == 409
    assert "sample-course/01-basics/02-saving.md:2: error" in response.get_data(as_text=True)
    assert get_catalog(app).course("sample-course").version == live
    assert "Put a little aside every week." in trainer.get(SAVING).get_data(as_text=True)
    assert len(git_log(courses_dir)) == 1  # only the first commit of the existing files


def test_the_editor_shows_the_checker_message_beside_its_line(trainer):
    edit(trainer, "---\ntitle: Saving\nminutes: lots\n---\n\nText.\n")
    page = trainer.get(f"{EDITOR}/edit/{SAVING_FILE}").get_data(as_text=True)
    row = re.search(r'<li value="3"><code>minutes: lots</code>\s*<p class="error">(.*?)</p>', page, re.S)
    assert row and "minutes" in row.group(1)


def test_a_concurrent_edit_is_never_lost_silently(trainer):
    page = trainer.get(f"{EDITOR}/edit/{SAVING_FILE}").get_data(as_text=True)
    stale_base = re.search(r'name="base" type="hidden" value="([0-9a-f]+)"', page).group(1)
    edit(trainer, "---\ntitle: Saving\n---\n\nFIRST TRAINER'S TEXT\n")
    response = trainer.post(f"{EDITOR}/edit/{SAVING_FILE}", data={"text": "SECOND TEXT", "base": stale_base})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Someone else saved this file" in html
    assert "FIRST TRAINER&#39;S TEXT" in html and "SECOND TEXT" in html
    saved = Path(trainer.application.instance_path) / "drafts" / "sample-course" / SAVING_FILE
    assert "FIRST TRAINER'S TEXT" in saved.read_text()


def test_history_diff_and_rollback(trainer, app, courses_dir):
    edit(trainer, "---\ntitle: Saving\n---\n\nVersion two.\n")
    trainer.post(f"{EDITOR}/publish", data={"message": "Version two"})
    edit(trainer, "---\ntitle: Saving\n---\n\nVersion three.\n")
    trainer.post(f"{EDITOR}/publish", data={"message": "Version three"})
    page = trainer.get(f"{EDITOR}/").get_data(as_text=True)
    commits = re.findall(r'/authoring/sample-course/changes/([0-9a-f]{40})', page)
    assert len(commits) == 3
    diff = trainer.get(f"{EDITOR}/changes/{commits[0]}").get_data(as_text=True)
    assert "<del>-Version two.</del>" in diff and "<ins>+Version three.</ins>" in diff
    assert trainer.post(f"{EDITOR}/rollback/{commits[1]}").status_code == 302
    assert "Version two." in trainer.get(SAVING).get_data(as_text=True)
    assert git_log(courses_dir)[0].startswith(f"Tina Trainer|Roll back to {commits[1][:10]}")
    # the draft began before the rollback: publishing it would undo the rollback, so it is refused
    trainer.post(f"{EDITOR}/publish", data={"message": "Stale"})
    assert "Version two." in trainer.get(SAVING).get_data(as_text=True)


def test_unknown_commits_and_files_are_404(trainer):
    assert trainer.get(f"{EDITOR}/changes/{'0' * 40}").status_code == 404
    assert trainer.post(f"{EDITOR}/rollback/{'0' * 40}").status_code == 404
    assert trainer.get(f"{EDITOR}/edit/../../paths.yml").status_code == 404
    assert trainer.get(f"{EDITOR}/edit/01-basics/images/budget.png").status_code == 404
    assert trainer.get("/authoring/no-such-course/").status_code == 403  # not granted: same answer as a real one


EDITOR_URLS = [("get", "/authoring/"), ("get", f"{EDITOR}/"), ("post", f"{EDITOR}/draft"),
               ("post", f"{EDITOR}/discard"), ("get", f"{EDITOR}/edit/{SAVING_FILE}"),
               ("post", f"{EDITOR}/edit/{SAVING_FILE}"), ("get", f"{EDITOR}/preview/basics/saving"),
               ("post", f"{EDITOR}/publish"), ("get", f"{EDITOR}/changes/{'0' * 40}"),
               ("post", f"{EDITOR}/rollback/{'0' * 40}")]


@pytest.mark.parametrize("role", ["learner", "trainer"])
@pytest.mark.parametrize("method,url", EDITOR_URLS[1:] + [("post", f"{EDITOR}/editors")])
def test_403_on_every_editor_url_without_permission_on_the_course(client, auth, role, method, url):
    auth.as_new_user("amina", role=role)
    assert getattr(client, method)(url).status_code == 403


def test_the_editor_lists_only_the_courses_a_trainer_may_edit(trainer, client, auth):
    assert "/authoring/sample-course/" in trainer.get("/authoring/").get_data(as_text=True)
    auth.logout()
    auth.as_new_user("otto", role="trainer")
    assert "/authoring/sample-course/" not in client.get("/authoring/").get_data(as_text=True)
    assert client.get("/authoring/").status_code == 200


def test_admins_grant_and_revoke_the_right_to_edit(app, client, auth, make_user):
    otto = make_user("otto", role="trainer", display_name="Otto")
    auth.as_new_user("ada", role="admin")
    page = client.get(f"{EDITOR}/").get_data(as_text=True)
    assert f'<option value="{otto}">Otto (otto)</option>' in page
    client.post(f"{EDITOR}/editors", data={"user": str(otto)})
    client.post(f"{EDITOR}/editors", data={"user": str(otto)})  # a double submit grants once
    with app.app_context():
        assert [u.username for u in permissions.editors("sample-course")] == ["otto"]
        assert db.session.scalar(select(func.count(AuditEvent.id)).filter_by(action="course_editor_added")) == 1
    client.post(f"{EDITOR}/editors/{otto}/remove")
    with app.app_context():
        assert permissions.editors("sample-course") == []
