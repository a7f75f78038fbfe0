"""The default registry kept on disk between runs, so a command that only looks names up
(`graphkit actors PMF`) does not rebuild ~6,000 actors and their cue index every time.

The file is keyed by everything the registry is built from: the registry files and the word
lists in the data folder (path, size, modification time), graphkit's registry code and the
installed pycountry. Any change gives a new key, so a stale registry is never read; a file
that cannot be read or written is ignored (the registry is then built as before). It lives in
the per-user cache folder (graphkit.paths.cache_dir) and is written atomically.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from ..paths import cache_dir, data_dir

FORMAT = 2  # bump when what is pickled changes shape without a code file changing


class _Pickler(pickle.Pickler):
    """Pickles a frozen, slotted dataclass (the registry's ~8,000 actors, cues and roles) as a call
    of its class with its field values: loading then runs the generated __init__, several times
    faster than the generic dataclass __setstate__ (which looks the fields up again for every
    object) and the largest part of reading the cache."""

    def reducer_override(self, obj):
        names = _init_fields(type(obj))
        if names is None:
            return NotImplemented
        return type(obj), tuple(getattr(obj, name) for name in names)


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _init_fields(cls: type) -> tuple[str, ...] | None:
    """The fields a dataclass's __init__ takes, in order, when it rebuilds the object exactly (slots,
    every field in __init__, no __post_init__); None otherwise."""
    if cls not in _FIELDS:
        fields = dataclasses.fields(cls) if dataclasses.is_dataclass(cls) else ()
        exact = (bool(fields) and "__slots__" in cls.__dict__ and all(f.init for f in fields)
                 and not hasattr(cls, "__post_init__"))
        _FIELDS[cls] = tuple(f.name for f in fields) if exact else None
    return _FIELDS[cls]


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
        import tempfile  # only when the cache is written

        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as tmp:
            _Pickler(tmp, protocol=pickle.HIGHEST_PROTOCOL).dump(registry)
        os.replace(tmp.name, path)
    except OSError:
        pass
    return registry
