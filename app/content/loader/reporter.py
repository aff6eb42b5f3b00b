"""The reporter: collects every problem of one tree as `path:line: level: message`."""
from dataclasses import dataclass
from pathlib import Path

from ..model import Problem


@dataclass(frozen=True)
class SiteLink:
    """A link to a page of this site (another course's, maybe): checked once every course is loaded."""

    path: str
    line: int
    url: str


class Reporter:
    """Collects problems for one tree, with paths relative to its root."""

    def __init__(self, base: str | Path) -> None:
        self.base = Path(base).resolve()
        self.problems: list[Problem] = []
        self.site_links: list[SiteLink] = []

    def rel(self, path: str | Path) -> str:
        """The path as the trainer knows it: relative to `base` when inside it."""
        try:
            return str(Path(path).resolve().relative_to(self.base))
        except ValueError:
            return str(path)

    def error(self, path: str | Path, line: int, message: str) -> None:
        self.problems.append(Problem(self.rel(path), line, "error", message))

    def warning(self, path: str | Path, line: int, message: str) -> None:
        self.problems.append(Problem(self.rel(path), line, "warning", message))

    def site_link(self, path: str | Path, line: int, url: str) -> None:
        self.site_links.append(SiteLink(self.rel(path), line, url))

    def error_count(self) -> int:
        return sum(problem.level == "error" for problem in self.problems)
