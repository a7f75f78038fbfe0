"""One-sided events: a violent event with one named side (or none) is kept, its unnamed side coded as
event data codes it (ACLED "Unidentified Armed Group (Iraq)", "Civilians (Iraq)"; CAMEO IRQUAF, IRQCVL).

    "Gunmen killed two policemen in Kirkuk"         IRQUAF  -> IRQCOP
    "Two Turkish soldiers were killed in Iraq"      IRQUAF  -> TURMIL
    "A car bomb killed 12 in Baghdad"               IRQUAF  -> IRQCVL   (victims counted, no party named)
    "Pakistan carried out strikes inside Iran"      PAK     -> IRN      (strikes in a state: the state)

Any other act (not an assault, deployment or sanction, not a relation) told with its source and no target, as the
sentence's main event, keeps the unspecified party UNK as its target, as event data leave the target
empty ("Akayev agreed to resign", "the ministry refused a request"):
    "Ousted President X agreed to resign"          PER.X   -> UNK
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import wordlists
from .events import Frame

# deps of a violent verb whose head, a bare number or quantity, counts victims ("kills 12", "12 killed")
_VICTIM_DEPS = frozenset({"dobj", "nsubjpass", "nsubj"})
_DONE = frozenset({"negated", "hypothetical"})
_DEEP = 4  # Frame.rank from which a trigger is too embedded to stand alone as an event
_CENTRAL = 3  # below this rank, an act with no target is the sentence's own news
# Acts that need a target to be an event: ACLED records protests, arrests, curfews and blockades with
# no second actor, but a deployment or a sanction with no target is left out (and a violent event
# gets its unnamed side below)
_NEEDS_TARGET = frozenset({"ASSAULT", "MOBILIZE", "SANCTION"})


@dataclass(frozen=True, slots=True)
class Scene:
    """What a sentence tells about one event beyond its named parties."""

    place_country: str | None  # the country of the event's place, or of the first place in the sentence
    victims: bool  # victims counted with no noun: "kills 12", "dozens killed", "killing at least six"
    struck_state: object | None  # a state named as the place struck: "strikes in/inside Iran"
    article_country: str | None  # the article's most-mentioned country so far


def counted_victims(trigger, of_people: bool = True) -> bool:
    """Does a violent verb have a bare number or quantity as its victim? With `of_people` (killings,
    abductions) a counted noun no party names counts too ("kill 14 truck drivers"), not otherwise
    ("recapture three villages")."""
    quantities = wordlists.get("victim_quantities")
    head = trigger.head
    if trigger.pos_ == "ADJ":
        return True  # a casualty adjective only triggers after a number ("25 dead")
    if of_people and any(c.dep_ == "dobj" and any(g.dep_ == "nummod" for g in c.children)
                         for c in trigger.children):
        return True  # "kill 14 truck drivers": counted people, named by no party
    if trigger.dep_ == "acl" and trigger.tag_ == "VBN" and (head.like_num or head.lower_ in quantities):
        return True  # "Six killed in renewed attacks"
    for c in trigger.children:
        if c.dep_ not in _VICTIM_DEPS or (c.dep_ == "nsubj" and trigger.tag_ != "VBN"):
            continue
        if (c.like_num or c.lower_ in quantities) and not any(g.dep_ in ("pobj", "prep") for g in c.children
                                                              if g.lower_ == "of"):
            return True
    return False


def struck_state(trigger, index) -> object | None:
    """The state named by "in/inside <state>" on the trigger or its light verb ("carried out strikes
    in Iran"), which is then the target, or None."""
    heads = [trigger]
    if trigger.dep_ in ("dobj", "attr") and trigger.head.pos_ == "VERB":
        heads.append(trigger.head)
    for h in heads:
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "inside", "into"):
                for p in c.children:
                    m = (index.by_token.get(p.i) or index.places.get(p.i)) if p.dep_ == "pobj" else None
                    if m is not None and m.actor.kind == "state":
                        return m.actor
    return None


def complete(frames: list[Frame], scenes: dict[int, Scene], sector_actor) -> None:
    """Give every one-sided violent frame its unnamed side (in place). `scenes` is keyed by id(frame);
    `sector_actor(country, sector)` makes the generic actor."""
    for f in frames:
        if f.pooled or f.modality in _DONE:
            continue
        refers = f.definite or "headline" in f.notes or bool(f.refs)
        if refers and _told_elsewhere(f, frames, anywhere=True, ignore=_counted_people):
            # "At least five people were wounded in the strike": the people are the strike's casualties,
            # not a party of an event of their own; the telling goes to the strike (coref merges it)
            f.sources = [a for a in f.sources if not _counted_people(a)]
            f.targets = [a for a in f.targets if not _counted_people(a)]
            continue
        if _told_elsewhere(f, frames, anywhere=refers):
            continue  # a telling of an event the article names both sides of: coref merges it there
        if not f.entry.one_sided:
            if (f.sources and not f.targets and f.entry.type not in _NEEDS_TARGET
                    and not f.entry.relation
                    and f.rank < _CENTRAL):
                f.targets = [sector_actor(None, "UNK")]
                f.extra["one_sided"] = "unspecified-target"  # kept out of the rule: no confidence penalty
            continue
        scene = scenes.get(id(f))
        if scene is None:
            continue
        if f.sources and {a.id for a in f.sources} == {a.id for a in f.targets}:
            f.targets = []  # "Iraq attacks kill six": one actor on both ends names no second side
        if f.sources and f.targets:
            continue
        central = f.pattern.startswith(("light-verb", "claimed-by"))  # "X launched / claimed the attack"
        if (f.rank >= _DEEP and not central) or (f.trigger_nominal and not (f.sources or f.targets)):
            # an attack named deep inside another clause ("condolences over an attack"), or a bare
            # noun with no party at all, is background, not a report of the event
            continue
        named = (f.sources or f.targets or [None])[0]
        named_country = named.country if named is not None else None
        if f.sources:
            # the unnamed side struck is of the place, else of the article's country: the attacker's own
            # country only as a last resort ("U.S. strikes" hit no "Unidentified armed group (United States)")
            country = scene.place_country or scene.article_country or named_country
        else:
            # an unnamed attacker is of the place, else of its victims' country ("Turkish soldiers killed")
            country = scene.place_country or named_country or scene.article_country
        if f.sources:
            state = scene.struck_state
            if state is not None and all(state.id != (s.country or s.id) for s in f.sources):
                f.targets, note = [state], "struck-state"
            elif scene.victims:
                f.targets, note = [sector_actor(country, "CVL")], "victims"
            else:
                f.targets, note = [sector_actor(country, f.entry.victim_sector)], "unnamed-target"
        elif f.targets:
            f.sources, note = [sector_actor(country, "UAF")], "unnamed-source"
        elif (scene.victims or scene.place_country) and not f.entry.symmetric:
            f.sources = [sector_actor(country, "UAF")]
            f.targets, note = [sector_actor(country, "CVL")], "unnamed-sides"
        else:
            continue
        f.notes.append("one-sided:" + note)


def _counted_people(actor) -> bool:
    """A generic civilian actor ("people", "civilians" with a country): victims, not a named party."""
    return actor.sector == "CVL" and actor.id.endswith("CVL")


def _told_elsewhere(f: Frame, frames: list[Frame], anywhere: bool, ignore=lambda a: False) -> bool:
    """Does another telling of the same type name both sides, including f's named ones: in the same
    sentence ("two were killed when the U.S. attacked the militia"), or, for "the strike", a headline
    or a clause that refers to an event ("wounded in the strike"), anywhere in the article?"""
    for g in frames:
        if g is f or g.entry.type != f.entry.type or not (g.sources and g.targets) or g.modality in _DONE:
            continue
        if {a.id for a in g.sources} == {a.id for a in g.targets}:
            continue  # one actor on both ends ("Iraq attacks kill six") names no second side
        if not anywhere and g.unit != f.unit:
            continue
        if {a.id for a in f.sources if not ignore(a)} <= {a.id for a in g.sources} and {
                a.id for a in f.targets if not ignore(a)} <= {a.id for a in g.targets}:
            return True
    return False
