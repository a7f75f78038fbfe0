"""Tension analytics: series on hand-computed inputs, escalation on synthetic streams,
balance and factions on signed graphs whose answers are known by hand, and the CLI."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from graphkit.analysis import (
    CusumParams,
    balance_summary,
    balance_windows,
    centrality,
    dyad_series,
    dyad_trends,
    escalation_alerts,
    faction_changes,
    factions,
    graph_from_signs,
    most_escalating,
    rollup_frame,
    signed_graph,
    statements_frame,
    trend_slope,
    triads,
    unbalanced_triads,
)
from graphkit.analysis.balance import EXACT_LIMIT, frustration
from graphkit.analysis.series import period_codes, period_starts
from graphkit.analysis.trend import t_quantile
from graphkit.cli.main import cli
from graphkit.model import ActorRef, Statement
from graphkit.serialize import statement_to_dict

USA = ActorRef("USA", "United States", "state", "USA")
PMF = ActorRef("IRQ.PMF", "Popular Mobilization Forces", "militia", "IRQ")
IRQGOV = ActorRef("IRQGOV", "Iraqi government", "government", "IRQ")
KH = ActorRef("IRQ.KH", "Kataib Hezbollah", "militia", "IRQ")
SUDANI = ActorRef("PER.IRQ.SUDANI", "Mohammed Shia al-Sudani", "person", "IRQ")
IRN = ActorRef("IRN", "Iran", "state", "IRN")

QUAD_OF = {"ASSAULT": (4, -10.0), "COERCE": (4, -7.0), "THREATEN": (3, -4.4), "ACCUSE": (3, -2.0),
           "CONSULT": (1, 1.0), "SUPPORT": (1, 3.4), "AID": (2, 7.0)}

_counter = iter(range(10**9))


def st(src, tgt, kind, day, *, modality="asserted", mentions=1, article="a1", dataset="graphkit", sentence=None):
    quad, gold = QUAD_OF[kind]
    n = next(_counter)
    return Statement(id=f"s{n}", source=src, target=tgt, type=kind, cameo=None, quad_class=quad, goldstein=gold,
                     date=day, date_precision="day", modality=modality, article_id=article,
                     sentence=sentence or f"{src.name} {kind.lower()} {tgt.name} (#{n}).", mentions=mentions,
                     dataset=dataset)


# ---------------------------------------------------------------- frame and series


def test_frame_has_one_row_per_statement_with_named_columns():
    df = statements_frame([st(USA, PMF, "ASSAULT", date(2023, 12, 25)), st(IRQGOV, USA, "ACCUSE", date(2023, 12, 26))])
    assert len(df) == 2
    assert df.loc[0, ["source", "target", "source_name", "quad_class", "goldstein"]].tolist() == [
        "USA", "IRQ.PMF", "United States", 4, -10.0]
    assert str(df["date"].dtype).startswith("datetime64")


def test_series_hand_computed_month():
    d = date(2023, 12, 3)
    frame = statements_frame([
        st(USA, PMF, "ASSAULT", d, article="a1"),
        st(PMF, USA, "ASSAULT", d + timedelta(days=1), article="a2"),  # undirected: same dyad
        st(USA, PMF, "CONSULT", d + timedelta(days=2), article="a2"),
        st(USA, PMF, "ASSAULT", d, modality="negated", article="a3"),  # excluded by default
        st(USA, PMF, "THREATEN", d, modality="hypothetical"),  # excluded by default
    ])
    s = dyad_series(frame, freq="M")
    assert len(s) == 1
    row = s.iloc[0]
    assert (row["source"], row["target"]) == ("IRQ.PMF", "USA")  # ordered by id
    assert row["period"] == pd.Timestamp("2023-12-01")
    assert (row["statements"], row["q1"], row["q3"], row["q4"]) == (3, 1, 0, 2)
    assert row["goldstein_sum"] == pytest.approx(-19.0)
    assert row["goldstein_mean"] == pytest.approx(-19.0 / 3)
    assert row["conflict_share"] == pytest.approx(2 / 3)
    assert row["net_cooperation"] == -1
    assert (row["articles"], row["datasets"]) == (2, 1)

    with_negated = dyad_series(frame, freq="M", include_modalities=["negated"]).iloc[0]
    assert (with_negated["statements"], with_negated["q4"], with_negated["articles"]) == (4, 3, 3)
    everything = dyad_series(frame, freq="M", include_modalities=["all"]).iloc[0]
    assert everything["statements"] == 5


def test_series_directed_keeps_directions_apart():
    d = date(2023, 12, 3)
    frame = statements_frame([st(USA, PMF, "ASSAULT", d), st(PMF, USA, "ASSAULT", d), st(PMF, USA, "ACCUSE", d)])
    s = dyad_series(frame, freq="M", directed=True).set_index(["source", "target"])
    assert s.loc[("USA", "IRQ.PMF"), "statements"] == 1
    assert s.loc[("IRQ.PMF", "USA"), "statements"] == 2
    assert s.loc[("IRQ.PMF", "USA"), "q3"] == 1


def test_mentions_weight_counts_reports_not_statements():
    d = date(2024, 1, 10)
    frame = statements_frame([st(USA, PMF, "ASSAULT", d, mentions=5), st(USA, PMF, "CONSULT", d, mentions=1)])
    once = dyad_series(frame, freq="W").iloc[0]
    weighted = dyad_series(frame, freq="W", weight="mentions").iloc[0]
    assert (once["statements"], once["events"], once["q4"], once["goldstein_sum"]) == (2, 2, 1, -9.0)
    assert (weighted["statements"], weighted["events"], weighted["q4"]) == (2, 6, 5)
    assert weighted["goldstein_sum"] == pytest.approx(-49.0)
    assert weighted["goldstein_mean"] == pytest.approx(-49.0 / 6)


def test_empty_periods_are_zero_filled_over_the_window():
    frame = statements_frame([st(USA, PMF, "ASSAULT", date(2024, 1, 3)), st(USA, PMF, "ASSAULT", date(2024, 1, 24)),
                              st(IRQGOV, PMF, "ACCUSE", date(2024, 1, 17))])
    s = dyad_series(frame, freq="W", since="2024-01-01", until="2024-02-04")
    usa = s[s["target"] == "USA"]
    # Weeks start Monday 2024-01-01; 5 weeks in the window, the USA-PMF dyad active in weeks 1 and 4.
    assert usa["period"].dt.date.tolist() == [date(2024, 1, 1) + timedelta(weeks=i) for i in range(5)]
    assert usa["q4"].tolist() == [1, 0, 0, 1, 0]
    assert usa["goldstein_mean"].isna().tolist() == [False, True, True, False, True]
    assert len(s) == 10  # two dyads x five weeks
    span = dyad_series(frame, freq="W", fill="span")
    assert span[span["target"] == "USA"]["q4"].tolist() == [1, 0, 0, 1]
    assert len(dyad_series(frame, freq="W", fill="none")) == 3


def test_day_and_month_periods():
    frame = statements_frame([st(USA, PMF, "ASSAULT", date(2023, 11, 30)), st(USA, PMF, "ASSAULT", date(2023, 12, 2))])
    assert dyad_series(frame, freq="D")["statements"].tolist() == [1, 0, 1]
    monthly = dyad_series(frame, freq="M")
    assert monthly["period"].dt.date.tolist() == [date(2023, 11, 1), date(2023, 12, 1)]
    codes = period_codes(pd.Series(pd.to_datetime(["2024-01-01", "2024-01-07", "2024-01-08"])), "W")
    assert codes[0] == codes[1] != codes[2]
    assert period_starts(codes, "W")[2] == pd.Timestamp("2024-01-08")


def test_requested_dyad_with_no_statements_is_all_zero():
    frame = statements_frame([st(USA, PMF, "ASSAULT", date(2024, 1, 3))])
    s = dyad_series(frame, freq="W", dyads=[("USA", "IRN")], since="2024-01-01", until="2024-01-14")
    assert (s["source"].unique().tolist(), s["target"].unique().tolist()) == (["IRN"], ["USA"])
    assert s["statements"].tolist() == [0, 0]


def test_undated_statements_are_left_out():
    frame = statements_frame([st(USA, PMF, "ASSAULT", None), st(USA, PMF, "ASSAULT", date(2024, 1, 3))])
    assert dyad_series(frame, freq="M")["statements"].sum() == 1


# ---------------------------------------------------------------- rollup


def test_rollup_levels():
    d = date(2024, 1, 5)
    frame = statements_frame([st(SUDANI, KH, "ACCUSE", d), st(USA, KH, "ASSAULT", d), st(USA, PMF, "ASSAULT", d)])
    org = {"PER.IRQ.SUDANI": "IRQGOV", "IRQ.KH": "IRQ.PMF"}
    calls = []

    def rollup(actor, level, on):
        calls.append((actor, level, on))
        return org.get(actor) if level == "organisation" else None

    rolled = rollup_frame(frame, "organisation", rollup)
    assert list(zip(rolled["source"], rolled["target"], strict=True)) == [
        ("IRQGOV", "IRQ.PMF"), ("USA", "IRQ.PMF"), ("USA", "IRQ.PMF")]
    assert rolled.loc[1, "target_name"] == "Popular Mobilization Forces"  # name from another row
    assert all(on == d for _, _, on in calls)
    s = dyad_series(frame, freq="M", level="organisation", rollup=rollup).set_index(["source", "target"])
    assert s.loc[("IRQ.PMF", "USA"), "q4"] == 2
    # Country level: ActorRef.country when the callable does not move the actor.
    c = dyad_series(frame, freq="M", level="country").set_index(["source", "target"])
    assert c.loc[("IRQ", "USA"), "statements"] == 2
    assert c.loc[("IRQ", "IRQ"), "statements"] == 1  # al-Sudani vs KH: internal
    assert rollup_frame(frame, "actor", rollup) is frame


# ---------------------------------------------------------------- trend


def test_trend_slope_matches_closed_form():
    fit = trend_slope([2.0, 1.0, 4.0, 3.0, 6.0, 5.0])
    x = np.arange(6.0)
    slope, intercept = np.polyfit(x, [2.0, 1.0, 4.0, 3.0, 6.0, 5.0], 1)
    assert fit.slope == pytest.approx(slope) and fit.intercept == pytest.approx(intercept)
    assert fit.stderr == pytest.approx(np.sqrt(5.4857142857 / 4 / 17.5))
    assert fit.ci_low == pytest.approx(slope - 2.7764451 * fit.stderr, rel=1e-3)
    assert t_quantile(0.975, 30) == pytest.approx(2.0422725, rel=1e-4)


def test_dyad_trends_orders_worsening_first():
    days = [date(2024, 1, 1) + timedelta(weeks=i) for i in range(8)]
    statements = []
    for i, d in enumerate(days):
        statements += [st(USA, PMF, "ASSAULT", d) for _ in range(i)]  # worsening
        statements += [st(USA, IRQGOV, "CONSULT", d) for _ in range(2)]  # steady
    s = dyad_series(statements_frame(statements), freq="W")
    trends = dyad_trends(s, "net_cooperation")
    assert trends.iloc[0][["source", "target"]].tolist() == ["IRQ.PMF", "USA"]
    assert trends.iloc[0]["slope"] == pytest.approx(-1.0)
    assert trends.iloc[1]["slope"] == pytest.approx(0.0)


# ---------------------------------------------------------------- escalation


def _stream(seed: int, change: int | None, periods: int = 40, base: float = 3.0, high: float = 15.0):
    """Weekly USA-PMF conflict counts ~ Poisson(base), jumping to Poisson(high) at `change`."""
    rng = np.random.default_rng(seed)
    start = date(2023, 1, 2)  # a Monday
    statements = []
    for week in range(periods):
        lam = high if change is not None and week >= change else base
        for _ in range(rng.poisson(lam)):
            day = start + timedelta(weeks=week, days=int(rng.integers(0, 7)))
            statements.append(st(USA, PMF, "ASSAULT" if rng.random() < 0.5 else "THREATEN", day))
        for _ in range(rng.poisson(2)):  # cooperation noise on another dyad
            statements.append(st(USA, IRQGOV, "CONSULT", start + timedelta(weeks=week)))
    return statements, start


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_alert_fires_within_one_period_of_a_known_escalation(seed):
    change = 25
    statements, start = _stream(seed, change)
    alerts = escalation_alerts(statements_frame(statements), freq="W")
    change_week = start + timedelta(weeks=change)
    usa_pmf = alerts[(alerts["source"] == "IRQ.PMF") & (alerts["target"] == "USA")]
    assert len(usa_pmf) >= 1
    first = usa_pmf.sort_values("alarm").iloc[0]
    assert abs((first["alarm"] - change_week).days) <= 7
    assert first["onset"] <= first["alarm"]
    # The alert cites the conflict statements behind it, and only those of its dyad and run.
    by_id = {s.id: s for s in statements}
    cited = [by_id[i] for i in first["statement_ids"]]
    assert cited and all(s.source.id in ("USA", "IRQ.PMF") and s.type in ("ASSAULT", "THREATEN") for s in cited)
    assert all(first["onset"] <= s.date for s in cited)
    assert first["sentences"][0] in {s.sentence for s in cited}
    assert alerts[alerts["target"] == "IRQGOV"].empty  # no escalation on the cooperating dyad


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_no_alert_on_a_stationary_stream_with_the_same_noise(seed):
    statements, _ = _stream(seed, None)
    alerts = escalation_alerts(statements_frame(statements), freq="W")
    assert alerts.empty, alerts[["source", "target", "alarm", "score"]]


def test_alerts_window_and_ranking():
    statements, start = _stream(7, 25)
    frame = statements_frame(statements)
    before = escalation_alerts(frame, freq="W", until=start + timedelta(weeks=20))
    assert before.empty  # the baseline period alone does not alarm
    inside = escalation_alerts(frame, freq="W", since=start + timedelta(weeks=24), until=start + timedelta(weeks=30))
    ranked = most_escalating(inside, top=5)
    assert ranked.iloc[0][["rank", "source", "target"]].tolist() == [1, "IRQ.PMF", "USA"]
    assert ranked["score"].iloc[0] > CusumParams().threshold


def test_goldstein_metric_detects_escalation():
    statements, start = _stream(3, 25)
    alerts = escalation_alerts(statements_frame(statements), freq="W", metric="goldstein")
    first = alerts.sort_values("alarm").iloc[0]
    assert abs((first["alarm"] - (start + timedelta(weeks=25))).days) <= 7


# ---------------------------------------------------------------- balance and factions


def test_balanced_triangle_all_positive():
    g = graph_from_signs([("A", "B", 1), ("B", "C", 1), ("A", "C", 1)])
    f = factions(g)
    assert [t.balanced for t in triads(g)] == [True]
    assert f.frustration_index == 0
    assert f.members() == [(0, 0, ["A", "B", "C"])]
    assert balance_summary(g, f)["balanced_share"] == 1.0


def test_enemy_of_my_enemy_triangle():
    g = graph_from_signs([("A", "B", 1), ("A", "C", -1), ("B", "C", -1)])
    f = factions(g)
    assert triads(g)[0].balanced
    assert f.members() == [(0, 0, ["A", "B"]), (0, 1, ["C"])]
    assert f.frustration_index == 0


def test_all_negative_triangle_is_unbalanced_with_frustration_one():
    g = graph_from_signs([("A", "B", -1), ("B", "C", -1), ("A", "C", -1)])
    f = factions(g)
    assert [t.balanced for t in triads(g)] == [False]
    assert f.frustration_index == 1  # any 2-split leaves one hostile pair in one camp
    assert len(f.frustrated) == 1 and f.exact
    s = balance_summary(g, f)
    assert (s["balanced_share"], s["frustration"], s["negative"]) == (0.0, 1, 3)


def test_two_camp_graph_and_a_traitor_edge():
    camp_a, camp_b = ["USA", "GBR", "IRQGOV"], ["IRN", "IRQ.PMF", "IRQ.KH"]
    edges = [(u, v, 1) for camp in (camp_a, camp_b) for i, u in enumerate(camp) for v in camp[i + 1:]]
    edges += [(u, v, -1) for u in camp_a for v in camp_b]
    f = factions(graph_from_signs(edges))
    assert f.frustration_index == 0
    assert f.members() == [(0, 0, sorted(camp_a)), (0, 1, sorted(camp_b))]
    # Iraqi government cooperates with the PMF: one frustrated edge whatever the split
    edges = [e for e in edges if {e[0], e[1]} != {"IRQGOV", "IRQ.PMF"}] + [("IRQGOV", "IRQ.PMF", 1)]
    g = graph_from_signs(edges)
    f = factions(g)
    assert f.frustration_index == 1
    assert f.frustrated == [("IRQ.PMF", "IRQGOV")]
    bad = unbalanced_triads(g)
    assert len(bad) == 4  # IRQGOV-PMF with each of USA, GBR (IRQGOV side) and IRN, KH (PMF side)
    assert {"IRQ.PMF", "IRQGOV"} <= set(bad.iloc[0][["a", "b", "c"]])


def test_heuristic_partition_finds_planted_camps_in_a_large_graph():
    rng = np.random.default_rng(0)
    n = EXACT_LIMIT + 22
    camp = {f"N{i:02d}": int(i % 2) for i in range(n)}
    edges = []
    for i in range(n):
        for j in range(i + 1, n):
            if rng.random() < 0.3:
                a, b = f"N{i:02d}", f"N{j:02d}"
                edges.append((a, b, 1 if camp[a] == camp[b] else -1))
    g = graph_from_signs(edges)
    f = factions(g)
    assert not f.exact
    assert f.frustration_index == 0 == len(frustration(g, f.camp))
    assert all((f.camp[a] == f.camp[b]) == (camp[a] == camp[b]) for a, b, _ in edges)


@pytest.mark.parametrize("seed", range(6))
def test_exact_factions_equal_brute_force_and_beat_local_search(seed):
    from itertools import product

    rng = np.random.default_rng(seed)
    nodes = [f"N{i}" for i in range(7)]
    edges = [(a, b, int(rng.choice([-1, 1]))) for i, a in enumerate(nodes) for b in nodes[i + 1:]
             if rng.random() < 0.6]
    g = graph_from_signs(edges)
    brute = min(len(frustration(g, dict(zip(sorted(g), bits, strict=True))))
                for bits in product((0, 1), repeat=g.number_of_nodes()))
    exact = factions(g)
    assert exact.frustration_index == brute
    local = factions(g, exact_limit=0)
    assert not local.exact and local.frustration_index >= brute


def test_signed_graph_from_statements_and_faction_changes():
    dec, jan = date(2023, 12, 10), date(2024, 1, 10)
    statements = [
        st(USA, PMF, "ASSAULT", dec), st(IRQGOV, USA, "CONSULT", dec), st(IRQGOV, PMF, "ACCUSE", dec),
        # January: the government sides with the PMF against the US
        st(USA, PMF, "ASSAULT", jan), st(IRQGOV, USA, "ACCUSE", jan), st(IRQGOV, PMF, "SUPPORT", jan),
    ]
    frame = statements_frame(statements)
    g = signed_graph(frame, until="2023-12-31")
    assert g["USA"]["IRQ.PMF"]["sign"] == -1 and g["IRQGOV"]["USA"]["sign"] == 1
    windows = balance_windows(frame, freq="M")
    assert [w.summary["balanced_share"] for w in windows] == [1.0, 1.0]
    changes = faction_changes(windows)
    switched = changes[changes["change"] == "switched"]["actor"].tolist()
    assert switched == ["IRQGOV"]
    # Over both months the USA-IRQGOV tie nets out negative (+1.0 - 2.0)
    whole = signed_graph(frame)
    assert whole["IRQGOV"]["USA"]["goldstein"] == pytest.approx(-1.0) and whole["IRQGOV"]["USA"]["sign"] == -1


def test_centrality_layers_are_separate():
    d = date(2024, 1, 5)
    frame = statements_frame([st(USA, PMF, "ASSAULT", d), st(USA, KH, "ASSAULT", d), st(IRN, PMF, "AID", d),
                              st(IRN, KH, "AID", d), st(IRN, KH, "SUPPORT", d)])
    c = centrality(frame).set_index(["layer", "actor"])
    assert c.loc[("conflict", "USA"), "out_strength"] == 2
    assert ("conflict", "IRN") not in c.index
    assert c.loc[("cooperation", "IRN"), "out_strength"] == 3
    assert c.loc[("cooperation", "IRQ.KH"), "in_strength"] == 2


# ---------------------------------------------------------------- CLI


@pytest.fixture()
def jsonl(tmp_path):
    statements, _ = _stream(1, 25)
    dec = date(2023, 12, 25)
    statements += [st(IRQGOV, PMF, "ACCUSE", dec), st(IRQGOV, USA, "CONSULT", dec),
                   st(USA, PMF, "ASSAULT", dec, sentence="US <b>struck</b> PMF positions & depots.")]
    path = tmp_path / "statements.jsonl"
    path.write_text("".join(json.dumps(statement_to_dict(s)) + "\n" for s in statements), encoding="utf-8")
    return path


def test_cli_tension_series_from_jsonl(jsonl):
    result = CliRunner().invoke(cli, ["tension", "series", "--from", str(jsonl), "--dyad", "USA,IRQ.PMF", "--freq", "M",
                                      "--since", "2023-12-01", "--until", "2023-12-31", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 1 and rows[0]["period"] == "2023-12-01"
    assert rows[0]["q4"] >= 1 and rows[0]["conflict_share"] > 0
    by_name = CliRunner().invoke(cli, ["tension", "series", "--from", str(jsonl), "--dyad", "iraqi government,Popular Mobilization Forces",
                                       "--since", "2023-12-01", "--until", "2023-12-31", "--format", "csv"])
    assert by_name.exit_code == 0, by_name.output
    header, row = by_name.output.strip().splitlines()
    record = dict(zip(header.split(","), row.split(","), strict=True))
    assert (record["source"], record["target"], record["q3"]) == ("IRQ.PMF", "IRQGOV", "1.0")


def test_cli_tension_alerts_and_trend(jsonl):
    result = CliRunner().invoke(cli, ["tension", "alerts", "--from", str(jsonl), "--freq", "W", "--format", "json"])
    assert result.exit_code == 0, result.output
    alerts = json.loads(result.stdout)
    assert alerts[0]["rank"] == 1 and (alerts[0]["source"], alerts[0]["target"]) == ("IRQ.PMF", "USA")
    assert alerts[0]["statement_ids"] and alerts[0]["sentences"]
    trend = CliRunner().invoke(cli, ["tension", "trend", "--from", str(jsonl), "--freq", "W", "--format", "json"])
    assert trend.exit_code == 0, trend.output
    assert json.loads(trend.output)[0]["slope"] < 0  # USA-PMF worsening first


def test_cli_charts_png_and_escaped_html(jsonl, tmp_path):
    png, page = tmp_path / "d.png", tmp_path / "d.html"
    for path in (png, page):
        result = CliRunner().invoke(cli, ["tension", "series", "--from", str(jsonl), "--dyad", "USA,IRQ.PMF", "--freq", "W",
                                          "--chart", str(path), "--format", "csv"])
        assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = page.read_text(encoding="utf-8")
    # offline: the only URIs are XML namespace names (never fetched)
    assert "<svg" in text and "http" not in re.sub(r'xmlns(:\w+)?="http://www\.w3\.org/[^"]*"', "", text)
    assert "<script" not in text
    assert "Popular Mobilization Forces" in text and "&#9650;" in text  # names and the alert marker
    assert "expected" in text  # the alert's reason is spelt out
    multi = CliRunner().invoke(cli, ["tension", "series", "--from", str(jsonl), "--chart", str(png)])
    assert multi.exit_code == 2 and "one dyad" in multi.output


def test_html_chart_escapes_names_and_cited_sentences(tmp_path):
    hostile = ActorRef("X.EVIL", 'Evil <img src=x onerror="alert(1)">', "militia", "IRQ")
    statements, _ = _stream(2, 25)
    statements = [replace(s, target=hostile, sentence=f"US <b>struck</b> </script> depots #{s.id}.")
                  if s.target.id == "IRQ.PMF" else s for s in statements]
    path = tmp_path / "statements.jsonl"
    path.write_text("".join(json.dumps(statement_to_dict(s)) + "\n" for s in statements), encoding="utf-8")
    page = tmp_path / "evil.html"
    result = CliRunner().invoke(cli, ["tension", "series", "--from", str(path), "--dyad", "USA,X.EVIL", "--freq", "W",
                                      "--chart", str(page), "--format", "csv"])
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert "<img" not in text and "&lt;img src=x" in text
    assert "<b>struck" not in text and "&lt;b&gt;struck" in text  # cited sentences are shown escaped
    assert "</script>" not in text  # the page has no script, and article text cannot add one


def test_cli_balance_views(jsonl):
    one = ["--level", "actor", "--min-statements", "1"]  # single-statement ties, raw actors
    summary = CliRunner().invoke(cli, ["balance", "--from", str(jsonl), "--since", "2023-12-01",
                                       "--until", "2023-12-31", "--format", "json", *one])
    assert summary.exit_code == 0, summary.output
    [window] = json.loads(summary.output)
    assert (window["actors"], window["edges"], window["triads"]) == (3, 3, 1)
    triad = CliRunner().invoke(cli, ["balance", "--from", str(jsonl), "--since", "2023-12-01", "--until",
                                     "2023-12-31", "--view", "factions", "--format", "json", *one, "--support", "0"])
    rows = json.loads(triad.stdout)
    assert {r["actors"] for r in rows} == {"IRQGOV, USA", "IRQ.PMF"}
    assert all(0 <= r["support"] <= 1 and "decided_by" in r for r in rows)
    # by default only pairs with 2+ statements are signed: three single statements make no faction
    default = CliRunner().invoke(cli, ["balance", "--from", str(jsonl), "--since", "2023-12-01", "--until",
                                       "2023-12-31", "--view", "factions", "--format", "json"])
    assert json.loads(default.stdout) == [] and "no faction" in default.stderr
    for view in ("triads", "changes", "centrality"):
        result = CliRunner().invoke(cli, ["balance", "--from", str(jsonl), "--freq", "M", "--view", view])
        assert result.exit_code == 0, result.output


def test_cli_bad_input_is_one_line_per_problem_and_the_rest_is_processed(jsonl, tmp_path):
    bad = tmp_path / "bad.jsonl"
    lines = jsonl.read_text().splitlines()
    bad.write_text("\n".join([lines[0], "{not json", '{"id": "x"}', *lines[1:]]) + "\n")
    result = CliRunner().invoke(cli, ["tension", "series", "--from", str(bad), "--freq", "M", "--format", "csv"])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("graphkit: error:")]
    assert errors == [f"graphkit: error: {bad}:2: not JSON (Expecting property name enclosed in double quotes)",
                      f"graphkit: error: {bad}:3: source: missing"]
    assert "IRQ.PMF,Popular Mobilization Forces,USA" in result.stdout  # the good lines still produced the series
    for args, word in ((["--dyad", "USA"], "A,B"), (["--dyad", "USA,NOPE"], "NOPE"), (["--since", "2023-13-01"], "date")):
        r = CliRunner().invoke(cli, ["tension", "series", "--from", str(jsonl), *args])
        assert r.exit_code == 2 and word in r.stderr and "Traceback" not in r.output


def test_cli_country_level_falls_back_to_actor_country(jsonl):
    result = CliRunner().invoke(cli, ["tension", "series", "--from", str(jsonl), "--level", "country", "--freq", "M",
                                      "--since", "2023-12-01", "--until", "2023-12-31", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {(r["source"], r["target"]): r for r in json.loads(result.output)}
    assert set(rows) == {("IRQ", "IRQ"), ("IRQ", "USA")}  # IRQGOV-PMF becomes internal to Iraq
    assert rows[("IRQ", "IRQ")]["q3"] == 1 and rows[("IRQ", "USA")]["q4"] == 1
