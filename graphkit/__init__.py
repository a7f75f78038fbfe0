"""graphkit: news articles to an actor-relationship knowledge graph.

Public API (graphkit.api; used by the notebooks, kept small and stable):
    read_articles(paths)            -> list[Article]
    extract(articles)               -> list[Statement]
    open_store(uri)                 -> Store (sqlite:///FILE, bolt://HOST:PORT, neo4j://HOST:PORT)
    load(paths, store)              -> load report with counts
    statements(store_or_list)       -> list[Statement]
    statements_frame(...)           -> pandas DataFrame, one row per statement
    tension(...), alerts(...), balance(...)   -> dyad series, escalation alerts, signed-network windows
    render(store_or_list, path)     -> interactive HTML network view
    show(store_or_list)             -> the same view inline in a Jupyter notebook
    map(store_or_list, path)        -> the events with coordinates on an offline map
    show_map(store_or_list)         -> the map inline in a Jupyter notebook
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "alerts", "balance", "extract", "load", "map", "open_store", "read_articles", "render",
           "show", "show_map", "statements", "statements_frame", "tension"]


def __getattr__(name: str):
    # The API imports pandas and the stores; load it on first use so `graphkit --help` stays quick.
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'graphkit' has no attribute {name!r}")
