"""graphkit load: articles or extracted statements into the store."""

from __future__ import annotations

import sys

import click

from ..pipeline import DEFAULT_BATCH_SIZE
from .common import store_option


@click.command("load")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@store_option
@click.option("--actors", "actors_file", metavar="FILE", type=click.Path(dir_okay=False),
              help="Extra actors for the registry (its TOML/JSON format); a JSON list or JSONL of "
              "actor objects is also stored as it is.")
@click.option("--batch-size", default=DEFAULT_BATCH_SIZE, show_default=True, type=click.IntRange(min=1),
              help="Statements per transaction.")
@click.option("--max-size", "max_mb", type=click.FloatRange(min=0.001), default=None, metavar="MB",
              help="Refuse an input file larger than this. Default: 20 MB for an article file, no limit "
              "for statement JSONL (streamed; one line may be up to 64 MB).")
@click.pass_context
def load_cmd(ctx, paths, store, actors_file, batch_size, max_mb):
    """Extract statements from articles and store them (idempotent: re-running adds nothing).

    PATH is an article file, folder or glob, a statement JSONL file written by
    `graphkit extract` (recognised by its first object), or - for statement JSONL on stdin.
    Each batch is one transaction and every write merges on deterministic ids, so an
    interrupted load is finished by running it again. Schema constraints are created when missing.

    Ends with counts per kind: added, already present, skipped (with the reason, on stderr).
    Exit status: 0 all stored, 2 some input skipped, 4 the store failed.

    \b
    Examples:
      graphkit load data/articles/                               # ./graphkit.db
      graphkit load news.jsonl --store bolt://127.0.0.1:7687     # Neo4j
      graphkit extract news/ | graphkit load - --store sqlite:///iraq.db
      graphkit load statements.jsonl -v                          # with progress
    """
    from ..pipeline import load
    from ..store import open_store

    verbose = (ctx.obj or {}).get("verbose", 0)
    max_bytes = int(max_mb * 2**20) if max_mb else None
    show = verbose > 0 or sys.stderr.isatty()
    with open_store(store) as st:
        if show:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          transient=True, console=_stderr_console()) as bar:
                tasks: dict[str, int] = {}

                def progress(done, total, what):
                    if what not in tasks:
                        tasks[what] = bar.add_task(what, total=total)
                    bar.update(tasks[what], completed=done, total=total)

                report = load(paths, st, actors_file=actors_file, batch_size=batch_size, progress=progress,
                              max_bytes=max_bytes)
        else:
            report = load(paths, st, actors_file=actors_file, batch_size=batch_size, max_bytes=max_bytes)
    counts = report.counts
    for where, reason in counts.skipped:
        click.echo(f"graphkit: skipped: {where}: {reason}", err=True)
    for kind in ("articles", "actors", "statements", "mentions"):
        line = (f"{kind:<11} added {counts.added.get(kind, 0):>7}   "
                f"already present {counts.present.get(kind, 0):>7}")
        click.echo(line)
    click.echo(f"{'skipped':<11} {len(counts.skipped):>13}" + ("   (reasons on stderr)" if counts.skipped else ""))
    if counts.skipped:
        sys.exit(2)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


COMMANDS = [load_cmd]
