"""The edge typology (data/typology.toml): PLOVER event types plus relation-state types.

Relationship types written to Neo4j and labels are checked against this table,
never taken from input as they are.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from .errors import GraphkitError
from .paths import data_dir

QUAD_CLASS_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


@dataclass(frozen=True, slots=True)
class EdgeType:
    name: str
    kind: str  # "event" | "relation"
    quad_class: int
    cameo: str
    goldstein: float
    symmetric: bool
    description: str

    @property
    def conflict(self) -> bool:
        return self.quad_class in (3, 4)


@cache
def _load() -> tuple[dict[str, EdgeType], dict[str, str], dict[str, int]]:
    with open(data_dir() / "typology.toml", "rb") as fh:
        raw = tomllib.load(fh)
    types = {
        name: EdgeType(name, t["kind"], int(t["quad_class"]), str(t["cameo"]), float(t["goldstein"]),
                       bool(t.get("symmetric", False)), t.get("description", ""))
        for name, t in raw["types"].items()
    }
    return types, dict(raw.get("aliases", {})), {str(r): int(q) for r, q in raw["cameo_root_quad"].items()}


def types() -> dict[str, EdgeType]:
    return _load()[0]


def get(name: str) -> EdgeType:
    """The EdgeType for a name (older PLOVER names accepted); GraphkitError if unknown."""
    table, aliases, _ = _load()
    key = aliases.get(name.upper(), name.upper())
    if key not in table:
        raise GraphkitError(f"unknown statement type {name!r}; known: {', '.join(table)}")
    return table[key]


def quad_of(cameo: str | None, default: int) -> int:
    """The QuadClass of a CAMEO code by its root (data/typology.toml [cameo_root_quad]); `default`
    (the type's own) for a code that is not CAMEO."""
    root = (cameo or "")[:2]
    return _load()[2].get(root, default) if len(cameo or "") >= 3 else default


def is_type(name: str) -> bool:
    return name in types()


_LABEL = re.compile(r"^[A-Z][A-Za-z0-9_]*$")


def checked_rel_type(name: str) -> str:
    """A relationship type safe to splice into Cypher: must be a typology name (or HOLDS/PART_OF...)."""
    if name in types() or name in STRUCTURAL_REL_TYPES:
        return name
    raise GraphkitError(f"refusing relationship type {name!r}: not in the typology")


# Edges of the registry rather than statements.
STRUCTURAL_REL_TYPES = ("PART_OF", "MEMBER_OF", "ALLIED_WITH", "HOLDS", "MENTIONED_IN")

# Node labels per actor kind (Neo4j); every Actor also has the label Actor.
KIND_LABELS = {
    "state": "State", "government": "Government", "military": "Military", "police": "Police",
    "militia": "ArmedGroup", "party": "Party", "igo": "IGO", "ngo": "NGO", "media": "Media",
    "person": "Person", "group": "Group", "other": "Other",
}


def checked_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    if not label or not _LABEL.match(label):
        raise GraphkitError(f"refusing actor kind {kind!r}: not one of {', '.join(KIND_LABELS)}")
    return label
