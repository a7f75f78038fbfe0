"""Output files written whole or not at all: into a temporary file beside the target, then
renamed over it (atomic on POSIX), so a full disk or a kill never leaves a truncated page and
an earlier good file survives a failed run."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import GraphkitError


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path to write; renamed to `path` when the block ends without an error, removed
    otherwise. The temporary name keeps the suffix (matplotlib picks the format from it)."""
    path = Path(path)
    parent = path.parent
    if not parent.is_dir():
        raise GraphkitError(f"{path}: the folder {parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix or ".tmp", dir=parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would make a shared page unreadable to others
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_text(path: str | Path, text: str) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
