"""Data saver: images only on request, media never preloaded, and every page says what it weighs."""
import html
import re
from pathlib import Path
from typing import Any

from flask import Request, Response
from flask_babel import gettext as _
from markupsafe import escape

from ..catalog import get_catalog
from .manifest import human_size

#: where the page-weight figure goes; replaced once the page is rendered
WEIGHT_MARK = "<!--soglia-page-weight-->"
_WEIGHT_MARK_BYTES = WEIGHT_MARK.encode()
IMG_TAG = re.compile(r"<img\b[^>]*>")
MEDIA_TAG = re.compile(r"<(audio|video)\b([^>]*)>")
ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')
ASSET_URL = re.compile(r"^/courses/([a-z0-9-]+)/assets/([^\"?#]+)$")


def data_saver_on(asked: Request, user: Any) -> bool:
    """On when the learner chose it or the browser asks (Save-Data: on), unless they asked to see images."""
    if asked.query_string and asked.args.get("images") == "show":
        return False
    if asked.headers.get("Save-Data", "").strip().lower() == "on":
        return True
    return bool(user.is_authenticated and getattr(user, "data_saver", False))


def _attributes(tag: str) -> dict[str, str]:
    return {name: value for name, value in ATTRIBUTE.findall(tag)}


def _file_size(src: str) -> int | None:
    """The size of the course file an image URL points at, when it is one."""
    match = ASSET_URL.match(src)
    course = get_catalog().course(match.group(1)) if match else None
    if match is None or course is None:
        return None
    full = (Path(course.path) / html.unescape(match.group(2))).resolve()
    if not full.is_relative_to(Path(course.path).resolve()) or not full.is_file():
        return None
    return full.stat().st_size


def _image_link(match: re.Match) -> str:
    attributes = _attributes(match.group(0))
    src = attributes.get("src", "")
    size = _file_size(src)
    label = html.unescape(attributes.get("alt", "")) or _("image")
    text = (_("Show image: %(label)s (%(size)s)", label=label, size=human_size(size)) if size is not None
            else _("Show image: %(label)s", label=label))
    # src and alt come from the page's own escaped HTML and stay escaped
    return (f'<a class="image-on-request" href="{src}" data-src="{src}" data-alt="{attributes.get("alt", "")}">'
            f"{escape(text)}</a>")


def _no_preload(match: re.Match) -> str:
    attributes = re.sub(r'\spreload="[^"]*"', "", match.group(2))
    return f'<{match.group(1)} preload="none"{attributes}>'


def for_reader(body: str) -> str:
    """The page as a data saver reader gets it: images become links to them, and media stay unloaded."""
    body = IMG_TAG.sub(_image_link, body)
    return MEDIA_TAG.sub(_no_preload, body)


def finish_page(response: Response, asked: Request, user: Any) -> Response:
    """Apply the data saver to an HTML page (of this request and user), then write its own size (before
    compression) where the layout marked it. Done on the response, so pages rendered once and kept in memory stay
    the same for everyone."""
    if response.direct_passthrough or response.mimetype != "text/html" or response.is_streamed:
        return response
    response.vary.add("Save-Data")
    original = body = response.get_data()
    if data_saver_on(asked, user):
        body = for_reader(body.decode()).encode()
    if _WEIGHT_MARK_BYTES in body:
        size = len(body) - len(_WEIGHT_MARK_BYTES)
        body = body.replace(_WEIGHT_MARK_BYTES, str(max(1, round(size / 1000))).encode(), 1)
    if body is not original:
        response.set_data(body)
    return response
