"""Deterministic ids: the same fact always gets the same id, so loads never duplicate."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from .model import MODALITY_GROUPS


def digest(*parts: object, length: int = 16) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(("" if p is None else str(p)).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


def date_key(when: date | None, precision: str = "day") -> str:
    """The event's date as its id sees it: the day, or the week (Monday), month or year it lies in, so
    that two outlets saying "last week" on different days of the next week name the same week.
    Ranges and report dates key to nothing here: their statements are scoped by article."""
    if when is None or precision in ("range", "reported"):
        return ""
    if precision == "week":
        return "W" + (when - timedelta(days=when.weekday())).isoformat()
    if precision == "month":
        return "M" + when.isoformat()[:7]
    if precision == "year":
        return "Y" + when.isoformat()[:4]
    return when.isoformat()


def statement_id(source: str, target: str, type_: str, when: date | None, modality: str,
                 scope: str | None = None, symmetric: bool = False, precision: str = "day",
                 place: str | None = None) -> str:
    """One event = one id.  `modality` counts by its group (graphkit.model.MODALITY_GROUPS): an asserted
    and a claimed telling of one event are one statement.  `scope` keeps distinct events apart where the
    same dyad, type and day recur (e.g. an article id for relation states, or a dataset's event id for
    imports).  Symmetric types order the two ends so that A~B and B~A are one statement.  `place`, the
    place told (place_key), keeps two events of one dyad and day in two places apart; a statement that
    names no place keys as before places were kept (graphkit.store.folding joins it to a placed one)."""
    if symmetric and target < source:
        source, target = target, source
    key = date_key(when, precision) if precision != "day" else (when.isoformat() if when else "")
    parts = (source, target, type_, key, MODALITY_GROUPS.get(modality, modality), scope or "")
    if place_part := place_key(place):
        parts += ("@" + place_part,)
    return "st_" + digest(*parts)


def place_key(location: str | None) -> str:
    """A place as an id sees it: case and spacing folded, a leading "the" dropped ("the Kirkuk
    governorate" and "Kirkuk Governorate" key alike)."""
    if not location:
        return ""
    words = location.casefold().split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)
