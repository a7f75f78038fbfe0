"""Parquet statement shards: lossless, loadable, and a bad file is one line."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pyarrow.parquet as pq
from click.testing import CliRunner

from graphkit.cli.main import cli
from graphkit.model import Mention
from graphkit.shards import read_shards, schema, write_shards
from tests.storekit import STATEMENTS


def _run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_round_trip_is_lossless_over_part_files(tmp_path):
    rich = replace(STATEMENTS[0], extra={"fatalities": 3, "note": "x"}, record_id="r-1", source_text="US forces",
                   source_start=0, source_end=9, evidence=(Mention("a1", "s", 0, 1, "r", 0.5, record_id="r-1"),))
    statements = [rich, *STATEMENTS[1:]] * 3
    files = write_shards(statements, tmp_path / "shards", rows_per_file=4)
    assert [f.name for f in files] == [f"part-{k:05d}.parquet" for k in range(len(files))] and len(files) == 5
    back = list(read_shards(tmp_path / "shards"))
    assert back == statements
    assert back[0].extra == {"fatalities": 3, "note": "x"} and back[0].evidence[0].record_id == "r-1"
    # typed columns an analyst's tools read as they are
    table = pq.read_table(files[0])
    assert table.schema.equals(schema()) and str(table.schema.field("date").type) == "date32[day]"
    assert table.column("cameo").to_pylist()[0] == STATEMENTS[0].cameo
    assert isinstance(table.column("date").to_pylist()[0], date | None)


def test_extract_to_shards_then_load_equals_loading_the_articles(tmp_path):
    result = _run("extract", "data/articles", "--shards", str(tmp_path / "shards"))
    assert result.exit_code == 0 and "shard(s)" in result.output
    jsonl = _run("extract", "data/articles").output
    expected = {json.loads(line)["id"] for line in jsonl.splitlines() if line.startswith("{")}
    assert _run("load", str(tmp_path / "shards"), "--store", f"sqlite:///{tmp_path / 's.db'}").exit_code == 0
    from graphkit.store import open_store

    with open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
        assert {s.id for s in store.statements()} == expected
    again = _run("load", str(tmp_path / "shards"), "--store", f"sqlite:///{tmp_path / 's.db'}")
    assert "statements  added       0" in again.output  # idempotent


def test_a_broken_shard_is_skipped_with_its_name(tmp_path):
    folder = tmp_path / "shards"
    write_shards(STATEMENTS, folder)
    (folder / "part-00001.parquet").write_bytes(b"PAR1 not really")
    result = CliRunner().invoke(cli, ["load", str(folder), "--store", f"sqlite:///{tmp_path / 's.db'}"])
    assert result.exit_code == 2 and "part-00001.parquet" in result.output and "Traceback" not in result.output
    assert f"statements  added {len(STATEMENTS):>7}" in result.output
