"""The CAMEO sector table (data/cameo/actor_types.tsv): one definition of what a sector code means.

A sector is the 3-letter role code after the country part of a CAMEO actor code: IRQMIL is Iraq's
armed forces, SYRUAF an unidentified armed group in Syria.  The registry (the <ISO3><SECTOR> actors
extraction makes), the Phoenix import and the GDELT/ACLED importers all read this table, so one code
has one kind and one label whichever path made the actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .errors import InputError
from .model import ACTOR_KINDS
from .paths import data_dir

TABLE = "cameo/actor_types.tsv"


@dataclass(frozen=True, slots=True)
class Sector:
    code: str  # "MIL"
    kind: str  # one of model.ACTOR_KINDS
    label: str  # "armed forces"
    organ: bool  # an organ of its state (PART_OF it), not merely people of its country


@cache
def sectors() -> dict[str, Sector]:
    """Every sector code -> Sector; a bad row is refused naming the file and line."""
    path = data_dir() / TABLE
    table: dict[str, Sector] = {}
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = [cell.strip() for cell in line.rstrip("\n").split("\t")]
            where = f"{path}:{number}"
            if len(cells) != 4:
                raise InputError(where, f"expected 4 tab-separated cells (code kind label organ), found {len(cells)}")
            code, kind, label, organ = cells
            if kind not in ACTOR_KINDS:
                raise InputError(where, f"kind {kind!r} is not one of {', '.join(ACTOR_KINDS)}")
            if organ not in ("yes", "no"):
                raise InputError(where, f"organ must be yes or no, not {organ!r}")
            if code in table:
                raise InputError(where, f"sector {code} is listed twice")
            table[code] = Sector(code, kind, label, organ == "yes")
    return table


def get(code: str) -> Sector | None:
    return sectors().get(code)


def kind(code: str, default: str = "group") -> str:
    """The actor kind of a sector code (`default` for a code the table does not list)."""
    sector = sectors().get(code)
    return sector.kind if sector else default


def label(code: str) -> str:
    """The readable label of a sector code (the code in lower case when the table does not list it)."""
    sector = sectors().get(code)
    return sector.label if sector else code.lower()


@cache
def state_organs() -> frozenset[str]:
    """The sectors that are organs of a state: <ISO3><SECTOR> is PART_OF <ISO3>."""
    return frozenset(code for code, sector in sectors().items() if sector.organ)
