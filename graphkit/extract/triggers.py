"""Finding event triggers (lexicon words and phrases) in a parsed sentence."""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import Entry, Lexicon

VERB_POS = {"VERB"}
NOUN_POS = {"NOUN", "PROPN"}


@dataclass(frozen=True, slots=True)
class Trigger:
    head: int  # token index of the head word in the doc
    tokens: tuple[int, ...]
    entry: Entry
    nominal: bool  # a noun (nominalisation) rather than a verb
    phrase: bool = False

    def text(self, doc) -> str:
        return " ".join(doc[i].text for i in self.tokens)


def _forms(tok) -> tuple[str, str]:
    return tok.lemma_.lower(), tok.lower_


def _phrase_at(doc, i: int, lex: Lexicon):
    tok = doc[i]
    for key in dict.fromkeys(_forms(tok)):
        for phrase in lex.phrases.get(key, ()):
            n = len(phrase.lemmas)
            if i + n > len(doc):
                continue
            if all(phrase.lemmas[k] in _forms(doc[i + k]) for k in range(n)):
                return phrase
    return None


def _counted(doc, i: int) -> bool:
    """A casualty adjective counts when a number stands just before it ("25 dead", "among 13 dead")."""
    return any(doc[k].like_num for k in range(max(0, i - 3), i))


def acted_on(tok) -> list:
    """What a verb acts on: its direct object (or a passive's subject) with the object's own
    modifiers ("halted economic aid", "withdraw its peacekeeping force", "aid deliveries were suspended")."""
    passive = any(c.dep_ == "auxpass" for c in tok.children)
    objs = [c for c in tok.children if c.dep_ == "dobj" or (passive and c.dep_ == "nsubjpass")]
    for prt in (c for c in tok.children if c.dep_ == "prt"):  # "pulled out its troops" parsed as prt+pobj
        objs.extend(g for p in prt.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj")
    return objs


def _sense(tok, lex: Lexicon) -> tuple[Entry, list[int]] | None:
    """The entry of a verb sense whose objects include what the verb acts on, and the object tokens."""
    lemma, lower = _forms(tok)
    entries = lex.senses.get(lemma) or lex.senses.get(lower)
    if not entries:
        return None
    for obj in acted_on(tok):
        words = [obj] + [c for c in obj.children if c.dep_ in ("compound", "amod")]
        for entry in entries:
            if any(w.lemma_.lower() in entry.objects or w.lower_ in entry.objects for w in words):
                # conjoined objects are acted on too: "suspended military aid and weapons deals"
                parts = [c for c in obj.children if c.dep_ == "conj"]
                words += parts + [g for c in parts for g in c.children if g.dep_ in ("compound", "amod")]
                return entry, [w.i for w in words]
    return None


def find_triggers(doc, lex: Lexicon, blocked: set[int] = frozenset()) -> list[Trigger]:
    """Triggers in document order.  Tokens inside actor names (`blocked`, e.g. "Coordination
    Framework", "Operation Inherent Resolve") never trigger.  What a verb sense acts on is not an
    event of its own: "halted aid" is a sanction, not aid; "cut diplomatic ties" is not cooperation."""
    found: list[Trigger] = []
    claimed: set[int] = set()
    acted_on: set[int] = set()
    for i, tok in enumerate(doc):
        if i in claimed or i in blocked:
            continue
        phrase = _phrase_at(doc, i, lex)
        if phrase:
            idx = tuple(range(i, i + len(phrase.lemmas)))
            if not (set(idx) & blocked):
                head = doc[idx[phrase.head]]
                found.append(Trigger(head.i, idx, phrase.entry, head.pos_ not in VERB_POS, True))
                claimed.update(idx)
                continue
        lemma, lower = _forms(tok)
        entry = None
        nominal = False
        if tok.pos_ in VERB_POS:
            sense = _sense(tok, lex)
            if sense is not None:
                entry = sense[0]
                acted_on.update(sense[1])
                claimed.update(k for k in sense[1] if k > i)
            else:
                entry = lex.verbs.get(lemma) or lex.verbs.get(lower)
        elif tok.pos_ in NOUN_POS:
            entry = lex.nouns.get(lower) or lex.nouns.get(lemma)
            nominal = True
        elif tok.pos_ == "ADJ" and (lower in lex.adjectives) and _counted(doc, i):
            entry = lex.adjectives[lower]  # "25 dead in attacks", "13 dead": told as a passive
        if entry is None:
            continue
        if entry.require_object and not any(c.dep_ == "dobj" for c in tok.children):
            continue
        found.append(Trigger(i, (i,), entry, nominal))
        claimed.add(i)
    for t in found:
        if t.nominal and t.entry.type == "SANCTION":
            # "a suspension of aid to Egypt", "the severance of ties": what a sanction stops is no event
            acted_on.update(g.i for c in doc[t.head].children if c.dep_ == "prep" and c.lower_ == "of"
                            for g in c.children if g.dep_ == "pobj")
    return [t for t in found if t.head not in acted_on]
