"""Statements and actors to and from plain dicts (the JSONL schema of `graphkit extract`).

The schema is documented in docs/statements.md; keep the two in step.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from .model import Actor, ActorRef, Mention, Statement


def _date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def statement_to_dict(st: Statement) -> dict:
    """One JSON-ready dict per statement (dates as ISO strings)."""
    return {
        "id": st.id,
        "source": asdict(st.source),
        "target": asdict(st.target),
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
        "mentions": st.mentions,
        "dataset": st.dataset,
        "evidence": [asdict(m) for m in st.evidence],
        "extra": st.extra or {},
        "date_end": st.date_end.isoformat() if st.date_end else None,
        "killed": st.killed,
        "killed_at_least": st.killed_at_least,
        "injured": st.injured,
        "injured_at_least": st.injured_at_least,
    }


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
        mentions=int(d.get("mentions", 1)),
        dataset=d.get("dataset") or "graphkit",
        evidence=tuple(Mention(**m) for m in d.get("evidence") or ()),
        extra=dict(d.get("extra") or {}),
        date_end=_date(d.get("date_end")),
        killed=_count(d, "killed"),
        killed_at_least=bool(d.get("killed_at_least")),
        injured=_count(d, "injured"),
        injured_at_least=bool(d.get("injured_at_least")),
    )


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
