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


def find_triggers(doc, lex: Lexicon, blocked: set[int] = frozenset()) -> list[Trigger]:
    """Triggers in document order.  Tokens inside actor names (`blocked`, e.g. "Coordination
    Framework", "Operation Inherent Resolve") never trigger."""
    found: list[Trigger] = []
    claimed: set[int] = set()
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
        if entry.objects and not nominal and not any(
                c.dep_ == "dobj" and c.lemma_.lower() in entry.objects for c in tok.children):
            continue  # "gave 2 million euros to", not "gave a speech"
        found.append(Trigger(i, (i,), entry, nominal))
        claimed.add(i)
    return found
