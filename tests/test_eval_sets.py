"""graphkit eval on the three gold formats, with small gold files written here (not the shared dev sets)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from graphkit.cli.main import cli

STRIKE = "Turkish warplanes struck PKK positions in northern Iraq on Monday."
CONDEMN = "The United States condemned the Houthi attacks on shipping."
NOTHING = "The weather in Baghdad was mild on Tuesday."


def _run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _jsonl(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_conflibert_classes_spans_and_misses(tmp_path):
    gold = _jsonl(tmp_path, "cb.jsonl", [
        {"id": "c1", "text": STRIKE, "pentaclass": 4, "source": ["Turkish warplanes"], "target": ["PKK positions"]},
        {"id": "c2", "text": CONDEMN, "pentaclass": 3, "source": ["The United States"], "target": ["Houthi"]},
        {"id": "c3", "text": NOTHING, "pentaclass": 0, "source": [], "target": []},
        {"id": "c4", "text": NOTHING, "pentaclass": 4, "source": [], "target": []},  # a miss, on purpose
        {"id": "c5", "text": STRIKE, "pentaclass": None},  # no class: not scored
    ])
    misses = tmp_path / "misses.jsonl"
    result = _run("eval", "conflibert", gold, "--format", "json", "--misses", str(misses))
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["n"] == 4 and scores["accuracy"] == 0.75
    assert scores["mc_precision"] == 1.0 and scores["mc_recall"] == 0.5
    assert scores["source_overlap"] == 1.0 and scores["target_overlap"] == 1.0
    (missed,) = [json.loads(line) for line in misses.read_text().splitlines()]
    assert missed["id"] == "c4" and missed["why"] == "gold 4 predicted 0" and missed["best"] is None


def test_ucdp_events_and_sides(tmp_path):
    path = tmp_path / "ged.csv"
    path.write_text(
        "id,date_start,type_of_violence,side_a,side_b,source_date,source_headline\n"
        f"1,2024-01-15,1,Government of Turkey,PKK,2024-01-16,\"{NOTHING}; {STRIKE}\"\n"
        f"2,2024-01-15,1,Government of Iraq,IS,2024-01-16,{NOTHING}\n", encoding="utf-8")
    misses = tmp_path / "m.jsonl"
    result = _run("eval", "ucdp", str(path), "--format", "json", "--misses", str(misses))
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    # event 1: the second headline gives Turkish forces ASSAULT PKK (both sides); event 2: nothing
    assert (scores["n"], scores["event_recall"], scores["side_as_party"]) == (2, 0.5, 0.5)
    assert [json.loads(line)["id"] for line in misses.read_text().splitlines()] == ["2"]


def test_plover_reports_the_statement_level_figure(tmp_path):
    gold = _jsonl(tmp_path, "p.jsonl", [
        {"id": "p1", "text": STRIKE, "event": "ASSAULT", "source": [{"code": "TUR"}], "target": []},
        {"id": "p2", "text": NOTHING, "event": "ASSAULT", "source": [], "target": []},
    ])
    result = _run("eval", "plover", gold, "--format", "json")
    scores = json.loads(result.stdout)
    st = scores["statements"]
    assert st["n"] == 2 and st["with_statement"] == 1 and st["per_type"]["ASSAULT"]["recall"] == 0.5
    assert st["source_country_accuracy"] == 1.0


def test_bad_gold_line_is_one_line(tmp_path):
    gold = _jsonl(tmp_path, "bad.jsonl", [{"id": "x", "text": STRIKE, "pentaclass": 9}])
    result = CliRunner().invoke(cli, ["eval", "conflibert", gold])
    assert result.exit_code == 2 and "bad.jsonl:1" in result.output and "Traceback" not in result.output
