"""Dyad series straight from Parquet statement shards, aggregated by DuckDB.

`graphkit extract --shards DIR` writes statements as Parquet (graphkit.shards). For a corpus whose
statements do not fit in memory, DuckDB reads the columns the series needs from the files, streams
them through its own (out-of-core) hash aggregation and hands back one row per occupied
(dyad, period) cell; :func:`graphkit.analysis.series.series_from_cells` then derives the columns and
zero-fills exactly as the pandas engine does, so both engines give the same rows (tested on the
sample articles). The selection is the one :func:`graphkit.analysis.frame.select` applies: dated
statements in the window, counted modalities, optionally only the event-dated ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..errors import GraphkitError, InputError
from .duckdb_connection import duckdb_module
from .frame import EXCLUDED_MODALITIES, REPORT_DATED, Rollup, rolled_id, rolled_name
from .series import CELL_AGGREGATES, FREQS, DyadFrame, _wanted_table, period_codes, series_from_cells
from .shard_events import VIEW, ShardEvents, shard_events

#: A period code in SQL, the same integers as series.period_codes: days, Monday-weeks, months since 1970.
_PERIOD_SQL = {
    "D": "date_diff('day', DATE '1970-01-01', date)",
    "W": "CAST(floor((date_diff('day', DATE '1970-01-01', date) + 3) / 7.0) AS BIGINT)",
    "M": "(year(date) - 1970) * 12 + month(date) - 1",
}


def shard_series(path: str, *, freq: str = "M", directed: bool = False, weight: str | None = None,
                 include_modalities: Iterable[str] = (), since: date | None = None, until: date | None = None,
                 fill: str = "range", event_dates_only: bool = False,
                 dyads: Callable[[dict[str, str]], list[tuple[str, str]] | None] | None = None,
                 level: str = "actor", rollup: Rollup | None = None) -> tuple[pd.DataFrame, dict[str, str], list | None]:
    """The dyad series of the statements in a shard folder (or .parquet file).

    Parameters are those of :func:`graphkit.analysis.series.dyad_series`, except `dyads`: a function
    given the actor names (id -> name) that returns the dyads asked for (so names can be resolved
    against the data), or None. At another `level` than actor, each distinct (actor, country, day) of
    the shards is rolled up once in Python (:func:`graphkit.analysis.frame.rolled_id`, as
    rollup_frame does) and DuckDB joins that table: the statements themselves never leave DuckDB.
    Returns the series, the (rolled-up) actor names, and the dyads.
    """
    if freq not in FREQS:
        raise GraphkitError(f"unknown frequency {freq!r}: use one of {', '.join(FREQS)}")
    with shard_events_of(path) as events:
        source = _rolled_source(events.con, level, rollup)
        cells = _cells(events.con, source, freq=freq, directed=directed, weight=weight,
                       include_modalities=include_modalities, since=since, until=until,
                       event_dates_only=event_dates_only, dyads=dyads)
    return series_from_cells(cells.frame, cells.occupied, cells.cols, fill=fill), source.names, cells.wanted


@dataclass(frozen=True, slots=True)
class RolledSource:
    """Where a shards query reads its statements at one level of actors."""

    names: dict[str, str]  # (rolled-up) actor id -> name
    ends: str  # the SQL of the dyad ends `s` and `t`
    read: str  # the FROM clause that gives them


@dataclass(frozen=True, slots=True)
class ShardCells:
    """The aggregates of the occupied (dyad, period) cells, as series_from_cells reads them."""

    frame: DyadFrame  # the dyads and periods (no statement rows)
    occupied: np.ndarray  # sorted cell codes: dyad * n_periods + period offset
    cols: dict[str, np.ndarray]  # one array per CELL_AGGREGATES
    wanted: list | None  # the dyads asked for


def _cells(con, source: RolledSource, *, freq: str, directed: bool, weight: str | None,
           include_modalities: Iterable[str], since: date | None, until: date | None, event_dates_only: bool,
           dyads: Callable[[dict[str, str]], list[tuple[str, str]] | None] | None) -> ShardCells:
    """DuckDB aggregates each occupied (dyad, period) cell of the shards' events; one row per cell comes
    back, and the dyads are coded as the pandas engine codes them."""
    wanted = dyads(source.names) if dyads is not None else None
    where, params = _where(include_modalities, since, until, event_dates_only)
    w = "greatest(coalesce(mentions, 1), 1)" if weight == "mentions" else "1"
    a, b = ("s", "t") if directed else ("least(s, t)", "greatest(s, t)")
    # views take no parameters: the selection is a CTE of each query
    selected = f"""WITH selected AS (
        SELECT {a} AS a, {b} AS b, {_PERIOD_SQL[freq]} AS period, CAST({w} AS DOUBLE) AS w,
               quad_class, goldstein, killed, injured, article_id, dataset
        FROM (SELECT {source.ends}, date, modality, date_precision, mentions, quad_class,
                     goldstein, killed, injured, article_id, dataset FROM {source.read})
        WHERE {where})"""
    low, high, n = con.execute(f"{selected} SELECT min(period), max(period), count(*) FROM selected",
                               params).fetchone()
    dyad_filter = ""
    if wanted is not None:
        table = _wanted_table(wanted, directed)
        dyad_filter = "WHERE a || chr(0) || b IN (SELECT unnest($pairs))"  # ids hold no NUL
        params["pairs"] = [f"{x}\0{y}" for x, y in zip(table["source"], table["target"], strict=True)]
    cells = con.execute(f"""{selected}
        SELECT a, b, period, count(*) AS statements, sum(w) AS events,
               sum(CASE WHEN quad_class = 1 THEN w ELSE 0 END) AS q1,
               sum(CASE WHEN quad_class = 2 THEN w ELSE 0 END) AS q2,
               sum(CASE WHEN quad_class = 3 THEN w ELSE 0 END) AS q3,
               sum(CASE WHEN quad_class = 4 THEN w ELSE 0 END) AS q4,
               sum(CASE WHEN goldstein IS NOT NULL THEN goldstein * w ELSE 0 END) AS goldstein_sum,
               sum(CASE WHEN goldstein IS NOT NULL THEN w ELSE 0 END) AS gold_weight,
               CAST(sum(coalesce(killed, 0)) AS DOUBLE) AS killed,
               CAST(sum(coalesce(injured, 0)) AS DOUBLE) AS injured,
               count(DISTINCT article_id) AS articles, count(DISTINCT dataset) AS datasets
        FROM selected {dyad_filter} GROUP BY a, b, period ORDER BY a, b, period""", params).df()

    first = int(period_codes(pd.Series([pd.Timestamp(since)]), freq)[0]) if since else (int(low) if n else 0)
    last = int(period_codes(pd.Series([pd.Timestamp(until)]), freq)[0]) if until else (int(high) if n else -1)
    if wanted is not None:
        dyad_table = _wanted_table(wanted, directed)
        code = {pair: i for i, pair in enumerate(zip(dyad_table["source"], dyad_table["target"], strict=True))}
        dyad = np.array([code[pair] for pair in zip(cells["a"], cells["b"], strict=True)], dtype=np.int64)
    else:  # every dyad, in id order as the pandas engine codes them (the cells come sorted by a, b)
        a_ids, b_ids = cells["a"].to_numpy(dtype=object), cells["b"].to_numpy(dtype=object)
        new = np.ones(len(cells), dtype=bool)
        new[1:] = (a_ids[1:] != a_ids[:-1]) | (b_ids[1:] != b_ids[:-1])
        dyad = np.cumsum(new) - 1
        dyad_table = pd.DataFrame({"source": pd.Series(a_ids[new], dtype=object),
                                   "target": pd.Series(b_ids[new], dtype=object)})
    n_periods = max(last - first + 1, 0)
    in_range = (cells["period"].to_numpy() >= first) & (cells["period"].to_numpy() <= last)
    cells, dyad = cells[in_range], dyad[in_range]
    occupied = dyad * max(n_periods, 1) + (cells["period"].to_numpy(np.int64) - first)
    order = np.argsort(occupied, kind="stable")
    cols = {}
    for name in CELL_AGGREGATES:
        values = cells[name].to_numpy()[order]
        integer = name in ("statements", "killed", "injured", "articles", "datasets")
        cols[name] = np.round(values).astype(np.int64) if integer else values.astype(np.float64)
    frame = DyadFrame(pd.DataFrame(), dyad_table, freq, directed, first, last, since is not None)
    return ShardCells(frame, occupied[order], cols, wanted)


@contextmanager
def shard_events_of(path) -> Iterator[ShardEvents]:
    """The shards' events (graphkit.analysis.shard_events) on a DuckDB connection; DuckDB's errors
    reported as an InputError naming the shards."""
    files = _files(path)
    duckdb = duckdb_module()
    try:
        with shard_events(files) as events:
            yield events
    except duckdb.Error as err:
        raise InputError(str(path), f"DuckDB could not read the shards ({' '.join(str(err).split())[:200]})") \
            from None


def _files(path) -> list[str]:
    from ..shards import shard_files

    files = [str(f) for f in shard_files(path)]
    if not files:
        raise InputError(str(path), "no Parquet statement shards (*.parquet) here")
    return files


def _rolled_source(con, level: str, rollup: Rollup | None) -> RolledSource:
    """Where the shards' events (the view of graphkit.analysis.shard_events) are read at `level`."""
    names = _names(con)
    if level == "actor":
        return RolledSource(names, "source.id AS s, target.id AS t", VIEW)
    names = _register_rollup(con, level, rollup, names)
    read = (f"{VIEW} AS x LEFT JOIN rolled_ids AS rs ON rs.m_id = x.source.id AND rs.m_country IS NOT "
            "DISTINCT FROM x.source.country AND rs.m_date IS NOT DISTINCT FROM x.date LEFT JOIN rolled_ids "
            "AS rt ON rt.m_id = x.target.id AND rt.m_country IS NOT DISTINCT FROM x.target.country AND "
            "rt.m_date IS NOT DISTINCT FROM x.date")
    return RolledSource(names, "coalesce(rs.m_rolled, x.source.id) AS s, coalesce(rt.m_rolled, x.target.id) AS t",
                        read)


def shard_dyad_rows(path: str, dyads: Callable[[dict[str, str]], list[tuple[str, str]] | None], *,
                    level: str = "actor", rollup: Rollup | None = None,
                    ) -> tuple[pd.DataFrame, dict[str, str], list | None]:
    """The statements of the dyads asked for (either direction), rolled up to `level`, as a statements
    frame of the columns a comparison of sources reads (source, target, names, date, modality,
    date_precision, dataset, quad_class, goldstein): DuckDB filters the shards, so only these rows
    come into memory. `dyads` is as in :func:`shard_series`. Returns the rows, the names, the dyads."""
    from .frame import frame_from_columns

    with shard_events_of(path) as events:
        con = events.con
        source = _rolled_source(con, level, rollup)
        names, ends, read = source.names, source.ends, source.read
        wanted = dyads(names) or []
        pairs = [f"{x}\0{y}" for x, y in wanted] + [f"{y}\0{x}" for x, y in wanted]  # ids hold no NUL
        rows = con.execute(f"""SELECT s AS source, t AS target, date, modality, date_precision, dataset,
                   quad_class, goldstein FROM (SELECT {ends}, date, modality, date_precision, dataset, quad_class,
                   goldstein, filename, file_row_number FROM {read})
            WHERE s || chr(0) || t IN (SELECT unnest($pairs)) ORDER BY filename, file_row_number""",
                           {"pairs": pairs}).fetchall()
    columns = ["source", "target", "date", "modality", "date_precision", "dataset", "quad_class", "goldstein"]
    data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    data["source_name"] = [names.get(a, a) for a in data["source"]]
    data["target_name"] = [names.get(b, b) for b in data["target"]]
    return frame_from_columns(data), names, wanted


def _register_rollup(con, level: str, rollup: Rollup | None, names: dict[str, str]) -> dict[str, str]:
    """The table rolled_ids (m_id, m_country, m_date -> m_rolled) of every distinct (actor, country, day)
    in the shards, and the names of the rolled-up ids as rollup_frame gives them."""
    import pyarrow as pa

    triples = con.execute(f"""SELECT DISTINCT id, country, date FROM (
        SELECT source.id AS id, source.country AS country, date FROM {VIEW}
        UNION ALL SELECT target.id, target.country, date FROM {VIEW})""").fetchall()
    ids, countries, days = (list(column) for column in zip(*triples, strict=True)) if triples else ([], [], [])
    rolled = [rolled_id(a, level, day, c, rollup) for a, c, day in zip(ids, countries, days, strict=True)]
    table = pa.table({"m_id": pa.array(ids, pa.string()), "m_country": pa.array(countries, pa.string()),
                      "m_date": pa.array(days, pa.date32()), "m_rolled": pa.array(rolled, pa.string())})
    con.register("rolled_ids", table)
    return {r: rolled_name(r, level, names) for r in dict.fromkeys(rolled)}


def _names(con) -> dict[str, str]:
    """id -> name as graphkit.analysis.frame.actor_names reads them (the last row naming an actor wins,
    a target's name over a source's), in the order the shards are read."""
    rows = con.execute(f"""
        SELECT id, arg_max(name, (side, filename, file_row_number)) FROM (
            SELECT source.id AS id, source.name AS name, 0 AS side, filename, file_row_number FROM {VIEW}
            UNION ALL
            SELECT target.id, target.name, 1, filename, file_row_number FROM {VIEW})
        GROUP BY id""").fetchall()
    return {k: (v if isinstance(v, str) and v else k) for k, v in rows}


def window_sql(where: list[str], params: dict, since: date | None, until: date | None) -> None:
    """Add the date window (model.in_window: inclusive, undated rows outside once a bound is set) to a
    shards query's conditions and parameters."""
    if since is not None:
        where.append("date >= $since")
        params["since"] = since
    if until is not None:
        where.append("date <= $until")
        params["until"] = until


def _where(include_modalities: Iterable[str], since: date | None, until: date | None,
           event_dates_only: bool) -> tuple[str, dict]:
    include = set(include_modalities)
    where, params = ["date IS NOT NULL"], {}
    if "all" not in include:
        excluded = [m for m in EXCLUDED_MODALITIES if m not in include]
        if excluded:
            where.append("coalesce(modality, '') NOT IN (SELECT unnest($excluded))")
            params["excluded"] = excluded
    window_sql(where, params, since, until)
    if event_dates_only:
        where.append("coalesce(date_precision, '') NOT IN (SELECT unnest($reported))")
        params["reported"] = list(REPORT_DATED)
    return " AND ".join(where), params


#: The statements an alert metric counts, in SQL (graphkit.analysis.series.evidence_mask).
_EVIDENCE_SQL = {"conflict": "quad_class IN (3, 4)", "material": "quad_class = 4"}


@dataclass(frozen=True, slots=True)
class _AlertSelection:
    """The statements an alert detector reads from the shards: the CTE `selected` (columns a, b, s, t,
    sn, tn, period, w, counted, art, id, date, sentence, article_id) and its parameters."""

    sql: str
    params: dict


def _alert_selection(source: RolledSource, *, freq: str, metric: str, directed: bool, weight: str | None,
                     include_modalities: Iterable[str], until: date | None, level: str) -> _AlertSelection:
    where, params = _where(include_modalities, None, until, False)
    w = "greatest(coalesce(mentions, 1), 1)" if weight == "mentions" else "1"
    a, b = ("s", "t") if directed else ("least(s, t)", "greatest(s, t)")
    evidence = _EVIDENCE_SQL.get(metric, "goldstein < 0")
    names_sql = ("source.name AS sn, target.name AS tn" if level == "actor"
                 else "CAST(NULL AS VARCHAR) AS sn, CAST(NULL AS VARCHAR) AS tn")
    return _AlertSelection(f"""WITH selected AS (
        SELECT {a} AS a, {b} AS b, s, t, sn, tn, {_PERIOD_SQL[freq]} AS period, CAST({w} AS DOUBLE) AS w,
               ({evidence}) AS counted, coalesce(article_id, id) AS art, id, date, sentence, article_id
        FROM (SELECT {source.ends}, {names_sql}, id, date, sentence, modality, date_precision, mentions,
                     quad_class, goldstein, article_id FROM {source.read})
        WHERE {where})""", params)


def _cite(con, selected: _AlertSelection, pairs: list[tuple[str, str]], first: int, names: dict[str, str],
          level: str, asked: list[tuple[int, int, int]]) -> list[pd.DataFrame]:
    """The evidence of each (dyad code, first, last period offset) asked, in one pass over the shards:
    the runs are a table DuckDB joins (a dyad's runs never overlap, so each statement cites one run at
    most). `pairs` are the (a, b) ids of each dyad code."""
    runs = pd.DataFrame({"run": range(len(asked)), "ra": [pairs[d][0] for d, _, _ in asked],
                         "rb": [pairs[d][1] for d, _, _ in asked],
                         "lo": [lo + first for _, lo, _ in asked], "hi": [hi + first for _, _, hi in asked]})
    con.register("alarmed_runs", runs)
    rows = con.execute(f"""{selected.sql} SELECT r.run, id, date, sentence, article_id, a, b, s AS source,
               t AS target, sn AS source_name, tn AS target_name
        FROM selected JOIN alarmed_runs AS r ON a = r.ra AND b = r.rb AND period BETWEEN r.lo AND r.hi
        WHERE counted ORDER BY r.run, date, id""", selected.params).df()
    if level != "actor":  # rolled-up rows carry the rolled-up names (rollup_frame)
        rows["source_name"] = rows["source"].map(names)
        rows["target_name"] = rows["target"].map(names)
    grouped = dict(iter(rows.groupby("run", sort=False)))
    empty = rows.iloc[:0]
    return [grouped.get(i, empty).drop(columns="run").reset_index(drop=True) for i in range(len(asked))]


def _covered(con, freq: str) -> int:
    """How many periods the dated statements span (every one, counted or not: the "too short" note)."""
    low, high = con.execute(f"SELECT min({_PERIOD_SQL[freq]}), max({_PERIOD_SQL[freq]}) FROM {VIEW} "
                            "WHERE date IS NOT NULL").fetchone()
    return int(high - low + 1) if low is not None else 0


def shard_alerts(path: str, *, freq: str = "W", metric: str = "conflict", directed: bool = False,
                 weight: str | None = None, include_modalities: Iterable[str] = (), since: date | None = None,
                 until: date | None = None,
                 dyads: Callable[[dict[str, str]], list[tuple[str, str]] | None] | None = None,
                 level: str = "actor", rollup: Rollup | None = None,
                 params=None) -> tuple[pd.DataFrame, dict[str, str], list | None, int]:
    """Escalation alerts of the statements in Parquet shards, with the detector `params` chooses.

    The surprise detector (:func:`graphkit.analysis.surprise.surprise_alerts`, the default): DuckDB
    counts each (dyad, period) cell, its distinct articles and each actor's first period, so only those
    aggregates come into memory; the scan runs on them. The CUSUM (CusumParams,
    :func:`graphkit.analysis.alerts.escalation_alerts`): DuckDB aggregates the cells of the series, which
    is zero-filled in memory (dyads x periods, as the pandas engine does). Either way the sentences of
    each alarmed run are fetched from the shards afterwards. Same rows as the pandas path (test).

    Returns the alerts, the (rolled-up) names, the dyads asked for, and how many periods the dated
    statements span (for the "too short" note)."""
    from .alerts import METRICS, CusumParams
    from .surprise import COUNTED

    if freq not in FREQS:
        raise GraphkitError(f"unknown frequency {freq!r}: use one of {', '.join(FREQS)}")
    cusum = isinstance(params, CusumParams)
    known = METRICS if cusum else COUNTED
    if metric not in known:
        raise GraphkitError(f"unknown escalation metric {metric!r}: use one of {', '.join(known)}")
    with shard_events_of(path) as events:
        con = events.con
        source = _rolled_source(con, level, rollup)
        selected = _alert_selection(source, freq=freq, metric=metric, directed=directed, weight=weight,
                                    include_modalities=include_modalities, until=until, level=level)
        covered = _covered(con, freq)
        if cusum:
            alerts, wanted = _cusum(con, source, selected, freq=freq, metric=metric, directed=directed,
                                    weight=weight, include_modalities=include_modalities, since=since, until=until,
                                    dyads=dyads, level=level, params=params)
        else:
            alerts, wanted = _surprise(con, source, selected, freq=freq, metric=metric, directed=directed,
                                       since=since, until=until, dyads=dyads, level=level, params=params)
    return alerts, source.names, wanted, covered


def _cusum(con, source: RolledSource, selected: _AlertSelection, *, freq, metric, directed, weight,
           include_modalities, since, until, dyads, level, params) -> tuple[pd.DataFrame, list | None]:
    from .alerts import cusum_alerts

    # the baseline runs from the first statement: the cells from there to --until, every dyad zero-filled
    cells = _cells(con, source, freq=freq, directed=directed, weight=weight, include_modalities=include_modalities,
                   since=None, until=until, event_dates_only=False, dyads=dyads)
    frame = cells.frame
    series = series_from_cells(frame, cells.occupied, cells.cols, fill="grid")
    pairs = list(zip(frame.dyads["source"], frame.dyads["target"], strict=True))

    def cite(asked: list[tuple[int, int, int]]) -> list[pd.DataFrame]:
        return _cite(con, selected, pairs, frame.first_period, source.names, level, asked)

    alerts = cusum_alerts(series, frame.dyads, freq, frame.first_period, frame.n_periods, cite, metric=metric,
                          since=since, until=until, params=params)
    return alerts, cells.wanted


def _surprise(con, source: RolledSource, selected: _AlertSelection, *, freq, metric, directed, since, until,
              dyads, level, params) -> tuple[pd.DataFrame, list | None]:
    from .surprise import SURPRISE_COLUMNS, CountedCells, SurpriseParams, alerts_from_cells

    wanted = dyads(source.names) if dyads is not None else None
    sql, params_sql = selected.sql, selected.params
    low, high, n = con.execute(f"{sql} SELECT min(period), max(period), count(*) FROM selected",
                               params_sql).fetchone()
    if not n:
        empty = pd.DataFrame(columns=list(SURPRISE_COLUMNS))
        empty.attrs["unjudged"] = []
        return empty, wanted
    first = int(low)
    last = int(period_codes(pd.Series([pd.Timestamp(until)]), freq)[0]) if until else int(high)
    n_periods = max(last - first + 1, 0)
    # dyads coded in id order, as dyad_frame codes them; the cells come back as numpy columns
    con.execute(f"""CREATE TEMP TABLE dyad_codes AS {sql}
        SELECT a, b, row_number() OVER (ORDER BY a, b) - 1 AS d FROM (SELECT DISTINCT a, b FROM selected)""",
                params_sql)
    pairs = con.execute("SELECT a, b FROM dyad_codes ORDER BY d").fetchall()
    table = pd.DataFrame(pairs, columns=["source", "target"], dtype=object)
    counted = con.execute(f"""{sql} SELECT d * $n + (period - $first) AS code, sum(w) AS count,
               count(DISTINCT art) AS articles
        FROM selected JOIN dyad_codes USING (a, b) WHERE counted GROUP BY code ORDER BY code""",
                          {**params_sql, "n": n_periods, "first": first}).fetchnumpy()
    seen = con.execute(f"""{sql} SELECT actor, min(period) FROM (
        SELECT a AS actor, period FROM selected UNION ALL SELECT b, period FROM selected) GROUP BY actor""",
                       params_sql).fetchall()
    cells = CountedCells(table, freq, first, n_periods, np.asarray(counted["code"], dtype=np.int64),
                         np.asarray(counted["count"], dtype=np.float64),
                         np.asarray(counted["articles"], dtype=np.int64),
                         {actor: int(p) - first for actor, p in seen})

    def cite(asked: list[tuple[int, int, int]]) -> list[pd.DataFrame]:
        return _cite(con, selected, pairs, first, source.names, level, asked)

    alerts = alerts_from_cells(cells, cite, metric=metric, directed=directed, since=since, until=until,
                               dyads=wanted, params=params or SurpriseParams())
    return alerts, wanted
