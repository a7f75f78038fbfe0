"""Every command's --help examples run: each "Examples:" line of every command's help is run (in this
process, with click's runner; pipes, && and > as a shell would) in a folder holding a sample store
built from data/articles and small sample inputs named as the examples name them.

Examples that need the Neo4j server run against the test server (GRAPHKIT_TEST_NEO4J_URI) and are
skipped without it; examples that need a remote Dask scheduler, or stop a server (--bulk), are skipped
with that reason."""

from __future__ import annotations

import csv
import glob
import os
import shlex
import shutil
import zipfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from graphkit.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ARTICLES = ROOT / "data" / "articles"
DEFAULT_BOLT = "bolt://127.0.0.1:7687"
# The dev sets the eval examples name: the first lines of each (copied into the sandbox) keep the run short.
SMALL = {"../shared/eval/plover/plover_gsr.jsonl": "gold.jsonl", "../shared/eval/conflibert/train.jsonl":
         "sentences.jsonl", "../shared/eval/ucdp/iraq_dev.csv": "ged_events.csv"}
# Examples that fail on the sample store for reasons outside this test's reach, each with its reason.
KNOWN_FAILING: dict[str, str] = {}  # example -> why it cannot run on the sample store


def _examples() -> list[tuple[str, str]]:
    ctx = click.Context(cli)
    found: list[tuple[str, str]] = []

    def walk(command, path):
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                walk(command.get_command(ctx, name), [*path, name])
            return
        inside = False
        for line in (command.help or "").splitlines():
            text = line.strip()
            if text.startswith("Example"):
                inside = True
            elif inside and text.startswith("graphkit "):
                found.append((" ".join(path), text))
            elif inside and text:
                inside = False

    walk(cli, [])
    return found


EXAMPLES = _examples()


def _skip_reason(example: str) -> str | None:
    if "tcp://" in example:
        return "needs a running Dask scheduler"
    if "--bulk" in example:
        return "a --bulk first load replaces the test server's database with neo4j-admin"
    if "bolt://" in example and not os.environ.get("GRAPHKIT_TEST_NEO4J_URI"):
        return "needs the Neo4j test server (GRAPHKIT_TEST_NEO4J_URI)"
    if "../shared" in example and not SHARED.exists():
        return "needs ../shared"
    return None


def _first_lines(source: Path, target: Path, n: int) -> None:
    with open(source, encoding="utf-8") as fh:
        target.write_text("".join(line for _, line in zip(range(n), fh, strict=False)), encoding="utf-8")


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory):
    """A folder with the sample store (./graphkit.db from data/articles) and every input the examples name."""
    home = tmp_path_factory.mktemp("examples")
    (home / "data").mkdir()
    shutil.copytree(ARTICLES, home / "data" / "articles")
    for name in ("corpus", "news", "archive", "wire"):
        shutil.copytree(ARTICLES, home / name)
    txt = sorted(ARTICLES.glob("*.txt"))[0]
    for name in ("story.txt", "article.txt"):
        shutil.copy(txt, home / name)
    shutil.copy(next(ARTICLES.glob("*.html")), home / "saved_page.html")
    shutil.copy(next(ARTICLES.glob("*.jsonl")), home / "news.jsonl")
    (home / "exports").mkdir()
    with open(home / "exports" / "a.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["doc_no", "pubdate", "body"])
        out.writerow(["d1", "2024-01-14", txt.read_text(encoding="utf-8")])
    shutil.copy(home / "exports" / "a.csv", home / "export.csv")
    (home / "my_actors.toml").write_text('[[actor]]\nid = "IRQ.TEST_GROUP"\nname = "Test Group"\nkind = "militia"\n'
                                         'country = "IRQ"\n', encoding="utf-8")
    acled = ROOT / "tests" / "data" / "acled_sample.csv"
    for name in ("2023-12-01-2023-12-31-Iraq.csv", "iraq.csv"):
        _first_lines(acled, home / name, 10)  # its well-formed rows (the later ones are broken on purpose)
    gdelt = SHARED / "formats" / "gdelt" / "20191024143000.export.CSV"
    if gdelt.exists():
        shutil.copy(gdelt, home / "20191024143000.export.CSV")
        with zipfile.ZipFile(home / "20191024143000.export.CSV.zip", "w") as zf:
            zf.write(gdelt, arcname="20191024143000.export.CSV")
        gdelt1 = SHARED / "formats" / "gdelt" / "gdelt1_events_sample_with_header.tsv"
        if gdelt1.exists():
            shutil.copy(gdelt1, home / "20130401.export.CSV")
    phoenix = SHARED / "reference" / "phoenix"
    if phoenix.exists():  # small dictionaries with the examples' names: the first entries of each
        _first_lines(phoenix / "Phoenix.Countries.actors.txt", home / "Phoenix.Countries.actors.txt", 300)
        _first_lines(phoenix / "Phoenix.International.actors.txt", home / "Phoenix.International.actors.txt", 300)
    if SHARED.exists():
        _first_lines(SHARED / "eval" / "plover" / "plover_gsr.jsonl", home / "gold.jsonl", 20)
        _first_lines(SHARED / "eval" / "conflibert" / "train.jsonl", home / "sentences.jsonl", 20)
        _first_lines(SHARED / "eval" / "ucdp" / "iraq_dev.csv", home / "ged_events.csv", 20)
    env = {"GRAPHKIT_ACTORS_DIR": str(home / "actors"), "GRAPHKIT_STORE": None, "GRAPHKIT_CACHE": str(home / "cache")}
    old = os.getcwd()
    os.chdir(home)
    try:
        # the sample articles and the seed (the examples centre on its actors: PMF, USA), so that every
        # example runs whichever of them runs first
        steps = [["load", "data/articles/"], ["load", str(SHARED / "seed")], ["extract", "data/articles/"]]
        if phoenix.exists():
            steps += [["import", "phoenix", "Phoenix.Countries.actors.txt", "--registry-out", "phoenix-countries.json"],
                      ["import", "phoenix", "Phoenix.International.actors.txt", "--registry-out", "phoenix-intl.json"],
                      ["import", "phoenix", "Phoenix.Countries.actors.txt"]]
        for step in steps:
            result = CliRunner().invoke(cli, step, env=env)
            assert result.exit_code == 0, (step, result.output)
            if step[0] == "extract":
                (home / "statements.jsonl").write_text(result.stdout, encoding="utf-8")
                # a merged file (extraction + imports) and Parquet shards, as the tension examples name
                (home / "merged.jsonl").write_text(result.stdout, encoding="utf-8")
        result = CliRunner().invoke(cli, ["extract", "data/articles/", "--shards", "shards/"], env=env)
        assert result.exit_code == 0, result.output
        # the layer the examples switch on by its lower-case name
        layers = home / "actors" / "layers"
        if (layers / "phoenix-Countries.json").exists():
            shutil.copy(layers / "phoenix-Countries.json", layers / "phoenix-countries.json")
    finally:
        os.chdir(old)  # a session fixture must not leave the other tests in its folder
    return home, env


def _segments(example: str) -> list[tuple[str, list[str], str | None]]:
    """(joiner, argv, redirect) per command of an example line: joiner is "", "|" or "&&"."""
    lexer = shlex.shlex(example, posix=True, punctuation_chars="|&>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    parts: list[tuple[str, list[str], str | None]] = []
    joiner, argv, redirect, expect_file = "", [], None, False
    for token in lexer:
        if token in ("|", "&&"):
            parts.append((joiner, argv, redirect))
            joiner, argv, redirect = token, [], None
        elif token == ">":
            expect_file = True
        elif expect_file:
            redirect, expect_file = token, False
        else:
            argv.append(token)
    parts.append((joiner, argv, redirect))
    return parts


@pytest.mark.parametrize("command, example", EXAMPLES, ids=[f"{c}:{i}" for i, (c, _) in enumerate(EXAMPLES)])
def test_help_example_runs(sandbox, command, example, monkeypatch):
    reason = _skip_reason(example)
    if reason:
        pytest.skip(reason)
    if example in KNOWN_FAILING:
        pytest.xfail(KNOWN_FAILING[example])
    home, env = sandbox
    monkeypatch.chdir(home)  # the examples name files relative to where a user types them
    bolt = os.environ.get("GRAPHKIT_TEST_NEO4J_URI", DEFAULT_BOLT)
    previous = None
    for joiner, argv, redirect in _segments(example.replace(DEFAULT_BOLT, bolt)):
        assert argv[0] == "graphkit", example
        args = []
        for arg in argv[1:]:
            arg = SMALL.get(arg, arg.replace("../shared", str(SHARED)))
            matches = sorted(glob.glob(arg)) if any(c in arg for c in "*?[") else []
            args += matches or [arg]  # as a shell expands a pattern that matches
        stdin = previous.stdout if joiner == "|" and previous is not None else None
        result = CliRunner().invoke(cli, args, input=stdin, env=env)
        assert result.exit_code == 0, f"{example!r}: exit {result.exit_code}: {result.output[-2000:]}"
        assert "Traceback" not in result.output
        if redirect:
            (home / redirect).write_text(result.stdout, encoding="utf-8")
        previous = result


def test_every_command_has_examples():
    commands = {c for c, _ in EXAMPLES}
    assert {"actors", "articles", "balance", "export", "extract", "load", "query", "render", "report",
            "tension series", "import acled", "import gdelt", "import phoenix", "eval plover"} <= commands
