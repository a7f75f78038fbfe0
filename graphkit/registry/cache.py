"""The default registry kept on disk between runs, so a command that only looks names up
(`graphkit actors PMF`) does not rebuild ~6,000 actors and their cue index every time.

The file is keyed by everything the registry is built from: the registry files and the word
lists in the data folder (path, size, modification time), graphkit's registry code and the
installed pycountry. Any change gives a new key, so a stale registry is never read; a file
that cannot be read or written is ignored (the registry is then built as before). It lives in
the per-user cache folder (graphkit.paths.cache_dir) and is written atomically.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..paths import cache_dir, data_dir

FORMAT = 1  # bump when what is pickled changes shape without a code file changing


def _stamp(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return f"{path}:-"
    return f"{path}:{st.st_size}:{st.st_mtime_ns}"


def cache_key(files: list[Path]) -> str:
    parts = [f"format {FORMAT}"]
    parts += [_stamp(Path(p)) for p in files]
    parts += [_stamp(p) for p in sorted(data_dir().rglob("*")) if p.is_file()]
    parts += [_stamp(p) for p in sorted(Path(__file__).parent.glob("*.py"))]
    parts += [_stamp(Path(__file__).parent.parent / name) for name in ("model.py", "wordlists.py")]
    spec = importlib.util.find_spec("pycountry")
    parts.append(_stamp(Path(spec.origin)) if spec and spec.origin else "pycountry:-")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def load_or_build(files: list[Path], build: Callable[[], object]):
    """The registry built from `files`, from the disk cache when its key matches."""
    if os.environ.get("GRAPHKIT_NO_REGISTRY_CACHE"):
        return build()
    # one file per data folder (several checkouts share the per-user cache), replaced when stale
    folder = hashlib.sha256(str(data_dir().resolve()).encode()).hexdigest()[:12]
    path = cache_dir() / f"registry-{folder}-{cache_key(files)}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    registry = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"registry-{folder}-*.pickle"):
            old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as tmp:
            pickle.dump(registry, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)
    except OSError:
        pass
    return registry
