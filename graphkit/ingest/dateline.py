"""Wire datelines opening an article's body: the place, the agency and the date they give.

    DUBAI (AP) — Yemen's Houthi movement said ...
    BAGHDAD, Jan. 30, 2024 (Reuters) - Iraq's Kataib Hezbollah said ...
    KYIV, Ukraine (AP) — ...            Baghdad (AFP) – ...          BEIRUT — ...
    WASHINGTON, Jan 30 (Reuters) - ...  (a year-less date: completed from another date, see below)

The dateline is cut off the first body paragraph before anything reads its sentences, so the
place ("DUBAI") never becomes an actor and "Iraq's Kataib Hezbollah said" keeps its subject.
Agencies and the capitalised labels that are not places are in data/ingest/datelines.toml.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from ..errors import GraphkitError
from ..paths import data_dir
from .dates import MONTHS, find_dates

if TYPE_CHECKING:
    from .layout import Draft

_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)\.?"
# A date closing the dateline's head: "Jan. 30, 2024", "Jan 30", "30 January 2024", "Tuesday".
_TRAILING_DATE = re.compile(
    rf"(?:,\s*|\s+)(?P<date>(?:{_WEEKDAY},?\s+)?(?:{_MONTH}\s+[0-3]?\d(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d\d)?"
    rf"|[0-3]?\d\s+{_MONTH}(?:,?\s+(?:19|20)\d\d)?)|{_WEEKDAY})\s*$", re.I)
_MONTH_DAY = re.compile(rf"(?P<month>{_MONTH})\s+(?P<day>[0-3]?\d)|(?P<day2>[0-3]?\d)\s+(?P<month2>{_MONTH})", re.I)
# The separator after the head: a dash (spaced, or an em/en dash however spaced) or a colon.
_SEPARATOR = re.compile(r"\s*[—–]\s*|\s+--?\s+|(?<=\))\s*--?\s*|(?<=\))\s*:\s+|:\s+")
_AGENCY = re.compile(r"\s*\((?P<agency>[^()]{1,40})\)\s*$")
_MAX_HEAD = 90


@dataclass(frozen=True, slots=True)
class Dateline:
    place: str  # as written: "DUBAI", "KYIV, Ukraine"
    agency: str | None  # the outlet named in the parentheses (canonical when listed), or None
    published: date | None  # a full date with its year
    month_day: tuple[int, int] | None  # a year-less "Jan. 30": (1, 30); None when there is no date or it has a year
    text: str  # the whole dateline as written, separator and following space included
    date_text: str | None = None


@cache
def _words() -> tuple[dict[str, str], frozenset[str]]:
    path = data_dir() / "ingest" / "datelines.toml"
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise GraphkitError(f"{path}: cannot load the dateline words ({err})") from None
    agencies: dict[str, str] = {}
    for outlet, names in data.get("agencies", {}).items():
        for name in names:
            key = name.casefold()
            if key in agencies and agencies[key] != outlet:
                raise GraphkitError(f"{path}: agency name {name!r} is claimed by both {agencies[key]!r} and {outlet!r}")
            agencies[key] = outlet
    not_places: set[str] = set()
    for word in data.get("not_places", []):
        key = word.casefold()
        if key in not_places or key in agencies:
            raise GraphkitError(f"{path}: {word!r} is listed twice (not_places, agencies)")
        not_places.add(key)
    return agencies, frozenset(not_places)


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_titled(text: str) -> bool:
    words = text.split()
    return bool(words) and len(words) <= 4 and all(w[:1].isupper() or w.lower() in ("of", "al", "el", "de")
                                                   for w in words)


def find_dateline(paragraph: str) -> Dateline | None:
    """The dateline opening `paragraph`, or None.

    The head before the separator must be a place (capitals, or title case when an agency in
    parentheses follows), optionally ", Country" and a date, optionally "(AGENCY)"; the text
    after the separator must go on.
    """
    agencies, not_places = _words()
    for sep in _SEPARATOR.finditer(paragraph[: _MAX_HEAD + 6]):
        head, rest = paragraph[: sep.start()], paragraph[sep.end():]
        if not head or len(head) > _MAX_HEAD or not rest[:1].strip():
            continue
        found = _read_head(head, agencies, not_places, colon=":" in sep.group())
        if found is None:
            continue
        place, agency, published, month_day, date_text = found
        if agency is None and date_text is None and not (rest[:1].isupper() or rest[:1] in "\"“‘'(0123456789"):
            continue  # "ISIS — the group said ...": an apposition after a name in capitals, not a dateline
        return Dateline(place, agency, published, month_day, paragraph[: sep.end()], date_text)
    return None


def _read_head(head: str, agencies: dict[str, str], not_places: frozenset[str], colon: bool):
    agency = None
    m = _AGENCY.search(head)
    if m:
        written = " ".join(m.group("agency").split())
        agency = agencies.get(written.casefold())
        if agency is None:
            if not written[:1].isupper() or len(written.split()) > 4:
                return None
            agency = written  # an agency not listed: kept as written, only after a place in capitals
        head = head[: m.start()]
    published, month_day, date_text = None, None, None
    d = _TRAILING_DATE.search(head)
    if d:
        date_text = d.group("date")
        spans = find_dates(date_text)
        if spans:
            published = spans[0].value
        else:
            md = _MONTH_DAY.search(date_text)
            if md:
                month = MONTHS[(md.group("month") or md.group("month2")).lower().rstrip(".")]
                month_day = (month, int(md.group("day") or md.group("day2")))
        head = head[: d.start()]
    parts = [p.strip() for p in head.split(",")]
    if not parts or not parts[0] or len(parts) > 3:
        return None
    place = parts[0]
    listed = agency is not None and agency in agencies.values()
    if len(place.split()) > 4 or place.casefold() in not_places or any(c.isdigit() for c in place):
        return None
    if not (_is_caps(place) or (listed and _is_titled(place))):
        return None  # "Iraq's PM - ...": a sentence, not a dateline
    if colon and agency is None and date_text is not None:
        return None  # "NEW DELHI: ..." and "(IANS): ..." end datelines; "Place, Tuesday: ..." is a label
    if not all(_is_titled(p) or _is_caps(p) for p in parts[1:]):
        return None
    return ", ".join(parts), agency, published, month_day, date_text


def complete_year(month_day: tuple[int, int], reference: date) -> date | None:
    """A year-less dateline date in the year that puts it on or before `reference` and closest to it
    (a dateline of Dec. 30 on a page dated Jan. 2 is from the year before)."""
    month, day = month_day
    for year in (reference.year, reference.year - 1):
        try:
            value = date(year, month, day)
        except ValueError:
            continue
        if value <= reference:
            return value
    return None


def cut_dateline(draft: Draft) -> Dateline | None:
    """Cut a dateline off the draft's first body paragraph and keep it on the draft (Draft.dateline).

    The agency becomes the outlet only when nothing the reader saw before named one (a `Source:`
    line, an outlet line); page tags and record columns read afterwards still override it.
    """
    if draft.dateline is not None or not draft.body:
        return draft.dateline
    found = find_dateline(draft.body[0])
    if found is None:
        return None
    draft.dateline = found
    draft.body[0] = draft.body[0][len(found.text):]
    if found.agency and not draft.outlet:
        draft.outlet = found.agency
    return found


def yearless_note(draft: Draft) -> str | None:
    """The note for a year-less dateline that nothing completed ("BAGHDAD, Jan 30 (Reuters) -")."""
    found = draft.dateline
    if found is None or found.month_day is None or draft.published is not None:
        return None
    return (f"the dateline {found.text.strip()!r} gives no year and nothing else dates the article: "
            "kept without a date (give one with --published)")
