"""Modality of a trigger (asserted, negated, future, planned, hypothetical, claimed) and who said so."""

from __future__ import annotations

from dataclasses import dataclass

from .. import wordlists
from .lexicon import Cues

# Strongest first: a negated plan is negated, a hypothetical future is hypothetical.
_RANK = ("negated", "hypothetical", "planned", "future")


@dataclass(frozen=True, slots=True)
class Modality:
    value: str
    speaker: object | None = None  # the token heading the speaker's noun phrase, or None
    cue: str | None = None
    obligation: bool = False  # "Sudan must return the helicopter": a demand when someone said it
    refusal: bool = False  # negated by its own actor: "will not accept", "refused to send", "failed to agree"


def _negated_here(tok, cues: Cues) -> bool:
    """A negation cue (modality.toml `negation`) on the word or on its subject ("no one", "neither X
    nor Y", "nobody")."""
    neg = cues.negation
    for c in tok.children:
        if c.dep_ == "neg" or (c.dep_ in ("det", "preconj") and c.lower_ in neg):
            return True
        if c.dep_ in ("nsubj", "nsubjpass"):
            if any(g.dep_ in ("det", "preconj") and g.lower_ in neg for g in c.children) and c.lower_ != "one":
                return True
            if c.lower_ in neg:
                return True
    return False


def modality_of(doc, trigger_i: int, cues: Cues) -> Modality:
    """Walk from the trigger up through its governors, collecting modal cues, until a reporting verb
    (whose subject becomes the speaker) or the root."""
    found: set[str] = set()
    obligation = refusal = False
    speaker = None
    cue = None
    cur = doc[trigger_i]
    for _ in range(20):
        if _negated_here(cur, cues):
            found.add("negated")
            # the word itself negated ("will not accept"), not its subject ("no one attacked")
            refusal = refusal or any(c.dep_ == "neg" for c in cur.children)
        for c in cur.children:
            low = c.lower_
            if c.dep_ in ("aux", "auxpass"):
                if low in cues.future_aux:
                    found.add("future")
                elif low in wordlists.get("obligation_aux"):
                    obligation = True
                elif low in wordlists.get("conditional_aux"):
                    found.add("would")
                elif low in cues.hypothetical_aux:
                    found.add("hypothetical")
            elif c.dep_ == "mark" and low in cues.hypothetical_marks:
                found.update(("hypothetical", "condition"))
            elif c.dep_ == "prep" and low == "according":
                for to in c.children:
                    for p in to.children:
                        if p.dep_ == "pobj" and speaker is None:
                            speaker, cue = p, "according to"
        if cur.dep_ == "aux" and cur.lower_ == "going":
            found.add("future")
        head = cur.head
        if head.i == cur.i:
            break
        hl = head.lemma_.lower()
        if cur.dep_ in ("xcomp", "acl", "ccomp", "advcl") and hl in cues.planning and head.i != trigger_i:
            found.add("planned")
        if cur.dep_ in ("xcomp", "ccomp") and hl in cues.desiring and head.i != trigger_i:
            found.add("hypothetical")
        if ((cur.dep_ in ("xcomp", "pobj", "pcomp") and (hl in cues.negating_verbs or hl in cues.refusing))
                or (cur.dep_ == "dobj" and hl in cues.refusing)):
            # "failed to attack", "refused to send troops", "rejected the offer": it did not happen
            # ("foiled an attack" still tells an attack: only a refusal negates its object)
            found.add("negated")
            refusal = refusal or hl in cues.refusing
        if cur.dep_ == "pobj" and head.head.i != head.i and head.head.lemma_.lower() in cues.hypothetical_nouns:
            found.add("hypothetical")
        if cur.dep_ in ("acl", "ccomp", "appos") and hl in cues.reporting_nouns and head.pos_ in ("NOUN", "PROPN"):
            # "the ministry's statement that ...", "a report by X that ...": the noun's owner says so
            for c in head.children:
                if c.dep_ in ("poss", "compound") and speaker is None:
                    speaker, cue = c, head.text
            for _, p in ((c, p) for c in head.children if c.dep_ == "prep" and c.lower_ == "by"
                         for p in c.children if p.dep_ == "pobj"):
                if speaker is None:
                    speaker, cue = p, head.text
            if speaker is not None:
                break
        if cur.dep_ in ("ccomp", "parataxis", "dobj") and hl in cues.reporting and head.pos_ in ("VERB", "AUX"):
            for c in head.children:
                if c.dep_ in ("nsubj", "nsubjpass") and speaker is None:
                    speaker, cue = c, head.text
            break
        cur = head
    if "would" in found:
        # Reported speech shifts "will" to "would" ("they said they would boycott"): future, unless
        # there is a condition ("would meet him if ...") or no one reports it.
        found.add("future" if speaker is not None and "condition" not in found else "hypothetical")
    for value in _RANK:
        if value in found:
            # "if Damascus does not withdraw": a condition is not a refusal
            return Modality(value, speaker, cue, obligation, refusal and value == "negated" and "condition" not in found)
    return Modality("claimed" if speaker is not None else "asserted", speaker, cue, obligation)
