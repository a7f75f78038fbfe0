"""A token-key index for longest-match lookup that scales to 10^5 aliases.

Every alias becomes a key (a tuple of canonical tokens, see registry.text). The
index is a dict key -> entries plus, per first token, the longest key length that
starts with it. Matching at a token position therefore costs at most a handful of
dict lookups, whatever the size of the registry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .text import Token

# What a key can stand for. Order = preference when two cues have the same span.
CUE_KINDS = ("actor", "title", "demonym", "agent", "description", "pronoun")
_PREFERENCE = {kind: i for i, kind in enumerate(CUE_KINDS)}


@dataclass(frozen=True, slots=True)
class Cue:
    kind: str  # one of CUE_KINDS
    target: str  # actor id | title key | ISO3 | sector | description | pronoun class
    alias: str  # the alias as written in the registry
    acronym: bool = False  # must be written in capitals in the text
    weight: float = 1.0  # confidence of a bare match (surnames lower)


@dataclass(frozen=True, slots=True)
class Match:
    i: int  # first token index
    j: int  # one past the last token index
    cues: tuple[Cue, ...]

    @property
    def kind(self) -> str:
        return self.cues[0].kind


class CueIndex:
    def __init__(self) -> None:
        self.entries: dict[tuple[str, ...], list[Cue]] = {}
        self.max_len: dict[str, int] = {}

    def add(self, key: tuple[str, ...], cue: Cue) -> None:
        if not key:
            return
        bucket = self.entries.setdefault(key, [])
        if cue not in bucket:
            bucket.append(cue)
        if len(key) > self.max_len.get(key[0], 0):
            self.max_len[key[0]] = len(key)

    def __len__(self) -> int:
        return len(self.entries)

    def starts(self, norm: str) -> bool:
        return norm in self.max_len

    def longest(self, tokens: Sequence[Token], i: int, kinds: frozenset[str] | None = None) -> Match | None:
        """The longest key starting at token i whose cues survive the case check."""
        limit = self.max_len.get(tokens[i].norm)
        if limit is None:
            return None
        for length in range(min(limit, len(tokens) - i), 0, -1):
            cues = self.entries.get(tuple(t.norm for t in tokens[i : i + length]))
            if not cues:
                continue
            kept = [c for c in cues if (kinds is None or c.kind in kinds) and _case_ok(c, tokens, i, length)]
            if kept:
                kept.sort(key=lambda c: _PREFERENCE[c.kind])
                return Match(i, i + length, tuple(kept))
        return None

    def scan(self, tokens: Sequence[Token]) -> list[Match]:
        """Greedy left-to-right longest matches, non-overlapping."""
        out: list[Match] = []
        i, n = 0, len(tokens)
        while i < n:
            m = self.longest(tokens, i)
            if m is None:
                i += 1
                continue
            out.append(m)
            i = m.j
        return out


def _case_ok(cue: Cue, tokens: Sequence[Token], i: int, length: int) -> bool:
    if not cue.acronym:
        return True
    # "US"/"U.S."/"PMF" only in capitals: the pronoun "us" or "pm" (time) must not match.
    return all(any(c.isupper() for c in t.surface) and not t.surface.islower() for t in tokens[i : i + length])
