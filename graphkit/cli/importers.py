import click

from .common import not_yet, store_option


@click.group("import")
def import_group():
    """Import coded event data (GDELT, ACLED) or actor dictionaries (Phoenix)."""


@import_group.command("gdelt")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@store_option
def import_gdelt(files, store):
    """GDELT 2.0 (61 columns) or 1.0 (58 columns) event files, plain or zipped."""
    not_yet("graphkit import gdelt", 10)


@import_group.command("acled")
@click.argument("file", type=click.Path())
@store_option
def import_acled(file, store):
    """An ACLED CSV export."""
    not_yet("graphkit import acled", 10)


@import_group.command("phoenix")
@click.argument("file", type=click.Path())
def import_phoenix(file):
    """A Phoenix/PETRARCH actor dictionary (TABARI format) into the actor registry."""
    not_yet("graphkit import phoenix", 4)


COMMANDS = [import_group]
