"""`graphkit report` reads columns (Store.statement_frame; a JSONL file through a temporary store), not a
Statement object per row: on the sample articles its page data equal what the same statements give as
objects, on both stores; the network keeps a sample of sentences per edge and the busiest edges, and
still counts every statement."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.cli.main import cli
from graphkit.loading import load
from graphkit.model import ActorRef, Statement
from graphkit.viz.map import build_map, map_from_frame
from graphkit.viz.network import build_network, build_network_frame, page_data
from graphkit.viz.report import report_data
from graphkit.viz.sources import load_report_frame, load_statements, read_jsonl

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
WHOLE = 10**9  # a sample no edge exceeds: the frame-built network keeps every sentence


@pytest.fixture(scope="module")
def sample_jsonl(tmp_path_factory, seed_path) -> Path:
    out = tmp_path_factory.mktemp("report-frame") / "statements.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(ARTICLES), str(seed_path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    out.write_text(result.stdout, encoding="utf-8")
    return out


def _page(network) -> dict:
    data = page_data(network, "t")
    data["meta"] = {k: v for k, v in data["meta"].items() if k not in ("generated", "sample")}
    return data


def _same_views(statements, actors, frame) -> None:
    assert len(frame) == len(statements) > 50
    for freq in ("W", "M"):
        assert report_data(frame, actors, freq=freq) == report_data(statements, actors, freq=freq)
    assert _page(build_network_frame(frame, actors, sample=WHOLE)) == _page(build_network(statements, actors))
    by_objects, by_columns = build_map(statements, actors), map_from_frame(frame)
    assert by_columns.points == by_objects.points and by_columns.unplaced == by_objects.unplaced
    assert by_columns.points  # the sample articles have placed events: the comparison means something


def test_report_frame_of_a_jsonl_file_equals_the_statements(sample_jsonl):
    errors: list[str] = []
    frame, _ = load_report_frame(str(sample_jsonl), None, errors=errors)
    assert errors == []
    _same_views(read_jsonl(sample_jsonl, []), [], frame)


def test_report_frame_of_a_store_equals_its_statements(store, seed_path, monkeypatch):
    load([str(ARTICLES), str(seed_path)], store)  # the articles, so the store knows their outlets
    statements, actors = load_statements(None, store.uri, errors=[])
    # the frame path reads no Statement object (the store's own projection of the columns)
    monkeypatch.setattr(type(store), "statements", lambda *a, **k: pytest.fail("read Statement objects"))
    frame, frame_actors = load_report_frame(None, store.uri, errors=[])
    assert sorted(a.id for a in frame_actors) == sorted(a.id for a in actors)
    assert frame["outlet"].notna().any()  # the articles' outlets reach the table, as with objects
    monkeypatch.undo()
    _same_views(statements, actors, frame)


def test_report_frame_reports_bad_lines_as_the_object_path_does(tmp_path, sample_jsonl):
    lines = sample_jsonl.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines[:3] + ['{"id": "x", "source": {"id": "USA"}}', "not json"] + lines[3:]) + "\n",
                   encoding="utf-8")
    by_objects: list[str] = []
    by_columns: list[str] = []
    statements = read_jsonl(bad, by_objects)
    frame, _ = load_report_frame(str(bad), None, errors=by_columns)
    assert by_columns == by_objects and len(by_columns) == 2 and f"{bad}:4" in by_columns[0]
    assert sorted(frame["id"]) == sorted(s.id for s in statements)


USA = ActorRef("USA", "United States", "state", "USA")
PMF = ActorRef("IRQ.PMF", "Popular Mobilization Forces", "militia", "IRQ")
IRN = ActorRef("IRN", "Iran", "state", "IRN")


def _busy(n: int) -> list[Statement]:
    """n USA-ASSAULT-PMF statements on n days, 2 USA-CONSULT-IRN and 1 IRN-CONSULT-PMF."""
    day = date(2024, 1, 1)
    out = [Statement(f"s{i:03d}", USA, PMF, "ASSAULT", "190", 4, -10.0, day + timedelta(days=i), "day",
                     modality="asserted" if i % 3 else "claimed", sentence=f"strike {i}", article_id=f"a{i}")
           for i in range(n)]
    out += [Statement(f"c{i}", USA, IRN, "CONSULT", "040", 1, 1.0, day + timedelta(days=i), "day", sentence=f"talk {i}")
            for i in range(2)]
    out.append(Statement("d0", IRN, PMF, "CONSULT", "040", 1, None, None, "reported", sentence="undated talk"))
    return out


def test_network_keeps_the_newest_sentences_and_counts_every_statement():
    statements = _busy(20)
    whole = page_data(build_network(statements), "t")
    from graphkit.viz.report import as_report_frame

    sampled = page_data(build_network_frame(as_report_frame(statements), sample=3), "t")
    assert sampled["edges"] == whole["edges"] and sampled["nodes"] == whole["nodes"]
    assert sampled["meta"]["statements"] == whole["meta"]["statements"] == 23
    assert sampled["meta"]["days"] == whole["meta"]["days"] and sampled["meta"]["sample"] == 3
    assault = [e["id"] for e in sampled["edges"]].index("USA|IRQ.PMF|ASSAULT")
    kept = [row[9] for row in sampled["statements"] if row[0] == assault]
    assert kept == ["s017", "s018", "s019"]  # the newest three, oldest first as on every edge
    assert len(sampled["statements"]) == 3 + 2 + 1  # the small edges keep all theirs

    def totals(data):  # what the page's filters count: statements per (edge, modality), Goldstein sums
        out: dict = {}
        for edge, _day, modality, n, gsum, gn in data["cells"]:
            key = (edge, data["modalities"][modality])
            was = out.get(key, (0, 0.0, 0))
            out[key] = (was[0] + n, round(was[1] + gsum, 6), was[2] + gn)
        return out
    assert totals(sampled) == totals(whole)


def test_network_keeps_the_busiest_edges_above_the_cap():
    from graphkit.viz.report import as_report_frame

    network = build_network_frame(as_report_frame(_busy(5)), sample=10, max_edges=2)
    assert [e.id for e in network.edges] == ["USA|IRN|CONSULT", "USA|IRQ.PMF|ASSAULT"]
    assert network.edges_total == 3 and {n.id for n in network.nodes} == {"USA", "IRN", "IRQ.PMF"}
    alone = build_network_frame(as_report_frame(_busy(5)), sample=10, max_edges=1)
    assert [e.id for e in alone.edges] == ["USA|IRQ.PMF|ASSAULT"] and {n.id for n in alone.nodes} == {"USA", "IRQ.PMF"}


def test_report_page_says_what_the_network_leaves_out(tmp_path, monkeypatch):
    import graphkit.viz.report as report

    monkeypatch.setattr(report, "NETWORK_SAMPLE", 4)
    monkeypatch.setattr(report, "NETWORK_EDGES", 2)
    index = report.write_report(_busy(12), [], tmp_path / "r").read_text(encoding="utf-8")
    assert "It draws the 2 busiest of the 3 edges." in index
    assert "It keeps the newest 4 sentences of each edge (1 edges have more" in index
    network = (tmp_path / "r" / "network.html").read_text(encoding="utf-8")
    assert "strike 11" in network and "strike 7" not in network  # only the newest 4 of 12
