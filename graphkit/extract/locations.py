"""Where an event happened: a place name (GPE/LOC/FAC, or a place the resolver found) near the trigger."""

from __future__ import annotations

from .. import wordlists

PLACE_LABELS = {"GPE", "LOC", "FAC"}


def governor(tok):
    """The verb a token hangs from (itself when a verb)."""
    cur = tok
    for _ in range(12):
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def find_location(doc, trigger_i: int, used: set[int], places=None) -> str | None:
    """The nearest place name in the trigger's phrase or clause that is not an argument of the event.
    `places`: the sentence's place spans (default: its GPE/LOC/FAC entities)."""
    if places is None:
        places = [e for e in doc.ents if e.label_ in PLACE_LABELS]
    if not places:
        return None
    trig = doc[trigger_i]
    gov = governor(trig)
    scope = {t.i for t in trig.subtree} | {t.i for t in gov.subtree}
    best = None
    for ent in places:
        if ent.root.i not in scope:
            continue
        if any(t.i in used for t in ent):
            continue
        head = ent.root.head
        before_trigger = ent.root.dep_ == "compound" and head.i == trigger_i  # "Baghdad blast", "Kabul attack"
        if (not (ent.root.dep_ == "pobj" and head.lower_ in wordlists.get("place_preps"))
                and ent.root.dep_ not in ("npadvmod", "appos") and not before_trigger):
            continue
        dist = abs(ent.root.i - trigger_i)
        if best is None or dist < best[0]:
            best = (dist, ent.text)
    return best[1] if best else None
