"""ACLED CSV exports into graphkit statements, streamed row by row.

An ACLED event (actor1, actor2, event_type/sub_event_type, event_date, fatalities, notes) becomes one
statement actor1 -> actor2 typed by data/acled/acled_plover.tsv; the notes are its sentence, the
fatalities and ACLED's own fields go to Statement.extra.  Actors map onto CAMEO-style ids where ACLED
names a state actor or a generic group of a country (data/acled/acled_actors.tsv), else ACLED.<SLUG>.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from .. import sectors, typology
from ..batches import ParsedRow, batched
from ..errors import InputError
from ..inputs import CSV_FIELD_LIMIT
from ..model import Actor, ActorRef, LoadBatch, Statement
from . import cameo
from .common import (
    RegistryView,
    SkippedRow,
    as_registry,
    checked_row,
    country_code,
    country_name,
    dataset_statement_id,
    open_text_members,
    slug,
)

DATASET = "acled"
REQUIRED = ("event_date", "event_type", "actor1", "actor2")
ID_COLUMNS = ("event_id_cnty", "data_id", "event_id")
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%Y/%m/%d")
_COUNTRY_SUFFIX = re.compile(r"\(([A-Za-z][^()0-9]*)\)\s*$")
_SUFFIX = re.compile(r"(\s*\([^()]*\))+\s*$")
PRECISION = {"1": "day", "2": "week", "3": "month"}


@dataclass(frozen=True, slots=True)
class EventMapping:
    plover: str | None
    cameo: str | None


@cache
def event_table() -> dict[tuple[str, str], EventMapping]:
    table = {}
    for row in cameo.read_tsv("acled/acled_plover.tsv"):
        event_type, sub_type, plover, code = row[0], row[1], row[2], row[3] if len(row) > 3 else ""
        table[(event_type.casefold(), sub_type.casefold())] = EventMapping(
            None if plover == "-" else typology.get(plover).name, code or None)
    return table


def map_event(event_type: str, sub_event_type: str) -> EventMapping | None:
    """The mapping for an ACLED event/sub-event type; None if the event type is unknown."""
    table = event_table()
    et, st = event_type.strip().casefold(), sub_event_type.strip().casefold()
    return table.get((et, st)) or table.get((et, "*"))


@cache
def actor_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(row[0]), row[1] if len(row) > 1 else "") for row in cameo.read_tsv("acled/acled_actors.tsv"))


@cache
def inter_kinds() -> dict[str, str]:
    kinds = {}
    for code, name, kind in cameo.read_tsv("acled/acled_inter.tsv"):
        kinds[code] = kind
        kinds[name.casefold()] = kind
    return kinds


class ActorMapper:
    """ACLED actor names -> Actors (registry first, then CAMEO-style ids, then ACLED.<SLUG>), memoised."""

    def __init__(self, registry: RegistryView):
        self.registry = registry
        self._known: dict[str, Actor] = {}

    def actor(self, name: str, inter: str) -> Actor:
        found = self._known.get(name)
        if found is None:
            found = self._map(name, inter)
            self._known[name] = found
        return found

    def _map(self, name: str, inter: str) -> Actor:
        for pattern, role in actor_patterns():
            m = pattern.match(name)
            if not m:
                continue
            iso3 = country_code(m.group("country"))
            if iso3 is None:
                break
            actor_id = iso3 + role
            registered = self.registry.get(actor_id)
            if registered is not None:
                return registered
            place = country_name(iso3) or m.group("country")
            label = sectors.label(role) if role else ""
            return Actor(id=actor_id, name=f"{place} {label}".strip(), kind=sectors.kind(role) if role else "state",
                         country=iso3, sector=role or None, aliases=(name,), dataset=DATASET)
        # ACLED writes the period or country an actor is named for as a suffix: "... (2022-)", "... (Iraq)".
        bare = _SUFFIX.sub("", name).strip()
        named = self.registry.by_name(bare) or self.registry.by_name(name)
        if named is not None:
            return named
        kind = inter_kinds().get(inter.strip().casefold(), "other")
        # ACLED writes the country an actor operates in as a suffix: "Islamic State (Iraq)".
        suffix = _COUNTRY_SUFFIX.search(name)
        country = country_code(suffix.group(1)) if suffix else None
        return Actor(id=f"ACLED.{slug(name)}", name=name, kind=kind, country=country, dataset=DATASET)


def _parse_date(value: str) -> date:
    value = value.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"event_date {value!r} is not a date (YYYY-MM-DD or '03 December 2023')")


def _float_or_none(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def parse_row(row: dict[str, str], where: str, mapper: ActorMapper):
    """One ACLED record -> (Statement, actors); raises SkippedRow or InputError."""
    def get(col: str) -> str:
        return (row.get(col) or "").strip()

    if None in row or any(v is None for v in row.values()):
        raise InputError(where, "wrong number of fields for the header")
    record_id = next((get(c) for c in ID_COLUMNS if get(c)), "")
    if not record_id:
        raise InputError(where, f"no event id ({' / '.join(ID_COLUMNS)} empty)")
    try:
        when = _parse_date(get("event_date"))
        fatalities = int(get("fatalities") or 0)
    except ValueError as err:
        msg = str(err) if "event_date" in str(err) else f"fatalities {get('fatalities')!r} is not an integer"
        raise InputError(where, msg) from None
    mapping = map_event(get("event_type"), get("sub_event_type"))
    if mapping is None:
        raise InputError(where, f"unknown event_type {get('event_type')!r}")
    if mapping.plover is None:
        raise SkippedRow(where, f"ACLED {get('event_type')} / {get('sub_event_type') or '-'} has no PLOVER type")
    if not get("actor1"):
        raise SkippedRow(where, "no source actor (actor1 empty)")
    if not get("actor2"):
        raise SkippedRow(where, "no target actor (actor2 empty)")
    source = mapper.actor(get("actor1"), get("inter1"))
    target = mapper.actor(get("actor2"), get("inter2"))
    edge = typology.get(mapping.plover)
    place = ", ".join(p for p in (get("location"), get("admin1"), get("country")) if p)
    extra = {
        "event_id": record_id, "fatalities": fatalities, "event_type": get("event_type"),
        "sub_event_type": get("sub_event_type") or None, "actor1": get("actor1"), "actor2": get("actor2"),
        "assoc_actor_1": get("assoc_actor_1") or None, "assoc_actor_2": get("assoc_actor_2") or None,
        "inter1": get("inter1") or None, "inter2": get("inter2") or None, "source": get("source") or None,
        "country": get("country") or None, "admin3": get("admin3") or None,
        "geo_precision": get("geo_precision") or None,
    }
    lat, lon = _float_or_none(row.get("latitude")), _float_or_none(row.get("longitude"))
    # ACLED's own geocode: geo_precision 1 the town, 2 near it or part of a region, 3 a larger region
    regional = get("geo_precision") == "3"
    geo = {} if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180) else {
        "place_name": get("location") or None, "place_feature": "ADM1" if regional else "PPL",
        "place_precision": "admin1" if regional else "town",
        "place_country": country_code(get("country")) if get("country") else None,
        "place_admin1": get("admin1") or None, "place_admin2": get("admin2") or None,
        "latitude": lat, "longitude": lon, "place_source": "dataset"}
    statement = Statement(
        id=dataset_statement_id(DATASET, record_id),
        source=ActorRef.of(source), target=ActorRef.of(target), type=edge.name, cameo=mapping.cameo,
        quad_class=edge.quad_class, goldstein=edge.goldstein, date=when,
        date_precision=PRECISION.get(get("time_precision"), "day"), location=place or None,
        sentence=get("notes") or None, rule="import:acled", dataset=DATASET,
        extra={k: v for k, v in extra.items() if v is not None},
        # ACLED's best estimate of the dead, on the statement's own field so tension series sum it
        killed=fatalities if edge.name in ("ASSAULT", "COERCE") else None,
        **geo,
    )
    return statement, (source, target)


def iter_records(path: str | Path, max_bytes: int | None = None
                 ) -> Iterator[tuple[str, dict[str, str] | InputError]]:
    """(where, record) per ACLED CSV record; `where` is file:line of the record's first line.

    A record the CSV reader cannot read (a field over graphkit.inputs.CSV_FIELD_LIMIT, a stray
    quote) is an InputError at its line, and the reading goes on with the next record."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    for label, stream in open_text_members(path, max_bytes):
        reader = csv.DictReader(stream)
        try:
            fieldnames = reader.fieldnames
        except csv.Error as err:
            raise InputError(f"{label}:1", f"unreadable CSV header ({err})") from None
        header = [h.strip().lstrip("\ufeff") for h in fieldnames or []]  # exports may carry a BOM
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InputError(f"{label}:1", f"not an ACLED export: no column {', '.join(missing)}")
        reader.fieldnames = header
        start = reader.line_num + 1
        while True:
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as err:
                yield f"{label}:{start}", InputError(f"{label}:{start}", f"unreadable CSV record ({err})")
                start = reader.line_num + 1
                continue
            yield f"{label}:{start}", record
            start = reader.line_num + 1
def iter_batches(path: str | Path, registry=None, batch_size: int = 5000,
                 max_bytes: int | None = None) -> Iterator[tuple[LoadBatch, list[InputError]]]:
    """Stream an ACLED CSV as (LoadBatch, errors); every record is a statement or an error."""
    return batched(_parsed_records(path, ActorMapper(as_registry(registry)), max_bytes), batch_size)


def _parsed_records(path: str | Path, mapper: ActorMapper, max_bytes: int | None = None
                    ) -> Iterator[ParsedRow | InputError]:
    for where, record in iter_records(path, max_bytes):
        if isinstance(record, InputError):
            yield record
            continue
        try:
            statement, actors = parse_row(record, where, mapper)
        except InputError as err:
            yield err
        else:
            yield checked_row(where, ParsedRow(statement, actors))
