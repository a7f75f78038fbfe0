"""Plain text with a free-form header block (pasted or saved articles).

The header block is the run of short blocks at the top before the first body
paragraph.  Its lines are classified one by one:

    Title: ... / Date: ... / Source: ... / URL: ...   explicit metadata (date_source "metadata")
    Gulan Media December 6, 2023 News                  outlet line    -> outlet, date ("outlet-line")
    BAGHDAD, December 3, 2023                          dateline       -> date ("dateline")
    Published 6 Dec 2023 / Updated: ...                date line      -> date ("header")
    • Saturday, 20 July 2024                           bare date above the title: a save/print date,
                                                       used only when nothing else gives a date
    By Jane Doe / https://...                          byline / URL
    the first other short line                         title

Publication date precedence: metadata, then dateline / outlet line, then a labelled
date line after the title, then (with a note) a bare date line above the title.
A wire dateline opening the first body paragraph ("BAGHDAD, Dec. 3, 2023 (Reuters) -",
"DUBAI (AP) —") is cut off it (graphkit.ingest.dateline): its date counts as a dateline, its
agency names the outlet when nothing else does, and a year-less one ("Jan 30") takes its year
from a bare date line above the title, with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .dateline import complete_year, cut_dateline, yearless_note
from .dates import find_dates, parse_date_field
from .layout import Draft, clean_line, split_paragraphs
from .lexicon import metadata_keys, section_words

_URL = re.compile(r"^(?:url|link|source url)?\s*:?\s*<?(https?://\S+?)>?$", re.I)
_BYLINE = re.compile(r"^(?:by|written by|reporting by|author:?)\s+\S", re.I)
_KEY_VALUE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z ._-]{1,24}?)\s*:\s+(?P<value>\S.*)$")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_HEADLINE_END = re.compile(r"(?:\b[A-Z]\.){2,}$|[?!][\"'”’]?$")
_DATE_LABEL = re.compile(r"\b(published|posted|updated|last updated|first published|date|on)\b", re.I)
_SEPARATORS = " \t•·|-–—,:;/()[]*#>"
_MAX_HEADER_BLOCKS = 10
_MAX_HEADER_LINE = 160
_MAX_TITLE_WORDS = 30


@dataclass(slots=True)
class HeaderParse:
    """What the header block held: `problems` are unreadable fields (reported, something was
    lost); `notes` are worth saying but lost nothing."""

    draft: Draft
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _is_header_like(line: str) -> bool:
    if len(line) > _MAX_HEADER_LINE:
        return False
    if _URL.match(line) or _BYLINE.match(line) or _metadata(line):
        return True
    spans = find_dates(line)
    if spans and _classify_date_line(line, spans, True):
        return True
    words = len(line.split())
    if words <= 20 and _HEADLINE_END.search(line):
        return True  # "Militias Vow Revenge on U.S." / "Is a Ceasefire Near?" are headlines
    return not _SENTENCE_END.search(line) and words <= _MAX_TITLE_WORDS


def _metadata(line: str) -> tuple[str, str] | None:
    m = _KEY_VALUE.match(line)
    if not m:
        return None
    key = metadata_keys().get(m.group("key").strip().lower())
    return (key, m.group("value").strip()) if key else None


def _blocks(text: str) -> list[list[str]]:
    blocks, current = [], []
    for raw in text.split("\n"):
        line = clean_line(raw)
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _strip_remainder(text: str) -> str:
    text = text.strip(_SEPARATORS)
    words = text.split()
    sections = section_words()
    # Drop trailing section labels ("News", "Middle East") after an outlet name.
    while words and " ".join(words[-2:]).lower() in sections:
        words = words[:-2]
    while words and words[-1].lower().strip(_SEPARATORS) in sections:
        words.pop()
    return " ".join(words).strip(_SEPARATORS)


@dataclass(slots=True)
class _DateCandidate:
    value: date
    source: str  # DATE_SOURCES value
    rank: int  # lower wins
    line: str


def parse_header_block(text: str) -> HeaderParse:
    """Split `text` into header lines and body paragraphs and read the header lines."""
    blocks = _blocks(text)
    header_lines: list[str] = []
    n_header = 0
    for block in blocks[:_MAX_HEADER_BLOCKS]:
        if all(_is_header_like(line) for line in block):
            header_lines.extend(block)
            n_header += 1
        else:
            break
    body_text = "\n\n".join("\n".join(b) for b in blocks[n_header:])
    body = split_paragraphs(body_text)

    draft = Draft(body=body)
    result = HeaderParse(draft)
    candidates: list[_DateCandidate] = []
    kept: list[str] = []
    title_seen = False
    for line in header_lines:
        meta = _metadata(line)
        if meta:
            key, value = meta
            if key == "title" and not draft.title:
                draft.title, title_seen = value, True
                continue
            if key == "outlet" and not draft.outlet:
                draft.outlet = value
            elif key == "url" and not draft.url:
                draft.url = value
            elif key == "published":
                parsed = parse_date_field(value)
                if parsed:
                    candidates.append(_DateCandidate(parsed, "metadata", 0, line))
                else:
                    result.problems.append(f"field '{line.split(':', 1)[0].strip()}': cannot read a date in {value!r}")
            kept.append(line)
            continue
        url = _URL.match(line)
        if url:
            draft.url = draft.url or url.group(1)
            kept.append(line)
            continue
        spans = find_dates(line)
        if _BYLINE.match(line):
            kept.append(line)
            if spans:  # "By Jane Roe, January 3, 2024"
                candidates.append(_DateCandidate(spans[0].value, "header", 2, line))
            continue
        date_line = _classify_date_line(line, spans, title_seen) if spans else None
        if date_line:
            kind, rank, outlet = date_line
            kept.append(line)
            if outlet:
                draft.outlet = draft.outlet or outlet
            candidates.append(_DateCandidate(spans[0].value, kind, rank, line))
            continue
        if not title_seen and len(line.split()) >= 2:
            draft.title, title_seen = line, True
            continue
        if draft.title and line.casefold() == draft.title.casefold():
            continue  # the title repeated under the outlet line
        kept.append(line)

    # A wire dateline opening the first body paragraph ("BAGHDAD, Dec. 3, 2023 (Reuters) - ..."):
    # cut off (place, agency, date), so no sentence starts with it.
    lead = cut_dateline(draft)
    if lead and lead.published:
        candidates.append(_DateCandidate(lead.published, "dateline", 1, lead.text.strip()))

    draft.header = kept
    if candidates:
        best = min(candidates, key=lambda c: c.rank)
        draft.published, draft.date_source = best.value, best.source
        completed = complete_year(lead.month_day, best.value) if lead and lead.month_day and best.rank == 9 else None
        if completed:
            # "BAGHDAD, Jan 30 (Reuters)" under a page stamped "Feb 2, 2024": the dateline is the story's date
            draft.published, draft.date_source = completed, "dateline"
            result.notes.append(f"publication date {completed.isoformat()} from the dateline {lead.text.strip()!r}, "
                                f"its year from a bare date line above the title ({best.line!r})")
        elif best.rank == 9:
            result.notes.append(f"publication date {best.value.isoformat()} taken from a bare date line above "
                                f"the title ({best.line!r}); it may be the date the page was saved")
    return result


def _classify_date_line(line: str, spans, title_seen: bool) -> tuple[str, int, str | None] | None:
    """(date_source, rank, outlet) for a header line holding a date; None when the date is
    only part of a longer line (a headline such as "Iraq Marks Anniversary of January 3, 2020 Strike")."""
    span = spans[0]
    before = _strip_remainder(line[: span.start])
    after = _strip_remainder(line[span.end:])
    before_words = before.split()
    labelled = bool(_DATE_LABEL.search(before) or _DATE_LABEL.search(after))
    if before and before.isupper() and len(before_words) <= 4 and len(after.split()) <= 3:
        return "dateline", 1, None  # BAGHDAD, March 6, 2024
    if (before and not labelled and len(before_words) <= 6 and before[0].isupper()
            and (before_words[-1][:1].isupper() or before_words[-1][:1].isdigit())
            and len(after.split()) <= 3):
        return "outlet-line", 1, before  # Gulan Media December 6, 2023 News
    if labelled and len(before_words) + len(after.split()) <= 6:
        updated = "updated" in (before + " " + after).lower() and "published" not in before.lower()
        return "header", 3 if updated else 2, None  # Published 4 March 2024 / Updated: ...
    if len(before_words) + len(after.split()) <= 2:
        # A bare date below the title is the story's; above it, how pages are stamped when
        # saved or printed, so it is only a last resort.
        return "header", 2 if title_seen else 9, None
    return None


def read_plain_text(text: str, source: str) -> HeaderParse:
    parsed = parse_header_block(text)
    parsed.draft.source = source
    note = yearless_note(parsed.draft)
    if note:
        parsed.notes.append(note)
    return parsed
