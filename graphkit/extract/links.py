"""Step 6 of a sentence: which of its frames sit inside another's clause, and which tell one event twice.

    (Doc, triggers, frames, MentionIndex) -> frames with `embedded_in` / `links` set (sentence-local
    indices, made article indices by the extractor)

"a plot ... to launch an attack": the attack is embedded in the plot; "killed in a U.S. strike",
"the airstrike occurred ..., targeting X": one event told twice, whose arguments are shared later.
"""

from __future__ import annotations

from .arguments import MentionIndex, subject_of
from .events import Frame
from .triggers import Trigger

# A trigger hanging from another by these relations is inside its clause ("plot ... to launch an attack").
_EMBEDDING_DEPS = {"xcomp", "acl", "dobj", "ccomp", "compound"}
# "killed in a U.S. strike", "hit by an airstrike": the two triggers are one event.
_INSTRUMENT_PREPS = {"in", "by", "during", "with", "through", "from"}


def link_in_sentence(doc, triggers: list[Trigger], frames: list[Frame], index: MentionIndex) -> None:
    at = {t.head: n for n, t in enumerate(triggers)}
    for n, t in enumerate(triggers):
        cur = doc[t.head]
        for _ in range(6):
            if cur.head.i == cur.i or cur.dep_ not in _EMBEDDING_DEPS:
                break
            cur = cur.head
            if cur.i in at and at[cur.i] != n:
                frames[n].embedded_in = ("local", at[cur.i])
                break
        head = doc[t.head]
        linked = set()
        if head.dep_ == "pobj" and head.head.lower_ in _INSTRUMENT_PREPS and head.head.head.i in at:
            linked.add(at[head.head.head.i])
        if not t.nominal:
            _, subj_tok = subject_of(head, index)
            if subj_tok is not None and subj_tok.i in at:
                linked.add(at[subj_tok.i])
            for c in head.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i in at:
                    linked.add(at[c.i])
        elif head.dep_ in ("nsubj", "nsubjpass"):
            for c in head.head.children:
                if c.dep_ in ("advcl", "xcomp", "conj") and c.i in at:
                    linked.add(at[c.i])
        frames[n].links = [("local", m) for m in linked if triggers[m].entry.type == t.entry.type and m != n]
