"""Event dates: explicit, weekday and relative expressions resolved against the publication date.

A date is a day, a week (Monday to Sunday), a month, a year, or a range ("since Oct. 17", "in recent
months"); `reported` when the text gives none and only the publication date is known."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY_MONTH = re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(?P<year>\d{4}))?", re.I)
_MONTH_DAY = re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4}))?", re.I)
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_MONTH_YEAR = re.compile(r"\b(?:in\s+)?" + _MONTH + r"(?:\s+(?P<year>\d{4}))?\b", re.I)
_WEEKDAY = re.compile(r"\b(?P<last>last\s+|this\s+|next\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_RELATIVE = re.compile(r"\b(?P<rel>today|tonight|yesterday|the day before yesterday|last night|this morning|"
                       r"earlier (?:this|today)|last week|this week|last month|this month|tomorrow|next week|"
                       r"(?P<n>\d+|two|three|four|five|six|seven|a few) days ago)\b", re.I)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "a few": 3}


_SINCE = re.compile(r"\bsince\b", re.I)
_RECENT = re.compile(r"\b(?:in\s+)?(?:recent|the\s+past|the\s+last)\s+(?P<n>\w+\s+)?(?P<unit>days|weeks|months|years)\b", re.I)
_RECENT_SPAN = {"days": 7, "weeks": 28, "months": 92, "years": 366}  # "in recent X" without a number
_UNIT_DAYS = {"days": 1, "weeks": 7, "months": 31, "years": 366}


@dataclass(frozen=True, slots=True)
class EventDate:
    value: date | None  # the first day (None: a range whose start is unknown)
    precision: str  # day | week | month | year | range | reported
    text: str | None = None
    end: date | None = None  # the last day of a week, month, year or range

    @property
    def first(self) -> date | None:
        return self.value

    @property
    def last(self) -> date | None:
        if self.end is not None or self.precision == "range":
            return self.end
        if self.value is None:
            return None
        if self.precision == "week":
            return self.value + timedelta(days=6)
        if self.precision == "month":
            return self.value.replace(day=monthrange(self.value.year, self.value.month)[1])
        if self.precision == "year":
            return self.value.replace(month=12, day=31)
        return self.value


_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3, "range": 4, "reported": 5}


def finest(dates) -> EventDate:
    """The most precise of several dates of one event (the first of equals)."""
    return min(dates, key=lambda d: _ORDER.get(d.precision, 9))


def contains(outer: EventDate, inner: EventDate) -> bool:
    """Whether `inner` lies within `outer` (a report date bounds nothing: never contains)."""
    if "reported" in (outer.precision, inner.precision):
        return False
    lo, hi = outer.first, outer.last
    return (lo is None or (inner.first is not None and inner.first >= lo)) and (
        hi is None or (inner.last is not None and inner.last <= hi))


def _week(day: date, text: str) -> EventDate:
    monday = day - timedelta(days=day.weekday())
    return EventDate(monday, "week", text, monday + timedelta(days=6))


def _month(day: date, text: str) -> EventDate:
    first = day.replace(day=1)
    return EventDate(first, "month", text, first.replace(day=monthrange(first.year, first.month)[1]))


def _year_for(month: int, day: int, published: date, year: str | None) -> date | None:
    try:
        if year:
            return date(int(year), month, day)
        candidate = date(published.year, month, day)
        # News reports the past: "December 28" read on 3 January is last year.
        if candidate > published + timedelta(days=7):
            candidate = date(published.year - 1, month, day)
        return candidate
    except ValueError:
        return None


def resolve(expression: str, published: date | None) -> EventDate | None:
    """Resolve one date expression (as spaCy's DATE entity gives it); None when it names no date.

    A date that would leave the calendar ("on Sunday" read on 0001-01-01) is no date: the
    statement keeps the date as reported, and nothing raises."""
    try:
        return _resolve(expression, published)
    except (OverflowError, ValueError):
        return None


def _resolve(expression: str, published: date | None) -> EventDate | None:
    text = expression.strip()
    if published is not None:
        span = _range(text, published)
        if span is not None:
            return span
    for rx in (_ISO, _DAY_MONTH, _MONTH_DAY):
        m = rx.search(text)
        if m:
            month = m.group("month")
            month_n = int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip(".")[:4].rstrip("t") if month.lower().startswith("sept") else month.lower().rstrip(".")[:3])
            if month.lower().startswith("sept"):
                month_n = 9
            if published is None and not m.group("year"):
                return None
            d = _year_for(month_n, int(m.group("day")), published or date.today(), m.group("year"))
            return EventDate(d, "day", text) if d else None
    if published is None:
        return None
    m = _RELATIVE.search(text)
    if m:
        rel = m.group("rel").lower()
        if rel in ("today", "tonight", "this morning") or rel.startswith("earlier"):
            return EventDate(published, "day", text)
        if rel in ("yesterday", "last night"):
            return EventDate(published - timedelta(days=1), "day", text)
        if rel == "the day before yesterday":
            return EventDate(published - timedelta(days=2), "day", text)
        if rel == "tomorrow":
            return EventDate(published + timedelta(days=1), "day", text)
        if rel == "last week":
            return _week(published - timedelta(days=7), text)
        if rel == "this week":
            return _week(published, text)
        if rel == "next week":
            return _week(published + timedelta(days=7), text)
        if rel == "last month":
            return _month(published.replace(day=1) - timedelta(days=1), text)
        if rel == "this month":
            return _month(published, text)
        n = m.group("n")
        if n:
            days = int(n) if n.isdigit() else _NUMBERS[n.lower()]
            return EventDate(published - timedelta(days=days), "day", text)
    m = _WEEKDAY.search(text)
    if m:
        wd = WEEKDAYS[m.group("wd").lower()]
        back = (published.weekday() - wd) % 7
        if (m.group("last") or "").strip().lower() == "next":
            return EventDate(published + timedelta(days=(wd - published.weekday()) % 7 or 7), "day", text)
        if (m.group("last") or "").strip().lower() == "last" and back == 0:
            back = 7
        # A bare weekday in news is the most recent one (today if it is today).
        return EventDate(published - timedelta(days=back), "day", text)
    m = _MONTH_YEAR.search(text)
    if m and (m.group("year") or len(m.group("month")) > 3):
        month_n = MONTHS.get(m.group("month").lower().rstrip(".")[:3])
        if month_n:
            year = int(m.group("year")) if m.group("year") else (
                published.year if month_n <= published.month else published.year - 1)
            return _month(date(year, month_n, 1), text)
    return None


def _range(text: str, published: date) -> EventDate | None:
    """"since Oct. 17" (that day to publication), "in recent months", "over the past two weeks"."""
    if _SINCE.search(text):
        rest = _SINCE.split(text, 1)[1]
        start = resolve(rest, published) if rest.strip() else None
        if start is not None and start.value is not None and start.value <= published:
            return EventDate(start.value, "range", text, published)
        return None
    m = _RECENT.search(text)
    if m:
        n = (m.group("n") or "").strip().lower()
        unit = m.group("unit").lower()
        count = int(n) if n.isdigit() else _NUMBERS.get(n) if n else None
        days = count * _UNIT_DAYS[unit] if count else _RECENT_SPAN[unit]
        return EventDate(published - timedelta(days=days), "range", text, published)
    return None


def date_text(ent) -> str:
    """A date entity's text with the word before it when that makes it a range ("since Oct. 17")."""
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and before.lower_ == "since":
        return f"since {ent.text}"
    return ent.text


def reported(published: date | None) -> EventDate:
    return EventDate(published, "reported", None)
