"""`graphkit tension` and `graphkit balance`: the analysis stage on the command line.

Statements come from the store (--store) or from a JSONL file of `graphkit extract`
(--from); everything else is graphkit.analysis.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import click
import pandas as pd

from ..errors import InputError
from ..model import MODALITIES
from .common import emit_rows, format_option, store_option

FREQ_DAYS = {"D": 1, "W": 7, "M": 31}

from_option = click.option(
    "--from", "from_path", type=click.Path(dir_okay=False), metavar="FILE",
    help="Read statements from a JSONL file written by `graphkit extract` instead of the store.")
since_option = click.option("--since", metavar="DATE", help="First day (YYYY-MM-DD) of the window.")
until_option = click.option("--until", metavar="DATE", help="Last day (YYYY-MM-DD) of the window.")
level_option = click.option(
    "--level", type=click.Choice(["actor", "organisation", "country"]), default="actor", show_default=True,
    help="Roll persons and units up to their organisation or state (through the actor registry).")
modality_option = click.option(
    "--include-modality", "include_modalities", multiple=True, type=click.Choice([*MODALITIES, "all"]),
    help="Also count statements of this modality (negated, hypothetical and planned are left out by "
         "default). Repeatable; 'all' keeps everything.")


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(option, f"{value!r} is not a date (use YYYY-MM-DD)") from None


def read_jsonl(path: str) -> tuple[list, list[str]]:
    """Statements of a `graphkit extract` JSONL file, and one message per bad line."""
    from ..pipeline import read_statement_file

    statements, problems = read_statement_file(path)
    return statements, [str(p) for p in problems]


def load_frame(from_path: str | None, store: str | None, since: date | None, until: date | None):
    """The statements frame from --from or --store, plus the bad-input messages."""
    from ..analysis import statements_frame

    if from_path:
        statements, problems = read_jsonl(from_path)
        return statements_frame(statements), problems
    from ..store import StatementFilter, open_store

    with open_store(store, create=False) as st:
        return statements_frame(st.statements(StatementFilter(since=since, until=until))), []


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


def resolve_actor(token: str, frame: pd.DataFrame) -> str:
    """An actor id from --dyad: an id as given, else a unique name or id ignoring case."""
    from ..analysis.frame import actor_names

    names = actor_names(frame)
    token = token.strip()
    if token in names:
        return token
    folded = token.casefold()
    hits = sorted({a for a, n in names.items() if a.casefold() == folded or n.casefold() == folded})
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise InputError("--dyad", f"{token!r} matches several actors: {', '.join(hits)}")
    known = ", ".join(sorted(names)[:12]) + (" ..." if len(names) > 12 else "")
    raise InputError("--dyad", f"no actor {token!r} in the statements (known: {known or 'none'})")


def _dyads(values: tuple[str, ...], frame: pd.DataFrame) -> list[tuple[str, str]] | None:
    if not values:
        return None
    out = []
    for value in values:
        parts = value.split(",")
        if len(parts) != 2 or not all(p.strip() for p in parts):
            raise InputError("--dyad", f"{value!r} is not A,B (two actor ids separated by a comma)")
        out.append((resolve_actor(parts[0], frame), resolve_actor(parts[1], frame)))
    return out


def _report_problems(problems: list[str]) -> None:
    for message in problems:
        click.echo(f"graphkit: error: {message}", err=True)


def _finish(problems: list[str]) -> None:
    if problems:
        sys.exit(InputError.exit_code)


@click.command("tension")
@click.option("--dyad", "dyad_values", multiple=True, metavar="A,B",
              help="One dyad (actor ids, or names); repeatable. Default: every dyad.")
@click.option("--freq", type=click.Choice(["D", "W", "M"]), default="M", show_default=True,
              help="Period: day, week (from Monday) or calendar month.")
@since_option
@until_option
@level_option
@modality_option
@click.option("--directed", is_flag=True, help="Keep A->B apart from B->A (default: one undirected dyad).")
@click.option("--weight", type=click.Choice(["count", "mentions"]), default="count", show_default=True,
              help="Count each statement once, or weight it by how many times it was reported.")
@click.option("--fill", type=click.Choice(["auto", "range", "span", "none"]), default="auto", show_default=True,
              help="Zero periods: whole window (range), dyad's first-to-last (span), none. auto: range with "
                   "--dyad, span otherwise.")
@click.option("--rolling", "window", type=click.IntRange(min=0), default=0, metavar="N",
              help="Add N-period rolling means of the main columns.")
@click.option("--trend", is_flag=True, help="One row per dyad: OLS slope of --metric per period with its 95% CI.")
@click.option("--alerts", is_flag=True, help="Escalation alerts (CUSUM against each dyad's baseline) instead "
                                             "of the series, most escalating dyads first.")
@click.option("--metric", type=click.Choice(["conflict", "material", "goldstein", "net_cooperation"]),
              default=None, help="Alerts: conflict (q3+q4, default), material (q4) or goldstein (-sum). "
                                 "Trend: any series column (default net_cooperation).")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="Alerts: how many dyads to list.")
@click.option("--compare-sources", "compare", is_flag=True,
              help="For one --dyad: how two sources (datasets such as graphkit, gdelt, acled) agree on its "
                   "trend, per period, with the correlation of their series.")
@click.option("--chart", "chart_path", type=click.Path(dir_okay=False), metavar="FILE.png|FILE.html",
              help="Also draw the (single) dyad's series: a PNG, or a self-contained interactive HTML page.")
@from_option
@store_option
@format_option()
@click.pass_context
def tension_cmd(ctx, dyad_values, freq, since, until, level, include_modalities, directed, weight, fill, window,
                trend, alerts, metric, top, compare, chart_path, from_path, store, fmt):
    """Dyad conflict/cooperation over time, trends and escalation alerts.

    \b
    Each row is one dyad in one period: statements, events (weighted), q1..q4
    (verbal/material cooperation, verbal/material conflict), goldstein_sum and
    goldstein_mean, conflict_share, net_cooperation ((q1+q2)-(q3+q4)) and the
    number of distinct articles and datasets behind it. Periods without events
    are zeros, so trends are honest. Negated, hypothetical and planned
    statements are left out unless --include-modality brings them back.
    \b
    Examples:
      graphkit tension --freq M
      graphkit tension --dyad USA,IRQ.PMF --freq W --format csv
      graphkit tension --dyad USA,IRQ.PMF --chart usa-pmf.html
      graphkit tension --level organisation --since 2023-10-01 --trend
      graphkit tension --alerts --since 2023-10-01 --freq W --format json
      graphkit tension --from statements.jsonl --dyad "United States,PMF"
      graphkit tension --dyad USA,IRQ --level country --compare-sources
    """
    from ..analysis import (
        CusumParams,
        dyad_series,
        dyad_trends,
        escalation_alerts,
        most_escalating,
        rolling_means,
        rollup_frame,
    )
    from ..analysis.frame import actor_names
    from ..analysis.series import dyad_label

    first, last = _day(since, "--since"), _day(until, "--until")
    if first and last and first > last:
        raise InputError("--since", f"{since} is after --until {until}")
    params = CusumParams()
    # Alerts need the baseline periods before --since as well.
    fetch_from = first - timedelta(days=FREQ_DAYS[freq] * (params.baseline + 1)) if (alerts and first) else first
    frame, problems = load_frame(from_path, store, fetch_from, last)
    _report_problems(problems)
    rollup = registry_rollup(level)
    rolled = rollup_frame(frame, level, rollup)
    names = actor_names(rolled) if len(rolled) else {}
    dyads = _dyads(dyad_values, rolled)
    weight_arg = "mentions" if weight == "mentions" else None
    common = dict(freq=freq, directed=directed, include_modalities=include_modalities, dyads=dyads)

    if compare:
        return _compare_sources(rolled, dyads, freq, directed, first, last, fmt)
    if alerts:
        if metric not in (None, "conflict", "material", "goldstein"):
            raise InputError("--metric", f"alerts use conflict, material or goldstein, not {metric}")
        table = escalation_alerts(rolled, metric=metric or "conflict", weight=weight_arg, since=first, until=last,
                                  params=params, **common)
        table = most_escalating(table, top)
        rows = []
        for r in table.to_dict("records"):
            r["dyad"] = dyad_label(r["source"], r["target"], directed, names)
            r["evidence"] = r["sentences"][0] if r["sentences"] else ""
            rows.append(r)
        columns = ["rank", "dyad", "source", "target", "onset", "alarm", "end", "ongoing", "score",
                   "baseline_mean", "observed_mean", "statements", "alerts"]
        columns += ["evidence"] if fmt == "table" else ["statement_ids", "sentences"]
        emit_rows(rows, fmt, columns)
        return _finish(problems)

    if fill == "auto":  # a trend needs the quiet periods too
        fill = "range" if dyads or trend else "span"
    series = dyad_series(rolled, weight=weight_arg, since=first, until=last, fill=fill, **common)
    if trend:
        if metric is not None and metric not in series.columns:
            raise InputError("--metric", f"trend needs a series column, not {metric}")
        table = dyad_trends(series, metric or "net_cooperation")
        table = table.round({"slope": 4, "stderr": 4, "ci_low": 4, "ci_high": 4, "t": 3})
        rows = [{**r, "dyad": dyad_label(r["source"], r["target"], directed, names)} for r in table.to_dict("records")]
        emit_rows(rows, fmt, ["dyad", "source", "target", "periods", "statements", "slope", "stderr", "ci_low",
                              "ci_high", "t"])
        return _finish(problems)
    if window:
        series = rolling_means(series, window)
    if chart_path:
        _chart(series, chart_path, names, directed, rolled, freq, first, last, dyads, include_modalities, weight_arg,
               params, window or 4)
    series = series.assign(period=series["period"].dt.date)
    floats = series.select_dtypes("float").columns
    series[floats] = series[floats].round(4)
    emit_rows(series.to_dict("records"), fmt, list(series.columns))
    _finish(problems)


def _compare_sources(rolled, dyads, freq, directed, first, last, fmt):
    from ..analysis import select
    from ..importers.compare import compare_frame

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
    if len(datasets) < 2:
        click.echo(f"only one source on this dyad ({', '.join(datasets) or 'none'}): nothing to compare", err=True)
    else:
        click.echo(f"{datasets[0]} vs {datasets[1]}: correlation of events {correlation.get('events'):.2f}, "
                   f"of mean Goldstein {correlation.get('goldstein'):.2f} (nan: under 3 shared periods)", err=True)


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
    if suffix == ".png":
        chart_png(series, path, title, window)
    elif suffix in (".html", ".htm"):
        alerts = escalation_alerts(frame, freq=freq, directed=directed, include_modalities=include_modalities,
                                   since=first, until=last, dyads=[(a, b)], weight=weight, params=params)
        chart_html(series, path, title, alerts, window)
    else:
        raise InputError("--chart", f"{path}: use a .png or .html file name")


@click.command("balance")
@since_option
@until_option
@click.option("--freq", type=click.Choice(["D", "W", "M", "all"]), default="all", show_default=True,
              help="One signed network per period, or one for the whole window.")
@level_option
@modality_option
@click.option("--view", type=click.Choice(["summary", "factions", "triads", "changes", "centrality"]),
              default="summary", show_default=True,
              help="summary: balance per window; factions: camp of every actor; triads: the unbalanced "
                   "triads; changes: actors switching camps between windows; centrality: conflict and "
                   "cooperation layers.")
@from_option
@store_option
@format_option()
def balance_cmd(since, until, freq, level, include_modalities, view, from_path, store, fmt):
    """Signed-network structural balance, factions and unbalanced triads.

    \b
    Each pair of actors is linked by the sign of its net Goldstein score in the
    window (+ cooperation outweighs conflict, - the reverse). A triad is
    balanced when its sign product is + ("the enemy of my enemy is my friend").
    Factions split every connected group of actors in two so that as few ties
    as possible are frustrated (- inside a camp or + across); the count of
    those ties is the frustration index (exact up to 18 actors a group).
    \b
    Examples:
      graphkit balance --since 2023-10-01 --until 2024-02-29
      graphkit balance --freq M --view changes
      graphkit balance --view triads --format json
      graphkit balance --level country --view factions
      graphkit balance --view centrality --from statements.jsonl
    """
    from ..analysis import balance_windows, centrality, faction_changes, rollup_frame, unbalanced_triads

    first, last = _day(since, "--since"), _day(until, "--until")
    if first and last and first > last:
        raise InputError("--since", f"{since} is after --until {until}")
    frame, problems = load_frame(from_path, store, first, last)
    _report_problems(problems)
    rolled = rollup_frame(frame, level, registry_rollup(level))
    if view == "centrality":
        table = centrality(rolled, since=first, until=last, include_modalities=include_modalities)
        emit_rows(table.to_dict("records"), fmt, list(table.columns))
        return _finish(problems)
    windows = balance_windows(rolled, freq=None if freq == "all" else freq, since=first, until=last,
                              include_modalities=include_modalities)
    if view == "summary":
        emit_rows([w.summary for w in windows], fmt, ["window", "actors", "edges", "positive", "negative", "triads",
                                                      "balanced_triads", "balanced_share", "frustration",
                                                      "frustration_share", "factions", "exact"])
    elif view == "factions":
        rows = []
        for w in windows:
            for component, camp, members in w.factions.members():
                rows.append({"window": w.start.date(), "group": component, "camp": camp, "size": len(members),
                             "actors": ", ".join(members),
                             "names": ", ".join(w.graph.nodes[m].get("name", m) for m in members)})
        emit_rows(rows, fmt, ["window", "group", "camp", "size", "actors", "names"])
    elif view == "triads":
        rows = []
        for w in windows:
            for r in unbalanced_triads(w.graph).to_dict("records"):
                rows.append({"window": w.start.date(), **r})
        emit_rows(rows, fmt, ["window", "names", "a", "b", "c", "ab", "ac", "bc", "goldstein_ab", "goldstein_ac",
                              "goldstein_bc"])
    else:
        table = faction_changes(windows)
        emit_rows(table.to_dict("records"), fmt, list(table.columns))
    _finish(problems)


COMMANDS = [tension_cmd, balance_cmd]

__all__ = ["COMMANDS", "balance_cmd", "tension_cmd"]
