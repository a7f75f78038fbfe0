"""The project file: graphkit.toml in the working directory or one of its parents.

    [store]
    uri = "sqlite:///graphkit.db"          # a relative SQLite path is relative to this file's folder
    [registry]
    files = ["actors/*.toml"]              # project registry files (globs, relative to this file)
    layers = ["phoenix-countries"]         # imported layers switched on (graphkit actors --sources)
    [extract]
    spacy_model = "en_core_web_sm"
    [output]
    folder = "out"                          # where render/report write when -o is not given

Precedence, highest first: a command-line option, then the environment variable (GRAPHKIT_STORE,
GRAPHKIT_REGISTRY_LAYERS, GRAPHKIT_SPACY_MODEL), then graphkit.toml, then the built-in default.
GRAPHKIT_CONFIG names a file explicitly; GRAPHKIT_CONFIG="" reads none.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

FILENAME = "graphkit.toml"
# section -> key -> expected type; anything else in the file is refused (a typo must not be ignored)
_KEYS: dict[str, dict[str, type]] = {
    "store": {"uri": str},
    "registry": {"files": list, "layers": list},
    "extract": {"spacy_model": str},
    "output": {"folder": str},
}


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None = None  # the file read, None when there is none
    store_uri: str | None = None
    registry_files: tuple[Path, ...] = ()
    registry_layers: tuple[str, ...] = ()
    spacy_model: str | None = None
    output_folder: Path | None = None
    raw: dict = field(default_factory=dict, compare=False)


def find_config(start: Path | None = None) -> Path | None:
    """GRAPHKIT_CONFIG, else graphkit.toml in `start` (the working directory) or its nearest parent."""
    if "GRAPHKIT_CONFIG" in os.environ:
        explicit = os.environ["GRAPHKIT_CONFIG"]
        if not explicit:
            return None
        if not Path(explicit).is_file():
            raise InputError(explicit, "GRAPHKIT_CONFIG names no such file")
        return Path(explicit)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / FILENAME
        if candidate.is_file():
            return candidate
    return None


_CACHE: dict[tuple, Config] = {}


def load_config(start: Path | None = None) -> Config:
    """The project configuration (an empty Config when there is no graphkit.toml); cached per file state."""
    path = find_config(start)
    if path is None:
        return Config()
    key = (str(path.resolve()), path.stat().st_mtime_ns)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = _parse(path)
    return _CACHE[key]


def _parse(path: Path) -> Config:
    import tomllib  # only when a graphkit.toml exists

    try:
        with open(path, "rb") as handle:
            raw = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise InputError(str(path), f"not a readable graphkit.toml ({err})") from None
    for section, values in raw.items():
        if section not in _KEYS or not isinstance(values, dict):
            raise InputError(str(path), f"unknown section [{section}] (known: {', '.join(_KEYS)})")
        for key, value in values.items():
            wanted = _KEYS[section].get(key)
            if wanted is None:
                raise InputError(str(path), f"[{section}] has no key '{key}' (known: {', '.join(_KEYS[section])})")
            if not isinstance(value, wanted) or (wanted is list and not all(isinstance(v, str) for v in value)):
                kind = "a list of strings" if wanted is list else "a string"
                raise InputError(str(path), f"[{section}] {key} must be {kind}")
    base = path.resolve().parent
    store = raw.get("store", {}).get("uri")
    if store:
        from .store.uri import relative_to

        store = relative_to(store, base)
    files: list[Path] = []
    for pattern in raw.get("registry", {}).get("files", []):
        matches = sorted(base.glob(pattern)) if any(c in pattern for c in "*?[") else [base / pattern]
        if not matches or not all(m.is_file() for m in matches):
            raise InputError(str(path), f"[registry] files: {pattern!r} names no file (relative to {base})")
        files.extend(matches)
    folder = raw.get("output", {}).get("folder")
    return Config(path=path, store_uri=store or None, registry_files=tuple(files),
                  registry_layers=tuple(raw.get("registry", {}).get("layers", [])),
                  spacy_model=raw.get("extract", {}).get("spacy_model") or None,
                  output_folder=(base / folder) if folder else None, raw=raw)


def output_path(name: str) -> Path:
    """Where a command writes `name` when -o is not given: the project's output folder, else here."""
    folder = load_config().output_folder
    return folder / name if folder else Path(name)
