"""Stable article ids from normalised content.

The id depends only on the title and the body text after normalisation (Unicode NFKC,
curly quotes and dashes made plain, whitespace collapsed, case folded), so the same
article read from a .txt paste, a saved .html page or a .jsonl export gets the same id,
while header noise (scrape dates, bylines, URLs) does not change it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u200b": "", "\ufeff": "",
})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The form of `text` that ids are computed from."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _SPACE.sub(" ", text).strip().casefold()


def article_id(text: str, title: str | None) -> str:
    """16 hex digits of sha256 over the normalised title and body text."""
    key = normalise(title or "") + "\n" + normalise(text)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
