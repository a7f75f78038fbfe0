"""Shared fixtures. Neo4j tests use the real local server (scripts/test.sh starts one);
in CI they fail when it is unreachable, elsewhere they skip saying how to start it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graphkit.registry import Registry, Resolver

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GRAPHKIT_SHARED", ROOT.parent / "shared"))  # worktrees: GRAPHKIT_SHARED=/work/shared
SEED = SHARED / "seed" / "000_f359ee748abe973c.txt"


def _neo4j_auth():
    password = os.environ.get("NEO4J_PASSWORD")
    return (os.environ.get("NEO4J_USER", "neo4j"), password) if password else None


@pytest.fixture(scope="session")
def neo4j_uri() -> str:
    """URI of the real Neo4j test server, or fail (CI) / skip (elsewhere)."""
    from graphkit.server.local import ping

    uri = os.environ.get("GRAPHKIT_TEST_NEO4J_URI", "bolt://127.0.0.1:7688")
    if ping(uri, _neo4j_auth(), timeout=5):
        return uri
    message = (f"Neo4j test server not reachable at {uri}; start one with "
               "`graphkit neo4j start --port 7688 --fresh` or run `make test`")
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture()
def neo4j_driver(neo4j_uri):
    """A driver on an emptied test database."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(neo4j_uri, auth=_neo4j_auth()) as driver:
        # in batches: one DETACH DELETE of a large graph (a benchmark's) exceeds the transaction memory
        with driver.session() as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        yield driver


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.fail(f"seed article missing at {SEED} (../shared must sit beside the repository)")
    return SEED


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> Registry:
    """The built-in registry (tests that need their own define a module fixture of the same name)."""
    # only the built-in registry: a developer's imported dictionaries must not change results
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GRAPHKIT_ACTORS_DIR", str(tmp_path_factory.mktemp("no-user-actors")))
        return Registry.default()


@pytest.fixture(scope="module")
def resolver(registry) -> Resolver:
    return Resolver(registry)


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, tmp_path):
    """An empty store of each backend: the embedded SQLite file and the real Neo4j server."""
    if request.param == "sqlite":
        from graphkit.store.sqlite import SqliteStore

        s = SqliteStore(f"sqlite:///{tmp_path / 'g.db'}")
    else:
        request.getfixturevalue("neo4j_driver")  # empties the database
        from graphkit.store.neo4j import Neo4jStore

        s = Neo4jStore(request.getfixturevalue("neo4j_uri"))
        s.ensure_schema()
    yield s
    s.close()
