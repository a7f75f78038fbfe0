"""Finding and parsing publication dates, strictly.

Only full dates with a year are accepted: "December 6, 2023", "6 December 2023",
"Dec. 6, 2023", "2023-12-06", "06/12/2023" is refused (day/month order is ambiguous).
Nothing is guessed relative to today, so the same input always gives the same date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

# Each pattern matches one date span inside a line; weekday is optional and swallowed.
_PATTERNS = [
    re.compile(rf"\b(?:{_WEEKDAY})?{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),  # December 6, 2023
    re.compile(rf"\b(?:{_WEEKDAY})?{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),  # 6 December 2023
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),  # 2023-12-06
    re.compile(r"\b(?P<year>(?:19|20)\d\d)/(?P<mnum>[01]\d)/(?P<day>[0-3]\d)\b"),  # 2023/12/06
]


@dataclass(frozen=True, slots=True)
class DateSpan:
    value: date
    start: int
    end: int


def find_dates(line: str) -> list[DateSpan]:
    """Every full, valid date written in `line`, in reading order (overlaps dropped)."""
    spans: list[DateSpan] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(line):
            value = _to_date(m)
            if value is None:
                continue
            if any(not (m.end() <= s.start or m.start() >= s.end) for s in spans):
                continue
            spans.append(DateSpan(value, m.start(), m.end()))
    return sorted(spans, key=lambda s: s.start)


def _to_date(m: re.Match) -> date | None:
    groups = m.groupdict()
    month = MONTHS.get(groups["month"].lower()) if groups.get("month") else int(groups["mnum"])
    try:
        return date(int(groups["year"]), month, int(groups["day"]))
    except (ValueError, TypeError):
        return None


def parse_date_value(value: str) -> date | None:
    """A date from a metadata value ("2023-12-06", "2023-12-06T10:00:00+03:00", "December 6, 2023").

    None when the value holds no unambiguous full date.
    """
    value = value.strip()
    if not value:
        return None
    iso = value[:-1] + "+00:00" if value.endswith("Z") else value
    try:
        return datetime.fromisoformat(iso).date()
    except ValueError:
        pass
    head = re.match(r"(\d{4}-\d\d-\d\d)(?:[T ]|$)", value)
    if head:
        try:
            return date.fromisoformat(head.group(1))
        except ValueError:
            return None
    return None


def parse_date_field(value: str) -> date | None:
    """A metadata date: ISO forms first, then one written-out date in the value."""
    parsed = parse_date_value(value)
    if parsed is not None:
        return parsed
    found = find_dates(value)
    return found[0].value if len(found) >= 1 else None
