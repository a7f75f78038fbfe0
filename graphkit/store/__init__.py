"""store: statements into a graph (embedded SQLite by default, or Neo4j)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from ..errors import GraphkitError
from .base import LIBRARY_QUERIES, StatementFilter, Store
from .uri import has_userinfo, redact, redact_text

DEFAULT_STORE = "sqlite:///graphkit.db"

__all__ = ["DEFAULT_STORE", "LIBRARY_QUERIES", "events_store", "Store", "StatementFilter", "has_userinfo", "is_backend_error", "one_per_event", "open_store", "redact",
           "redact_text", "store_uri"]


def store_uri(uri: str | None = None) -> str:
    """--store, else GRAPHKIT_STORE, else graphkit.toml [store] uri, else the embedded file in the
    working directory."""
    if uri or os.environ.get("GRAPHKIT_STORE"):
        return uri or os.environ["GRAPHKIT_STORE"]
    from ..config import load_config

    return load_config().store_uri or DEFAULT_STORE


def is_backend_error(err: BaseException) -> bool:
    """An error raised by a backend's own driver (sqlite3, the neo4j driver) that no store method turned
    into a StoreError: the CLI reports it as a store error (exit 4)."""
    import sqlite3

    module = type(err).__module__ or ""
    return isinstance(err, sqlite3.Error) or module == "neo4j" or module.startswith("neo4j.")


def open_store(uri: str | None = None, *, create: bool = True) -> Store:
    """Open the store a URI names: sqlite:///path, sqlite:///:memory:, neo4j://, bolt://.

    create=False is for readers: a SQLite file that does not exist is an error (a mistyped path
    would otherwise answer every query with an empty, newly created store)."""
    uri = store_uri(uri)
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme == "sqlite":
        if has_userinfo(uri):
            raise GraphkitError(f"{redact(uri)}: a sqlite:// store takes no user or password")
        from .sqlite import SqliteStore

        return SqliteStore(uri, create=create)
    if scheme in ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"):
        from .neo4j import Neo4jStore

        return Neo4jStore(uri)
    raise GraphkitError(f"unknown store {redact(uri)!r}: use sqlite:///FILE, neo4j://HOST:PORT or bolt://HOST:PORT")


@contextmanager
def events_store(statements: Iterable, chunk: int = 50_000) -> Iterator[Store]:
    """A temporary embedded store (a file in a temporary folder, removed afterwards) holding these
    statements as a store holds them: the tellings of one id merged, and the reports of one event
    folded into it (graphkit.store.folding). Statements read from a file (`graphkit extract` JSONL,
    shards) go through it, so an analysis of the file counts what an analysis of the store counts: one
    implementation of the rules, not two. Written in chunks: a million statements never live as
    objects at once."""
    import tempfile

    from ..batches import ParsedRow, batched
    from .sqlite import SqliteStore

    with tempfile.TemporaryDirectory(prefix="graphkit-events-") as folder:
        store = SqliteStore(f"sqlite:///{folder}/events.db")
        try:
            with store.bulk():
                for batch, _ in batched((ParsedRow(st, ()) for st in statements), chunk):
                    store.write(batch)
            yield store
        finally:
            store.close()


def one_per_event(statements) -> list:
    """Statements read from a file, one per event as a store holds them (see events_store)."""
    statements = list(statements)
    if not statements:
        return statements
    with events_store(statements) as store:
        events = list(store.statements())
    # in the order the file gives them (an event where its first report stands): sums and ties in an
    # analysis come out as they did from the file itself
    first: dict[str, int] = {}
    for i, st in enumerate(statements):
        first.setdefault(st.id, i)
    return sorted(events, key=lambda st: first.get(st.id, len(first)))
