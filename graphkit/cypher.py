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


TYPE_PLACEHOLDER = "$$TYPE$$"
LABEL_PLACEHOLDER = "$$LABEL$$"


def templated(name: str, *, rel_type: str | None = None, label: str | None = None) -> str:
    """A template file with its $$TYPE$$ / $$LABEL$$ placeholder filled by a checked typology name.

    Cypher cannot take a relationship type or label as a parameter; rather than one file per type,
    the few write statements that need one carry a placeholder, and only names that pass
    typology.checked_rel_type / checked_label (a fixed whitelist, ^[A-Z][A-Za-z0-9_]*$) replace it.
    """
    from .typology import KIND_LABELS, checked_rel_type

    text = load(name)
    for placeholder, value in ((TYPE_PLACEHOLDER, rel_type), (LABEL_PLACEHOLDER, label)):
        if placeholder not in text:
            if value is not None:
                raise GraphkitError(f"cypher/{name}.cypher has no {placeholder} placeholder")
            continue
        if value is None:
            raise GraphkitError(f"cypher/{name}.cypher needs a value for {placeholder}")
        if placeholder == TYPE_PLACEHOLDER:
            value = checked_rel_type(value)
        elif value not in KIND_LABELS.values():
            raise GraphkitError(f"refusing label {value!r}: not one of {', '.join(KIND_LABELS.values())}")
        text = text.replace(placeholder, value)
    return text
