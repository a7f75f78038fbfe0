import click

from .common import format_option, not_yet, store_option


@click.command("query")
@click.argument("name", required=False)
@click.option("--param", "params", multiple=True, metavar="K=V", help="Query parameter (repeatable).")
@click.option("--cypher", metavar="TEXT", help="Run ad-hoc Cypher (Neo4j only) in a read transaction.")
@click.option("--write", is_flag=True, help="Allow --cypher to write.")
@store_option
@format_option()
def query_cmd(name, params, cypher, write, store, fmt):
    """Run a library query from cypher/queries/ by NAME, or ad-hoc Cypher.

    \b
    Examples:
      graphkit query dyad_timeline --param a=USA --param b=IRQ.PMF
      graphkit query top_dyads --param order=hostile --format csv
      graphkit query --cypher 'MATCH (a:Actor) RETURN a.name LIMIT 5' --store bolt://127.0.0.1:7687
    """
    not_yet("graphkit query", 6)


COMMANDS = [query_cmd]
