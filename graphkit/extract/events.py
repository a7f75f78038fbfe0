"""From frames (one trigger with its arguments) to Statements; one event told N times -> one Statement."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from .. import typology
from ..ids import statement_id
from ..model import ActorRef, Mention, Statement
from .dates import EventDate
from .lexicon import Entry


@dataclass(frozen=True, slots=True)
class PartySpan:
    """Where a sentence names a party: surface text, and offsets in Article.text (None in a title)."""

    text: str
    start: int | None
    end: int | None


_NO_SPAN = PartySpan(None, None, None)


@dataclass(slots=True)
class Frame:
    """One event mention: a trigger, its actors, and everything known about it in its sentence."""

    entry: Entry
    trigger_text: str
    sources: list  # Actor
    targets: list
    pooled: list
    pattern: str
    modality: str
    attribution: str | None
    speaker: object | None  # Actor of the attribution when it is a party-capable actor
    when: EventDate
    location: str | None
    article_id: str | None
    sentence: str
    char_start: int | None
    char_end: int | None
    depth: int  # tree depth of the trigger: 0 = the sentence's main event
    unit: int  # sentence number within the article
    trigger_nominal: bool = False
    rank: int = 0  # how central the trigger is: tree depth, +1 for a noun, +1 for a purpose clause
    definite: bool = False  # "the airstrike": may refer back to an earlier mention
    embedded_in: int | None = None  # index of the frame whose clause contains this one
    links: list = field(default_factory=list)  # indices of frames telling the same event in the sentence
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # e.g. intended_type when an announced act is coded as intent
    spans: dict = field(default_factory=dict)  # actor id -> PartySpan in this frame's sentence
    record_id: str | None = None  # the input record's own id (Article.record_id)

    def telling(self, source_id: str, target_id: str) -> Mention:
        """This frame as evidence of a statement between source and target."""
        s, t = self.spans.get(source_id, _NO_SPAN), self.spans.get(target_id, _NO_SPAN)
        return Mention(self.article_id or "", self.sentence, self.char_start if self.char_start is not None else -1,
                       self.char_end if self.char_end is not None else -1, self.rule, self.confidence,
                       self.record_id, s.text, s.start, s.end, t.text, t.start, t.end)

    @property
    def rule(self) -> str:
        return f"{self.entry.id}:{self.pattern}" + "".join(f"+{n}" for n in self.notes)

    @property
    def confidence(self) -> float:
        c = self.entry.confidence
        for note in self.notes:
            c *= 0.8 if note.startswith("anaphora") else 0.7
        if self.modality == "claimed":
            c *= 0.95
        return round(min(c, 1.0), 3)


def dyads(frame: Frame) -> list[tuple[object, object, str]]:
    """(source, target, how) pairs of a frame.  Pooled actors form pairs; for symmetric relation types
    one pair each, for events both directions."""
    out = []
    relation_symmetric = typology.get(frame.entry.type).symmetric
    if frame.pooled:
        pool = list(frame.sources) + [a for a in frame.pooled if a not in frame.sources]
        for i, a in enumerate(pool):
            for b in pool[i + 1:]:
                if a.id == b.id:
                    continue
                out.append((a, b, "pooled"))
                if not relation_symmetric:
                    out.append((b, a, "pooled"))
        return out
    for s in frame.sources:
        for t in frame.targets:
            if s.id != t.id:
                out.append((s, t, "directed"))
    return out


def fill_from_context(frames: list[Frame]) -> None:
    """Event anaphora and implicit arguments, across one article, in reading order:
    - an embedded event with no source takes its governor's ("a plot by the militias to launch an attack");
    - a definite nominal ("the airstrike") with a missing end takes it from the latest same-type event;
    - lexicon defaults: agent_default = speaker ("Iraqi forces were notified", said CENTCOM)."""
    _share_links(frames)
    for k, f in enumerate(frames):
        # only an intended act takes its governor's source ("a plot by the militias to launch an attack");
        # "Iraq protested the strikes" does not make Iraq the striker
        if f.embedded_in is not None and not f.sources and not f.pooled and f.modality in ("planned", "future"):
            gov = frames[f.embedded_in]
            if gov.sources:
                f.sources = list(gov.sources)
                f.notes.append("inherited")
        if f.entry.agent_default == "speaker" and f.speaker is not None and not f.sources and not f.pooled:
            if f.targets and all(t.id != f.speaker.id for t in f.targets):
                f.sources = [f.speaker]
                f.notes.append("speaker-agent")
        if f.entry.target_default == "speaker" and f.speaker is not None and f.sources and not f.targets:
            if all(s.id != f.speaker.id for s in f.sources):
                f.targets = [f.speaker]
                f.notes.append("speaker-target")
        if f.pooled or (f.sources and f.targets):
            continue
        for prev in reversed(frames[:k]):
            if prev.entry.type != f.entry.type or not (prev.sources and prev.targets):
                continue
            if f.sources and not {a.id for a in f.sources} & {a.id for a in prev.sources}:
                continue
            if f.targets and not {a.id for a in f.targets} & {a.id for a in prev.targets}:
                continue
            if not (f.definite or f.unit == prev.unit) or prev.modality != f.modality and "claimed" not in (
                    prev.modality, f.modality):
                break
            if not f.sources:
                f.sources = list(prev.sources)
            if not f.targets:
                f.targets = list(prev.targets)
            f.notes.append("anaphora")
            break
    _share_links(frames)


def _share_links(frames: list[Frame]) -> None:
    """Linked frames (one event told twice in a sentence) fill each other's missing ends."""
    for f in frames:
        for k in f.links:
            g = frames[k]
            for a, b in ((f, g), (g, f)):
                if not a.sources and b.sources:
                    a.sources = list(b.sources)
                    a.notes.append("linked")
                if not a.targets and b.targets:
                    a.targets = list(b.targets)
                    a.notes.append("linked")
                if a.when.precision == "reported" and b.when.precision != "reported":
                    a.when = b.when
                if a.location is None and b.location is not None:
                    a.location = b.location


def to_statements(frames: list[Frame], published: date | None) -> list[Statement]:
    """Group frames of one article by (source, target, type, modality); dated mentions split groups by
    date, undated ("reported") mentions join the dated group; one Statement per group."""
    groups: dict[tuple, list[tuple[Frame, object, object]]] = defaultdict(list)
    for f in frames:
        for s, t, _ in dyads(f):
            sym = typology.get(f.entry.type).symmetric
            a, b = (s, t) if not sym or s.id <= t.id else (t, s)
            groups[(a.id, b.id, f.entry.type, f.modality)].append((f, a, b))
    out: list[Statement] = []
    for (_sid, _tid, etype, modality), items in groups.items():
        by_day: dict[date | None, list] = defaultdict(list)
        undated = []
        for item in items:
            w = item[0].when
            (undated if w.precision == "reported" else by_day[w.value]).append(item)
        if not by_day:
            by_day[None] = undated
        elif len(by_day) == 1:
            next(iter(by_day.values())).extend(undated)
        else:
            by_day[min(by_day, key=lambda d: d or date.max)].extend(undated)
        for items_of_day in by_day.values():
            out.append(_statement(items_of_day, etype, modality, published))
    out.sort(key=lambda st: (st.char_start if st.char_start is not None else -1, st.id))
    return out


def _statement(items, etype: str, modality: str, published: date | None) -> Statement:
    frames = [i[0] for i in items]
    dated = [f for f in frames if f.when.precision != "reported"]
    order = {"day": 0, "week": 1, "month": 2, "year": 3, "reported": 4}
    when = min((f.when for f in frames), key=lambda w: order[w.precision])
    # The first telling gives the provenance, unless a later one carries the date.
    lead = min(dated or frames, key=lambda f: (f.unit, f.char_start or 0))
    source, target = items[0][1], items[0][2]
    et = typology.get(etype)
    relation = et.kind == "relation"
    if relation:
        when = EventDate(published, "reported") if published else when
    location = next((f.location for f in [lead] + frames if f.location), None)
    attribution = next((f.attribution for f in [lead] + frames if f.attribution), None)
    article_id = lead.article_id
    sid = statement_id(source.id, target.id, etype, when.value, modality,
                       scope=article_id if relation or when.precision == "reported" else None,
                       symmetric=et.symmetric)
    evidence = tuple(dict.fromkeys(f.telling(source.id, target.id) for f in frames))
    own = lead.telling(source.id, target.id)
    return Statement(
        id=sid, source=ActorRef.of(source), target=ActorRef.of(target), type=etype,
        cameo=lead.entry.cameo, quad_class=lead.entry.quad_class, goldstein=lead.entry.goldstein,
        date=when.value, date_precision=when.precision, modality=modality, attribution=attribution,
        location=location, article_id=article_id, sentence=lead.sentence, char_start=lead.char_start,
        char_end=lead.char_end, rule=lead.rule, confidence=max(f.confidence for f in frames),
        record_id=own.record_id, source_text=own.source_text, source_start=own.source_start,
        source_end=own.source_end, target_text=own.target_text, target_start=own.target_start,
        target_end=own.target_end,
        mentions=len(evidence), evidence=evidence,
        extra={k: v for f in frames for k, v in f.extra.items()},
    )


def with_article(st: Statement, article_id: str) -> Statement:
    return replace(st, article_id=article_id)
