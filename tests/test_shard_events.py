"""DuckDB over Parquet shards counts events, not reports (issue 21 with issue 15's folding): one event told
by several articles is merged or folded as a store holds it, in `tension` and `export --from SHARDS`,
and equals the pandas path, the JSONL path and the store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.cli.main import cli
from graphkit.serialize import statement_to_dict
from graphkit.shards import read_shards, write_shards

DATA = Path(__file__).parent / "data"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def retold(tmp_path_factory):
    """The sample articles and the one-event corpora (one strike told by several articles, at a day,
    a week and undated, in a town and with no place): their reports as shards of 25 rows (an event's
    reports in several files), as JSONL, and loaded into a store."""
    folder = tmp_path_factory.mktemp("retold")
    extracted = folder / "extracted"
    result = run("extract", "data/articles", DATA / "one_event", DATA / "one_event_more", "--shards", extracted)
    assert result.exit_code == 0, result.output
    statements = [s for s in read_shards(extracted) if not isinstance(s, Exception)]
    shards = folder / "shards"
    write_shards(statements, shards, rows_per_file=25)
    jsonl = folder / "reports.jsonl"
    jsonl.write_text("".join(json.dumps(statement_to_dict(s)) + "\n" for s in statements), encoding="utf-8")
    store = f"sqlite:///{folder / 'g.db'}"
    assert run("load", shards, "--store", store).exit_code == 0
    return {"shards": shards, "jsonl": jsonl, "store": store, "reports": statements}


def test_the_view_holds_one_row_per_event_as_a_store_does(retold):
    from graphkit.analysis.parquet import shard_events_of
    from graphkit.analysis.shard_events import VIEW
    from graphkit.store import one_per_event, open_store

    events = one_per_event(retold["reports"])
    assert len(events) < len(retold["reports"])  # the corpus tells some events more than once
    with shard_events_of(retold["shards"]) as view:
        assert 0 < view.events < view.resolved_rows and not view.in_shard_order
        rows = view.con.execute(f"SELECT id, mentions, date, date_precision, killed FROM {VIEW}").fetchall()
    with open_store(retold["store"], create=False) as store:
        stored = {(s.id, s.mentions, s.date, s.date_precision, s.killed) for s in store.statements()}
    assert len(rows) == len(events) == len(stored)
    assert set(rows) == stored == {(s.id, s.mentions, s.date, s.date_precision, s.killed) for s in events}


SERIES_CASES = [[], ["--freq", "W"], ["--freq", "D", "--fill", "none", "--casualties"],
                ["--directed", "--weight", "mentions", "--freq", "W"], ["--level", "country", "--freq", "W"],
                ["--include-modality", "all", "--event-dates-only"]]


@pytest.mark.parametrize("args", SERIES_CASES, ids=lambda a: " ".join(a) or "default")
def test_series_from_shards_counts_events_as_pandas_and_the_store_do(retold, args):
    duck = run("tension", "series", "--from", retold["shards"], "--engine", "duckdb", "--format", "csv", *args)
    pandas = run("tension", "series", "--from", retold["shards"], "--engine", "pandas", "--format", "csv", *args)
    from_jsonl = run("tension", "series", "--from", retold["jsonl"], "--format", "csv", *args)
    stored = run("tension", "series", "--store", retold["store"], "--format", "csv", *args)
    assert duck.exit_code == 0, duck.output
    assert duck.stdout == pandas.stdout == from_jsonl.stdout
    # the store orders ties alike only by id; the rows are the same
    assert sorted(duck.stdout.splitlines()) == sorted(stored.stdout.splitlines())


def test_the_retold_strike_counts_once(retold):
    """The Kataib Hezbollah strike on US forces is told by several articles: one event in the week."""
    out = run("tension", "series", "--from", retold["shards"], "--dyad", "Kataib Hezbollah,USA", "--freq", "W",
              "--fill", "none", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    reports = [s for s in retold["reports"] if {s.source.id, s.target.id} == {"IRQ.KATAIB_HEZBOLLAH", "USA"}
               and s.date and s.date.isocalendar()[:2] == (2024, 1)]
    week = [r for r in rows if r["period"] == "2024-01-01"]
    assert week and int(week[0]["statements"]) < len(reports)


@pytest.mark.parametrize("args", [[], ["--freq", "M", "--metric", "material"], ["--level", "country"],
                                  ["--detector", "cusum", "--metric", "goldstein"]],
                         ids=lambda a: " ".join(a) or "default")
def test_alerts_and_compare_from_shards_equal_the_jsonl_path(retold, args):
    for command in (["alerts", *args], ["compare", "--dyad", "Kataib Hezbollah,USA", "--freq", "W"]):
        duck = run("tension", *command, "--from", retold["shards"], "--format", "json")
        from_jsonl = run("tension", *command, "--from", retold["jsonl"], "--format", "json")
        assert duck.exit_code == 0, duck.output
        assert (duck.stdout, duck.stderr) == (from_jsonl.stdout, from_jsonl.stderr)


@pytest.mark.parametrize("args", [[], ["--actor", "USA", "--since", "2024-01-01"], ["--type", "ASSAULT"]],
                         ids=lambda a: " ".join(a) or "all")
def test_export_from_shards_writes_one_row_per_event(retold, tmp_path, args):
    """DuckDB's CSV is byte for byte the in-memory export of the JSONL, and holds the store's rows."""
    streamed, in_memory, stored = tmp_path / "s.csv", tmp_path / "j.csv", tmp_path / "g.csv"
    duck = run("export", "csv", "--from", retold["shards"], "-o", streamed, *args)
    assert duck.exit_code == 0 and "from Parquet shards" in duck.stderr, duck.output
    assert run("export", "csv", "--from", retold["jsonl"], "-o", in_memory, *args).exit_code == 0
    assert run("export", "csv", "--store", retold["store"], "-o", stored, *args).exit_code == 0
    assert streamed.read_bytes() == in_memory.read_bytes()
    lines = streamed.read_text(encoding="utf-8").splitlines()
    assert sorted(lines) == sorted(stored.read_text(encoding="utf-8").splitlines())
    if not args:
        assert len(lines) - 1 < len(retold["reports"])


@pytest.mark.parametrize("part_rows", [None, 40])
def test_random_retellings_give_the_stores_events(tmp_path, monkeypatch, part_rows):
    """DuckDB's candidate search is a superset of what the store's rules touch: on many small dyads
    retold at every precision, with and without places, from several articles (seeded), the view holds
    exactly the events the in-memory store holds, fields and mention counts included; also when the
    involved rows are cut into parts by dyad, each part through its own store."""
    import random
    from datetime import date, timedelta

    from graphkit import typology
    from graphkit.analysis.parquet import shard_events_of
    from graphkit.analysis.shard_events import VIEW
    from graphkit.ids import statement_id
    from graphkit.model import ActorRef, Mention, Statement
    from graphkit.store import one_per_event

    rnd = random.Random(21)
    actors = [ActorRef(f"A{i}", f"Actor {i}", "militia", "IRQ") for i in range(4)]
    kinds = ["ASSAULT", "CONSULT", "COERCE", "TENSION"]  # TENSION: symmetric, either order one id
    places = [None, None, "Kirkuk", "Mosul", "Iraq"]
    statements = []
    for i in range(600):
        s, t = rnd.sample(actors, 2)
        kind = typology.get(rnd.choice(kinds))
        precision = rnd.choice(["day", "day", "day", "week", "month", "reported", "range"])
        when = date(2024, 1, 1) + timedelta(days=rnd.randrange(45))
        if precision == "week":
            when -= timedelta(days=when.weekday())
        elif precision == "month":
            when = when.replace(day=1)
        modality = rnd.choice(["asserted", "asserted", "claimed", "negated"])
        place = rnd.choice(places)
        article = f"art{rnd.randrange(60)}"
        sid = statement_id(s.id, t.id, kind.name, when, modality, symmetric=kind.symmetric, precision=precision,
                           place=place)
        start = rnd.randrange(0, 5000)
        sentence = f"Sentence {i}."
        statements.append(Statement(
            id=sid, source=s, target=t, type=kind.name, cameo=kind.cameo, quad_class=kind.quad_class,
            goldstein=kind.goldstein, date=when, date_precision=precision, modality=modality, location=place,
            place_precision={"Iraq": "country"}.get(place, "town" if place else None),
            place_country="IRQ" if place else None, article_id=article, sentence=sentence, char_start=start,
            char_end=start + len(sentence), rule="test", confidence=0.8,
            evidence=(Mention(article, sentence, start, start + len(sentence), "test", 0.8),)))
    write_shards(statements, tmp_path / "shards", rows_per_file=97)
    events = one_per_event(statements)
    assert len(statements) - len(events) > 50  # many merged or folded
    if part_rows:
        monkeypatch.setattr("graphkit.analysis.shard_events._PART_ROWS", part_rows)
    with shard_events_of(tmp_path / "shards") as view:
        rows = view.con.execute(f"SELECT id, mentions, date, date_precision, modality, location, "
                                f"len(evidence) FROM {VIEW}").fetchall()
        assert view.parts == (1 if part_rows is None else -(-view.resolved_rows // part_rows)) > 0
    assert sorted(rows) == sorted((s.id, s.mentions, s.date, s.date_precision, s.modality, s.location,
                                   len(s.evidence)) for s in events)


def test_an_id_told_with_two_dyads_keeps_its_rows_in_one_part(tmp_path, monkeypatch):
    """Parts are cut by dyad; the store merges by id. Rows of one id with two dyads (not a file
    graphkit wrote) must meet in one store: the view then still holds the store's events."""
    from datetime import date

    from graphkit.analysis.parquet import shard_events_of
    from graphkit.analysis.shard_events import VIEW
    from graphkit.model import ActorRef, Mention, Statement
    from graphkit.store import one_per_event

    def told(i: int, source: str, target: str, sid: str) -> Statement:
        return Statement(
            id=sid, source=ActorRef(source, source, "state", "IRQ"), target=ActorRef(target, target, "state", "IRQ"),
            type="ASSAULT", cameo="190", quad_class=4, goldstein=-10.0, date=date(2024, 3, i % 28 + 1),
            date_precision="day", modality="asserted", article_id=f"a{i}", sentence=f"S{i}.", char_start=0,
            char_end=3, rule="test", confidence=0.8, evidence=(Mention(f"a{i}", f"S{i}.", 0, 3, "test", 0.8),))

    statements = [told(i, f"P{i % 9}", f"Q{i % 9}", f"id{i % 30}") for i in range(90)]
    statements.append(told(90, "X", "Y", "id0"))
    write_shards(statements, tmp_path / "shards", rows_per_file=40)
    monkeypatch.setattr("graphkit.analysis.shard_events._PART_ROWS", 10)
    with shard_events_of(tmp_path / "shards") as view:
        assert view.parts == 1
        rows = view.con.execute(f"SELECT id, mentions, source.id FROM {VIEW}").fetchall()
    assert sorted(rows) == sorted((s.id, s.mentions, s.source.id) for s in one_per_event(statements))
