"""Every capability is in the Store contract with a default (write_async, run_cypher, bulk,
initial_import), and nothing outside graphkit/store/ probes a store with getattr or reads its URI."""

from __future__ import annotations

import re
from concurrent.futures import Future
from pathlib import Path

import pytest

from graphkit.errors import NotSupported
from graphkit.store import Store
from tests.storekit import known_batch

PACKAGE = Path(__file__).resolve().parents[1] / "graphkit"


def test_write_async_gives_the_counts_write_would(store):
    future = store.write_async(known_batch())
    assert isinstance(future, Future)
    counts = future.result()
    assert counts.added == {"articles": 2, "actors": 5, "statements": 6, "mentions": 5}
    assert store.write_async(known_batch()).result().added["statements"] == 0  # idempotent as write


def test_run_cypher_is_neo4j_only(store):
    if type(store).run_cypher is Store.run_cypher:
        with pytest.raises(NotSupported, match=r"--cypher needs a Neo4j store"):
            store.run_cypher("RETURN 1 AS n")
    else:
        assert store.run_cypher("RETURN 1 AS n") == [{"n": 1}]


def test_default_write_async_raises_at_once_as_write_does(tmp_path):
    from graphkit.store.prepare import BatchError
    from graphkit.store.sqlite import SqliteStore

    batch = known_batch()
    batch.statements[0] = type(batch.statements[0])(**{**{f: getattr(batch.statements[0], f) for f in
                                                           batch.statements[0].__dataclass_fields__},
                                                        "type": "NOT_A_TYPE"})
    with SqliteStore(f"sqlite:///{tmp_path / 'g.db'}") as st, pytest.raises(BatchError):
        st.write_async(batch)


def test_embedded_store_refuses_bulk_import_in_one_line(tmp_path):
    from graphkit.store.sqlite import SqliteStore

    with SqliteStore(f"sqlite:///{tmp_path / 'g.db'}") as st, pytest.raises(NotSupported, match="--bulk is for Neo4j"):
        st.initial_import(folder=str(tmp_path))


_PROBE = re.compile(r"\b(?:getattr|hasattr)\(\s*(?:self\.)?_?(?:store|sink)\b")
_URI_TEST = re.compile(r"""\.startswith\(\(?\s*["'](?:sqlite|bolt|neo4j)""")


def test_no_capability_probing_outside_the_store_package():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.parent.name == "store":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _PROBE.search(line) or _URI_TEST.search(line):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
