"""Exit codes: one table (graphkit.errors.EXIT_CODES), the README's table equal to it, and every command
that reads input exits 2 (SKIPPED) when some of it was skipped, as click does for a usage error."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit import errors
from graphkit.cli.main import cli
from graphkit.model import ActorRef, Statement
from graphkit.serialize import statement_to_dict

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_exit_code_table_is_errors_table():
    rows = re.findall(r"^\| (\d+) \| (.+?) \|$", README.read_text(encoding="utf-8"), re.M)
    assert {int(code): meaning for code, meaning in rows} == errors.EXIT_CODES


def test_error_classes_take_their_codes_from_the_table():
    assert errors.InputError("f", "m").exit_code == errors.PartialInput.exit_code == errors.UsageError.exit_code \
        == errors.SKIPPED == 2
    assert errors.NotYetError.exit_code == errors.NOT_BUILT and errors.StoreError.exit_code == errors.STORE_FAILED
    assert set(errors.EXIT_CODES) == {0, 1, 2, 3, 4, 130}


def _statements_with_a_bad_line(tmp_path: Path) -> Path:
    usa, pmf = ActorRef("USA", "United States", "state", "USA"), ActorRef("IRQ.PMF", "PMF", "militia", "IRQ")
    good = [statement_to_dict(Statement(id=f"st_{n}", source=usa, target=pmf, type="ASSAULT", cameo="190",
                                        quad_class=4, goldstein=-10.0, date=date(2024, 1, n), date_precision="day",
                                        article_id=f"a{n}", sentence="s", char_start=0, char_end=1, rule="r",
                                        confidence=0.9)) for n in (1, 2)]
    path = tmp_path / "st.jsonl"
    path.write_text("\n".join([json.dumps(good[0]), '{"id": "broken"', json.dumps(good[1])]) + "\n")
    return path


def _articles_with_a_bad_file(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.txt").write_text("US forces struck PMF positions near Baghdad on Monday.\n")
    (folder / "bad.jsonl").write_text('{"text": "Turkey shelled PKK positions."}\nnot json\n')
    return folder


@pytest.mark.parametrize("command", [
    ["render", "-o", "{tmp}/g.html", "--from", "{st}"],
    ["report", "-o", "{tmp}/rep", "--from", "{st}"],
    ["export", "jsonl", "-o", "{tmp}/x.jsonl", "--from", "{st}"],
    ["actors", "--unresolved", "--from", "{st}"],
    ["load", "{st}", "--store", "sqlite:///{tmp}/g.db"],
    ["articles", "{articles}"],
    ["extract", "{articles}"],
    ["load", "{articles}", "--store", "sqlite:///{tmp}/h.db"],
])
def test_every_command_exits_2_on_skipped_input(tmp_path, command):
    paths = {"{tmp}": str(tmp_path), "{st}": str(_statements_with_a_bad_line(tmp_path)),
             "{articles}": str(_articles_with_a_bad_file(tmp_path))}
    args = []
    for arg in command:
        for key, value in paths.items():
            arg = arg.replace(key, value)
        args.append(arg)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == errors.SKIPPED, (args, result.output)
    assert re.search(r"(st\.jsonl|bad\.jsonl):2", result.stderr), result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [
    ["render", "--since", "yesterday"],
    ["export", "csv", "-o", "x.csv", "--type", "NOT_A_TYPE"],
    ["query", "dyad_timeline", "--param", "nokey"],
    ["load", "--batch-size", "0", "x"],
    ["no-such-command"],
])
def test_usage_errors_exit_2(tmp_path, args, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x").write_text("")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, (args, result.output)
    assert "Traceback" not in result.output
