"""The reporter: collects every problem of one tree as `path:line: level: message`."""
from pathlib import Path

from ..model import Problem


class Reporter:
    """Collects problems for one tree, with paths relative to its root."""

    def __init__(self, base: str | Path) -> None:
        self.base = Path(base).resolve()
        self.problems: list[Problem] = []

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

    def error_count(self) -> int:
        return sum(problem.level == "error" for problem in self.problems)
