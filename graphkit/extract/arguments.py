"""Who did it and to whom: source and target actors of a trigger, from the dependency parse.

Patterns (recorded in the rule name): active (nsubj -> dobj/prep), passive (agent -> nsubjpass),
nominal (poss/compound/amod/"by X" -> "on/against X", "of X"), light verb ("X launched an attack on Y"),
between ("the rift between A and B"), coordination (every conjunct is an actor), appositions, and
inherited subjects (conjoined verbs, "X threatened to attack Y", "urged X to withdraw").
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from .. import wordlists
from .lexicon import Lexicon
from .triggers import Trigger, acted_on

# Dependents an argument search does not cross: other clauses and punctuation.
_BARRIERS = {"relcl", "advcl", "ccomp", "xcomp", "parataxis", "punct", "cc", "conj", "mark", "csubj", "prep_clause"}
_SUBJ = {"nsubj"}
_NOMINAL_SOURCE_DEPS = {"poss", "compound", "amod", "nmod"}
# Types whose target may be the subject of the complement clause ("demanded that X withdraw").
_CLAUSE_TARGET_TYPES = {"REQUEST"}


@dataclass(frozen=True, slots=True)
class DemonymMention:
    """An actor mention made here from a bare demonym ("Palestinians") when the registry gave none."""

    start: int
    end: int
    text: str
    actor: object
    rule: str = "demonym"
    confidence: float = 0.6


@dataclass(slots=True)
class Arguments:
    sources: list = field(default_factory=list)  # ActorMention
    targets: list = field(default_factory=list)
    pooled: list = field(default_factory=list)  # symmetric: "between A and B", "A and B met"
    pattern: str = ""
    pronoun_subject: bool = False  # "it/they will ...": the subject is a pronoun no actor was found for


class MentionIndex:
    """Token -> actor mention for one parsed sentence, without non-parties."""

    def __init__(self, doc, mentions, lex: Lexicon, country_of_word=None, country_actor=None):
        self.by_token: dict[int, object] = {}
        self.places: dict[int, object] = {}  # token -> a state mention standing for a place
        cues = lex.cues
        for m in mentions:
            if getattr(m.actor, "provisional", False) and m.actor.kind == "person":
                m = _titled_by_organisation(doc, m, mentions)
            if country_of_word is not None and m.actor.country is None and m.actor.kind not in ("igo", "ngo", "media"):
                m = _with_country(doc, m, country_of_word)
            if m.actor.kind in cues.media_kinds:
                continue  # outlets are provenance, never parties
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            if span.root.lower_ in cues.onlooker_heads or span.root.lemma_.lower() in cues.onlooker_heads:
                continue
            if m.rule == "ner:place" or (getattr(m.actor, "provisional", False)
                                         and span.root.ent_type_ in ("GPE", "LOC", "FAC")):
                continue  # a place the registry does not know ("near Kirkuk") is a location, not a party
            if m.actor.kind == "state" and (_locative(span.root) or _city_before_violence(span, lex)):
                # "bombings near Baghdad", "fighting in Syria": the state is where it happened
                self.places[span.root.i] = m
                continue
            for t in span:
                self.by_token.setdefault(t.i, m)
        self.onlooker = cues.onlooker_heads
        self.reporting = cues.reporting
        if country_actor is not None:
            # "Palestinians blamed Israel", "Algerian landowners began a hunger strike": a demonym that
            # no registry mention covers stands for its country.
            for tok in doc:
                if tok.i in self.by_token or not tok.text[:1].isupper() or tok.ent_type_ not in ("NORP", "GPE", ""):
                    continue
                actor = country_actor(tok.text)
                if actor is not None:
                    self.by_token[tok.i] = DemonymMention(tok.idx, tok.idx + len(tok.text), tok.text, actor)

    def tokens(self) -> set[int]:
        return set(self.by_token)


def _locative(tok) -> bool:
    """Is a token the object of a preposition of place ("in", "near", "inside", ...)?"""
    return tok.dep_ == "pobj" and tok.head.lower_ in wordlists.get("locative_preps")


def _titled_by_organisation(doc, m, mentions):
    """An unknown person titled by a known organisation ("Arab League Secretary General Chadli Klibi",
    "UNHCR spokesman John Smith") acts for it, as CAMEO coders code it."""
    from dataclasses import replace

    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return m
    left = set()
    for c in span.root.lefts:
        if c.dep_ in ("compound", "nmod", "amod", "poss") and c.i < span.start:
            left.update(t.i for t in c.subtree)
    for other in mentions:
        if other is m or getattr(other.actor, "provisional", False) or other.actor.kind in ("state", "person", "media"):
            continue
        o = doc.char_span(other.start, other.end, alignment_mode="expand")
        if o is not None and o.root.i in left:
            return replace(m, actor=other.actor)
    return m


def _with_country(doc, m, country_of_word):
    """A registry-unknown actor ("British Defence Secretary Tom King", "Rwandan rebels") takes the
    country named by a demonym or country name in its own words or its noun phrase's modifiers."""
    from dataclasses import replace

    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return m
    words = list(span)
    root = span.root
    mods = ("amod", "compound", "nmod", "poss")
    for c in root.lefts:
        if c.dep_ in mods:
            words += list(c.subtree)
    if root.dep_ == "compound":
        for c in root.head.lefts:
            if c.dep_ in mods and c.i < span.start:
                words += list(c.subtree)
    for tok in words:
        if tok.text[:1].isupper():
            iso = country_of_word(tok.text)
            if iso:
                return replace(m, actor=replace(m.actor, country=iso))
    # multi-word country names as modifiers: "the Ivory Coast's Supreme Court"
    for ent in doc.ents:
        if ent.label_ == "GPE" and len(ent) > 1 and any(t in words for t in ent):
            iso = country_of_word(ent.text.removesuffix("'s").removeprefix("the ").strip())
            if iso:
                return replace(m, actor=replace(m.actor, country=iso))
    return m


def _city_before_violence(span, lex: Lexicon) -> bool:
    """"Baghdad blast", "Kabul attack": a city (a capital standing for its state) modifying a noun of
    violence is where it happened."""
    head = span.root.head
    entry = lex.nouns.get(head.lower_) or lex.nouns.get(head.lemma_.lower())
    return (span.root.dep_ == "compound" and entry is not None and entry.one_sided
            and _names_city(span.root))


def _names_city(tok) -> bool:
    """Is a token (with its compound parts) a city or subdivision the gazetteer knows, not a state?"""
    from ..registry.places import place_country

    if tok.ent_type_ not in ("GPE", "LOC", "FAC"):
        return False
    words = [c for c in tok.lefts if c.dep_ == "compound"] + [tok]
    return place_country(" ".join(w.text for w in words)) is not None


def _is_onlooker(tok, index: MentionIndex) -> bool:
    return tok.lower_ in index.onlooker or tok.lemma_.lower() in index.onlooker


def actors_of(head, index: MentionIndex, coordinate: bool = True) -> list:
    """The actor(s) a noun phrase names: breadth-first from its head, first level with a mention wins;
    conjuncts ("X and Y", "neither X nor Y") each add their own actor."""
    heads = [head]
    if coordinate:
        stack = list(head.children)
        while stack:
            c = stack.pop(0)
            if c.dep_ == "conj":
                heads.append(c)
                stack.extend(c.children)
    found = []
    for h in heads:
        if _is_onlooker(h, index):
            continue
        queue = deque([(h, 0)])
        level_hit = None
        while queue:
            tok, depth = queue.popleft()
            if level_hit is not None and depth > level_hit:
                break
            m = index.by_token.get(tok.i)
            if m is not None:
                if m not in found:
                    found.append(m)
                level_hit = depth
                continue
            for c in tok.children:
                if c.dep_ in _BARRIERS or _acts_on_its_own(c):
                    continue
                if c.dep_ == "appos" or depth < 4:
                    queue.append((c, depth + 1))
    return found


def _acts_on_its_own(tok) -> bool:
    """A participial clause with its own object ("bombs targeting Sunni worshippers", "gunmen wearing
    army uniforms"): its object is what the clause acts on, not who the noun phrase names."""
    return tok.dep_ == "acl" and any(c.dep_ == "dobj" for c in tok.children)


def subject_of(verb, index: MentionIndex, seen=None):
    """(actors, token) of a verb's subject, inherited from governing verbs where the parse leaves it implicit."""
    seen = seen or set()
    if verb.i in seen:
        return [], None
    seen.add(verb.i)
    for c in verb.children:
        if c.dep_ in _SUBJ:
            if c.lower_ in wordlists.get("relative_pronouns") and verb.dep_ == "relcl":
                return actors_of(verb.head, index), verb.head
            acts = actors_of(c, index)
            if not acts and verb.dep_ == "conj" and c.pos_ == "PRON":
                return subject_of(verb.head, index, seen)
            return acts, c
    head = verb.head
    if head.i == verb.i:
        return [], None
    if verb.dep_ == "conj":
        return subject_of(head, index, seen)
    if verb.dep_ == "ccomp" and head.lemma_.lower() in index.reporting and verb.tag_ in ("VBZ", "VBD"):
        # headline style: "Turkish military says kills 19 militants", "Army says repelled attack":
        # a reported finite verb with no subject of its own is the speaker's act
        return subject_of(head, index, seen)
    if verb.dep_ in ("xcomp", "advcl", "acomp"):
        # object control: "urged Iran to withdraw", "called on X to stop" (not purpose clauses:
        # "Iraq summoned the Iranian ambassador to protest ..." is Iraq protesting)
        for c in (head.children if verb.dep_ == "xcomp" else ()):
            if c.dep_ == "dobj":
                acts = actors_of(c, index)
                if acts:
                    return acts, c
            if c.dep_ == "prep" and c.lower_ in ("on", "upon"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        acts = actors_of(p, index)
                        if acts:
                            return acts, p
        return subject_of(head, index, seen)
    if verb.dep_ in ("acl", "relcl"):
        return actors_of(head, index), head
    if verb.dep_ == "xcomp" or head.pos_ == "ADJ":
        return subject_of(head, index, seen)
    return [], None


def _headline_passive(v) -> bool:
    """"Two Turkish soldiers killed in northern Iraq": a headline's bare past participle with a subject
    (or hanging from the noun it tells of) and no auxiliary or object is a passive: that noun is the target."""
    deps = {c.dep_ for c in v.children}
    if v.tag_ == "VBN" and v.dep_ == "acl":
        return not deps & {"dobj", "aux"}  # "soldiers killed in Iraq", "militiamen killed in a strike"
    if v.tag_ != "VBN" or v.dep_ != "ROOT":
        return False
    return "nsubj" in deps and not deps & {"aux", "auxpass", "dobj", "agent"}


def _inner_agent(noun, index) -> list:
    """The "by X" agent of a participle modifying a noun ("an IED planted by X", "the attack carried out
    by X", "an attack claimed by X"), or nothing."""
    for c in noun.children:
        if c.dep_ == "acl" and c.pos_ == "VERB":
            for _, pobj in _prep_objects(c, {"by"}):
                acts = actors_of(pobj, index)
                if acts:
                    return acts
    return []


def _prep_objects(tok, preps):
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            for p in c.children:
                if p.dep_ == "pobj":
                    yield c.lower_, p
        if c.dep_ == "agent" and "by" in preps:
            for p in c.children:
                if p.dep_ == "pobj":
                    yield "by", p


def _targets_from(tok, trigger: Trigger, index, args: Arguments) -> None:
    preps = set(trigger.entry.target_preps) - {"between", "by"}
    for prep, pobj in _prep_objects(tok, preps):
        if prep == "with" and trigger.entry.symmetric:
            args.pooled.extend(a for a in actors_of(pobj, index) if a not in args.pooled)
        else:
            args.targets.extend(a for a in actors_of(pobj, index) if a not in args.targets)


def _between(tok, index, args: Arguments) -> bool:
    for _, pobj in _prep_objects(tok, {"between", "among", "amongst"}):
        args.pooled.extend(a for a in actors_of(pobj, index) if a not in args.pooled)
        return True
    return False


def verb_arguments(doc, trigger: Trigger, index: MentionIndex, lex: Lexicon) -> Arguments:
    v = doc[trigger.head]
    args = Arguments()
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children) or _headline_passive(v)
    has_agent = any(c.dep_ == "agent" for c in v.children)
    stative = passive and not has_agent and any(c.dep_ == "prep" and c.lower_ == "to" for c in v.children)
    if stative:
        # adjectival passive: "Israel is opposed to French mediation", "Vietnam is committed to reform"
        args.pattern = "stative"
        for c in v.children:
            if c.dep_ == "nsubjpass":
                args.sources.extend(actors_of(c, index))
                args.pronoun_subject = not args.sources and c.lower_ in wordlists.get("subject_pronouns")
        for _, pobj in _prep_objects(v, {"to"}):
            args.targets.extend(a for a in actors_of(pobj, index) if a not in args.targets)
    elif passive:
        args.pattern = "passive"
        for c in v.children:
            if c.dep_ == "nsubjpass" or (c.dep_ == "nsubj" and v.tag_ == "VBN"):
                args.targets.extend(actors_of(c, index))
            if c.dep_ == "agent":
                for p in c.children:
                    if p.dep_ == "pobj":
                        args.sources.extend(actors_of(p, index))
        if not args.targets and v.dep_ == "conj":  # "were notified ... and responded"
            pass
        if not args.targets and v.dep_ in ("acl", "relcl"):
            args.targets.extend(actors_of(v.head, index))  # "militiamen killed in a strike"
    else:
        args.pattern = "active"
        args.sources, subj = subject_of(v, index)
        if not args.sources and subj is not None:
            # "an IED planted by an unknown group exploded": the agent inside the subject's phrase
            args.sources = _inner_agent(subj, index)
        args.pronoun_subject = not args.sources and subj is not None and subj.lower_ in wordlists.get("subject_pronouns")
        for c in v.children:
            if c.dep_ in ("dobj", "dative", "attr", "oprd"):
                args.targets.extend(a for a in actors_of(c, index) if a not in args.targets)
        if not args.targets and trigger.entry.type in _CLAUSE_TARGET_TYPES:
            # "demanded that the US cancel the sale", "urged Iran to": the one asked is the clause's subject
            for c in v.children:
                if c.dep_ == "ccomp":
                    for g in c.children:
                        if g.dep_ in ("nsubj", "nsubjpass"):
                            args.targets.extend(a for a in actors_of(g, index) if a not in args.targets)
    _targets_from(v, trigger, index, args)
    if trigger.entry.objects:
        # a verb sense: the target hangs on what it acts on ("halted economic aid to Serbia")
        for obj in acted_on(v):
            for part in [obj, *(c for c in obj.children if c.dep_ == "conj")]:
                _targets_from(part, trigger, index, args)
                _between(part, index, args)
    if _between(v, index, args):
        args.pattern += "+between"
    return _pool_symmetric(args, trigger)


def _pool_symmetric(args: Arguments, trigger: Trigger) -> Arguments:
    """"X and Y clashed": a symmetric relation with coordinated subjects and no target pools them."""
    if trigger.entry.symmetric and not args.targets and len(args.sources) >= 2:
        args.pooled = args.sources + [a for a in args.pooled if a not in args.sources]
        args.sources = []
        args.pattern += "+coordination"
    return args


def noun_arguments(doc, trigger: Trigger, index: MentionIndex, lex: Lexicon, triggers_at: dict) -> Arguments:
    n = doc[trigger.head]
    args = Arguments(pattern="nominal")
    # "the U.S. airstrike", "Israel's attack", "Iranian threats"
    for c in n.children:
        if c.dep_ in _NOMINAL_SOURCE_DEPS and c.i not in trigger.tokens:
            args.sources.extend(a for a in actors_of(c, index) if a not in args.sources)
    if not args.sources and any(c.dep_ == "poss" and c.lower_ in wordlists.get("possessive_pronouns")
                                   for c in n.children):
        args.pronoun_subject = True  # "Bosnian Serbs said their forces completed their withdrawal"
    for t in trigger.tokens:
        if t != n.i and t in index.by_token and index.by_token[t] not in args.sources:
            args.sources.append(index.by_token[t])
    for prep, pobj in _prep_objects(n, {"by", "from"}):
        if prep == "by" or trigger.entry.type in ("AID", "REQUEST", "THREATEN", "ACCUSE", "SUPPORT"):
            args.sources.extend(a for a in actors_of(pobj, index) if a not in args.sources)
            # "attacks by the militias on U.S. bases": the parser often hangs the target on the agent
            _targets_from(pobj, trigger, index, args)
    if not args.sources:
        # "the attack carried out by X on Y", "an attack claimed by X"
        args.sources.extend(_inner_agent(n, index))
    if not args.sources and n.dep_ == "nsubjpass" and n.head.lemma_.lower() in lex.cues.claiming:
        # "the attack was claimed by X": the claimant is the source
        for _, pobj in _prep_objects(n.head, {"by"}):
            args.sources.extend(actors_of(pobj, index))
            if args.sources:
                args.pattern = "claimed-by"
    if trigger.entry.of_role:
        for _, pobj in _prep_objects(n, {"of"}):
            acts = actors_of(pobj, index)
            (args.targets if trigger.entry.of_role == "target" else args.sources).extend(acts)
            if not acts and trigger.entry.type == "SANCTION":
                # "a suspension of aid to Egypt": the partner of what is stopped
                for _, p in [*_prep_objects(pobj, {"to", "for", "with"}), *_prep_objects(n, {"to", "for"})]:
                    args.targets.extend(a for a in actors_of(p, index) if a not in args.targets)
    _targets_from(n, trigger, index, args)
    if _between(n, index, args):
        args.pattern = "nominal+between"
    # "a mediation effort between A and B", "an aid shipment to Gaza", "Iran's peace plan": a trigger
    # noun modifying a plain noun speaks through it
    outer = n.head if (n.dep_ == "compound" and n.head.pos_ == "NOUN" and n.head.i not in triggers_at
                       and n.head.lemma_.lower() in wordlists.get("event_carriers")) else None
    if outer is not None:
        if not args.sources:
            for c in outer.children:
                if c.dep_ == "poss" or (c.dep_ in _NOMINAL_SOURCE_DEPS and c.i < n.i):
                    args.sources.extend(a for a in actors_of(c, index) if a not in args.sources)
        _targets_from(outer, trigger, index, args)
        if _between(outer, index, args):
            args.pattern = "nominal+between"
    # Light verb: "X launched an attack on Y", "X imposed sanctions on Y", "X held talks with Y";
    # through a measure noun: "X gave Y 5 million dollars of aid", "sent 20 tons of food".
    anchor = outer if outer is not None else n
    if n.dep_ == "pobj" and n.head.lower_ == "of" and n.head.head.dep_ in ("dobj", "nsubjpass"):
        anchor = n.head.head
    # "X claimed responsibility for the attack on Y": the claimant did it
    if (n.dep_ == "pobj" and n.head.lower_ == "for" and n.head.head.dep_ == "dobj"
            and n.head.head.lemma_.lower() in lex.cues.responsibility_nouns):
        anchor = n.head.head
    head = anchor.head
    light = not trigger.entry.relation or head.lemma_.lower() in ("have", "be")
    # "called the attack a crime", "described the attack as": a verb that labels an event is not
    # its light verb (where "announced a ceasefire", "claimed the attack" perform or own it)
    light = light and not any(c.dep_ == "oprd" for c in head.children) and (
        head.lemma_.lower() not in wordlists.get("labelling_verbs"))
    if light and anchor.dep_ in ("dobj", "attr", "nsubjpass") and head.pos_ in ("VERB", "AUX") and head.i not in triggers_at:
        # "announced a ceasefire with the Taliban": the light verb's subject is a side (not so for
        # "talks between A and B", which names every side)
        if not args.sources and "between" not in args.pattern:
            subj, subj_tok = subject_of(head, index)
            args.sources.extend(subj)
            if subj:
                args.pattern = "light-verb"
            elif subj_tok is not None and subj_tok.lower_ in wordlists.get("subject_pronouns"):
                args.pronoun_subject = True
        _targets_from(head, trigger, index, args)
        if _between(head, index, args):
            args.pattern += "+between"
        for c in head.children:
            if c.dep_ == "dative":
                args.targets.extend(a for a in actors_of(c, index) if a not in args.targets)
    if (n.dep_ == "pobj" and head.lower_ in wordlists.get("light_preps") and head.head.pos_ == "VERB"
            and head.head.i not in triggers_at and not args.sources and not args.pooled):
        subj, _ = subject_of(head.head, index)
        if subj:
            args.sources.extend(subj)
            args.pattern = "light-verb+prep"
            if not args.targets:
                # "held 20,000 civilians as human shields": the light verb's object is acted on
                for c in head.head.children:
                    if c.dep_ == "dobj":
                        args.targets.extend(a for a in actors_of(c, index) if a not in args.targets)
    return _pool_symmetric(args, trigger)


def arguments(doc, trigger: Trigger, index: MentionIndex, lex: Lexicon, triggers_at: dict) -> Arguments:
    if trigger.nominal:
        return noun_arguments(doc, trigger, index, lex, triggers_at)
    return verb_arguments(doc, trigger, index, lex)
