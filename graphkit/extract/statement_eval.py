"""Statement-level evaluation on real gold data: what `graphkit extract` itself gives, scored per record.

Three gold formats, each a family of public event data:

- PLOVER gold-standard sentences (JSONL: `text`, `event`, `source`/`target` codes): the type of the best
  statement per sentence against the gold type, a sentence without a statement counted as a miss.
- ConfliBERT-style sentences (JSONL: `text`, `pentaclass` 0-4, `source`/`target` span texts): the best
  statement's class (0 make a statement or none, 1 verbal cooperation, 2 material cooperation, 3 verbal
  conflict, 4 material conflict) against the gold class; material-conflict precision and recall; whether
  the statement names the gold source and target (token overlap of the party's surface text with a span).
- UCDP GED-style events (CSV: `id`, `source_headline` with several headlines joined by `;`, `side_a`,
  `side_b`, `source_date`/`date_start`): event recall (a headline of the event yields an asserted
  material-conflict statement) and whether a UCDP side is one of its parties.

Every record is read through the same path as `graphkit extract` (a record becomes an article as the
JSONL reader makes it), so the figures are those a user gets. "Best statement": the most confident one
that is not negated or hypothetical (the first in reading order on a tie).
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from .. import typology
from ..errors import InputError
from ..ingest.layout import build_article
from ..ingest.records import record_to_draft
from ..model import Article, Statement
from ..serialize import statement_to_dict

CLASS_NAMES = ("statement", "verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
_NOT_HAPPENED = frozenset({"negated", "hypothetical"})
_WORD = re.compile(r"[a-z0-9]+")
# Words that make two spans look alike without naming the same party.
_SPAN_STOP = frozenset("a an the of and or in on at to for by with from 's s its their his her".split())


# -- records ------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class GoldRecord:
    """One gold unit: its id, the text(s) graphkit reads for it, and the date given to them."""

    id: str
    texts: tuple[str, ...]
    published: date | None
    gold: dict  # the format's labels (type, class, spans, sides)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What extraction gave for one record."""

    record: GoldRecord
    statements: tuple[Statement, ...]
    best: Statement | None


def best_statement(statements: Iterable[Statement]) -> Statement | None:
    told = [s for s in statements if s.modality not in _NOT_HAPPENED]
    return max(told, key=lambda s: s.confidence) if told else None


def statement_class(st: Statement | None) -> int:
    """The 5-way class of a statement: CAMEO 01x (make a public statement) and no statement are 0."""
    if st is None or (st.cameo or "").startswith("01"):
        return 0
    return int(st.quad_class or 0)


def run_records(records: list[GoldRecord], extract: Callable[[list[Article]], list[Statement]]) -> list[Outcome]:
    """Each record's texts as articles (the JSONL reader's path), extracted in one stream."""
    articles: list[Article] = []
    owners: dict[str, set[str]] = defaultdict(set)  # article id -> records whose text it is
    for rec in records:
        for k, text in enumerate(rec.texts):
            problems: list = []
            draft = record_to_draft({"id": rec.id, "text": text, "title": "",
                                     "published": rec.published.isoformat() if rec.published else None},
                                    f"{rec.id}#{k}", None, problems)
            article = build_article(draft) if draft else None
            if article is not None:
                articles.append(article)
                owners[article.id].add(rec.id)
    by_record: dict[str, list[Statement]] = defaultdict(list)
    for st in extract(articles):
        for rid in sorted({r for m in st.evidence or () for r in owners.get(m.article_id, ())}
                          | owners.get(st.article_id or "", set())):
            by_record[rid].append(st)
    return [Outcome(rec, tuple(by_record.get(rec.id, ())), best_statement(by_record.get(rec.id, ())))
            for rec in records]


def gold_records(path: str | Path) -> Iterable[tuple[str, dict]]:
    """(FILE:LINE, record) of a gold JSONL file (the one JSONL reader, graphkit.inputs.jsonl_records);
    InputError naming the line of a bad one (a gold set is scored whole or not at all)."""
    from ..inputs import jsonl_records, open_binary

    with open_binary(str(path)) as fh:
        for item in jsonl_records(fh, str(path)):
            if isinstance(item, InputError):
                raise item
            where, rec = item
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str) or not rec["text"].strip():
                raise InputError(where, "a gold record needs a 'text' string")
            yield where, rec


def _iso(value, where: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(where, f"field {name!r}: {str(value)[:30]!r} is not an ISO date") from None


def read_plover(path: str | Path) -> list[GoldRecord]:
    out = []
    for where, rec in gold_records(path):
        try:
            etype = typology.get(str(rec.get("event"))).name
        except Exception:
            raise InputError(where, f"field 'event': unknown type {rec.get('event')!r}") from None
        codes = [str(a.get("code")).upper() for a in rec.get("source") or () if isinstance(a, dict) and a.get("code")]
        out.append(GoldRecord(str(rec.get("id") or where), (rec["text"],),
                              _iso(rec.get("date_placeholder"), where, "date_placeholder"),
                              {"type": etype, "source_codes": codes}))
    return out


def read_conflibert(path: str | Path) -> list[GoldRecord]:
    """Sentences with a class (those without one are not scored)."""
    out = []
    for where, rec in gold_records(path):
        cls = rec.get("pentaclass")
        if cls is None:
            continue
        if cls not in (0, 1, 2, 3, 4):
            raise InputError(where, f"field 'pentaclass': {cls!r} is not 0-4")
        spans = {side: [s for s in rec.get(side) or () if isinstance(s, str)] for side in ("source", "target")}
        out.append(GoldRecord(str(rec.get("id") or where), (rec["text"],), _iso(rec.get("date"), where, "date"),
                              {"class": cls, **spans}))
    return out


def read_ucdp(path: str | Path) -> list[GoldRecord]:
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"id", "source_headline", "side_a", "side_b"} - set(reader.fieldnames or ())
        if missing:
            raise InputError(f"{path}:1", f"header lacks {', '.join(sorted(missing))}")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            heads = tuple(h.strip() for h in (row.get("source_headline") or "").split(";") if h.strip())
            if not heads:
                continue
            when = _iso((row.get("source_date") or "").split(";")[0] or row.get("date_start"), where, "source_date")
            out.append(GoldRecord(row["id"], heads, when, {"side_a": row["side_a"], "side_b": row["side_b"],
                                                            "type_of_violence": row.get("type_of_violence")}))
    return out


# -- scores -------------------------------------------------------------------------------------------

def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass(slots=True)
class PloverStatementScores:
    n: int
    with_statement: int
    macro_f1: float
    per_type: dict[str, dict] = field(default_factory=dict)
    source_country_accuracy: float = 0.0  # over sentences with a statement and a gold source


def score_plover(outcomes: list[Outcome]) -> PloverStatementScores:
    tp, fp, fn = Counter(), Counter(), Counter()
    src_ok = src_n = 0
    for o in outcomes:
        gold, pred = o.record.gold["type"], o.best.type if o.best else None
        if pred == gold:
            tp[gold] += 1
        else:
            fn[gold] += 1
            if pred:
                fp[pred] += 1
        if o.best and o.record.gold["source_codes"]:
            src_n += 1
            src_ok += (o.best.source.country or "") in o.record.gold["source_codes"]
    per_type = {}
    for t in sorted(set(tp) | set(fn)):
        p, r, f1 = _prf(tp[t], fp[t], fn[t])
        per_type[t] = {"precision": p, "recall": r, "f1": f1, "support": tp[t] + fn[t]}
    return PloverStatementScores(
        n=len(outcomes), with_statement=sum(1 for o in outcomes if o.statements),
        macro_f1=sum(d["f1"] for d in per_type.values()) / len(per_type) if per_type else 0.0,
        per_type=per_type, source_country_accuracy=src_ok / src_n if src_n else 0.0)


def _words(text: str | None) -> set[str]:
    return {w for w in _WORD.findall((text or "").lower()) if w not in _SPAN_STOP}


def names_span(surface: str | None, spans: list[str]) -> bool:
    """Does a party's surface text overlap one of the gold spans (a shared content word)?"""
    words = _words(surface)
    return bool(words) and any(words & _words(s) for s in spans)


@dataclass(slots=True)
class ConflibertScores:
    n: int
    accuracy: float
    mc_precision: float
    mc_recall: float
    per_class: dict[str, dict] = field(default_factory=dict)
    confusion: dict[int, dict[int, int]] = field(default_factory=dict)  # gold -> predicted -> count
    source_overlap: float = 0.0  # over sentences with a gold source and a best statement
    target_overlap: float = 0.0


def score_conflibert(outcomes: list[Outcome]) -> ConflibertScores:
    confusion = {g: Counter() for g in range(5)}
    src_ok = src_n = tgt_ok = tgt_n = 0
    for o in outcomes:
        gold = o.record.gold["class"]
        confusion[gold][statement_class(o.best)] += 1
        if o.best is not None and o.record.gold["source"]:
            src_n += 1
            src_ok += names_span(o.best.source_text, o.record.gold["source"])
        if o.best is not None and o.record.gold["target"]:
            tgt_n += 1
            tgt_ok += names_span(o.best.target_text, o.record.gold["target"])
    per_class = {}
    for c in range(5):
        tp = confusion[c][c]
        fp = sum(confusion[g][c] for g in range(5) if g != c)
        fn = sum(v for p, v in confusion[c].items() if p != c)
        p, r, f1 = _prf(tp, fp, fn)
        per_class[CLASS_NAMES[c]] = {"precision": p, "recall": r, "f1": f1, "support": tp + fn}
    n = len(outcomes)
    mc = per_class[CLASS_NAMES[4]]
    return ConflibertScores(
        n=n, accuracy=sum(confusion[c][c] for c in range(5)) / n if n else 0.0,
        mc_precision=mc["precision"], mc_recall=mc["recall"], per_class=per_class,
        confusion={g: dict(c) for g, c in confusion.items()},
        source_overlap=src_ok / src_n if src_n else 0.0, target_overlap=tgt_ok / tgt_n if tgt_n else 0.0)


# UCDP side names that are not actor names: how a party is recognised as that side.
_UCDP_GOVERNMENT = re.compile(r"^Government of (.+)$")
_STATE_KINDS = frozenset({"state", "government", "military", "police"})


class SideMatcher:
    """Is an actor one of a UCDP side? "Government of X": X's state, government, forces or police;
    "Civilians": a civilian actor; any other name: what the registry resolves it to, or an actor
    that is part of it (its fighters, its wing)."""

    def __init__(self, registry, resolver):
        self.registry, self.resolver = registry, resolver
        self._cache: dict[str, tuple[str | None, frozenset[str]]] = {}

    def _side(self, name: str) -> tuple[str | None, frozenset[str]]:
        if name not in self._cache:
            country, ids = None, set()
            m = _UCDP_GOVERNMENT.match(name.strip())
            if m:
                found = self.resolver.find(m.group(1))
                country = next((f.actor.country for f in found if f.actor.kind == "state"), None)
            elif name.strip().lower() != "civilians":
                ids = {f.actor.id for f in self.resolver.find(name)}
            self._cache[name] = (country, frozenset(ids))
        return self._cache[name]

    def matches(self, name: str, ref, on: date | None) -> bool:
        if name.strip().lower() == "civilians":
            actor = self.registry.get(ref.id)
            sector = (actor.sector if actor else None) or ""
            return sector == "CVL" or ref.id.endswith("CVL") or "civilian" in ref.name.lower()
        country, ids = self._side(name)
        if country is not None:
            return ref.country == country and ref.kind in _STATE_KINDS
        if ref.id in ids:
            return True
        try:
            return bool(ids & set(self.registry.parents(ref.id, on)))
        except Exception:  # noqa: BLE001 - an actor outside the registry (provisional) has no parents
            return False


@dataclass(slots=True)
class UcdpScores:
    n: int
    event_recall: float
    side_as_party: float
    by_violence_type: dict[str, dict] = field(default_factory=dict)


def ucdp_hits(o: Outcome, sides: SideMatcher) -> tuple[bool, bool]:
    """(an asserted material-conflict statement, one of its parties a UCDP side)."""
    mc = [s for s in o.statements if s.modality not in _NOT_HAPPENED and s.quad_class == 4]
    names = [o.record.gold["side_a"], o.record.gold["side_b"]]
    party = any(sides.matches(n, ref, o.record.published) for s in mc for ref in (s.source, s.target) for n in names)
    return bool(mc), party


def score_ucdp(outcomes: list[Outcome], sides: SideMatcher) -> UcdpScores:
    ev = party = 0
    by = defaultdict(lambda: [0, 0, 0])
    for o in outcomes:
        e, p = ucdp_hits(o, sides)
        ev, party = ev + e, party + p
        row = by[str(o.record.gold.get("type_of_violence") or "?")]
        row[0], row[1], row[2] = row[0] + 1, row[1] + e, row[2] + p
    n = len(outcomes)
    return UcdpScores(n=n, event_recall=ev / n if n else 0.0, side_as_party=party / n if n else 0.0,
                      by_violence_type={k: {"events": v[0], "event_recall": v[1] / v[0], "side_as_party": v[2] / v[0]}
                                        for k, v in sorted(by.items())})


# -- misses -------------------------------------------------------------------------------------------

def _brief(st: Statement | None) -> dict | None:
    if st is None:
        return None
    d = statement_to_dict(st)
    return {k: d[k] for k in ("type", "cameo", "quad_class", "modality", "rule", "confidence", "sentence",
                              "source_text", "target_text")} | {"source": st.source.id, "target": st.target.id}


def write_misses(path: str | Path, outcomes: list[Outcome], missed: Callable[[Outcome], str | None]) -> int:
    """One JSON line per missed record: the gold, the best statement, every statement, and why it
    counts as a miss (`missed` returns that reason, or None for a hit). Returns the count."""
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        for o in outcomes:
            why = missed(o)
            if why is None:
                continue
            n += 1
            out.write(json.dumps({"id": o.record.id, "why": why, "texts": list(o.record.texts), "gold": o.record.gold,
                                  "best": _brief(o.best), "statements": [_brief(s) for s in o.statements]},
                                 ensure_ascii=False, default=str) + "\n")
    return n


def to_dict(scores) -> dict:
    def rounded(v):
        if isinstance(v, float):
            return round(v, 4)
        if isinstance(v, dict):
            return {k: rounded(x) for k, x in v.items()}
        return v
    return rounded(asdict(scores))
