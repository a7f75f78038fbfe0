import click

from .common import not_yet, store_option


@click.command("render")
@click.option("-o", "--output", default="graph.html", show_default=True, type=click.Path())
@click.option("--since", metavar="DATE")
@click.option("--until", metavar="DATE")
@click.option("--actor", metavar="A", help="Centre on one actor ...")
@click.option("--hops", type=int, default=1, show_default=True, help="... and its N-hop neighbourhood.")
@store_option
def render_cmd(output, since, until, actor, hops, store):
    """Write an interactive, self-contained HTML network view (works offline).

    \b
    Examples:
      graphkit render -o graph.html
      graphkit render --actor IRQ.PMF --hops 2 -o pmf.html
    """
    not_yet("graphkit render", 8)


@click.command("report")
@click.option("-o", "--output", default="report", show_default=True, type=click.Path())
@store_option
def report_cmd(output, store):
    """Write an HTML report: network, escalating dyads, trends, alerts, factions, statements."""
    not_yet("graphkit report", 8)


COMMANDS = [render_cmd, report_cmd]
