"""Analyses an analyst can trust: alerts on sparse data, strict and flat output, names where ids are."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from graphkit.analysis.surprise import SurpriseParams, alarm_mask, surprise_scan
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
    result = run("tension", "--from", str(burst_jsonl), "--alerts", "--format", "json")
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
    result = run("tension", "--from", str(burst_jsonl), "--alerts", "--freq", "M", "--dyad", "IRN,PAK")
    assert result.exit_code == 0
    assert "not judged: Iran–Pakistan" in result.stderr
    assert f"alerts need {SurpriseParams().min_history}" in result.stderr


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
