"""store: statements into a graph (embedded SQLite by default, or Neo4j)."""

from __future__ import annotations

import os
import re

from ..errors import GraphkitError
from .base import LIBRARY_QUERIES, StatementFilter, Store

DEFAULT_STORE = "sqlite:///graphkit.db"

__all__ = ["DEFAULT_STORE", "LIBRARY_QUERIES", "Store", "StatementFilter", "has_userinfo", "open_store", "redact",
           "redact_text", "store_uri"]


def store_uri(uri: str | None = None) -> str:
    """--store, else GRAPHKIT_STORE, else graphkit.toml [store] uri, else the embedded file in the
    working directory."""
    if uri or os.environ.get("GRAPHKIT_STORE"):
        return uri or os.environ["GRAPHKIT_STORE"]
    from ..config import load_config

    return load_config().store_uri or DEFAULT_STORE


_USERINFO = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*://)(\S*)@")  # greedy: up to the last @ of the token
_MIN_SECRET = 4  # a shorter NEO4J_PASSWORD is not searched for in free text (it would mask ordinary words)


def has_userinfo(uri: str) -> bool:
    """Whether a URI carries credentials: any @ after "://" (no URL parsing: a password may hold
    / # ? or @, which make urlsplit cut the authority in the wrong place)."""
    return _USERINFO.search(uri) is not None


def redact_text(text: str) -> str:
    """Text (an error message, a URI) with every "scheme://user:secret@" masked to "scheme://user:***@"
    (everything before the last @ of the token is userinfo, whatever it holds and whatever the
    scheme), and the NEO4J_PASSWORD of the environment masked wherever it appears."""
    def mask(m: re.Match) -> str:
        return f"{m.group(1)}{_masked(m.group(2))}@"

    text = _USERINFO.sub(mask, text)
    secret = os.environ.get("NEO4J_PASSWORD") or ""
    if len(secret) >= _MIN_SECRET and secret in text:
        text = text.replace(secret, "***")
    return text


def redact(uri: str) -> str:
    """The URI with any password removed, fit for logs and error messages; never raises.

    Everything between "://" and the last "@" is userinfo (no URL parsing, which a password
    holding / # ? @ or a space would mislead): only the user name before its first ":" stays."""
    uri = str(uri)
    scheme, sep, rest = uri.partition("://")
    if sep and "@" in rest:
        userinfo, _, host = rest.rpartition("@")
        uri = f"{scheme}://{_masked(userinfo)}@{host}"
    elif not sep and "@" in uri:  # no scheme at all ("user:pw@host"): the same rule
        userinfo, _, host = uri.rpartition("@")
        uri = f"{_masked(userinfo)}@{host}"
    return redact_text(uri)


_PLAIN_USER = re.compile(r"[A-Za-z0-9_.\-]{1,64}")


def _masked(userinfo: str) -> str:
    """"user:***" when the userinfo is a plain user name and a password; else all of it masked
    (a token alone, or a password whose own ":" or "@" would make a part of it look like a user)."""
    user, colon, password = userinfo.partition(":")
    if colon and password and _PLAIN_USER.fullmatch(user):
        return f"{user}:***"
    return "***"


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
