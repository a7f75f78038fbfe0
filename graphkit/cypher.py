"""Cypher statements are files in cypher/, loaded by name, never built from strings."""

from __future__ import annotations

import re
from functools import cache

from .errors import GraphkitError
from .paths import cypher_dir

_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")


@cache
def load(name: str) -> str:
    """Return the text of cypher/<name>.cypher (name like "schema" or "queries/dyad_timeline")."""
    if not _NAME.match(name):
        raise GraphkitError(f"invalid Cypher statement name {name!r}")
    path = cypher_dir() / f"{name}.cypher"
    if not path.is_file():
        raise GraphkitError(f"no Cypher statement named {name!r} (looked for {path})")
    return path.read_text(encoding="utf-8")


def statements(name: str) -> list[str]:
    """Split a multi-statement file (like schema.cypher) on ';' at line ends, dropping comments."""
    out = []
    for chunk in re.split(r";\s*\n", load(name)):
        body = "\n".join(line for line in chunk.splitlines() if not line.strip().startswith("//")).strip()
        if body:
            out.append(body.rstrip(";"))
    return out


def library() -> dict[str, str]:
    """The read-query library: name -> first comment line (its description)."""
    out = {}
    for path in sorted((cypher_dir() / "queries").glob("*.cypher")):
        first = path.read_text(encoding="utf-8").splitlines()[:1]
        out[path.stem] = first[0].lstrip("/ ").strip() if first else ""
    return out
