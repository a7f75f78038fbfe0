"""store: statements into a graph (embedded SQLite by default, or Neo4j)."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from ..errors import GraphkitError
from .base import LIBRARY_QUERIES, StatementFilter, Store

DEFAULT_STORE = "sqlite:///graphkit.db"

__all__ = ["DEFAULT_STORE", "LIBRARY_QUERIES", "Store", "StatementFilter", "open_store", "store_uri", "redact"]


def store_uri(uri: str | None = None) -> str:
    """--store, else GRAPHKIT_STORE, else graphkit.toml [store] uri, else the embedded file in the
    working directory."""
    if uri or os.environ.get("GRAPHKIT_STORE"):
        return uri or os.environ["GRAPHKIT_STORE"]
    from ..config import load_config

    return load_config().store_uri or DEFAULT_STORE


def redact(uri: str) -> str:
    """The URI with any password removed, fit for logs and error messages."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    netloc = parts.hostname or ""
    if parts.username:
        netloc = f"{parts.username}:***@{netloc}"
    if parts.port:
        netloc += f":{parts.port}"
    return parts._replace(netloc=netloc).geturl()


def open_store(uri: str | None = None, *, create: bool = True) -> Store:
    """Open the store a URI names: sqlite:///path, sqlite:///:memory:, neo4j://, bolt://.

    create=False is for readers: a SQLite file that does not exist is an error (a mistyped path
    would otherwise answer every query with an empty, newly created store)."""
    uri = store_uri(uri)
    scheme = urlsplit(uri).scheme
    if scheme == "sqlite":
        from .sqlite import SqliteStore

        return SqliteStore(uri, create=create)
    if scheme in ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"):
        from .neo4j import Neo4jStore

        return Neo4jStore(uri)
    raise GraphkitError(f"unknown store {redact(uri)!r}: use sqlite:///FILE, neo4j://HOST:PORT or bolt://HOST:PORT")
