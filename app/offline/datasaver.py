"""Data saver: images only on request, media never preloaded, and every page says what it weighs."""
import re
from pathlib import Path

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from .manifest import human_size

#: where the page-weight figure goes; replaced once the page is rendered
WEIGHT_MARK = "<!--soglia-page-weight-->"
IMG_TAG = re.compile(r"<img\b[^>]*>")
MEDIA_TAG = re.compile(r"<(audio|video)\b([^>]*)>")
ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')


def data_saver_on() -> bool:
    """On when the learner chose it or the browser asks (Save-Data: on), unless they asked to see images."""
    if request.args.get("images") == "show":
        return False
    if request.headers.get("Save-Data", "").strip().lower() == "on":
        return True
    return bool(current_user.is_authenticated and current_user.data_saver)


def _attributes(tag: str) -> dict[str, str]:
    return {name: value for name, value in ATTRIBUTE.findall(tag)}


def _file_size(src: str, course) -> int | None:
    """The size of a course file the URL points at, when it is one."""
    if course is None or not src.startswith(prefix := f"/courses/{course.slug}/assets/"):
        return None
    full = (Path(course.path) / src[len(prefix):]).resolve()
    if not full.is_relative_to(Path(course.path).resolve()) or not full.is_file():
        return None
    return full.stat().st_size


def _image_link(match: re.Match, course) -> str:
    attributes = _attributes(match.group(0))
    src = attributes.get("src", "")
    size = _file_size(src, course)
    label = attributes.get("alt") or _("image")
    text = (_("Show image: %(label)s (%(size)s)", label=label, size=human_size(size)) if size is not None
            else _("Show image: %(label)s", label=label))
    # the attribute values come from sanitised HTML, still escaped as they were there
    return (f'<a class="image-on-request" href="{src}" data-src="{src}" data-alt="{attributes.get("alt", "")}">'
            f"{escape(text)}</a>")


def _no_preload(match: re.Match) -> str:
    attributes = re.sub(r'\spreload="[^"]*"', "", match.group(2))
    return f'<{match.group(1)} preload="none"{attributes}>'


def media_for_reader(html: str, course=None) -> Markup:
    """Sanitised page HTML as this reader gets it: with data saver, images become links and media stay unloaded."""
    if not data_saver_on():
        return Markup(html)
    html = IMG_TAG.sub(lambda match: _image_link(match, course), html)
    return Markup(MEDIA_TAG.sub(_no_preload, html))


def add_page_weight(response):
    """Write the page's own size (its HTML, before compression) where the layout marked it."""
    if response.direct_passthrough or response.mimetype != "text/html" or response.is_streamed:
        return response
    body = response.get_data()
    mark = WEIGHT_MARK.encode()
    if mark not in body:
        return response
    size = len(body) - len(mark)
    response.set_data(body.replace(mark, str(max(1, round(size / 1000))).encode(), 1))
    return response
