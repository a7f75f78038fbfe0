"""The word lists of event coreference and casualty counts (data/lexicon/events.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import InputError
from ..paths import data_dir


@dataclass(frozen=True, slots=True)
class EventWords:
    event_nouns: frozenset[str]  # "the incident": refers back to an event told before
    precedence: frozenset[str]  # "the incident follows a series of attacks": the object came first
    killed: frozenset[str]
    injured: frozenset[str]
    time_units: frozenset[str]  # "two days", "150 times": not a count of people
    at_least: tuple[str, ...]  # "at least", "more than": the number after is a lower bound
    numbers: dict[str, int]  # number words ("five", "a dozen")
    vague: dict[str, int]  # vague quantities kept as lower bounds ("dozens" -> 24)


def load_event_words(path: Path | None = None) -> EventWords:
    """Read the lists; a word claimed by two lists is refused (it could only mean one thing)."""
    path = path or data_dir() / "lexicon" / "events.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise InputError(str(path), f"cannot read: {err}") from None
    coref, cas = raw.get("coreference", {}), raw.get("casualties", {})
    lists = {"coreference.event_nouns": coref.get("event_nouns", []),
             "coreference.precedence": coref.get("precedence", []),
             "casualties.killed": cas.get("killed", []), "casualties.injured": cas.get("injured", []),
             "casualties.at_least": cas.get("at_least", []), "casualties.time_units": cas.get("time_units", []),
             "casualties.numbers": list(cas.get("numbers", {})), "casualties.vague": list(cas.get("vague", {}))}
    owner: dict[str, str] = {}
    for name, words in lists.items():
        for w in words:
            if not isinstance(w, str) or not w.strip():
                raise InputError(str(path), f"{name}: {w!r} is not a word")
            key = w.strip().lower()
            if key in owner:
                raise InputError(str(path), f"{key!r} is claimed twice ({owner[key]} and {name})")
            owner[key] = name
    for table in ("numbers", "vague"):
        for w, n in cas.get(table, {}).items():
            if not isinstance(n, int) or n < 0:
                raise InputError(str(path), f"casualties.{table}.{w}: {n!r} is not a count")
    low = lambda ws: frozenset(w.lower() for w in ws)  # noqa: E731
    return EventWords(
        event_nouns=low(coref.get("event_nouns", [])), precedence=low(coref.get("precedence", [])),
        killed=low(cas.get("killed", [])), injured=low(cas.get("injured", [])),
        time_units=low(cas.get("time_units", [])),
        at_least=tuple(sorted((w.lower() for w in cas.get("at_least", [])), key=len, reverse=True)),
        numbers={k.lower(): v for k, v in cas.get("numbers", {}).items()},
        vague={k.lower(): v for k, v in cas.get("vague", {}).items()})


@cache
def default_event_words() -> EventWords:
    return load_event_words()
