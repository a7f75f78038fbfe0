"""Places: the gazetteer (names -> coordinates, GeoNames ids, precision), homonyms by context, the
merge rule across reports, both stores, the importers' own geocodes, and `graphkit map`."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.cli.main import cli
from graphkit.model import Article, place_fields
from graphkit.registry.gazetteer import resolve
from graphkit.store.prepare import STATEMENT_COLUMNS, merge_rows, statement_values
from tests.storekit import KIRKUK, S1, S6, known_batch

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "data" / "articles"


def test_a_town_resolves_to_its_geonames_record():
    place = resolve("Kirkuk")
    assert (place.name, place.feature, place.precision, place.country) == ("Kirkuk", "PPL", "town", "IRQ")
    assert place.geonames_id == 94787  # GeoNames' Kirkuk
    assert abs(place.latitude - 35.47) < 0.05 and abs(place.longitude - 44.39) < 0.05
    assert place.admin1 and place.admin1.startswith("Kirk")  # its governorate, named by pycountry


def test_spellings_articles_and_a_country_after_a_comma():
    assert resolve("Basra").geonames_id == resolve("Basrah").geonames_id
    assert resolve("al-Basrah").geonames_id == resolve("Basrah").geonames_id
    assert resolve("KYIV, Ukraine").country == "UKR"
    assert resolve("Kirkuk, Iraq").geonames_id == 94787
    assert resolve("Qwxzville") is None and resolve("") is None and resolve(None) is None


def test_homonyms_are_chosen_by_context_then_population():
    assert resolve("Tripoli").country == "LBY"  # the larger city
    assert resolve("Tripoli", ("LBN",)).country == "LBN"  # a Lebanese story
    assert resolve("Tripoli", (None, "LBN")).country == "LBN"
    # nearest context first: the statement's actors before the article's countries
    assert resolve("Tripoli", ("LBN", "LBY")).country == "LBN"


def test_precision_reached_town_admin1_country():
    assert resolve("Iraq").precision == "country" and resolve("Iraq").geonames_id == 99237
    assert resolve("Iraq").latitude is not None  # the country's centre point (GDELT's convention)
    anbar = resolve("Anbar province")
    assert (anbar.precision, anbar.feature, anbar.country) == ("admin1", "ADM1", "IRQ")
    kirkuk_gov = resolve("Kirkuk province")
    assert kirkuk_gov.precision == "admin1" and kirkuk_gov.latitude == pytest.approx(KIRKUK.latitude, abs=0.01)
    # a named site the gazetteer lacks (data/actors/places.tsv): its country is the precision reached
    site = resolve("Tower 22")
    assert (site.feature, site.precision, site.country) == ("SITE", "country", "JOR")
    assert resolve("Lebanon").precision == "country"  # a country name is the country, not a US town


def test_directions_and_lone_subdivision_names_are_not_guessed():
    assert resolve("Northern Iraq", ("TUR", "SYR")).precision == "country"  # a part of Iraq
    assert resolve("southern Lebanon", ("ISR",)).country == "LBN"
    assert resolve("West Bank", ("ISR", "PSE")) is None  # not the Indian town "Bank"
    # Sudan's Red Sea state is not where a Houthi attack "in the Red Sea" happened
    assert resolve("the Red Sea", ("GBR", "YEM")) is None
    # a town's admin1 is named only when one subdivision claims its GeoNames admin1 code
    assert resolve("East Jerusalem").admin1 is None
    assert resolve("Basra").admin1 and resolve("Basra").admin1.startswith("Al Ba")


def _row(st):
    return statement_values(st)


def test_merge_keeps_the_most_precise_place_with_its_coordinates_in_any_order():
    town = replace(S1)
    country = replace(S1, location="Iraq", **place_fields(resolve("Iraq")))
    bare = replace(S1, location=None, **place_fields(None))
    ix = {c: i for i, c in enumerate(STATEMENT_COLUMNS)}
    for a, b in ((town, country), (country, town), (bare, town), (town, bare)):
        merged = merge_rows(_row(a), _row(b))
        assert merged[ix["location"]] == "Kirkuk" and merged[ix["geonames_id"]] == 94787
        assert merged[ix["latitude"]] == KIRKUK.latitude and merged[ix["place_precision"]] == "town"
    merged = merge_rows(_row(bare), _row(country))
    assert merged[ix["place_precision"]] == "country" and merged[ix["latitude"]] is not None


def test_places_round_trip_through_the_store(store):
    store.write(known_batch())
    read = {s.id: s for s in store.statements()}
    assert read["s1"].place_values() == S1.place_values()
    assert read["s6"].place_values() == S6.place_values()
    assert read["s2"].latitude is None


@pytest.mark.parametrize("layout", [3, 4])
def test_an_older_store_gains_the_place_columns(tmp_path, layout):
    from graphkit.store.sqlite import SCHEMA_VERSION, SqliteStore

    path = tmp_path / "old.db"
    with SqliteStore(f"sqlite:///{path}") as s:
        s.write(known_batch())
    conn = sqlite3.connect(path)
    # back to layout 3 (no place columns) or 4 (places, but not how they were placed)
    for column in (place_fields(None) if layout == 3 else ["place_source"]):
        conn.execute(f"ALTER TABLE statements DROP COLUMN {column}")
    conn.execute(f"PRAGMA user_version={layout}")
    conn.commit()
    conn.close()
    with SqliteStore(f"sqlite:///{path}") as s:
        assert {st.id for st in s.statements()} == {st.id for st in known_batch().statements}
        s.write(known_batch())  # re-told: the places arrive
        assert {st.id: st.geonames_id for st in s.statements()}["s1"] == 94787
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    conn.close()


@pytest.mark.neo4j
def test_neo4j_keeps_a_point_on_the_statement(neo4j_driver, neo4j_uri):
    from graphkit.store.neo4j import Neo4jStore

    with Neo4jStore(neo4j_uri) as s:
        s.write(known_batch())
    with neo4j_driver.session() as session:
        rec = session.run("MATCH ()-[r {id: 's1'}]->() RETURN r.point.latitude AS lat, r.point.longitude AS lon, "
                          "r.point.srid AS srid, r.geonames_id AS gid").single()
        assert (rec["lat"], rec["lon"], rec["srid"], rec["gid"]) == (KIRKUK.latitude, KIRKUK.longitude, 4326, 94787)
        near = session.run("MATCH ()-[r]->() WHERE point.distance(r.point, point({latitude: 35.4, longitude: 44.4})) "
                           "< 20000 RETURN collect(r.id) AS ids").single()["ids"]
        assert near == ["s1"]
        assert session.run("MATCH ()-[r {id: 's2'}]->() RETURN r.point AS p").single()["p"] is None


def test_acled_rows_keep_their_geocode():
    from graphkit.importers import acled

    statements = [st for batch, _ in acled.iter_batches(ROOT / "tests" / "data" / "acled_sample.csv")
                  for st in batch.statements]
    first = next(s for s in statements if s.extra["event_id"] == "TST1001")
    assert (first.latitude, first.longitude) == (35.4681, 44.3922)
    assert (first.place_name, first.place_admin1, first.place_admin2, first.place_country) == (
        "Kirkuk", "Kirkuk", "Kirkuk", "IRQ")
    assert first.place_precision == "town"
    second = next(s for s in statements if s.extra["event_id"] == "TST1002")
    assert (second.place_name, second.place_admin2, second.latitude) == ("Jalawla", "Khanaqin", 34.27)


def test_gdelt_rows_keep_action_geo():
    from graphkit.importers import gdelt
    from tests.test_importers import GDELT2, header_2, raw_rows

    names = header_2()
    rows = {r[0]: dict(zip(names, r, strict=True)) for r in raw_rows(GDELT2)}
    statements = [st for batch, _ in gdelt.iter_batches(GDELT2) for st in batch.statements]
    placed = [s for s in statements if s.latitude is not None]
    assert len(placed) > 0.5 * len(statements)
    kinds = {"1": "country", "2": "admin1", "3": "town", "4": "town", "5": "admin1"}
    for st in placed[::37]:
        raw = rows[str(st.extra["GLOBALEVENTID"])]
        assert (st.latitude, st.longitude) == (float(raw["ActionGeo_Lat"]), float(raw["ActionGeo_Long"]))
        assert st.place_precision == kinds[raw["ActionGeo_Type"]]
        assert st.extra.get("ActionGeo_FeatureID") == (raw["ActionGeo_FeatureID"] or None)
        assert st.place_admin1 == (raw["ActionGeo_ADM1Code"] or None)
        assert st.place_country is None or len(st.place_country) == 3
    iraq = [s for s in placed if rows[str(s.extra["GLOBALEVENTID"])]["ActionGeo_CountryCode"] == "IZ"]
    assert all(s.place_country == "IRQ" for s in iraq)  # FIPS 10-4 "IZ" is ISO "IRQ"


@pytest.fixture(scope="module")
def sample_statements(tmp_path_factory, seed_path) -> Path:
    out = tmp_path_factory.mktemp("places") / "statements.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(ARTICLES), str(seed_path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    out.write_text(result.stdout, encoding="utf-8")
    return out


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_seed_strike_and_sample_events_carry_coordinates(sample_statements):
    rows = _read(sample_statements)
    (strike,) = [r for r in rows if (r["source"]["id"], r["type"], r["target"]["id"], r["date"])
                 == ("USA", "ASSAULT", "IRQ.PMF", "2023-12-03")]
    assert strike["location"] == "Kirkuk" and strike["geonames_id"] == 94787
    assert strike["place_precision"] == "town" and abs(strike["latitude"] - 35.47) < 0.05
    assert strike["place_source"] == "sentence"
    placed = [r for r in rows if r["latitude"] is not None]
    # every statement whose sentence names a place the gazetteer knows has coordinates ...
    told = [r for r in placed if r["place_source"] == "sentence"]
    assert len(told) >= 30 and {r["place_country"] for r in told} >= {"IRQ", "ISR", "PSE", "LBN", "YEM"}
    # ... a place is never said to be told in a sentence that does not name it ...
    assert all(r["location"] and r["location"].lower() in r["sentence"].lower() for r in told)
    # ... and every other placement says which fallback made it
    assert {r["place_source"] for r in placed} <= {"sentence", "coreference", "dateline", "article", "country"}


def test_every_material_conflict_event_of_the_sample_articles_is_placed(sample_statements):
    """ACLED/GDELT practice: every event gets a place, the fallbacks marked (the module doc of
    graphkit.extract.places). Measured: before the fallbacks 20 of the 37 material-conflict events
    of data/articles had coordinates."""
    rows = [r for r in _read(sample_statements) if r["quad_class"] == 4 and r["article_id"] in _sample_ids()]
    assert len(rows) >= 30
    unplaced = [(r["sentence"], r["location"]) for r in rows if r["latitude"] is None]
    assert unplaced == []
    by_source = {}
    for r in rows:
        by_source.setdefault(r["place_source"], []).append(r)
        if r["place_source"] != "sentence":
            assert r["place_source"] in ("coreference", "dateline", "article", "country"), r
        if r["place_source"] == "country":
            assert r["place_precision"] == "country" and r["place_feature"] == "PCLI"
    assert len(by_source["sentence"]) >= 20
    # a named village the gazetteer does not know keeps its country, never another town
    selm = [r for r in rows if r["location"] == "Khirbet Selm"]
    assert selm and all((r["place_country"], r["place_precision"]) == ("LBN", "country") for r in selm)
    # ANKARA is where the reporter is, not the strikes in northern Iraq nor the attack on the base
    turkish = [r for r in rows if "PKK" in r["sentence"] or "Turkish" in r["sentence"]]
    assert turkish and all(r["place_name"] != "Ankara" for r in turkish)
    # the same event told twice: the drone strike on Tower 22 and the group that claimed it
    tower = [r for r in rows if r["date"] == "2024-01-28"]
    assert len(tower) >= 2 and {r["place_country"] for r in tower} == {"JOR"}


def _sample_ids() -> set[str]:
    from graphkit.ingest import read_paths

    return {a.id for a in read_paths([str(ARTICLES)]).articles}


def test_the_dateline_places_only_an_act_in_its_own_country():
    from graphkit.extract.places import locate
    from tests.storekit import S2

    article = Article("a", "text", title="Drone strike hits the capital", dateline_place="KYIV")
    ukr, rus = replace(S2.target, country="UKR"), replace(S2.target, country="RUS")
    home = replace(S2, article_id="a", target=ukr, source=replace(S2.source, country="RUS"), location=None)
    (placed,) = locate([home], article)
    assert (placed.place_name, placed.place_precision, placed.place_source) == ("Kyiv", "town", "dateline")
    # a strike on the other side's forces is not where the reporter files from: its country instead
    away = replace(home, id="s2b", target=rus, source=replace(S2.source, country="UKR"))
    (placed,) = locate([away], article)
    assert (placed.place_country, placed.place_precision, placed.place_source) == ("RUS", "country", "country")
    # a place the sentence names but the gazetteer does not know is never moved to the dateline city
    (named,) = locate([replace(home, location="Khirbet Zzyzx")], article)
    assert (named.place_country, named.place_source, named.location) == ("UKR", "country", "Khirbet Zzyzx")


def test_a_told_place_outranks_a_finer_fallback_when_reports_merge():
    from tests.storekit import S1

    told = statement_values(replace(S1, **place_fields(replace(resolve("Iraq"), source="sentence"))))
    fallback = statement_values(replace(S1, location=None, article_id="art9",
                                        **place_fields(replace(resolve("Kirkuk"), source="dateline"))))
    ix = {c: i for i, c in enumerate(STATEMENT_COLUMNS)}
    for a, b in ((told, fallback), (fallback, told)):
        merged = merge_rows(a, b)
        assert (merged[ix["place_name"]], merged[ix["place_source"]]) == ("Iraq", "sentence")


def test_map_command_draws_the_placed_statements(sample_statements, tmp_path):
    out = tmp_path / "map.html"
    result = CliRunner().invoke(cli, ["map", "--from", str(sample_statements), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    data = json.loads(html.split('<script type="application/json" id="map-data">')[1].split("</script>")[0])
    rows = _read(sample_statements)
    assert len(data["points"]) == sum(1 for r in rows if r["latitude"] is not None)
    assert data["unplaced"] == sum(1 for r in rows if r["latitude"] is None)
    assert len(data["countries"]) > 150  # outlines shipped with the page
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html
    # the same window and actor focus as `graphkit render`
    narrow = tmp_path / "narrow.html"
    result = CliRunner().invoke(cli, ["map", "--from", str(sample_statements), "-o", str(narrow),
                                      "--since", "2024-01-01", "--actor", "Kataib Hezbollah", "--hops", "1"])
    assert result.exit_code == 0, result.output
    small = json.loads(narrow.read_text(encoding="utf-8").split('id="map-data">')[1].split("</script>")[0])
    assert 0 < len(small["points"]) < len(data["points"])
    assert all(p["date"] >= "2024-01-01" for p in small["points"])
    from datetime import date

    from graphkit.viz.network import build_network
    from graphkit.viz.sources import read_jsonl

    network = build_network(read_jsonl(sample_statements, []), since=date(2024, 1, 1), focus="IRQ.KATAIB_HEZBOLLAH", hops=1)
    placed = {st.id for st in read_jsonl(sample_statements, []) if st.latitude is not None}
    assert {p["id"] for p in small["points"]} == {s.id for e in network.edges for s in e.statements} & placed


def test_the_map_can_leave_out_fallback_placements(sample_statements, tmp_path):
    def points(*options):
        out = tmp_path / "m.html"
        result = CliRunner().invoke(cli, ["map", "--from", str(sample_statements), "-o", str(out), *options])
        assert result.exit_code == 0, result.output
        return json.loads(out.read_text(encoding="utf-8").split('id="map-data">')[1].split("</script>")[0])

    every, told = points(), points("--no-fallback-places")
    assert {p["placed_by"] for p in told["points"]} == {"sentence"}
    fallbacks = [p for p in every["points"] if p["placed_by"] != "sentence"]
    assert fallbacks and len(told["points"]) == len(every["points"]) - len(fallbacks)
    assert told["unplaced"] == every["unplaced"] + len(fallbacks)


def test_dateline_country_breaks_a_tie():
    from graphkit.extract.places import locate
    from tests.storekit import S3

    article = Article("a", "text", dateline_place="BEIRUT")
    far = replace(S3, source=replace(S3.source, country=None), target=replace(S3.target, country=None),
                  location="Tripoli")
    (located,) = locate([far], article)
    assert located.place_country == "LBN"
    (plain,) = locate([far], Article("a", "text"))
    assert plain.place_country == "LBY"


def test_a_statement_file_with_impossible_coordinates_is_refused_per_line(tmp_path):
    from graphkit.serialize import statement_to_dict

    good = statement_to_dict(S1)
    bad = statement_to_dict(replace(S6, latitude=123.0))
    half = statement_to_dict(replace(S6, id="s7", longitude=None))
    unknown = statement_to_dict(replace(S6, id="s8", place_source="guess"))
    path = tmp_path / "st.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in (good, bad, half, unknown)) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["load", str(path), "--store", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 2, result.output
    assert f"{path}:2: " in result.stderr and "out of range" in result.stderr
    assert f"{path}:3: " in result.stderr and "together" in result.stderr
    assert f"{path}:4: " in result.stderr and "place_source 'guess' is not one of sentence" in result.stderr
    from graphkit.store import open_store

    with open_store(f"sqlite:///{tmp_path / 'x.db'}") as store:
        assert [s.id for s in store.statements()] == ["s1"]


def test_the_map_shows_inline_in_a_notebook_and_from_the_api(tmp_path):
    import graphkit
    from tests.storekit import STATEMENTS

    view = graphkit.show_map(list(STATEMENTS), height=500)
    html = view._repr_html_()
    assert html.startswith('<iframe class="graphkit-map"') and "srcdoc=" in html and "height: 500px" in html
    assert "2 events placed, 4 without coordinates" in repr(view)
    path = graphkit.map(list(STATEMENTS), tmp_path / "m.html", since=S1.date)
    page = path.read_text(encoding="utf-8")
    data = json.loads(page.split('id="map-data">')[1].split("</script>")[0])
    assert [p["id"] for p in data["points"]] == ["s1"]  # s6 is undated: outside a window
