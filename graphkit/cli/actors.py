import click

from .common import format_option, not_yet


@click.command("actors")
@click.argument("query", required=False)
@click.option("--on", "on_date", metavar="DATE", help="Resolve as of this date (roles change over time).")
@click.option("--unresolved", is_flag=True, help="List provisional actors found by NER but not in the registry.")
@format_option()
def actors_cmd(query, on_date, unresolved, fmt):
    """Show how a name resolves to a canonical actor, and why.

    \b
    Examples:
      graphkit actors "the Iraqi Prime Minister" --on 2023-12-06
      graphkit actors PMF
      graphkit actors --unresolved
    """
    not_yet("graphkit actors", 4)


COMMANDS = [actors_cmd]
