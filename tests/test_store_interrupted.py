"""A load killed mid-way and run again ends with exactly the graph a clean run gives.

The load runs in a subprocess (real batches, real server); it is SIGKILLed after some batches
have committed, then the same load is run again to the end and the whole graph is dumped
canonically and compared with a clean run's dump.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT
from tests.storekit import dump

N_STATEMENTS = 1500
BATCH = 100

LOADER = """
import sys, time
sys.path.insert(0, {root!r})
from benchmarks.synth import statements
from graphkit.model import LoadBatch
from graphkit.store import open_store

articles, sts = statements({n}, n_actors=60)
by_id = {{a.id: a for a in articles}}
with open_store(sys.argv[1]) as store:
    for i in range(0, len(sts), {batch}):
        chunk = sts[i:i + {batch}]
        store.write(LoadBatch(articles=[by_id[x] for x in sorted({{s.article_id for s in chunk}})], statements=chunk))
        time.sleep(float(sys.argv[2]))  # lets the test catch a fast (embedded) load mid-way
"""


def _load(uri: str, pause: float = 0.0) -> subprocess.Popen:
    code = LOADER.format(root=str(ROOT), n=N_STATEMENTS, batch=BATCH)
    return subprocess.Popen([sys.executable, "-c", code, uri, str(pause)], cwd=ROOT, stderr=subprocess.PIPE)


def _finish(uri: str) -> None:
    proc = _load(uri)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()[-2000:]


def _kill_midway(uri: str, statements_now, pause: float = 0.0) -> int:
    proc = _load(uri, pause)
    deadline = time.monotonic() + 300
    seen = 0
    while time.monotonic() < deadline and proc.poll() is None:
        seen = statements_now()
        if seen >= 3 * BATCH:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the load finished before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return statements_now()


def _neo4j_graph(driver) -> dict:
    """Every node and relationship with labels, type and properties, in a canonical order."""

    def plain(value):
        if hasattr(value, "iso_format"):
            return value.iso_format()
        if isinstance(value, list):
            return sorted(plain(v) for v in value)
        return value

    def props(entity) -> dict:
        return {k: plain(v) for k, v in dict(entity).items()}

    nodes, _, _ = driver.execute_query("MATCH (n) RETURN labels(n) AS labels, n AS node")
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, r AS rel")
    return {
        "nodes": sorted(json.dumps([sorted(r["labels"]), props(r["node"])], sort_keys=True) for r in nodes),
        "rels": sorted(json.dumps([r["a"], r["type"], r["b"], props(r["rel"])], sort_keys=True) for r in rels),
    }


@pytest.mark.neo4j
def test_neo4j_load_killed_midway_then_rerun_equals_clean_run(neo4j_driver, neo4j_uri):
    def statements_now() -> int:
        records, _, _ = neo4j_driver.execute_query("MATCH ()-[r]->() WHERE r.id IS NOT NULL RETURN count(r) AS n")
        return records[0]["n"]

    partial = _kill_midway(neo4j_uri, statements_now)
    assert 0 < partial < N_STATEMENTS
    assert partial % BATCH == 0, "a killed batch must leave nothing half-written"
    _finish(neo4j_uri)
    resumed = _neo4j_graph(neo4j_driver)

    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    _finish(neo4j_uri)
    clean = _neo4j_graph(neo4j_driver)
    assert len(clean["rels"]) > N_STATEMENTS  # statements plus Mention-[:IN]->Article
    assert resumed == clean


def test_sqlite_load_killed_midway_then_rerun_equals_clean_run(tmp_path):
    import sqlite3

    from graphkit.store.sqlite import SqliteStore

    resumed_uri, clean_uri = f"sqlite:///{tmp_path / 'resumed.db'}", f"sqlite:///{tmp_path / 'clean.db'}"
    SqliteStore(resumed_uri).close()  # schema exists before the loader starts

    def statements_now() -> int:
        with sqlite3.connect(tmp_path / "resumed.db") as conn:
            return conn.execute("SELECT count(*) FROM statements").fetchone()[0]

    partial = _kill_midway(resumed_uri, statements_now, pause=0.05)
    assert 0 < partial < N_STATEMENTS and partial % BATCH == 0
    _finish(resumed_uri)
    _finish(clean_uri)
    with SqliteStore(resumed_uri) as resumed, SqliteStore(clean_uri) as clean:
        assert dump(resumed) == dump(clean)
        assert dump(clean)["counts"]["statements"] == N_STATEMENTS
