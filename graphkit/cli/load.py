import click

from .common import not_yet, store_option


@click.command("load")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@store_option
def load_cmd(paths, store):
    """Extract statements from articles and store them (idempotent: re-running adds nothing).

    \b
    Examples:
      graphkit load data/articles/                               # ./graphkit.db
      graphkit load news.jsonl --store bolt://127.0.0.1:7687     # Neo4j
    """
    not_yet("graphkit load", 6)


COMMANDS = [load_cmd]
