"""Scoring extraction against a PLOVER gold-standard file (JSONL, one sentence a line).

Each gold line has `text`, `event` (a PLOVER type; older 18-type names are mapped with
graphkit.typology.get) and `source` / `target` lists of {text, code, sector} with ISO3 (or IGO/NGO)
codes.  For every sentence graphkit predicts its main event (the frame highest in the parse tree that
is not embedded in another, e.g. THREATEN in "threatened to attack") and that event's source and
target actors.  Reported: precision/recall/F1 per type and macro-F1 over the gold types, source and
target country accuracy, and a confusion table gold x predicted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import typology
from ..errors import InputError
from ..model import Article, Paragraph

NONE = "-"  # no event predicted
_KIND_CODES = {"IGO": "igo", "NGO": "ngo", "MNC": "company"}
# Legacy CAMEO country codes that differ from ISO 3166 alpha-3 (older gold files use them).
_LEGACY_CODES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM", "ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "UK": "GBR"}


@dataclass(frozen=True, slots=True)
class GoldSentence:
    id: str
    text: str
    type: str
    sources: tuple[str, ...]  # codes
    targets: tuple[str, ...]
    when: date | None = None


@dataclass(frozen=True, slots=True)
class Prediction:
    type: str  # NONE when nothing was extracted
    sources: tuple[tuple[str | None, str], ...] = ()  # (country, kind) of each source actor
    targets: tuple[tuple[str | None, str], ...] = ()
    rule: str | None = None


@dataclass(slots=True)
class Scores:
    n: int
    per_type: dict[str, dict[str, float]]
    macro_f1: float
    accuracy: float  # share of sentences whose main event type is right
    source_accuracy: float  # over sentences with a gold source
    target_accuracy: float  # over sentences with a gold target
    source_accuracy_when_found: float  # over those where graphkit named a source
    confusion: dict[str, Counter] = field(default_factory=dict)
    predicted_none: int = 0

    def to_dict(self) -> dict:
        return {
            "sentences": self.n, "macro_f1": round(self.macro_f1, 4), "type_accuracy": round(self.accuracy, 4),
            "source_country_accuracy": round(self.source_accuracy, 4),
            "target_country_accuracy": round(self.target_accuracy, 4),
            "source_country_accuracy_when_found": round(self.source_accuracy_when_found, 4),
            "no_event_predicted": self.predicted_none,
            "per_type": {t: {k: round(v, 4) if isinstance(v, float) else v for k, v in d.items()}
                         for t, d in self.per_type.items()},
            "confusion": {g: dict(c) for g, c in self.confusion.items()},
        }


def read_gold(path: str | Path) -> list[GoldSentence]:
    """Gold sentences; InputError naming file and line on a bad record."""
    from .statement_eval import gold_records

    out = []
    for where, rec in gold_records(path):
        if not rec.get("event"):
            raise InputError(where, "a gold record needs 'text' and 'event'")
        try:
            etype = typology.get(str(rec["event"])).name
        except Exception:
            raise InputError(where, f"field 'event': unknown type {rec['event']!r}") from None
        codes = {}
        for side in ("source", "target"):
            items = rec.get(side) or []
            if not isinstance(items, list):
                raise InputError(where, f"field {side!r} must be a list")
            codes[side] = tuple(_LEGACY_CODES.get(c, c) for c in (
                str(a.get("code")).upper() for a in items if isinstance(a, dict) and a.get("code")))
        when = None
        if rec.get("date_placeholder"):
            try:
                when = date.fromisoformat(str(rec["date_placeholder"])[:10])
            except ValueError:
                raise InputError(where, "field 'date_placeholder' is not an ISO date") from None
        out.append(GoldSentence(str(rec.get("id", where.rsplit(":", 1)[1])), rec["text"], etype, codes["source"], codes["target"], when))
    return out


def main_frame(frames):
    """The sentence's main event: not embedded in another frame, highest in the tree, then most confident."""
    top = [f for f in frames if f.embedded_in is None] or list(frames)
    if not top:
        return None
    return min(top, key=lambda f: (f.rank, not (f.sources or f.pooled), -f.confidence))


def predict(extractor, gold: list[GoldSentence]) -> list[Prediction]:
    out = []
    for g in gold:
        article = Article(id=g.id, text=g.text, paragraphs=(Paragraph(g.text, 0, len(g.text), "body"),),
                          published=g.when)
        f = main_frame(extractor.frames(article, force=True))
        if f is None:
            out.append(Prediction(NONE))
            continue
        srcs = list(f.sources) or list(f.pooled)
        tgts = list(f.targets) or [a for a in f.pooled if a not in srcs]
        registry = getattr(extractor, "registry", None)
        out.append(Prediction(f.entry.type, tuple(_affiliation(a, registry, g.when) for a in srcs),
                              tuple(_affiliation(a, registry, g.when) for a in tgts), f.rule))
    return out


def _affiliation(actor, registry, when) -> tuple[str | None, str]:
    """(country, kind) of an actor; one without a country (a UN envoy, a person of an IGO) is scored
    by the organisation the registry ties it to on that date."""
    if actor.country or registry is None:
        return actor.country, actor.kind
    try:
        parents = registry.parents(actor.id, when)
    except Exception:  # provisional actors are not in the registry
        return actor.country, actor.kind
    for pid in parents:
        parent = registry.get(pid)
        if parent is not None and (parent.country or parent.kind in ("igo", "ngo")):
            return parent.country, parent.kind
    return actor.country, actor.kind


def _match(code: str, actor: tuple[str | None, str]) -> bool:
    country, kind = actor
    if code in _KIND_CODES:
        return kind == _KIND_CODES[code]
    return country is not None and country.upper() == code


def score(gold: list[GoldSentence], predicted: list[Prediction]) -> Scores:
    if len(gold) != len(predicted):
        raise ValueError("one prediction per gold sentence")
    types = sorted({g.type for g in gold})
    tp, fp, fn = Counter(), Counter(), Counter()
    confusion: dict[str, Counter] = {t: Counter() for t in types}
    src_hit = src_n = src_found = src_found_hit = tgt_hit = tgt_n = 0
    for g, p in zip(gold, predicted, strict=True):
        confusion[g.type][p.type] += 1
        if p.type == g.type:
            tp[g.type] += 1
        else:
            fn[g.type] += 1
            if p.type != NONE:
                fp[p.type] += 1
        if g.sources:
            src_n += 1
            hit = any(_match(c, a) for c in g.sources for a in p.sources)
            src_hit += hit
            if p.sources:
                src_found += 1
                src_found_hit += hit
        if g.targets:
            tgt_n += 1
            tgt_hit += any(_match(c, a) for c in g.targets for a in p.targets)
    per_type = {}
    for t in types:
        prec = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 0.0
        rec = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_type[t] = {"precision": prec, "recall": rec, "f1": f1, "support": tp[t] + fn[t]}
    return Scores(
        n=len(gold), per_type=per_type, macro_f1=sum(d["f1"] for d in per_type.values()) / len(types) if types else 0.0,
        accuracy=sum(tp.values()) / len(gold) if gold else 0.0,
        source_accuracy=src_hit / src_n if src_n else 0.0, target_accuracy=tgt_hit / tgt_n if tgt_n else 0.0,
        source_accuracy_when_found=src_found_hit / src_found if src_found else 0.0,
        confusion=confusion, predicted_none=sum(1 for p in predicted if p.type == NONE),
    )
