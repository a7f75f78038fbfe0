"""Options and helpers shared by the graphkit commands."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import click

from ..errors import NotYetError

store_option = click.option(
    "--store",
    "store",
    envvar="GRAPHKIT_STORE",
    default=None,
    metavar="URI",
    help="Where the graph lives: sqlite:///FILE (default sqlite:///graphkit.db), "
    "bolt://HOST:PORT or neo4j://HOST:PORT (NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE "
    "from the environment). Also GRAPHKIT_STORE.",
)


_RECORD_FIELDS = ("id", "url", "title", "outlet", "published", "text")


def _parse_columns(ctx, param, values):
    mapping = {}
    for value in values:
        field, sep, column = value.partition("=")
        if not sep or field not in _RECORD_FIELDS or not column:
            raise click.BadParameter(f"{value!r}: expected FIELD=COLUMN with FIELD one of {', '.join(_RECORD_FIELDS)}")
        mapping[field] = column
    return mapping or None


def _switch_on_layers(ctx, param, values):
    # The environment carries the choice to every registry this command builds (worker processes
    # too); it overrides graphkit.toml [registry] layers, and is put back when the command ends.
    if values:
        import os

        from ..registry.files import LAYERS_ENV

        before = os.environ.get(LAYERS_ENV)
        os.environ[LAYERS_ENV] = ",".join(values)

        def restore():
            if before is None:
                os.environ.pop(LAYERS_ENV, None)
            else:
                os.environ[LAYERS_ENV] = before

        ctx.call_on_close(restore)
    return values


registry_option = click.option(
    "--registry", "registry_layers", multiple=True, metavar="LAYER", callback=_switch_on_layers,
    expose_value=False,
    help="Switch on an imported registry layer (`graphkit actors --sources` lists them), e.g. "
         "--registry phoenix-countries; repeatable. Also GRAPHKIT_REGISTRY_LAYERS or graphkit.toml.")


def _parse_published(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date as YYYY-MM-DD") from None


published_option = click.option(
    "--published", metavar="DATE", callback=_parse_published,
    help="Override the publication date of every article read (YYYY-MM-DD): relative dates in the text "
         "(\"on Saturday\") are read against it; date_source becomes 'override'.")

outlet_option = click.option(
    "--outlet", metavar="NAME", default=None,
    help="Override the outlet of every article read (what a dateline's agency, a Source: line or an "
         "outlet column would give).")


column_option = click.option(
    "--column", "columns", multiple=True, metavar="FIELD=COLUMN", callback=_parse_columns,
    help="Column/key name of a field in .jsonl/.csv input, e.g. --column text=body --column id=doc_no "
         "(repeatable). The record's id column is kept on the article and on every statement's evidence.")


def format_option(choices: Sequence[str] = ("table", "csv", "json"), default: str = "table", dest: str = "fmt"):
    return click.option(
        "--format",
        dest,
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help="Output format.",
    )


def not_yet(what: str, issue: int) -> None:
    raise NotYetError(f"not yet: {what} is not built yet (tracked in issue {issue})")


def _jsonable(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (set, tuple)):
        return list(value)
    return value


def emit_rows(rows: Iterable[dict], fmt: str, columns: Sequence[str] | None = None, out=None) -> int:
    """Write rows as a table, CSV or JSON (a list; jsonl for one object a line). Returns the row count."""
    out = out or sys.stdout
    rows = list(rows)
    if columns is None:
        columns = list(rows[0].keys()) if rows else []
    if fmt == "json":
        json.dump([{c: _jsonable(r.get(c)) for c in columns} for r in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "jsonl":
        for r in rows:
            out.write(json.dumps({c: _jsonable(r.get(c)) for c in columns}, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({c: _cell(r.get(c)) for c in columns})
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(show_lines=False, header_style="bold")
        for c in columns:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*(_cell(r.get(c)) for c in columns))
        Console(file=out, width=200 if not out.isatty() else None).print(table)
    return len(rows)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(_jsonable(value), ensure_ascii=False, default=str)
    return str(_jsonable(value))
