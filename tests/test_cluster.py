"""Extraction on a Dask LocalCluster gives the same statements as one process, byte for byte."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.cli.main import cli
from graphkit.errors import GraphkitError
from graphkit.extract.cluster import local_workers

GRAPHKIT = str(Path(sys.executable).with_name("graphkit"))


def _replicated(path: Path, n: int) -> Path:
    """The sample articles as n distinct records (each copy titled apart, so each is its own article)."""
    from graphkit.ingest import read_paths

    articles = read_paths(["data/articles"]).articles
    with open(path, "w", encoding="utf-8") as out:
        for k in range(n):
            a = articles[k % len(articles)]
            out.write(json.dumps({"id": f"copy-{k}", "title": f"Copy {k}: {a.title or ''}", "outlet": a.outlet,
                                  "published": a.published.isoformat() if a.published else None,
                                  "text": "\n\n".join(p.text for p in a.paragraphs if p.kind == "body")}) + "\n")
    return path


@pytest.mark.slow
def test_local_cluster_equals_one_process_on_2000_articles(tmp_path):
    corpus = _replicated(tmp_path / "corpus.jsonl", 2000)
    one = subprocess.run([GRAPHKIT, "extract", str(corpus), "--workers", "1"], capture_output=True, check=True)
    two = subprocess.run([GRAPHKIT, "extract", str(corpus), "--cluster", "local:2"], capture_output=True, check=True)
    assert len(one.stdout.splitlines()) > 10_000
    assert two.stdout == one.stdout
    assert b"Traceback" not in two.stderr and b"INFO" not in two.stderr


def test_load_on_a_cluster_stores_what_extract_gives(tmp_path):
    corpus = _replicated(tmp_path / "corpus.jsonl", 20)
    extracted = subprocess.run([GRAPHKIT, "extract", str(corpus)], capture_output=True, check=True).stdout
    ids = {json.loads(line)["id"] for line in extracted.splitlines()}
    db = tmp_path / "g.db"
    subprocess.run([GRAPHKIT, "load", str(corpus), "--cluster", "local:2", "--store", f"sqlite:///{db}"],
                   capture_output=True, check=True)
    from graphkit.store import StatementFilter, open_store

    with open_store(f"sqlite:///{db}") as store:  # every report's row (folded ones too: copies tell one event)
        assert {s.id for s in store.statements(StatementFilter(folded=True))} == ids


@pytest.mark.parametrize("spec", ["local:0", "local:x", "local:", "local:65"])
def test_bad_local_spec_is_one_line(spec):
    with pytest.raises(GraphkitError, match="local:N"):
        local_workers(spec)
    result = CliRunner().invoke(cli, ["extract", "data/articles", "--cluster", spec])
    assert result.exit_code != 0 and "local:N" in result.output


def test_unreachable_scheduler_is_one_line():
    result = CliRunner().invoke(cli, ["extract", "data/articles", "--cluster", "tcp://127.0.0.1:9"])
    assert result.exit_code != 0 and "cannot reach the Dask scheduler" in result.output
