"""graphkit load / graphkit query end to end through the CLI (embedded store; Neo4j for --cypher)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from graphkit.cli.main import cli
from graphkit.serialize import statement_to_dict
from tests.storekit import STATEMENTS


@pytest.fixture()
def statements_jsonl(tmp_path):
    path = tmp_path / "statements.jsonl"
    lines = [json.dumps(statement_to_dict(s)) for s in STATEMENTS]
    lines.insert(2, '{"source": {"id": "X"}, "type": "ASSAULT"}')  # line 3: no id
    lines.append('{"id": "bad", "source": {"id": "A", "name": "A", "kind": "state"}, '
                 '"target": {"id": "B", "name": "B", "kind": "state"}, "type": "EXPLODE"}')  # line 8
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_load_statement_jsonl_skips_bad_lines_and_is_idempotent(tmp_path, statements_jsonl):
    store = f"sqlite:///{tmp_path / 'g.db'}"
    first = run("load", str(statements_jsonl), "--store", store)
    assert first.exit_code == 2, first.output
    assert "statements  added       6" in first.stdout
    assert f"{statements_jsonl}:3: id: missing" in first.stderr
    assert f"{statements_jsonl}:8: type 'EXPLODE' is not in the typology" in first.stderr
    again = run("load", str(statements_jsonl), "--store", store)
    assert "statements  added       0   already present       6" in again.stdout


def test_load_from_stdin_then_query(tmp_path):
    store = f"sqlite:///{tmp_path / 'g.db'}"
    text = "".join(json.dumps(statement_to_dict(s)) + "\n" for s in STATEMENTS)
    loaded = run("load", "-", "--store", store, input=text)
    assert loaded.exit_code == 0, loaded.output
    out = run("query", "top_dyads", "--param", "order=hostile", "--param", "limit=1", "--format", "json",
              "--store", store)
    assert out.exit_code == 0
    assert json.loads(out.stdout) == [{"source": "IRQ.PMF", "source_name": "Popular Mobilization Forces",
                                       "target": "USA", "target_name": "United States", "statements": 1,
                                       "conflict": 1, "cooperation": 0, "goldstein_sum": -10.0,
                                       "goldstein_mean": -10.0}]
    csv_out = run("query", "monthly_dyad", "--param", "a=USA", "--param", "b=IRQ.PMF", "--format", "csv",
                  "--store", store)
    assert csv_out.stdout.splitlines() == [
        "month,statements,conflict,cooperation,goldstein_sum,goldstein_mean", "2024-01,2,2,0,-20.0,-10.0"]
    bad = run("query", "dyad_timeline", "--param", "a=USA", "--store", store)
    assert bad.exit_code == 2 and "parameter 'b' is required" in bad.stderr


def test_query_list_names_every_library_query():
    out = run("query", "--list", "--format", "csv")
    names = [line.split(",")[0] for line in out.stdout.splitlines()[1:]]
    assert names == ["actor_degree", "article_statements", "dyad_timeline", "ego_network", "monthly_dyad",
                     "top_dyads"]
    assert "since?" in out.stdout


def test_cypher_needs_neo4j(tmp_path):
    from graphkit.store.sqlite import SqliteStore

    SqliteStore(f"sqlite:///{tmp_path / 'g.db'}").close()  # the store exists; it cannot run Cypher
    out = run("query", "--cypher", "MATCH (n) RETURN n", "--store", f"sqlite:///{tmp_path / 'g.db'}")
    assert out.exit_code == 2 and "--cypher needs a Neo4j store" in out.stderr


@pytest.mark.neo4j
def test_cypher_is_read_only_unless_write(neo4j_driver, neo4j_uri):
    refused = run("query", "--cypher", "CREATE (n:Scratch) RETURN n", "--store", neo4j_uri)
    assert refused.exit_code == 4
    assert refused.stderr.startswith("graphkit: error: read mode runs read queries only; the server plans this "
                                     "one as a read and write (add --write to run it)")
    assert len(refused.stderr.strip().splitlines()) == 1
    assert neo4j_driver.execute_query("MATCH (n:Scratch) RETURN count(n) AS n").records[0]["n"] == 0
    written = run("query", "--cypher", "CREATE (n:Scratch {v: $v}) RETURN n.v AS v", "--param", "v=7", "--write",
                  "--format", "json", "--store", neo4j_uri)
    assert written.exit_code == 0 and json.loads(written.stdout) == [{"v": "7"}]
    syntax = run("query", "--cypher", "MATCH (n RETURN n", "--store", neo4j_uri)
    assert syntax.exit_code == 4 and "Neo.ClientError.Statement.SyntaxError" in syntax.stderr
    assert len(syntax.stderr.strip().splitlines()) == 1


@pytest.mark.neo4j
def test_load_into_neo4j_applies_schema(neo4j_driver, neo4j_uri, statements_jsonl):
    out = run("load", str(statements_jsonl), "--store", neo4j_uri, "--batch-size", "2")  # pipelined batches
    assert "statements  added       6" in out.stdout and "mentions    added       5" in out.stdout
    again = run("load", str(statements_jsonl), "--store", neo4j_uri, "--batch-size", "4")
    assert "statements  added       0   already present       6" in again.stdout
    names = {r["name"] for r in neo4j_driver.execute_query("SHOW CONSTRAINTS YIELD name").records}
    assert {"actor_id", "article_id", "mention_id", "statement_assault_id"} <= names
    labels = neo4j_driver.execute_query("MATCH (a:Actor {id: 'IRQ.PMF'}) RETURN labels(a) AS l").records[0]["l"]
    assert sorted(labels) == ["Actor", "ArmedGroup"]
    kind = neo4j_driver.execute_query(
        "MATCH ()-[r:ASSAULT {id: 's1'}]->() RETURN valueType(r.date) AS t").records[0]["t"]
    assert kind == "DATE NOT NULL"


def test_load_stores_an_actor_file(tmp_path, statements_jsonl):
    actors = tmp_path / "actors.json"
    actors.write_text('[{"id": "IRQ.KH", "name": "Kata\'ib Hezbollah", "kind": "militia", "country": "IRQ"}]')
    store = f"sqlite:///{tmp_path / 'g.db'}"
    out = run("load", str(statements_jsonl), "--actors", str(actors), "--store", store)
    assert "actors      added       5" in out.stdout
    missing = run("load", str(statements_jsonl), "--actors", str(tmp_path / "nope.json"), "--store", store)
    assert missing.exit_code == 2 and f"{tmp_path / 'nope.json'}: cannot read" in missing.stderr


@pytest.mark.parametrize("command", [["query", "top_dyads"], ["tension", "series"], ["render", "-o", "OUT"]])
def test_readers_refuse_a_missing_store_file_and_do_not_create_it(tmp_path, command):
    missing = tmp_path / "typo.db"
    args = [str(tmp_path / "v.html") if a == "OUT" else a for a in command]
    result = run(*args, "--store", f"sqlite:///{missing}")
    assert result.exit_code == 4
    assert result.stderr.strip().splitlines() == [
        f"graphkit: error: sqlite:///{missing}: no such store file (create it with `graphkit load`, or pass --store)"]
    assert not missing.exists()


def test_load_counts_each_actor_once_across_batches(tmp_path, statements_jsonl):
    store = f"sqlite:///{tmp_path / 'g.db'}"
    first = run("load", str(statements_jsonl), "--store", store, "--batch-size", "1")
    assert "actors      added       4   already present       0" in first.stdout  # USA, IRQ.PMF, IRN, IRQGOV
    again = run("load", str(statements_jsonl), "--store", store, "--batch-size", "2")
    assert "actors      added       0   already present       4" in again.stdout


@pytest.mark.neo4j
def test_cypher_returns_nodes_and_relationships_as_maps(neo4j_driver, neo4j_uri, statements_jsonl):
    assert run("load", str(statements_jsonl), "--store", neo4j_uri).exit_code in (0, 2)  # 2: its bad line
    out = run("query", "--cypher", "MATCH (a:Actor)-[r:ASSAULT {id: 's1'}]->(b) RETURN a, r, b", "--format", "json",
              "--store", neo4j_uri)
    assert out.exit_code == 0, out.stderr
    [row] = json.loads(out.stdout)
    assert row["r"]["_type"] == "ASSAULT" and row["r"]["id"] == "s1" and row["r"]["date"]
    assert row["r"]["_start"] == row["a"]["_id"] and row["r"]["_end"] == row["b"]["_id"]
    assert "Actor" in row["a"]["_labels"] and row["a"]["id"] and row["a"]["name"]
    path = run("query", "--cypher", "MATCH p = ()-[:ASSAULT {id: 's1'}]->() RETURN p", "--format", "json",
               "--store", neo4j_uri)
    [p] = json.loads(path.stdout)
    assert len(p["p"]["nodes"]) == 2 and p["p"]["relationships"][0]["_type"] == "ASSAULT"
