import click

from .common import format_option, not_yet


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@format_option(("jsonl", "csv", "table"), default="jsonl")
@click.option("--workers", type=int, default=1, show_default=True, help="Parse with N processes.")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(exists=True), help="Extra actor registry file(s).")
def extract_cmd(paths, fmt, workers, actor_files):
    """Extract typed, dated actor-to-actor statements from articles.

    \b
    Each JSONL line is one statement: id, source, target, type (PLOVER), cameo,
    quad_class, goldstein, date, date_precision, modality, attribution, location,
    article_id, sentence, char_start, char_end, rule, confidence, mentions.
    Examples:
      graphkit extract data/articles/ > statements.jsonl
      graphkit extract story.txt --format table
    """
    not_yet("graphkit extract", 5)


COMMANDS = [extract_cmd]
