"""Event coreference within an article: event mentions (frames) -> events -> one statement each.

A news article tells one event many times: the headline, the lead, a quote, "the strike" three
paragraphs later.  Mentions are merged into one event when they have the same type and modality group
(graphkit.model.MODALITY_GROUPS), compatible parties (the same actor, a unit and its own state or
organisation, a provisional name and a registry actor of its kind), no conflicting date and no
conflicting place.  A mention with one party missing joins the event it refers to: the headline joins
the first fitting event of the body, a definite noun ("the airstrike") the latest one before it.
An undated mention takes the date of the event it belongs to, or, when its clause refers to an event
("were notified of the strike", "the incident follows a series of attacks"), a range bounded by that
event's date (graphkit.extract.dates.EventDate).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from .. import typology
from ..ids import statement_id
from ..model import MODALITY_GROUPS, MODALITY_STRENGTH, PARTY_SPAN_FIELDS, ActorRef, Mention, Statement
from .casualties import Casualties, casualties
from .dates import EventDate, contains, finest
from .events import Frame
from .eventwords import EventWords, default_event_words
from .locations import governor

# related(a, b): a and b are one side (a unit and its own state or organisation); compatible(a, b):
# the same party may be meant by both.
Related = Callable[[object, object], bool]

_DETERMINERS = frozenset(("the", "this", "that", "its"))


# -- marks made while the sentence's parse is at hand ------------------------------------------------

_COUNTED_TYPES = frozenset(("ASSAULT", "COERCE"))  # the types whose statements carry casualty counts


def annotate(doc, heads: list[int], frames: list[Frame], words: EventWords | None = None) -> None:
    """What a sentence's frames need from its parse beyond their arguments: the events their clauses
    refer to, and the casualty counts the sentence gives (on ASSAULT/COERCE frames)."""
    words = words or default_event_words()
    mark_references(doc, heads, frames, words)
    counted = None
    for f in frames:
        if f.entry.type in _COUNTED_TYPES or f.extra.get("intended_type") in _COUNTED_TYPES:
            counted = counted if counted is not None else casualties(doc.text, words)
            f.casualties = counted if f.entry.type in _COUNTED_TYPES else None


def mark_references(doc, heads: list[int], frames: list[Frame], words: EventWords | None = None) -> None:
    """Record on each frame of a sentence the definite event nouns its clause refers to: "notified of
    the strike" (relation "after": the notice is dated from the strike on), "the incident follows a
    series of attacks" (relation "before": the attacks precede the incident).  `heads` are the trigger
    token indices, in the order of `frames`."""
    words = words or default_event_words()
    at = {h: n for n, h in enumerate(heads)}
    for tok in doc:
        if tok.pos_ not in ("NOUN", "PROPN") or not any(c.dep_ in ("det", "poss") and c.lower_ in _DETERMINERS
                                                         for c in tok.children):
            continue
        if tok.i not in at and tok.lemma_.lower() not in words.event_nouns:
            continue
        gov = governor(tok)
        before = tok.dep_ in ("nsubj", "nsubjpass") and gov.lemma_.lower() in words.precedence
        for n, h in enumerate(heads):
            if h == tok.i:
                continue
            trig = doc[h]
            inside = tok in trig.subtree  # "notified of the strike"
            under = gov == trig or gov in trig.ancestors or (gov.i != h and trig in gov.subtree)
            if not (inside or under):
                continue
            before_here = before and trig in gov.subtree and trig not in tok.subtree
            frames[n].refs.append((("local", at[tok.i]) if tok.i in at else None, tok.i,
                                   "before" if before_here else "after", tok.lemma_.lower()))


# -- parties ---------------------------------------------------------------------------------------

def party_tests(registry) -> tuple[Related, Related]:
    """(related, compatible) over actors, from the registry's ties."""
    cache: dict[tuple[str, str], bool] = {}

    def parents(a) -> list[str]:
        return registry.parents(a.id) if registry is not None and hasattr(registry, "parents") else []

    def org(a) -> str:
        if registry is None or not hasattr(registry, "rollup"):
            return a.id
        try:
            return registry.rollup(a.id, "organisation")
        except (KeyError, ValueError):
            return a.id

    def related(a, b) -> bool:
        if a.id == b.id:
            return True
        key = (a.id, b.id)
        if key not in cache:
            cache[key] = (a.kind == "state" and a.id in parents(b)) or (b.kind == "state" and b.id in parents(a)) \
                or org(a) == org(b)
        return cache[key]

    def compatible(a, b) -> bool:
        if a is None or b is None or related(a, b):
            return True
        for p, q in ((a, b), (b, a)):  # "Shia militias" (not in the registry) and the PMF
            if getattr(p, "provisional", False) and not getattr(q, "provisional", False) and p.kind in (
                    q.kind, "group", "other") and (not p.country or not q.country or p.country == q.country):
                return True
        return False

    return related, compatible


def dyads(frame: Frame, related: Related | None = None) -> list[tuple[object, object]]:
    """(source, target) pairs of a frame, with None for a missing end.  A list pairs the speaker with
    each listed party ("X held talks with Saudi Arabia and Oman": X-SAU, X-OMN, never SAU-OMN); a list
    with no speaker ("talks between A, B and C") pairs every two.  An actor and its own organisation
    are never a pair.  Symmetric relation types give each pair once, events both directions."""
    related = related or (lambda a, b: a.id == b.id)
    out: list[tuple[object, object]] = []
    if frame.pooled:
        symmetric = typology.get(frame.entry.type).symmetric
        listed = [a for a in frame.pooled if a not in frame.sources]
        if frame.sources:
            pairs = [(s, p) for s in frame.sources for p in listed]
        else:
            pairs = [(a, b) for i, a in enumerate(listed) for b in listed[i + 1:]]
        for a, b in pairs:
            if related(a, b):
                continue
            out.append((a, b))
            if not symmetric:
                out.append((b, a))
        if not out and len(frame.pooled) == 1 and not frame.sources:
            out.append((frame.pooled[0], None))  # one party of a relation: may join the article's
        return out
    sources, targets = frame.sources or [None], frame.targets or [None]
    for s in sources:
        for t in targets:
            if s is None and t is None and (frame.entry.relation or not (frame.definite or "headline" in frame.notes)):
                continue  # no party at all: only "the strike" (or a headline) can say which event it is
                # (a relation's "the ongoing tensions" may be any of the article's)
            if s is not None and t is not None and s.id == t.id:
                continue  # (a government may act on its own country's people: only lists drop relatives)
            out.append((s, t))
    return out


# -- events ----------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Item:
    """One frame's telling of one (source, target) pair; an end may be missing."""

    n: int  # frame index in the article
    frame: Frame
    source: object | None
    target: object | None


@dataclass(slots=True)
class _Event:
    type: str
    group: str
    symmetric: bool
    items: list[_Item] = field(default_factory=list)

    def parties(self, end: str) -> list:
        return [getattr(i, end) for i in self.items if getattr(i, end) is not None]

    @property
    def when(self) -> EventDate:
        return finest(i.frame.when for i in self.items)

    @property
    def first_unit(self) -> int:
        return min(i.frame.unit for i in self.items)


def _places_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.lower() == b.lower() or a.lower() in b.lower() or b.lower() in a.lower()


def _fits(event: _Event, item: _Item, compatible: Related) -> bool:
    f = item.frame
    if f.entry.type != event.type or MODALITY_GROUPS.get(f.modality, f.modality) != event.group:
        return False
    ends = [(item.source, item.target)] + ([(item.target, item.source)] if event.symmetric else [])
    sources, targets = event.parties("source"), event.parties("target")
    if not any(all(compatible(x, p) for p in sources) and all(compatible(y, q) for q in targets)
               and not _crossed(x, y, sources, targets) for x, y in ends):
        return False
    if f.entry.relation:
        return True
    when = event.when
    if f.when.precision != "reported" and when.precision != "reported":
        if not (contains(when, f.when) or contains(f.when, when)):
            return False
    places = {i.frame.location for i in event.items if i.frame.location}
    return all(_places_agree(f.location, p) for p in places)


def _crossed(source, target, sources: list, targets: list) -> bool:
    """The mention names an event's target as its source (or the reverse): "A hit B" and "B hit A"
    are two events, however loosely a provisional name fits."""
    return (source is not None and any(source.id == t.id for t in targets)) or (
        target is not None and any(target.id == s.id for s in sources))


def events_of(frames: list[Frame], compatible: Related, related: Related | None = None) -> list[_Event]:
    """Group the article's mentions into events (see the module's docstring)."""
    items = [_Item(n, f, s, t) for n, f in enumerate(frames) for s, t in dyads(f, related)]
    whole = [i for i in items if i.source is not None and i.target is not None]
    partial = [i for i in items if i.source is None or i.target is None]
    events: list[_Event] = []

    def new(item: _Item) -> None:
        et = typology.get(item.frame.entry.type)
        events.append(_Event(et.name, MODALITY_GROUPS.get(item.frame.modality, item.frame.modality),
                             et.symmetric, [item]))

    # Dated mentions first, so that an undated one finds the event whatever the order of telling.
    for item in sorted(whole, key=lambda i: (i.frame.when.precision == "reported", i.n)):
        f = item.frame
        fitting = [e for e in events if _fits(e, item, compatible)]
        # A mention naming both parties joins an event of exactly its pair; only "the strike" or the
        # headline may name them otherwise ("a U.S. strike" after "CJTF-OIR forces struck").
        # Related parties on the same day at the same place are one event too ("CJTF-OIR forces struck
        # near Kirkuk on December 3" and "the U.S. strike near Kirkuk on Sunday, December 3").
        fitting = [e for e in fitting if _same_pair(e, item)] or (
            fitting if f.definite or "headline" in f.notes else [e for e in fitting if _same_day_and_place(e, f)])
        if fitting:
            _closest(fitting, f).items.append(item)
        else:
            new(item)
    # A mention with a party missing joins one event: the one naming its party itself (not only a unit
    # or state of it), then the one it refers to (_closest).
    by_frame: dict[int, list[_Item]] = {}
    for item in partial:
        by_frame.setdefault(item.n, []).append(item)
    for n, its in by_frame.items():
        f = frames[n]
        choices = []
        for item in its:
            fitting = [e for e in events if _fits(e, item, compatible)]
            if not ("headline" in f.notes or f.definite or f.when.precision != "reported" or f.entry.relation):
                fitting = [e for e in fitting if any(i.frame.unit == f.unit for i in e.items)]
            if fitting:
                exact = [e for e in fitting if _names(e, item)]
                choices.append((0 if exact else 1, item, _closest(exact or fitting, f)))
        if choices:
            _, item, event = min(choices, key=lambda c: c[0])
            event.items.append(item)
    return events


def _names(event: _Event, item: _Item) -> bool:
    """The mention names one of the event's own parties (by id)."""
    ids = {a.id for i in event.items for a in (i.source, i.target) if a is not None and i.source is not None
           and i.target is not None}
    return any(a is not None and a.id in ids for a in (item.source, item.target))


def _same_day_and_place(event: _Event, f: Frame) -> bool:
    """Is f told on a day and at a place that a telling of the event gives too?"""
    if f.when.precision != "day" or not f.location:
        return False
    return any(i.frame.when.precision == "day" and i.frame.when.value == f.when.value and i.frame.location
               and _places_agree(f.location, i.frame.location) for i in event.items)


def _same_pair(event: _Event, item: _Item) -> bool:
    pairs = {(i.source.id, i.target.id) for i in event.items if i.source is not None and i.target is not None}
    key = (item.source.id, item.target.id)
    return key in pairs or (event.symmetric and key[::-1] in pairs)


def _closest(events: list[_Event], f: Frame) -> _Event:
    """The event a mention refers to: the latest told before it, else (a headline) the first after."""
    before = [e for e in events if e.first_unit <= f.unit]
    return max(before, key=lambda e: e.first_unit) if before else min(events, key=lambda e: e.first_unit)


def date_from_references(frames: list[Frame], events: list[_Event], published: date | None) -> bool:
    """Undated mentions whose clause names an earlier event ("notified of the strike") are dated from
    it; True when any date changed (events must then be formed again)."""
    event_of: dict[int, _Event] = {i.n: e for e in events for i in e.items}
    changed = False
    for f in frames:
        if f.when.precision != "reported" or not f.refs or f.entry.relation or f.modality in (
                "negated", "hypothetical"):
            continue
        for local, _tok, relation, _noun in f.refs:
            ref_event = event_of.get(local) if isinstance(local, int) else _latest_event(events, f)
            if ref_event is None or ref_event.group != "factual":
                continue
            when = ref_event.when
            if when.precision in ("reported", "range") or when.value is None:
                continue
            if relation == "before":
                f.when = EventDate(None, "range", f"before {when.value.isoformat()}", end=when.value)
            else:
                f.when = EventDate(when.value, "range", f"from {when.value.isoformat()}",
                                   end=max(published, when.value) if published else when.value)
            changed = True
            break
    return changed


def references(frames: list[Frame], events: list[_Event]) -> dict[int, list[tuple[Frame, str]]]:
    """Sentences that tell an event only by a definite noun ("the incident has fueled tensions",
    "an explanation for the incident"): id(event) -> (frame of the sentence, noun). They are evidence
    of the event they refer to."""
    out: dict[int, list[tuple[Frame, str]]] = {}
    for f in frames:
        for local, _tok, _relation, noun in f.refs:
            if local is None and (event := _latest_event(events, f)) is not None:
                out.setdefault(id(event), []).append((f, noun))
    return out


def _latest_event(events: list[_Event], f: Frame) -> _Event | None:
    """"The incident": the material-conflict event (QuadClass 4) last told before the mention's
    sentence; a generic noun does not refer to a meeting or a statement."""
    last: list[tuple[int, int, _Event]] = []
    for e in events:
        told = [i.frame.unit for i in e.items if i.frame.unit < f.unit]
        if told and e.group == "factual" and typology.get(e.type).quad_class == 4 and any(
                i.source is not None and i.target is not None for i in e.items):
            last.append((max(told), len(e.items), e))
    return max(last, key=lambda x: x[:2])[2] if last else None


def link_references(frames: list[Frame]) -> None:
    """Sentence-local anaphor frame indices -> article frame indices (frames of a sentence are
    contiguous and in trigger order)."""
    for n, f in enumerate(frames):
        if not f.refs:
            continue
        first = n
        while first > 0 and frames[first - 1].unit == f.unit:
            first -= 1
        f.refs = [((first + r[0][1]) if isinstance(r[0], tuple) else r[0], *r[1:]) for r in f.refs]


# -- statements ------------------------------------------------------------------------------------

def _canonical(event: _Event, end: str, avoid: str | None = None):
    """The party an event is filed under: the one most mentions name (registry actors before
    provisional ones, then the first told); never `avoid`, the other end, while another is told."""
    told = [(i.n, getattr(i, end)) for i in event.items if i.source is not None and i.target is not None]
    told = [t for t in told if t[1].id != avoid] or told
    counts: dict[str, int] = {}
    for _, a in told:
        counts[a.id] = counts.get(a.id, 0) + 1
    return min(told, key=lambda x: (getattr(x[1], "provisional", False), -counts[x[1].id], x[0]))[1]


def statements_of(events: list[_Event], published: date | None,
                  referring: dict[int, list[tuple[Frame, str]]] | None = None) -> list[Statement]:
    out = []
    referring = referring or {}
    for e in events:
        whole = [i for i in e.items if i.source is not None and i.target is not None]
        if not whole:
            continue
        source = _canonical(e, "source")
        target = _canonical(e, "target", avoid=source.id)
        if e.symmetric:
            # the pair as most mentions tell it, then in id order (the id orders it anyway)
            source, target = (source, target) if source.id <= target.id else (target, source)
        if source.id == target.id:
            continue
        st = _statement(e, source, target, published, referring.get(id(e), ()))
        # in reading order; within a sentence the main clause's event first (the most central trigger)
        lead = min((i.frame for i in e.items if i.frame.sentence == st.sentence), key=lambda f: f.rank)
        out.append((st.char_start if st.char_start is not None else -1, lead.rank, st.id, st))
    out.sort(key=lambda x: x[:3])
    return _distinct_ids([x[3] for x in out])


def _distinct_ids(statements: list[Statement]) -> list[Statement]:
    """Two events of one article that still share an id (same pair, type and day) are one."""
    seen: dict[str, Statement] = {}
    for st in statements:
        if st.id in seen:
            first = seen[st.id]
            ev = tuple(dict.fromkeys(first.evidence + st.evidence))
            seen[st.id] = replace(first, evidence=ev, mentions=len(ev))
        else:
            seen[st.id] = st
    return list(seen.values())


_REFERENCE_CONFIDENCE = 0.5  # a sentence that names the event only by "the incident"
_STRENGTH = {m: i for i, m in enumerate(MODALITY_STRENGTH)}


def _statement(e: _Event, source, target, published: date | None, referring=()) -> Statement:
    frames = list({id(i.frame): i.frame for i in sorted(e.items, key=lambda i: i.n)}.values())
    when = e.when
    et = typology.get(e.type)
    relation = et.kind == "relation"
    if relation and published:
        when = EventDate(published, "reported")
    modality = min((f.modality for f in frames), key=lambda m: _STRENGTH.get(m, 9))
    # The first telling gives the provenance, unless a later one carries the date.
    dated = [f for f in frames if f.when.precision == when.precision and f.when.value == when.value]
    lead = min(dated or frames, key=lambda f: (f.unit, f.char_start or 0))
    location = next((f.location for f in [lead] + frames if f.location), None)
    speakers = list(dict.fromkeys(f.attribution for f in frames if f.attribution))
    # who said it, in the order they are told (an asserted telling keeps modality "asserted")
    attribution = "; ".join(speakers) if speakers else None
    sid = statement_id(source.id, target.id, e.type, when.value, modality,
                       scope=lead.article_id if relation or when.precision in ("reported", "range") else None,
                       symmetric=et.symmetric, precision=when.precision, place=location)
    # one evidence row per sentence that tells the event (two triggers of one sentence are one report)
    told: dict[tuple, Mention] = {}
    for f in frames:
        m = f.telling(source.id, target.id)
        told.setdefault((m.article_id, m.char_start, m.char_end, m.sentence if m.char_start < 0 else ""), m)
    for f, noun in referring:  # "the incident": tells the event, adds nothing to it
        m = replace(f.telling(source.id, target.id), rule=f"reference:{noun}", confidence=_REFERENCE_CONFIDENCE)
        told.setdefault((m.article_id, m.char_start, m.char_end, m.sentence if m.char_start < 0 else ""), m)
    own = lead.telling(source.id, target.id)
    evidence = tuple(sorted(told.values(), key=lambda m: (m.char_start, m.rule)))
    counted = _casualties(frames) if e.type in ("ASSAULT", "COERCE") else Casualties()
    return Statement(
        id=sid, source=ActorRef.of(source), target=ActorRef.of(target), type=e.type,
        cameo=lead.entry.cameo, quad_class=lead.entry.quad_class, goldstein=lead.entry.goldstein,
        date=when.value, date_precision=when.precision, modality=modality, attribution=attribution,
        location=location, article_id=lead.article_id, sentence=lead.sentence, char_start=lead.char_start,
        char_end=lead.char_end, rule=lead.rule, confidence=max(f.confidence for f in frames),
        **{name: getattr(own, name) for name in ("record_id", *PARTY_SPAN_FIELDS)},
        mentions=len(evidence), evidence=evidence,
        extra={k: v for f in frames for k, v in f.extra.items()},
        date_end=when.end if when.precision == "range" else None,
        killed=counted.killed, killed_at_least=counted.killed_at_least,
        injured=counted.injured, injured_at_least=counted.injured_at_least,
    )


def _casualties(frames: list[Frame]) -> Casualties:
    """One event's counts: the largest any telling gives (each telling counts the same dead again);
    an exact count beats a lower bound of the same number."""
    best = Casualties()
    for f in frames:
        c = f.casualties
        if c is None:
            continue
        k = max((best.killed, best.killed_at_least), (c.killed, c.killed_at_least), key=_count_key)
        i = max((best.injured, best.injured_at_least), (c.injured, c.injured_at_least), key=_count_key)
        best = Casualties(k[0], k[1], i[0], i[1])
    return best


def _count_key(v: tuple[int | None, bool]) -> tuple[int, bool]:
    return (-1 if v[0] is None else v[0], not v[1])


def to_statements(frames: list[Frame], published: date | None, registry=None) -> list[Statement]:
    """The article's statements: one per event, every mention kept as evidence."""
    related, compatible = party_tests(registry)
    events = events_of(frames, compatible, related)
    if date_from_references(frames, events, published):
        events = events_of(frames, compatible, related)
    return statements_of(events, published, references(frames, events))
