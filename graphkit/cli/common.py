"""Options and helpers shared by the graphkit commands."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date

import click

from ..errors import SKIPPED, NotYetError
from ..serialize import jsonable as _jsonable

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


class IsoDate(click.ParamType):
    """A calendar date as YYYY-MM-DD (a full ISO timestamp is read as its day): the one date type of
    every command's date options; a bad value is click's usage error (exit 2) naming the option."""

    name = "date"

    def convert(self, value, param, ctx):
        if value is None or isinstance(value, date):
            return value
        text = str(value).strip()
        try:
            return date.fromisoformat(text[:10]) if len(text) > 10 and text[10] in "T " else date.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not a date as YYYY-MM-DD", param, ctx)

    def get_metavar(self, param, ctx=None):
        return "DATE"


ISO_DATE = IsoDate()

since_option = click.option("--since", type=ISO_DATE, default=None,
                            help="Only statements dated on or after DATE (YYYY-MM-DD); undated ones are left out.")
until_option = click.option("--until", type=ISO_DATE, default=None,
                            help="Only statements dated on or before DATE (YYYY-MM-DD); undated ones are left out.")


# --from: statements from `graphkit extract` output instead of a store, the parameter `from_path`: the one
# definition of every command's --from (graphkit.loading.read_statements reads both kinds).
from_option = click.option(
    "--from", "from_path", metavar="FILE|DIR", type=click.Path(exists=True),
    help="Read statements from a JSONL file written by `graphkit extract`, or from Parquet statement shards "
         "(a folder written by `graphkit extract --shards DIR`, or a .parquet file), instead of a store.",
)


# --no-fallback-places: keep only the places a statement's tellings name (graphkit.model.PLACE_SOURCES).
fallback_places_option = click.option(
    "--fallback-places/--no-fallback-places", "fallback_places", default=True, show_default=True,
    help="Keep places that a fallback gave an event whose sentence names none (place_source "
         "coreference, dateline, article or country); with --no-fallback-places those statements "
         "have no coordinates.")


def window_options(command):
    """--since/--until: the date window (inclusive; graphkit.model.in_window is the rule)."""
    return since_option(until_option(command))


def exit_if_skipped(skipped) -> None:
    """Exit 2 (errors.SKIPPED) when any input was skipped; each was reported on stderr already."""
    if skipped:
        sys.exit(SKIPPED)


published_option = click.option(
    "--published", type=ISO_DATE,
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


cluster_option = click.option(
    "--cluster", metavar="ADDRESS", default=None,
    help="Extract on a Dask cluster: local:N starts N worker processes here; tcp://HOST:8786 uses a "
         "running scheduler (graphkit installed on its workers). Same statements as one process.")


workers_option = click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
                              help="Parse articles with N processes.")


def article_options(command):
    """The options of every command that reads and extracts articles: how records become articles
    (--column, --published, --outlet), which registry layers resolve actors (--registry), and where
    extraction runs (--workers, --cluster)."""
    for option in reversed((workers_option, column_option, cluster_option, registry_option, published_option,
                            outlet_option)):
        command = option(command)
    return command


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


def emit_rows(rows: Iterable[dict], fmt: str, columns: Sequence[str] | None = None, out=None) -> int:
    """Write rows as a table, CSV or JSON (a list; jsonl for one object a line). Returns the row count."""
    out = out or sys.stdout
    rows = list(rows)
    if columns is None:
        columns = list(rows[0].keys()) if rows else []
    if fmt == "json":
        json.dump([{c: _jsonable(r.get(c)) for c in columns} for r in rows], out, ensure_ascii=False, indent=2,
                  allow_nan=False)
        out.write("\n")
    elif fmt == "jsonl":
        for r in rows:
            out.write(json.dumps({c: _jsonable(r.get(c)) for c in columns}, ensure_ascii=False, allow_nan=False) + "\n")
    elif fmt == "csv":
        import csv  # here, not at import: every command's start-up reads this module

        writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({c: _cell(r.get(c)) for c in columns})
    else:
        from rich import box
        from rich.console import Console
        from rich.table import Table

        cells = [[_cell(r.get(c)) for c in columns] for r in rows]
        width = None if out.isatty() else table_width()
        table = Table(show_lines=False, header_style="bold", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        # Short values (numbers, dates, codes) never wrap; a dyad or name gets the room the
        # other columns leave (cut with an ellipsis, never wrapped); long text folds.
        natural = [max([len(c)] + [len(row[j]) for row in cells]) for j, c in enumerate(columns)]
        short = [n <= 16 or c in ("dyad", "name") for c, n in zip(columns, natural, strict=True)]
        fixed = sum(n + 3 for c, n, s in zip(columns, natural, short, strict=True) if s and c not in ("dyad", "name"))
        room = (width or Console(file=out).width) - fixed - 1
        for j, c in enumerate(columns):
            if c in ("dyad", "name"):
                table.add_column(c, overflow="ellipsis", no_wrap=True, max_width=max(room - 2, 12))
            elif short[j]:
                table.add_column(c, no_wrap=True, min_width=natural[j])
            else:
                table.add_column(c, overflow="fold")
        for row in cells:
            table.add_row(*row)
        Console(file=out, width=width).print(table)
    return len(rows)


def table_width() -> int:
    """Width of a table that is not written to a terminal: $COLUMNS, else 200 (pipes and files)."""
    import os

    try:
        return max(int(os.environ.get("COLUMNS", "")), 40)
    except ValueError:
        return 200


def _cell(value) -> str:
    value = _jsonable(value)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def resolve_actor(token: str, option: str, names: dict[str, str] | None = None) -> str:
    """The actor id a user typed as an id, a name or an alias.

    In order: an id present in the data (`names`: id -> display name) or in the registry; a
    unique name or id in the data, ignoring case; the registry's resolver (names, aliases
    and titles, as `graphkit actors` shows), preferring actors present in the data. Two
    candidates or none are a one-line error naming `option`.
    """
    from ..errors import InputError

    names = names or {}
    token = token.strip()
    if token in names:
        return token
    folded = token.casefold()
    hits = sorted({a for a, n in names.items() if a.casefold() == folded or str(n).casefold() == folded})
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise InputError(option, f"{token!r} is ambiguous: {', '.join(hits)}; give an id")
    registry = _registry()
    if registry is not None:
        if registry.get(token) is not None:
            return token
        from ..registry import Resolver

        whole = [m for m in Resolver(registry).explain(token) if m.start == 0 and m.end >= len(token.rstrip(". "))]
        found = sorted({m.actor.id for m in whole})
        present = [a for a in found if a in names]
        if len(present) == 1 or (len(found) == 1 and not present):
            return present[0] if present else found[0]
        if len(found) > 1:
            listed = ", ".join(f"{a} ({registry.get(a).name if registry.get(a) else a})" for a in (present or found))
            raise InputError(option, f"{token!r} is ambiguous: {listed}; give an id")
    known = ", ".join(sorted(names)[:12]) + (" ..." if len(names) > 12 else "")
    raise InputError(option, f"no actor {token!r}: not an id, name or alias in the registry"
                             + (f" or the data (known: {known})" if known else ""))


def _registry():
    try:
        from ..registry import Registry

        return Registry.default()
    except (ImportError, OSError, ValueError):  # the registry files are unreadable: ids and names only
        return None




def emit_frame(frame, fmt: str, columns: Sequence[str], out=None) -> int:
    """Write a pandas frame's `columns` as CSV or JSON in one vectorised pass (pandas' writers,
    strict JSON: NaN is null), or as a table through :func:`emit_rows`. CSV cells read as
    emit_rows writes them (empty for missing, dates as YYYY-MM-DD). Returns the row count."""
    out = out or sys.stdout
    view = frame[list(columns)]
    if fmt == "csv":
        view.to_csv(out, index=False, lineterminator="\n", na_rep="")  # midnight dates: YYYY-MM-DD
    elif fmt in ("json", "jsonl"):
        dates = [c for c in view.columns if str(view[c].dtype).startswith("datetime64")]
        if dates:
            view = view.assign(**{c: view[c].dt.strftime("%Y-%m-%d") for c in dates})
        if fmt == "json":
            text = view.to_json(orient="records", force_ascii=False, indent=2) if len(view) else "[]"
            out.write(text + "\n")
        elif len(view):
            view.to_json(out, orient="records", lines=True, force_ascii=False)
    else:
        return emit_rows(view.to_dict("records"), fmt, list(columns), out)
    return len(view)


class ProgressBars:
    """Named bars on one rich progress display: a bar is made the first time its name is used."""

    def __init__(self, display) -> None:
        self._display = display
        self._tasks: dict[str, int] = {}

    def update(self, what: str, done: int, total: int | None = None, description: str | None = None) -> None:
        """Bar `what` at `done` of `total` (None: unknown, a count without a bar's end)."""
        task = self._task(what, total)
        self._display.update(task, completed=done, total=total, description=description or what)

    def advance(self, what: str, n: int = 1, total: int | None = None) -> None:
        """Bar `what` moved on by n."""
        self._display.advance(self._task(what, total), n)

    def _task(self, what: str, total: int | None) -> int:
        if what not in self._tasks:
            self._tasks[what] = self._display.add_task(what, total=total)
        return self._tasks[what]


@contextmanager
def progress_bars(ctx: click.Context | None = None, *, keep: bool = False) -> Iterator[ProgressBars | None]:
    """The progress display of every long command: rich bars on stderr when stderr is a terminal or
    -v was given, else None (a pipe or a log stays clean). The bars are cleared when done, unless
    `keep` (the importers keep their per-file lines with -v)."""
    root = (ctx or click.get_current_context()).find_root()
    verbose = (root.obj or {}).get("verbose", 0)
    if not (verbose or sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=not keep) as display:
        yield ProgressBars(display)
