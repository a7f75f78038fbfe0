"""The map view: statements with coordinates as points on country outlines, in one self-contained,
offline HTML page (no tile server, no CDN).

    list[Statement] -> MapData -> map.html

Points are coloured by QuadClass (or statement type) and sized by mention count (or casualties);
hovering or clicking a point shows the sentence behind it and how it was placed ("placed by
dateline": Statement.place_source). The page filters by type, QuadClass, modality, placement and
time window. Country outlines come from the countryinfo package (Natural Earth-derived
GeoJSON shipped inside it, MIT); the projection is plain longitude/latitude (equirectangular)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..model import FALLBACK_PLACE_SOURCES, Actor, Statement
from ..outputs import write_text
from .network import _outlet, build_network, casualty_label, json_for_script

QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


@dataclass(slots=True)
class MapData:
    points: list[dict] = field(default_factory=list)
    unplaced: int = 0  # statements in the window without coordinates
    since: date | None = None
    until: date | None = None


def build_map(statements: Iterable[Statement], actors: Iterable[Actor] | None = None, *,
              since: date | None = None, until: date | None = None, focus: str | None = None,
              hops: int = 1, fallback_places: bool = True) -> MapData:
    """The points of the statements the network view would show for the same window and focus
    (without fallback_places: only places the statements' tellings name; the others unplaced)."""
    statements = list(statements)
    network = build_network(statements, actors, since=since, until=until, focus=focus, hops=hops)
    kept = {st.id for edge in network.edges for st in edge.statements}
    out = MapData(since=since, until=until)
    for st in statements:
        if st.id not in kept:
            continue
        if st.latitude is None or st.longitude is None or (
                not fallback_places and st.place_source in FALLBACK_PLACE_SOURCES):
            out.unplaced += 1
            continue
        out.points.append({
            "id": st.id, "lat": round(st.latitude, 5), "lon": round(st.longitude, 5),
            "source": st.source.name, "target": st.target.name, "type": st.type, "cameo": st.cameo,
            "quad": st.quad_class, "modality": st.modality, "date": st.date.isoformat() if st.date else None,
            "place": st.place_name or st.location, "precision": st.place_precision, "country": st.place_country,
            "admin1": st.place_admin1, "placed_by": st.place_source or "told", "mentions": st.mentions,
            "casualties": (st.killed or 0) + (st.injured or 0), "casualty_label": casualty_label(st),
            "sentence": st.sentence, "outlet": _outlet(st), "dataset": st.dataset,
        })
    out.points.sort(key=lambda p: (p["date"] or "", p["id"]))
    return out


def map_from_frame(frame) -> MapData:
    """build_map of every statement of a report frame (graphkit.viz.sources.REPORT_COLUMNS; the
    report's window applied, no focus): only rows with coordinates become objects."""
    from .network import _casualties, _text

    out = MapData()
    if not len(frame):
        return out
    placed = (frame["latitude"].notna() & frame["longitude"].notna()).to_numpy()
    out.unplaced = int((~placed).sum())
    rows = frame[placed]
    dates = rows["date"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    for j, r in enumerate(rows.itertuples(index=False)):
        killed, injured = (None if v != v else v for v in (r.killed, r.injured))
        out.points.append({
            "id": r.id, "lat": round(r.latitude, 5), "lon": round(r.longitude, 5),
            "source": _text(r.source_name), "target": _text(r.target_name), "type": r.type, "cameo": _text(r.cameo),
            "quad": int(r.quad_class) or None, "modality": r.modality,
            "date": dates[j] if isinstance(dates[j], str) else None,
            "place": _text(r.place_name) or _text(r.location), "precision": _text(r.place_precision),
            "country": _text(r.place_country), "admin1": _text(r.place_admin1),
            "placed_by": _text(r.place_source) or "told", "mentions": int(r.mentions),
            "casualties": (killed or 0) + (injured or 0),
            "casualty_label": _casualties(r.killed, r.killed_at_least, r.injured, r.injured_at_least),
            "sentence": _text(r.sentence), "outlet": _text(r.network_outlet), "dataset": r.dataset,
        })
    out.points.sort(key=lambda p: (p["date"] or "", p["id"]))
    return out


@lru_cache(maxsize=1)
def country_outlines() -> tuple[dict, ...]:
    """Each country's outline as an SVG path in lon/-lat coordinates (rounded to 0.01 degree)."""
    from countryinfo import CountryInfo

    out = []
    for info in CountryInfo.all().values():
        for feature in (info.get("geoJSON") or {}).get("features", ()):
            geom = feature.get("geometry") or {}
            polygons = geom.get("coordinates") or []
            if geom.get("type") == "Polygon":
                polygons = [polygons]
            elif geom.get("type") != "MultiPolygon":
                continue
            rings = []
            for polygon in polygons:
                for ring in polygon:
                    if len(ring) >= 3:
                        rings.append("M" + "L".join(f"{x:.2f},{-y:.2f}" for x, y in ring) + "Z")
            if rings:
                out.append({"id": feature.get("id") or "", "name": info.get("name") or "", "d": "".join(rings)})
    out.sort(key=lambda c: c["id"])
    return tuple(out)


def page_data(data: MapData, title: str) -> dict:
    return {"title": title, "points": data.points, "unplaced": data.unplaced,
            "since": data.since.isoformat() if data.since else None,
            "until": data.until.isoformat() if data.until else None,
            "quads": {str(k): v for k, v in QUAD_NAMES.items()}, "countries": list(country_outlines())}


def map_html(data: MapData, title: str = "graphkit map") -> str:
    from .network import _template_env

    return _template_env().get_template("map.html").render(title=title, data_json=json_for_script(page_data(data, title)))


def render_map(data: MapData, path: str | Path, title: str = "graphkit map") -> Path:
    """Write the self-contained page to path (parent folders created; whole or not at all)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, map_html(data, title))
    return path
