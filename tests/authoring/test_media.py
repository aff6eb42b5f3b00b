"""Pictures and audio uploaded in the editor: checked by content, pictures made light, nothing kept on error."""
import io
import re
import struct
import zlib

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from app import create_app
from app.authoring import media
from app.extensions import db
from tests.conftest import make_config

EDITOR = "/authoring/sample-course"
PAGE = "01-basics/02-saving.md"
MEDIA = f"{EDITOR}/media/{PAGE}"
TOKEN = r'name="csrf_token"[^>]*value="([^"]+)"'


def phone_photo(width=4032, height=3024):
    """A JPEG like a phone's: noisy, large, lying on its side (EXIF orientation 6), with a GPS position."""
    red = Image.linear_gradient("L").resize((width, height))
    green = Image.effect_noise((width, height), 28)
    blue = Image.effect_noise((width // 4, height // 4), 60).resize((width, height))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (45.0, 4.0, 12.5), 3: "E", 4: (7.0, 41.0, 3.2)}
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    Image.merge("RGB", (red, green, blue)).save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def png_header_only(width, height):
    """A PNG that claims huge dimensions and holds almost nothing: a decompression bomb's shape."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))


def image_bytes(mode="RGB", size=(200, 100), colour="teal", fmt="PNG", **options):
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, fmt, **options)
    return out.getvalue()


def mp3_bytes(frames=40):
    """MPEG-1 layer III frames (128 kbit/s, 44.1 kHz) after an ID3 tag naming the recording's place."""
    frame = bytes([0xFF, 0xFB, 0x90, 0x00]) + bytes(413)
    title = b"\x03Recorded at Via Roma 12"
    tag = b"TIT2" + struct.pack(">I", len(title)) + b"\x00\x00" + title
    size = len(tag)
    synchsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    return b"ID3\x03\x00\x00" + synchsafe + tag + frame * frames


@pytest.fixture(scope="module")
def photo():
    return phone_photo()


def upload(client, data, filename, kind="image", description="", url=MEDIA, **fields):
    """Post the form as one in-memory body (the test client would leave a large one in an unclosed temporary file)."""
    body, length, boundary = stream_encode_multipart(
        {"kind": kind, "description": description, "upload": FileStorage(io.BytesIO(data), filename), **fields},
        use_tempfile=False)
    return client.post(url, data=body.read(), content_type=f"multipart/form-data; boundary={boundary}")


def files_of(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_a_phone_photo_becomes_a_light_upright_picture_without_metadata(trainer, draft, photo):
    assert len(photo) > 5_000_000
    response = upload(trainer, photo, "IMG_2031.JPG", description="Amina's [new] workshop")
    assert response.status_code == 302 and "uploaded=01-basics/images/img-2031.webp" in response.location
    stored = (draft / "01-basics" / "images" / "img-2031.webp").read_bytes()
    assert len(stored) <= 300 * 1024
    picture = Image.open(io.BytesIO(stored))
    assert picture.format == "WEBP" and picture.size == (960, 1280)  # turned upright, long side 1280
    assert not picture.getexif() and "exif" not in picture.info and "icc_profile" not in picture.info
    assert b"Exif" not in stored and b"PhoneMaker" not in stored
    page = trainer.get(response.location).get_data(as_text=True)
    assert "![Amina&#39;s (new) workshop](images/img-2031.webp)" in page


def test_a_graphic_with_few_colours_stays_a_lossless_png(trainer, draft):
    graphic = Image.new("RGB", (300, 200), "white")
    graphic.paste((200, 30, 30), (20, 20, 120, 120))
    out = io.BytesIO()
    graphic.save(out, "PNG")
    assert upload(trainer, out.getvalue(), "chart.png").status_code == 302
    stored = Image.open(draft / "01-basics" / "images" / "chart.png").convert("RGB")
    assert stored.size == (300, 200) and stored.getpixel((50, 50)) == (200, 30, 30)
    assert stored.getpixel((250, 150)) == (255, 255, 255)


def test_cmyk_and_transparent_pictures_are_converted(trainer, draft):
    assert upload(trainer, image_bytes("CMYK", fmt="JPEG", colour=(0, 255, 255, 0)), "print.jpg").status_code == 302
    assert upload(trainer, image_bytes("RGBA", colour=(0, 0, 0, 0)), "logo.png").status_code == 302
    cmyk = Image.open(draft / "01-basics" / "images" / "print.png")
    assert cmyk.convert("RGB").getpixel((5, 5))[0] > 200  # yellow stays yellow
    assert Image.open(draft / "01-basics" / "images" / "logo.png").convert("RGBA").getpixel((5, 5))[3] == 0


@pytest.mark.parametrize("data, filename, kind, message", [
    (image_bytes(), "song.mp3", "audio", "not audio we accept"),
    (b"Just some notes, not a picture.\n" * 10, "photo.jpg", "image", "not a picture we accept"),
    (image_bytes("RGB", (4000, 4000), fmt="GIF")[:300], "broken.gif", "image", "damaged"),
    (mp3_bytes()[:40], "cut.mp3", "audio", "damaged"),
    (png_header_only(100_000, 100_000), "bomb.png", "image", "too many pixels"),
    (png_header_only(9_000, 9_000), "big.png", "image", "too many pixels (at most 25 million)"),
])
def test_wrong_damaged_or_dangerous_files_are_refused_and_nothing_is_stored(trainer, draft, data, filename, kind,
                                                                            message):
    before = files_of(draft)
    response = upload(trainer, data, filename, kind)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert files_of(draft) == before


def test_animated_pictures_are_refused(trainer, draft):
    frames = [Image.new("RGB", (50, 50), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    response = upload(trainer, out.getvalue(), "dance.gif")
    assert response.status_code == 422 and "Animated pictures" in response.get_data(as_text=True)
    assert not (draft / "01-basics" / "images" / "dance.png").exists()


def test_a_picture_over_the_size_limit_is_refused_in_the_trainers_language(trainer, draft, monkeypatch):
    monkeypatch.setattr(media, "MAX_IMAGE_BYTES", 1024 * 1024)
    trainer.get("/?lang=it")
    response = upload(trainer, image_bytes("RGB", (800, 500), colour="red", fmt="BMP"), "big.png")
    assert response.status_code == 422
    assert "L&#39;immagine è più grande di 1 MB." in response.get_data(as_text=True)
    assert not (draft / "01-basics" / "images" / "big.png").exists()


def test_audio_is_checked_stripped_of_its_tags_and_comes_with_the_transcript_reminder(trainer, draft):
    data = mp3_bytes()
    response = upload(trainer, data, "Episode 3 (final).mp3", kind="audio", description="Radio Soglia, episode 3")
    assert response.status_code == 302
    stored = (draft / "01-basics" / "audio" / "episode-3-final.mp3").read_bytes()
    assert stored.startswith(b"\xff\xfb") and b"Via Roma" not in stored and len(stored) < len(data)
    page = trainer.get(response.location).get_data(as_text=True)
    assert "![Radio Soglia, episode 3](audio/episode-3-final.mp3)\n\n&gt; Transcript:" in page
    assert "cannot be published without it" in page


def test_a_picture_named_like_audio_is_still_a_picture(trainer, draft):
    assert upload(trainer, image_bytes(), "song.mp3", "image").status_code == 302
    assert (draft / "01-basics" / "images" / "song.png").is_file()
    assert not (draft / "01-basics" / "audio").exists()


@pytest.mark.parametrize("filename, stored", [
    ("../../../../etc/passwd.png", "01-basics/images/passwd.png"),
    ("..\\..\\course.md.png", "01-basics/images/course-md.png"),
    (".hidden.png", "01-basics/images/hidden.png"),
    ("صورة.png", "01-basics/images/picture.png"),
])
def test_file_names_are_made_safe_inside_the_folder_beside_the_page(trainer, draft, tmp_path, filename, stored):
    def visible():  # the test's whole tree but the database and lock files
        return {name for name in files_of(tmp_path) if ".db" not in name and not name.rsplit("/", 1)[-1].startswith(".")}
    everything = visible()
    assert upload(trainer, image_bytes(), filename).status_code == 302
    assert visible() - everything == {f"instance/drafts/sample-course/{stored}"}


def test_the_same_name_twice_keeps_both_files(trainer, draft):
    upload(trainer, image_bytes(colour="red"), "plan.png")
    upload(trainer, image_bytes(colour="blue"), "plan.png")
    assert (draft / "01-basics" / "images" / "plan.png").is_file()
    assert (draft / "01-basics" / "images" / "plan-2.png").is_file()


@pytest.mark.parametrize("name", ["../other/course.md", "%2e%2e/%2e%2e/x.md", "01-basics/images/budget.png",
                                  "01-basics/nothing.md"])
def test_pages_outside_the_draft_or_not_text_are_not_found(trainer, name):
    assert trainer.get(f"{EDITOR}/media/{name}").status_code == 404
    assert upload(trainer, image_bytes(), "x.png", url=f"{EDITOR}/media/{name}").status_code == 404


def test_the_media_page_lists_the_drafts_files_with_their_markdown(trainer, draft):
    upload(trainer, mp3_bytes(), "talk.mp3", kind="audio")
    page = trainer.get(f"{EDITOR}/media/course.md").get_data(as_text=True)
    assert "![Describe what the picture shows](01-basics/images/budget.png)" in page
    assert "![Title of the recording](01-basics/audio/talk.mp3)" in page
    served = trainer.get("/draft-preview/sample-course/assets/01-basics/audio/talk.mp3")
    served.close()
    assert served.status_code == 200 and served.mimetype == "audio/mpeg"
    assert trainer.get("/draft-preview/sample-course/assets/01-basics/02-saving.md").status_code == 404
    assert trainer.get("/draft-preview/sample-course/assets/..%2f..%2fcourse.md").status_code == 404


def test_the_editor_links_to_the_upload_page(trainer):
    assert MEDIA in trainer.get(f"{EDITOR}/edit/{PAGE}").get_data(as_text=True)


def test_without_a_draft_there_is_nothing_to_upload_into(trainer):
    trainer.post(f"{EDITOR}/discard")
    assert trainer.get(MEDIA).status_code == 404


def test_a_trainer_without_permission_gets_403_everywhere(app, client, auth, draft):
    auth.logout()
    auth.as_new_user("otto", role="trainer", display_name="Otto Other")
    assert client.get(MEDIA).status_code == 403
    assert upload(client, image_bytes(), "x.png").status_code == 403
    assert client.get("/draft-preview/sample-course/assets/01-basics/images/budget.png").status_code == 403
    assert client.get("/draft-preview/sample-course/basics/saving").status_code == 403
    assert not (draft / "01-basics" / "images" / "x.png").exists()


def test_uploads_need_the_csrf_token(tmp_path, courses_dir, make_user):
    (tmp_path / "csrf").mkdir()
    app = create_app(make_config(tmp_path / "csrf", courses_dir, WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
    make_user("ada", role="admin", display_name="Ada Admin", target_app=app)
    client = app.test_client()
    login = client.get("/account/login").get_data(as_text=True)
    token = re.search(TOKEN, login).group(1)
    client.post("/account/login", data={"csrf_token": token, "username": "ada", "password": "correct horse"})
    course = client.get(f"{EDITOR}/").get_data(as_text=True)
    token = re.search(TOKEN, course).group(1)
    client.post(f"{EDITOR}/draft", data={"csrf_token": token})
    draft = tmp_path / "csrf" / "instance" / "drafts" / "sample-course" / "01-basics" / "images"
    assert upload(client, image_bytes(), "nope.png").status_code == 400
    assert not (draft / "nope.png").exists()
    page = client.get(MEDIA).get_data(as_text=True)
    token = re.search(TOKEN, page).group(1)
    response = upload(client, image_bytes(), "yes.png", csrf_token=token)
    assert response.status_code == 302 and (draft / "yes.png").is_file()


def test_the_drafts_preview_shows_an_uploaded_picture_before_it_is_published(trainer, draft):
    upload(trainer, image_bytes(colour="red"), "market.png")
    lesson = (draft / PAGE).read_text() + "\n![Samir's stall at the market](images/market.png)\n"
    page = trainer.get(f"{EDITOR}/edit/{PAGE}").get_data(as_text=True)
    base = re.search(r'name="base" type="hidden" value="([0-9a-f]+)"', page).group(1)
    trainer.post(f"{EDITOR}/edit/{PAGE}", data={"text": lesson, "base": base})
    preview = trainer.get(f"{EDITOR}/preview/basics/saving").get_data(as_text=True)
    src = re.search(r'<img alt="Samir\'s stall at the market" loading="lazy" src="([^"]+)"', preview).group(1)
    assert src == "/draft-preview/sample-course/assets/01-basics/images/market.png"
    with trainer.get(src) as picture:
        assert picture.status_code == 200 and picture.mimetype == "image/png"
    assert trainer.get("/courses/sample-course/assets/01-basics/images/market.png").status_code == 404  # not live
    welcome = trainer.get(f"{EDITOR}/preview/basics/welcome").get_data(as_text=True)
    link = re.search(r'href="(/draft-preview/sample-course/basics/saving)#how-to-save"', welcome).group(1)
    assert trainer.get(link).location.endswith(f"{EDITOR}/preview/basics/saving")
    assert trainer.get("/draft-preview/sample-course").location.endswith(f"{EDITOR}/")
