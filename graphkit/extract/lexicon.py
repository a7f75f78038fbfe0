"""The event lexicon (data/lexicon/*.toml): trigger words and phrases -> typology type + CAMEO code."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .. import typology
from ..errors import InputError
from ..paths import data_dir


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    type: str
    cameo: str
    goldstein: float
    quad_class: int
    target_preps: tuple[str, ...] = ()
    of_role: str | None = None  # "target" | "source" | None
    symmetric: bool = False
    agent_default: str | None = None  # "speaker"
    target_default: str | None = None  # "speaker"
    require_object: bool = False
    objects: frozenset[str] = frozenset()  # when given, a verb fires only with one of these as its object
    confidence: float = 0.8
    # a violent event kept with one named side (or none, when it has victims or a place): the other
    # side is the unidentified or generic actor of the event's country, as event data codes it
    one_sided: bool = False
    victim_sector: str = "UAF"  # the unnamed target's sector: CVL for killings and abductions of people

    def coded_as(self, type_: str, cameo: str) -> Entry:
        """This entry re-coded (an announced act coded as intent or threat)."""
        from dataclasses import replace

        t = typology.get(type_)
        return replace(self, type=t.name, cameo=cameo, goldstein=t.goldstein,
                       quad_class=typology.quad_of(cameo, t.quad_class), symmetric=self.symmetric and t.symmetric)

    @property
    def relation(self) -> bool:
        return typology.get(self.type).kind == "relation"


@dataclass(frozen=True, slots=True)
class Phrase:
    lemmas: tuple[str, ...]
    head: int  # index of the head word in lemmas
    entry: Entry


@dataclass(frozen=True, slots=True)
class Cues:
    reporting: frozenset[str]
    reporting_nouns: frozenset[str]
    negation: frozenset[str]
    negating_verbs: frozenset[str]
    future_aux: frozenset[str]
    planning: frozenset[str]
    hypothetical_aux: frozenset[str]
    hypothetical_marks: frozenset[str]
    hypothetical_nouns: frozenset[str]
    desiring: frozenset[str]
    responsibility_nouns: frozenset[str]
    claiming: frozenset[str]
    refusing: frozenset[str]
    media_kinds: frozenset[str]
    onlooker_heads: frozenset[str]


@dataclass(slots=True)
class Lexicon:
    verbs: dict[str, Entry] = field(default_factory=dict)
    nouns: dict[str, Entry] = field(default_factory=dict)
    adjectives: dict[str, Entry] = field(default_factory=dict)  # "25 dead in ...": a casualty report
    phrases: dict[str, list[Phrase]] = field(default_factory=dict)  # first lemma -> phrases
    # verb lemma -> entries that take it only with one of their `objects` ("halted aid" is a sanction,
    # "blocked roads" a protest): a verb's senses by what it acts on, tried before its plain entry
    senses: dict[str, list[Entry]] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    cues: Cues | None = None
    # (announced type, modality) -> (coded type, cameo): see data/lexicon/coding.toml
    intent: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    # (type, verb lemma) -> (coded type, cameo): "lifted the sanctions" is easing them (coding.toml)
    easing: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    # (type, cameo) of "X said Y must ...": a demand (coding.toml [obligation])
    obligation: tuple[str, str] | None = None
    # refused cooperative type -> (coded type, cameo): "refused to send troops" (coding.toml [refusal])
    refusal: dict[str, tuple[str, str]] = field(default_factory=dict)
    _prefilter: re.Pattern | None = None
    _conflict_prefilter: re.Pattern | None = None

    def prefilter(self, text: str) -> bool:
        """Cheap check (no parse): could the text hold a trigger word?"""
        return bool(self._prefilter and self._prefilter.search(text))

    def conflict_prefilter(self, text: str) -> bool:
        """Cheap check: could the text hold a material-conflict trigger (the events worth reading when
        only generic parties are named: "gunmen killed two policemen", "police detained 18 people")?"""
        return bool(self._conflict_prefilter and self._conflict_prefilter.search(text))


def _stem(word: str) -> str:
    w = word.lower()
    for suffix in ("ies", "es", "e", "s", "y"):
        if len(w) > 4 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def _hyphen_pieces(word: str) -> list[str]:
    """A word as spaCy's tokenizer splits it: "cease-fire*" -> cease, -, fire* (the head mark stays
    on the last piece)."""
    star = word.endswith("*")
    parts = word.rstrip("*").split("-")
    if len(parts) == 1 or not all(parts):
        return [word]
    pieces = [x for part in parts for x in (part, "-")][:-1]
    return pieces[:-1] + [pieces[-1] + ("*" if star else "")]


def _words(raw: dict, key: str, where: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(where, f"{key} must be a list of strings")
    return [v.lower() for v in value]


def load_lexicon(folder: Path | None = None) -> Lexicon:
    """Read every *.toml in the lexicon folder; a word (verb, noun or phrase) claimed by two entries, or
    twice by one, is refused with the file and both entries named."""
    folder = folder or data_dir() / "lexicon"
    lex = Lexicon()
    cue_raw: dict = {}
    # closed_class.toml holds closed-class word lists (graphkit.wordlists), not event words
    files = sorted(p for p in folder.glob("*.toml") if p.name != "closed_class.toml")
    if not files:
        raise InputError(str(folder), "no lexicon files (*.toml)")
    stems: set[str] = set()
    conflict_stems: set[str] = set()
    claimed: dict[tuple[str, str], str] = {}  # (verb|noun|phrase, word) -> "file: entry id"

    def claim(part: str, word: str, where: str) -> None:
        key = (part, word)
        if key in claimed:
            raise InputError(where, f"{part} '{word}' is already claimed by {claimed[key]}")
        claimed[key] = where

    for path in files:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise InputError(str(path), f"invalid TOML: {err}") from None
        for key in ("reporting", "reporting_nouns", "negation", "negating_verbs", "future_aux", "planning",
                    "hypothetical_aux", "hypothetical_marks", "hypothetical_nouns", "media_kinds", "onlooker_heads",
                    "desiring", "responsibility_nouns", "claiming", "refusing"):
            if key in raw:
                cue_raw.setdefault(key, set()).update(_words(raw, key, f"{path}: {key}"))
        for coded, spec in raw.get("intent", {}).items():
            typology.get(coded)
            for announced, cameo in spec.get("cameo", {}).items():
                for modality in spec.get("modalities", ()):
                    lex.intent[(typology.get(announced).name, modality)] = (coded, str(cameo))
        if "obligation" in raw:
            spec = raw["obligation"]
            lex.obligation = (typology.get(spec["coded"]).name, str(spec["cameo"]))
        if "refusal" in raw:
            spec = raw["refusal"]
            where = f"{path.name}: refusal"
            try:
                coded_type = typology.get(spec["coded"]).name
                for refused, cameo in spec["cameo"].items():
                    lex.refusal[typology.get(refused).name] = (coded_type, str(cameo))
            except KeyError as err:
                raise InputError(where, f"missing field {err}") from None
            except Exception as err:  # unknown type
                raise InputError(where, str(err)) from None
        for announced, spec in raw.get("easing", {}).items():
            where = f"{path.name}: easing.{announced}"
            try:
                coded = (typology.get(spec["coded"]).name, str(spec["cameo"]))
                kind = typology.get(announced).name
            except KeyError as err:
                raise InputError(where, f"missing field {err}") from None
            except Exception as err:  # unknown type
                raise InputError(where, str(err)) from None
            for verb in _words(spec, "verbs", where):
                if (kind, verb) in lex.easing:
                    raise InputError(where, f"verb '{verb}' listed twice")
                lex.easing[(kind, verb)] = coded
        defaults = raw.get("defaults", {})
        for n, item in enumerate(raw.get("entry", []), 1):
            where = f"{path.name}: entry {n} ({item.get('id', '?')})"
            try:
                etype = typology.get(item["type"])
                base = defaults.get(etype.name, {})
                cameo = str(item.get("cameo", etype.cameo))
                entry = Entry(
                    id=item["id"], type=etype.name, cameo=cameo,
                    goldstein=float(item.get("goldstein", etype.goldstein)),
                    quad_class=typology.quad_of(cameo, etype.quad_class),
                    target_preps=tuple(item.get("target_preps", base.get("target_preps", ()))),
                    of_role=item.get("of_role", base.get("of_role")),
                    symmetric=bool(item.get("symmetric", etype.symmetric)),
                    agent_default=item.get("agent_default"),
                    target_default=item.get("target_default"),
                    require_object=bool(item.get("require_object", False)),
                    objects=frozenset(_words(item, "objects", where)),
                    confidence=float(item.get("confidence", 0.8)),
                    one_sided=bool(item.get("one_sided", base.get("one_sided", False))),
                    victim_sector=str(item.get("victim_sector", base.get("victim_sector", "UAF"))),
                )
            except KeyError as err:
                raise InputError(where, f"missing field {err}") from None
            except Exception as err:  # unknown type, bad number
                raise InputError(where, str(err)) from None
            if entry.id in lex.entries:
                raise InputError(where, f"duplicate entry id {entry.id!r}")
            lex.entries[entry.id] = entry
            for word in _words(item, "verbs", where):
                if entry.objects:
                    # a sense: the verb with each of these objects is claimed, not the verb itself
                    for obj in entry.objects:
                        claim("verb sense", f"{word} + {obj}", where)
                    lex.senses.setdefault(word, []).append(entry)
                else:
                    claim("verb", word, where)
                    lex.verbs[word] = entry
                stems.add(_stem(word))
            for word in _words(item, "adjectives", where):
                claim("adjective", word, where)
                lex.adjectives[word] = entry
                stems.add(_stem(word))
            for word in _words(item, "nouns", where):
                if "-" in word.strip("-"):
                    # spaCy splits "cease-fire" into cease, -, fire: a hyphenated word is a phrase
                    item.setdefault("phrases", []).append(word + "*")
                    continue
                if " " in word:
                    item.setdefault("phrases", []).append(word.replace(" ", " ") + "*" if "*" not in word else word)
                    continue
                claim("noun", word, where)
                lex.nouns[word] = entry
                stems.add(_stem(word))
            for phrase in _words(item, "phrases", where):
                words = [piece for w in phrase.split() for piece in _hyphen_pieces(w)]
                head = next((i for i, w in enumerate(words) if w.endswith("*")), len(words) - 1)
                lemmas = tuple(w.rstrip("*") for w in words)
                claim("phrase", " ".join(lemmas), where)
                lex.phrases.setdefault(lemmas[0], []).append(Phrase(lemmas, head, entry))
                stems.update(_stem(w) for w in lemmas if len(w) > 3)
            if entry.quad_class == 4:
                conflict_stems.update(_stem(w) for part in ("verbs", "nouns", "adjectives")
                                      for w in _words(item, part, where) if " " not in w)
    for plist in lex.phrases.values():
        plist.sort(key=lambda p: -len(p.lemmas))
    lex.cues = Cues(**{k: frozenset(cue_raw.get(k, ())) for k in Cues.__slots__})
    pattern = "|".join(sorted((re.escape(s) for s in stems if s), key=len, reverse=True))
    lex._prefilter = re.compile(r"\b(?:" + pattern + r")", re.IGNORECASE)
    conflict = "|".join(sorted((re.escape(s) for s in conflict_stems if s), key=len, reverse=True))
    lex._conflict_prefilter = re.compile(r"\b(?:" + conflict + r")", re.IGNORECASE)
    return lex


@cache
def default_lexicon() -> Lexicon:
    return load_lexicon()
