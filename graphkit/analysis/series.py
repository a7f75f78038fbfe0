"""Dyad time series: how much conflict and cooperation between two actors, period by period.

The aggregation is done on integer codes with ``numpy.bincount`` rather than a
pandas groupby, so weekly series for every dyad of a million statements take
well under a second (see benchmarks/bench_series.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..errors import GraphkitError
from .frame import Rollup, rollup_frame, select

FREQS = ("D", "W", "M")

#: Columns of a dyad series, after ``source``, ``target`` and ``period``.
SERIES_METRICS = ("statements", "events", "q1", "q2", "q3", "q4", "goldstein_sum", "goldstein_mean",
                  "conflict_share", "net_cooperation", "articles", "datasets", "killed", "injured")

_INT_METRICS = ("statements", "articles", "datasets", "killed", "injured")

# Dense zero-filling allocates dyads x periods rows; beyond this, ask for a narrower query.
MAX_DENSE_CELLS = 40_000_000

# 1970-01-01 was a Thursday: shifting by 3 days makes weeks start on Monday (ISO weeks).
_WEEK_SHIFT = 3


def evidence_mask(rows: pd.DataFrame, metric: str) -> np.ndarray:
    """Which statement rows count towards an alert metric: conflict (QuadClass 3 or 4), material
    (QuadClass 4), or anything else as hostile (Goldstein below 0)."""
    quad = rows["quad_class"].to_numpy()
    if metric == "conflict":
        return (quad == 3) | (quad == 4)
    if metric == "material":
        return quad == 4
    return rows["goldstein"].to_numpy() < 0


def period_codes(dates: pd.Series | np.ndarray, freq: str) -> np.ndarray:
    """Integer period number of each date: days, Monday-weeks or months since 1970.

    Examples
    --------
    >>> period_codes(pd.to_datetime(pd.Series(["1970-01-05", "1970-01-11", "1970-01-12"])), "W").tolist()
    [1, 1, 2]
    """
    values = np.asarray(dates, dtype="datetime64[ns]")
    if freq == "D":
        return values.astype("datetime64[D]").astype(np.int64)
    if freq == "W":
        return (values.astype("datetime64[D]").astype(np.int64) + _WEEK_SHIFT) // 7
    if freq == "M":
        return values.astype("datetime64[M]").astype(np.int64)
    raise GraphkitError(f"unknown frequency {freq!r}: use one of {', '.join(FREQS)}")


def period_starts(codes: np.ndarray, freq: str) -> pd.DatetimeIndex:
    """The first day of each period code (inverse of :func:`period_codes`)."""
    codes = np.asarray(codes, dtype=np.int64)
    if freq == "D":
        days = codes
    elif freq == "W":
        days = codes * 7 - _WEEK_SHIFT
    elif freq == "M":
        return pd.DatetimeIndex(codes.astype("datetime64[M]").astype("datetime64[ns]"))
    else:
        raise GraphkitError(f"unknown frequency {freq!r}: use one of {', '.join(FREQS)}")
    return pd.DatetimeIndex(days.astype("datetime64[D]").astype("datetime64[ns]"))


@dataclass(frozen=True, slots=True)
class DyadFrame:
    """Statements assigned to dyads and periods: what series and alerts are computed from.

    ``rows`` is the selected statements frame with ``a``/``b`` (dyad ends after rollup
    and, when undirected, ordered so ``a <= b``), ``dyad`` (code into ``dyads``) and
    ``period`` (code, see :func:`period_codes`).
    """

    rows: pd.DataFrame
    dyads: pd.DataFrame  # columns source, target; index = dyad code
    freq: str
    directed: bool
    first_period: int
    last_period: int
    fixed_start: bool = False  # the window's start was asked for (--since), not read from the data

    @property
    def n_periods(self) -> int:
        return max(self.last_period - self.first_period + 1, 0)


def dyad_frame(frame: pd.DataFrame, *, freq: str = "W", directed: bool = False, level: str = "actor",
               rollup: Rollup | None = None, include_modalities: Iterable[str] = (),
               since: date | str | None = None, until: date | str | None = None,
               dyads: Iterable[tuple[str, str]] | None = None, event_dates_only: bool = False) -> DyadFrame:
    """Select statements, roll actors up, and code each row by dyad and period.

    Parameters are those of :func:`dyad_series`.
    """
    if freq not in FREQS:
        raise GraphkitError(f"unknown frequency {freq!r}: use one of {', '.join(FREQS)}")
    rows = select(frame, since=since, until=until, include_modalities=include_modalities,
                  event_dates_only=event_dates_only)
    rows = rollup_frame(rows, level, rollup)
    src = rows["source"].to_numpy(dtype=object)
    tgt = rows["target"].to_numpy(dtype=object)
    n = len(rows)
    codes, actors = pd.factorize(np.concatenate([src, tgt]))
    # Recode actors in id order (sorting the few uniques, not the rows), so min/max of codes
    # orders an undirected pair by id.
    order = np.argsort(np.asarray(actors, dtype=object), kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes = rank[codes] if len(codes) else codes
    actors = np.asarray(actors, dtype=object)[order]
    s, t = codes[:n].astype(np.int64), codes[n:].astype(np.int64)
    if not directed:
        s, t = np.minimum(s, t), np.maximum(s, t)
    pair = s * max(len(actors), 1) + t
    dyad, pair_uniques = pd.factorize(pair, sort=True)
    actors = np.asarray(actors, dtype=object)
    dyad_table = pd.DataFrame({"source": actors[pair_uniques // max(len(actors), 1)],
                               "target": actors[pair_uniques % max(len(actors), 1)]})
    period = period_codes(rows["date"], freq)
    rows = rows.assign(a=actors[s] if n else src, b=actors[t] if n else tgt, dyad=dyad, period=period)
    if dyads is not None:
        wanted = _dyad_codes(dyad_table, dyads, directed)
        keep = np.isin(dyad, wanted)
        rows = rows[keep]
        # Re-code so dyad codes stay dense over the kept dyads (and absent wanted dyads appear as zeros).
        dyad_table = _wanted_table(dyads, directed)
        lookup = {(a, b): i for i, (a, b) in enumerate(zip(dyad_table["source"], dyad_table["target"], strict=True))}
        rows = rows.assign(dyad=[lookup[(a, b)] for a, b in zip(rows["a"], rows["b"], strict=True)])
    first = period_codes(pd.Series([pd.Timestamp(since)]), freq)[0] if since is not None else (
        int(period.min()) if n else 0)
    last = period_codes(pd.Series([pd.Timestamp(until)]), freq)[0] if until is not None else (
        int(period.max()) if n else -1)
    return DyadFrame(rows, dyad_table, freq, directed, int(first), int(last), since is not None)


def _wanted_table(dyads: Iterable[tuple[str, str]], directed: bool) -> pd.DataFrame:
    seen: list[tuple[str, str]] = []
    for a, b in dyads:
        pair = (a, b) if directed or a <= b else (b, a)
        if pair not in seen:
            seen.append(pair)
    return pd.DataFrame(seen, columns=["source", "target"])


def _dyad_codes(table: pd.DataFrame, dyads: Iterable[tuple[str, str]], directed: bool) -> np.ndarray:
    wanted = set(map(tuple, _wanted_table(dyads, directed).to_numpy()))
    mask = [(a, b) in wanted for a, b in zip(table["source"], table["target"], strict=True)]
    return np.flatnonzero(mask)


def dyad_series(frame: pd.DataFrame, *, freq: str = "W", directed: bool = False, weight: str | None = None,
                level: str = "actor", rollup: Rollup | None = None, include_modalities: Iterable[str] = (),
                since: date | str | None = None, until: date | str | None = None,
                dyads: Iterable[tuple[str, str]] | None = None, fill: str = "range",
                event_dates_only: bool = False) -> pd.DataFrame:
    """Conflict and cooperation per dyad and period.

    Parameters
    ----------
    frame : DataFrame
        A statements frame (:func:`graphkit.analysis.frame.statements_frame`).
    freq : {"D", "W", "M"}
        Days, weeks starting Monday, or calendar months.
    directed : bool
        Keep "A did to B" apart from "B did to A". Undirected dyads are ordered by id.
    weight : {None, "mentions"}
        None counts each statement once (however often it was reported); ``"mentions"``
        weights it by its mention count. ``goldstein_sum`` is weighted the same way.
    level, rollup
        Actor aggregation (see :func:`graphkit.analysis.frame.rollup_frame`).
    include_modalities : iterable of str
        Modalities to keep that are excluded by default (negated, hypothetical, planned),
        or ``"all"``.
    since, until : date or ISO string, optional
        The window; it also fixes the period range that is zero-filled.
    dyads : iterable of (a, b), optional
        Only these dyads (in this order); a dyad with no statements appears as zeros.
    event_dates_only : bool
        Leave out statements dated only by their report (``date_precision = "reported"``).
    fill : {"range", "span", "none", "grid"}
        ``range``: each dyad gets every period from its first statement (or from `since`
        when given) to the end of the window (`until`, else the last period of the data),
        zeros where nothing happened, so trends are honest and one old statement
        elsewhere in the store does not add years of zeros; ``span``: periods between the
        dyad's first and last statement; ``none``: only periods with statements;
        ``grid``: every dyad over every period of the window, from the earliest statement.

    Returns
    -------
    DataFrame
        One row per (source, target, period) with ``period`` the first day of the period
        (``source``/``target`` are categoricals; group with ``observed=True``) and the columns of :data:`SERIES_METRICS`: ``statements`` (unweighted count),
        ``events`` (weighted count), ``q1``..``q4`` (weighted count per QuadClass),
        ``goldstein_sum``, ``goldstein_mean`` (NaN in empty periods), ``conflict_share``
        ((q3+q4)/(q1+..+q4), NaN in empty periods), ``net_cooperation`` ((q1+q2)-(q3+q4)),
        ``articles`` and ``datasets`` (distinct sources), ``killed`` and ``injured`` (casualties
        told, summed once per event: never weighted by mentions).

    Examples
    --------
    >>> from graphkit.analysis.frame import frame_from_columns
    >>> df = frame_from_columns({"source": ["USA", "IRQ.PMF"], "target": ["IRQ.PMF", "USA"],
    ...     "date": ["2023-12-04", "2023-12-20"], "quad_class": [4, 4], "goldstein": [-10.0, -10.0]})
    >>> s = dyad_series(df, freq="W")
    >>> s[["source", "target", "q4"]].values.tolist()
    [['IRQ.PMF', 'USA', 1.0], ['IRQ.PMF', 'USA', 0.0], ['IRQ.PMF', 'USA', 1.0]]
    """
    if fill not in ("range", "span", "none", "grid"):
        raise ValueError("fill must be 'range', 'span', 'none' or 'grid'")
    if weight not in (None, "mentions"):
        raise GraphkitError(f"unknown weight {weight!r}: use 'mentions' or none")
    dfr = dyad_frame(frame, freq=freq, directed=directed, level=level, rollup=rollup,
                     include_modalities=include_modalities, since=since, until=until, dyads=dyads,
                     event_dates_only=event_dates_only)
    return series_from_dyad_frame(dfr, weight=weight, fill=fill)


def series_from_dyad_frame(dfr: DyadFrame, *, weight: str | None = None, fill: str = "range") -> pd.DataFrame:
    """The aggregation step of :func:`dyad_series` on an already coded :class:`DyadFrame`."""
    rows = dfr.rows
    n_periods = dfr.n_periods
    in_range = (rows["period"].to_numpy() >= dfr.first_period) & (rows["period"].to_numpy() <= dfr.last_period)
    if not in_range.all():
        rows = rows[in_range]
    offset = rows["period"].to_numpy(np.int64) - dfr.first_period
    dyad = rows["dyad"].to_numpy(np.int64)
    cell = dyad * max(n_periods, 1) + offset
    # Aggregate over the occupied cells only, then spread onto the dense grid if asked.
    # pandas' hash factorize: numpy 2's np.unique is several times slower on a million int64s.
    inverse, occupied = pd.factorize(cell, sort=True)
    k = len(occupied)
    w = rows["mentions"].to_numpy(np.float64) if weight == "mentions" else np.ones(len(rows))
    quad = rows["quad_class"].to_numpy()
    gold = rows["goldstein"].to_numpy(np.float64)
    known = ~np.isnan(gold)
    cols: dict[str, np.ndarray] = {
        "statements": np.bincount(inverse, minlength=k).astype(np.int64),
        "events": np.bincount(inverse, weights=w, minlength=k),
    }
    for q in (1, 2, 3, 4):
        cols[f"q{q}"] = np.bincount(inverse, weights=w * (quad == q), minlength=k)
    cols["goldstein_sum"] = np.bincount(inverse, weights=np.where(known, gold, 0.0) * w, minlength=k)
    gold_weight = np.bincount(inverse, weights=known * w, minlength=k)
    # Casualties once per event: a statement is one event however many reports tell it, so counts
    # are never weighted by mentions (a lower bound counts as its number).
    for name in ("killed", "injured"):
        told = rows[name].to_numpy(np.float64) if name in rows else np.zeros(len(rows))
        cols[name] = np.bincount(inverse, weights=np.nan_to_num(told), minlength=k).round().astype(np.int64)
    cols["articles"] = _distinct(inverse, rows["article_id"], k)
    cols["datasets"] = _distinct(inverse, rows["dataset"], k)
    cols["gold_weight"] = gold_weight
    return series_from_cells(dfr, occupied, cols, fill=fill)


#: What an engine hands :func:`series_from_cells` for each occupied cell: the counts and weighted
#: sums the series is derived from (gold_weight: the weight of the statements with a Goldstein score).
CELL_AGGREGATES = ("statements", "events", "q1", "q2", "q3", "q4", "goldstein_sum", "gold_weight", "killed",
                   "injured", "articles", "datasets")


def series_from_cells(dfr: DyadFrame, occupied: np.ndarray, cols: dict[str, np.ndarray], *,
                      fill: str = "range") -> pd.DataFrame:
    """The series from the aggregates of its occupied cells: the derived columns and the zero-filling.

    `occupied` holds the sorted cell codes ``dyad * n_periods + (period - first_period)`` and `cols`
    one array per :data:`CELL_AGGREGATES` in that order. The pandas engine (:func:`series_from_dyad_frame`)
    and DuckDB over Parquet shards (:mod:`graphkit.analysis.parquet`) both end here, so the two give
    the same rows.
    """
    cols = dict(cols)
    gold_weight = cols.pop("gold_weight")
    n_periods = dfr.n_periods
    n_dyads = len(dfr.dyads)
    k = len(occupied)
    coop = cols["q1"] + cols["q2"]
    conflict = cols["q3"] + cols["q4"]
    quads = coop + conflict
    with np.errstate(invalid="ignore", divide="ignore"):
        cols["goldstein_mean"] = np.where(gold_weight > 0, cols["goldstein_sum"] / gold_weight, np.nan)
        cols["conflict_share"] = np.where(quads > 0, conflict / quads, np.nan)
    cols["net_cooperation"] = coop - conflict

    # Where each occupied cell lands in the output (`slot`), and the output's cells.
    if fill == "range" and dfr.fixed_start:
        fill = "grid"  # the asked window: every dyad from its start
    if fill == "grid":
        total = n_dyads * n_periods
        if total > MAX_DENSE_CELLS:
            raise GraphkitError(f"{n_dyads} dyads x {n_periods} periods is too many to zero-fill; "
                                "narrow --since/--until, pick --dyad, or use a coarser --freq")
        n_out, slot, cells = total, occupied, None
    elif fill in ("span", "range"):
        occ_dyad = occupied // max(n_periods, 1)
        first = np.full(n_dyads, np.iinfo(np.int64).max)
        last = np.full(n_dyads, -1)
        np.minimum.at(first, occ_dyad, occupied)
        np.maximum.at(last, occ_dyad, occupied)
        present = last >= 0
        if fill == "range":  # on to the end of the window
            last = np.where(present, np.arange(n_dyads) * max(n_periods, 1) + n_periods - 1, last)
        lengths = np.where(present, last - first + 1, 0)
        cells = np.repeat(first[present], lengths[present]) + _ranges(lengths[present])
        n_out, slot = len(cells), np.searchsorted(cells, occupied)
    else:
        cells = occupied
        n_out, slot = k, np.arange(k)

    # Spread into one float block and one int block: a DataFrame built from blocks skips
    # a copy per column, which matters for a zero-filled grid of millions of rows.
    float_names = [c for c in SERIES_METRICS if c not in _INT_METRICS]
    # Column-major (one contiguous row per metric, as pandas keeps its blocks) so each fill is a
    # sequential write.
    floats = np.zeros((len(float_names), n_out))
    for j, name in enumerate(float_names):
        if name in ("goldstein_mean", "conflict_share"):
            floats[j].fill(np.nan)
        floats[j, slot] = cols[name]
    floats = floats.T
    ints = np.zeros((len(_INT_METRICS), n_out), dtype=np.int64)
    for j, name in enumerate(_INT_METRICS):
        ints[j, slot] = cols[name]
    ints = ints.T

    # Actor columns are categoricals over the dyads' actors: a zero-filled grid repeats each
    # id many times, and integer codes make that cheap in time and memory.
    ends = np.concatenate([dfr.dyads["source"].to_numpy(dtype=object), dfr.dyads["target"].to_numpy(dtype=object)])
    actors = pd.Index(sorted(pd.unique(ends)), dtype=object)
    source_codes = actors.get_indexer(dfr.dyads["source"])
    target_codes = actors.get_indexer(dfr.dyads["target"])
    if fill == "grid":  # the grid is regular: repeat dyads, tile periods
        dyad_of = np.repeat(np.arange(n_dyads), n_periods)
        period = np.tile(period_starts(np.arange(n_periods) + dfr.first_period, dfr.freq).to_numpy(), n_dyads)
    else:
        dyad_of = cells // max(n_periods, 1)
        period = period_starts(cells % max(n_periods, 1) + dfr.first_period, dfr.freq).to_numpy()
    out = pd.DataFrame(floats, columns=float_names, copy=False)
    out.insert(0, "source", pd.Categorical.from_codes(source_codes[dyad_of], categories=actors))
    out.insert(1, "target", pd.Categorical.from_codes(target_codes[dyad_of], categories=actors))
    out.insert(2, "period", period)
    for j, name in enumerate(_INT_METRICS):
        out.insert(3 + SERIES_METRICS.index(name), name, ints[:, j])
    return out


def _ranges(lengths: np.ndarray) -> np.ndarray:
    """Concatenated aranges: [0..l0-1, 0..l1-1, ...]."""
    if len(lengths) == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    starts = np.repeat(ends - lengths, lengths)
    return np.arange(ends[-1], dtype=np.int64) - starts


def _distinct(inverse: np.ndarray, values: pd.Series, k: int) -> np.ndarray:
    """Distinct non-null values per cell."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    known = codes >= 0
    if not known.any():
        return np.zeros(k, dtype=np.int64)
    if len(uniques) <= 16:  # few values (datasets): one presence count per value beats hashing pairs
        total = np.zeros(k, dtype=np.int64)
        for value in range(len(uniques)):
            total += np.bincount(inverse[codes == value], minlength=k) > 0
        return total
    pairs = pd.unique(inverse[known].astype(np.int64) * (len(uniques) + 1) + codes[known])
    return np.bincount(pairs // (len(uniques) + 1), minlength=k).astype(np.int64)


def dyad_label(source: str, target: str, directed: bool, names: dict[str, str] | None = None) -> str:
    """'United States -> PMF' (directed) or 'PMF–United States' (undirected: an en dash, no direction)."""
    names = names or {}
    arrow = " -> " if directed else "–"
    return f"{names.get(source, source)}{arrow}{names.get(target, target)}"
