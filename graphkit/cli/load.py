"""graphkit load: articles or extracted statements into the store."""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path

import click

from ..loading import DEFAULT_BATCH_SIZE
from .common import article_options, exit_if_skipped, progress_bars, store_option


@click.command("load")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@store_option
@click.option("--actors", "actors_file", metavar="FILE", type=click.Path(dir_okay=False),
              help="Extra actors for the registry (its TOML/JSON format); a JSON list or JSONL of "
              "actor objects is also stored as it is.")
@click.option("--batch-size", default=DEFAULT_BATCH_SIZE, show_default=True, type=click.IntRange(min=1),
              help="Statements per transaction.")
@article_options
@click.option("--bulk", is_flag=True, help="A new Neo4j database only: write the files neo4j-admin imports and "
              "import them (the local server is stopped, imported into and started again; for a remote "
              "server the command to run there is printed). Far faster than transactions for a first load.")
@click.option("--neo4j-home", metavar="DIR", type=click.Path(file_okay=False),
              help="With --bulk: the home of the local server (as given to graphkit neo4j start --home).")
@click.option("--import-dir", metavar="DIR", type=click.Path(file_okay=False),
              help="With --bulk: where the import files are written (default: a temporary folder; "
                   "for a remote server, a folder to copy to its import directory).")
@click.option("--max-size", "max_mb", type=click.FloatRange(min=0.001), default=None, metavar="MB",
              help="Refuse an input file larger than this. Default: 20 MB for an article file, no limit "
              "for statement JSONL (streamed; one line may be up to 64 MB).")
@click.pass_context
def load_cmd(ctx, paths, store, actors_file, batch_size, workers, columns, cluster, bulk, neo4j_home,
             import_dir, published, outlet, max_mb):
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
      graphkit -v load statements.jsonl                          # with progress
      graphkit load corpus/ --workers 2                          # parse with two processes
      graphkit load archive/ --cluster local:4                   # extract on a Dask cluster
      graphkit load shards/ --bulk --store bolt://127.0.0.1:7687 # first load of a large archive
      graphkit load wire/ --outlet Reuters --published 2024-01-30  # inputs that carry neither
    """
    from ..extract.cluster import connect
    from ..loading import load
    from ..store import open_store

    verbose = (ctx.obj or {}).get("verbose", 0)
    max_bytes = int(max_mb * 2**20) if max_mb else None
    with open_store(store) as st, connect(cluster) as client, _bulk_sink(st, bulk, neo4j_home, import_dir,
                                                                          verbose) as sink:
        with progress_bars(ctx) as bars:
            def progress(done: int, total: int | None, what: str) -> None:
                bars.update(what, done, total)

            report = load(paths, st, actors_file=actors_file, batch_size=batch_size,
                          progress=progress if bars else None, columns=columns, workers=workers, cluster=client,
                          bulk_sink=sink, published=published, outlet=outlet, max_bytes=max_bytes)
    if sink is not None and sink.command:
        click.echo(f"graphkit: import files written to {sink.folder}; copy them to the server's import folder and "
                   f"run there, with the server stopped:\n  {sink.command}", err=True)
    counts = report.counts
    for note in report.notes:
        click.echo(f"graphkit: note: {note}", err=True)
    for where, reason in counts.skipped:
        click.echo(f"graphkit: skipped: {where}: {reason}", err=True)
    for kind in ("articles", "actors", "statements", "mentions"):
        line = (f"{kind:<11} added {counts.added.get(kind, 0):>7}   "
                f"already present {counts.present.get(kind, 0):>7}")
        click.echo(line)
    click.echo(f"{'skipped':<11} {len(counts.skipped):>13}" + ("   (reasons on stderr)" if counts.skipped else ""))
    exit_if_skipped(counts.skipped)


@contextmanager
def _bulk_sink(store, bulk: bool, neo4j_home: str | None, import_dir: str | None, verbose: int):
    """The store's initial-import sink for a --bulk load (None without --bulk); a temporary folder for
    its files when none is named, removed when the load ends."""
    if not bulk:
        yield None
        return
    if import_dir:
        sink = store.initial_import(home_dir=neo4j_home, folder=import_dir)
        sink.verbose = verbose > 0
        yield sink
        return
    with tempfile.TemporaryDirectory(prefix="graphkit-import-") as folder:
        sink = store.initial_import(home_dir=neo4j_home, folder=folder)
        sink.verbose = verbose > 0
        if sink.home is None:  # a remote server: the files must outlive this run
            sink.folder = Path("graphkit-import")
        yield sink


COMMANDS = [load_cmd]
