"""The courses folder as a git repository, driven through the `git` command (no own version store)."""
import fcntl
import io
import os
import subprocess
import tarfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

#: the committer of every publish; the author is the trainer
COMMITTER = ("Soglia", "soglia@localhost")


class GitError(RuntimeError):
    """A git command failed; the message is git's own."""


@dataclass(frozen=True)
class Change:
    """One commit that touched a course."""

    commit: str
    author: str
    date: str  # ISO 8601
    message: str


def git(repo: str | Path, *args: str, author: tuple[str, str] | None = None, stdin: str | None = None) -> str:
    env = {**os.environ, "GIT_COMMITTER_NAME": COMMITTER[0], "GIT_COMMITTER_EMAIL": COMMITTER[1],
           "GIT_AUTHOR_NAME": (author or COMMITTER)[0], "GIT_AUTHOR_EMAIL": (author or COMMITTER)[1],
           "GIT_TERMINAL_PROMPT": "0"}
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, input=stdin,
                          timeout=60)
    if done.returncode != 0:
        raise GitError(done.stderr.strip() or done.stdout.strip())
    return done.stdout


def git_bytes(repo: str | Path, *args: str) -> bytes:
    """The binary output of a git command (an archive)."""
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, timeout=120)
    if done.returncode != 0:
        raise GitError(done.stderr.decode(errors="replace").strip())
    return done.stdout


def ensure_repository(repo: str | Path) -> None:
    """Make the courses folder a git repository of its own, with its current files as the first commit."""
    repo = Path(repo)
    if (repo / ".git").exists():
        return
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", "Courses as they were when publishing started")


@contextmanager
def locked(repo: str | Path):
    """One writer at a time on this server (every worker and thread): git's index is not shared safely."""
    with locked_file(Path(repo) / ".git" / "soglia.lock"):
        yield


@contextmanager
def locked_file(path: Path):
    """An exclusive lock on `path` (created if needed) for every process and thread of this server."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def head(repo: str | Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def last_change(repo: str | Path, path: str) -> str | None:
    """The newest commit that touched `path`, or None."""
    return git(repo, "log", "-1", "--format=%H", "--", path).strip() or None


def commit_path(repo: str | Path, path: str, message: str, author: tuple[str, str]) -> str | None:
    """Commit every change under `path` (new, changed and deleted files); None when nothing changed."""
    git(repo, "add", "-A", "--", path)
    if not git(repo, "status", "--porcelain", "--", path).strip():
        return None
    git(repo, "commit", "-q", "-m", message, "--", path, author=author)
    return head(repo)


def history(repo: str | Path, path: str, limit: int = 100) -> list[Change]:
    """The commits that touched `path`, newest first."""
    out = git(repo, "log", f"-{limit}", "--format=%H%x1f%an%x1f%aI%x1f%B%x1e", "--", path)
    changes = []
    for record in out.split("\x1e"):
        if record.strip():
            commit, author, date, message = record.strip("\n").split("\x1f", 3)
            changes.append(Change(commit, author, date, message.strip()))
    return changes


def is_commit(repo: str | Path, commit: str) -> bool:
    if not commit or len(commit) != 40 or any(c not in "0123456789abcdef" for c in commit):
        return False
    try:
        return git(repo, "cat-file", "-t", commit).strip() == "commit"
    except GitError:
        return False


def diff(repo: str | Path, commit: str, path: str) -> str:
    """The change `commit` made under `path`, as a unified diff (against its parent; all of it for a first commit)."""
    return git(repo, "show", "--format=", "--no-color", "--no-ext-diff", commit, "--", path)


def export_tree(repo: str | Path, commit: str, path: str, target: str | Path) -> Path:
    """Write the files under `path` as they were at `commit` into the folder `target`; returns target/path."""
    archive = git_bytes(repo, "archive", "--format=tar", commit, "--", path)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return Path(target) / path
