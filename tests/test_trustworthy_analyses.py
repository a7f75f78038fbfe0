"""Analyses an analyst can trust: alerts on sparse data, strict and flat output, names where ids are."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from graphkit.analysis.surprise import SurpriseParams, alarm_mask, scan_cells, surprise_scan
from graphkit.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def burst_jsonl(tmp_path_factory):
    """The sample articles plus three articles of an Iran-Pakistan burst (silent before)."""
    out = tmp_path_factory.mktemp("burst") / "statements.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(ROOT / "data/articles"), str(ROOT / "tests/data/burst")],
                                catch_exceptions=False)
    assert result.exit_code == 0
    out.write_text(result.stdout, encoding="utf-8")
    return out


# ---------------------------------------------------------------- alerts


def test_tension_alerts_report_the_burst_with_evidence_and_reason(burst_jsonl):
    result = run("tension", "alerts", "--from", str(burst_jsonl), "--format", "json")
    assert result.exit_code == 0
    alerts = json.loads(result.stdout)
    burst = [a for a in alerts if {a["source"], a["target"]} == {"IRN", "PAK"}]
    assert len(burst) == 1, alerts
    a = burst[0]
    assert a["alarm"] == "2024-02-19"  # the week of the burst
    assert a["observed"] >= 3 and a["expected"] < 1 and a["p_value"] < SurpriseParams().alpha
    assert a["history"] >= SurpriseParams().min_history
    assert any("Pakistan" in s for s in a["sentences"]) and len(a["statement_ids"]) == a["statements"]
    assert "Iran" in a["reason"] and "Pakistan" in a["reason"] and "expected" in a["reason"]


def test_alerts_say_when_history_is_too_short(burst_jsonl):
    # Monthly: Iran first appears in January 2024, so the February burst has one month of history.
    result = run("tension", "alerts", "--from", str(burst_jsonl), "--freq", "M", "--dyad", "IRN,PAK")
    assert result.exit_code == 0
    assert "not judged: Iran–Pakistan" in result.stderr
    assert f"alerts need {SurpriseParams().min_history}" in result.stderr


@pytest.mark.parametrize("pooled", [True, False])
def test_the_scan_of_counted_cells_equals_the_dense_scan(pooled):
    # surprise_alerts scans only the counted cells; the dense grid is the definition
    rng = np.random.default_rng(11)
    n, periods = 60, 45
    x = rng.poisson(rng.choice([0.05, 0.5, 3.0], size=(n, 1)), size=(n, periods)).astype(float)
    x[7, 30:33] += 12  # a burst, overdispersion and self-dyads below exercise every term
    ends = rng.integers(0, 12, size=(n, 2)) if pooled else None
    if pooled:
        ends[:3, 1] = ends[:3, 0]
    start = rng.integers(0, 20, size=n)
    dense = surprise_scan(x, ends, start)
    d, t = np.nonzero(x)
    cells = scan_cells(d, t, x[d, t], n, periods, ends, start)
    assert (cells.dyad == d).all() and (cells.period == t).all()
    np.testing.assert_allclose(cells.p_value, dense.p_value[d, t], rtol=1e-9)
    np.testing.assert_allclose(cells.expected, dense.expected[d, t], rtol=1e-9)
    assert (cells.history == dense.history[d, t]).all()
    assert (alarm_mask(x, dense)[d, t] == ((x[d, t] >= 3) & (cells.history >= 4) & (cells.p_value < 0.001))).all()


def test_silent_dyad_then_burst_alarms_but_stationary_noise_stays_quiet():
    rng = np.random.default_rng(5)
    params = SurpriseParams()
    quiet = rng.poisson(2.0, size=(400, 40)).astype(float)
    rate = alarm_mask(quiet, surprise_scan(quiet, params=params), params)[:, params.min_history:].mean()
    assert rate <= 0.02
    burst = np.zeros((1, 12))
    burst[0, 10] = 4
    assert alarm_mask(burst, surprise_scan(burst, params=params), params)[0].nonzero()[0].tolist() == [10]
    # the warm-up rule: nothing is judged before min_history observed periods
    early = np.zeros((1, 12))
    early[0, 2] = 9
    assert not alarm_mask(early, surprise_scan(early, params=params), params).any()
    # observation starts when the dyad's actors appear: the same burst with a late start is unjudged
    late = surprise_scan(burst, start=np.array([8]), params=params)
    assert late.history[0, 10] == 2 and not alarm_mask(burst, late, params).any()


# ---------------------------------------------------------------- output for programs


def _strict(text: str):
    """json.loads that refuses NaN/Infinity, as Node's JSON.parse and jq do."""
    def refuse(token):
        raise ValueError(f"not JSON: {token}")
    return json.loads(text, parse_constant=refuse)


def test_every_tension_json_output_is_strict(burst_jsonl):
    for extra in (["series"], ["trend"], ["alerts"], ["series", "--dyad", "IRN,PAK", "--freq", "W"],
                  ["series", "--rolling", "3"]):
        result = run("tension", *extra, "--from", str(burst_jsonl), "--format", "json")
        assert result.exit_code == 0, extra
        rows = _strict(result.stdout)
        assert rows, extra
    # empty periods have no mean Goldstein: null, not NaN
    series = _strict(run("tension", "series", "--from", str(burst_jsonl), "--dyad", "IRN,USA", "--freq", "W",
                         "--format", "json").stdout)
    assert any(r["goldstein_mean"] is None for r in series)
    for view in ("summary", "factions", "triads", "centrality"):
        result = run("balance", "--from", str(burst_jsonl), "--view", view, "--format", "json")
        assert result.exit_code == 0 and isinstance(_strict(result.stdout), list), view


def test_extract_csv_is_flat_and_keeps_cameo_codes_as_strings(tmp_path):
    import pandas as pd

    from graphkit.serialize import CSV_DTYPES

    result = run("extract", str(ROOT / "data/articles"), "--format", "csv")
    assert result.exit_code == 0
    path = tmp_path / "st.csv"
    path.write_text(result.stdout, encoding="utf-8")
    frame = pd.read_csv(path, dtype=CSV_DTYPES)
    assert {"source_id", "source_name", "source_country", "target_id", "target_name", "target_country"} <= set(
        frame.columns)
    assert "source" not in frame.columns and not frame["source_id"].str.startswith("{").any()
    codes = [c for c in frame["cameo"].dropna()]
    assert any(c.startswith("0") for c in codes) and all(isinstance(c, str) and c.isdigit() for c in codes)
    assert frame["date"].dropna().str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


def test_statements_frame_carries_every_statement_field():
    import dataclasses

    from graphkit.analysis import statements_frame
    from graphkit.model import ActorRef, Statement
    usa, pmf = ActorRef("USA", "United States", "state", "USA"), ActorRef("IRQ.PMF", "PMF", "militia", "IRQ")
    st = Statement("s1", usa, pmf, "ASSAULT", "190", 4, -10.0, None, "month", location="Baghdad",
                   attribution="officials", confidence=0.7)
    frame = statements_frame([st])
    for f in dataclasses.fields(Statement):
        if f.name in ("source", "target"):
            for a in ("name", "kind", "country"):
                assert f"{f.name}_{a}" in frame.columns
        else:
            assert f.name in frame.columns, f.name
    row = frame.iloc[0]
    assert (row["cameo"], row["date_precision"], row["location"], row["attribution"], row["confidence"]) == (
        "190", "month", "Baghdad", "officials", 0.7)
    assert row["source_kind"] == "state"


# ---------------------------------------------------------------- output for people


def test_tension_table_fits_100_columns_with_names(burst_jsonl):
    result = CliRunner(env={"COLUMNS": "100"}).invoke(cli, ["tension", "series", "--from", str(burst_jsonl)],
                                                      catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert lines[0].split()[:2] == ["dyad", "period"] and "source" not in lines[0]
    assert any(line.startswith("Iran–Pakistan ") for line in lines)  # names, one undirected dyad 'A–B'
    assert "IRQ.COORDINATION_FRAMEWORK" not in result.stdout
    ids = CliRunner(env={"COLUMNS": "100"}).invoke(cli, ["tension", "series", "--from", str(burst_jsonl), "--ids"])
    assert any(line.startswith("IRN–PAK ") for line in ids.stdout.splitlines())
    more = run("tension", "series", "--from", str(burst_jsonl), "--columns", "dyad,period,conflict_share,articles")
    assert more.stdout.split()[:4] == ["dyad", "period", "conflict_share", "articles"]
    bad = run("tension", "series", "--from", str(burst_jsonl), "--columns", "dyad,nope")
    assert bad.exit_code == 2 and "nope" in bad.stderr


def test_csv_and_json_carry_every_series_column_with_ids_and_names(burst_jsonl):
    import csv
    import io

    from graphkit.analysis import SERIES_METRICS

    rows = list(csv.DictReader(io.StringIO(run("tension", "series", "--from", str(burst_jsonl), "--format", "csv").stdout)))
    assert {"source", "source_name", "target", "target_name", "period", *SERIES_METRICS} <= set(rows[0])


# ---------------------------------------------------------------- periods from the data that matters


def test_zero_fill_starts_at_the_dyads_first_statement_not_the_stores(burst_jsonl):
    # the sample holds one 2022 sentence (Saudi Arabia-Houthis); Iran-US starts in January 2024
    rows = json.loads(run("tension", "series", "--from", str(burst_jsonl), "--dyad", "Iran,United States", "--freq", "W",
                          "--format", "json").stdout)
    periods = [r["period"] for r in rows]
    assert periods[0] == "2024-01-15" and periods == sorted(periods)
    assert periods[-1] == "2024-02-19"  # on to the end of the data: the quiet weeks count
    assert len(periods) == 6 and sum(r["statements"] for r in rows) >= 2  # each event counted once
    # an asked window is filled from its start
    window = json.loads(run("tension", "series", "--from", str(burst_jsonl), "--dyad", "IRN,USA", "--freq", "W",
                            "--since", "2024-01-01", "--format", "json").stdout)
    assert window[0]["period"] == "2024-01-01"


def test_dyad_accepts_names_and_aliases_and_reports_ambiguity(burst_jsonl):
    by_alias = run("tension", "series", "--from", str(burst_jsonl), "--dyad", "United States,KH", "--format", "json")
    assert by_alias.exit_code == 0, by_alias.stderr
    assert {json.loads(by_alias.stdout)[0]["source"], json.loads(by_alias.stdout)[0]["target"]} == {
        "USA", "IRQ.KATAIB_HEZBOLLAH"}
    pmf = run("tension", "series", "--from", str(burst_jsonl), "--dyad", "United States,PMF", "--since", "2024-01-01",
              "--until", "2024-01-31", "--freq", "M", "--format", "json")
    assert pmf.exit_code == 0
    assert {(r["source"], r["target"]) for r in json.loads(pmf.stdout)} == {("IRQ.PMF", "USA")}
    unknown = run("tension", "series", "--from", str(burst_jsonl), "--dyad", "USA,Zorglub")
    assert unknown.exit_code == 2 and "Zorglub" in unknown.stderr and "Traceback" not in unknown.output


def test_an_ambiguous_name_is_reported_with_its_candidates():
    from graphkit.cli.common import resolve_actor
    from graphkit.errors import InputError

    names = {"LBN.HEZBOLLAH": "Hezbollah", "IRQ.KATAIB_HEZBOLLAH": "Kataib Hezbollah", "X.HEZ": "hezbollah"}
    with pytest.raises(InputError, match="ambiguous: LBN.HEZBOLLAH, X.HEZ"):
        resolve_actor("Hezbollah", "--actor", names)
    assert resolve_actor("kataib hezbollah", "--actor", names) == "IRQ.KATAIB_HEZBOLLAH"
    assert resolve_actor("PMF", "--actor", names) == "IRQ.PMF"  # the registry's alias


def test_render_and_query_accept_names_and_aliases(burst_jsonl, tmp_path):
    db = f"sqlite:///{tmp_path / 'g.db'}"
    assert run("load", str(burst_jsonl), "--store", db).exit_code == 0
    ego = run("query", "ego_network", "--param", "actor=KH", "--store", db, "--format", "json")
    assert ego.exit_code == 0
    rows = json.loads(ego.stdout)
    assert rows and all("IRQ.KATAIB_HEZBOLLAH" in (r["source"], r["target"]) for r in rows)
    unknown = run("query", "ego_network", "--param", "actor=Zorglub", "--store", db)
    assert unknown.exit_code == 2 and "Zorglub" in unknown.stderr
    page = tmp_path / "kh.html"
    rendered = run("render", "--actor", "Kataib Hezbollah", "--from", str(burst_jsonl), "-o", str(page))
    assert rendered.exit_code == 0 and "Kataib Hezbollah" in page.read_text(encoding="utf-8")


# ---------------------------------------------------------------- comparisons only where both sides speak


def _two_source_file(tmp_path, months: dict[str, list[int]]):
    from datetime import date

    from graphkit.model import ActorRef, Statement
    from graphkit.serialize import statement_to_dict

    usa, irq = ActorRef("USA", "United States", "state", "USA"), ActorRef("IRQ", "Iraq", "state", "IRQ")
    rows = []
    for dataset, active in months.items():
        for month in active:
            for k in range(month % 3 + 1):
                rows.append(Statement(id=f"{dataset}-{month}-{k}", source=usa, target=irq, type="ASSAULT",
                                      cameo="190", quad_class=4, goldstein=-10.0, date=date(2023, month, 1 + k),
                                      date_precision="day", dataset=dataset))
    path = tmp_path / "sources.jsonl"
    path.write_text("".join(json.dumps(statement_to_dict(s)) + "\n" for s in rows))
    return path


def test_compare_sources_gives_no_correlation_when_the_sources_never_meet(tmp_path):
    from graphkit.analysis import statements_frame
    from graphkit.importers.compare import compare_frame
    from graphkit.loading import read_statements

    path = _two_source_file(tmp_path, {"graphkit": [1, 2, 3, 4, 5, 6], "gdelt": [7, 8, 9, 10, 11, 12]})
    frame = compare_frame(statements_frame(read_statements(path)[0]), ("USA", "IRQ"), "M")
    assert frame.attrs["shared_periods"] == 0
    assert all(v != v for v in frame.attrs["correlation"].values())  # NaN: nothing to compare
    result = run("tension", "compare", "--from", str(path), "--dyad", "USA,IRQ")
    assert result.exit_code == 0
    assert "both report this dyad in 0 period(s): too few to correlate" in result.stderr
    assert "correlation of" not in result.stderr


def test_compare_sources_correlates_only_the_shared_periods(tmp_path):
    path = _two_source_file(tmp_path, {"graphkit": [1, 2, 3, 4, 5, 6, 7, 8], "gdelt": [4, 5, 6, 7, 8, 9, 10]})
    result = run("tension", "compare", "--from", str(path), "--dyad", "USA,IRQ")
    assert "over the 5 periods both report this dyad: correlation of events 1.00" in result.stderr


# ---------------------------------------------------------------- factions with evidence


@pytest.fixture(scope="module")
def sample_jsonl(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample") / "statements.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(ROOT / "data/articles")], catch_exceptions=False)
    out.write_text(result.stdout, encoding="utf-8")
    return out


@pytest.mark.parametrize("extra", [[], ["--min-statements", "1"], ["--min-statements", "1", "--support", "0"]])
def test_factions_on_the_sample_state_support_and_never_split_an_actor_from_its_organisation(sample_jsonl, extra):
    from graphkit.registry import Registry

    result = run("balance", "--from", str(sample_jsonl), "--view", "factions", "--format", "json", *extra)
    assert result.exit_code == 0
    camps = _strict(result.stdout)
    threshold = float(extra[-1]) if "--support" in extra else 0.7
    for camp in camps:
        assert camp["support"] is not None and camp["support"] >= threshold and camp["size"] == len(camp["members"])
        assert all(m["support"] >= threshold for m in camp["members"])
        assert camp["decided_by"]
    if "--support" in extra:  # with single-statement ties and every assignment shown there are factions
        assert len(camps) >= 2
    registry = Registry.default()

    def side_of(actor_id):
        org = registry.rollup(actor_id, "organisation")
        known = registry.get(org)
        return registry.rollup(actor_id, "country") if known and known.kind in (
            "state", "government", "military", "police") else org

    for one in camps:
        for other in camps:
            if one["group"] != other["group"] or one["camp"] == other["camp"]:
                continue
            for a in one["members"]:
                for b in other["members"]:
                    assert registry.rollup(a["id"], "organisation") != b["id"], (a, b)
                    assert side_of(a["id"]) != side_of(b["id"]), (a, b)
    # the United States and its armed forces are one side
    nodes = {m["id"] for camp in camps for m in camp["members"]}
    assert "USAMIL" not in nodes


def test_support_drops_for_a_tie_resting_on_few_statements():
    import pandas as pd

    from graphkit.analysis import supported_factions
    from graphkit.analysis.frame import frame_from_columns

    def frame(n_weak):
        pairs = [("A", "B", 3.0)] * 6 + [("A", "C", -5.0)] * 6 + [("B", "C", -5.0)] * 6 + [("C", "D", 2.0)] * n_weak
        return frame_from_columns({"source": [p[0] for p in pairs], "target": [p[1] for p in pairs],
                                   "date": [pd.Timestamp("2024-01-01")] * len(pairs),
                                   "goldstein": [p[2] for p in pairs]})

    weak = supported_factions(frame(2), min_statements=2, resamples=100)
    strong = supported_factions(frame(8), min_statements=2, resamples=100)
    assert weak.support["D"] < 0.7 <= strong.support["D"]
    assert "D" not in {m["id"] for camp in weak.camps() for m in camp["members"]}
    assert weak.support["A"] >= 0.7 and any("A + B" in camp["decided_by"] for camp in weak.camps())
