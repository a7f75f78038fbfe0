"""Step 4 of a trigger: the event as coded, after the coding conventions of CAMEO / PLOVER.

    (Doc, Trigger, Arguments, Circumstances) -> Coded

- a pronoun subject with a named speaker is the speaker ("Syria says it is willing to withdraw");
- "Russia said Sudan must return the helicopter": Russia demands it of Sudan (CAMEO 02x);
- "lifted the sanctions": easing (coding.toml [easing]);
- an announced or planned act is an intent or threat (coding.toml [intent]);
- a cooperative act its actor refuses ("will not accept", "refused to send troops") is a rejection
  that happened (coding.toml [refusal]);
- a patron ("Iran-backed militias") is kept as the party's affiliation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .arguments import Arguments
from .circumstances import Circumstances
from .lexicon import Entry, Lexicon
from .triggers import Trigger


@dataclass(slots=True)
class Coded:
    entry: Entry
    sources: list  # Actor
    targets: list
    pooled: list
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    modality: str | None = None  # when coding changes it (a refusal is told, not negated)


def code_event(doc, t: Trigger, args: Arguments, circ: Circumstances, lex: Lexicon) -> Coded:
    entry, extra, notes = t.entry, {}, []
    sources, targets = [m.actor for m in args.sources], [m.actor for m in args.targets]
    speaker, modality = circ.speaker, circ.modality
    if args.pronoun_subject and speaker is not None and not sources:
        sources, notes = [speaker], ["pronoun=speaker"]
    if circ.obligation and lex.obligation and speaker is not None and modality in ("claimed", "future", "planned"):
        extra["demanded_type"] = entry.type
        entry = entry.coded_as(*lex.obligation)
        sources, targets, notes = [speaker], [a for a in sources if a.id != speaker.id], notes + ["must"]
    head = doc[t.head]
    if lex.obligation and entry.type == "REQUEST" and entry.cameo.startswith("02") and _asks_for_conflict(head, lex):
        # "called for sanctions against Turkey", "urged a boycott of": asking others to punish a party
        # is a demand against it (verbal conflict), not an appeal for cooperation
        extra["demanded_type"] = "conflict"
        entry = entry.coded_as(*lex.obligation)
    eased = t.nominal and head.dep_ in ("dobj", "nsubjpass") and lex.easing.get((entry.type, head.head.lemma_.lower()))
    if eased:
        extra["eased_type"] = entry.type
        entry = entry.coded_as(*eased)
    refused = lex.refusal.get(entry.type) if circ.refusal else None
    new_modality = None
    if refused and (sources or args.pooled):  # "A and B failed to reach agreement": each rejected the other
        extra["refused_type"] = entry.type
        entry = entry.coded_as(*refused)
        new_modality = "claimed" if circ.attribution else "asserted"
    coded = lex.intent.get((entry.type, modality)) if new_modality is None else None
    if coded:
        extra["intended_type"] = entry.type
        entry = entry.coded_as(*coded)
    for role, found in (("source", args.sources), ("target", args.targets)):
        patrons = [m.affiliation for m in found if getattr(m, "affiliation", None)]
        if patrons:
            extra[f"{role}_affiliation"] = patrons[0]
    return Coded(entry, sources, targets, [m.actor for m in args.pooled], notes, extra, new_modality)


def _asks_for_conflict(head, lex: Lexicon) -> bool:
    """Is what an appeal asks for a conflict act named by a trigger noun ("called for sanctions")?"""
    asked = [c for c in head.children if c.dep_ == "dobj"]
    asked += [g for c in head.children if c.dep_ == "prep" and c.lower_ == "for" for g in c.children if g.dep_ == "pobj"]
    for tok in asked:
        entry = lex.nouns.get(tok.lemma_.lower()) or lex.nouns.get(tok.lower_)
        if entry is not None and entry.quad_class in (3, 4) and not entry.relation:
            return True
    return False
