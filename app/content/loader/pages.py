"""Rendering a page body once at load: relative links resolved to served URLs, problems reported."""
import posixpath
import re
from pathlib import Path

from ..rendering import render_markdown
from .names import ASSET_TYPES, ITEM_FILE, MODULE_DIR, PAGE_FILE
from .reporter import Reporter


class LinkResolver:
    """Maps relative links in one file to served URLs; None for a target that does not exist."""

    def __init__(self, course_dir: Path, course_slug: str, file_dir: Path, url_prefix: str) -> None:
        self.course_dir = Path(course_dir)
        self.course_slug = course_slug
        self.file_dir = Path(file_dir)
        self.url_prefix = url_prefix.rstrip("/")
        #: (link as written, served URL) of each link into another course's folder, for the catalogue to check
        self.other_courses: list[tuple[str, str]] = []

    def __call__(self, url: str) -> str | None:
        path, _, fragment = url.partition("#")
        path = path.split("?", 1)[0]
        relative_dir = self.file_dir.relative_to(self.course_dir).as_posix()
        target = posixpath.normpath(posixpath.join(relative_dir, path))
        if target.startswith("../"):
            return self._other_course(url, posixpath.normpath(posixpath.join(self.course_slug, target)), fragment)
        if target.startswith(("..", "/")):
            return None
        full = self.course_dir / target
        anchor = f"#{fragment}" if fragment else ""
        base = f"{self.url_prefix}/{self.course_slug}"
        if full.suffix == ".md":
            page = self._page_url(full, target)
            return None if page is None else base + page + anchor
        if full.suffix.lower() in ASSET_TYPES and full.is_file():
            return f"{base}/assets/{target}{anchor}"
        return None

    def _other_course(self, written: str, target: str, fragment: str) -> str | None:
        """A link like `../../other-course/01-m/02-x.md`: served from that course, if the file is there."""
        slug, _, rest = target.partition("/")
        root = self.course_dir.parent
        if target.startswith(("..", "/")) or not (root / slug / "course.md").is_file():
            return None
        url = LinkResolver(root / slug, slug, root / slug, self.url_prefix)(rest + (f"#{fragment}" if fragment else ""))
        if url is not None:
            self.other_courses.append((written, url))
        return url

    @staticmethod
    def _page_url(full: Path, target: str) -> str | None:
        """The URL of a course page, lesson or quiz under the course's URL; None when it is none of them."""
        if not full.is_file():
            return None
        parts = Path(target).parts
        if len(parts) == 1 and PAGE_FILE.match(parts[0]):
            return ""
        module = MODULE_DIR.match(parts[0]) if len(parts) == 2 else None
        item = ITEM_FILE.match(parts[-1]) if module else None
        if module is None or item is None:
            return None
        return f"/{module.group(2)}/{item.group(2) or item.group(4)}"


def line_of(body: str, body_line: int, needle: str) -> int:
    """The file line of the first body line containing `needle` (the body's first line if none does)."""
    for i, line in enumerate(body.split("\n")):
        if needle in line:
            return body_line + i
    return body_line


def render_page(path: Path, body: str, body_line: int, resolver: LinkResolver | None, report: Reporter,
                word_budget: int | None = None) -> str:
    """Render a page body once; report raw HTML, broken links, bare addresses, images without alt text,
    and more words than `word_budget`; note links to the site's pages for the catalogue to check."""
    rendered = render_markdown(body, resolver)
    if rendered.has_raw_html:
        line = next((body_line + i for i, text in enumerate(body.split("\n")) if re.search(r"<[a-zA-Z!/]", text)),
                    body_line)
        report.warning(path, line, "raw HTML is not allowed and will be removed; use Markdown")
    for url in rendered.broken_links:
        report.error(path, line_of(body, body_line, url), f"broken link or image: {url}")
    for url in rendered.bare_urls:
        report.warning(path, line_of(body, body_line, url),
                       f"bare web address {url}: make it a link that says where it goes, like [Site name]({url})")
    for src in rendered.images_without_alt:
        report.warning(path, line_of(body, body_line, src),
                       f"image without alt text: {src}: describe what it shows, like ![A monthly budget]({src})")
    for url in rendered.site_links:
        report.site_link(path, line_of(body, body_line, url), url)
    if resolver is not None:
        for written, url in resolver.other_courses:
            report.site_link(path, line_of(body, body_line, written), url)
        resolver.other_courses.clear()
    if word_budget is not None and rendered.words > word_budget:
        report.warning(path, body_line, f"the lesson has {rendered.words} words, more than the budget of "
                                        f"{word_budget}: split it into shorter lessons")
    return rendered.html


def title_from_heading(body: str) -> tuple[str | None, str]:
    """Without a front-matter title, the first `# Heading` is the title (and leaves the body)."""
    match = re.search(r"^# +(.+?)[ \t]*#*[ \t]*$", body, re.MULTILINE)
    if not match:
        return None, body
    return match.group(1), body[: match.start()] + body[match.end():]
