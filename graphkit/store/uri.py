"""Store URIs fit for logs: credentials masked (graphkit.store re-exports these).

A module of its own so that the backends (store.neo4j, store.sqlite) and graphkit.store, which opens
them, depend on it without depending on each other.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

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


def relative_to(uri: str, base: Path) -> str:
    """A store URI written in a file under `base` (graphkit.toml): an embedded store's relative path
    is read from there; other URIs are as they are."""
    if uri.startswith("sqlite:///") and uri != "sqlite:///:memory:":
        file = Path(uri[len("sqlite:///"):])
        return f"sqlite:///{file if file.is_absolute() else base / file}"
    return uri
