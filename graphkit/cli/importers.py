import click

from ..errors import InputError
from .common import emit_rows, format_option, not_yet, store_option


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
@click.option("--registry-out", "registry_out", type=click.Path(dir_okay=False), default=None,
              help="Where to write the imported actors (JSON registry file). Default: "
                   "phoenix-<name>.json in the user registry folder, which every command reads.")
@format_option()
def import_phoenix(file, registry_out, fmt):
    """A Phoenix/PETRARCH actor dictionary (TABARI format) into the actor registry.

    The dictionary is merged with the built-in registry (names of known persons join the
    curated actor; every CAMEO code becomes an actor with dated MEMBER_OF / PART_OF ties) and
    written as a JSON registry file. By default it goes to the user registry folder
    ($GRAPHKIT_ACTORS_DIR, else ~/.config/graphkit/actors/), so `graphkit actors`, `extract`
    and `load` pick it up from then on; delete the file to undo. Re-importing replaces it.

    \b
    Examples:
      graphkit import phoenix Phoenix.Countries.actors.txt
      graphkit import phoenix Phoenix.International.actors.txt --registry-out my-actors.json
      graphkit actors "Ban Ki-moon" --on 2010-01-01
    """
    from pathlib import Path

    from ..registry import Registry, user_actors_dir
    from ..registry.files import write_registry_json
    from ..registry.phoenix import merge_phoenix_detailed, parse_phoenix

    path = Path(file)
    dictionary = parse_phoenix(path)
    for warning in dictionary.warnings:
        click.echo(f"graphkit: warning: {warning}", err=True)
    if not dictionary.entries:
        raise InputError(str(path), "no actor entries found (is this a TABARI .actors.txt file?)")
    out = Path(registry_out) if registry_out else user_actors_dir() / f"phoenix-{_stem(path)}.json"
    # merge against the registry without this file, so a re-import starts from scratch
    registry = Registry.fresh(exclude=[out])
    result = merge_phoenix_detailed(registry, dictionary)
    write_registry_json(out, result.actors.values(), result.affiliations, f"phoenix:{path.name}")
    row = {"file": str(path), "entries": len(dictionary.entries), "names": result.names,
           "actors_added": result.added, "actors_written": len(result.actors),
           "affiliations": len(result.affiliations), "warnings": len(dictionary.warnings), "written_to": str(out)}
    emit_rows([row], fmt)


def _stem(path) -> str:
    name = path.name
    for suffix in (".actors.txt", ".txt"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


COMMANDS = [import_group]
