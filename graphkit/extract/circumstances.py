"""Step 3 of a trigger: who says so, how (modality), when and where.

    (Doc, Trigger, Arguments, SentenceMentions) -> Circumstances
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .arguments import Arguments, actors_of
from .dates import EventDate, date_text, reported, resolve
from .lexicon import Lexicon
from .locations import find_location, governor
from .mentions import AllMentions, SentenceMentions
from .modality import modality_of
from .triggers import Trigger

_DATE_LABELS = {"DATE", "TIME"}


@dataclass(frozen=True, slots=True)
class Circumstances:
    modality: str  # asserted | claimed | negated | future | planned | hypothetical
    attribution: str | None  # who says so, as named
    speaker: object | None  # the party-capable Actor who says so
    obligation: bool  # "X must ...", said by someone: a demand
    when: EventDate
    location: str | None
    speaker_mention: object | None = None  # where the sentence names the speaker (an actor mention)
    refusal: bool = False  # negated by the actor's own choice ("refused to", "will not")


def circumstances_of(doc, t: Trigger, args: Arguments, sm: SentenceMentions, lex: Lexicon,
                     unit_speaker: str | None, quote_speaker, published: date | None) -> Circumstances:
    mod = modality_of(doc, t.head, lex.cues)
    attribution, speaker, speaker_mention = None, None, None
    if mod.speaker is not None:
        acts = actors_of(mod.speaker, sm.index) or actors_of(mod.speaker, AllMentions(doc, sm.mentions))
        if acts:
            attribution, speaker_mention = acts[0].actor.name, acts[0]
            if acts[0].actor.kind not in lex.cues.media_kinds:
                speaker = acts[0].actor
        elif unit_speaker:
            attribution, speaker = unit_speaker, quote_speaker
        elif mod.speaker.pos_ != "PRON":
            attribution = " ".join(w.text for w in mod.speaker.subtree)[:80]
    elif unit_speaker:
        attribution, speaker = unit_speaker, quote_speaker
    modality = mod.value
    if modality == "asserted" and attribution:
        modality = "claimed"
    if t.entry.relation:
        when, location = reported(published), None
    else:
        used = {i for m in args.sources + args.targets + args.pooled for i in _tokens(doc, m)}
        when, location = event_date(doc, t.head, published, lex), find_location(doc, t.head, used, list(sm.places))
    return Circumstances(modality, attribution, speaker, mod.obligation, when, location, speaker_mention,
                         mod.refusal)


def event_date(doc, trigger_i: int, published: date | None, lex: Lexicon) -> EventDate:
    """The date expression nearest the trigger in its clause, not the date of a report."""
    date_ents = [e for e in doc.ents if e.label_ in _DATE_LABELS]
    if not date_ents:
        return reported(published)
    trig = doc[trigger_i]
    gov = governor(trig)
    subtree = {t.i for t in trig.subtree}
    above = {a.i for a in gov.ancestors}
    best = None
    for ent in date_ents:
        egov = governor(ent.root)
        if egov.lemma_.lower() in lex.cues.reporting and egov.i not in (trig.i, gov.i):
            continue  # "reported on Wednesday": the date of the report, not of the event
        in_scope = ent.root.i in subtree or egov.i == gov.i or egov.i in above
        if not in_scope:
            continue
        resolved = resolve(date_text(ent), published)
        if resolved is None:
            continue
        dist = abs(ent.root.i - trigger_i)
        if best is None or dist < best[0]:
            best = (dist, resolved)
    return best[1] if best else reported(published)


def _tokens(doc, m) -> list[int]:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return [t.i for t in span] if span is not None else []
