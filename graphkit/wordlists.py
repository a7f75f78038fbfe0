"""Closed-class word lists (data/lexicon/closed_class.toml): pronouns, determiners, prepositions,
auxiliaries, abbreviations, titles, patron affixes and place heads, read once."""

from __future__ import annotations

from functools import cache

from .errors import InputError
from .paths import data_dir

FILE = "closed_class.toml"


@cache
def words() -> dict[str, frozenset[str]]:
    """List name -> its words (lower case); a word listed twice in one list is refused."""
    import tomllib  # here, not at import: start-up of commands that never read it

    path = data_dir() / "lexicon" / FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(path), "missing closed-class word file") from None
    except tomllib.TOMLDecodeError as err:
        raise InputError(str(path), f"invalid TOML: {err}") from None
    out = {}
    for key, value in raw.items():
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"{path}: {key}", "must be a list of strings")
        low = [v.lower() for v in value]
        dupes = sorted({w for w in low if low.count(w) > 1})
        if dupes:
            raise InputError(f"{path}: {key}", f"word(s) listed twice: {', '.join(dupes)}")
        out[key] = frozenset(low)
    return out


def get(name: str) -> frozenset[str]:
    """One list by name (KeyError names the file when a list is missing)."""
    lists = words()
    if name not in lists:
        raise InputError(str(data_dir() / "lexicon" / FILE), f"no list '{name}'")
    return lists[name]
