"""Event dates: explicit, weekday and relative expressions resolved against the publication date."""

from __future__ import annotations

import re
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


@dataclass(frozen=True, slots=True)
class EventDate:
    value: date | None
    precision: str  # day | week | month | year | reported
    text: str | None = None


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
            return EventDate(published - timedelta(days=7), "week", text)
        if rel == "this week":
            return EventDate(published, "week", text)
        if rel == "next week":
            return EventDate(published + timedelta(days=7), "week", text)
        if rel == "last month":
            first = published.replace(day=1) - timedelta(days=1)
            return EventDate(first.replace(day=1), "month", text)
        if rel == "this month":
            return EventDate(published.replace(day=1), "month", text)
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
            return EventDate(date(year, month_n, 1), "month", text)
    return None


def reported(published: date | None) -> EventDate:
    return EventDate(published, "reported", None)
