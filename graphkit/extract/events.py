"""Event mentions (frames: one trigger with its arguments) and the context that fills their gaps;
graphkit.extract.coref makes them events and statements."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..model import Mention, Statement
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
    # definite event nouns the clause refers to: (frame index or None for "the incident", token, "after"|"before")
    refs: list = field(default_factory=list)
    casualties: object | None = None  # graphkit.extract.casualties.Casualties told in the sentence

    def telling(self, source_id: str, target_id: str) -> Mention:
        """This frame as evidence of a statement between source and target."""
        s, t = self.spans.get(source_id, _NO_SPAN), self.spans.get(target_id, _NO_SPAN)
        return Mention(self.article_id or "", self.sentence, self.char_start if self.char_start is not None else -1,
                       self.char_end if self.char_end is not None else -1, self.rule, self.confidence,
                       self.attribution, self.record_id, s.text, s.start, s.end, t.text, t.start, t.end)

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


def with_article(st: Statement, article_id: str) -> Statement:
    return replace(st, article_id=article_id)
