"""graphkit import gdelt|acled|phoenix: coded event data and actor dictionaries into the graph."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import nullcontext

import click

from ..errors import InputError, PartialInput
from ..model import LoadBatch, LoadCounts
from .common import emit_rows, format_option, progress_bars, store_option


class PartialImport(PartialInput):
    """Some rows or files were bad (each reported on stderr); the rest was imported."""


BatchSource = Callable[..., Iterator[tuple[LoadBatch, list[InputError]]]]


@click.group("import")
def import_group():
    """Import coded event data (GDELT, ACLED) or actor dictionaries (Phoenix)."""


batch_size_option = click.option("--batch-size", default=5000, show_default=True, type=click.IntRange(1),
                                 help="Rows per store transaction.")
max_size_option = click.option("--max-size", "max_mb", type=click.FloatRange(min=0.001), default=None,
                               metavar="MB", help="Refuse a file (or zip member) larger than this. "
                               "Default: no limit (files are streamed).")
dry_run_option = click.option("--dry-run", is_flag=True,
                              help="Parse and map every row and report, but write nothing.")


def run_import(files, store, iter_batches: BatchSource, batch_size: int, dry_run: bool, fmt: str,
               ctx: click.Context, max_mb: float | None = None) -> None:
    """Stream each file's batches into the store; every row imported or reported with file:line."""
    from ..importers.common import ImportReport, RegistryView, SkippedRow
    from ..store import open_store

    verbose = ctx.obj.get("verbose", 0) if ctx.obj else 0
    registry = RegistryView.default()
    report = ImportReport()
    counts = LoadCounts()
    failed_files = 0
    store_ctx = nullcontext(None) if dry_run else open_store(store)
    with store_ctx as target, progress_bars(ctx, keep=verbose > 0) as bars:
        if target is not None:
            target.ensure_schema()
        for path in files:
            try:
                for batch, errors in iter_batches(path, registry, batch_size,
                                                  max_bytes=int(max_mb * 2**20) if max_mb else None):
                    report.imported += len(batch.statements)
                    report.account(errors)
                    for err in errors:
                        if not isinstance(err, SkippedRow):
                            click.echo(f"graphkit: {err}", err=True)
                        elif verbose >= 2:
                            click.echo(f"graphkit: {err}", err=True)
                    if target is not None and (batch.statements or batch.actors or batch.articles):
                        counts.merge(target.write(batch))
                    if bars:
                        bars.advance(str(path), len(batch.statements) + len(errors))
            except InputError as err:  # the file as a whole is unreadable: say so, go on with the next
                failed_files += 1
                click.echo(f"graphkit: {err}", err=True)
    rows = [{"outcome": "imported", "rows": report.imported}]
    rows += [{"outcome": f"skipped: {reason}", "rows": n} for reason, n in report.skipped.most_common()]
    rows.append({"outcome": "malformed (reported above)", "rows": report.malformed})
    rows.append({"outcome": "total rows", "rows": report.accounted})
    for kind, n in sorted(counts.added.items()):
        rows.append({"outcome": f"store: {kind} added", "rows": n})
    for kind, n in sorted(counts.present.items()):
        rows.append({"outcome": f"store: {kind} already present", "rows": n})
    emit_rows(rows, fmt, columns=["outcome", "rows"])
    if failed_files or report.malformed:
        raise PartialImport(f"{report.malformed} malformed row(s) and {failed_files} unreadable file(s) "
                            f"reported above and skipped; {report.imported} row(s) imported")


@import_group.command("gdelt")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@store_option
@batch_size_option
@max_size_option
@dry_run_option
@format_option()
@click.pass_context
def import_gdelt(ctx, files, store, batch_size, max_mb, dry_run, fmt):
    """GDELT event files: 2.0 exports (61 columns) or 1.0 daily files (57/58 columns), plain or
    zipped, with or without a header row.  Streamed: files of any size in constant memory.

    \b
    Each row Actor1 -> Actor2 becomes one statement (dataset "gdelt") with its CAMEO EventCode, the
    PLOVER type mapped from it, QuadClass and GoldsteinScale as GDELT gives them, the SQLDATE (day),
    SOURCEURL as its article and NumMentions/AvgTone kept.  Actor codes the registry knows (USAGOV,
    IRQ, ...) map onto registry actors; others become actors with the CAMEO code as id.
    Rows are never dropped silently: one-sided events (no Actor1 or Actor2) and CAMEO 01x statements
    (no PLOVER type) are counted by reason; malformed rows are reported as FILE:LINE on stderr and the
    exit code is 2.  Statement ids come from GLOBALEVENTID, so re-importing duplicates nothing.

    \b
    Examples:
      graphkit import gdelt 20191024143000.export.CSV.zip
      graphkit import gdelt 2019*.export.CSV --store bolt://127.0.0.1:7687
      graphkit import gdelt 20130401.export.CSV --dry-run --format json
    """
    from ..importers import gdelt

    run_import(files, store, gdelt.iter_batches, batch_size, dry_run, fmt, ctx, max_mb)


@import_group.command("acled")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@store_option
@batch_size_option
@max_size_option
@dry_run_option
@format_option()
@click.pass_context
def import_acled(ctx, files, store, batch_size, max_mb, dry_run, fmt):
    """ACLED CSV exports (plain or zipped), as downloaded from the ACLED export tool or API.

    \b
    Each event actor1 -> actor2 becomes one statement (dataset "acled"): the type from event_type and
    sub_event_type (Battles, Explosions/Remote violence, Violence against civilians -> ASSAULT;
    Protests, Riots -> PROTEST; Strategic developments by sub-event: Arrests -> COERCE, Agreement ->
    AGREE, ...; see data/acled/acled_plover.tsv), the notes as its sentence, fatalities and ACLED's
    fields in its extra.  "Military Forces of Iraq (2022-)" maps to IRQMIL, "Protesters (Iraq)" to
    IRQOPP (data/acled/acled_actors.tsv); other actors become ACLED.<NAME>.  Events without actor2
    are counted and skipped; malformed rows are reported as FILE:LINE.  Ids come from event_id_cnty.

    \b
    Examples:
      graphkit import acled 2023-12-01-2023-12-31-Iraq.csv
      graphkit import acled iraq.csv --store bolt://127.0.0.1:7687 --format json
    """
    from ..importers import acled

    run_import(files, store, acled.iter_batches, batch_size, dry_run, fmt, ctx, max_mb)


@import_group.command("phoenix")
@click.argument("file", type=click.Path())
@click.option("--registry-out", "registry_out", type=click.Path(dir_okay=False), default=None,
              help="Where to write the imported actors (JSON registry file). Default: the named layer "
                   "phoenix-<name>.json in the user registry's layers/ folder, read only when switched on.")
@format_option()
def import_phoenix(file, registry_out, fmt):
    """A Phoenix/PETRARCH actor dictionary (TABARI format) into the actor registry.

    The dictionary is merged with the built-in registry (names of known persons join the
    curated actor; every CAMEO code becomes an actor with dated MEMBER_OF / PART_OF ties) and
    written as a JSON registry file: by default a named layer, phoenix-<name>, in the user
    registry's layers/ folder ($GRAPHKIT_ACTORS_DIR, else ~/.config/graphkit/actors/layers/).
    A layer changes nothing until it is switched on: --registry phoenix-<name> on a command,
    GRAPHKIT_REGISTRY_LAYERS, or graphkit.toml [registry] layers. `graphkit actors --sources`
    lists the layers, which are in force, and their conflicts. Re-importing replaces the layer.

    \b
    Examples:
      graphkit import phoenix Phoenix.Countries.actors.txt       # the layer phoenix-Countries
      graphkit actors --sources --registry phoenix-Countries     # what it adds and overrides
      graphkit extract news/ --registry phoenix-Countries
      graphkit import phoenix Phoenix.International.actors.txt --registry-out my-actors.json
    """
    from pathlib import Path

    from ..inputs import check_file
    from ..registry import Registry
    from ..registry.files import layers_dir, write_registry_json
    from ..registry.phoenix import merge_phoenix_detailed, parse_phoenix

    path = Path(file)
    if path.exists() or path.is_symlink():  # a missing file: parse_phoenix's own message
        check_file(str(path))  # a FIFO, a device, a directory or a link loop: refused up front
    dictionary = parse_phoenix(path)
    for warning in dictionary.warnings:
        click.echo(f"graphkit: warning: {warning}", err=True)
    if not dictionary.entries:
        raise InputError(str(path), "no actor entries found (is this a TABARI .actors.txt file?)")
    out = Path(registry_out) if registry_out else layers_dir() / f"phoenix-{_stem(path)}.json"
    # merge against the registry without this file, so a re-import starts from scratch
    registry = Registry.fresh(exclude=[out])
    result = merge_phoenix_detailed(registry, dictionary)
    write_registry_json(out, result.actors.values(), result.affiliations, f"phoenix:{path.name}")
    row = {"file": str(path), "entries": len(dictionary.entries), "names": result.names,
           "actors_added": result.added, "actors_written": len(result.actors),
           "affiliations": len(result.affiliations), "warnings": len(dictionary.warnings), "written_to": str(out)}
    emit_rows([row], fmt)
    if not registry_out:
        click.echo(f"graphkit: wrote the registry layer {out.stem}; it is not read until switched on: "
                   f"--registry {out.stem}, GRAPHKIT_REGISTRY_LAYERS={out.stem}, or graphkit.toml "
                   f"[registry] layers = [\"{out.stem}\"]", err=True)


def _stem(path) -> str:
    """The layer's name part: "Phoenix.Countries.actors.txt" -> "Countries" (the layer phoenix-Countries)."""
    name = path.name
    if name.lower().startswith("phoenix.") and len(name) > len("phoenix."):
        name = name[len("phoenix."):]
    for suffix in (".actors.txt", ".txt"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name.rsplit(".", 1)[0] if "." in name else name


COMMANDS = [import_group]
