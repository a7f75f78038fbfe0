import sys

import click

from ..ingest import read_paths
from ..ingest.decode import DEFAULT_MAX_BYTES
from .common import (
    column_option,
    emit_rows,
    exit_if_skipped,
    format_option,
    outlet_option,
    progress_bars,
    published_option,
)

COLUMNS = ["id", "record_id", "title", "outlet", "published", "date_source", "dateline_place", "paragraphs",
           "chars", "source"]


@click.command("articles")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@published_option
@outlet_option
@column_option
@click.option("--max-size", "max_mb", type=click.FloatRange(min=0.001), default=DEFAULT_MAX_BYTES / 2**20,
              show_default=True, metavar="MB", help="Skip inputs larger than this many megabytes.")
@format_option()
@click.pass_context
def articles_cmd(ctx, paths, published, outlet, columns, max_mb, fmt):
    """Read articles and print their metadata (id, title, outlet, published, how the date was found).

    \b
    PATH is a .txt, .html, .jsonl, .json or .csv/.tsv file, a directory (read recursively),
    a glob (quote it), or - for stdin.
    date_source says where the publication date came from: metadata (page tags or a
    published column), dateline, outlet-line ("Gulan Media December 6, 2023"), header
    (a labelled date line), override (--published) or none.  A save/print date at the
    top of a page is not taken when an outlet line or dateline gives the date.
    A wire dateline opening the body ("DUBAI (AP) —", "BAGHDAD, Jan. 30, 2024 (Reuters) -")
    is cut off before extraction: its place is dateline_place, its agency the outlet (unless
    the input names one), its date the publication date (unless metadata gives one).
    Unreadable inputs, lines or fields are reported on stderr, one line each, and the
    exit code is 2 (what could be read is still printed); 0 when everything was read.
    Text layout, header rules and error messages: docs/ingest.md.
    Examples:
      graphkit articles data/articles/
      graphkit articles saved_page.html --format json
      graphkit articles 'exports/*.csv' --column text=body --column published=pubdate
      cat story.txt | graphkit articles - --published 2023-12-06
    """
    verbose = (ctx.find_root().obj or {}).get("verbose", 0)
    with progress_bars(ctx) as bars:
        def progress(done: int, total: int, name: str) -> None:
            bars.update("reading", done, total, f"reading {name[-40:]}")

        result = read_paths(paths, published=published, outlet=outlet, columns=columns, stdin=sys.stdin,
                            max_bytes=int(max_mb * 2**20), progress=progress if bars else None)
    rows = [{
        "id": a.id, "record_id": a.record_id, "title": a.title, "outlet": a.outlet, "published": a.published,
        "date_source": a.date_source, "dateline_place": a.dateline_place, "paragraphs": sum(1 for p in a.paragraphs if p.kind == "body"),
        "chars": len(a.text), "source": a.source,
    } for a in result.articles]
    emit_rows(rows, fmt, COLUMNS)
    for note in result.notes:
        click.echo(f"graphkit: note: {note}", err=True)
    for where, article_id in result.duplicates:
        click.echo(f"graphkit: note: {where}: duplicate of article {article_id}, read once", err=True)
    for problem in result.problems:
        click.echo(f"graphkit: skipped: {problem}", err=True)
    if verbose:
        click.echo(f"graphkit: {len(result.articles)} articles, {len(result.problems)} problems, "
                   f"{len(result.duplicates)} duplicates", err=True)
    exit_if_skipped(result.problems)


COMMANDS = [articles_cmd]
