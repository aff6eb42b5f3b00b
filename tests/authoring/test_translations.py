"""Translations beside the original: the overview's missing and out-of-date marks, and the side-by-side editor."""
import re

import pytest

from app.authoring import translations

EDITOR = "/authoring/sample-course"
SAVING = "01-basics/02-saving.md"
WELCOME = "01-basics/01-welcome.md"
QUIZ = "01-basics/03-check.quiz.md"
HIDDEN = r'name="{}" type="hidden" value="([0-9a-f]*)"'


def mark(client, name, language):
    """The overview's mark for one page in one language."""
    page = client.get(f"{EDITOR}/translations").get_data(as_text=True)
    row = re.search(rf"<code dir=\"ltr\">{re.escape(name)}</code></th>(.*?)</tr>", page, re.S).group(1)
    link = f"/translate/{language}/{name}"
    return re.search(rf'<td class="translation-(\w+)"><a href="[^"]*{re.escape(link)}">', row).group(1)


def translate(client, name, language, text, base=None):
    page = client.get(f"{EDITOR}/translate/{language}/{name}").get_data(as_text=True)
    found_base = re.search(HIDDEN.format("base"), page).group(1)
    original = re.search(HIDDEN.format("original"), page).group(1)
    return client.post(f"{EDITOR}/translate/{language}/{name}",
                       data={"text": text, "base": found_base if base is None else base, "original": original})


def edit(client, name, text):
    page = client.get(f"{EDITOR}/edit/{name}").get_data(as_text=True)
    base = re.search(r'name="base" type="hidden" value="([0-9a-f]+)"', page).group(1)
    assert client.post(f"{EDITOR}/edit/{name}", data={"text": text, "base": base}).status_code == 302


SAVING_AR = "---\ntitle: الادخار\n---\n\n## كيف تدّخر {#how-to-save}\n\nضع جانبًا قليلًا كل أسبوع.\n"


def test_the_overview_marks_missing_and_never_compared_translations(trainer):
    assert mark(trainer, SAVING, "it") == "missing"
    assert mark(trainer, WELCOME, "it") == "unknown"
    assert mark(trainer, "course.md", "it") == "unknown"
    page = trainer.get(f"{EDITOR}/translations").get_data(as_text=True)
    assert '<th scope="col" lang="ar" dir="rtl">العربية</th>' in page
    assert '<th scope="col" lang="en"' not in page  # the original's language has no column


def test_a_saved_translation_is_up_to_date_until_its_original_changes(trainer, draft):
    original = (draft / SAVING).read_text()
    assert translate(trainer, SAVING, "ar", SAVING_AR).status_code == 302
    saved = (draft / "01-basics" / "02-saving.ar.md").read_text()
    assert f'original_hash: "{translations.original_hash(original)}"' in saved
    assert mark(trainer, SAVING, "ar") == "current"
    assert mark(trainer, SAVING, "it") == "missing"
    edit(trainer, SAVING, original.replace("every week", "every day"))
    assert mark(trainer, SAVING, "ar") == "outdated"
    page = trainer.get(f"{EDITOR}/translate/ar/{SAVING}").get_data(as_text=True)
    assert "The original changed after the translation was last saved here" in page
    assert "every day" in page and "ضع جانبًا" in page
    assert "original_hash" not in page.split("<textarea", 1)[1]  # the record is kept out of the trainer's way
    translate(trainer, SAVING, "ar", SAVING_AR)
    assert mark(trainer, SAVING, "ar") == "current"
    edit(trainer, SAVING, original)  # the original back as it was: the first record matches again
    assert mark(trainer, SAVING, "ar") == "outdated"


def test_the_draft_with_recorded_translations_has_no_problems_and_publishes(trainer, draft, app):
    translate(trainer, SAVING, "ar", SAVING_AR)
    quiz = translations.first_draft((draft / QUIZ).read_text())
    assert translate(trainer, QUIZ, "it", quiz.replace("Check the basics", "Verifica le basi")).status_code == 302
    course = trainer.get(f"{EDITOR}/").get_data(as_text=True)
    assert "No problems found in the course files." in course
    assert trainer.post(f"{EDITOR}/publish", data={"message": "Arabic saving"}).status_code == 302
    assert "ضع جانبًا" in trainer.get("/courses/sample-course/basics/saving?lang=ar").get_data(as_text=True)


def test_out_of_date_marks_survive_publishing_and_rollback(trainer, draft, courses_dir):
    original = (draft / SAVING).read_text()
    translate(trainer, SAVING, "ar", SAVING_AR)
    trainer.post(f"{EDITOR}/publish", data={"message": "Arabic saving"})
    first = courses_dir / "sample-course"
    assert translations.state(first, SAVING, "ar") == "current"
    edit(trainer, SAVING, original.replace("every week", "every day"))
    trainer.post(f"{EDITOR}/publish", data={"message": "Every day"})
    assert translations.state(first, SAVING, "ar") == "outdated"
    log = trainer.get(f"{EDITOR}/").get_data(as_text=True)
    older = re.findall(r"/changes/([0-9a-f]{40})", log)[1]
    assert trainer.post(f"{EDITOR}/rollback/{older}").status_code == 302
    assert translations.state(first, SAVING, "ar") == "current"
    trainer.post(f"{EDITOR}/discard")
    trainer.post(f"{EDITOR}/draft")
    assert mark(trainer, SAVING, "ar") == "current"


def test_the_translation_sits_beside_the_original_in_its_own_direction(trainer):
    page = trainer.get(f"{EDITOR}/translate/ar/{SAVING}").get_data(as_text=True)
    assert '<div class="side-by-side">' in page
    assert re.search(r'<pre class="source" lang="en" dir="ltr">---\ntitle: Saving', page)
    assert re.search(r'<textarea name="text" id="text" lang="ar" dir="rtl"', page)
    assert "minutes" not in page.split("<textarea", 1)[1].split("</textarea>")[0]  # only keys a translation takes
    arabic = trainer.get(f"{EDITOR}/translate/it/{SAVING}?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in arabic and 'lang="it" dir="ltr"' in arabic


def test_a_concurrent_translation_is_never_lost_silently(trainer, draft):
    page = trainer.get(f"{EDITOR}/translate/it/{SAVING}").get_data(as_text=True)
    stale = re.search(HIDDEN.format("base"), page).group(1)
    translate(trainer, SAVING, "it", "---\ntitle: Risparmiare\n---\n\nPRIMA\n")
    response = translate(trainer, SAVING, "it", "SECONDA", base=stale)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Someone else saved this file" in html and "PRIMA" in html
    assert "PRIMA" in (draft / "01-basics" / "02-saving.it.md").read_text()


@pytest.mark.parametrize("url", [f"translate/ar/{WELCOME.replace('.md', '.it.md')}", f"translate/en/{SAVING}",
                                 f"translate/xx1/{SAVING}", "translate/ar/01-basics/images/budget.png",
                                 "translate/ar/..%2f..%2fsample-course/course.md", "translate/ar/01-basics/missing.md"])
def test_only_originals_of_the_draft_can_be_translated(trainer, url):
    assert trainer.get(f"{EDITOR}/{url}").status_code == 404
    assert trainer.post(f"{EDITOR}/{url}", data={"text": "x", "base": "", "original": ""}).status_code == 404


def test_without_a_draft_the_overview_shows_the_live_course_read_only(trainer):
    trainer.post(f"{EDITOR}/discard")
    page = trainer.get(f"{EDITOR}/translations").get_data(as_text=True)
    assert "Start a draft to edit its translations." in page and "/translate/" not in page
    assert trainer.get(f"{EDITOR}/translate/ar/{SAVING}").status_code == 404


def test_a_trainer_without_permission_gets_403(app, client, auth, draft):
    auth.logout()
    auth.as_new_user("otto", role="trainer", display_name="Otto Other")
    assert client.get(f"{EDITOR}/translations").status_code == 403
    assert client.get(f"{EDITOR}/translate/ar/{SAVING}").status_code == 403
    response = client.post(f"{EDITOR}/translate/ar/{SAVING}", data={"text": "x", "base": "", "original": ""})
    assert response.status_code == 403 and not (draft / "01-basics" / "02-saving.ar.md").exists()


def test_the_record_is_added_and_replaced_in_the_front_matter():
    assert translations.with_record("No front matter.\n", "0123456789ab") == \
        '---\noriginal_hash: "0123456789ab"\n---\n\nNo front matter.\n'
    text = translations.with_record('---\ntitle: T\noriginal_hash: "aaaaaaaaaaaa"\n---\nBody', "0123456789ab")
    assert text == '---\ntitle: T\noriginal_hash: "0123456789ab"\n---\nBody'
    assert translations.without_record(text) == "---\ntitle: T\n---\nBody"


def test_the_overview_lists_pages_in_course_order(trainer):
    page = trainer.get(f"{EDITOR}/translations").get_data(as_text=True)
    listed = re.findall(r'<th scope="row"><code dir="ltr">([^<]+)</code>', page)
    assert listed == ["course.md", "01-basics/module.md", WELCOME, SAVING, QUIZ, "02-numbers/01-interest.md",
                      "02-numbers/02-check.quiz.md"]
