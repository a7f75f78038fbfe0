"""Exports from news databases: JSON Lines, a JSON array, CSV/TSV with a header row.

Each record maps to an article through its columns.  The default names (and the
common alternatives accepted when the default is absent) are in data/ingest/headers.toml;
`columns={"text": "body", "published": "pubdate"}` names them explicitly.
A record without a title has its text read like a .txt file (header block and all).
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from ..errors import InputError
from ..inputs import CSV_FIELD_LIMIT, jsonl_records
from ..validate import FieldError, clean_json, parse_json
from .dateline import complete_year, cut_dateline, yearless_note
from .dates import parse_date_field
from .layout import Draft, split_paragraphs
from .lexicon import FIELDS, column_aliases
from .plaintext import parse_header_block

# Consecutive unreadable CSV rows after which the rest of the file is given up on.
_MAX_CSV_ERRORS = 100
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")

log = logging.getLogger(__name__)


@dataclass(slots=True)
class RecordResult:
    drafts: list[Draft] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, message)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (where, message): worth saying, nothing lost


def resolve_columns(available: list[str], columns: dict[str, str] | None) -> dict[str, str]:
    """Logical field -> the record's key, matching names case-insensitively."""
    by_lower = {name.strip().lower(): name for name in available}
    resolved: dict[str, str] = {}
    explicit = {k: v for k, v in (columns or {}).items() if k in FIELDS}
    aliases = column_aliases()
    for logical in FIELDS:
        names = (explicit[logical],) if logical in explicit else aliases[logical]
        for name in names:
            if name.strip().lower() in by_lower:
                resolved[logical] = by_lower[name.strip().lower()]
                break
    return resolved


def _as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    return None


def record_to_draft(record: dict, where: str, columns: dict[str, str] | None,
                    problems: list[tuple[str, str]], notes: list[tuple[str, str]] | None = None) -> Draft | None:
    """One record to a Draft; problems (something lost) and notes for this record are appended
    (as (where, message))."""
    notes = notes if notes is not None else []
    keys = resolve_columns([k for k in record if isinstance(k, str)], columns)
    text_key = keys.get("text")
    if text_key is None:
        wanted = (columns or {}).get("text", "text")
        problems.append((where, f"no '{wanted}' field (fields: {_preview(list(record))})"))
        return None
    values = {logical: _as_text(record.get(key)) for logical, key in keys.items()}
    if not isinstance(record.get(text_key), str | None):
        values["text"] = None  # a number is not article text
    for logical, key in keys.items():
        if record.get(key) is not None and values[logical] is None:
            problems.append((where, f"field '{key}': expected a string, got {type(record[key]).__name__}"))
            if logical == "text":
                return None
    text = values.get("text")
    if not text or not text.strip():
        problems.append((where, f"field '{text_key}' is empty"))
        return None

    title = (values.get("title") or "").strip() or None
    if title:
        draft = Draft(body=split_paragraphs(text), title=title)
        cut_dateline(draft)
    else:
        header = parse_header_block(text)
        problems.extend((where, message) for message in header.problems)
        draft = header.draft
        if not draft.body:  # the record says this is the text: all of it is body
            draft = Draft(body=split_paragraphs(text))
    draft.source = where
    draft.outlet = (values.get("outlet") or "").strip() or draft.outlet
    draft.url = (values.get("url") or "").strip() or draft.url
    draft.record_id = (values.get("id") or "").strip() or None

    lead = draft.dateline
    raw_date = (values.get("published") or "").strip()
    if raw_date:
        parsed = parse_date_field(raw_date)
        year = _YEAR.search(raw_date)
        if parsed:
            draft.published, draft.date_source = parsed, "metadata"
        elif lead and lead.month_day and year:
            # "2024" or "2024-01" with a dateline "BAGHDAD, Jan 30 (Reuters)": the year completes the dateline
            draft.published = complete_year(lead.month_day, date(int(year.group()), 12, 31))
            draft.date_source = "dateline"
            notes.append((where, f"publication date {draft.published.isoformat()} from the dateline "
                                 f"{lead.text.strip()!r}, its year from field '{keys['published']}' ({raw_date[:20]!r})"))
        else:
            problems.append((where, f"field '{keys['published']}': cannot read a date in {raw_date[:60]!r}; "
                                    "kept without a date"))
            draft.published, draft.date_source = None, "none"
    if draft.published is None and lead and lead.published:
        draft.published, draft.date_source = lead.published, "dateline"
    note = yearless_note(draft)
    if note:
        notes.append((where, note))
    return draft


def read_jsonl(text: str, source: str, columns: dict[str, str] | None = None) -> RecordResult:
    """One article per JSONL line, read by the one JSONL reader (graphkit.inputs.jsonl_records): a line
    that is not JSON is one problem naming file and line, and the others are still read."""
    result = RecordResult()
    for record in jsonl_records(io.StringIO(text), source):
        if isinstance(record, InputError):
            result.problems.append((record.where, record.message))
        else:
            _add_record(record[1], record[0], columns, result)
    return result


def _add_record(record, where: str, columns: dict[str, str] | None, result: RecordResult) -> None:
    """One decoded JSON value: an article draft, or a problem naming where it stood."""
    if not isinstance(record, dict):
        result.problems.append((where, f"expected a JSON object, got {type(record).__name__}"))
        return
    notes: list[str] = []
    record = clean_json(record, notes)  # a lone surrogate ("\\ud800" in JSON) cannot be hashed or stored
    for note in notes:
        log.warning("%s: %s", where, note)
    draft = record_to_draft(record, where, columns, result.problems, result.notes)
    if draft:
        result.drafts.append(draft)


def read_json(text: str, source: str, columns: dict[str, str] | None = None) -> RecordResult:
    """A JSON array of article objects, or one object (a .json file)."""
    result = RecordResult()
    try:
        data = parse_json(text)
    except FieldError as err:
        result.problems.append((source, err.reason))
        return result
    items = data if isinstance(data, list) else [data]
    for index, record in enumerate(items):
        where = f"{source}[{index}]" if isinstance(data, list) else source
        _add_record(record, where, columns, result)
    return result


def _preview(names: list) -> str:
    joined = ", ".join(" ".join(str(n).split()) for n in names[:10])
    return joined[:100] + ("..." if len(joined) > 100 or len(names) > 10 else "")


def _short(err: Exception) -> str:
    return " ".join(str(err).split())[:120]


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """(first line number, row or None, error or None) for each row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    previous = 0
    errors = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            errors += 1
            yield previous + 1, None, _short(err)
            previous = reader.line_num
            if errors >= _MAX_CSV_ERRORS:
                return
            continue
        errors = 0
        yield previous + 1, row, None
        previous = reader.line_num


def read_csv(text: str, source: str, columns: dict[str, str] | None = None, delimiter: str = ",") -> RecordResult:
    result = RecordResult()
    limit = csv.field_size_limit()
    csv.field_size_limit(CSV_FIELD_LIMIT)  # the same limit as every CSV reader
    try:
        rows = _csv_rows(text, delimiter)
        header: list[str] | None = None
        for line, row, error in rows:
            where = f"{source}:{line}"
            if error:
                result.problems.append((where, f"bad CSV row ({error})"))
                continue
            if not row or all(not cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                if "text" not in resolve_columns(header, columns):
                    wanted = (columns or {}).get("text", "text")
                    result.problems.append((f"{source}:{line}", f"header has no '{wanted}' column "
                                            f"(columns: {_preview(header)})"))
                    return result
                continue
            if len(row) != len(header):
                result.problems.append((where, f"bad CSV row: expected {len(header)} fields, got {len(row)}"))
                continue
            draft = record_to_draft(dict(zip(header, row, strict=True)), where, columns, result.problems,
                                    result.notes)
            if draft:
                result.drafts.append(draft)
        if header is None:
            result.problems.append((source, "no CSV header row"))
    finally:
        csv.field_size_limit(limit)
    return result
