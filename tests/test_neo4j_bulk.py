"""Bulk initial loads into the real Neo4j server: neo4j-admin gives the graph the batched writer gives."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from graphkit.errors import StoreError
from graphkit.server.local import ServerHome
from graphkit.store.neo4j import Neo4jStore
from graphkit.store.neo4j_bulk import BulkSink
from tests.storekit import dump, known_batch

pytestmark = pytest.mark.neo4j


def _graph(driver) -> dict:
    """Every node (labels, properties) and relationship (type, ends, properties), canonical."""
    def canon(value):
        return json.dumps(value, sort_keys=True, default=str)

    with driver.session() as s:
        nodes = sorted(canon([sorted(r["labels"]), r["props"]]) for r in s.run(
            "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"))
        rels = sorted(canon([r["type"], r["a"], r["b"], r["props"]]) for r in s.run(
            "MATCH (a)-[r]->(b) RETURN type(r) AS type, coalesce(a.id, '') AS a, coalesce(b.id, '') AS b, "
            "properties(r) AS props"))
    return {"nodes": nodes, "relationships": rels}


def _home(uri: str) -> ServerHome:
    home = os.environ.get("GRAPHKIT_TEST_NEO4J_HOME")
    if not home:
        pytest.fail("GRAPHKIT_TEST_NEO4J_HOME names the test server's home (set by scripts/test.sh)")
    return ServerHome(Path(home), urlsplit(uri).port)


def test_bulk_import_equals_the_batched_writer(neo4j_uri, neo4j_driver, tmp_path):
    with Neo4jStore(neo4j_uri) as store:
        store.ensure_schema()
        store.write(known_batch())
        batched, batched_graph = dump(store), _graph(neo4j_driver)
    with neo4j_driver.session() as s:
        s.run("MATCH (n) DETACH DELETE n").consume()
    with Neo4jStore(neo4j_uri) as store:
        sink = BulkSink(store, home=_home(neo4j_uri), folder=tmp_path / "import")
        counts = sink.write(known_batch())  # stops the server, imports, starts it again
        assert counts.added == batched["counts"]
        assert dump(store) == batched
    from neo4j import GraphDatabase

    from tests.conftest import _neo4j_auth

    with GraphDatabase.driver(neo4j_uri, auth=_neo4j_auth()) as driver:
        assert _graph(driver) == batched_graph


def test_bulk_refuses_a_database_that_holds_data(neo4j_uri, neo4j_driver, tmp_path):
    with Neo4jStore(neo4j_uri) as store:
        store.ensure_schema()
        store.write(known_batch())
        with pytest.raises(StoreError, match="new, empty database"):
            BulkSink(store, home=_home(neo4j_uri), folder=tmp_path).write(known_batch())


def test_remote_server_gets_the_command_not_an_import(neo4j_uri, neo4j_driver, tmp_path):
    with Neo4jStore(neo4j_uri) as store:
        sink = BulkSink(store, home=None, folder=tmp_path / "files")
        sink.write(known_batch())
        assert store.counts()["statements"] == 0  # nothing was imported here
    assert sink.command.startswith("neo4j-admin database import full neo4j --overwrite-destination=true")
    assert "--relationships=$NEO4J_HOME/import/statements.csv" in sink.command.replace("'", "")
    assert (tmp_path / "files" / "statements.csv").read_text().startswith(":START_ID(Actor),:END_ID(Actor),:TYPE,")
