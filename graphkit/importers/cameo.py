"""CAMEO lookups as graphkit reads them: event code -> PLOVER type, actor role code -> kind.

The tables are our data files (data/cameo/*.tsv), not the reference files they were reviewed against.
"""

from __future__ import annotations

import re
from functools import cache

from .. import sectors, typology
from ..errors import GraphkitError
from ..paths import data_dir
from ..sectors import Sector

_EVENT_CODE = re.compile(r"^\d{2,4}$")


def read_tsv(name: str) -> list[list[str]]:
    """Rows of a data/ TSV file, comments (#) and blank lines dropped, cells stripped."""
    path = data_dir() / name
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            rows.append([cell.strip() for cell in line.rstrip("\n").split("\t")])
    return rows


@cache
def _plover_table() -> dict[str, str | None]:
    table: dict[str, str | None] = {}
    for row in read_tsv("cameo/cameo_plover.tsv"):
        code, plover = row[0], row[1]
        if plover == "-":
            table[code] = None
        else:
            table[code] = typology.get(plover).name  # fails loudly on a typo in the data file
    return table


def is_event_code(code: str) -> bool:
    return bool(_EVENT_CODE.match(code))


@cache  # bounded: CAMEO has a few hundred event codes, and invalid ones raise (not cached)
def plover_type(cameo_code: str) -> str | None:
    """The PLOVER type of a CAMEO event code (longest listed prefix wins); None when PLOVER has none.

    Raises GraphkitError for something that is not a CAMEO event code at all."""
    if not is_event_code(cameo_code):
        raise GraphkitError(f"not a CAMEO event code: {cameo_code!r}")
    table = _plover_table()
    for length in range(len(cameo_code), 1, -1):
        prefix = cameo_code[:length]
        if prefix in table:
            return table[prefix]
    raise GraphkitError(f"unknown CAMEO root code {cameo_code[:2]!r} in {cameo_code!r}")


# The sector table is graphkit.sectors' (one definition for the registry and the importers).
ActorType = Sector


def actor_types() -> dict[str, Sector]:
    return sectors.sectors()


def split_actor_code(code: str, country: str | None) -> list[str] | None:
    """The 3-letter role codes after the country part of a CAMEO actor code, if it decomposes that way.

    "USAGOVLEG" with country "USA" -> ["GOV", "LEG"]; "GOV" with no country -> ["GOV"];
    "IGOEUREEC" -> None (not country + role codes)."""
    rest = code[len(country):] if country and code.startswith(country) else code
    if len(rest) % 3:
        return None
    parts = [rest[i:i + 3] for i in range(0, len(rest), 3)]
    known = actor_types()
    return parts if all(p in known for p in parts) else None
