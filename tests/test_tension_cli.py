"""`graphkit tension series|trend|alerts|compare`, the deprecated flag form, the store's fast frame,
and the series of Parquet shards aggregated by DuckDB against the pandas engine."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.cli.main import cli
from graphkit.serialize import statement_to_dict
from graphkit.shards import read_shards


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample articles extracted once: as Parquet shards, as JSONL, and loaded into a store."""
    folder = tmp_path_factory.mktemp("tension")
    shards = folder / "shards"
    result = run("extract", "data/articles", "--shards", shards)
    assert result.exit_code == 0, result.output
    statements = [s for s in read_shards(shards) if not isinstance(s, Exception)]
    assert len(statements) > 50
    jsonl = folder / "statements.jsonl"
    jsonl.write_text("".join(json.dumps(statement_to_dict(s)) + "\n" for s in statements), encoding="utf-8")
    store = f"sqlite:///{folder / 'g.db'}"
    assert run("load", shards, "--store", store).exit_code == 0
    return {"shards": shards, "jsonl": jsonl, "store": store}


SERIES_CASES = [
    [], ["--freq", "W"], ["--freq", "D", "--fill", "none"], ["--fill", "range"], ["--directed", "--weight", "mentions"],
    ["--dyad", "USA,IRQ", "--freq", "W"], ["--dyad", "United States,Iraq", "--dyad", "IRN,USA"],
    ["--since", "2024-01-10", "--until", "2024-02-20", "--freq", "W"],
    ["--include-modality", "all", "--event-dates-only"], ["--casualties", "--freq", "W"], ["--rolling", "3"],
    # other levels: the roll-up is a table DuckDB joins (each actor, country and day rolled up once)
    ["--level", "country"], ["--level", "organisation", "--directed", "--freq", "W"],
    ["--level", "country", "--dyad", "USA,IRQ", "--freq", "W", "--since", "2024-01-01"],
]


@pytest.mark.parametrize("args", SERIES_CASES, ids=lambda a: " ".join(a) or "default")
def test_duckdb_over_shards_equals_the_pandas_path_exactly(sample, args):
    """Issue 21: the series DuckDB aggregates from the shards is byte for byte the pandas engine's,
    from the same shards and from the same statements as JSONL (and as JSON as well as CSV)."""
    for fmt in ("csv", "json"):
        duck = run("tension", "series", "--from", sample["shards"], "--engine", "duckdb", "--format", fmt, *args)
        pandas_shards = run("tension", "series", "--from", sample["shards"], "--engine", "pandas", "--format", fmt,
                            *args)
        pandas_jsonl = run("tension", "series", "--from", sample["jsonl"], "--format", fmt, *args)
        assert duck.exit_code == 0, duck.output
        assert duck.stdout == pandas_shards.stdout == pandas_jsonl.stdout
    rows = list(csv.DictReader(io.StringIO(duck.stdout))) if fmt == "csv" else json.loads(duck.stdout)
    assert rows, args


def test_auto_engine_uses_duckdb_for_shards_and_trend_agrees(sample):
    auto = run("tension", "trend", "--from", sample["shards"], "--format", "json")
    pandas = run("tension", "trend", "--from", sample["shards"], "--engine", "pandas", "--format", "json")
    assert auto.exit_code == 0 and json.loads(auto.stdout) == json.loads(pandas.stdout)
    # DuckDB reads shards only, at actor level
    bad = run("tension", "series", "--from", sample["jsonl"], "--engine", "duckdb")
    assert bad.exit_code == 2 and "--engine" in bad.stderr and "Traceback" not in bad.output
    # other levels from shards: DuckDB too, by itself
    level = run("tension", "trend", "--from", sample["shards"], "--level", "organisation", "--format", "json")
    pandas = run("tension", "trend", "--from", sample["shards"], "--level", "organisation", "--engine", "pandas",
                 "--format", "json")
    assert level.exit_code == 0 and json.loads(level.stdout) == json.loads(pandas.stdout)


@pytest.fixture(scope="module")
def two_sources(sample, tmp_path_factory):
    """The sample statements told by two datasets (the second a shifted copy), as shards and as JSONL."""
    from dataclasses import replace

    from graphkit.shards import write_shards

    statements = [s for s in read_shards(sample["shards"]) if not isinstance(s, Exception)]
    other = [replace(s, id=s.id + "g", dataset="gdelt", goldstein=(s.goldstein or 0) - 1.0,
                     date=s.date and s.date.replace(day=min(s.date.day + 3, 28))) for s in statements]
    folder = tmp_path_factory.mktemp("two-sources")
    write_shards([*statements, *other], folder / "shards", rows_per_file=60)
    jsonl = folder / "merged.jsonl"
    jsonl.write_text("".join(json.dumps(statement_to_dict(s)) + "\n" for s in [*statements, *other]),
                     encoding="utf-8")
    return folder / "shards", jsonl


@pytest.mark.parametrize("args", [["--dyad", "USA,IRQ", "--level", "country"],
                                  ["--dyad", "United States,Iraq", "--level", "country", "--freq", "W"],
                                  ["--dyad", "Hezbollah,ISRMIL", "--directed", "--freq", "W"]],
                         ids=lambda a: " ".join(a))
def test_compare_from_shards_reads_only_the_dyad_and_equals_the_pandas_path(two_sources, args, monkeypatch):
    from graphkit.analysis import parquet

    shards, jsonl = two_sources
    read = []

    def spy(*a, **kw):
        rows, names, dyads = real(*a, **kw)
        read.append(len(rows))
        return rows, names, dyads

    real = parquet.shard_dyad_rows
    monkeypatch.setattr(parquet, "shard_dyad_rows", spy)
    duck = run("tension", "compare", "--from", shards, "--format", "csv", *args)
    assert read and 0 < read[0] < 100  # DuckDB handed over the dyad's statements only (of 222)
    pandas = run("tension", "compare", "--from", jsonl, "--format", "csv", *args)
    assert duck.exit_code == 0, duck.output
    assert duck.stdout == pandas.stdout and duck.stderr == pandas.stderr
    assert "gdelt" in duck.stdout and "graphkit" in duck.stdout


def test_a_folder_without_shards_is_one_line(tmp_path):
    result = run("tension", "series", "--from", tmp_path)
    assert result.exit_code == 2 and "Parquet" in result.stderr and "Traceback" not in result.output


def test_store_series_equals_the_jsonl_series(sample):
    """The store's fast frame (one SELECT of the columns) gives the rows the Statement objects give."""
    for args in ([], ["--freq", "W", "--fill", "none"], ["--level", "organisation"]):
        store = run("tension", "series", "--store", sample["store"], "--format", "csv", *args)
        jsonl = run("tension", "series", "--from", sample["jsonl"], "--format", "csv", *args)
        assert store.exit_code == 0, store.output
        assert store.stdout == jsonl.stdout, args


def test_every_subcommand_runs_and_says_nothing_about_deprecation(sample):
    for args in (["series"], ["trend", "--metric", "q4"], ["alerts", "--freq", "M"], ["compare", "--dyad", "USA,IRQ"]):
        result = run("tension", *args, "--store", sample["store"], "--format", "json")
        assert result.exit_code == 0, (args, result.output)
        assert "deprecated" not in result.stderr
        json.loads(result.stdout)
    # each subcommand has only its own options
    wrong = run("tension", "series", "--top", "3", "--store", sample["store"])
    assert wrong.exit_code == 2 and "--top" in wrong.stderr
    helped = run("tension", "--help")
    assert helped.exit_code == 0 and all(f"graphkit tension {c}" in helped.stdout
                                         for c in ("series", "trend", "alerts", "compare"))
    assert "legacy" not in helped.stdout


@pytest.mark.parametrize(("old", "new"), [
    ([], ["series"]),
    (["--freq", "W", "--dyad", "USA,IRQ"], ["series", "--freq", "W", "--dyad", "USA,IRQ"]),
    (["--trend", "--freq", "W"], ["trend", "--freq", "W"]),
    (["--alerts", "--freq", "M", "--top", "3"], ["alerts", "--freq", "M", "--top", "3"]),
    (["--compare-sources", "--dyad", "USA,IRQ"], ["compare", "--dyad", "USA,IRQ"]),
])
def test_the_flag_form_still_works_with_a_deprecation_note(sample, old, new):
    before = run("tension", *old, "--store", sample["store"], "--format", "json")
    after = run("tension", *new, "--store", sample["store"], "--format", "json")
    assert before.exit_code == after.exit_code == 0, before.output
    assert before.stdout == after.stdout
    note = [line for line in before.stderr.splitlines() if "deprecated" in line]
    assert len(note) == 1 and f"graphkit tension {new[0]}" in note[0]


def test_dates_are_checked_by_the_shared_type(sample):
    for args in (["--since", "2024-13-01"], ["--until", "soon"]):
        result = run("tension", "series", "--store", sample["store"], *args)
        assert result.exit_code == 2 and "is not a date" in result.stderr and args[0] in result.stderr
    late = run("tension", "series", "--store", sample["store"], "--since", "2024-03-01", "--until", "2024-01-01")
    assert late.exit_code == 2 and "is after --until" in late.stderr


def test_csv_keeps_the_columns_and_cells_of_the_row_writer(sample):
    """The vectorised writer gives the cells emit_rows wrote: empty for a missing mean, ISO periods,
    floats as Python prints them, the dyad label last."""
    out = run("tension", "series", "--store", sample["store"], "--format", "csv", "--freq", "W").stdout
    header, *lines = out.splitlines()
    assert header.split(",")[:5] == ["source", "source_name", "target", "target_name", "period"]
    assert header.endswith(",dyad")
    rows = list(csv.DictReader(io.StringIO(out)))
    quiet = [r for r in rows if r["statements"] == "0"]
    assert quiet and all(r["goldstein_mean"] == "" and r["events"] == "0.0" for r in quiet)
    assert all(len(r["period"]) == 10 and r["period"][4] == "-" for r in rows)
    assert all("\u2013" in r["dyad"] for r in rows)


def test_readme_tension_examples_use_subcommands():
    root = Path(__file__).resolve().parent.parent
    text = (root / "README.md").read_text(encoding="utf-8") + (root / "docs" / "analysis.md").read_text(encoding="utf-8")
    examples = [line for line in text.splitlines() if "graphkit tension " in line and "`graphkit tension" not in line]
    assert examples
    assert all(any(f"graphkit tension {c}" in line for c in ("series", "trend", "alerts", "compare"))
               for line in examples), examples


def test_a_long_table_shows_its_head_and_says_so(sample, monkeypatch):
    import graphkit.cli.analysis as analysis

    monkeypatch.setattr(analysis, "TABLE_ROWS", 5)
    table = run("tension", "series", "--store", sample["store"], "--columns", "dyad,period")
    full = run("tension", "series", "--store", sample["store"], "--format", "csv")
    total = len(full.stdout.splitlines()) - 1
    assert table.exit_code == 0 and f"showing the first 5 of {total:,} rows" in table.stderr
    assert len([line for line in table.stdout.splitlines() if "\u2013" in line]) == 5


ALERT_CASES = [[], ["--freq", "M"], ["--freq", "D"], ["--level", "country"], ["--level", "organisation", "--directed"],
               ["--metric", "material", "--directed"], ["--metric", "goldstein", "--weight", "mentions"],
               ["--since", "2024-01-15", "--until", "2024-02-20"], ["--dyad", "USA,IRQ", "--level", "country"],
               ["--include-modality", "all", "--top", "2"],
               # the CUSUM: DuckDB aggregates the series' cells, zero-filled in memory
               ["--detector", "cusum"], ["--detector", "cusum", "--metric", "goldstein", "--weight", "mentions"],
               ["--detector", "cusum", "--level", "country", "--freq", "M", "--since", "2024-01-01"]]


@pytest.mark.parametrize("args", ALERT_CASES, ids=lambda a: " ".join(a) or "default")
def test_alerts_from_shards_count_in_duckdb_and_equal_the_pandas_path(sample, args, monkeypatch):
    """Issue 21: from shards DuckDB counts the (dyad, period) cells and only they (and the alarmed runs'
    sentences) come into memory; the alerts, their evidence and the notes equal the pandas path's."""
    from graphkit.analysis import parquet

    calls = []
    real = parquet.shard_alerts
    monkeypatch.setattr(parquet, "shard_alerts", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    for fmt in ("json", "table"):
        duck = run("tension", "alerts", "--from", sample["shards"], "--format", fmt, *args)
        pandas = run("tension", "alerts", "--from", sample["jsonl"], "--format", fmt, *args)
        assert duck.exit_code == 0, duck.output
        assert (duck.stdout, duck.stderr) == (pandas.stdout, pandas.stderr)
    assert calls


def test_alerts_from_shards_find_the_sample_escalations(sample):
    result = run("tension", "alerts", "--from", sample["shards"], "--format", "json")
    alerts = json.loads(result.stdout)
    assert alerts and all(a["statement_ids"] and a["sentences"] for a in alerts)
    cusum = run("tension", "alerts", "--from", sample["shards"], "--detector", "cusum", "--metric", "goldstein",
                "--format", "json")
    assert cusum.exit_code == 0 and json.loads(cusum.stdout), cusum.output
