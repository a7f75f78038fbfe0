"""One event told by several articles at different precisions: which stored statements fold into which.

Statement ids merge reports that key alike (same dyad, type, modality group, date key and place told;
graphkit.ids). Reports of one event that key differently — "on Sunday" in one article and "last week"
in another, "in Kirkuk" and no place, "Kirkuk" and "Kirkuk governorate", a day and an undated report
of the next day — are separate rows that this step links: a row *folds into* the one day-dated event
row that is at least as specific on both axes (its day inside the row's period, its place inside the
row's place), when exactly one such event exists. A row two events could be (a week holding strikes on
Monday and on Wednesday) stays on its own: counting it once more is the smaller error than joining
two events through it.

The result is a function of the set of rows of one dyad and type, never of the order they arrived
in: both stores recompute it for every dyad and type a batch touches (docs/statements.md, "Across
articles"). Rows are kept as stored; reads leave folded rows out and give their evidence to the event.
"""

from __future__ import annotations

import calendar
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .. import typology
from ..ids import place_key
from ..model import FALLBACK_PLACE_SOURCES, MODALITY_GROUPS
from .prepare import GRAPHKIT_DATASET  # imported datasets keep their own event ids: never folded

# A report dated only by its publication day tells an event of that day or the two before it: wire
# copy reports today's and yesterday's events (a longer window joined distinct attacks of one
# generic dyad, "gunmen" and "civilians", in real Iraq reporting read while choosing it).
REPORTED_LOOKBACK_DAYS = 2
# Date precisions whose ids key alike across articles: two such rows equal on both axes are one event.
_KEYED = frozenset({"day", "week", "month", "year"})
# Placements that are a guess from the article (its dateline, a place it names elsewhere, its country),
# not the event's own telling: folding reads them as no place (a guess must not keep two reports apart).
# Of the fallbacks, coreference stays: another telling of the same event named the place.
_GUESSED_PLACES = FALLBACK_PLACE_SOURCES - {"coreference"}


@dataclass(frozen=True, slots=True)
class EventRow:
    """What folding reads of a stored statement."""

    id: str
    source: str
    target: str
    type: str
    modality: str
    dataset: str
    article_id: str | None
    date: date | None
    date_precision: str
    date_end: date | None = None
    location: str | None = None
    place_precision: str | None = None
    place_country: str | None = None
    place_admin1: str | None = None
    geonames_id: int | None = None
    place_source: str | None = None


# The stored columns an EventRow is built from, in its field order (both stores select these).
EVENT_COLUMNS = tuple(EventRow.__dataclass_fields__)


def event_row(values) -> EventRow:
    """An EventRow of a store's EVENT_COLUMNS values (in that order), dates as ISO text."""
    d = dict(zip(EVENT_COLUMNS, values, strict=True))
    d["date"] = date.fromisoformat(d["date"][:10]) if d["date"] else None
    d["date_end"] = date.fromisoformat(d["date_end"][:10]) if d["date_end"] else None
    return EventRow(**d)


@dataclass(frozen=True, slots=True)
class Fold:
    """Where a row belongs: `folded_into` is the event's row id, or None for an event of its own."""

    id: str
    folded_into: str | None


def group_key(source: str, target: str, type_: str) -> tuple[str, str, str]:
    """The rows that may fold together: one dyad (either order for a symmetric type) and one type."""
    try:
        symmetric = typology.get(type_).symmetric
    except KeyError:
        symmetric = False
    if symmetric and target < source:
        source, target = target, source
    return (type_, source, target)


def _interval(r: EventRow) -> tuple[date, date] | None:
    """The days the event lies in, or None when the row cannot fold (no date, or a series)."""
    return report_period(r.date, r.date_precision, r.date_end)


def report_period(d: date | None, precision: str | None, date_end: date | None = None) -> tuple[date, date] | None:
    """The days a report of this date and precision may tell an event of (first, last), or None when it
    cannot fold (no date, or a range)."""
    if d is None:
        return None
    if precision == "day":
        return d, d
    if precision == "week":
        return d, date_end or d + timedelta(days=6)
    if precision == "month":
        first = d.replace(day=1)
        return first, date_end or first.replace(day=calendar.monthrange(d.year, d.month)[1])
    if precision == "year":
        return d.replace(month=1, day=1), date_end or d.replace(month=12, day=31)
    if precision == "reported":
        return d - timedelta(days=REPORTED_LOOKBACK_DAYS), d
    return None  # a range ("since Oct. 17", "a series of attacks") may be many events: never one of them


def _norm(text: str | None) -> str | None:
    return place_key(text) or None


def _same_place(a: EventRow, b: EventRow) -> bool:
    if a.geonames_id is not None and b.geonames_id is not None:
        return a.geonames_id == b.geonames_id
    return _norm(a.location) == _norm(b.location)


def _place_within(inner: EventRow, outer: EventRow) -> bool:
    """Is `inner`'s place inside `outer`'s (equal counts)? No place is everywhere."""
    if not _has_place(outer):
        return True
    if not _has_place(inner):
        return False
    if _same_place(inner, outer):
        return True
    if outer.place_precision == "country":
        return outer.place_country is not None and inner.place_country == outer.place_country
    if outer.place_precision == "admin1":
        return (inner.place_precision == "town" and outer.place_admin1 is not None
                and inner.place_admin1 == outer.place_admin1 and inner.place_country == outer.place_country)
    return False


@dataclass(frozen=True, slots=True)
class _Row:
    row: EventRow
    start: date
    end: date


def _within(inner: _Row, outer: _Row) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end and _place_within(inner.row, outer.row)


def _one_event(a: _Row, b: _Row) -> bool:
    """Two reports equal on both axes whose ids differ: one event when both key alike (a day, week,
    month or year) and both name a place (named two ways: "Kirkuk", "the city of Kirkuk"). Without a
    place, rows of one key share one id; two ids there were made apart on purpose (an importer's, a
    caller's own) and stay apart."""
    return (a.row.date_precision in _KEYED and b.row.date_precision in _KEYED and a.start == b.start
            and a.end == b.end and _has_place(a.row) and _has_place(b.row) and _same_place(a.row, b.row))


def _has_place(r: EventRow) -> bool:
    return r.geonames_id is not None or _norm(r.location) is not None


def _eligible(r: EventRow) -> bool:
    return may_fold(r.dataset, r.modality, r.type)


def may_fold(dataset: str | None, modality: str | None, type_: str | None) -> bool:
    """Can a statement of this dataset, modality and type fold at all (graphkit's own, factual, an
    event rather than a relation state)?"""
    if dataset != GRAPHKIT_DATASET or MODALITY_GROUPS.get(modality) != "factual":
        return False
    try:
        return typology.get(type_).kind != "relation"  # a relation state is a reading per report
    except KeyError:
        return False


def fold_group(rows: Iterable[EventRow]) -> list[Fold]:
    """Where each row of one group (see group_key) belongs. Rows that cannot fold map to None."""
    rows = list(rows)
    usable: list[_Row] = []
    for r in rows:
        if _eligible(r) and (span := _interval(r)) is not None:
            if r.place_source in _GUESSED_PLACES:
                r = replace(r, place_precision=None, place_country=None, place_admin1=None, geonames_id=None)
            usable.append(_Row(r, *span))
    parent: dict[str, str] = {}
    by_modality_group: dict[str, list[_Row]] = defaultdict(list)
    for u in usable:
        by_modality_group[MODALITY_GROUPS[u.row.modality]].append(u)
    for members in by_modality_group.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda u: u.start)
        starts = [u.start for u in members]
        for r in members:
            days: list[_Row] = []  # day-dated events strictly more specific than r
            equal: list[_Row] = []  # reports of r's own key told with the same place named otherwise
            ambiguous = False
            # only rows starting inside r's period can lie inside it
            for c in members[bisect_left(starts, r.start):bisect_right(starts, r.end)]:
                if c is r or (c.row.article_id is not None and c.row.article_id == r.row.article_id):
                    continue  # within one article, coreference already decided which mentions are one event
                if not _within(c, r):
                    continue
                if _within(r, c):
                    if _one_event(r, c) and c.row.id < r.row.id:
                        equal.append(c)
                    continue
                if c.row.date_precision != "day":
                    continue  # only a dated event gathers vaguer reports: two vague ones may be two events
                if days and c.start != days[0].start:
                    ambiguous = True  # events on two days: either could be the one r tells
                    break
                days.append(c)
            if ambiguous:
                continue
            if days:
                # the most specific of them (none of the others lies strictly inside it); those that are
                # one event (see _one_event) count once, by the smallest id among them
                finest = [c for c in days if not any(d is not c and _within(d, c) and not _within(c, d) for d in days)]
                events = {min(d.row.id for d in finest if d is c or _one_event(c, d)) for c in finest}
            else:
                events = {min(c.row.id for c in equal)} if equal else set()
            if len(events) == 1:
                parent[r.row.id] = events.pop()
    out = []
    for r in rows:
        root, seen = parent.get(r.id), {r.id}
        while root is not None and root in parent and root not in seen:
            seen.add(root)
            root = parent[root]
        out.append(Fold(r.id, root))
    return out


def fold_rows(rows: Iterable[EventRow]) -> list[Fold]:
    """fold_group over every group in `rows`."""
    groups: dict[tuple, list[EventRow]] = defaultdict(list)
    for r in rows:
        groups[group_key(r.source, r.target, r.type)].append(r)
    return [f for group in groups.values() for f in fold_group(group)]
