import sys

import click

from .common import emit_rows, format_option

TABLE_COLUMNS = ("date", "source", "type", "target", "modality", "location", "mentions", "rule", "sentence")


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@format_option(("jsonl", "csv", "table"), default="jsonl")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Parse with N processes.")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(exists=True), help="Extra actor registry file(s).")
@click.pass_context
def extract_cmd(ctx, paths, fmt, workers, actor_files):
    """Extract typed, dated actor-to-actor statements from articles.

    \b
    Each JSONL line is one statement (schema: docs/statements.md): id, source, target
    (id, name, kind, country), type (PLOVER or TENSION/ALLIANCE), cameo, quad_class, goldstein,
    date, date_precision, modality, attribution, location, article_id, sentence,
    char_start, char_end, rule, confidence, mentions, evidence.
    Inputs that cannot be read are reported on stderr (one line each); the others are still
    processed, and the exit code is 2.
    Examples:
      graphkit extract data/articles/ > statements.jsonl
      graphkit extract story.txt --format table
      graphkit extract corpus/ --workers 2 --actors my_actors.toml --format csv
    """
    from ..extract import Extractor, extract
    from ..ingest import read_paths
    from ..registry import Registry
    from ..serialize import statement_to_dict

    result = read_paths(list(paths))
    for problem in result.problems:
        click.echo(f"graphkit: error: {problem}", err=True)
    registry = Registry.default(extra=actor_files)
    extractor = Extractor(registry=registry)
    show = (ctx.obj or {}).get("verbose", 0) > 0 or sys.stderr.isatty()
    if show and result.articles:
        from rich.progress import Progress

        with Progress(transient=True, console=_stderr_console()) as bar:
            task = bar.add_task("extracting", total=len(result.articles))
            statements = extract(result.articles, extractor=extractor, workers=workers,
                                 progress=lambda n: bar.advance(task, n))
    else:
        statements = extract(result.articles, extractor=extractor, workers=workers)
    if fmt == "table":
        rows = [{**statement_to_dict(st), "source": st.source.name, "target": st.target.name} for st in statements]
        emit_rows(rows, "table", TABLE_COLUMNS)
    else:
        rows = [statement_to_dict(st) for st in statements]
        columns = list(rows[0]) if rows else None
        emit_rows(rows, fmt, columns)
    if (ctx.obj or {}).get("verbose", 0):
        parsed = (f", {extractor.parsed_sentences}/{extractor.seen_sentences} sentences parsed in full"
                  if workers == 1 else "")
        click.echo(f"graphkit: {len(result.articles)} article(s), {len(statements)} statement(s){parsed}", err=True)
    if result.problems or extractor.failures:  # failures: reported on stderr as they happened
        sys.exit(2)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


COMMANDS = [extract_cmd]
