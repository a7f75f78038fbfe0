"""Where graphkit finds its data files, Cypher files and caches."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def data_dir() -> Path:
    """The `data/` folder (dictionaries, lexicon, samples); GRAPHKIT_DATA overrides."""
    return Path(os.environ.get("GRAPHKIT_DATA", PROJECT_DIR / "data"))


def cypher_dir() -> Path:
    return Path(os.environ.get("GRAPHKIT_CYPHER", PROJECT_DIR / "cypher"))


def cache_dir() -> Path:
    """Per-user cache (Neo4j server home lives under it)."""
    base = os.environ.get("GRAPHKIT_CACHE") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "graphkit" if "GRAPHKIT_CACHE" not in os.environ else Path(base)
