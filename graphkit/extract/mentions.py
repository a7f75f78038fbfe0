"""Step 1 of a sentence: its actor mentions, which tokens they block for triggers, and its places.

    parsed sentence (spaCy Doc) -> SentenceMentions
"""

from __future__ import annotations

from dataclasses import dataclass

from ..registry.resolver import is_patron
from .arguments import MentionIndex
from .lexicon import Lexicon
from .locations import PLACE_LABELS


@dataclass(frozen=True, slots=True)
class SentenceMentions:
    """Who and where a parsed sentence names."""

    mentions: tuple  # ActorMention, every one the resolver found (outlets and places included)
    index: MentionIndex  # token -> the party-capable mention covering it
    blocked: frozenset[int]  # tokens inside actor names never trigger ("Operation Inherent Resolve")
    places: tuple  # spans of the sentence's places (GPE/LOC/FAC and places the resolver found)
    country: str | None  # the country of the sentence's first place the gazetteers know


def read_mentions(doc, resolver, lex: Lexicon, on, context, country_of_word, country_actor) -> SentenceMentions:
    mentions = resolver.resolve(doc, on, context)
    index = MentionIndex(doc, mentions, lex, country_of_word, country_actor)
    blocked: set[int] = set()
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None and (len(span) > 1 or span.root.pos_ == "PROPN"):
            blocked.update(t.i for t in span)
    places = place_spans(doc, mentions)
    country = resolver.sentence_country(doc, mentions) if places else None
    return SentenceMentions(tuple(mentions), index, frozenset(blocked), tuple(places), country)


def place_spans(doc, mentions) -> list:
    """Places of a sentence: spaCy's GPE/LOC/FAC entities (not patrons: "Iran-backed") and the
    mentions the resolver found to be places ("the Ruwaiha frontline", "Al Asad Air Base")."""
    spans = [e for e in doc.ents if e.label_ in PLACE_LABELS and not is_patron(e)]
    starts = {e.start for e in spans}
    for m in mentions:
        if m.rule == "ner:place":
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None and span.start not in starts:
                spans.append(span)
    return spans


class AllMentions:
    """A MentionIndex over every mention (outlets included), for naming speakers."""

    def __init__(self, doc, mentions):
        self.by_token = {}
        self.onlooker = frozenset()
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            for t in span or ():
                self.by_token.setdefault(t.i, m)
