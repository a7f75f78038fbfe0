import click

from .common import not_yet


@click.group("eval")
def eval_group():
    """Score extraction against gold-standard data."""


@eval_group.command("plover")
@click.argument("file", type=click.Path(exists=True))
def eval_plover(file):
    """Score a PLOVER gold-standard JSONL file: per-type P/R/F1, macro-F1, country accuracy."""
    not_yet("graphkit eval plover", 5)


COMMANDS = [eval_group]
