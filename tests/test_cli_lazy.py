"""The command line loads a command's module only when that command runs."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from graphkit.cli.main import COMMANDS, cli


def test_help_lists_every_command_with_its_own_summary():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    listing = result.output.split("Commands:")[1]
    ctx = cli.make_context("graphkit", ["--help"], resilient_parsing=True)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None and command.name == name
        line = next(line for line in listing.splitlines() if line.split()[:1] == [name])
        # the summary read from the source without importing is the one click makes from the command
        listed, full = line.split(None, 1)[1], command.get_short_help_str(1000)
        assert len(listed) > 20 and full.startswith(listed.removesuffix("..."))


def test_help_imports_no_heavy_library():
    code = ("import sys\nfrom graphkit.cli.main import cli\ntry:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'spacy', 'neo4j', 'numpy', 'graphkit.cli.analysis') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(cli, ["tensoin"])
    assert result.exit_code == 2 and "No such command" in result.output
