"""Read Phoenix/PETRARCH actor dictionaries (TABARI format) into the registry.

The format, as found in Phoenix.Countries.actors.txt and friends:

    # comment                       (also <!-- ... -->, possibly over several lines)
    AFGHANISTAN_  [AFG]             a root phrase, words joined by "_", with an inline code
    +AFGHAN_                        a synonym of the root above
    MOHAMMAD_ZAHIR_SHAH_  # note    a root whose codes follow on indented lines
        [AFGELI 320101-331108]      code with a date range (YYMMDD or YYYYMMDD)
        [AFGGOV >20140607]          from that date on;  [IRQ <20030320] until that date
    U.N._                           a root with no code of its own: a synonym of the entry before
    [---]                           the null code: the phrase names no actor

How entries become registry actors (see data/actors/README.md, "Phoenix"):
  * an entry whose only code is an undated bare country ("AFGHANISTAN_ [AFG]") adds its
    phrases as aliases of that country;
  * a person (dated codes, or CountryInfo-generated entries) becomes PER.<NAME>, or merges
    into a registry person with the same name (so "MUHAMMAD_SHIA_AL_SUDANI" joins the curated
    PER.MOHAMMED_SHIA_AL_SUDANI); each code becomes a dated MEMBER_OF tie;
  * anything else (ministries, parties, groups) becomes <PREFIX>.<NAME>, PART_OF its code;
  * every CAMEO code used ("IRQGOVHRI", "AFGELI") is itself an actor, PART_OF its country
    (or the country's government for GOVxxx codes), unless the registry maps it already.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import sectors
from ..errors import InputError
from ..model import Actor, Affiliation
from .registry import Registry
from .text import key_of, load_variants, slug

_CODE = re.compile(r"\[([^\]]*)\]")
_XML_COMMENT = re.compile(r"<!--.*?-->")
_PARENS = re.compile(r"\(([^)]*)\)")
_NULL_CODE = "---"
# CAMEO code prefixes that are not countries: their kind is the sector table's (IGO, NGO, MNC, UIS, REB),
# IMG (international militarised group) is no CAMEO sector.
_NON_STATE_PREFIXES = ("IGO", "NGO", "IMG", "MNC", "UIS", "REB")
_IMG_KIND = "militia"


def _prefix_kind(prefix: str) -> str | None:
    if prefix not in _NON_STATE_PREFIXES:
        return None
    return _IMG_KIND if prefix == "IMG" else sectors.kind(prefix)


@dataclass(frozen=True, slots=True)
class PhoenixCode:
    code: str
    start: date | None = None
    end: date | None = None


@dataclass(slots=True)
class PhoenixEntry:
    names: list[str]  # root phrase first, then synonyms, as written (underscores kept)
    line: int
    codes: list[PhoenixCode] = field(default_factory=list)
    person_hint: bool = False  # "# CountryInfo.txt": generated from the leaders list
    null: bool = False  # coded [---]: the phrase deliberately names no actor
    gap_after: bool = False  # a blank or comment line follows the entry


@dataclass(slots=True)
class PhoenixDictionary:
    path: Path
    entries: list[PhoenixEntry]
    warnings: list[str]  # "FILE:LINE: message" for lines that were read with a repair


@dataclass(slots=True)
class PhoenixImport:
    """What merging a dictionary changed: enough to write it out as a registry file."""

    actors: dict[str, Actor] = field(default_factory=dict)  # new or alias-extended actors
    affiliations: list[Affiliation] = field(default_factory=list)
    added: int = 0  # actors that did not exist before
    names: int = 0  # phrases read


def parse_phoenix(path: Path) -> PhoenixDictionary:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except IsADirectoryError:
        raise InputError(str(path), "is a directory, expected a Phoenix .actors.txt file") from None
    entries: list[PhoenixEntry] = []
    warnings: list[str] = []
    current: PhoenixEntry | None = None
    in_comment = False
    for lineno, bline in enumerate(raw.splitlines(), 1):
        try:
            line = bline.decode("utf-8")
        except UnicodeDecodeError:
            line = bline.decode("latin-1")
        # XML-style comments, possibly spanning lines
        if in_comment:
            if "-->" not in line:
                continue
            line = line.split("-->", 1)[1]
            in_comment = False
        line = _XML_COMMENT.sub("", line)
        if "<!--" in line:
            line, in_comment = line.split("<!--", 1)[0], True
        text, _, comment = line.partition("#")
        if not text.strip():
            if current is not None:
                current.gap_after = True
            continue
        stripped = text.strip()
        if stripped.startswith("+"):
            if current is None:
                warnings.append(f"{path}:{lineno}: synonym '{stripped}' before any root phrase; skipped")
                continue
            name = _CODE.split(stripped[1:])[0].strip()
            if name:
                current.names.append(name)
            current.codes.extend(_codes(stripped, path, lineno, warnings))
            continue
        if stripped.startswith("["):
            if current is None:
                warnings.append(f"{path}:{lineno}: code '{stripped}' before any root phrase; skipped")
                continue
            current.codes.extend(_codes(stripped, path, lineno, warnings))
            continue
        # a new root phrase
        name = stripped.split("[", 1)[0].strip()
        if not name:
            warnings.append(f"{path}:{lineno}: no phrase before the code; skipped")
            continue
        current = PhoenixEntry([name], lineno, person_hint="CountryInfo" in comment)
        current.codes.extend(_codes(stripped, path, lineno, warnings))
        entries.append(current)
    # A root without codes shares the codes of the block it belongs to: the next root when it
    # follows directly (DMITRY_MEDVEDEV_ then DMITR_MEDVEDEV_ [RUSGOV ...]), else the entry
    # before it (UN_ [IGOUNO] then U.N._ and a blank line). [---] phrases are dropped.
    merged: list[PhoenixEntry] = []
    carry: list[str] = []
    for i, entry in enumerate(entries):
        entry.null = any(c.code == _NULL_CODE for c in entry.codes)
        entry.codes = [c for c in entry.codes if c.code != _NULL_CODE]
        if entry.null and not entry.codes:
            carry = []
            continue
        if not entry.codes:
            if not entry.gap_after and i + 1 < len(entries):
                carry.extend(entry.names)
            elif merged:
                merged[-1].names.extend([*carry, *entry.names])
                carry = []
            continue
        if carry:
            entry.names[:0] = carry
            carry = []
        merged.append(entry)
    return PhoenixDictionary(path, merged, warnings)


def _codes(text: str, path: Path, lineno: int, warnings: list[str]) -> list[PhoenixCode]:
    out = []
    for m in _CODE.finditer(text):
        parts = m.group(1).split(None, 1)
        if not parts:
            warnings.append(f"{path}:{lineno}: empty code []; skipped")
            continue
        code = parts[0].strip()
        if code == _NULL_CODE:
            out.append(PhoenixCode(_NULL_CODE))
            continue
        if not re.fullmatch(r"[A-Z0-9~]+", code):
            warnings.append(f"{path}:{lineno}: code '{code}' is not a CAMEO code; skipped")
            continue
        start = end = None
        if len(parts) > 1:
            spec = parts[1].replace(" ", "")
            try:
                if spec.startswith(">"):
                    start = _tabari_date(spec[1:])
                elif spec.startswith("<"):
                    end = _tabari_date(spec[1:])
                elif "-" in spec:
                    a, b = spec.split("-", 1)
                    start, end = _tabari_date(a), _tabari_date(b)
                else:
                    start = _tabari_date(spec)
                    warnings.append(f"{path}:{lineno}: date '{spec}' has no '>', '<' or range; read as a start date")
            except ValueError:
                warnings.append(f"{path}:{lineno}: date restriction '{parts[1].strip()}' is not YYMMDD or "
                                f"YYYYMMDD; kept code {code} without it")
                start = end = None
        out.append(PhoenixCode(code, start, end))
    return out


def _tabari_date(text: str) -> date:
    """YYMMDD (two-digit years: 00-29 -> 20xx, else 19xx, as TABARI dictionaries use them) or YYYYMMDD."""
    if not text.isdigit() or len(text) not in (6, 8):
        raise ValueError(text)
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy < 30 else 1900 + yy
        return date(year, int(text[2:4]), int(text[4:6]))
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def display(phrase: str) -> str:
    """"MUHAMMAD_SHIA_AL_SUDANI_" -> "Muhammad Shia Al Sudani"; short single words stay capitals (UN, PKK)."""
    words = phrase.replace("_", " ").split()
    if len(words) == 1 and len(words[0].strip(".")) <= 4:
        return words[0]
    return " ".join(w if "." in w and len(w) <= 5 else w.capitalize() if w.isupper() or w.islower() else w
                    for w in words)


def _aliases(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        shown = display(_PARENS.sub(" ", n))
        if shown:
            out.append(shown)
        for inner in _PARENS.findall(n):  # "ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_" -> also "AAIA"
            if inner.strip("_ "):
                out.append(display(inner))
    return list(dict.fromkeys(out))


def merge_phoenix(registry: Registry, dictionary: PhoenixDictionary) -> int:
    return merge_phoenix_detailed(registry, dictionary).added


def add_phoenix(registry: Registry, path: Path | str) -> int:
    """Merge a Phoenix/PETRARCH (TABARI-format) actor dictionary file into a registry; actors added."""
    return merge_phoenix(registry, parse_phoenix(Path(path)))


def merge_phoenix_detailed(registry: Registry, dictionary: PhoenixDictionary) -> PhoenixImport:
    result = PhoenixImport()
    states = {aid for aid, a in registry.actors.items() if a.kind == "state"}
    # names the registry already had: a dictionary phrase never takes a name from another actor
    owner: dict[tuple[str, ...], str] = {}
    for a in registry.actors.values():
        for name in (a.name, *a.aliases):
            owner.setdefault(_match_key(name), a.id)
    demonym_keys = {key_of(d) for d in registry.demonyms}  # "IRAQI_" is a demonym, not a name of Iraq
    # "US_VICE_PRESIDENT", "PRESIDENT_PUTIN": titles belong to offices (roles.toml), resolved by date
    title_words = {w for cue in registry.titles() for w in key_of(cue)}
    qualifier_words = {w for d in registry.demonyms for w in key_of(d)} | {"the", "of", "former", "acting"}
    qualifier_words |= {w for aid in states for w in key_of(registry.actors[aid].name)}

    not_names = load_variants().not_names

    def title_phrase(key: tuple[str, ...]) -> bool:
        return any(w in title_words for w in key) and all(w in title_words or w in qualifier_words for w in key)

    same_name: dict[tuple[tuple[str, ...], str | None], str] = {}  # (root key, country) -> person added
    source = f"phoenix:{dictionary.path.name}"

    def code_actor(code: str) -> str:
        known = registry.cameo_actor(code)
        if known:
            return known
        if code in registry.actors:
            return code
        prefix, sector = code[:3], code[3:6]
        country = prefix if prefix in states else None
        if country and code == prefix:
            return code
        kind = _prefix_kind(prefix) or sectors.kind(sector, "group" if country else "other")
        cname = registry.actors[country].name if country else prefix
        label = " ".join(sectors.get(part).label if sectors.get(part) else part
                         for part in (code[i:i + 3] for i in range(3, len(code), 3)))
        actor = registry.add_actor(Actor(code, f"{cname} {label}".strip(), kind, country, sector or None), source)
        registry.map_cameo(code, code)
        result.actors[code] = actor
        result.added += 1
        parent = None
        if country and sector == "GOV" and len(code) > 6:
            parent = f"{country}GOV"
        elif country:
            parent = country
        elif len(code) > 3 and code[:3] in registry.actors:
            parent = code[:3]
        if parent and parent in registry.actors:
            aff = Affiliation(code, parent, "PART_OF")
            registry.add_affiliation(aff)
            result.affiliations.append(aff)
        return code

    for entry in dictionary.entries:
        keyed = [(a, _match_key(a)) for a in _aliases(entry.names)]
        keyed = [(a, k) for a, k in keyed
                 if k and k not in demonym_keys and not title_phrase(k) and not (len(k) == 1 and k[0] in not_names)]
        if not keyed:
            continue
        result.names += len(keyed)
        codes = entry.codes
        undated = all(c.start is None and c.end is None for c in codes)
        is_person = entry.person_hint or not undated
        country = next((c.code[:3] for c in codes if c.code[:3] in states), None)
        if undated and len({c.code for c in codes}) == 1 and codes[0].code in states:
            aid, created = codes[0].code, False  # "AFGHANISTAN_ [AFG]": names of the country
        elif keyed[0][1] in owner:
            aid, created = owner[keyed[0][1]], False  # "IRAQ_", "KURDISTAN_REGIONAL_GOVERNMENT"
        elif is_person and (hit := next((owner[k] for _, k in keyed if k in owner
                                         and registry.actors[owner[k]].kind == "person"), None)):
            aid, created = hit, False  # "MUHAMMAD_SHIA_AL_SUDANI" = curated PER.MOHAMMED_SHIA_AL_SUDANI
        elif is_person and (hit := next((same_name[(k, country)] for _, k in keyed if (k, country) in same_name),
                                        None)):
            aid, created = hit, False  # the same person listed twice, spelled two ways
        else:
            aid, created = None, True
        kept = [a for a, k in keyed if owner.get(k, aid) == aid]
        if created:
            if is_person:
                aid = _unique(registry, f"PER.{slug(kept[0] if kept else keyed[0][0])}")
                actor = Actor(aid, keyed[0][0], "person", country, None, tuple(kept[1:]))
                for _, k in keyed:
                    same_name.setdefault((k, country), aid)
            else:
                first = codes[0].code
                prefix, sector = first[:3], first[3:6]
                aid = _unique(registry, f"{prefix}.{slug(keyed[0][0])}")
                kind = _prefix_kind(prefix) or sectors.kind(sector)
                actor = Actor(aid, keyed[0][0], kind, prefix if prefix in states else None, sector or None,
                              tuple(kept[1:]))
            result.actors[aid] = registry.add_actor(actor, source)
            result.added += 1
        else:
            result.actors[aid] = registry.add_aliases(aid, kept)
            if registry.actors[aid].kind != "person":
                continue  # a known state or organisation: its ties are the registry's business
        rel = "MEMBER_OF" if is_person else "PART_OF"
        for c in codes:
            target = code_actor(c.code)
            if target == aid:
                continue
            aff = Affiliation(aid, target, rel, c.start, c.end)
            registry.add_affiliation(aff)
            result.affiliations.append(aff)
    return result


def _match_key(name: str) -> tuple[str, ...]:
    """The key names are compared by: without Arabic articles ("Adil Abd al-Mahdi" = "Adil Abdul-Mahdi")."""
    articles = load_variants().articles
    key = key_of(name)
    return tuple(t for t in key if t not in articles) or key


def _unique(registry: Registry, aid: str) -> str:
    if aid not in registry.actors:
        return aid
    n = 2
    while f"{aid}_{n}" in registry.actors:
        n += 1
    return f"{aid}_{n}"
