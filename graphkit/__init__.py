"""graphkit: news articles to an actor-relationship knowledge graph.

Public API (used by the notebooks; kept small and stable):
    read_articles(paths)   -> list[Article]
    extract(articles)      -> list[Statement]
    open_store(uri)        -> Store
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "open_store"]


def open_store(uri: str | None = None):
    from .store import open_store as _open

    return _open(uri)
