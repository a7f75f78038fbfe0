"""Deterministic ids: the same fact always gets the same id, so loads never duplicate."""

from __future__ import annotations

import hashlib
from datetime import date


def digest(*parts: object, length: int = 16) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(("" if p is None else str(p)).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


def statement_id(source: str, target: str, type_: str, when: date | None, modality: str,
                 scope: str | None = None, symmetric: bool = False) -> str:
    """One event = one id.  `scope` keeps distinct events apart where the same dyad, type and day
    recur (e.g. an article id for relation states, or a dataset's event id for imports).
    Symmetric types order the two ends so that A~B and B~A are one statement."""
    if symmetric and target < source:
        source, target = target, source
    return "st_" + digest(source, target, type_, when.isoformat() if when else "", modality, scope or "")
