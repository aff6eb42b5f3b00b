"""Audio with its transcript: a native player, the transcript under it, required by the checker, served in ranges."""
from html.parser import HTMLParser

from app.catalog import get_catalog, reload
from app.content.rendering import render_markdown

EPISODE = """Before.

![Radio Soglia, episode 3](audio/episode-3.mp3)

> **Host:** Today we talk about opening a bank account.

After.
"""


def test_audio_becomes_a_native_player_with_its_transcript():
    html = render_markdown(EPISODE).html
    assert ('<figure><figcaption>Radio Soglia, episode 3</figcaption><audio controls="controls" preload="none" '
            'src="audio/episode-3.mp3"></audio><blockquote>') in html
    assert html.index("Today we talk") < html.index("</figure>") < html.index("After.")
    assert "<img" not in html


def test_audio_without_a_transcript_is_noted_and_pictures_are_untouched():
    rendered = render_markdown("![Episode](a.ogg)\n\nJust text.\n\n![A budget](budget.png)\n")
    assert rendered.audio_without_transcript == ["a.ogg"]
    assert '<img alt="A budget" src="budget.png">' in rendered.html


def test_hostile_audio_stays_inert():
    html = render_markdown('![x](javascript:alert(1).mp3)\n\n> t\n\n![y](a.mp3 "t" onerror=alert(1))\n').html
    assert "javascript:" not in html
    attributes = []

    class Attributes(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attributes.extend(name for name, _ in attrs)

    Attributes().feed(html)
    assert attributes and not [name for name in attributes if name.startswith("on")]


def write_lesson(courses_dir, body):
    module = courses_dir / "sample-course" / "01-basics"
    (module / "audio").mkdir(exist_ok=True)
    (module / "audio" / "episode-3.mp3").write_bytes(b"ID3" + bytes(range(256)) * 40)
    (module / "02-saving.md").write_text("---\ntitle: Saving\n---\n\n" + body)


def test_the_checker_requires_a_transcript(app, courses_dir):
    write_lesson(courses_dir, "Intro.\n\n![Episode 3](audio/episode-3.mp3)\n\nNo quote here.\n")
    catalog = reload(app)
    problems = [str(p) for p in catalog.problems if "02-saving.md" in p.path]
    assert problems == ["courses/sample-course/01-basics/02-saving.md:7: error: audio without a transcript: "
                        "audio/episode-3.mp3: write what is said as a quote (lines starting with > ) right after "
                        "the audio line"]


def test_audio_is_served_in_ranges_and_cached(app, client, courses_dir):
    write_lesson(courses_dir, EPISODE)
    reload(app)
    assert get_catalog(app).held_back == {}
    page = client.get("/courses/sample-course/basics/saving").get_data(as_text=True)
    src = "/courses/sample-course/assets/01-basics/audio/episode-3.mp3"
    assert f'<audio controls="controls" preload="none" src="{src}"></audio>' in page
    whole = client.get(src)
    assert whole.mimetype == "audio/mpeg" and "max-age=86400" in whole.headers["Cache-Control"]
    part = client.get(src, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.headers["Content-Range"] == f"bytes 100-199/{len(whole.data)}"
    assert part.data == whole.data[100:200]
    cached = client.get(src, headers={"If-None-Match": whole.headers["ETag"]})
    assert cached.status_code == 304
    for response in (whole, part, cached):
        response.close()
