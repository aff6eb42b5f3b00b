"""The one renderer: Markdown features survive, hostile HTML never does."""
from html.parser import HTMLParser

import pytest

from app.content.rendering import is_relative_url, render_inline, render_markdown, sanitise

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<svg onload=alert(1)><circle r=1></svg>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
    "<form action=\"https://evil.example\"><input name=a></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "<link rel=stylesheet href=\"https://evil.example/x.css\">",
    "<style>body{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<a href=\"#\" onclick=\"alert(1)\">x</a>",
    "Text {: onclick=\"alert(1)\" }",
    "## Heading {: onmouseover=\"alert(1)\" style=\"color:red\" }",
    "<details open ontoggle=alert(1)>",
    "<base href=\"https://evil.example/\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "[x](vbscript:msgbox(1))",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
]
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "form", "input", "meta", "link", "style", "base",
                  "svg", "math", "details", "noscript"}


class TagCollector(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(html):
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


@pytest.mark.parametrize("hostile", XSS_CORPUS)
def test_hostile_markdown_is_neutralised(hostile):
    for tag, attrs in elements(render_markdown(hostile).html):
        assert tag not in FORBIDDEN_TAGS
        for name, value in attrs.items():
            assert not name.startswith("on") and name != "style", (tag, name)
            if name in {"href", "src"}:
                scheme = (value or "").strip().lower().split(":", 1)[0]
                assert scheme not in {"javascript", "vbscript", "data"}, value


def test_markdown_features_survive_sanitising():
    text = """## Title

| a | b |
|:--|--:|
| 1 | 2 |

!!! tip "Try it"
    Body.

Text[^1] and a [link](https://example.org).

[^1]: Note.
"""
    html = render_markdown(text).html
    assert '<h2 id="title">Title</h2>' in html
    assert "<table>" in html and 'align="right"' in html
    assert 'class="admonition tip"' in html and 'class="admonition-title"' in html
    assert 'class="footnote-ref"' in html and 'id="fn:1"' in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer"' in html


def test_raw_html_is_reported_and_removed():
    rendered = render_markdown("Hello <b onclick='x()'>there</b>")
    assert rendered.has_raw_html
    assert "onclick" not in rendered.html
    assert not render_markdown("Just **Markdown**.").has_raw_html


def test_relative_links_go_through_the_resolver():
    rendered = render_markdown("[a](02-b.md) ![c](img/c.png) [d](https://x.org) [e](#here)",
                               lambda url: None if "img" in url else f"/served/{url}")
    assert 'href="/served/02-b.md"' in rendered.html
    assert rendered.broken_links == ["img/c.png"]
    assert 'href="https://x.org"' in rendered.html and 'href="#here"' in rendered.html


@pytest.mark.parametrize("url, relative", [
    ("02-b.md", True), ("images/x.png", True), ("../x.md", True),
    ("https://x.org", False), ("mailto:a@b.c", False), ("#top", False), ("/abs", False), ("//cdn.x", False),
])
def test_is_relative_url(url, relative):
    assert is_relative_url(url) is relative


def test_render_inline_drops_the_paragraph():
    assert render_inline("Money **in**") == "Money <strong>in</strong>"


def test_sanitise_keeps_allowed_classes_only():
    assert sanitise('<div class="admonition evil">x</div>') == '<div class="admonition">x</div>'
