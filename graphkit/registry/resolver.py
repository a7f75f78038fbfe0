"""Find actor mentions in text and resolve them to registry actors.

Two passes over the text:
  1. a longest-match scan of the cue index (aliases, titles, demonyms, agent nouns,
     descriptions, pronouns), no parse needed;
  2. composition of adjacent cues:
       country/demonym + title [+ name]  -> the office holder on the date, or the named person
       title + name                      -> the named person          ("PM Sudani")
       country/demonym + agent noun      -> <ISO3><SECTOR>             ("Turkish warplanes")
       agent noun + "assigned to" + org  -> the organisation           ("forces assigned to CJTF-OIR")
       "the" + description / title       -> an actor named earlier     ("the militias", "the ambassador")
       pronoun                           -> the latest fitting actor   ("they")
`resolve` adds what needs the spaCy parse: demonym + agent across modifiers
("Turkish F-16 warplanes") and provisional actors for NER entities not in the registry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from .. import wordlists
from ..model import Actor
from .matcher import Cue, Match
from .places import place_country
from .registry import Registry, RoleDef
from .text import Token, _fold, slug, tokenize

NER_LABELS = frozenset({"ORG", "NORP", "GPE", "PERSON"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Agent sectors that, alone, refer back to the armed group the article named last ("the militia",
# "a militia headquarters"); unidentified gunmen (UAF) never do.
_ARMED_GROUP_SECTORS = frozenset({"REB", "INS", "SEP"})
# Agent sectors that, after a government's name, mean its forces ("government troops", "regime forces").
_FORCE_SECTORS = frozenset({"MIL", "COP"})
_PREFILTER_KINDS = frozenset({"actor", "title", "demonym"})
_PREFILTER_WITH_AGENTS = _PREFILTER_KINDS | {"agent"}

CONFIDENCE = {"agent:generic": 0.6, "alias": 0.95, "title+alias": 0.97, "role@date": 0.9, "demonym+agent": 0.85,
              "agent+of": 0.85, "coref:description": 0.7, "coref:role": 0.7, "coref:pronoun": 0.5,
              "ner:provisional": 0.4}


@dataclass(frozen=True, slots=True)
class ActorMention:
    start: int  # char offsets into the text (doc.text)
    end: int
    text: str
    actor: Actor
    rule: str  # alias | title+alias | role@date | demonym+agent | agent+of | agent:generic | coref:* | ner:*
    confidence: float
    why: str = ""  # the matched alias, office and date range, or antecedent: for `graphkit actors`
    affiliation: str | None = None  # patron: "Iran-backed militias" -> IRN (the militias are the party)


class DiscourseContext:
    """What one article has mentioned so far: antecedents for coreference and the
    article's salient country ("the federal government" in an Iraq story is Iraq's)."""

    def __init__(self) -> None:
        self.recent: list[str] = []  # actor ids, oldest first
        self.countries: Counter[str] = Counter()

    def note(self, actor: Actor) -> None:
        if actor.provisional:
            return
        if actor.id in self.recent:
            self.recent.remove(actor.id)
        self.recent.append(actor.id)
        if actor.country:
            self.countries[actor.country] += 1

    def latest(self, candidates: Sequence[str]) -> str | None:
        wanted = set(candidates)
        for aid in reversed(self.recent):
            if aid in wanted:
                return aid
        return None

    def dominant_country(self) -> str | None:
        return self.countries.most_common(1)[0][0] if self.countries else None


class Resolver:
    def __init__(self, registry: Registry):
        self.registry = registry
        self.index = registry.index()
        self._titles = registry.titles()
        # one-word agent nouns for the parse pass ("Turkish F-16 warplanes")
        self._agent_words = {_fold(k): v for k, v in registry.agents.items() if " " not in k}

    # ------------------------------------------------------------------ public
    def prefilter(self, text: str, agents: bool = False) -> bool:
        """Cheap test (no parse): could this text mention an actor at all? With `agents`, a generic
        agent noun ("gunmen", "civilians") counts too."""
        tokens = tokenize(text)
        starts = self.index.max_len
        kinds = _PREFILTER_WITH_AGENTS if agents else _PREFILTER_KINDS
        for i, t in enumerate(tokens):
            if t.norm in starts and self.index.longest(tokens, i, kinds) is not None:
                return True
        return False

    def find(self, text: str, on: date | None = None, context: DiscourseContext | None = None) -> list[ActorMention]:
        """String-level resolution (no spaCy). Offsets are into `text`."""
        context = context if context is not None else DiscourseContext()
        return self._compose(text, tokenize(text), on, context)

    def resolve(self, doc, on: date | None = None, context: DiscourseContext | None = None) -> list[ActorMention]:
        """Resolve a spaCy Doc or Span. Offsets are into doc.text (for a Span: into span.doc.text)."""
        context = context if context is not None else DiscourseContext()
        base = getattr(doc, "start_char", 0)
        text = doc.text
        composed = [_shift(m, base) for m in self._compose(text, tokenize(text), on, context)]
        mentions = [m for m in composed if m.rule != "agent:generic"]
        generic = [m for m in composed if m.rule == "agent:generic"]
        taken = [(m.start, m.end) for m in mentions]
        for m in self._parse_agents(doc, taken):
            mentions.append(m)
            taken.append((m.start, m.end))
            context.note(m.actor)
        for m in self._provisional(doc, taken):
            mentions.append(m)
            taken.append((m.start, m.end))
        # a generic agent noun stands alone only where nothing more specific claims its words
        generic = [m for m in generic if not any(s < m.end and m.start < e for s, e in taken)
                   and _noun_headed(doc, m)]
        if generic:
            place = self.sentence_country(doc, mentions)
            if place:
                generic = [m if m.affiliation and m.actor.country else self._in_country(m, place) for m in generic]
        mentions.extend(generic)
        mentions.sort(key=lambda m: m.start)
        return mentions

    def place_country(self, name: str) -> str | None:
        """ISO3 of a place: a country (or capital) in the registry, else a subdivision or city."""
        name = name.removeprefix("the ").removesuffix("'s").removesuffix("’s").strip()
        toks = tokenize(name)
        if toks:
            m = self.index.longest(toks, 0, frozenset({"demonym", "actor"}))
            if m is not None and m.j == len(toks):
                country = self._country_of(m)
                if country:
                    return country
                actor = self.registry.actors.get(m.cues[0].target) if m.kind == "actor" else None
                if actor is not None:
                    return actor.country  # a registered city or organisation: its country
        return place_country(name)

    def sentence_country(self, doc, mentions: Sequence[ActorMention] = ()) -> str | None:
        """The country of the first place (GPE/LOC/FAC) named in a parsed sentence, if known; a patron
        ("Iran-backed") is not a place, nor a name inside a longer actor mention ("US forces")."""
        locative = wordlists.get("locative_preps")
        ents = sorted(doc.ents, key=lambda e: not (e.root.dep_ == "pobj" and e.root.head.lower_ in locative))
        for ent in ents:  # places after "in", "near", ... first
            s, e = ent.start_char, ent.end_char
            if any(m.start <= s and e <= m.end and (m.end - m.start) > (e - s) for m in mentions):
                continue
            if ent.label_ in PLACE_LABELS and not is_patron(ent):
                country = self.place_country(ent.text)
                if country:
                    return country
        return None

    def _in_country(self, m: ActorMention, country: str) -> ActorMention:
        if m.actor.country == country:
            return m
        actor = self.registry.sector_actor(country, m.actor.sector)
        return replace(m, actor=actor, why=m.why.split(" in ")[0].split(", no country")[0] + f" in {country} (place)")

    def explain(self, text: str, on: date | None = None) -> list[ActorMention]:
        """`graphkit actors QUERY`: how the words of QUERY resolve, with reasons."""
        return self.find(text, on)

    # ------------------------------------------------------------ composition
    def _compose(self, text: str, tokens: list[Token], on: date | None, ctx: DiscourseContext) -> list[ActorMention]:
        matches = self.index.scan(tokens)
        out: list[ActorMention] = []
        patron: tuple[int, str] | None = None  # (token index the patron ends at, actor id)
        k = 0
        while k < len(matches):
            m = matches[k]
            pid = self._patron(text, tokens, m)
            if pid is not None:
                # "Iran-backed militias", "pro-Houthi snipers": the patron is kept as the next
                # mention's affiliation, never made a party
                patron = (m.j, pid)
                k += 1
                continue
            nxt = _adjacent(text, tokens, matches, k)
            nxt2 = _adjacent(text, tokens, matches, k + 1) if nxt else None
            made: ActorMention | None = None
            used = 1
            country = self._country_of(m)
            if country and nxt and nxt.kind == "title":
                person = nxt2 if nxt2 and self._person_cues(nxt2) else None
                if person:
                    made, used = self._named(text, tokens, m, person, on, ctx, title=nxt), 3
                else:
                    made, used = self._office(text, tokens, m, nxt, country, on, ctx), 2
                    if made is None:
                        made, used = self._unlisted_office(text, tokens, matches, k, m, nxt, country), 2
            elif country and nxt and nxt.kind == "agent":
                sector = nxt.cues[0].target
                actor = self.registry.sector_actor(country, sector)
                made = self._mention(text, tokens, m.i, nxt.j, actor, "demonym+agent",
                                     f"{_surface(text, tokens, m)} ({country}) + {_surface(text, tokens, nxt)} ({sector})")
                used = 2
            elif m.kind == "actor" and nxt and nxt.kind == "title" and self._org_offices(m, nxt):
                # "Hezbollah leader [Naim Qassem]": an office of a named organisation
                person = nxt2 if nxt2 and self._person_cues(nxt2) else None
                if person:
                    made, used = self._named(text, tokens, m, person, on, ctx, title=nxt), 3
                else:
                    made, used = self._org_office(text, tokens, m, nxt, on, ctx), 2
            elif m.kind == "title" and nxt and self._person_cues(nxt):
                made, used = self._named(text, tokens, m, nxt, on, ctx, title=m), 2
            elif m.kind == "title" and _determined(tokens, m):
                made = self._title_coref(text, tokens, m, on, ctx)
            elif m.kind == "actor":
                made = self._alias(text, tokens, m, on, ctx)
                if made and nxt and nxt.kind == "agent" and made.actor.kind != "state":
                    # "Hashd al-Shaabi militiamen": the agent noun belongs to the named group; but
                    # "Syrian government troops" are the state's armed forces, not its cabinet
                    actor, sector = made.actor, nxt.cues[0].target
                    if actor.kind == "government" and actor.country and sector in _FORCE_SECTORS:
                        actor = self.registry.sector_actor(actor.country, sector)
                    made = self._mention(text, tokens, m.i, nxt.j, actor, made.rule,
                                         made.why + (f" + {_surface(text, tokens, nxt)} ({sector})"
                                                     if actor is not made.actor else ""))
                    used = 2
            elif m.kind in ("agent", "description"):
                if _determined(tokens, m) and any(c.kind == "description" for c in m.cues):
                    made = self._description(text, tokens, m, ctx)
                if made is None and m.kind == "agent":
                    made, used = self._agent_of(text, tokens, matches, k, on, ctx)
                if made is None and m.kind == "agent" and _fold(_surface(text, tokens, m)) not in self.registry.instrument_agents:
                    near = patron if patron is not None and m.i - patron[0] <= 3 else None
                    made = self._generic(text, tokens, m, ctx, near[1] if near else None)
            elif m.kind == "pronoun":
                made = self._pronoun(text, tokens, m, ctx)
            if made is not None and patron is not None and made.affiliation is None and 0 <= m.i - patron[0] <= 3:
                made = replace(made, affiliation=patron[1])
                patron = None
            if made is not None:
                out.append(made)
                if made.rule != "agent:generic":
                    ctx.note(made.actor)
            else:
                used = 1  # nothing composed: let the next cue start its own phrase
            k += used
        return out

    def _patron(self, text, tokens, m: Match) -> str | None:
        """The actor id of a patron named as "<X>-backed" or "pro-<X>", else None."""
        if m.kind not in ("actor", "demonym"):
            return None
        after = tokens[m.j] if m.j < len(tokens) else None
        before = tokens[m.i - 1] if m.i > 0 else None
        hyphen_after = after is not None and text[tokens[m.j - 1].end:after.start] in ("-", "–")
        hyphen_before = before is not None and text[before.end:tokens[m.i].start] in ("-", "–", " ")
        if not ((hyphen_after and after.norm in wordlists.get("patron_suffixes"))
                or (hyphen_before and before.norm in wordlists.get("patron_prefixes"))):
            return None
        country = self._country_of(m)
        if country:
            return country
        cues = [c for c in m.cues if c.kind == "actor"]
        return cues[0].target if cues else None

    def _generic(self, text, tokens, m: Match, ctx: DiscourseContext, patron: str | None) -> ActorMention:
        """A bare agent noun ("civilians", "gunmen", "protesters"): the generic actor of a country, as
        event data codes it (IRQCVL, SYRUAF). The country is a non-state patron's ("pro-Houthi
        snipers" are Yemeni), else the article's; `resolve` prefers a place named in the sentence."""
        sector = m.cues[0].target
        if sector in _ARMED_GROUP_SECTORS and patron is None:
            # "a militia headquarters" after "Hashd al-Shaabi militiamen": the armed group named earlier
            for aid in reversed(ctx.recent):
                named = self.registry.actors.get(aid)
                if named is not None and named.kind == "militia":
                    return self._mention(text, tokens, m.i, m.j, named, "coref:description",
                                         f"agent '{_surface(text, tokens, m)}' -> {named.name} named earlier")
        country = None
        owner = self.registry.actors.get(patron) if patron else None
        if owner is not None and owner.kind != "state":
            country = owner.country
        country = country or ctx.dominant_country()
        actor = self.registry.sector_actor(country, sector)
        why = f"agent '{_surface(text, tokens, m)}' ({sector})" + (f" in {country}" if country else ", no country")
        return self._mention(text, tokens, m.i, m.j, actor, "agent:generic", why)

    def _country_of(self, m: Match) -> str | None:
        for cue in m.cues:
            if cue.kind == "demonym":
                return cue.target
            if cue.kind == "actor":
                actor = self.registry.actors.get(cue.target)
                if actor is not None and actor.kind == "state":
                    return actor.id
        return None

    def _person_cues(self, m: Match) -> list[Cue]:
        return [c for c in m.cues if c.kind == "actor" and self.registry.actors[c.target].kind == "person"]

    def _pick(self, cues: Sequence[Cue], on: date | None, ctx: DiscourseContext) -> Cue:
        """Choose among actors sharing an alias: one already in the article, else one
        holding an office on the date, else the first registered (curated before imported)."""
        if len(cues) == 1:
            return cues[0]
        ids = [c.target for c in cues]
        latest = ctx.latest(ids)
        if latest:
            return next(c for c in cues if c.target == latest)
        if on is not None:
            for c in cues:
                if self.registry.roles_of(c.target, on):
                    return c
        dominant = ctx.dominant_country()
        if dominant:
            for c in cues:
                if self.registry.actors[c.target].country == dominant:
                    return c
        return max(cues, key=lambda c: c.weight)

    def _alias(self, text, tokens, m: Match, on, ctx) -> ActorMention | None:
        cues = [c for c in m.cues if c.kind == "actor"]
        cue = self._pick(cues, on, ctx)
        actor = self.registry.actors[cue.target]
        why = f"alias '{cue.alias}'" + (" (short name)" if cue.weight < 1 else "")
        ambiguous = len({c.target for c in cues}) > 1
        conf = CONFIDENCE["alias"] * cue.weight * (0.9 if ambiguous else 1.0)
        return self._mention(text, tokens, m.i, m.j, actor, "alias", why, conf)

    def _named(self, text, tokens, first: Match, person: Match, on, ctx, title: Match) -> ActorMention:
        cue = self._pick(self._person_cues(person), on, ctx)
        actor = self.registry.actors[cue.target]
        held = ", ".join(f"{r.role} {_range(r.start, r.end)}" for r in self.registry.roles_of(actor.id, on))
        why = f"title '{_surface(text, tokens, title)}' + alias '{cue.alias}'" + (f"; holds {held}" if held else "")
        return self._mention(text, tokens, first.i, person.j, actor, "title+alias", why)

    def _office(self, text, tokens, country_m: Match, title: Match, country: str, on, ctx) -> ActorMention | None:
        offices = [r for r in self._titles.get(title.cues[0].target, []) if r.country == country]
        if not offices:
            return None
        candidates = self._holders(offices, on)
        if not candidates:
            return None
        start_i = country_m.i
        if start_i > 0 and tokens[start_i - 1].norm in wordlists.get("determiners"):
            start_i -= 1
        in_context = ctx.latest([a.id for a, _, _ in candidates])
        dominant = ctx.dominant_country()
        chosen = None
        if in_context:
            chosen = next(c for c in candidates if c[0].id == in_context)
        elif dominant:
            chosen = next((c for c in candidates if c[1].key.endswith("." + dominant)), None)
        chosen = chosen or candidates[0]
        actor, office, role = chosen
        why = f"office {office.key} ({office.title}) held {_range(role.start, role.end)}"
        return self._mention(text, tokens, start_i, title.j, actor, "role@date", why)

    def _unlisted_office(self, text, tokens, matches, k, country_m: Match, title: Match, country: str) -> ActorMention:
        """'Gambian President Dawda Jawara', 'Kyrgyz Prime Minister': an office the registry has no
        holders for on the date. A capitalised name after the title is kept as a provisional person
        of that country; a bare office falls back to the country's government (or military)."""
        name_end = title.j
        next_cue = matches[k + 2].i if k + 2 < len(matches) else len(tokens)
        while (name_end < min(len(tokens), next_cue, title.j + 4) and tokens[name_end].surface[:1].isupper()
               and text[tokens[name_end - 1].end : tokens[name_end].start] in (" ", "")):
            name_end += 1
        start_i = country_m.i - 1 if _determined(tokens, country_m) else country_m.i
        office = _surface(text, tokens, title)
        if name_end > title.j:
            name = text[tokens[title.j].start : tokens[name_end - 1].end]
            actor = Actor(f"PROV.{slug(name)}", name, "person", country, provisional=True)
            return self._mention(text, tokens, start_i, name_end, actor, "ner:provisional",
                                 f"unlisted person with title '{office}' of {country}", CONFIDENCE["demonym+agent"])
        sector = "MIL" if title.cues[0].target in wordlists.get("military_titles") else "GOV"
        actor = self.registry.sector_actor(country, sector)
        return self._mention(text, tokens, start_i, title.j, actor, "demonym+agent",
                             f"office '{office}' of {country}: no holder listed on the date -> {actor.name}")

    def _org_offices(self, org: Match, title: Match) -> list[RoleDef]:
        ids = {c.target for c in org.cues if c.kind == "actor"}
        return [r for r in self._titles.get(title.cues[0].target, []) if r.organisation in ids]

    def _org_office(self, text, tokens, org: Match, title: Match, on, ctx) -> ActorMention | None:
        candidates = self._holders(self._org_offices(org, title), on)
        if not candidates:
            return self._alias(text, tokens, org, on, ctx)
        actor, office, role = candidates[0]
        why = f"office {office.key} ({office.title}) held {_range(role.start, role.end)}"
        start_i = org.i - 1 if _determined(tokens, org) else org.i
        return self._mention(text, tokens, start_i, title.j, actor, "role@date", why)

    def _holders(self, offices: Sequence[RoleDef], on: date | None):
        out = []
        for office in offices:
            for role in self.registry.roles:
                if role.role == office.title and (on is None or ((role.start is None or role.start <= on)
                                                                 and (role.end is None or on <= role.end))):
                    actor = self.registry.actors.get(role.actor)
                    if actor is not None:
                        out.append((actor, office, role))
        # latest start first: on a hand-over day the incoming holder wins
        out.sort(key=lambda c: c[2].start or date.min, reverse=True)
        return out

    def _title_coref(self, text, tokens, m: Match, on, ctx) -> ActorMention | None:
        """'the ambassador', 'the Prime Minister': someone with that office named earlier,
        else the office of the article's salient country on the date."""
        offices = self._titles.get(m.cues[0].target, [])
        titles = {o.title for o in offices}
        for aid in reversed(ctx.recent):
            if any(r.role in titles for r in self.registry.roles_of(aid, on)):
                actor = self.registry.actors[aid]
                return self._mention(text, tokens, m.i - 1, m.j, actor, "coref:role",
                                     f"'{_surface(text, tokens, m)}' -> {actor.name} named earlier")
        dominant = ctx.dominant_country()
        local = [o for o in offices if o.country == dominant]
        candidates = self._holders(local, on) if local else []
        if candidates:
            actor, office, role = candidates[0]
            return self._mention(text, tokens, m.i - 1, m.j, actor, "role@date",
                                 f"office {office.key} of the article's country held {_range(role.start, role.end)}",
                                 CONFIDENCE["coref:role"])
        return None

    def _agent_of(self, text, tokens, matches, k, on, ctx) -> tuple[ActorMention | None, int]:
        """'forces assigned to CJTF-OIR' -> CJTF-OIR; 'the army' -> the salient country's military."""
        m = matches[k]
        after = tokens[m.j : m.j + 3]
        for linker in _linkers():
            n = len(linker)
            if tuple(t.norm for t in after[:n]) == linker and k + 1 < len(matches):
                target = matches[k + 1]
                if target.i == m.j + n and target.kind == "actor":
                    org = self._alias(text, tokens, target, on, ctx)
                    if org is not None and org.actor.kind not in ("person", "state"):
                        why = f"agent '{_surface(text, tokens, m)}' {' '.join(linker)} {org.why}"
                        return self._mention(text, tokens, m.i, target.j, org.actor, "agent+of", why), 2
        if _determined(tokens, m) and _fold(_surface(text, tokens, m)) in self.registry.definite_agents:
            dominant = ctx.dominant_country()
            if dominant:
                actor = self.registry.sector_actor(dominant, m.cues[0].target)
                return self._mention(text, tokens, m.i - 1, m.j, actor, "coref:description",
                                     f"'the {_surface(text, tokens, m)}' in an article about {dominant}"), 1
        return None, 1

    def _description(self, text, tokens, m: Match, ctx) -> ActorMention | None:
        ids = [c.target for c in m.cues if c.kind == "description"]
        aid = ctx.latest(ids)
        reason = "named earlier in the article"
        if aid is None:
            dominant = ctx.dominant_country()
            local = [i for i in ids if self.registry.actors[i].country == dominant]
            if not local:
                return None
            aid, reason = local[0], f"the article's country is {dominant}"
        actor = self.registry.actors[aid]
        return self._mention(text, tokens, m.i - 1, m.j, actor, "coref:description",
                             f"description 'the {m.cues[0].alias}' -> {actor.name} ({reason})")

    def _pronoun(self, text, tokens, m: Match, ctx) -> ActorMention | None:
        word = m.cues[0].target
        want_person = word in wordlists.get("person_pronouns")
        for aid in reversed(ctx.recent):
            actor = self.registry.actors.get(aid)
            if actor is None or actor.kind == "state" and not want_person:
                continue
            if (actor.kind == "person") == want_person:
                return self._mention(text, tokens, m.i, m.j, actor, "coref:pronoun",
                                     f"'{word}' -> latest {'person' if want_person else 'group'} {actor.name}")
        return None

    def _mention(self, text, tokens, i, j, actor, rule, why, confidence=None) -> ActorMention:
        start, end = tokens[i].start, tokens[j - 1].end
        return ActorMention(start, end, text[start:end], actor, rule,
                            round(confidence if confidence is not None else CONFIDENCE[rule], 3), why)

    # ------------------------------------------------------ parse-based passes
    def _parse_agents(self, doc, taken) -> list[ActorMention]:
        """Demonym + agent noun with modifiers between them ("Turkish F-16 warplanes")."""
        out = []
        agents = self._agent_words
        full_text = doc.doc.text if hasattr(doc, "doc") else doc.text  # token.idx is into the whole Doc
        for tok in doc:
            sector = agents.get(tok.lower_) or agents.get(tok.lemma_.lower())
            if not sector or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            for child in tok.lefts:
                if child.dep_ not in ("amod", "compound", "nmod", "poss"):
                    continue
                country = self._country_word(child)
                if not country:
                    continue
                start, end = child.idx, tok.idx + len(tok.text)
                if any(s < end and start < e for s, e in taken):
                    break
                actor = self.registry.sector_actor(country, sector)
                out.append(ActorMention(start, end, full_text[start:end], actor, "demonym+agent",
                                        round(CONFIDENCE["demonym+agent"] * 0.95, 3),
                                        f"parse: '{child.text}' ({country}) modifies '{tok.text}' ({sector})"))
                break
        return out

    def _country_word(self, token) -> str | None:
        toks = tokenize(token.text)
        if not toks:
            return None
        m = self.index.longest(toks, 0, frozenset({"demonym", "actor"}))
        return self._country_of(m) if m and m.j == len(toks) else None

    def _place_why(self, ent, name: str) -> str | None:
        """Why an entity the registry does not know is a place, or None: spaCy calls it one, its head is
        a place word ("the Ruwaiha frontline", "Al Asad Air Base"), or the gazetteer knows it."""
        if ent.label_ == "GPE":
            return "NER GPE, a place"
        if ent.root.lower_ in wordlists.get("place_heads"):
            return f"head '{ent.root.text}' names a place"
        if ent.root.dep_ == "compound" and ent.root.head.lower_ in wordlists.get("place_heads"):
            return f"names a '{ent.root.head.text}'"  # "the Ruwaiha frontline", "Ain al-Asad base"
        if ent.label_ == "ORG" and place_country(name):
            return "a city or subdivision (gazetteer)"
        root = ent.root
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head  # "near Jurf al-Sakhar and al-Qaim"
        if ent.label_ in ("PERSON", "ORG") and root.dep_ == "pobj" and root.head.lower_ in wordlists.get(
                "locative_preps") - {"in"}:
            return f"named after '{root.head.text}'"  # "near Jurf al-Sakhar": a place
        head = ent.root
        while head.dep_ == "compound" and head.head.i != head.i:
            head = head.head
        if head is not ent.root and head.lower_ in wordlists.get("place_heads"):
            return f"names a '{head.text}'"  # "the Al Asad Air Base"
        if ent.label_ == "PERSON" and len(ent) == 1 and place_country(name) and (
                ent.root.dep_ == "compound" or (ent.root.dep_ == "pobj" and ent.root.head.lower_ in
                                                 wordlists.get("locative_preps"))):
            return "a city or subdivision (gazetteer) where a place stands"  # "Garissa ambush", "in Garissa"
        return None

    def names_place(self, text: str) -> bool:
        """Cheap test (no parse): does the text name a city or subdivision the gazetteers know?"""
        words = [t.surface for t in tokenize(text)]
        for i, w in enumerate(words):
            if w[:1].isupper() and (place_country(w) or (i + 1 < len(words) and words[i + 1][:1].isupper()
                                                          and place_country(f"{w} {words[i + 1]}"))):
                return True
        return False

    def _provisional(self, doc, taken) -> list[ActorMention]:
        """NER entities the registry does not know: kept as provisional actors."""
        out = []
        for ent in doc.ents:
            if ent.label_ not in NER_LABELS:
                continue
            start, end = ent.start_char, ent.end_char
            if any(s < end and start < e for s, e in taken) or is_patron(ent):
                continue  # known already, or a patron ("Iran-backed"): neither a party nor a place
            toks = tokenize(ent.text)
            if not toks:
                continue
            m = self.index.longest(toks, 0)
            if m is not None and m.j == len(toks) and m.kind in ("demonym", "title", "agent", "pronoun"):
                continue  # an adjective or a title on its own is not an actor
            if ent.label_ == "NORP" and len(ent) == 1 and ent.root.dep_ in ("amod", "compound"):
                head = ent.root.head
                sector = self._agent_words.get(head.lower_) or self._agent_words.get(head.lemma_.lower())
                end = head.idx + len(head.text)
                if sector and sector not in _ARMED_GROUP_SECTORS | _FORCE_SECTORS | {"UAF"}:
                    # "Shiite pilgrims", "Christian villagers": people of a faith or an ethnic group are
                    # the civilians (or workers, students, ...) of the country where they are, as ACLED
                    # codes them; the generic agent noun stands, with the sentence's place
                    continue
                if sector and head.i == ent.end and not any(s < end and start < e for s, e in taken):
                    # "Kurdish forces": an armed people that is not a state (Peshmerga? SDF? PKK?) is
                    # kept as a provisional group with no country, for the user to resolve
                    name = f"{ent.text} {head.text}"
                    actor = Actor(f"PROV.{slug(name)}", name, "group", None, sector, provisional=True)
                    out.append(ActorMention(start, end, name, actor, "ner:provisional", CONFIDENCE["ner:provisional"],
                                            f"NER NORP '{ent.text}' + agent '{head.text}' ({sector}): no country"))
                continue  # "Kurdish province": an adjective, not a group acting
            name = ent.text.strip()
            if name.lower().startswith("the "):
                name = name[4:]
            kind = {"PERSON": "person", "NORP": "group", "ORG": "other", "GPE": "other"}[ent.label_]
            why = self._place_why(ent, name)
            if why:
                # a place is never a party: kept with sector LOC so extraction makes it a location
                place = self.place_country(name)
                actor = Actor(f"PROV.{slug(name)}", name, "other", place, "LOC", provisional=True)
                out.append(ActorMention(start, end, ent.text, actor, "ner:place", CONFIDENCE["ner:provisional"],
                                        why + (f" in {place}" if place else "")))
                continue
            actor = Actor(f"PROV.{slug(name)}", name, kind, provisional=True)
            out.append(ActorMention(start, end, ent.text, actor, "ner:provisional", CONFIDENCE["ner:provisional"],
                                    f"NER {ent.label_}, not in the registry"))
        return out


@cache
def _linkers() -> list[tuple[str, ...]]:
    """closed_class.toml `agent_linkers` as word tuples, longest first."""
    return sorted((tuple(w.split()) for w in wordlists.get("agent_linkers")), key=len, reverse=True)


def _noun_headed(doc, m: ActorMention) -> bool:
    """Does a mention end in a noun ("officials", not the adjective of "an official explanation")?"""
    span = doc.char_span(m.start, m.end, alignment_mode="expand") if hasattr(doc, "char_span") else None
    if span is None and hasattr(doc, "doc"):
        span = doc.doc.char_span(m.start, m.end, alignment_mode="expand")
    return span is None or span[-1].pos_ in ("NOUN", "PROPN")


def is_patron(span) -> bool:
    """Is a parsed span a patron named as "<X>-backed" or "pro-<X>" (not a place, not the party)?"""
    doc = span.doc
    after = doc[span.end: span.end + 2]
    if len(after) == 2 and after[0].text in ("-", "–") and after[1].lower_ in wordlists.get("patron_suffixes"):
        return True
    before = doc[max(0, span.start - 2): span.start]
    return any(t.lower_ in wordlists.get("patron_prefixes") or t.lower_.rstrip("-") in wordlists.get("patron_prefixes")
               for t in before[-2:])


def _adjacent(text: str, tokens: Sequence[Token], matches: list[Match], k: int) -> Match | None:
    """The next match if it follows with only spaces between ("Iraq, forces" is not a phrase)."""
    if k + 1 < len(matches) and matches[k + 1].i == matches[k].j:
        gap = text[tokens[matches[k].j - 1].end : tokens[matches[k + 1].i].start]
        if gap.strip() in ("", "-", "–", "'s", "’s"):
            return matches[k + 1]
    return None


def _determined(tokens: Sequence[Token], m: Match) -> bool:
    return m.i > 0 and tokens[m.i - 1].norm in wordlists.get("determiners")


def _surface(text: str, tokens: Sequence[Token], m: Match) -> str:
    return text[tokens[m.i].start : tokens[m.j - 1].end]


def _range(start: date | None, end: date | None) -> str:
    return f"{start.isoformat() if start else '…'}..{end.isoformat() if end else ''}"


def _shift(m: ActorMention, base: int) -> ActorMention:
    if not base:
        return m
    return replace(m, start=m.start + base, end=m.end + base)
