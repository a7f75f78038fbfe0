"""Casualty counts told in a sentence: "the killing of five militiamen", "at least 18 were wounded",
"dozens killed" (a lower bound).  Words from data/lexicon/events.toml."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import MONTHS
from .eventwords import EventWords, default_event_words

_TOKEN = re.compile(r"\d[\d,]*|[A-Za-z]+(?:-[A-Za-z]+)*")
_BACK_GLUE = frozenset(("of", "the", "lives"))  # "the killing of five", "claimed the lives of five"
_FORWARD_WINDOW = 10  # "two members of the militia, including a commander, were killed": number ... killed word
_STOP = frozenset(("and", "or", "but", "while", "after", "before", "when", "said", "says"))


@dataclass(frozen=True, slots=True)
class Casualties:
    killed: int | None = None
    killed_at_least: bool = False
    injured: int | None = None
    injured_at_least: bool = False

    def __bool__(self) -> bool:
        return self.killed is not None or self.injured is not None


@dataclass(frozen=True, slots=True)
class _Number:
    start: int  # token index of the first word (the bound phrase, if any)
    end: int  # token index after the number
    value: int
    at_least: bool


def _numbers(tokens: list[str], words: EventWords) -> list[_Number]:
    out: list[_Number] = []
    i = 0
    while i < len(tokens):
        start, at_least = i, False
        for phrase in words.at_least:
            parts = phrase.split()
            if tokens[i:i + len(parts)] == parts:
                at_least, i = True, i + len(parts)
                break
        value, used, vague = _number_at(tokens, i, words)
        if value is None or _not_a_count(tokens, i, i + used, words):
            i = start + max(used, 1)
            continue
        out.append(_Number(start, i + used, value, at_least or vague))
        i += used
    return out


def _not_a_count(tokens: list[str], start: int, end: int, words: EventWords) -> bool:
    """A day of a month ("January 4", "4 January"), a year, or a time ("two days", "150 times")."""
    before = tokens[start - 1] if start > 0 else ""
    after = tokens[end] if end < len(tokens) else ""
    return (before.rstrip(".") in MONTHS or after.rstrip(".") in MONTHS or after in words.time_units
            or (tokens[start].isdigit() and len(tokens[start]) == 4 and 1900 <= int(tokens[start]) <= 2100))


def _number_at(tokens: list[str], i: int, words: EventWords) -> tuple[int | None, int, bool]:
    """The number starting at token i, how many tokens it takes, and whether it is a vague quantity."""
    if i >= len(tokens):
        return None, 0, False
    t = tokens[i]
    if t[0].isdigit():
        return int(t.replace(",", "")), 1, False
    for n, table, vague in ((2, words.numbers, False), (2, words.vague, True), (1, words.vague, True)):
        phrase = " ".join(tokens[i:i + n])
        if phrase in table:
            return table[phrase], n, vague
    parts = t.split("-")  # "twenty-five"
    if all(p in words.numbers for p in parts):
        return sum(words.numbers[p] for p in parts), 1, False
    return None, 0, False


def casualties(sentence: str, words: EventWords | None = None) -> Casualties:
    """Killed and injured counts of one sentence (the first count of each that the sentence gives)."""
    words = words or default_event_words()
    tokens = [t.lower() for t in _TOKEN.findall(sentence)]
    found: dict[str, tuple[int, bool]] = {}
    for num in _numbers(tokens, words):
        # "18 killed" first, then "killed five", then "five people were killed"
        kind = (_kind_after(tokens, num.end, words, 1) or _kind_before(tokens, num.start, words)
                or _kind_after(tokens, num.end, words, _FORWARD_WINDOW))
        if kind and kind not in found:
            found[kind] = (num.value, num.at_least)
    k, i = found.get("killed", (None, False)), found.get("injured", (None, False))
    return Casualties(k[0], k[1], i[0], i[1])


def _kind_of(token: str, words: EventWords) -> str | None:
    if token in words.killed:
        return "killed"
    if token in words.injured:
        return "injured"
    return None


def _kind_before(tokens: list[str], start: int, words: EventWords) -> str | None:
    """"killed five", "the killing of five", "claimed the lives of five"."""
    j = start - 1
    while j >= 0 and tokens[j] in _BACK_GLUE and start - j <= 3:
        if tokens[j] == "lives":
            return "killed"
        j -= 1
    return _kind_of(tokens[j], words) if j >= 0 else None


def _kind_after(tokens: list[str], end: int, words: EventWords, window: int) -> str | None:
    """"five people were killed", "18 wounded"."""
    for j in range(end, min(end + window, len(tokens))):
        if tokens[j] in _STOP or tokens[j][0].isdigit():
            return None
        if (kind := _kind_of(tokens[j], words)) is not None:
            return kind
    return None
