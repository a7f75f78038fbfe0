"""Statements and actors to and from plain dicts (the JSONL schema of `graphkit extract`).

The schema is documented in docs/statements.md; keep the two in step.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, fields
from datetime import date, datetime

from .model import PARTY_SPAN_FIELDS, PLACE_FIELDS, Actor, ActorRef, Mention, Statement


def _date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# ActorRef and Mention hold scalars only: a dict of their fields, without dataclasses.asdict's
# recursive deep copy (the largest cost of writing a statement, measured on shard writing)
_REF_FIELDS = tuple(f.name for f in fields(ActorRef))
_MENTION_FIELDS = tuple(f.name for f in fields(Mention))


def _ref_dict(ref: ActorRef) -> dict:
    return {name: getattr(ref, name) for name in _REF_FIELDS}


def statement_to_dict(st: Statement) -> dict:
    """One JSON-ready dict per statement (dates as ISO strings)."""
    return {
        "id": st.id,
        "source": _ref_dict(st.source),
        "target": _ref_dict(st.target),
        "type": st.type,
        "cameo": st.cameo,
        "quad_class": st.quad_class,
        "goldstein": st.goldstein,
        "date": st.date.isoformat() if st.date else None,
        "date_precision": st.date_precision,
        "modality": st.modality,
        "attribution": st.attribution,
        "location": st.location,
        "article_id": st.article_id,
        "sentence": st.sentence,
        "char_start": st.char_start,
        "char_end": st.char_end,
        "rule": st.rule,
        "confidence": st.confidence,
        "record_id": st.record_id,
        **{name: getattr(st, name) for name in PARTY_SPAN_FIELDS},
        "mentions": st.mentions,
        "dataset": st.dataset,
        "evidence": [{name: getattr(m, name) for name in _MENTION_FIELDS} for m in st.evidence],
        "extra": st.extra or {},
        "date_end": st.date_end.isoformat() if st.date_end else None,
        "killed": st.killed,
        "killed_at_least": st.killed_at_least,
        "injured": st.injured,
        "injured_at_least": st.injured_at_least,
        **{name: getattr(st, name) for name in PLACE_FIELDS},
    }


def statement_to_row(st: Statement) -> dict:
    """One flat row per statement, for CSV: the two actors spread into ``source_id``,
    ``source_name``, ``source_kind``, ``source_country`` (and ``target_...``), dates ISO,
    codes as strings, ``evidence`` and ``extra`` as JSON text (a cell holds no list).

    Read it back with ``pandas.read_csv(path, dtype=CSV_DTYPES)``: CSV carries no types,
    and without ``dtype`` pandas reads the CAMEO code "040" as the number 40.
    """
    d = statement_to_dict(st)
    row: dict = {}
    for key, value in d.items():
        if key in ("source", "target"):
            row.update({f"{key}_{k}": v for k, v in value.items()})
        elif key in ("evidence", "extra"):
            row[key] = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
        else:
            row[key] = value
    return row


#: pandas dtypes that keep a flat statements CSV as written (codes and ids stay strings).
CSV_DTYPES = {"id": str, "source_id": str, "target_id": str, "source_country": str, "target_country": str,
              "type": str, "cameo": str, "date": str, "article_id": str, "rule": str, "record_id": str,
              "source_text": str, "target_text": str, "place_name": str, "place_country": str, "place_admin1": str,
              "place_admin2": str}


def statement_from_dict(d: dict) -> Statement:
    return Statement(
        id=d["id"],
        source=ActorRef(**d["source"]),
        target=ActorRef(**d["target"]),
        type=d["type"],
        cameo=d.get("cameo"),
        quad_class=d.get("quad_class"),
        goldstein=d.get("goldstein"),
        date=_date(d.get("date")),
        date_precision=d.get("date_precision") or "reported",
        modality=d.get("modality") or "asserted",
        attribution=d.get("attribution"),
        location=d.get("location"),
        article_id=d.get("article_id"),
        sentence=d.get("sentence"),
        char_start=d.get("char_start"),
        char_end=d.get("char_end"),
        rule=d.get("rule"),
        confidence=float(d.get("confidence", 1.0)),
        record_id=d.get("record_id"),
        **{name: d.get(name) for name in PARTY_SPAN_FIELDS},
        mentions=int(d.get("mentions", 1)),
        dataset=d.get("dataset") or "graphkit",
        evidence=tuple(Mention(**m) for m in d.get("evidence") or ()),  # older files lack the newer fields
        extra=dict(d.get("extra") or {}),
        date_end=_date(d.get("date_end")),
        killed=_count(d, "killed"),
        killed_at_least=bool(d.get("killed_at_least")),
        injured=_count(d, "injured"),
        injured_at_least=bool(d.get("injured_at_least")),
        **_place(d),
    )


def _place(d: dict) -> dict:
    """The place fields of a statement dict (files written before places were resolved have none)."""
    out = {name: (None if d.get(name) == "" else d.get(name)) for name in PLACE_FIELDS}
    for name in ("latitude", "longitude"):
        if out[name] is not None:
            out[name] = float(out[name])
    if out["geonames_id"] is not None:
        out["geonames_id"] = int(out["geonames_id"])
    return out


def _count(d: dict, key: str) -> int | None:
    value = d.get(key)
    return None if value is None or value == "" else int(value)


def actor_to_dict(a: Actor) -> dict:
    d = asdict(a)
    d["aliases"] = list(a.aliases)
    return d


def actor_from_dict(d: dict) -> Actor:
    return Actor(id=d["id"], name=d["name"], kind=d["kind"], country=d.get("country"), sector=d.get("sector"),
                 aliases=tuple(d.get("aliases") or ()), provisional=bool(d.get("provisional", False)),
                 dataset=d.get("dataset"))


def jsonable(value):
    """A value strict JSON can carry: ISO dates, lists, plain numbers, and null for NaN,
    infinities and pandas' missing values (json.dumps would write NaN, which is not JSON)."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value.__class__.__name__ in ("NaTType", "NAType"):  # pandas' missing date / value
        return None
    if isinstance(value, (date, datetime)):
        return value.date().isoformat() if isinstance(value, datetime) and _midnight(value) else value.isoformat()
    if isinstance(value, (set, tuple, list)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", 1) == 0:  # numpy scalars
        return jsonable(value.item())
    if hasattr(value, "tolist"):  # numpy arrays
        return jsonable(value.tolist())
    return value


def _midnight(value: datetime) -> bool:
    return (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0) and value.tzinfo is None
