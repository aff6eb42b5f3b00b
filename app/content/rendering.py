"""The one Markdown renderer: python-markdown, then an nh3 allow-list. Always sanitised."""
import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ["tables", "footnotes", "toc", "admonition", "sane_lists", "fenced_code", "def_list", "abbr"]
EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}, "toc": {"permalink": False}}

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s",
    "del", "ins", "mark", "small", "sub", "sup", "code", "pre", "kbd", "blockquote", "q",
    "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "figure", "figcaption", "abbr",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "div", "span",
    "audio", "video", "source",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "audio": {"src", "controls", "preload"},
    "video": {"src", "controls", "preload", "width", "height", "poster"},
    "source": {"src", "type"},
    "th": {"align", "scope"},
    "td": {"align"},
    "ol": {"start"},
    "li": {"id"},
    "sup": {"id"},
    "abbr": {"title"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
ALLOWED_CLASSES = {
    "div": {"admonition", "note", "tip", "warning", "important", "danger", "info", "footnote"},
    "p": {"admonition-title"},
    "a": {"footnote-ref", "footnote-backref"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {"a": "href", "img": "src", "audio": "src", "video": "src", "source": "src"}


#: maps a relative URL to a served URL, or None when it points nowhere
LinkResolver = Callable[[str], str | None]


def is_relative_url(url: str) -> bool:
    """A link to a file of the course (not external, not an anchor, not site-absolute)."""
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or url.startswith(("#", "/")) or not url)


@dataclass
class Rendered:
    """Sanitised HTML, and what the checker should know about the page."""

    html: str
    has_raw_html: bool = False
    broken_links: list[str] = field(default_factory=list)
    #: web addresses written as plain text instead of links
    bare_urls: list[str] = field(default_factory=list)
    #: sources of images whose alt text is empty
    images_without_alt: list[str] = field(default_factory=list)
    #: links to paths on this site (`/courses/...`), as written
    site_links: list[str] = field(default_factory=list)
    #: words a learner reads (code and addresses included)
    words: int = 0


BARE_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")
#: elements whose text is not checked for bare addresses: links already, or code shown as written
NOT_PROSE = {"a", "code", "pre"}


class _Findings(Treeprocessor):
    """Notes bare addresses, images without alt text, links to this site's pages, and counts words."""

    rendered: Rendered | None = None

    def run(self, root: etree.Element) -> None:
        if self.rendered is not None:
            self._walk(root, self.rendered, prose=True)

    def _walk(self, element: etree.Element, found: Rendered, prose: bool) -> None:
        prose = prose and element.tag not in NOT_PROSE
        self._text(element.text, found, prose)
        if element.tag == "img" and not (element.get("alt") or "").strip():
            found.images_without_alt.append(element.get("src") or "")
        url = element.get("href") if element.tag == "a" else None
        if url and url.startswith("/") and not url.startswith("//"):
            found.site_links.append(url)
        for child in element:
            self._walk(child, found, prose)
            self._text(child.tail, found, prose)

    @staticmethod
    def _text(text: str | None, found: Rendered, prose: bool) -> None:
        if not text:
            return
        found.words += len(text.split())
        if prose and "://" in text:
            found.bare_urls.extend(url.rstrip(".,;:!?") for url in BARE_URL.findall(text))


class _LinkRewriter(Treeprocessor):
    """Rewrites relative links and images through the resolver; collects the ones it cannot."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.resolve: LinkResolver | None = None
        self.broken: list[str] = []

    def run(self, root: etree.Element) -> None:
        if self.resolve is None:
            return
        for element in root.iter():
            attribute = URL_ATTRIBUTES.get(element.tag)
            url = element.get(attribute) if attribute else None
            if attribute is None or url is None or not is_relative_url(url):
                continue
            target = self.resolve(url)
            if target is None:
                self.broken.append(url)
                element.set(attribute, "#")
            else:
                element.set(attribute, target)
            if element.tag == "img":
                element.set("loading", "lazy")


def sanitise(html: str) -> str:
    """Clean HTML with the allow-list; anything not on it never reaches a browser."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_local = threading.local()


def _markdown() -> markdown.Markdown:
    """One Markdown converter per thread: building one costs more than converting a page."""
    if not hasattr(_local, "md"):
        md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
        md.treeprocessors.register(_LinkRewriter(md), "soglia-links", 1)
        md.treeprocessors.register(_Findings(md), "soglia-findings", 2)
        _local.md = md
    converter: markdown.Markdown = _local.md
    return converter


def render_markdown(text: str, resolve_link: LinkResolver | None = None) -> Rendered:
    """Render Markdown to sanitised HTML.

    :param resolve_link: maps a relative URL to a served URL, or None when it points nowhere.
    """
    md = _markdown().reset()
    rewriter, findings = md.treeprocessors["soglia-links"], md.treeprocessors["soglia-findings"]
    assert isinstance(rewriter, _LinkRewriter) and isinstance(findings, _Findings)
    rendered = Rendered("")
    rewriter.resolve, rewriter.broken, findings.rendered = resolve_link, rendered.broken_links, rendered
    try:
        html = md.convert(text)
    finally:
        rewriter.resolve, findings.rendered = None, None
    rendered.html, rendered.has_raw_html = sanitise(html), md.htmlStash.html_counter > 0
    return rendered


PLAIN_TEXT = re.compile(r"[^*_`\[\]<>&\\!#|~:{}\n]*")


def render_inline(text: str) -> str:
    """Render one line of Markdown (a question or an option) without the wrapping paragraph."""
    if PLAIN_TEXT.fullmatch(text):  # nothing Markdown would change: skip the parser
        return text.strip()
    html = render_markdown(text).html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
