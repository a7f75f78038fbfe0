"""One contract, every backend: the embedded SQLite store and the real Neo4j server (the `store`
fixture, tests/conftest.py)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

import pytest

from graphkit import cypher, typology
from graphkit.errors import GraphkitError
from graphkit.model import Actor, LoadBatch, Mention
from graphkit.store import LIBRARY_QUERIES, StatementFilter
from graphkit.store.base import LIBRARY_COLUMNS
from tests.storekit import ART1, ART2, IRN, PMF, S1, S2, S3, S6, STATEMENTS, USA, dump, known_batch, st


@pytest.fixture()
def known(store):
    store.write(known_batch())
    return store


def test_double_write_is_idempotent(store):
    first = store.write(known_batch())
    assert first.added == {"articles": 2, "actors": 5, "statements": 6, "mentions": 5}
    before = dump(store)
    second = store.write(known_batch())
    assert second.added == {"articles": 0, "actors": 0, "statements": 0, "mentions": 0}
    assert second.present["statements"] == 6 and second.present["actors"] == 5
    assert dump(store) == before
    assert before["counts"] == {"articles": 2, "actors": 5, "statements": 6, "mentions": 5}


def test_incremental_add_only_adds_what_is_new(store):
    store.write(LoadBatch(articles=[ART1], actors=[USA, PMF], statements=[S1]))
    counts = store.write(LoadBatch(articles=[ART1, ART2], actors=[USA, PMF, IRN], statements=[S1, S3]))
    assert counts.added == {"articles": 1, "actors": 1, "statements": 1, "mentions": 1}
    assert counts.present["statements"] == 1
    assert [s.id for s in store.statements()] == ["s1", "s3"]


def test_statement_seen_in_new_article_merges_mentions(store):
    store.write(LoadBatch(articles=[ART1], statements=[S1]))
    again = replace(S1, article_id="art2", evidence=(Mention("art2", "US hit PMF again", 5, 25, "rule.y", 0.7),))
    counts = store.write(LoadBatch(articles=[ART2], statements=[again]))
    assert counts.added["statements"] == 0 and counts.present["statements"] == 1
    assert counts.added["mentions"] == 1
    [s1] = store.statements()
    assert s1.mentions == 2
    assert [(m.article_id, m.char_start) for m in s1.evidence] == [("art1", 0), ("art2", 5)]
    assert s1.article_id == "art1"  # first-seen properties are kept
    rows = store.run_library("dyad_timeline", {"a": "USA", "b": "IRQ.PMF"})
    assert rows[0]["article_ids"] == ["art1", "art2"] and rows[0]["mentions"] == 2
    # The same evidence again changes nothing; the same statement twice in one batch is one statement.
    store.write(LoadBatch(statements=[again, again]))
    assert next(iter(store.statements())).mentions == 2
    assert store.counts()["mentions"] == 2


def test_imported_statement_keeps_the_dataset_mention_count(store):
    # A GDELT event: NumMentions 7, one SOURCEURL (one evidence row). Its 7 must survive the store.
    gdelt = replace(S1, id="gdelt_1", dataset="gdelt", mentions=7, rule="import:gdelt1", evidence=())
    store.write(LoadBatch(articles=[ART1], statements=[gdelt]))
    assert [s.mentions for s in store.statements()] == [7]
    before = dump(store)
    store.write(LoadBatch(articles=[ART1], statements=[gdelt]))
    assert dump(store) == before and [s.mentions for s in store.statements()] == [7]
    # New evidence below the dataset's count leaves it; graphkit's own statements count evidence only.
    store.write(LoadBatch(articles=[ART2], statements=[replace(gdelt, article_id="art2")]))
    [st] = store.statements()
    assert st.mentions == 7 and len(st.evidence) == 2
    own = replace(S3, mentions=7, evidence=())
    store.write(LoadBatch(articles=[ART1, ART2], statements=[own]))
    assert {s.id: s.mentions for s in store.statements()}[own.id] == 1


def test_mixed_batch_recounts_only_what_gained_evidence(store):
    store.write(LoadBatch(articles=[ART1], statements=[S1, S2]))
    again = replace(S1, article_id="art2", evidence=(Mention("art2", "US hit PMF again", 5, 25, "rule.y", 0.7),))
    counts = store.write(LoadBatch(articles=[ART2], statements=[again, S2, S3]))
    assert counts.added == {"articles": 1, "actors": 1, "statements": 1, "mentions": 2}
    assert counts.present["statements"] == 2
    assert {s.id: s.mentions for s in store.statements()} == {"s1": 2, "s2": 1, "s3": 1}


def test_round_trip_keeps_every_field(store):
    full = replace(S1, attribution="CENTCOM", location="Al-Qaim", extra={"fatalities": 3},
                   evidence=(Mention("art1", "sentence of s1", 0, 20, "rule.x", 0.9),
                             Mention("art2", "second telling", 3, 9, "rule.z", 0.5)), mentions=2)
    bare = S6  # no date, no article, no evidence, dataset count kept
    store.write(LoadBatch(articles=[ART1, ART2], actors=[USA, PMF], statements=[full, bare]))
    got = {s.id: s for s in store.statements()}
    assert got["s1"] == full and got["s1"].extra == {"fatalities": 3}
    assert got["s6"] == bare and got["s6"].date is None and got["s6"].mentions == 5
    assert isinstance(got["s1"].date, date)
    assert store.actors(["USA"]) == [USA]
    assert [a.published for a in store.articles()] == [date(2024, 1, 21), date(2024, 2, 16)]
    assert store.articles()[0].outlet == "Reuters" and store.articles()[1].url is None
    assert [a.dateline_place for a in store.articles()] == ["BAGHDAD", None]


def test_registry_actor_replaces_provisional_but_not_the_reverse(store):
    provisional = Actor("PER.X", "x", "other", provisional=True)
    store.write(LoadBatch(actors=[provisional]))
    registry = Actor("PER.X", "Mr X", "person", "IRQ")
    store.write(LoadBatch(actors=[registry]))
    store.write(LoadBatch(actors=[provisional]))
    assert store.actors(["PER.X"]) == [registry]
    corrected = Actor("PER.X", "Mr X", "person", None, aliases=("X",))  # the registry dropped the country
    store.write(LoadBatch(actors=[corrected]))
    assert store.actors(["PER.X"]) == [corrected]


def test_filters(known):
    ids = lambda flt: [s.id for s in known.statements(flt)]  # noqa: E731
    assert ids(None) == ["s1", "s2", "s3", "s4", "s5", "s6"]  # by date, undated last
    assert ids(StatementFilter(since=date(2024, 1, 10), until=date(2024, 2, 10))) == ["s2", "s3", "s4"]
    assert ids(StatementFilter(actors=("IRN",))) == ["s3", "s4"]
    assert ids(StatementFilter(types=("ASSAULT",), modalities=("asserted",))) == ["s1", "s2"]
    assert ids(StatementFilter(datasets=("gdelt",))) == ["s6"]


def _text_as_objects(frame):
    for c in frame.columns:
        if frame[c].dtype.kind in "OT":
            frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
    return frame


def test_statement_frame_equals_the_frame_of_the_statements(known):
    """The fast path (one SQL / Cypher projection, no Statement per row) reads the same values, with
    the same dtypes, as the frame built from Statement objects; filters and column subsets too."""
    import pandas as pd

    from graphkit.analysis.frame import CORE_COLUMNS, statements_frame
    from graphkit.store.base import Store

    for flt in (None, StatementFilter(since=date(2024, 1, 10), until=date(2024, 2, 10)),
                StatementFilter(actors=("IRN",)), StatementFilter(datasets=("gdelt",))):
        expected = statements_frame(known.statements(flt))[list(CORE_COLUMNS)]
        fast = known.statement_frame(flt)
        assert type(known).statement_frame is not Store.statement_frame  # the backend's own path ran
        assert list(fast.columns) == list(CORE_COLUMNS)
        # text columns may be numpy objects or pandas' strings (missing: None or NaN); the values must agree
        fast, expected = (_text_as_objects(f.sort_values("id").reset_index(drop=True)) for f in (fast, expected))
        pd.testing.assert_frame_equal(fast, expected)
    some = known.statement_frame(columns=["target_name", "quad_class", "date"])
    assert list(some.columns) == ["target_name", "quad_class", "date"] and len(some) == 6
    assert sorted(some["target_name"]) == sorted(s.target.name for s in STATEMENTS)
    assert str(some["date"].dtype) == "datetime64[ns]" and some["date"].isna().sum() == 1
    # a column outside the fast path comes through the Statement objects, same values
    assert known.statement_frame(columns=["id", "cameo"]).sort_values("id")["cameo"].tolist() == [
        s.cameo for s in STATEMENTS]


def test_statement_frame_reads_the_report_columns_without_statement_objects(known, monkeypatch):
    """The columns `graphkit report` reads beyond the core ones (rule, kinds, casualty bounds, place,
    extra) come through the backend's own projection too, with the values of the Statement objects."""
    import json

    import pandas as pd

    from graphkit.analysis.frame import statements_frame
    from graphkit.viz.sources import REPORT_COLUMNS

    columns = [c for c in REPORT_COLUMNS if c not in ("outlet", "network_outlet")] + ["extra"]
    expected = statements_frame(known.statements())[columns].sort_values("id").reset_index(drop=True)
    monkeypatch.setattr(type(known), "statements", lambda *a, **k: pytest.fail("read Statement objects"))
    fast = known.statement_frame(None, columns).sort_values("id").reset_index(drop=True)
    assert list(fast.columns) == columns
    decoded = fast["extra"].map(lambda e: json.loads(e) if isinstance(e, str) and e else (e or {}))
    assert decoded.tolist() == expected["extra"].tolist()
    fast, expected = (_text_as_objects(f.drop(columns="extra")) for f in (fast, expected))
    pd.testing.assert_frame_equal(fast, expected)


def test_refuses_unknown_type_and_writes_nothing(store):
    bad = replace(S3, id="bad", type="ATTACK`]->() DETACH DELETE (x) //")
    with pytest.raises(GraphkitError, match="statement #7 .*not in the typology"):
        store.write(LoadBatch(articles=[ART1], actors=[USA], statements=[*STATEMENTS, bad]))
    assert store.counts() == {"articles": 0, "actors": 0, "statements": 0, "mentions": 0}
    with pytest.raises(GraphkitError, match="refusing relationship type"):
        cypher.templated("write/statements", rel_type="ASSAULT]->() DETACH DELETE (n) //")


def test_batch_failing_inside_the_transaction_leaves_nothing(store):
    # Passes validation but the backend cannot store a map as a property: it fails after
    # articles and actors were already written in the same transaction.
    poison = replace(S3, id="poison", location={"lat": 1})
    with pytest.raises(GraphkitError):
        store.write(LoadBatch(articles=[ART1, ART2], actors=[USA, IRN], statements=[S1, poison]))
    assert store.counts() == {"articles": 0, "actors": 0, "statements": 0, "mentions": 0}


# -- the query library, on the known graph (expected rows worked out by hand in tests/storekit.py) ---------

def test_library_names_and_files_agree():
    assert set(cypher.library()) == set(LIBRARY_QUERIES) == set(LIBRARY_COLUMNS)
    assert all(desc for desc in cypher.library().values())


def test_dyad_timeline(known):
    rows = known.run_library("dyad_timeline", {"a": "USA", "b": "IRQ.PMF"})
    assert [(r["statement_id"], r["source"], r["modality"]) for r in rows] == [
        ("s1", "USA", "asserted"), ("s2", "IRQ.PMF", "asserted"), ("s5", "USA", "negated")]
    assert rows[0]["date"] == date(2024, 1, 5) and rows[0]["article_ids"] == ["art1"]
    assert rows[0]["sentence"] == "sentence of s1"
    assert list(rows[0]) == list(LIBRARY_COLUMNS["dyad_timeline"])
    since = known.run_library("dyad_timeline", {"a": "IRQ.PMF", "b": "USA", "since": "2024-01-10"})
    assert [r["statement_id"] for r in since] == ["s2", "s5"]


def test_top_dyads(known):
    rows = known.run_library("top_dyads", {"order": "hostile"})
    assert [(r["source"], r["target"], r["goldstein_sum"], r["statements"], r["conflict"]) for r in rows] == [
        ("IRQ.PMF", "USA", -10.0, 1, 1), ("USA", "IRQ.PMF", -10.0, 1, 1), ("USA", "IRN", -4.4, 1, 1)]
    assert rows[1]["source_name"] == "United States" and rows[1]["goldstein_mean"] == -10.0
    coop = known.run_library("top_dyads", {"order": "cooperative", "limit": "5"})
    assert [(r["source"], r["target"], r["goldstein_sum"], r["cooperation"]) for r in coop] == [
        ("IRN", "IRQ.PMF", 3.0, 1), ("IRQGOV", "USA", 1.0, 1)]
    assert len(known.run_library("top_dyads", {"order": "hostile", "limit": 2})) == 2
    window = known.run_library("top_dyads", {"since": "2024-02-01", "until": "2024-02-28"})
    assert [(r["source"], r["target"]) for r in window] == [("USA", "IRN")]  # s5 is negated


def test_ego_network(known):
    one = known.run_library("ego_network", {"actor": "USA"})
    assert [(r["source"], r["type"], r["target"], r["statements"]) for r in one] == [
        ("IRQ.PMF", "ASSAULT", "USA", 1), ("IRQGOV", "CONSULT", "USA", 1),
        ("USA", "ASSAULT", "IRQ.PMF", 1), ("USA", "THREATEN", "IRN", 1)]
    two = known.run_library("ego_network", {"actor": "USA", "hops": "2"})
    assert len(two) == 5 and ("IRN", "SUPPORT", "IRQ.PMF") in {(r["source"], r["type"], r["target"]) for r in two}
    assert known.run_library("ego_network", {"actor": "PER.IRQ.SUDANI", "hops": 3}) == []


def test_ego_network_walks_up_to_five_hops_along_a_chain(store):
    chain = [Actor(f"C{i}", f"Chain {i}", "state", "XXX") for i in range(7)]  # C0 - C1 - ... - C6
    store.write(LoadBatch(actors=chain, statements=[
        st(f"c{i}", chain[i], "CONSULT", chain[i + 1], date(2024, 3, 1 + i), 1, 1.0) for i in range(6)]))
    edges = lambda hops: [r["source"] for r in store.run_library(  # noqa: E731
        "ego_network", {"actor": "C0", "hops": hops})]
    assert [sorted(edges(h)) for h in range(1, 6)] == [
        ["C0"], ["C0", "C1"], ["C0", "C1", "C2"], ["C0", "C1", "C2", "C3"], ["C0", "C1", "C2", "C3", "C4"]]
    with pytest.raises(GraphkitError, match="hops must be 1 to 5"):
        store.run_library("ego_network", {"actor": "C0", "hops": 6})


def test_article_statements(known):
    rows = known.run_library("article_statements", {"article": "art2"})
    assert [(r["statement_id"], r["char_start"], r["char_end"], r["type"]) for r in rows] == [
        ("s3", 0, 10, "THREATEN"), ("s4", 20, 40, "SUPPORT"), ("s5", 50, 70, "ASSAULT")]
    assert rows[0]["sentence"] == "sentence of s3" and rows[0]["confidence"] == 0.9
    assert known.run_library("article_statements", {"article": "nope"}) == []


def test_monthly_dyad(known):
    rows = known.run_library("monthly_dyad", {"a": "IRQ.PMF", "b": "USA"})
    assert rows == [{"month": "2024-01", "statements": 2, "conflict": 2, "cooperation": 0,
                     "goldstein_sum": -20.0, "goldstein_mean": -10.0}]


def test_actor_degree(known):
    rows = known.run_library("actor_degree", {"limit": 10})
    assert [(r["actor"], r["statements"], r["conflict"], r["cooperation"], r["weighted_degree"], r["goldstein_sum"])
            for r in rows] == [
        ("USA", 4, 3, 1, 25.4, -23.4), ("IRQ.PMF", 3, 2, 1, 23.0, -17.0), ("IRN", 2, 1, 1, 7.4, -1.4),
        ("IRQGOV", 1, 0, 1, 1.0, 1.0)]
    assert rows[0]["kind"] == "state" and rows[1]["name"] == "Popular Mobilization Forces"


def test_library_parameters_are_checked(known):
    with pytest.raises(GraphkitError, match="'a' is required"):
        known.run_library("dyad_timeline", {"b": "USA"})
    with pytest.raises(GraphkitError, match="not a valid date"):
        known.run_library("top_dyads", {"since": "last week"})
    with pytest.raises(GraphkitError, match="unknown parameter"):
        known.run_library("actor_degree", {"limt": 3})
    with pytest.raises(GraphkitError, match="unknown library query"):
        known.run_library("drop_everything", {})


def test_every_statement_type_has_a_uniqueness_constraint():
    schema = cypher.load("schema")
    for name in typology.types():
        assert f"FOR ()-[r:{name}]-() REQUIRE r.id IS UNIQUE" in schema



@pytest.mark.neo4j
def test_neo4j_graph_shape(neo4j_driver, neo4j_uri):
    from graphkit.store.neo4j import Neo4jStore

    with Neo4jStore(neo4j_uri) as store:
        store.write(LoadBatch(statements=[S1]))  # the article arrives after its mention
        store.write(known_batch())
    q = lambda text: [r.data() for r in neo4j_driver.execute_query(text).records]  # noqa: E731
    assert q("MATCH (m:Mention)-[:IN]->(a:Article) WHERE m.statement_id = 's1' RETURN a.id AS a") == [{"a": "art1"}]
    assert q("MATCH (:Mention)-[i:IN]->() RETURN count(i) AS n") == [{"n": 5}]
    assert q("MATCH (p:Person)-[h:HOLDS]->(o:Government) RETURN p.id AS p, h.role AS role, toString(h.from) AS f, "
             "o.id AS o") == [{"p": "PER.IRQ.SUDANI", "role": "Prime Minister", "f": "2022-10-27", "o": "IRQGOV"}]
    assert q("MATCH (a:ArmedGroup)-[:PART_OF]->(g:Government) RETURN a.id AS a, g.id AS g") == [
        {"a": "IRQ.PMF", "g": "IRQGOV"}]
    # Provenance from the relationship, by id, in one hop.
    assert q("MATCH ()-[r:ASSAULT {id: 's1'}]->() MATCH (m:Mention)-[:IN]->(a:Article) WHERE m.id IN r.mention_ids "
             "RETURN a.title AS title, m.sentence AS sentence") == [
        {"title": "US strikes PMF", "sentence": "sentence of s1"}]


@pytest.mark.neo4j
def test_neo4j_kind_label_follows_the_stored_kind(neo4j_driver, neo4j_uri):
    from graphkit.store.neo4j import Neo4jStore

    labels = lambda: neo4j_driver.execute_query(  # noqa: E731
        "MATCH (a:Actor {id: 'PER.X'}) RETURN labels(a) AS l").records[0]["l"]
    with Neo4jStore(neo4j_uri) as store:
        store.write(LoadBatch(actors=[Actor("PER.X", "x", "militia", provisional=True)]))
        assert sorted(labels()) == ["Actor", "ArmedGroup"]
        store.write(LoadBatch(actors=[Actor("PER.X", "Mr X", "person", "IRQ")]))  # the registry corrects the kind
        assert sorted(labels()) == ["Actor", "Person"]
        store.write(LoadBatch(actors=[Actor("PER.X", "x", "militia", provisional=True)]))  # never overwrites
        assert sorted(labels()) == ["Actor", "Person"]


def test_party_spans_and_record_id_round_trip(store):
    """Where each party is named and the input record's id survive a load, in the statement's own
    telling and in further evidence, on every backend."""
    told = Mention("a1", "US forces struck the PMF.", 0, 25, "rule.x", 0.9, record_id="acled-17",
                   source_text="US forces", source_start=0, source_end=9, target_text="the PMF", target_start=18,
                   target_end=25)
    again = Mention("a2", "The PMF was hit by the US.", 0, 26, "rule.y", 0.8, attribution="CENTCOM",
                    source_text="the US", source_start=19, source_end=25, target_text="The PMF", target_start=0,
                    target_end=7)
    s = replace(st("sx", USA, "ASSAULT", PMF, date(2024, 1, 2), 4, -10.0, article="a1"), evidence=(told, again),
                record_id="acled-17", source_text="US forces", source_start=0, source_end=9,
                target_text="the PMF", target_start=18, target_end=25, sentence=told.sentence,
                char_start=0, char_end=25, rule="rule.x", confidence=0.9)
    store.write(LoadBatch(actors=[USA, PMF], statements=[s]))
    (back,) = list(store.statements())
    assert (back.record_id, back.source_text, back.source_start, back.target_text, back.target_end) == \
        ("acled-17", "US forces", 0, "the PMF", 25)
    assert set(back.evidence) == {told, again}


def test_one_event_told_by_several_articles_is_one_statement_whatever_the_order(store):
    """Three reports of one strike (same id): a claim with an exact count, an asserted telling with a
    lower bound and a place, a third with neither. Every load order gives the same statement: the
    strongest modality and its telling lead, the largest count (exact before a bound of the same
    number), the place told, every report as evidence; loading again adds nothing."""
    claim = st("ev", USA, "ASSAULT", PMF, date(2024, 1, 5), 4, -10.0, modality="claimed", article="art2",
               span=(0, 20), attribution="CENTCOM", killed=5)
    told = st("ev", USA, "ASSAULT", PMF, date(2024, 1, 5), 4, -10.0, article="art3", span=(40, 60),
              location="Kirkuk", killed=5, killed_at_least=True, injured=3)
    third = st("ev", USA, "ASSAULT", PMF, date(2024, 1, 5), 4, -10.0, modality="claimed", article="art1",
               span=(7, 9))
    dumps = []
    for order in itertools.permutations((claim, told, third)):
        for st_ in order:
            store.write(LoadBatch(articles=[ART1, ART2], statements=[st_]))
        again = store.write(LoadBatch(statements=list(order)))
        assert again.added["statements"] == 0 and again.added["mentions"] == 0
        dumps.append(dump(store))
        (one,) = store.statements()
        assert (one.modality, one.article_id, one.char_start, one.attribution) == ("asserted", "art3", 40, None)
        assert (one.location, one.killed, one.killed_at_least, one.injured) == ("Kirkuk", 5, False, 3)
        assert one.mentions == 3 and sorted(m.article_id for m in one.evidence) == ["art1", "art2", "art3"]
        _empty(store)
    assert all(d == dumps[0] for d in dumps)


def _empty(store) -> None:
    if hasattr(store, "conn"):
        for table in ("statements", "mentions", "articles", "actors"):
            store.conn.execute(f"DELETE FROM {table}")
    else:
        store.run_cypher("MATCH (n) DETACH DELETE n", write=True)
