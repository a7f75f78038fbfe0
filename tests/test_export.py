"""graphkit export: GraphML/GEXF read back with networkx, the flat table read back with pandas, from both stores."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields, replace
from datetime import date

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner

from graphkit.cli.main import cli
from graphkit.export import read_table, statement_columns, statement_rows
from graphkit.model import ActorRef, LoadBatch, Statement
from tests.storekit import PMF, S1, S4, known_batch

# A second ASSAULT by the same dyad (the edge aggregates it) and a consult code with a leading zero.
S7 = replace(S1, id="s7", date=date(2024, 1, 25), cameo="195", evidence=())
S8 = replace(S4, id="s8", type="CONSULT", cameo="040", quad_class=1, goldstein=1.0, date=date(2024, 2, 12))


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store_uri(request, tmp_path):
    if request.param == "sqlite":
        from graphkit.store.sqlite import SqliteStore

        uri = f"sqlite:///{tmp_path / 'g.db'}"
        store = SqliteStore(uri)
    else:
        request.getfixturevalue("neo4j_driver")  # empties the database
        from graphkit.store.neo4j import Neo4jStore

        uri = request.getfixturevalue("neo4j_uri")
        store = Neo4jStore(uri)
        store.ensure_schema()
    store.write(known_batch())
    store.write(LoadBatch(statements=[S7, S8]))
    store.close()
    return uri


def run(*args):
    result = CliRunner().invoke(cli, list(args))
    return result


def test_flat_columns_cover_every_statement_field():
    names = [c.name for c in statement_columns()]
    assert len(names) == len(set(names))
    for f in fields(Statement):
        if f.type in ("ActorRef",) or f.name in ("source", "target"):
            assert {f"{f.name}_{p.name}" for p in fields(ActorRef)} <= set(names)
        elif f.name == "evidence":
            assert {"evidence_count", "article_ids"} <= set(names)
        else:
            assert f.name in names, f.name
    kinds = {c.name: c.kind for c in statement_columns()}
    assert (kinds["cameo"], kinds["quad_class"], kinds["goldstein"], kinds["date"]) == ("string", "int", "float", "date")


def test_a_field_added_to_statement_flows_without_an_edit():
    """Fields added to Statement later are exported as they are."""

    @dataclass(frozen=True, slots=True)
    class Later(Statement):
        sources_cited: int | None = None
        settled_on: date | None = None

    later = Later(**{f.name: getattr(S1, f.name) for f in fields(Statement)}, sources_cited=3,
                  settled_on=date(2024, 1, 6))
    columns = {c.name: c.kind for c in statement_columns(Later)}
    assert (columns["sources_cited"], columns["settled_on"], columns["killed"], columns["date_end"]) == (
        "int", "date", "int", "date")
    [row] = statement_rows([later], cls=Later)
    assert (row["sources_cited"], row["settled_on"], row["source_id"], row["cameo"]) == (3, "2024-01-06", "USA", "190")


def test_flat_table_round_trip_from_the_store(store_uri, tmp_path):
    for fmt in ("csv", "parquet", "jsonl"):
        out = tmp_path / f"st.{fmt}"
        result = run("export", fmt, "-o", str(out), "--store", store_uri)
        assert result.exit_code == 0, result.output
        umask = os.umask(0)
        os.umask(umask)
        assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # written beside and renamed, with normal modes
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left
        frame = read_table(out)
        assert len(frame) == 8 and list(frame.columns) == [c.name for c in statement_columns()]
        row = frame.set_index("id").loc["s8"]
        assert row["cameo"] == "040" and row["quad_class"] == 1 and row["goldstein"] == 1.0
        assert row["date"] == date(2024, 2, 12) and row["published"] == date(2024, 2, 16)
        s1 = frame.set_index("id").loc["s1"]
        assert (s1["source_id"], s1["source_name"], s1["source_country"], s1["target_kind"]) == (
            "USA", "United States", "USA", "militia")
        assert (s1["outlet"], s1["url"], s1["dateline_place"], s1["evidence_count"], s1["article_ids"]) == (
            "Reuters", "https://example.org/1", "BAGHDAD", 1, "art1")
        assert pd.isna(frame.set_index("id").loc["s6", "date"])  # undated stays empty, not 1970
    # plain pandas, without graphkit: ISO date text, and the code as text when asked for as in GDELT
    plain = pd.read_csv(tmp_path / "st.csv", dtype={"cameo": str})
    assert plain.set_index("id").loc["s8", "cameo"] == "040"
    assert plain.set_index("id").loc["s1", "date"] == "2024-01-05"
    parquet = pd.read_parquet(tmp_path / "st.parquet").set_index("id")
    assert parquet.loc["s8", "cameo"] == "040" and parquet.loc["s1", "date"] == date(2024, 1, 5)
    rows = {r["id"]: r for r in map(json.loads, (tmp_path / "st.jsonl").read_text().splitlines())}
    assert rows["s8"]["cameo"] == "040" and rows["s1"]["date"] == "2024-01-05"


def test_gexf_and_graphml_read_back_with_attributes(store_uri, tmp_path):
    for fmt, reader in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        out = tmp_path / f"g.{fmt}"
        result = run("export", fmt, "-o", str(out), "--store", store_uri)
        assert result.exit_code == 0, result.output
        graph = reader(out)
        pmf = graph.nodes[PMF.id]
        assert (pmf["name"], pmf["kind"], pmf["country"], pmf["sector"]) == (
            "Popular Mobilization Forces", "militia", "IRQ", "REB")
        edges = [d for _, _, d in graph.edges("USA", data=True) if d["statement_type"] == "ASSAULT"]
        asserted = next(d for d in edges if d["modality"] == "asserted")
        negated = next(d for d in edges if d["modality"] == "negated")  # S5 is its own edge
        assert (asserted["count"], asserted["first_date"], asserted["last_date"]) == (2, "2024-01-05", "2024-01-25")
        assert asserted["cameo"] == "190" and asserted["quad_class"] == 4 and asserted["goldstein"] == -10.0
        assert negated["count"] == 1
        consult = [d for _, _, d in graph.edges("IRN", data=True) if d["statement_type"] == "CONSULT"]
        assert consult[0]["cameo"] == "040"  # a code, not the number 40
        assert graph.number_of_edges() == 7  # 8 statements, s1 and s7 on one edge


def test_filters_and_actor_names(store_uri, tmp_path):
    out = tmp_path / "f.jsonl"

    def ids(*args):
        result = run("export", "jsonl", "-o", str(out), "--store", store_uri, *args)
        assert result.exit_code == 0, result.output
        return sorted(json.loads(line)["id"] for line in out.read_text().splitlines())

    assert ids("--since", "2024-02-01") == ["s3", "s4", "s5", "s8"]
    assert ids("--until", "2024-01-31", "--type", "assault") == ["s1", "s2", "s7"]
    assert ids("--actor", "iran") == ["s3", "s4", "s8"]
    assert ids("--actor", "Popular Mobilization Forces", "--type", "SUPPORT") == ["s4"]
    assert ids("--actor", "IRQ.PMF", "--since", "2024-02-11") == ["s5", "s8"]
    bad = run("export", "csv", "-o", str(tmp_path / "x.csv"), "--store", store_uri, "--actor", "Atlantis")
    assert bad.exit_code == 2 and "Atlantis" in bad.output and not (tmp_path / "x.csv").exists()
    bad = run("export", "csv", "-o", str(tmp_path / "x.csv"), "--store", store_uri, "--type", "HUG")
    assert bad.exit_code == 2 and "not a statement type" in bad.output


def test_export_from_extract_jsonl_and_schema(tmp_path):
    from graphkit.serialize import statement_to_dict

    src = tmp_path / "st.jsonl"
    src.write_text("".join(json.dumps(statement_to_dict(s)) + "\n" for s in (S1, S7, S8)), encoding="utf-8")
    out = tmp_path / "flat.csv"
    result = run("export", "csv", "--from", str(src), "-o", str(out), "--actor", "United States")
    assert result.exit_code == 0, result.output
    assert sorted(read_table(out)["id"]) == ["s1", "s7"]
    schema = run("export", "--schema")
    assert schema.exit_code == 0 and "cameo" in schema.output and "source_country" in schema.output
    usage = run("export", "csv")
    assert usage.exit_code == 2 and "-o FILE" in usage.output


def test_fallback_places_can_be_left_out(tmp_path):
    from graphkit.model import place_fields
    from graphkit.registry.gazetteer import country_place
    from graphkit.serialize import statement_to_dict

    guessed = replace(S7, location=None, **place_fields(replace(country_place("IRQ"), source="country")))
    src = tmp_path / "st.jsonl"
    src.write_text("".join(json.dumps(statement_to_dict(s)) + "\n" for s in (S1, guessed)), encoding="utf-8")
    every, told = tmp_path / "every.csv", tmp_path / "told.csv"
    assert run("export", "csv", "--from", str(src), "-o", str(every)).exit_code == 0
    result = run("export", "csv", "--from", str(src), "-o", str(told), "--no-fallback-places")
    assert result.exit_code == 0, result.output
    every, told = (read_table(p).set_index("id") for p in (every, told))
    assert every.loc["s7", "place_source"] == "country" and every.loc["s7", "latitude"] == 33.0
    assert pd.isna(told.loc["s7", "latitude"]) and pd.isna(told.loc["s7", "place_source"])
    assert told.loc["s1", "place_source"] == "sentence" and told.loc["s1", "geonames_id"] == 94787


# A statement told by three articles (two others, one of them twice) with extra fields (a non-ASCII outlet).
S9 = replace(S4, id="s9", date=date(2024, 3, 1), extra={"outlet": "Al-Sūmaria", "tone": -2.5},
             evidence=(*S4.evidence, replace(S4.evidence[0], article_id="art3"),
                       replace(S4.evidence[0], article_id="art3", sentence="again")))
SHARD_CASES = [[], ["--since", "2024-01-20", "--until", "2024-02-12"], ["--actor", "Popular Mobilization Forces"],
               ["--type", "ASSAULT", "--type", "support"], ["--until", "2024-02-01"]]


@pytest.fixture(scope="module")
def shards_and_jsonl(tmp_path_factory):
    from graphkit.serialize import statement_to_dict
    from graphkit.shards import write_shards
    from tests.storekit import STATEMENTS

    folder = tmp_path_factory.mktemp("shards")
    statements = (*STATEMENTS, S7, S8, S9)
    write_shards(statements, folder / "shards", rows_per_file=4)  # three part files
    jsonl = folder / "st.jsonl"
    jsonl.write_text("".join(json.dumps(statement_to_dict(s)) + "\n" for s in statements), encoding="utf-8")
    return folder / "shards", jsonl


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
@pytest.mark.parametrize("args", SHARD_CASES, ids=lambda a: " ".join(a) or "all")
def test_table_export_from_shards_streams_the_rows_the_jsonl_export_gives(shards_and_jsonl, tmp_path, fmt, args):
    """Issue 21: a flat table from Parquet shards is written by DuckDB straight from the files, with
    the rows (values and order) of the in-memory export of the same statements."""
    shards, jsonl = shards_and_jsonl
    streamed, in_memory = tmp_path / f"s.{fmt}", tmp_path / f"j.{fmt}"
    duck = run("export", fmt, "--from", str(shards), "-o", str(streamed), *args)
    assert duck.exit_code == 0, duck.output
    assert "from Parquet shards" in duck.stderr  # the DuckDB path, not the shards read into memory
    assert run("export", fmt, "--from", str(jsonl), "-o", str(in_memory), *args).exit_code == 0
    a, b = read_table(streamed), read_table(in_memory)
    assert len(b) and list(a.columns) == list(b.columns)
    pd.testing.assert_frame_equal(a, b)
    if not args:
        s9 = b.set_index("id").loc["s9"]
        # its art3 telling is given twice (one span): one telling, as a store holds it
        assert s9["article_ids"] == "art2;art3" and s9["evidence_count"] == 2 and s9["mentions"] == 2
        assert s9["outlet"] == "Al-Sūmaria" and json.loads(s9["extra"])["tone"] == -2.5


def test_shards_export_without_duckdb_reads_them_into_memory(shards_and_jsonl, tmp_path, monkeypatch):
    shards, jsonl = shards_and_jsonl
    monkeypatch.setattr("graphkit.analysis.duckdb_connection.duckdb_available", lambda: False)
    result = run("export", "csv", "--from", str(shards), "-o", str(tmp_path / "s.csv"))
    assert result.exit_code == 0 and "duckdb is not installed" in result.stderr
    assert run("export", "csv", "--from", str(jsonl), "-o", str(tmp_path / "j.csv")).exit_code == 0
    pd.testing.assert_frame_equal(read_table(tmp_path / "s.csv"), read_table(tmp_path / "j.csv"))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_export_reads_shards(shards_and_jsonl, tmp_path, fmt):
    shards, jsonl = shards_and_jsonl
    assert run("export", fmt, "--from", str(shards), "-o", str(tmp_path / f"s.{fmt}")).exit_code == 0
    assert run("export", fmt, "--from", str(jsonl), "-o", str(tmp_path / f"j.{fmt}")).exit_code == 0
    assert (tmp_path / f"s.{fmt}").read_bytes() == (tmp_path / f"j.{fmt}").read_bytes()
