"""The actor registry: canonical actors, affiliations and dated roles.

Sources, in load order (later ones add aliases to, or override fields of, earlier ones):
  1. every country from pycountry, each with <ISO3>GOV and <ISO3>MIL actors;
  2. data/actors/*.toml (the team's curated registry, roles.toml among them);
  3. project files: graphkit.toml [registry] files;
  4. the user registry folder: $GRAPHKIT_ACTORS_DIR, else $XDG_CONFIG_HOME/graphkit/actors
     (~/.config/graphkit/actors): *.toml and *.json files written by hand;
  5. imported layers (its layers/ subfolder, e.g. an imported Phoenix dictionary) that are switched
     on: graphkit.toml [registry] layers, GRAPHKIT_REGISTRY_LAYERS or --registry NAME;
  6. files passed explicitly (--actors FILE).
`graphkit actors --sources` lists the layers (graphkit.registry.files.registry_layers).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from .. import sectors, wordlists
from ..errors import InputError
from ..model import ACTOR_KINDS, AFFILIATION_TYPES, Actor, Affiliation, Role
from ..paths import data_dir
from .files import read_registry_data, registry_files, user_actors_dir  # noqa: F401 - user_actors_dir re-exported
from .matcher import Cue, CueIndex
from .text import alias_keys, is_acronym, load_variants

KINDS = ACTOR_KINDS  # kept for callers of graphkit.registry.KINDS
# A registry entry's field -> the Affiliation type it makes: part_of = ["IRQ"] -> PART_OF.
_AFFILIATION_FIELDS = {rel.lower(): rel for rel in AFFILIATION_TYPES}
# Kinds that count as an "organisation" when rolling up (everything but persons and states).
_ORG_KINDS = frozenset(ACTOR_KINDS) - {"person", "state"}


@dataclass(frozen=True, slots=True)
class RoleDef:
    """An office: who can hold it, which words name it, which country it belongs to."""

    key: str  # "IRQ.PM"
    title: str  # "Prime Minister of Iraq"
    organisation: str  # "IRQGOV"
    country: str | None  # "IRQ" (the demonym/country that qualifies the title)
    cues: tuple[str, ...]  # "prime minister", "pm", "premier"


@dataclass(slots=True)
class _Extra:
    descriptions: dict[str, list[str]] = field(default_factory=dict)  # actor -> "the militias", ...
    surnames: dict[str, list[str]] = field(default_factory=dict)  # person -> short names
    cameo: dict[str, str] = field(default_factory=dict)  # CAMEO code -> actor id
    source: dict[str, str] = field(default_factory=dict)  # actor id -> file it came from


_DEFAULT_CACHE: dict[tuple, Registry] = {}


class Registry:
    def __init__(self) -> None:
        self.actors: dict[str, Actor] = {}
        self.affiliations: list[Affiliation] = []
        self.roles: list[Role] = []
        self.role_defs: dict[str, RoleDef] = {}
        self.demonyms: dict[str, str] = {}  # demonym -> ISO3
        self.agents: dict[str, str] = {}  # agent noun phrase -> sector code
        self.definite_agents: set[str] = set()  # "the army" alone = the salient country's army
        self.instrument_agents: set[str] = set()  # "drones": an actor only with an owner ("Turkish drones")
        self.extra = _Extra()
        self._index: CueIndex | None = None
        self._up: dict[str, list[Affiliation]] | None = None
        self._roles_by_actor: dict[str, list[Role]] | None = None

    # ---------------------------------------------------------------- loading
    @classmethod
    def default(cls, extra: Iterable[Path | str] = ()) -> Registry:
        """Countries + data/actors + the user folder + `extra` files; cached per file set
        (and their modification times), so every stage of one run shares one registry."""
        files = registry_files(extra)
        signature = tuple((str(p), p.stat().st_mtime_ns if p.exists() else 0) for p in files)
        cached = _DEFAULT_CACHE.get(signature)
        if cached is not None:
            return cached
        from .cache import load_or_build

        def build() -> Registry:
            built = cls._from_files(files)
            built.index()  # kept with it: the cue index is most of the cost
            return built

        reg = load_or_build(files, build)
        _DEFAULT_CACHE.clear()
        _DEFAULT_CACHE[signature] = reg
        return reg

    @classmethod
    def fresh(cls, extra: Iterable[Path | str] = (), exclude: Iterable[Path | str] = ()) -> Registry:
        """Like default() but uncached and without the `exclude` files (for re-imports)."""
        skip = {Path(p).resolve() for p in exclude}
        return cls._from_files([p for p in registry_files(extra) if p.resolve() not in skip])

    @classmethod
    def _from_files(cls, files: list[Path]) -> Registry:
        reg = cls()
        reg.add_countries()
        reg.load_lexicons(data_dir() / "actors")
        for path in files:
            reg.add_file(path)
        return reg

    def add_countries(self) -> int:
        """Every ISO 3166 country from pycountry, with its government and military."""
        import pycountry

        added = 0
        for c in pycountry.countries:
            iso3 = c.alpha_3
            names = {c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)}
            names.discard(None)
            short = getattr(c, "common_name", None) or c.name
            self._put(Actor(iso3, short, "state", iso3, None, tuple(sorted(names))), "pycountry")
            self._put(Actor(f"{iso3}GOV", f"Government of {short}", "government", iso3, "GOV",
                            (f"government of {short}", f"{short} government", f"{short}'s government")),
                      "pycountry")
            self._put(Actor(f"{iso3}MIL", f"Armed Forces of {short}", "military", iso3, "MIL",
                            (f"armed forces of {short}", f"{short} armed forces", f"{short}'s military")),
                      "pycountry")
            self.affiliations.append(Affiliation(f"{iso3}GOV", iso3, "PART_OF"))
            self.affiliations.append(Affiliation(f"{iso3}MIL", iso3, "PART_OF"))
            for code in (iso3, f"{iso3}GOV", f"{iso3}MIL"):
                self.extra.cameo.setdefault(code, code)
            added += 3
        self._dirty()
        return added

    def load_lexicons(self, folder: Path) -> None:
        """demonyms.tsv (demonym -> ISO3) and agents.tsv (agent noun -> sector)."""
        demonyms = folder / "demonyms.tsv"
        if demonyms.exists():
            for lineno, row in _tsv_rows(demonyms):
                if len(row) < 2 or len(row[0]) != 3:
                    raise InputError(f"{demonyms}:{lineno}", "expected ISO3<TAB>demonym[<TAB>demonym...]")
                for word in row[1:]:
                    if word:
                        self.demonyms[word] = row[0].upper()
        agents = folder / "agents.tsv"
        if agents.exists():
            for lineno, row in _tsv_rows(agents):
                if len(row) not in (2, 3) or (len(row) == 3 and row[2] not in ("", "definite", "instrument")):
                    raise InputError(f"{agents}:{lineno}", "expected noun<TAB>SECTOR[<TAB>definite|instrument]")
                if row[0] in self.agents:
                    raise InputError(f"{agents}:{lineno}", f"agent noun '{row[0]}' is listed twice")
                self.agents[row[0]] = row[1].upper()
                if len(row) == 3 and row[2] == "definite":
                    self.definite_agents.add(row[0].casefold())
                if len(row) == 3 and row[2] == "instrument":
                    self.instrument_agents.add(row[0].casefold())
        self._dirty()

    def add_file(self, path: Path | str) -> None:
        """A registry file: TOML or JSON with [[actor]] and [[role]] tables (see data/actors/README.md)."""
        import tomllib  # here, not at import: a registry read from the disk cache parses no TOML

        path = Path(path)
        try:
            raw = read_registry_data(path)
        except FileNotFoundError:
            raise InputError(str(path), "no such registry file") from None
        except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as err:
            raise InputError(str(path), f"not a valid registry file: {err}") from None
        if not isinstance(raw, dict):
            raise InputError(str(path), "a registry file is a table with [[actor]] / [[role]] entries")
        for n, item in enumerate(raw.get("actor", []), 1):
            self._add_actor_entry(item, f"{path}: actor #{n}")
        for n, item in enumerate(raw.get("affiliation", []), 1):
            where = f"{path}: affiliation #{n}"
            try:
                self.affiliations.append(Affiliation(item["source"], item["target"], item["type"],
                                                     _date(item.get("start"), where), _date(item.get("end"), where)))
            except KeyError as err:
                raise InputError(where, f"missing field {err}") from None
        for n, item in enumerate(raw.get("role", []), 1):
            self._add_role_entry(item, f"{path}: role #{n}")
        self._dirty()

    def _add_actor_entry(self, item: dict, where: str) -> None:
        if not isinstance(item, dict):
            raise InputError(where, "an actor is a table")
        for required in ("id", "name", "kind"):
            if not item.get(required):
                raise InputError(where, f"missing field '{required}'")
        if item["kind"] not in ACTOR_KINDS:
            raise InputError(f"{where} ({item['id']})", f"kind '{item['kind']}' is not one of {', '.join(ACTOR_KINDS)}")
        country = item.get("country")
        if country is not None and (len(country) != 3 or not country.isalpha()):
            raise InputError(f"{where} ({item['id']})", f"country '{country}' is not an ISO 3166 alpha-3 code")
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list):
            raise InputError(f"{where} ({item['id']})", "aliases must be a list of strings")
        actor = Actor(item["id"], item["name"], item["kind"], country.upper() if country else None,
                      item.get("sector"), tuple(aliases))
        self._put(actor, where.split(":")[0])
        aid = actor.id
        if item.get("descriptions"):
            self.extra.descriptions.setdefault(aid, []).extend(item["descriptions"])
        if item.get("short_names"):
            self.extra.surnames.setdefault(aid, []).extend(item["short_names"])
        for code in _as_list(item.get("cameo")):
            self.extra.cameo[code] = aid
        for field_name, rel in _AFFILIATION_FIELDS.items():
            for link in _as_list(item.get(field_name)):
                if isinstance(link, str):
                    self.affiliations.append(Affiliation(aid, link, rel))
                elif isinstance(link, dict) and link.get("target"):
                    self.affiliations.append(Affiliation(aid, link["target"], rel, _date(link.get("start"), where),
                                                         _date(link.get("end"), where)))
                else:
                    raise InputError(f"{where} ({aid})", f"{field_name} entries are ids or {{target=..., start=...}}")
        for n, held in enumerate(item.get("roles", []), 1):
            self._add_holding(held.get("role", ""), aid, held, f"{where} ({aid}) role #{n}")

    def _add_role_entry(self, item: dict, where: str) -> None:
        for required in ("key", "title", "organisation"):
            if not item.get(required):
                raise InputError(where, f"missing field '{required}'")
        key = item["key"]
        self.role_defs[key] = RoleDef(key, item["title"], item["organisation"], item.get("country"),
                                      tuple(item.get("cues", [])))
        for n, holder in enumerate(item.get("holders", []), 1):
            hw = f"{where} ({key}) holder #{n}"
            aid = holder.get("actor")
            if not aid:
                raise InputError(hw, "missing field 'actor'")
            if aid not in self.actors:
                if not holder.get("name"):
                    raise InputError(hw, f"actor '{aid}' is not in the registry; give name = ... to define it here")
                org = self.actors.get(item["organisation"])
                country = holder.get("country") or item.get("country") or (org.country if org else None)
                self._put(Actor(aid, holder["name"], "person", country, None,
                                tuple(holder.get("aliases", []))), where.split(":")[0])
                if holder.get("short_names"):
                    self.extra.surnames.setdefault(aid, []).extend(holder["short_names"])
            self._add_holding(key, aid, holder, hw)

    def _add_holding(self, key: str, actor_id: str, held: dict, where: str) -> None:
        role_def = self.role_defs.get(key)
        if role_def is None:
            raise InputError(where, f"unknown role '{key}' (define it in roles.toml first)")
        self.roles.append(Role(actor_id, role_def.title, role_def.organisation,
                               _date(held.get("start"), where), _date(held.get("end"), where)))

    def _put(self, actor: Actor, source: str) -> None:
        """Add an actor, or merge into the one with the same id (later fields win, aliases add up)."""
        old = self.actors.get(actor.id)
        if old is not None:
            aliases = tuple(dict.fromkeys([*old.aliases, old.name, *actor.aliases]))
            actor = replace(actor, aliases=tuple(a for a in aliases if a != actor.name),
                            country=actor.country or old.country, sector=actor.sector or old.sector)
        self.actors[actor.id] = actor
        self.extra.source.setdefault(actor.id, source)
        self._dirty()

    # ---------------------------------------------------------------- adding (importers use these)
    def add_actor(self, actor: Actor, source: str) -> Actor:
        """Add an actor (or merge it into the one with its id: later fields win, aliases add up);
        `source` names where it came from (`graphkit actors --sources`)."""
        self._put(actor, source)
        return self.actors[actor.id]

    def add_aliases(self, actor_id: str, aliases: Iterable[str]) -> Actor:
        """More names for a known actor, every other field kept (Actor.dataset among them)."""
        old = self.actors[actor_id]
        merged = tuple(dict.fromkeys([*old.aliases, *(a for a in aliases if a != old.name)]))
        if merged != old.aliases:
            self.actors[actor_id] = replace(old, aliases=merged)
            self._dirty()
        return self.actors[actor_id]

    def add_affiliation(self, affiliation: Affiliation) -> None:
        self.affiliations.append(affiliation)
        self._up = None

    def map_cameo(self, code: str, actor_id: str) -> None:
        """A CAMEO actor code ("IRQGOVHRI") stands for this actor."""
        self.extra.cameo[code] = actor_id

    def cameo_actor(self, code: str) -> str | None:
        """The actor a CAMEO actor code stands for, if a registry file or an import said so."""
        return self.extra.cameo.get(code)

    def _dirty(self) -> None:
        self._index = None
        self._up = None
        self._roles_by_actor = None

    # ---------------------------------------------------------------- queries
    def get(self, actor_id: str) -> Actor | None:
        """The actor with that id; derived sector and generic ids ("IRQCVL", "SYRUAF", "UAF") are made
        from the id itself, so they resolve and roll up in every run without being stored."""
        actor = self.actors.get(actor_id)
        if actor is None:
            actor = self._derived(actor_id)
        return actor

    def _derived(self, actor_id: str) -> Actor | None:
        sector = actor_id[-3:]
        if sectors.get(sector) is None:
            return None
        iso3 = actor_id[:-3] or None
        if iso3 is not None and (len(iso3) != 3 or self.actors.get(iso3) is None or self.actors[iso3].kind != "state"):
            return None
        return self.sector_actor(iso3, sector)

    def descriptions(self, actor_id: str) -> list[str]:
        return self.extra.descriptions.get(actor_id, [])

    def roles_of(self, actor_id: str, on: date | None = None) -> list[Role]:
        if self._roles_by_actor is None:
            by: dict[str, list[Role]] = {}
            for r in self.roles:
                by.setdefault(r.actor, []).append(r)
            self._roles_by_actor = by
        return [r for r in self._roles_by_actor.get(actor_id, []) if _active(r.start, r.end, on)]

    def parents(self, actor_id: str, on: date | None = None) -> list[str]:
        """PART_OF / MEMBER_OF ties upward (and, for persons, the organisations of their
        roles on that date), breadth-first: nearest first, no repeats."""
        if self._up is None:
            up: dict[str, list[Affiliation]] = {}
            for a in self.affiliations:
                if a.type in ("PART_OF", "MEMBER_OF"):
                    up.setdefault(a.source, []).append(a)
            self._up = up
        out: list[str] = []
        seen = {actor_id}
        frontier = [actor_id]
        while frontier:
            nxt: list[str] = []
            for aid in frontier:
                targets = [r.organisation for r in self.roles_of(aid, on)]
                targets += [a.target for a in self._up.get(aid, []) if _active(a.start, a.end, on)]
                if aid not in self.actors and (derived := self._derived(aid)) is not None:
                    if derived.country and derived.sector in sectors.state_organs():
                        targets.append(derived.country)
                for t in targets:
                    if t not in seen:
                        seen.add(t)
                        out.append(t)
                        nxt.append(t)
            frontier = nxt
        return out

    def rollup(self, actor_id: str, level: str, on: date | None = None) -> str:
        """Climb to "actor" (itself), "organisation" (nearest non-person, non-state) or "country"."""
        if level == "actor":
            return actor_id
        actor = self.get(actor_id)
        if level == "organisation":
            org = actor_id if actor is not None and actor.kind in _ORG_KINDS else None
            if org is None:  # a person (or an unknown id): the nearest organisation it belongs to
                org = next((p for p in self.parents(actor_id, on)
                            if (pa := self.actors.get(p)) is not None and pa.kind in _ORG_KINDS), None)
            if org is None:
                return actor_id
            # a unit rolls up to the umbrella of its own kind (Kataib Hezbollah -> PMF, CENTCOM -> USAMIL),
            # stopping where the kind changes (the PMF is formally under the ISF, but is not the ISF)
            seen = {org}
            while (chain := self.parents(org, on)) and chain[0] not in seen:
                parent = self.actors.get(chain[0])
                if parent is None or parent.kind != self.get(org).kind:
                    break
                org = chain[0]
                seen.add(org)
            return org
        if level == "country":
            if actor is not None and actor.kind == "state":
                return actor_id
            for parent in self.parents(actor_id, on):
                p = self.actors.get(parent)
                if p is not None and p.kind == "state":
                    return parent
            # armed groups and parties are not PART_OF a state: fall back on the country field
            for aid in (actor_id, *self.parents(actor_id, on)):
                a = self.get(aid)
                if a is not None and a.country and a.country in self.actors:
                    return a.country
            return actor_id
        raise ValueError(f"unknown rollup level '{level}' (actor, organisation or country)")

    def holder(self, role: str, on: date) -> Actor | None:
        """Who held the office (role key "IRQ.PM" or its title) on that date."""
        role_def = self.role_defs.get(role)
        title = role_def.title if role_def else role
        holders = [r for r in self.roles if r.role == title and _active(r.start, r.end, on)]
        if not holders:
            return None
        # The most recent start wins when ranges touch (hand-over day).
        best = max(holders, key=lambda r: r.start or date.min)
        return self.actors.get(best.actor)

    def sector_actor(self, iso3: str | None, sector: str) -> Actor:
        """<ISO3><SECTOR> as CAMEO codes it (TURCOP, IRQCVL, SYRUAF), or the bare sector (CVL, UAF) when
        the country is unknown. A listed actor with that id wins; otherwise the actor is made from the
        id and not stored: reading text never grows the shared registry. Organs of a state
        (organ = yes in the sector table) are PART_OF it; civilians, rebels or an unidentified armed group only carry
        its country (ACLED: "Civilians (Iraq)", "Unidentified Armed Group (Syria)")."""
        aid = f"{iso3 or ''}{sector}"
        actor = self.actors.get(aid)
        if actor is not None:
            return actor
        label = sectors.label(sector)
        country = self.actors.get(iso3) if iso3 else None
        cname = country.name if country else iso3
        if sector in sectors.state_organs() and cname:
            name = f"{cname} {label}"
        else:
            name = label[:1].upper() + label[1:] + (f" ({cname})" if cname else "")
        return Actor(aid, name, sectors.kind(sector), iso3, sector)

    # ---------------------------------------------------------------- the index
    def index(self) -> CueIndex:
        """The cue index the resolver matches against (built once, rebuilt after changes)."""
        if self._index is None:
            self._index = self._build_index()
        return self._index

    def _build_index(self) -> CueIndex:
        variants = load_variants()
        idx = CueIndex()

        def add(text: str, cue_kind: str, target: str, weight: float = 1.0) -> None:
            acronym = is_acronym(text)
            for key in alias_keys(text, variants):
                idx.add(key, Cue(cue_kind, target, text, acronym, weight))

        for actor in self.actors.values():
            for name in (actor.name, *actor.aliases):
                add(name, "actor", actor.id)
        for aid, shorts in self.extra.surnames.items():
            for s in shorts:
                add(s, "actor", aid, 0.85)
        for role_def in self.role_defs.values():
            for cue in role_def.cues:
                add(cue, "title", cue.casefold())
        for word, iso3 in self.demonyms.items():
            add(word, "demonym", iso3)
        for noun, sector in self.agents.items():
            add(noun, "agent", sector)
        for aid, descs in self.extra.descriptions.items():
            for d in descs:
                # descriptions are indexed without their determiner; the resolver checks it
                text = d[4:] if d.lower().startswith("the ") else d
                add(text, "description", aid)
        for pronoun in sorted(wordlists.get("group_pronouns") | wordlists.get("person_pronouns")):
            idx.add((pronoun,), Cue("pronoun", pronoun, pronoun))
        return idx

    def titles(self) -> dict[str, list[RoleDef]]:
        """Title cue (lower case) -> the offices it can name."""
        out: dict[str, list[RoleDef]] = {}
        for role_def in self.role_defs.values():
            for cue in role_def.cues:
                out.setdefault(cue.casefold(), []).append(role_def)
        return out

    def stats(self) -> dict[str, int]:
        return {"actors": len(self.actors), "affiliations": len(self.affiliations), "roles": len(self.roles),
                "keys": len(self.index())}


def _active(start: date | None, end: date | None, on: date | None) -> bool:
    if on is None:
        return True
    return (start is None or start <= on) and (end is None or on <= end)


def _date(value, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 7:  # "2022-06": the first of the month
                return date.fromisoformat(text + "-01")
            if len(text) == 4:
                return date(int(text), 1, 1)
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise InputError(where, f"'{value}' is not a date (YYYY-MM-DD)")


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _tsv_rows(path: Path):
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        for lineno, row in enumerate(csv.reader(fh, delimiter="\t"), 1):
            if not row or row[0].startswith("#"):
                continue
            yield lineno, [c.strip() for c in row]
