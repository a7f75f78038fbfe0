"""The graphkit command line: one click group, one module a command."""

from __future__ import annotations

import logging
import sys

import click

from .. import __version__
from ..errors import GraphkitError


class GraphkitGroup(click.Group):
    """Turns GraphkitError into one line on stderr and a meaningful exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except GraphkitError as err:
            click.echo(f"graphkit: error: {err}", err=True)
            sys.exit(err.exit_code)
        except BrokenPipeError:
            sys.exit(0)


@click.group(cls=GraphkitGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("-v", "--verbose", count=True, help="More detail on stderr (-vv for debug).")
@click.version_option(__version__, prog_name="graphkit")
@click.pass_context
def cli(ctx: click.Context, verbose: int) -> None:
    """graphkit: news articles to an actor-relationship knowledge graph.

    \b
    Pipeline:  articles -> extract -> load (store) -> tension / render / report
    Quick start (embedded store, no server):
      graphkit load data/articles/          # extract and store in ./graphkit.db
      graphkit tension --freq M             # dyad conflict/cooperation by month
      graphkit render -o graph.html         # interactive network view
    With Neo4j:
      graphkit neo4j start                  # local server on bolt://127.0.0.1:7687
      graphkit load data/articles/ --store bolt://127.0.0.1:7687
      graphkit query top_dyads --param order=hostile --store bolt://127.0.0.1:7687
    """
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="graphkit: %(levelname)s: %(message)s", stream=sys.stderr)
    for noisy in ("neo4j", "urllib3", "trafilatura", "htmldate", "matplotlib"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def _register() -> None:
    from . import actors, analysis, articles, eval_cmd, extract, importers, load, neo4j_cmd, query, render

    for module in (articles, extract, load, query, actors, analysis, render, importers, eval_cmd, neo4j_cmd):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()

if __name__ == "__main__":  # pragma: no cover
    cli()
