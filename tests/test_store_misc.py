"""Store URIs, credentials in messages, and Cypher templates."""

from __future__ import annotations

from dataclasses import replace

import pytest

from graphkit import cypher
from graphkit.errors import GraphkitError, StoreError
from graphkit.store import open_store
from graphkit.store.prepare import MENTION_COLUMNS, STATEMENT_COLUMNS
from graphkit.store.sqlite import _path


@pytest.mark.parametrize(("uri", "path"), [
    ("sqlite:///graphkit.db", "graphkit.db"), ("sqlite:////tmp/x/g.db", "/tmp/x/g.db"),
    ("sqlite:///:memory:", ":memory:"), ("sqlite://rel/g.db", "rel/g.db")])
def test_sqlite_paths(uri, path):
    assert _path(uri) == path


def test_unreachable_neo4j_is_one_line_without_the_password(monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-pw")
    with pytest.raises(StoreError) as err:
        open_store("bolt://127.0.0.1:1")
    assert str(err.value) == "cannot reach Neo4j at bolt://127.0.0.1:1 (is it running? `graphkit neo4j start`)"
    assert err.value.exit_code == 4
    with pytest.raises(StoreError) as err:
        open_store("bolt://neo4j:s3cret-pw@127.0.0.1:1")
    assert str(err.value) == ("bolt://neo4j:***@127.0.0.1:1: put credentials in NEO4J_USER / NEO4J_PASSWORD, "
                              "not in the URI")


def test_templates_take_only_checked_names():
    text = cypher.templated("write/statements", rel_type="ASSAULT")
    assert "[r:ASSAULT {id: row[0]}]" in text and "$$TYPE$$" not in text
    assert ":ArmedGroup" in cypher.templated("write/actor_labels", label="ArmedGroup")
    with pytest.raises(GraphkitError, match="refusing label"):
        cypher.templated("write/actor_labels", label="Actor) DETACH DELETE (a")
    with pytest.raises(GraphkitError, match="needs a value"):
        cypher.templated("write/statements")
    with pytest.raises(GraphkitError, match="no \\$\\$TYPE\\$\\$ placeholder"):
        cypher.templated("write/roles", rel_type="HOLDS")


@pytest.mark.parametrize(("name", "columns"), [
    ("write/statements", (*STATEMENT_COLUMNS, "mention_ids", "article_ids")), ("write/mentions", MENTION_COLUMNS),
    ("write/statement_stored", STATEMENT_COLUMNS), ("write/statement_merge", STATEMENT_COLUMNS)])
def test_positional_write_queries_document_the_prepared_row_order(name, columns):
    """The Neo4j writers send prepare()'s rows as lists: the query's column header must be their order."""
    header = [line for line in cypher.load(name).splitlines() if line.startswith("// columns:")]
    assert len(header) == 1
    assert tuple(c.strip() for c in header[0].removeprefix("// columns:").split(",")) == columns


def test_sqlite_bulk_load_rebuilds_its_indexes(tmp_path):
    from graphkit.store.sqlite import _SECONDARY_INDEXES, SqliteStore
    from tests.storekit import dump, known_batch

    def indexes(store):
        return {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}

    with SqliteStore(f"sqlite:///{tmp_path / 'bulk.db'}") as bulk, \
            SqliteStore(f"sqlite:///{tmp_path / 'plain.db'}") as plain:
        with bulk.bulk():
            assert not indexes(bulk) & set(_SECONDARY_INDEXES)  # deferred during the load
            bulk.write(known_batch())
        plain.write(known_batch())
        assert set(_SECONDARY_INDEXES) <= indexes(bulk)
        assert dump(bulk) == dump(plain)


def test_sqlite_bulk_load_counts_retold_statements_at_its_end(tmp_path):
    """Statements told again by a later batch of a bulk load are recounted once the indexes are back
    (not one scan of the evidence per statement during the load), to the counts a plain load gives."""
    from dataclasses import replace

    from graphkit.model import LoadBatch, Mention
    from graphkit.store.sqlite import SqliteStore
    from tests.storekit import S1, S2, dump, known_batch

    retold = [replace(s, article_id=f"art{9 + i}", sentence="told again", char_start=5, char_end=15,
                      evidence=(Mention(f"art{9 + i}", "told again", 5, 15, "rule.y", 0.7),))
              for i, s in enumerate((S1, S2, S1))]
    with SqliteStore(f"sqlite:///{tmp_path / 'bulk.db'}") as bulk, \
            SqliteStore(f"sqlite:///{tmp_path / 'plain.db'}") as plain:
        with bulk.bulk():
            bulk.write(known_batch())
            for st in retold:
                bulk.write(LoadBatch(statements=[st]))
        plain.write(known_batch())
        for st in retold:
            plain.write(LoadBatch(statements=[st]))
        assert dump(bulk) == dump(plain)
        counts = dict(bulk.conn.execute("SELECT id, mentions FROM statements WHERE id IN (?, ?)", (S1.id, S2.id)))
        assert counts == {S1.id: 3, S2.id: 2}


def test_sqlite_keeps_a_statements_own_telling_in_its_row_and_other_evidence_in_mentions(tmp_path):
    from dataclasses import replace

    from graphkit.model import LoadBatch, Mention
    from graphkit.store.sqlite import SqliteStore
    from tests.storekit import S1, dump, known_batch

    store = SqliteStore(f"sqlite:///{tmp_path / 'g.db'}")
    store.write(known_batch())
    rows = lambda sql: store.conn.execute(sql).fetchall()  # noqa: E731
    # s1..s5 carry one mention equal to their own provenance; s6 has no article, so no evidence at all.
    assert rows("SELECT count(*) FROM mentions") == [(0,)]
    assert rows("SELECT count(*) FROM statements WHERE own_mention IS NOT NULL") == [(5,)]
    again = replace(S1, article_id="art2", sentence="told again", char_start=5, char_end=15,
                    evidence=(Mention("art2", "told again", 5, 15, "rule.y", 0.7),))
    counts = store.write(LoadBatch(statements=[again]))
    assert counts.added["mentions"] == 1 and counts.present["statements"] == 1
    assert rows("SELECT statement_id, article_id, sentence FROM mentions") == [("s1", "art2", "told again")]
    s1 = next(s for s in store.statements() if s.id == "s1")
    assert [(m.article_id, m.sentence) for m in s1.evidence] == [("art1", "sentence of s1"), ("art2", "told again")]
    assert s1.mentions == 2 and s1.sentence == "sentence of s1"
    before = dump(store)
    store.write(known_batch())
    store.write(LoadBatch(statements=[again]))
    assert dump(store) == before


def test_sqlite_opens_a_store_written_before_own_mention(tmp_path):
    """A file from before own_mention and the telling columns (record id, party spans) gains them on open."""
    import sqlite3

    from graphkit.store.sqlite import _LATER_DDL, SCHEMA, SqliteStore
    from tests.storekit import dump, known_batch

    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    assert f", {_LATER_DDL}" in SCHEMA
    old.executescript(SCHEMA.replace(f", {_LATER_DDL}", "").replace(", own_mention TEXT", "").replace(
        "CREATE INDEX IF NOT EXISTS statements_article ON statements (article_id) WHERE own_mention IS NOT NULL;", ""))
    old.execute("INSERT INTO actors VALUES ('USA', 'United States', 'state', 'USA', NULL, '[]', 0)")
    old.commit()
    old.close()
    store = SqliteStore(f"sqlite:///{path}")
    store.write(known_batch())
    fresh = SqliteStore(f"sqlite:///{tmp_path / 'new.db'}")
    fresh.write(known_batch())
    assert dump(store) == dump(fresh)
    batch = known_batch()
    batch.statements[0] = replace(batch.statements[0], id="s_new", record_id="doc-1", source_text="US", source_start=0,
                                  source_end=2)
    for s in (store, fresh):
        s.write(batch)
    assert dump(store) == dump(fresh)
    assert next(s for s in store.statements() if s.id == batch.statements[0].id).record_id == "doc-1"




def test_sqlite_opens_a_store_written_before_event_ranges_casualties_and_speakers(tmp_path):
    import sqlite3

    from graphkit.store.sqlite import SCHEMA, SqliteStore
    from tests.storekit import dump, known_batch

    old_schema = SCHEMA.replace(", date_end TEXT, killed INTEGER,\n  killed_at_least INTEGER NOT NULL DEFAULT 0, "
                                "injured INTEGER, injured_at_least INTEGER NOT NULL DEFAULT 0", "")
    old_schema = old_schema.replace(", confidence REAL, attribution TEXT)", ", confidence REAL)")
    assert "killed" not in old_schema and "attribution TEXT)" not in old_schema
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript(old_schema)
    old.commit()
    old.close()
    store = SqliteStore(f"sqlite:///{path}")
    batch = known_batch()
    batch.statements[0] = replace(batch.statements[0], killed=5, killed_at_least=True)
    store.write(batch)
    fresh = SqliteStore(f"sqlite:///{tmp_path / 'new.db'}")
    fresh.write(batch)
    assert dump(store) == dump(fresh)
    assert any(s.killed == 5 and s.killed_at_least for s in store.statements())
