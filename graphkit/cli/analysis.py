import click

from .common import format_option, not_yet, store_option


@click.command("tension")
@click.option("--dyad", metavar="A,B", help="One dyad (actor ids or names).")
@click.option("--freq", type=click.Choice(["D", "W", "M"]), default="M", show_default=True)
@click.option("--since", metavar="DATE")
@click.option("--until", metavar="DATE")
@click.option("--level", type=click.Choice(["actor", "organisation", "country"]), default="actor", show_default=True)
@click.option("--alerts", is_flag=True, help="Escalation alerts instead of the series.")
@store_option
@format_option()
def tension_cmd(dyad, freq, since, until, level, alerts, store, fmt):
    """Dyad conflict/cooperation over time, trends and escalation alerts.

    \b
    Examples:
      graphkit tension --freq M
      graphkit tension --dyad USA,IRQ.PMF --freq W --format csv
      graphkit tension --alerts --since 2023-10-01
    """
    not_yet("graphkit tension", 7)


@click.command("balance")
@click.option("--since", metavar="DATE")
@click.option("--until", metavar="DATE")
@store_option
@format_option()
def balance_cmd(since, until, store, fmt):
    """Signed-network structural balance, factions and unbalanced triads."""
    not_yet("graphkit balance", 7)


COMMANDS = [tension_cmd, balance_cmd]
