"""`graphkit tension` and `graphkit balance`: the analysis stage on the command line.

Statements come from the store (--store) or from a JSONL file of `graphkit extract`
(--from); everything else is graphkit.analysis.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import click
import pandas as pd

from ..errors import InputError
from ..model import MODALITIES
from .common import (
    emit_frame,
    emit_rows,
    format_option,
    from_option,
    since_option,
    store_option,
    until_option,
)
from .common import resolve_actor as resolve_name

FREQ_DAYS = {"D": 1, "W": 7, "M": 31}

level_option = click.option(
    "--level", type=click.Choice(["actor", "organisation", "country"]), default="actor", show_default=True,
    help="Roll persons and units up to their organisation or state (through the actor registry).")
modality_option = click.option(
    "--include-modality", "include_modalities", multiple=True, type=click.Choice([*MODALITIES, "all"]),
    help="Also count statements of this modality (negated, hypothetical and planned are left out by "
         "default). Repeatable; 'all' keeps everything.")

ids_option = click.option("--ids", "show_ids", is_flag=True,
                          help="Tables: name dyads and actors by id instead of by name.")
columns_option = click.option(
    "--columns", metavar="A,B,...",
    help="Columns to show, comma-separated, or 'all'. Tables show a compact set by default; CSV and JSON "
         "every column (actor ids and names included).")

#: The default table columns; anything else is one --columns away.
SERIES_TABLE = ("dyad", "period", "statements", "q1", "q2", "q3", "q4", "goldstein_mean")
CASUALTY_TABLE = ("dyad", "period", "statements", "q4", "killed", "injured")
TREND_TABLE = ("dyad", "periods", "statements", "slope", "ci_low", "ci_high")
SURPRISE_TABLE = ("rank", "dyad", "alarm", "observed", "expected", "p_value", "statements")
CUSUM_TABLE = ("rank", "dyad", "onset", "alarm", "score", "baseline_mean", "observed_mean", "statements")


def pick_columns(fmt: str, compact: tuple[str, ...], available: list[str], asked: str | None) -> list[str]:
    """--columns if given (checked), else the compact set for tables and everything for CSV/JSON."""
    if asked:
        if asked.strip() == "all":
            return available
        wanted = [c.strip() for c in asked.split(",") if c.strip()]
        unknown = [c for c in wanted if c not in available]
        if unknown:
            raise InputError("--columns", f"no column {unknown[0]!r}; choose from {', '.join(available)}")
        return wanted
    if fmt == "table":
        return [c for c in compact if c in available]
    # programs get ids and names first and the display label last
    return [c for c in available if c != "dyad"] + (["dyad"] if "dyad" in available else [])


def with_names(rows: list[dict], names: dict[str, str], directed: bool, show_ids: bool) -> list[dict]:
    """Add source_name/target_name and the dyad label ('A–B' undirected, 'A -> B' directed)."""
    from ..analysis.series import dyad_label

    out = []
    for r in rows:
        a, b = r["source"], r["target"]
        out.append({**r, "dyad": dyad_label(a, b, directed, None if show_ids else names),
                    "source_name": names.get(a, a), "target_name": names.get(b, b)})
    return out


def ordered(rows: list[dict], first: tuple[str, ...]) -> list[str]:
    """Every column of the rows: `first` (those present), then the rest in row order."""
    present = list(rows[0]) if rows else []
    seen = list(dict.fromkeys(first))
    return [c for c in seen if c in present or not rows] + [c for c in present if c not in seen]


def for_table(rows: list[dict], fmt: str) -> list[dict]:
    """Tables print whole-number floats as integers and others to 3 significant decimals."""
    if fmt != "table":
        return rows
    out = []
    for r in rows:
        out.append({k: _short_number(v) if isinstance(v, float) else v for k, v in r.items()})
    return out


def _short_number(v: float):
    if v != v:  # NaN: an empty cell
        return None
    if float(v).is_integer() and abs(v) < 1e15:
        return int(v)
    return float(f"{v:.3g}") if abs(v) < 0.01 else round(v, 3)


def load_frame(from_path: str | None, store: str | None, since: date | None, until: date | None,
               columns: tuple[str, ...] | None = None):
    """The statements frame from --from (JSONL, or Parquet shards) or --store, plus the bad-input
    messages. With `columns`, a store reads just those straight into the frame (Store.statement_frame),
    ordered as Store.statements orders them (by date, undated last, then id)."""
    from ..analysis import statements_frame
    from ..store import one_per_event

    if from_path:
        from ..loading import read_statements

        statements, problems = read_statements(from_path)
        return statements_frame(one_per_event(statements)), [str(p) for p in problems]
    from ..store import StatementFilter, open_store

    with open_store(store, create=False) as st:
        flt = StatementFilter(since=since, until=until)
        if columns is None:
            return statements_frame(st.statements(flt)), []
        frame = st.statement_frame(flt, columns)
    if "id" in frame.columns:  # the order Store.statements gives (evidence is listed in it)
        frame = frame.sort_values(["date", "id"], na_position="last", kind="stable", ignore_index=True)
    return frame, []


def registry_rollup(level: str):
    """The registry's Registry.rollup(actor_id, level, on), or None when the registry is unavailable
    (then organisation level leaves actors as they are and country level uses ActorRef.country)."""
    if level == "actor":
        return None
    try:
        from ..registry import Registry

        return Registry.default().rollup
    except (ImportError, AttributeError):
        return None


def resolve_actor(token: str, frame: pd.DataFrame | None, names: dict[str, str] | None = None) -> str:
    """An actor id from --dyad: an id, a name or an alias (see cli.common.resolve_actor)."""
    from ..analysis.frame import actor_names

    if names is None:
        names = actor_names(frame) if frame is not None and len(frame) else {}
    return resolve_name(token, "--dyad", names)


def _dyads(values: tuple[str, ...], frame: pd.DataFrame | None,
           names: dict[str, str] | None = None) -> list[tuple[str, str]] | None:
    if not values:
        return None
    if names is None:
        from ..analysis.frame import actor_names

        names = actor_names(frame) if frame is not None and len(frame) else {}
    out = []
    for value in values:
        parts = value.split(",")
        if len(parts) != 2 or not all(p.strip() for p in parts):
            raise InputError("--dyad", f"{value!r} is not A,B (two actor ids separated by a comma)")
        out.append((resolve_actor(parts[0], None, names), resolve_actor(parts[1], None, names)))
    return out


def _report_problems(problems: list[str]) -> None:
    for message in problems:
        click.echo(f"graphkit: error: {message}", err=True)


def _finish(problems: list[str]) -> None:
    if problems:
        sys.exit(InputError.exit_code)


# -- graphkit tension: one group, a subcommand per question ------------------------------------

#: The columns the tension subcommands read from a store (Store.statement_frame): no sentence or id
#: unless alerts need the evidence.
SERIES_READ = ("source", "target", "source_name", "target_name", "source_country", "target_country", "quad_class",
               "goldstein", "date", "modality", "dataset", "mentions", "article_id", "date_precision", "killed",
               "injured")

dyad_option = click.option("--dyad", "dyad_values", multiple=True, metavar="A,B",
                           help="One dyad (actor ids, or names); repeatable. Default: every dyad.")
directed_option = click.option("--directed", is_flag=True,
                               help="Keep A->B apart from B->A (default: one undirected dyad).")
weight_option = click.option("--weight", type=click.Choice(["count", "mentions"]), default="count",
                             show_default=True,
                             help="Count each statement once, or weight it by how many times it was reported.")
event_dates_option = click.option(
    "--event-dates-only", is_flag=True,
    help="Leave out statements dated only by the report that tells them (date_precision reported).")
fill_option = click.option(
    "--fill", type=click.Choice(["auto", "range", "span", "none"]), default="auto", show_default=True,
    help="Zero periods: span = inside each dyad's active range (first to last statement); range = from its "
         "first statement (or --since) to the end of the window; none = only periods with statements. "
         "auto: range with --dyad or for a trend, span otherwise.")
engine_option = click.option(
    "--engine", type=click.Choice(["auto", "pandas", "duckdb"]), default="auto", show_default=True,
    help="Who aggregates: pandas in memory, or DuckDB straight from Parquet statement shards (--from DIR, for "
         "statements that do not fit in memory). Both count one statement per event, as a store does: the "
         "reports of one event are merged and folded (docs/statements.md). auto: DuckDB for shards.")


def freq_option(default: str):
    return click.option("--freq", type=click.Choice(["D", "W", "M"]), default=default, show_default=True,
                        help="Period: day, week (from Monday) or calendar month.")


def option_stack(*options):
    """Apply click options in the order listed (as if each were a decorator line)."""
    def apply(command):
        for option in reversed(options):
            command = option(command)
        return command
    return apply


#: What every tension subcommand reads and how it counts: which statements, actors, window and dyads.
read_options = option_stack(
    dyad_option,
    since_option, until_option,
    level_option, modality_option, directed_option)
#: Where the statements come from and how the result is written.
io_options = option_stack(from_option, store_option, format_option())
#: Output columns of the tables.
show_options = option_stack(ids_option, columns_option)


@dataclass(frozen=True)
class TensionQuery:
    """The shared part of every tension subcommand, as the user gave it."""

    dyad_values: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    level: str = "actor"
    include_modalities: tuple[str, ...] = ()
    directed: bool = False
    from_path: str | None = None
    store: str | None = None
    fmt: str = "table"
    show_ids: bool = False
    columns: str | None = None

    def window(self) -> tuple[date | None, date | None]:
        if self.since and self.until and self.since > self.until:
            raise InputError("--since", f"{self.since} is after --until {self.until}")
        return self.since, self.until


def _query(**options) -> TensionQuery:
    return TensionQuery(**{k: v for k, v in options.items() if k in TensionQuery.__dataclass_fields__})


@dataclass
class Prepared:
    """Statements read and rolled up, the dyads asked for, and the display names."""

    rolled: pd.DataFrame
    dyads: list[tuple[str, str]] | None
    names: dict[str, str]
    problems: list[str]


def _prepare(q: TensionQuery, fetch_from: date | None, columns: tuple[str, ...] | None) -> Prepared:
    frame, problems = load_frame(q.from_path, q.store, fetch_from, q.until, columns)
    _report_problems(problems)
    rolled = rollup_frame_for(frame, q.level)
    del frame
    dyads = _dyads(q.dyad_values, rolled)
    # names for the ids the statements only give as ids (rolled up, or asked for and absent)
    names = _registry_names(rolled, [a for pair in dyads or () for a in pair])
    return Prepared(rolled, dyads, names, problems)


def rollup_frame_for(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    from ..analysis import rollup_frame

    return rollup_frame(frame, level, registry_rollup(level))


class TensionGroup(click.Group):
    """`graphkit tension SUBCOMMAND ...`; the flag form of earlier releases (`graphkit tension --alerts
    ...`) still runs, through the hidden `legacy` command, with a deprecation note on stderr."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and any(a in ctx.help_option_names for a in args):
            args = ["--help"]  # the group's help, which lists the subcommands
        elif args and args[0] not in self.commands:
            args = ["legacy", *args]
        elif not args:
            args = ["legacy"]
        return super().parse_args(ctx, args)


@click.group("tension", cls=TensionGroup)
def tension_cmd():
    """Dyad conflict/cooperation over time: series, trends, escalation alerts, sources compared.

    \b
    graphkit tension series    one row per dyad and period (q1..q4, Goldstein, articles, casualties)
    graphkit tension trend     one row per dyad: OLS slope of a series column with its 95% CI
    graphkit tension alerts    periods whose conflict count is improbable against the dyad's baseline
    graphkit tension compare   how two sources (graphkit, gdelt, acled) agree on one dyad
    \b
    Examples:
      graphkit tension series --freq M
      graphkit tension series --dyad USA,IRQ.PMF --freq W --format csv
      graphkit tension series --from shards/ --format csv      # Parquet shards, aggregated by DuckDB
      graphkit tension trend --level organisation --since 2023-10-01
      graphkit tension alerts --since 2023-10-01 --format json
      graphkit tension compare --dyad USA,IRQ --level country
    \b
    The flag form of earlier releases (graphkit tension --alerts ...) still works for one release
    and says which subcommand to use instead.
    """


@tension_cmd.command("series")
@read_options
@freq_option("M")
@weight_option
@fill_option
@click.option("--rolling", "window", type=click.IntRange(min=0), default=0, metavar="N",
              help="Add N-period rolling means of the main columns.")
@event_dates_option
@click.option("--casualties", "casualty_view", is_flag=True,
              help="Show each dyad and period with its statements and the killed and injured told "
                   "(summed once per event).")
@click.option("--chart", "chart_path", type=click.Path(dir_okay=False), metavar="FILE.png|FILE.html",
              help="Also draw the (single) dyad's series: a PNG, or a self-contained interactive HTML page.")
@engine_option
@show_options
@io_options
def series_cmd(freq, weight, fill, window, event_dates_only, casualty_view, chart_path, engine, **options):
    """Each dyad in each period: statements, q1..q4, Goldstein, articles, casualties.

    \b
    Each row is one dyad in one period: statements, events (weighted), q1..q4
    (verbal/material cooperation, verbal/material conflict), goldstein_sum and
    goldstein_mean, conflict_share, net_cooperation ((q1+q2)-(q3+q4)), the
    number of distinct articles and datasets behind it, and the killed and
    injured told (once per event). Periods without events inside a dyad's
    active range are zeros, so trends are honest. Negated, hypothetical and
    planned statements are left out unless --include-modality brings them back.
    \b
    Examples:
      graphkit tension series --freq M
      graphkit tension series --dyad USA,IRQ.PMF --freq W --format csv
      graphkit tension series --dyad Israel,Hamas --chart israel-hamas.html
      graphkit tension series --from statements.jsonl --dyad "United States,PMF"
      graphkit tension series --from shards/ --format csv
      graphkit tension series --casualties --event-dates-only --freq W
    """
    run_series(_query(**options), freq=freq, weight=weight, fill=fill, window=window,
               event_dates_only=event_dates_only, casualty_view=casualty_view, chart_path=chart_path, engine=engine)


@tension_cmd.command("trend")
@read_options
@freq_option("M")
@weight_option
@fill_option
@click.option("--metric", default="net_cooperation", show_default=True, metavar="COLUMN",
              help="The series column whose slope per period is measured (statements, q4, goldstein_sum, ...).")
@event_dates_option
@engine_option
@show_options
@io_options
def trend_cmd(freq, weight, fill, metric, event_dates_only, engine, **options):
    """One row per dyad: OLS slope of a series column per period, with its 95% CI.

    \b
    The quiet periods count (zeros from each dyad's first statement to the end
    of the window), so a dyad that flared once and went silent slopes down.
    \b
    Examples:
      graphkit tension trend --level organisation --since 2023-10-01
      graphkit tension trend --metric q4 --freq W --format json
    """
    run_series(_query(**options), freq=freq, weight=weight, fill=fill, window=0, event_dates_only=event_dates_only,
               casualty_view=False, chart_path=None, engine=engine, trend_metric=metric)


@tension_cmd.command("alerts")
@read_options
@freq_option("W")
@weight_option
@click.option("--detector", type=click.Choice(["surprise", "cusum"]), default="surprise", show_default=True,
              help="Count surprise against a pooled baseline (works from a few periods of history), or the "
                   "CUSUM on the dyad's own 26-period baseline.")
@click.option("--metric", type=click.Choice(["conflict", "material", "goldstein"]), default="conflict",
              show_default=True, help="conflict (q3+q4), material (q4) or goldstein (-sum).")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="How many dyads to list.")
@show_options
@io_options
def alerts_cmd(freq, weight, detector, metric, top, **options):
    """Escalation alerts: periods whose count of conflict statements is improbable.

    \b
    Each dyad's count in a period is judged against its baseline (pooled with its
    actors' other dyads); most surprising first, each with a reason and its
    evidence sentences. From Parquet shards (--from DIR) DuckDB counts the
    periods, so archives larger than memory work (the CUSUM reads them in memory).
    \b
    Examples:
      graphkit tension alerts --since 2023-10-01
      graphkit tension alerts --freq M --dyad IRN,PAK --format json
      graphkit tension alerts --detector cusum --metric material
      graphkit tension alerts --from shards/ --level country   # Parquet shards, counted by DuckDB
    """
    run_alerts(_query(**options), freq=freq, weight=weight, detector=detector, metric=metric, top=top)


@tension_cmd.command("compare")
@read_options
@freq_option("M")
@io_options
def compare_cmd(freq, **options):
    """How two sources (graphkit, gdelt, acled) agree on one dyad, period by period.

    \b
    Per period each source's events and mean Goldstein, and the correlation of
    their series over the periods both report. From Parquet shards (--from DIR)
    DuckDB reads out the dyad's statements only.
    \b
    Examples:
      graphkit tension compare --dyad USA,IRQ --level country
      graphkit tension compare --dyad USA,IRQ --from merged.jsonl --freq W
    """
    q = _query(**options)
    first, last = q.window()
    rows, dyads, problems = _compare_rows(q, first)
    _compare_sources(rows, dyads, freq, q.directed, first, last, q.fmt)
    _finish(problems)


def _compare_rows(q: TensionQuery, first: date | None) -> tuple[pd.DataFrame, list | None, list[str]]:
    """The statements a comparison reads, rolled up, with the dyads asked for: from Parquet shards
    DuckDB picks out the dyad's statements, so only they come into memory."""
    if _use_duckdb(q, "auto"):
        from ..analysis.parquet import shard_dyad_rows

        rows, _, dyads = shard_dyad_rows(q.from_path, lambda known: _dyads(q.dyad_values, None, known),
                                         level=q.level, rollup=registry_rollup(q.level))
        return rows, dyads, []
    prep = _prepare(q, first, None)
    return prep.rolled, prep.dyads, prep.problems


class _FlagForm(click.Command):
    """The deprecated flag form: its usage line shows the command as typed, with the subcommands."""

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.parent.command_path, "series|trend|alerts|compare [OPTIONS]")


@tension_cmd.command("legacy", cls=_FlagForm, hidden=True, context_settings={"help_option_names": []})
@click.option("--dyad", "dyad_values", multiple=True)
@click.option("--freq", type=click.Choice(["D", "W", "M"]), default=None)
@since_option
@until_option
@level_option
@modality_option
@click.option("--directed", is_flag=True)
@click.option("--weight", type=click.Choice(["count", "mentions"]), default="count")
@click.option("--fill", type=click.Choice(["auto", "range", "span", "none"]), default="auto")
@click.option("--rolling", "window", type=click.IntRange(min=0), default=0)
@click.option("--trend", is_flag=True)
@click.option("--alerts", is_flag=True)
@click.option("--detector", type=click.Choice(["surprise", "cusum"]), default="surprise")
@click.option("--metric", type=click.Choice(["conflict", "material", "goldstein", "net_cooperation"]), default=None)
@click.option("--top", type=click.IntRange(min=1), default=20)
@click.option("--compare-sources", "compare", is_flag=True)
@event_dates_option
@click.option("--casualties", "casualty_view", is_flag=True)
@click.option("--chart", "chart_path", type=click.Path(dir_okay=False))
@show_options
@io_options
def legacy_cmd(freq, weight, fill, window, trend, alerts, detector, metric, top, compare, event_dates_only,
               casualty_view, chart_path, **options):
    """The flag form of earlier releases (deprecated): the mode flags pick the subcommand."""
    mode = "compare" if compare else "alerts" if alerts else "trend" if trend else "series"
    flag = {"compare": "--compare-sources ", "alerts": "--alerts ", "trend": "--trend "}.get(mode, "")
    click.echo(f"graphkit: note: `graphkit tension {flag}[OPTIONS]` is deprecated and goes in the next release; "
               f"use `graphkit tension {mode} [OPTIONS]` (see `graphkit tension --help`)", err=True)
    q = _query(**options)
    if compare:
        first, last = q.window()
        rows, dyads, problems = _compare_rows(q, first)
        _compare_sources(rows, dyads, freq or "M", q.directed, first, last, q.fmt)
        return _finish(problems)
    if alerts:
        if metric not in (None, "conflict", "material", "goldstein"):
            raise InputError("--metric", f"alerts use conflict, material or goldstein, not {metric}")
        return run_alerts(q, freq=freq or "W", weight=weight, detector=detector, metric=metric or "conflict", top=top)
    run_series(q, freq=freq or "M", weight=weight, fill=fill, window=window, event_dates_only=event_dates_only,
               casualty_view=casualty_view, chart_path=chart_path, engine="auto",
               trend_metric=(metric or "net_cooperation") if trend else None)


def run_alerts(q: TensionQuery, *, freq: str, weight: str, detector: str, metric: str, top: int) -> None:
    from ..analysis import CusumParams, SurpriseParams, escalation_alerts, most_escalating
    from ..analysis.frame import CORE_COLUMNS

    first, last = q.window()
    params = CusumParams() if detector == "cusum" else SurpriseParams()
    weight_arg = "mentions" if weight == "mentions" else None
    if _use_duckdb(q, "auto"):
        # Parquet shards: DuckDB aggregates the cells, only they and the alarmed runs' sentences come into memory
        from ..analysis.parquet import shard_alerts

        table, names, dyads, covered = shard_alerts(
            q.from_path, freq=freq, metric=metric, directed=q.directed, weight=weight_arg,
            include_modalities=q.include_modalities, since=first, until=last, params=params,
            dyads=lambda known: _dyads(q.dyad_values, None, known), level=q.level, rollup=registry_rollup(q.level))
        names = _registry_names(None, [a for pair in dyads or () for a in pair], names)
        problems: list[str] = []
    else:
        # Alerts need the baseline periods before --since as well.
        fetch_from = first - timedelta(days=FREQ_DAYS[freq] * (params.baseline + 1)) if first else None
        prep = _prepare(q, fetch_from, CORE_COLUMNS)
        table = escalation_alerts(prep.rolled, metric=metric, weight=weight_arg, since=first, until=last,
                                  params=params, freq=freq, directed=q.directed,
                                  include_modalities=q.include_modalities, dyads=prep.dyads)
        names, problems, covered = prep.names, prep.problems, _periods_covered(prep.rolled, freq)
        del prep
    unjudged = table.attrs.get("unjudged", [])
    table = most_escalating(table, top)
    rows = with_names(table.to_dict("records"), names, q.directed, q.show_ids)
    first_cols = ("rank", "source", "source_name", "target", "target_name", *table.columns, "dyad")
    compact = CUSUM_TABLE if detector == "cusum" else SURPRISE_TABLE
    fmt, columns = q.fmt, q.columns
    emit_rows(for_table(rows, fmt), fmt, pick_columns(fmt, compact, ordered(rows, first_cols), columns))
    if fmt == "table" and not columns:  # why, and the first evidence, under the table
        import shutil
        import textwrap

        from .common import table_width

        width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else table_width()
        for r in rows:
            why = r.get("reason") or (f"score {r['score']:g}: {r['observed_mean']:g} a period against "
                                      f"{r['baseline_mean']:g}")
            click.echo(textwrap.fill(f"{r['rank']}. {why}", width, subsequent_indent="   "))
            for sentence in r["sentences"][:2]:
                click.echo(textwrap.fill(f"\u201c{sentence}\u201d", width, initial_indent="   ",
                                         subsequent_indent="    "))
    _report_unjudged(unjudged, names, q.directed, freq, table.empty, covered, getattr(params, "min_history", None))
    _finish(problems)


def run_series(q: TensionQuery, *, freq: str, weight: str, fill: str, window: int, event_dates_only: bool,
               casualty_view: bool, chart_path: str | None, engine: str, trend_metric: str | None = None) -> None:
    from ..analysis import dyad_series, dyad_trends, rolling_means

    first, last = q.window()
    weight_arg = "mentions" if weight == "mentions" else None
    if fill == "auto":  # a trend needs the quiet periods too
        fill = "range" if q.dyad_values or trend_metric else "span"
    duck = _use_duckdb(q, engine)
    if duck:
        from ..analysis.parquet import shard_series

        series, names, dyads = shard_series(
            q.from_path, freq=freq, directed=q.directed, weight=weight_arg, include_modalities=q.include_modalities,
            since=first, until=last, fill=fill, event_dates_only=event_dates_only,
            dyads=lambda known: _dyads(q.dyad_values, None, known), level=q.level, rollup=registry_rollup(q.level))
        names = _registry_names(None, [a for pair in dyads or () for a in pair], names)
        rolled, problems = None, []
    else:
        # a chart marks its alerts with their evidence: the statement ids and sentences too
        prep = _prepare(q, first, SERIES_READ + ("id", "sentence") if chart_path else SERIES_READ)
        rolled, dyads, names, problems = prep.rolled, prep.dyads, prep.names, prep.problems
        series = dyad_series(rolled, freq=freq, directed=q.directed, include_modalities=q.include_modalities,
                             dyads=dyads, weight=weight_arg, since=first, until=last, fill=fill,
                             event_dates_only=event_dates_only)
    fmt, columns = q.fmt, q.columns
    if trend_metric:
        if trend_metric not in series.columns:
            raise InputError("--metric", f"trend needs a series column, not {trend_metric}")
        table = dyad_trends(series, trend_metric)
        table = table.round({"slope": 4, "stderr": 4, "ci_low": 4, "ci_high": 4, "t": 3})
        rows = with_names(table.to_dict("records"), names, q.directed, q.show_ids)
        emit_rows(for_table(rows, fmt), fmt, pick_columns(
            fmt, TREND_TABLE, ordered(rows, ("source", "source_name", "target", "target_name", *table.columns,
                                             "dyad")), columns))
        return _finish(problems)
    if window:
        series = rolling_means(series, window)
    if chart_path:
        if rolled is None:
            raise InputError("--chart", "charts read the statements in memory: use --engine pandas")
        from ..analysis import SurpriseParams

        _chart(series, chart_path, names, q.directed, rolled, freq, first, last, dyads, q.include_modalities,
               weight_arg, SurpriseParams(), window or 4)
    del rolled  # the statements are no longer needed: the output may be large
    for c in series.select_dtypes("float").columns:
        series[c] = series[c].round(4)
    series = named_frame(series, names, q.directed, q.show_ids)
    # every series column flows through (new ones too); the table shows a compact set, or the
    # casualties per dyad and period with --casualties
    compact = CASUALTY_TABLE if casualty_view else SERIES_TABLE
    available = ordered_columns(list(series.columns), ("source", "source_name", "target", "target_name",
                                                       *[c for c in series.columns if c not in _NAME_COLUMNS],
                                                       "dyad"))
    if casualty_view and fmt != "table" and not columns:
        columns = ",".join(c for c in ("source", "source_name", "target", "target_name", *CASUALTY_TABLE)
                           if c in available)
    chosen = pick_columns(fmt, compact, available, columns)
    if fmt == "table":
        if len(series) > TABLE_ROWS:  # a terminal table of millions of rows helps nobody and costs gigabytes
            click.echo(f"graphkit: showing the first {TABLE_ROWS:,} of {len(series):,} rows; --format csv or json "
                       "writes them all (or narrow with --dyad, --since, --fill none)", err=True)
            series = series.head(TABLE_ROWS)
        rows = series[chosen].assign(**({"period": series["period"].dt.date} if "period" in chosen else {}))
        emit_rows(for_table(rows.to_dict("records"), fmt), fmt, chosen)
    else:
        emit_frame(series, fmt, chosen)
    _finish(problems)


_NAME_COLUMNS = ("dyad", "source_name", "target_name")
#: Rows a terminal table shows at most (CSV and JSON write every row).
TABLE_ROWS = 10_000


def _use_duckdb(q: TensionQuery, engine: str) -> bool:
    """DuckDB reads Parquet shards (at any level: the roll-up is a table it joins); pandas does
    everything else."""
    from ..shards import is_shard_input

    shards = bool(q.from_path) and is_shard_input(q.from_path)
    if engine == "duckdb":
        if not shards:
            raise InputError("--engine", "duckdb reads Parquet statement shards: give --from DIR (or a .parquet file)")
        return True
    from ..analysis.duckdb_connection import duckdb_available

    return engine == "auto" and shards and duckdb_available()


def ordered_columns(present: list[str], first: tuple[str, ...]) -> list[str]:
    """`first` (those present), then the rest in frame order."""
    seen = list(dict.fromkeys(first))
    return [c for c in seen if c in present] + [c for c in present if c not in seen]


def named_frame(frame: pd.DataFrame, names: dict[str, str], directed: bool, show_ids: bool) -> pd.DataFrame:
    """The frame with source_name/target_name and the dyad label, computed once per actor and dyad
    (not per row): a zero-filled series repeats each dyad many times."""
    import numpy as np

    from ..analysis.series import dyad_label

    src, tgt = frame["source"].to_numpy(dtype=object), frame["target"].to_numpy(dtype=object)
    codes, actors = pd.factorize(np.concatenate([src, tgt]))
    actors = np.asarray(actors, dtype=object)
    n, width = len(frame), max(len(actors), 1)
    s, t = codes[:n].astype(np.int64), codes[n:].astype(np.int64)
    shown = np.array([names.get(a, a) for a in actors], dtype=object)
    labelled = actors if show_ids else shown
    pair, pairs = pd.factorize(s * width + t)
    # the label's one rule (dyad_label) applied to string arrays: name + arrow + name
    arrow = dyad_label("", "", directed)
    labels = labelled[pairs // width] + arrow + labelled[pairs % width] if len(pairs) else np.empty(0, dtype=object)

    def column(values):
        return pd.Series(values if n else np.empty(0, dtype=object), index=frame.index, dtype=object)

    return frame.assign(dyad=column(labels[pair] if n else None), source_name=column(shown[s] if n else None),
                        target_name=column(shown[t] if n else None))


def _periods_covered(rows: pd.DataFrame, freq: str) -> int:
    """How many periods the dated statements span."""
    from ..analysis.series import period_codes

    dates = rows["date"].dropna() if len(rows) else rows.get("date", pd.Series(dtype="datetime64[ns]"))
    if dates is None or dates.empty:
        return 0
    codes = period_codes(dates, freq)
    return int(codes.max() - codes.min() + 1)


def _report_unjudged(unjudged: list[dict], names: dict, directed: bool, freq: str, none_found: bool,
                     covered: int = 0, needed: int | None = None) -> None:
    """Say which dyads had the statements for an alert but too little history to judge them,
    and when the data as a whole are too short."""
    from ..analysis.series import dyad_label

    unit = {"D": "day", "W": "week", "M": "month"}[freq]
    seen = set()
    for u in unjudged:
        key = (u["source"], u["target"])
        if key in seen:
            continue
        seen.add(key)
        click.echo(f"graphkit: not judged: {dyad_label(u['source'], u['target'], directed, names)}: "
                   f"{u['observed']:g} statements in the {unit} of {u['period']}, but only {u['history']} "
                   f"{unit}(s) of history (its actors' first appearance in the data); alerts need "
                   f"{u['needed']}: load earlier articles or widen --since", err=True)
    if none_found and needed is not None and covered <= needed:
        click.echo(f"graphkit: the statements cover {covered} {unit}(s); alerts need {needed} {unit}s of history "
                   f"before the {unit} they judge: load more articles or use a shorter --freq", err=True)
    elif none_found and not unjudged:
        click.echo("graphkit: no escalation alerts in the window", err=True)


def _compare_sources(rolled, dyads, freq, directed, first, last, fmt):
    from ..analysis import select
    from ..importers.compare import MIN_SHARED, compare_frame

    if not dyads or len(dyads) != 1:
        raise InputError("--compare-sources", "name exactly one --dyad A,B")
    # every modality the sources count as events; the same window as the series
    rows = select(rolled, since=first, until=last)
    table = compare_frame(rows, dyads[0], freq, directed=directed)
    datasets = [d for d in table.attrs.get("datasets", ()) if d]
    correlation = table.attrs.get("correlation", {})
    out = table.reset_index()
    out["period"] = out["period"].astype(str)
    emit_rows(out.to_dict("records"), fmt)
    shared = table.attrs.get("shared_periods", 0)
    if len(datasets) < 2:
        click.echo(f"only one source on this dyad ({', '.join(datasets) or 'none'}): nothing to compare", err=True)
    elif shared < MIN_SHARED:
        click.echo(f"{datasets[0]} and {datasets[1]} both report this dyad in {shared} period(s): too few to "
                   f"correlate (need {MIN_SHARED}); no correlation given", err=True)
    else:
        def shown(value):
            return "undefined (one series is constant)" if value != value else f"{value:.2f}"

        click.echo(f"{datasets[0]} vs {datasets[1]}, over the {shared} periods both report this dyad: correlation "
                   f"of events {shown(correlation.get('events'))}, of mean Goldstein "
                   f"{shown(correlation.get('goldstein'))}", err=True)


def _chart(series, path, names, directed, frame, freq, first, last, dyads, include_modalities, weight, params, window):
    from ..analysis import escalation_alerts
    from ..analysis.charts import chart_html, chart_png
    from ..analysis.series import dyad_label

    pairs = series[["source", "target"]].drop_duplicates()
    if len(pairs) != 1:
        raise InputError("--chart", f"a chart shows one dyad; pick it with --dyad A,B ({len(pairs)} in the series)")
    a, b = pairs.iloc[0]
    title = dyad_label(a, b, directed, names) + {"D": " (daily)", "W": " (weekly)", "M": " (monthly)"}[freq]
    suffix = Path(path).suffix.lower()
    if suffix not in (".png", ".html", ".htm"):
        raise InputError("--chart", f"{path}: use a .png or .html file name")
    alerts = escalation_alerts(frame, freq=freq, directed=directed, include_modalities=include_modalities,
                               since=first, until=last, dyads=[(a, b)], weight=weight, params=params)
    if suffix == ".png":
        chart_png(series, path, title, window, alerts)
    else:
        chart_html(series, path, title, alerts, window)


@click.command("balance")
@since_option
@until_option
@click.option("--freq", type=click.Choice(["D", "W", "M", "all"]), default="all", show_default=True,
              help="One signed network per period, or one for the whole window.")
@click.option("--level", type=click.Choice(["side", "actor", "organisation", "country"]), default="side",
              show_default=True,
              help="side: each actor's organisation, with a state's own government, forces and police (and "
                   "the people in them) as the state, so an actor and its own forces are one side.")
@modality_option
@click.option("--min-statements", type=click.IntRange(min=1), default=2, show_default=True,
              help="A pair of actors enters the signed network only with at least this many statements.")
@click.option("--resamples", type=click.IntRange(min=10), default=200, show_default=True,
              help="Factions: bootstrap resamples of the statements behind each camp's support.")
@click.option("--support", "threshold", type=click.FloatRange(0, 1), default=0.7, show_default=True,
              help="Factions: show an actor in a camp only when its assignment survives this share of "
                   "resamples (the others are counted as hidden).")
@click.option("--view", type=click.Choice(["summary", "factions", "triads", "changes", "centrality"]),
              default="summary", show_default=True,
              help="summary: balance per window; factions: the camps, how certain each is and the triads "
                   "that decide the split; triads: the unbalanced triads; changes: actors switching camps "
                   "between windows; centrality: conflict and cooperation layers.")
@ids_option
@columns_option
@from_option
@store_option
@format_option()
def balance_cmd(since, until, freq, level, include_modalities, min_statements, resamples, threshold, view, show_ids,
                columns, from_path, store, fmt):
    """Signed-network structural balance, factions and unbalanced triads.

    \b
    Each pair of actors with at least --min-statements statements is linked by the
    sign of its net Goldstein score in the window (+ cooperation outweighs
    conflict, - the reverse). A triad is balanced when its sign product is +
    ("the enemy of my enemy is my friend"). Factions split every connected group
    of actors in two so that as few ties as possible are frustrated (- inside a
    camp or + across); the count of those ties is the frustration index (exact up
    to 18 actors a group). Each camp's support is the share of bootstrap
    resamples of the statements in which its members keep their camp; actors
    below --support are hidden, and 'decided_by' names the triads (or hostile
    ties) that make the split.
    \b
    Examples:
      graphkit balance --since 2023-10-01 --until 2024-02-29
      graphkit balance --view factions
      graphkit balance --view factions --min-statements 3 --support 0.9 --format json
      graphkit balance --freq M --view changes
      graphkit balance --view triads --format json
      graphkit balance --level country --view factions
      graphkit balance --view centrality --from statements.jsonl
    """
    from ..analysis import balance_windows, centrality, faction_changes, rollup_frame, unbalanced_triads
    from ..analysis.balance import rollup_sides, supported_factions

    first, last = since, until
    if first and last and first > last:
        raise InputError("--since", f"{since} is after --until {until}")
    frame, problems = load_frame(from_path, store, first, last)
    _report_problems(problems)
    if level == "side":
        rolled = rollup_sides(frame, registry_rollup("organisation"), _registry_kinds())
    else:
        rolled = rollup_frame(frame, level, registry_rollup(level))
    if view == "centrality":
        table = centrality(rolled, since=first, until=last, include_modalities=include_modalities)
        emit_rows(table.to_dict("records"), fmt, pick_columns(fmt, tuple(table.columns), list(table.columns),
                                                              columns))
        return _finish(problems)
    windows = balance_windows(rolled, freq=None if freq == "all" else freq, since=first, until=last,
                              include_modalities=include_modalities, min_statements=min_statements)
    if view == "summary":
        available = ["window", "actors", "edges", "positive", "negative", "triads", "balanced_triads",
                     "balanced_share", "frustration", "frustration_share", "factions", "exact"]
        emit_rows([w.summary for w in windows], fmt, pick_columns(fmt, tuple(available), available, columns))
    elif view == "factions":
        from ..analysis import select

        rows = []
        hidden = 0
        chosen = select(rolled, since=first, until=last, include_modalities=include_modalities)
        names = _registry_names(chosen)
        for w in windows:
            part = chosen if freq == "all" else chosen[_period_of(chosen, freq) == w.start]
            result = supported_factions(part, min_statements=min_statements, resamples=resamples,
                                        threshold=threshold)
            for camp in result.camps(names):
                hidden += camp["hidden"]
                if camp["size"]:  # a camp none of whose members is supported is not shown
                    rows.append({"window": w.start.date(), **camp, **({"names": camp["actors"]} if show_ids else {})})
        available = ["window", "group", "camp", "size", "support", "hidden", "names", "actors", "decided_by",
                     "members"]
        emit_rows(rows, fmt, pick_columns(fmt, ("group", "camp", "support", "hidden", "names", "decided_by"),
                                          available, columns))
        if not rows and not hidden:
            click.echo(f"graphkit: no faction: no pair of actors has {min_statements}+ statements with a "
                       "clear sign (lower --min-statements)", err=True)
        else:
            click.echo(f"graphkit: support = share of {resamples} resamples of the statements in which an actor "
                       f"keeps its camp; {hidden} actor(s) under {threshold:g} hidden"
                       + ("" if rows else ": no faction is supported by these statements"), err=True)
    elif view == "triads":
        rows = []
        for w in windows:
            for r in unbalanced_triads(w.graph).to_dict("records"):
                if show_ids:
                    r["names"] = " / ".join((r["a"], r["b"], r["c"]))
                rows.append({"window": w.start.date(), **r})
        available = ["window", "names", "a", "b", "c", "ab", "ac", "bc", "goldstein_ab", "goldstein_ac",
                     "goldstein_bc"]
        emit_rows(rows, fmt, pick_columns(fmt, ("window", "names", "ab", "ac", "bc"), available, columns))
    else:
        table = faction_changes(windows)
        emit_rows(table.to_dict("records"), fmt, pick_columns(fmt, ("window", "name", "change", "camp_before",
                                                                    "camp_after"), list(table.columns), columns))
    _finish(problems)


def _period_of(rows: pd.DataFrame, freq: str) -> pd.Series:
    from ..analysis.series import period_codes, period_starts

    return pd.Series(period_starts(period_codes(rows["date"], freq), freq), index=rows.index)


def _registry_names(rows: pd.DataFrame | None, more: list[str] | None = None,
                    names: dict[str, str] | None = None) -> dict[str, str]:
    """id -> name from the statements (or `names`), with the registry's name where they only give
    the id (an organisation or state reached by rolling up) and for the ids in `more`."""
    from ..analysis.frame import actor_names

    if names is None:
        names = actor_names(rows) if rows is not None and len(rows) else {}
    names = dict(names)
    for actor_id in more or ():
        names.setdefault(actor_id, actor_id)
    if all(name != actor_id for actor_id, name in names.items()):
        return names  # every id has its name: no need to load the registry
    try:
        from ..registry import Registry

        registry = Registry.default()
    except (ImportError, AttributeError, OSError):
        return names
    for actor_id, name in list(names.items()):
        known = registry.get(actor_id)
        if name == actor_id and known is not None:
            names[actor_id] = known.name
    return names


def _registry_kinds():
    """actor id -> kind in the registry (None when unknown or the registry is unavailable)."""
    try:
        from ..registry import Registry

        registry = Registry.default()
    except (ImportError, AttributeError, OSError):
        return None

    def kind_of(actor_id: str):
        actor = registry.get(actor_id)
        return actor.kind if actor is not None else None

    return kind_of


COMMANDS = [tension_cmd, balance_cmd]

__all__ = ["COMMANDS", "balance_cmd", "tension_cmd"]
