"""The network and report as data and HTML, without a browser: aggregation, filters, escaping, CLI."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from graphkit.cli.main import cli
from graphkit.errors import GraphkitError
from graphkit.model import Actor, ActorRef, Statement
from graphkit.serialize import statement_to_dict
from graphkit.viz.network import build_network, goldstein_colour, json_for_script, network_html
from graphkit.viz.report import report_data

USA = ActorRef("USA", "United States", "state", "USA")
PMF = ActorRef("IRQ.PMF", "Popular Mobilization Forces", "militia", "IRQ")
IRN = ActorRef("IRN", "Iran", "state", "IRN")
IRQ = ActorRef("IRQGOV", "Government of Iraq", "government", "IRQ")

XSS = '<script>window.__pwned=1</script><img src=x onerror="document.title=\'pwned\'"> &amp; </script>'


def stmt(i, source, target, type_, day, goldstein=None, quad=None, sentence=None, modality="asserted"):
    return Statement(id=f"s{i}", source=source, target=target, type=type_, cameo=None, quad_class=quad,
                     goldstein=goldstein, date=day, date_precision="day" if day else "reported", modality=modality,
                     article_id=f"a{i}", sentence=sentence or f"sentence {i}", rule="test", extra={"outlet": "Reuters"})


def test_edges_aggregate_per_directed_dyad_and_type():
    data = build_network([
        stmt(1, USA, PMF, "ASSAULT", date(2024, 1, 5), -10.0, 4),
        stmt(2, USA, PMF, "ASSAULT", date(2024, 1, 2), -8.0, 4),
        stmt(3, USA, PMF, "THREATEN", date(2024, 1, 3), -4.4, 3),
        stmt(4, PMF, USA, "ASSAULT", date(2024, 1, 4), -10.0, 4),
    ])
    edges = {e.id: e for e in data.edges}
    assert set(edges) == {"USA|IRQ.PMF|ASSAULT", "USA|IRQ.PMF|THREATEN", "IRQ.PMF|USA|ASSAULT"}
    assault = edges["USA|IRQ.PMF|ASSAULT"]
    assert assault.count == 2 and assault.goldstein_sum == -18.0 and assault.goldstein_mean == -9.0
    assert [s.date for s in assault.statements] == [date(2024, 1, 2), date(2024, 1, 5)]  # dated, oldest first
    assert assault.statements[0].outlet == "Reuters" and assault.statements[0].article_id == "a2"
    degree = {n.id: n.degree for n in data.nodes}
    assert degree == {"USA": 4, "IRQ.PMF": 4}
    assert data.statement_count == 4


def test_missing_goldstein_falls_back_to_the_typology_and_registry_names_win():
    data = build_network([stmt(1, USA, IRN, "CONSULT", date(2024, 2, 1))],
                         [Actor("USA", "USA (registry name)", "state", "USA")])
    (edge,) = data.edges
    assert edge.goldstein_mean == 1.0  # CONSULT's default in data/typology.toml
    assert edge.symmetric is False and edge.quad_class == 1
    assert {n.id: n.label for n in data.nodes}["USA"] == "USA (registry name)"


def test_since_until_drop_out_of_range_and_undated_statements():
    statements = [stmt(1, USA, PMF, "ASSAULT", date(2024, 1, 1)), stmt(2, USA, PMF, "ASSAULT", date(2024, 3, 1)),
                  stmt(3, USA, PMF, "ASSAULT", None)]
    assert build_network(statements).statement_count == 3
    windowed = build_network(statements, since=date(2024, 2, 1), until=date(2024, 3, 1))
    assert [s.id for e in windowed.edges for s in e.statements] == ["s2"]


def test_focus_keeps_the_n_hop_neighbourhood():
    chain = [stmt(1, USA, PMF, "ASSAULT", date(2024, 1, 1)), stmt(2, PMF, IRN, "CONSULT", date(2024, 1, 1)),
             stmt(3, IRN, IRQ, "AID", date(2024, 1, 1))]
    assert {n.id for n in build_network(chain, focus="USA", hops=1).nodes} == {"USA", "IRQ.PMF"}
    assert {n.id for n in build_network(chain, focus="USA", hops=2).nodes} == {"USA", "IRQ.PMF", "IRN"}
    with pytest.raises(GraphkitError, match="NOPE"):
        build_network(chain, focus="NOPE")


def test_goldstein_colour_runs_red_to_green():
    assert goldstein_colour(-10) == "#d73027"
    assert goldstein_colour(10) == "#1a9850"
    assert goldstein_colour(-50) == "#d73027"  # clamped
    red, green = (int(goldstein_colour(g)[1:3], 16) for g in (-5, 5))
    assert red > green
    assert goldstein_colour(None) == "#9e9e9e"


def test_json_for_script_cannot_close_the_script_block():
    text = json_for_script({"sentence": XSS})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"sentence": XSS}


def _embedded(html: str, element_id: str) -> dict:
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S)
    assert match, element_id
    return json.loads(match.group(1))


def test_page_is_offline_and_carries_article_text_only_as_inert_json():
    html = network_html(build_network([stmt(1, USA, PMF, "ASSAULT", date(2024, 1, 1), sentence=XSS)]),
                        title="<b>t</b>")
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert "vis.Network" in html  # the library itself is inline
    assert "<script>window.__pwned" not in html
    assert "<img src=x" not in html
    assert "<title>&lt;b&gt;t&lt;/b&gt;</title>" in html
    data = _embedded(html, "gk-data")
    assert data["statements"][0][5] == XSS


def test_force_layout_is_deterministic_and_pulls_neighbours_together():
    import numpy as np

    from graphkit.viz.layout import force_layout

    # two dense clusters of 20 joined by one edge
    edges = [(a, b) for base in (0, 20) for a in range(base, base + 20) for b in range(a + 1, base + 20)]
    edges.append((0, 20))
    pos = force_layout(40, edges, scale=100.0)
    assert pos.shape == (40, 2) and np.isfinite(pos).all() and np.abs(pos).max() == pytest.approx(100.0)
    assert np.array_equal(pos, force_layout(40, edges, scale=100.0))
    inside = np.mean([np.linalg.norm(pos[a] - pos[b]) for a, b in edges[:-1]])
    across = np.mean([np.linalg.norm(pos[a] - pos[b]) for a in range(20) for b in range(20, 40)])
    assert across > 2 * inside


def test_large_pages_carry_positions():
    data = build_network([stmt(1, USA, PMF, "ASSAULT", date(2024, 1, 1)), stmt(2, PMF, IRN, "CONSULT", date(2024, 1, 2))])
    small = _embedded(network_html(data), "gk-data")
    large = _embedded(network_html(data, large=True), "gk-data")
    assert small["meta"]["large"] is False and all(n["x"] is None for n in small["nodes"])
    assert large["meta"]["large"] is True and all(isinstance(n["x"], float) for n in large["nodes"])


def _escalating_history() -> list[Statement]:
    """USA and PMF: a quiet threat every other week for 14 weeks, then twelve strikes in two weeks.
    USA-IRQGOV and PMF-IRN cooperate; IRQGOV-IRN quarrel once (a balanced two-camp system)."""
    monday = date(2024, 1, 1)
    out = [stmt(i, USA, PMF, "THREATEN", monday + timedelta(weeks=2 * i), -4.4, 3) for i in range(7)]
    out += [stmt(100 + i, PMF, USA, "ASSAULT", monday + timedelta(weeks=14, days=i), -10.0, 4,
                 sentence=XSS if i == 0 else None) for i in range(12)]
    out += [stmt(20, USA, IRQ, "AID", monday + timedelta(days=3), 7.0, 2),
            stmt(21, PMF, IRN, "AID", monday + timedelta(days=4), 7.0, 2),
            stmt(22, IRQ, IRN, "ACCUSE", monday + timedelta(days=5), -2.0, 3)]
    return out


def test_report_data_from_graphkit_analysis():
    data = report_data(_escalating_history(), [Actor("USA", "United States of America", "state", "USA")], freq="W")
    (top, *_) = data["escalations"]
    assert top["dyad"] == "Popular Mobilization Forces \u2014 United States of America"  # registry name wins
    assert top["rank"] == 1 and top["score"] > 0 and top["onset"] >= "2024-04-01"
    (alert,) = [a for a in data["alerts"] if a["dyad"] == top["dyad"]]
    assert {e["article_id"] for e in alert["evidence"]} <= {f"a{i}" for i in range(100, 112)}
    assert XSS in {e["sentence"] for e in alert["evidence"]}
    assert all(e["outlet"] == "Reuters" and e["type"] == "ASSAULT" for e in alert["evidence"])
    trend = data["trends"][0]
    assert trend["dyad"] == top["dyad"] and sum(trend["conflict"]) == 19 and sum(trend["cooperation"]) == 0
    camps = sorted(sorted(a["id"] for a in camp["members"]) for component in data["factions"]["components"]
                   for camp in component)
    # the cooperation ties rest on one statement each: only the 19-statement USA-PMF tie is signed
    assert camps == [["IRQ.PMF"], ["USA"]]
    assert all(camp["support"] == 1.0 and "(19)" in camp["decided_by"]
               for component in data["factions"]["components"] for camp in component)
    assert data["factions"]["summary"]["frustration"] == 0
    assert len(data["table"]) == 22 and data["table"][0][0] >= data["table"][-1][0]  # newest first


def test_report_data_without_dates_or_statements():
    empty = report_data([], [])
    assert empty["escalations"] == [] and empty["alerts"] == [] and empty["trends"] == [] and empty["table"] == []
    undated = report_data([stmt(1, USA, PMF, "ASSAULT", None)], [])
    assert undated["trends"] == [] and len(undated["table"]) == 1


def test_report_table_lists_the_newest_statements_and_counts_the_rest(monkeypatch):
    import graphkit.viz.report as report

    history = _escalating_history()
    monkeypatch.setattr(report, "TABLE_ROWS", 5)
    data = report_data(history, [], freq="W")
    newest = sorted(((s.date.isoformat(), s.id) for s in history), reverse=True)[:5]
    assert [(row[0], row[10]) for row in data["table"]] == newest
    assert data["table_more"] == len({s.id for s in history}) - 5
    # the alerts still cite their evidence (computed from every statement, not the table)
    assert data["alerts"] and all(a["evidence"] for a in data["alerts"])


def _write_jsonl(path, statements, bad_line=None):
    lines = [json.dumps(statement_to_dict(s)) for s in statements]
    if bad_line is not None:
        lines.insert(1, bad_line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_render_cli_from_jsonl(tmp_path):
    src = tmp_path / "st.jsonl"
    _write_jsonl(src, [stmt(1, USA, PMF, "ASSAULT", date(2024, 1, 1), sentence=XSS),
                       stmt(2, PMF, IRN, "CONSULT", date(2024, 2, 1)), stmt(3, IRN, IRQ, "AID", date(2024, 3, 1))])
    out = tmp_path / "g.html"
    result = CliRunner().invoke(cli, ["render", "--from", str(src), "--actor", "USA", "--hops", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = _embedded(out.read_text(encoding="utf-8"), "gk-data")
    assert {n["id"] for n in data["nodes"]} == {"USA", "IRQ.PMF"}
    assert data["meta"]["focus"] == "USA"


def test_render_cli_reports_bad_lines_and_still_writes(tmp_path):
    src = tmp_path / "st.jsonl"
    _write_jsonl(src, [stmt(1, USA, PMF, "ASSAULT", date(2024, 1, 1)), stmt(2, PMF, IRN, "CONSULT", None)],
                 bad_line='{"id": "broken"')
    out = tmp_path / "g.html"
    result = CliRunner().invoke(cli, ["render", "--from", str(src), "-o", str(out)])
    assert result.exit_code == 2  # some input skipped (graphkit.errors)
    assert f"{src}:2: not JSON" in result.output
    assert "Traceback" not in result.output
    assert len(_embedded(out.read_text(encoding="utf-8"), "gk-data")["statements"]) == 2


@pytest.mark.parametrize("args, message", [
    (["--since", "yesterday"], "'--since': 'yesterday' is not a date"),
    (["--actor", "NOBODY"], "no actor 'NOBODY'"),
])
def test_render_cli_bad_options_are_one_line_errors(tmp_path, args, message):
    src = tmp_path / "st.jsonl"
    _write_jsonl(src, [stmt(1, USA, PMF, "ASSAULT", date(2024, 1, 1))])
    result = CliRunner().invoke(cli, ["render", "--from", str(src), "-o", str(tmp_path / "g.html"), *args])
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output


def test_render_cli_missing_file_names_it(tmp_path):
    missing = tmp_path / "nope.jsonl"
    result = CliRunner().invoke(cli, ["render", "--from", str(missing), "-o", str(tmp_path / "g.html")])
    assert result.exit_code == 2 and str(missing) in result.output


def test_report_cli_writes_index_and_network(tmp_path):
    src = tmp_path / "st.jsonl"
    _write_jsonl(src, _escalating_history())
    out = tmp_path / "report"
    result = CliRunner().invoke(cli, ["report", "--from", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert (out / "network.html").exists() and 'src="network.html"' in index
    assert "<img src=x" not in index and "<script>window.__pwned" not in index
    assert "&lt;img src=x onerror=" in index  # the alert evidence, escaped by the template
    data = _embedded(index, "gk-report-data")
    assert data["alerts"] and data["alerts"][0]["dyad"] == "Popular Mobilization Forces \u2014 United States"
    assert len(data["table"]) == 22 and XSS in {row[9] for row in data["table"]}


def test_report_cli_window(tmp_path):
    src = tmp_path / "st.jsonl"
    _write_jsonl(src, _escalating_history())
    out = tmp_path / "report"
    result = CliRunner().invoke(cli, ["report", "--from", str(src), "--until", "2024-01-31", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = _embedded((out / "index.html").read_text(encoding="utf-8"), "gk-report-data")
    assert {row[0][:7] for row in data["table"]} == {"2024-01"} and len(data["table"]) == 6


def test_render_and_report_read_a_real_store(tmp_path):
    from storekit import known_batch

    from graphkit.store import open_store

    uri = f"sqlite:///{tmp_path / 'graph.db'}"
    with open_store(uri) as store:
        store.ensure_schema()
        store.write(known_batch())
    out = tmp_path / "g.html"
    result = CliRunner().invoke(cli, ["render", "--store", uri, "--since", "2024-01-01", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = _embedded(out.read_text(encoding="utf-8"), "gk-data")
    assert {n["id"] for n in data["nodes"]} == {"USA", "IRQ.PMF", "IRN"}  # s6 is undated: outside --since
    rows = {row[9]: row for row in data["statements"]}
    assert rows["s1"][6] == "Reuters" and rows["s1"][5] == "sentence of s1" and rows["s1"][7] == "art1"
    result = CliRunner().invoke(cli, ["report", "--store", uri, "-o", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    report = _embedded((tmp_path / "report" / "index.html").read_text(encoding="utf-8"), "gk-report-data")
    assert len(report["table"]) == 6
