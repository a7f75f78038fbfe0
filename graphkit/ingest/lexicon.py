"""The header and column words of data/ingest/headers.toml, loaded once."""

from __future__ import annotations

import tomllib
from functools import cache

from ..errors import GraphkitError
from ..paths import data_dir

FIELDS = ("id", "url", "title", "outlet", "published", "text")


@cache
def _load() -> dict:
    path = data_dir() / "ingest" / "headers.toml"
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise GraphkitError(f"{path}: cannot load the ingest header words ({err})") from None
    missing = [f for f in FIELDS if f not in data.get("column_aliases", {})]
    if missing:
        raise GraphkitError(f"{path}: [column_aliases] lacks {', '.join(missing)}")
    return data


def section_words() -> frozenset[str]:
    return frozenset(w.lower() for w in _load().get("section_words", []))


def metadata_keys() -> dict[str, str]:
    return {k.lower(): v for k, v in _load().get("metadata_keys", {}).items()}


def column_aliases() -> dict[str, tuple[str, ...]]:
    return {k: tuple(v) for k, v in _load()["column_aliases"].items()}
