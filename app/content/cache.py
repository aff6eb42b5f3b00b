"""A disk cache of loaded courses, so a restart or a reload renders only the courses that changed.

An entry is keyed by the course's content hash and by this package's own source, so neither an
edited lesson nor an upgraded loader can ever be served from a stale entry.
"""
import hashlib
import logging
import os
import pickle
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def _code_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


CODE_VERSION = _code_version()


def cache_key(*parts: object) -> str:
    return hashlib.sha256("\0".join((CODE_VERSION, *map(str, parts))).encode()).hexdigest()[:32]


def read(cache_dir: str | Path, slug: str, key: str) -> Any:
    """The cached (course, problems) for this key, or None."""
    path = Path(cache_dir) / f"{slug}-{key}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged entry is only a miss
        log.warning("ignoring unreadable content cache entry %s", path)
        return None


def write(cache_dir: str | Path, slug: str, key: str, value: object) -> None:
    """Store an entry atomically and drop the course's older entries."""
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    for old in cache_dir.glob(f"{slug}-*.pickle"):
        if old.name != f"{slug}-{key}.pickle":
            old.unlink(missing_ok=True)
    temporary = cache_dir / f".{slug}-{key}.{os.getpid()}-{threading.get_ident()}.tmp"  # workers may race
    with temporary.open("wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(cache_dir / f"{slug}-{key}.pickle")
