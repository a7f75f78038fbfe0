"""Tokens and normalised keys for alias matching.

Matching works on *keys*: tuples of canonical tokens. Text and aliases go through
the same normalisation (lower case, accents stripped, punctuation ignored, dotted
abbreviations joined, transliteration variants folded to one spelling from
data/actors/variants.toml), so "Mohammed Shia’ al-Sudani" and "Muhammad Shia
al Sudani" give the same key and one dictionary lookup finds either.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import data_dir

# A word: letters/digits, with apostrophes inside ("Kata'ib", "Iran's").
_WORD = re.compile(r"[^\W_]+(?:['’ʼ`][^\W_]+)*")
_APOS = re.compile(r"['’ʼ`]")
_POSSESSIVE = re.compile(r"['’ʼ`]s$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Token:
    start: int  # char offsets into the text
    end: int
    surface: str  # the text as written (apostrophes kept)
    norm: str  # canonical form used for lookups


@dataclass(frozen=True, slots=True)
class Variants:
    equivalent: dict[str, str]  # spelling -> canonical spelling
    articles: frozenset[str]  # canonical article tokens ("al")
    drop_articles: bool
    not_names: frozenset[str] = frozenset()  # never a one-word name from an imported dictionary


@lru_cache(maxsize=4)
def load_variants(path: str | None = None) -> Variants:
    import tomllib  # here, not at import: start-up of commands that never read it

    file = Path(path) if path else data_dir() / "actors" / "variants.toml"
    with open(file, "rb") as fh:
        raw = tomllib.load(fh)
    equivalent: dict[str, str] = {}
    for group in raw.get("equivalent", []):
        canonical = _fold(group[0])
        for spelling in group:
            equivalent[_fold(spelling)] = canonical
    articles = [_fold(a) for a in raw.get("articles", [])]
    if articles:
        for a in articles:
            equivalent[a] = articles[0]
    return Variants(equivalent, frozenset(articles[:1]), bool(raw.get("drop_articles", True)),
                    frozenset(_fold(w) for w in raw.get("not_names", [])))


def _fold(word: str) -> str:
    """Lower case without accents or apostrophes."""
    word = _APOS.sub("", word.casefold())
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokenize(text: str, variants: Variants | None = None) -> list[Token]:
    """Split text into word tokens with canonical forms.

    "U.S." and "U.N." become one token ("us", "un"); a possessive "'s" is cut off
    ("Iran's" -> "iran"); other apostrophes vanish ("Shia’" -> "shia").
    """
    variants = variants or load_variants()
    eq = variants.equivalent
    tokens: list[Token] = []
    n = len(text)
    pending: list[tuple[int, int]] = []  # a run of dotted single letters: U.S.A.

    def flush_dotted() -> None:
        if not pending:
            return
        start, end = pending[0][0], pending[-1][1]
        if len(pending) > 1:
            end = end + 1 if end < n and text[end] == "." else end
            surface = text[start:end]
            norm = "".join(text[s:e] for s, e in pending).casefold()
            tokens.append(Token(start, end, surface, eq.get(norm, norm)))
        else:
            s, e = pending[0]
            w = _fold(text[s:e])
            tokens.append(Token(s, e, text[s:e], eq.get(w, w)))
        pending.clear()

    for m in _WORD.finditer(text):
        start, end = m.span()
        word = m.group()
        if len(word) == 1 and word.isalpha() and end < n and text[end] == ".":
            if pending and pending[-1][1] + 1 != start:
                flush_dotted()
            pending.append((start, end))
            continue
        if pending and len(word) == 1 and word.isalpha() and pending[-1][1] + 1 == start:
            # last letter of "U.S" written without the final dot
            pending.append((start, end))
            flush_dotted()
            continue
        flush_dotted()
        possessive = _POSSESSIVE.search(word)
        if possessive:
            end -= 2
            word = word[:-2]
        w = _fold(word)
        tokens.append(Token(start, end, word, eq.get(w, w)))
    flush_dotted()
    return tokens


def key_of(text: str, variants: Variants | None = None) -> tuple[str, ...]:
    return tuple(t.norm for t in tokenize(text, variants))


def alias_keys(alias: str, variants: Variants | None = None) -> set[tuple[str, ...]]:
    """The key of an alias plus its generated variants (article dropped)."""
    variants = variants or load_variants()
    key = key_of(alias, variants)
    if not key:
        return set()
    keys = {key}
    if variants.drop_articles and len(key) > 1:
        stripped = tuple(t for t in key if t not in variants.articles)
        if stripped and stripped != key:
            keys.add(stripped)
    return keys


def is_acronym(alias: str) -> bool:
    """Short all-caps or dotted aliases ("US", "U.N.", "PMF") must match in capitals,
    so the pronoun "us" or the word "pm" in running text never triggers them."""
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and len(letters) <= 6 and all(c.isupper() for c in letters)


def slug(text: str) -> str:
    """ASCII upper-case id part: "Mohammed Shia’ al-Sudani" -> "MOHAMMED_SHIA_AL_SUDANI"."""
    words = [_fold(w) for w in _WORD.findall(text)]
    return "_".join(w.upper() for w in words if w) or "UNKNOWN"
