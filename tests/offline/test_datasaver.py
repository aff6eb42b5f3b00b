"""Data saver: images only on request (a plain link works without JavaScript), no preloading, page weight."""
import re

from sqlalchemy import select

from app.catalog import reload
from app.extensions import db
from app.models import User

LESSON = "/courses/sample-course/basics/welcome"
IMAGE = "/courses/sample-course/assets/01-basics/images/budget.png"


def test_images_load_by_default(client):
    page = client.get(LESSON).get_data(as_text=True)
    assert re.search(rf'<img [^>]*src="{IMAGE}"', page)


def test_the_browsers_save_data_header_turns_images_into_links(client, courses_dir):
    page = client.get(LESSON, headers={"Save-Data": "on"}).get_data(as_text=True)
    size = (courses_dir / "sample-course/01-basics/images/budget.png").stat().st_size
    assert "<img" not in page
    link = re.search(r'<a class="image-on-request" href="([^"]+)"[^>]*>([^<]+)</a>', page)
    assert link.group(1) == IMAGE
    assert link.group(2) == f"Show image: A budget sheet ({max(1, round(size / 1000))} KB)"
    with client.get(link.group(1)) as image:
        assert image.status_code == 200
    shown = client.get(LESSON + "?images=show", headers={"Save-Data": "on"}).get_data(as_text=True)
    assert re.search(rf'<img [^>]*src="{IMAGE}"', shown)


def test_the_account_setting_turns_the_data_saver_on_and_off(client, auth, app):
    auth.as_new_user()
    response = client.post("/offline/data-saver", data={"data_saver": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.data_saver)) is True
    page = client.get(LESSON).get_data(as_text=True)
    assert "<img" not in page and 'class="image-on-request"' in page
    assert "checked" in client.get("/offline").get_data(as_text=True)
    client.post("/offline/data-saver", data={})
    with app.app_context():
        assert db.session.scalar(select(User.data_saver)) is False
    assert "<img" in client.get(LESSON).get_data(as_text=True)


def test_the_setting_needs_an_account(client):
    response = client.post("/offline/data-saver", data={"data_saver": "y"})
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_media_are_never_preloaded_with_the_data_saver(client, courses_dir, app):
    audio = courses_dir / "sample-course/01-basics/hello.mp3"
    audio.write_bytes(b"ID3" + b"\0" * 2000)
    lesson = courses_dir / "sample-course/01-basics/02-saving.md"
    lesson.write_text(lesson.read_text() + '\n\n<audio src="hello.mp3" controls preload="auto"></audio>\n')
    reload(app)
    normal = client.get("/courses/sample-course/basics/saving").get_data(as_text=True)
    saving = client.get("/courses/sample-course/basics/saving", headers={"Save-Data": "on"}).get_data(as_text=True)
    assert "<audio" in normal and "autoplay" not in normal
    tags = re.findall(r"<audio[^>]*>", saving)
    assert tags and all('preload="none"' in tag and "preload=\"auto\"" not in tag for tag in tags)


def test_every_page_says_what_it_weighs(client, auth):
    for url in ("/", LESSON, "/offline", "/account/login"):
        response = client.get(url)
        weight = re.search(r"This page weighs (\d+) KB\.", response.get_data(as_text=True))
        assert weight, url
        assert int(weight.group(1)) == max(1, round(len(response.data) / 1000))
