"""Escalation alerts for short and sparse series: how surprising is this period's count?

News-coded dyads are mostly silent, then a handful of statements in one week. A
control chart on the dyad's own mean and spread (the CUSUM in :mod:`.alerts`) needs
months of history and says nothing about a dyad that was silent until now. This
detector asks one question per dyad and period: under the dyad's expected rate, how
likely is a count at least this high?

Expected rate (a pooled, empirical-Bayes baseline)
    The dyad's rate has a gamma prior whose mean is the rate of its two actors' *other*
    dyads over the same trailing window (shrunk towards the rate of all dyads), worth
    ``prior_weight`` periods of history. The dyad's own trailing history (up to
    ``baseline`` periods) updates it, so a dyad with a long record is judged on its own
    record and a new or silent dyad on what is normal for its actors. The predictive
    count is negative binomial (gamma-Poisson), widened by the overdispersion measured
    across all dyads in the same window (method of moments), so bursty sources are not
    read as escalation.

Warm-up rule
    A dyad's quiet periods count as evidence only from the first period in which
    either of its actors appears in the data (before that nothing was being reported
    about them). A dyad is judged once it has ``min_history`` such periods before the
    period in question; earlier, its counts are reported as "too short to judge" with
    how much history is needed.

Alert rule
    A period alarms when its count has a tail probability below ``alpha`` and rests on at
    least ``min_statements`` statements from ``min_articles`` articles. Consecutive
    alarmed periods form one alert. ``benchmarks/sim_cusum.py`` measures the false-alert
    rate per dyad-period on stationary and overdispersed streams and the detection delay.

The tail probability uses ``scipy.stats.nbinom`` (exact regularised incomplete beta).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..errors import GraphkitError
from .frame import Rollup
from .series import dyad_frame, evidence_mask, period_starts

#: metric -> what is counted (the evidence statements are the same rows)
COUNTED = {
    "conflict": "conflict",  # QuadClass 3 or 4
    "material": "material-conflict",  # QuadClass 4
    "goldstein": "hostile",  # negative Goldstein score
}

SURPRISE_COLUMNS = ("source", "target", "onset", "alarm", "end", "ongoing", "score", "p_value", "observed",
                    "expected", "history", "statements", "articles", "reason", "statement_ids", "sentences")

UNIT = {"D": "day", "W": "week", "M": "month"}


@dataclass(frozen=True, slots=True)
class SurpriseParams:
    """Settings of the count-surprise detector (see the module docstring).

    Measured by ``python benchmarks/sim_cusum.py`` (1,000 dyads x 60 periods): stationary
    Poisson streams alarm in well under 1% of dyad-periods, overdispersed ones (variance
    twice the mean) at most a few in a thousand; a jump from 3 to 15 or from 0 to 5
    statements a period is flagged in the period of the change.
    """

    baseline: int = 26  # trailing periods of the dyad's own history
    min_history: int = 4  # observed periods needed before a dyad is judged (warm-up)
    prior_weight: float = 4.0  # the pooled baseline counts as this many periods of history
    alpha: float = 0.001  # tail probability below which a period alarms
    min_statements: int = 3  # an alarmed period rests on at least this many statements ...
    min_articles: int = 1  # ... from at least this many articles (one report repeated is not a trend)
    max_dispersion: float = 5.0  # cap on the pooled overdispersion (1/size of the negative binomial)


@dataclass(frozen=True, slots=True)
class Scan:
    """Per dyad and period: the tail probability, the expected count and the history behind it."""

    p_value: np.ndarray  # (dyads x periods); 1.0 where nothing was counted
    expected: np.ndarray
    history: np.ndarray  # observed periods of history before each period (int)


def surprise_scan(x: np.ndarray, ends: np.ndarray | None = None, start: np.ndarray | None = None,
                  params: SurpriseParams = SurpriseParams()) -> Scan:
    """Tail probabilities of each count under the dyad's pooled baseline.

    Parameters
    ----------
    x : array (dyads x periods)
        Counts per dyad and period.
    ends : int array (dyads x 2), optional
        The two actors of each dyad (codes), for the pooled baseline of their other
        dyads. None: every dyad stands alone (only the all-dyads rate is pooled).
    start : int array (dyads,), optional
        First observed period of each dyad (warm-up rule); default 0.

    Examples
    --------
    >>> x = np.array([[0, 0, 0, 0, 0, 0, 0, 0, 5]], dtype=float)
    >>> bool(surprise_scan(x).p_value[0, 8] < 0.001)
    True
    """
    from scipy.stats import nbinom

    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    n, periods = x.shape
    start = np.zeros(n, dtype=np.int64) if start is None else np.asarray(start, dtype=np.int64)
    t_index = np.arange(periods)
    observed = (t_index[None, :] >= start[:, None]).astype(np.float64)
    zero = np.zeros((n, 1))
    c1 = np.concatenate([zero, np.cumsum(x, axis=1)], axis=1)
    c2 = np.concatenate([zero, np.cumsum(x * x, axis=1)], axis=1)
    ce = np.concatenate([zero, np.cumsum(observed, axis=1)], axis=1)
    if ends is not None and n:
        ends = np.asarray(ends, dtype=np.int64)
        n_actors = int(ends.max()) + 1
        # actor x period sums of counts and of observed dyad-periods, over all the actor's dyads
        ax1 = np.zeros((n_actors, periods + 1))
        axe = np.zeros((n_actors, periods + 1))
        for col in (0, 1):
            np.add.at(ax1, ends[:, col], c1)
            np.add.at(axe, ends[:, col], ce)
        same = ends[:, 0] == ends[:, 1]
    p_value = np.ones((n, periods))
    expected = np.zeros((n, periods))
    history = np.zeros((n, periods), dtype=np.int64)
    for t in range(periods):
        lo = max(0, t - params.baseline)
        m = ce[:, t] - ce[:, lo]  # observed periods of own history in the window
        s1 = c1[:, t] - c1[:, lo]
        s2 = c2[:, t] - c2[:, lo]
        history[:, t] = m
        # the rate of all dyads in the window: the prior's prior
        total_m = m.sum()
        overall = s1.sum() / total_m if total_m > 0 else 0.0
        overall = max(overall, 0.01)
        if ends is not None and n:
            # the actors' other dyads: the two actor sums hold this dyad twice (a self-dyad is
            # added once per end, so halve the doubled actor sum first)
            other_1 = (ax1[ends[:, 0], t] - ax1[ends[:, 0], lo]) + (ax1[ends[:, 1], t] - ax1[ends[:, 1], lo])
            other_e = (axe[ends[:, 0], t] - axe[ends[:, 0], lo]) + (axe[ends[:, 1], t] - axe[ends[:, 1], lo])
            other_1 = np.where(same, other_1 / 2, other_1) - 2 * s1
            other_e = np.where(same, other_e / 2, other_e) - 2 * m
            other_1 = np.clip(other_1, 0, None)
            other_e = np.clip(other_e, 0, None)
        else:
            other_1 = np.zeros(n)
            other_e = np.zeros(n)
        w = params.prior_weight
        prior_mean = (other_1 + overall * w) / (other_e + w)
        a = prior_mean * w + s1
        b = w + m
        mu = a / b
        # Pooled overdispersion (method of moments over dyads with some history), less twice
        # its sampling noise under a Poisson: sum (m-1)(var - mean) is mean-zero with variance
        # 2 sum (m-1) mean^2 when counts are Poisson, so one dyad's noisy variance does not
        # pass for overdispersion.
        enough = m >= 3
        phi = 0.0
        if enough.any():
            k = m[enough] - 1
            mean_d = s1[enough] / m[enough]
            var_d = (s2[enough] - m[enough] * mean_d**2) / k
            denom = float((k * mean_d**2).sum())
            if denom > 0:
                excess = float((k * (var_d - mean_d)).sum()) - 2 * np.sqrt(2 * denom)
                phi = min(max(excess / denom, 0.0), params.max_dispersion)
        size = 1.0 / (1.0 / a + phi)
        prob = size / (size + mu)
        xt = x[:, t]
        counted = xt >= 1
        if counted.any():
            p_value[counted, t] = nbinom.sf(np.ceil(xt[counted]) - 1, size[counted], prob[counted])
        expected[:, t] = mu
    return Scan(p_value, expected, history)


@dataclass(frozen=True, slots=True)
class CellScan:
    """:class:`Scan` at the counted cells only (dyad, period), for data too large for a dense grid."""

    dyad: np.ndarray  # int64, sorted by (dyad, period)
    period: np.ndarray  # int64
    count: np.ndarray  # float64, the count in the cell (>= 1 where anything was counted)
    p_value: np.ndarray
    expected: np.ndarray
    history: np.ndarray  # int64


def scan_cells(dyad: np.ndarray, period: np.ndarray, count: np.ndarray, n_dyads: int, n_periods: int,
               ends: np.ndarray | None = None, start: np.ndarray | None = None,
               params: SurpriseParams = SurpriseParams()) -> CellScan:
    """:func:`surprise_scan` computed only where something was counted.

    `dyad`, `period`, `count` list the non-empty cells (one row each). Every quantity the dense
    scan sums over all dyads is either zero for a dyad with nothing in its window (the pooled
    overdispersion) or has a closed form (observed periods: max(0, t - start) before t; the
    actors' observed dyad-periods: a double cumulative sum of dyad starts per actor), so the
    cost and memory follow the statements, not dyads x periods. Same values as the dense scan
    (up to the order of floating-point sums).

    Examples
    --------
    >>> x = np.array([[0, 0, 0, 0, 0, 0, 0, 0, 5]], dtype=float)
    >>> cells = scan_cells(np.array([0]), np.array([8]), np.array([5.0]), 1, 9)
    >>> bool(cells.p_value[0] == surprise_scan(x).p_value[0, 8])
    True
    """
    from scipy.stats import nbinom

    dyad = np.asarray(dyad, np.int64)
    period = np.asarray(period, np.int64)
    count = np.asarray(count, np.float64)
    start = np.zeros(n_dyads, np.int64) if start is None else np.asarray(start, np.int64)
    b, w = params.baseline, params.prior_weight
    # observed dyad-periods before t, summed over dyads: E[t] = sum_d max(0, t - start_d)
    starts_hist = np.bincount(np.clip(start, 0, n_periods), minlength=n_periods + 1)[:n_periods]
    observed_before = np.concatenate([[0], np.cumsum(np.cumsum(starts_hist))]).astype(np.float64)
    totals = np.concatenate([[0.0], np.cumsum(np.bincount(period, weights=count, minlength=n_periods))])
    pooled = ends is not None and n_dyads > 0
    if pooled:
        ends = np.asarray(ends, np.int64)
        n_actors = int(ends.max()) + 1
        ax1 = np.zeros((n_actors, n_periods + 1))
        starts_by_actor = np.zeros((n_actors, n_periods))
        for col in (0, 1):
            per = np.zeros((n_actors, n_periods))
            np.add.at(per, (ends[dyad, col], period), count)
            ax1[:, 1:] += np.cumsum(per, axis=1)
            np.add.at(starts_by_actor, (ends[:, col], np.clip(start, 0, n_periods - 1)), (start < n_periods) * 1.0)
        axe = np.concatenate([np.zeros((n_actors, 1)), np.cumsum(np.cumsum(starts_by_actor, axis=1), axis=1)], axis=1)
        same = ends[:, 0] == ends[:, 1]
    by_time = np.lexsort((dyad, period))
    t_sorted, d_sorted, x_sorted = period[by_time], dyad[by_time], count[by_time]
    p_value = np.ones(len(dyad))
    expected = np.zeros(len(dyad))
    history = np.zeros(len(dyad), np.int64)
    bounds = np.searchsorted(t_sorted, np.arange(n_periods + 1))
    for t in range(n_periods):
        here = slice(bounds[t], bounds[t + 1])
        if bounds[t] == bounds[t + 1]:
            continue
        lo = max(0, t - b)
        # the dyads with anything counted in the window [lo, t), and their window sums
        window = slice(bounds[lo], bounds[t])
        active, inverse = np.unique(d_sorted[window], return_inverse=True)
        xw = x_sorted[window]
        s1_active = np.bincount(inverse, weights=xw, minlength=len(active))
        s2_active = np.bincount(inverse, weights=xw * xw, minlength=len(active))
        m_active = (np.maximum(0, t - start[active]) - np.maximum(0, lo - start[active])).astype(np.float64)
        total_m = observed_before[t] - observed_before[lo]
        overall = (totals[t] - totals[lo]) / total_m if total_m > 0 else 0.0
        overall = max(overall, 0.01)
        enough = m_active >= 3
        phi = 0.0
        if enough.any():
            m_e, s1_e, s2_e = m_active[enough], s1_active[enough], s2_active[enough]
            k = m_e - 1
            mean_d = s1_e / m_e
            var_d = (s2_e - m_e * mean_d**2) / k
            denom = float((k * mean_d**2).sum())
            if denom > 0:
                excess = float((k * (var_d - mean_d)).sum()) - 2 * np.sqrt(2 * denom)
                phi = min(max(excess / denom, 0.0), params.max_dispersion)
        # the cells of period t
        d = d_sorted[here]
        at = np.searchsorted(active, d)
        inside = at < len(active)
        inside[inside] = active[at[inside]] == d[inside]
        s1 = np.where(inside, s1_active[np.minimum(at, max(len(active) - 1, 0))] if len(active) else 0.0, 0.0)
        m = (np.maximum(0, t - start[d]) - np.maximum(0, lo - start[d])).astype(np.float64)
        if pooled:
            e0, e1 = ends[d, 0], ends[d, 1]
            other_1 = (ax1[e0, t] - ax1[e0, lo]) + (ax1[e1, t] - ax1[e1, lo])
            other_e = (axe[e0, t] - axe[e0, lo]) + (axe[e1, t] - axe[e1, lo])
            other_1 = np.clip(np.where(same[d], other_1 / 2, other_1) - 2 * s1, 0, None)
            other_e = np.clip(np.where(same[d], other_e / 2, other_e) - 2 * m, 0, None)
        else:
            other_1 = other_e = np.zeros(len(d))
        prior_mean = (other_1 + overall * w) / (other_e + w)
        a = prior_mean * w + s1
        mu = a / (w + m)
        size = 1.0 / (1.0 / a + phi)
        prob = size / (size + mu)
        xt = x_sorted[here]
        rows = by_time[here]
        counted = xt >= 1
        p = np.ones(len(d))
        if counted.any():
            p[counted] = nbinom.sf(np.ceil(xt[counted]) - 1, size[counted], prob[counted])
        p_value[rows], expected[rows], history[rows] = p, mu, m.astype(np.int64)
    order = np.lexsort((period, dyad))
    return CellScan(dyad[order], period[order], count[order], p_value[order], expected[order], history[order])


def alarm_mask(x: np.ndarray, scan: Scan, params: SurpriseParams = SurpriseParams(),
               articles: np.ndarray | None = None) -> np.ndarray:
    """Which dyad-periods alarm: judged (warm-up done), enough statements (and articles), improbable.

    Examples
    --------
    >>> x = np.array([[0, 0, 0, 0, 0, 0, 4, 5, 0]], dtype=float)
    >>> alarm_mask(x, surprise_scan(x)).nonzero()[1].tolist()
    [6]
    """
    mask = (x >= params.min_statements) & (scan.history >= params.min_history) & (scan.p_value < params.alpha)
    if articles is not None:
        mask &= articles >= params.min_articles
    return mask


def surprise_alerts(frame: pd.DataFrame, *, freq: str = "W", metric: str = "conflict", directed: bool = False,
                    weight: str | None = None, level: str = "actor", rollup: Rollup | None = None,
                    include_modalities: Iterable[str] = (), since: date | str | None = None,
                    until: date | str | None = None, dyads: Iterable[tuple[str, str]] | None = None,
                    params: SurpriseParams = SurpriseParams()) -> pd.DataFrame:
    """Escalation alerts: periods whose count is improbable under the dyad's pooled baseline.

    Parameters are those of :func:`graphkit.analysis.alerts.escalation_alerts`. Give the
    frame history before `since`: only alerts alarming inside [since, until] are kept,
    but the baseline is read from everything before them. `dyads` limits the alerts
    returned, not the baseline (the actors' other dyads still pool into it).

    Returns
    -------
    DataFrame
        Columns :data:`SURPRISE_COLUMNS`, strongest first: ``onset``/``alarm``/``end``
        period start dates (``alarm`` the most surprising period), ``score`` =
        -log10(``p_value``), ``observed`` and ``expected`` counts in the alarm period,
        ``history`` the observed periods behind the expectation, ``statements``/``articles``
        behind the alert, ``reason`` a sentence saying why, ``statement_ids`` and
        ``sentences`` the evidence. ``attrs["unjudged"]`` lists the dyad-periods that had
        the statements for an alert but too little history (``history``, ``needed``).
    """
    if metric not in COUNTED:
        raise GraphkitError(f"unknown escalation metric {metric!r}: use one of {', '.join(COUNTED)}")
    dfr = dyad_frame(frame, freq=freq, directed=directed, level=level, rollup=rollup,
                     include_modalities=include_modalities, until=until)
    empty = pd.DataFrame(columns=list(SURPRISE_COLUMNS))
    empty.attrs["unjudged"] = []
    rows = dfr.rows
    n_dyads, n_periods = len(dfr.dyads), dfr.n_periods
    if n_dyads == 0 or n_periods <= 0 or rows.empty:
        return empty
    rows = rows[(rows["period"] >= dfr.first_period) & (rows["period"] <= dfr.last_period)]
    evidence = evidence_mask(rows, metric)
    w = rows["mentions"].to_numpy(np.float64) if weight == "mentions" else np.ones(len(rows))
    offset = rows["period"].to_numpy(np.int64) - dfr.first_period
    dyad = rows["dyad"].to_numpy(np.int64)
    # Only the counted cells (dyad, period) are ever held: dyads x periods can be 10^8 cells at a
    # million statements, nearly all empty.
    cell_codes, cell_of_row = np.unique(dyad[evidence] * n_periods + offset[evidence], return_inverse=True)
    cell_count = np.bincount(cell_of_row, weights=w[evidence], minlength=len(cell_codes))
    # Warm-up: a dyad is observed from the first period either of its actors appears in.
    actors = pd.Index(sorted(set(dfr.dyads["source"]) | set(dfr.dyads["target"])))
    first_seen = np.full(len(actors), n_periods, dtype=np.int64)
    np.minimum.at(first_seen, actors.get_indexer(rows["a"]), offset)
    np.minimum.at(first_seen, actors.get_indexer(rows["b"]), offset)

    ev = rows[evidence]
    art_count = np.zeros(len(cell_codes), dtype=np.int64)
    if len(ev):
        pairs = pd.DataFrame({"cell": cell_of_row, "art": ev["article_id"].fillna(ev["id"]).to_numpy()})
        per_cell = pairs.drop_duplicates().groupby("cell").size()
        art_count[per_cell.index.to_numpy()] = per_cell.to_numpy()
    cells = CountedCells(dfr.dyads, dfr.freq, dfr.first_period, n_periods, cell_codes, cell_count, art_count,
                         dict(zip(actors, first_seen.tolist(), strict=True)))
    # the evidence rows by dyad: one sort, then a slice per alarmed dyad (not one frame per dyad)
    ev = ev.assign(_off=offset[evidence])
    ev_dyad = dyad[evidence]
    by_dyad = np.argsort(ev_dyad, kind="stable")
    ev, ev_dyad = ev.iloc[by_dyad], ev_dyad[by_dyad]

    def cite(asked: list[tuple[int, int, int]]) -> list[pd.DataFrame]:
        out = []
        for d, first, last in asked:
            g = ev.iloc[np.searchsorted(ev_dyad, d):np.searchsorted(ev_dyad, d, side="right")]
            out.append(g[(g["_off"] >= first) & (g["_off"] <= last)].sort_values(["date", "id"]))
        return out

    return alerts_from_cells(cells, cite, metric=metric, directed=directed, since=since, until=until, dyads=dyads,
                             params=params)


@dataclass(frozen=True)
class CountedCells:
    """What the surprise scan reads, however it was counted (pandas from a frame, or DuckDB from
    Parquet shards): the dyads, and per counted (dyad, period) cell its count and distinct articles."""

    dyads: pd.DataFrame  # source, target; index = dyad code
    freq: str
    first_period: int
    n_periods: int
    codes: np.ndarray  # dyad * n_periods + period offset, sorted, unique
    count: np.ndarray  # float64: statements (or mentions) counted in the cell
    articles: np.ndarray  # int64: distinct articles (a statement without one counts as its own)
    first_seen: dict[str, int]  # actor -> the first period offset it appears in (any statement)


#: The evidence of each (dyad, first, last period offset) asked: its counted statements sorted by date
#: and id, with columns id, date, sentence, article_id, a, b, source, target, source_name, target_name.
Cite = Callable[[list[tuple[int, int, int]]], list[pd.DataFrame]]


def alerts_from_cells(cells: CountedCells, cite: Cite, *, metric: str = "conflict", directed: bool = False,
                      since: date | str | None = None, until: date | str | None = None,
                      dyads: Iterable[tuple[str, str]] | None = None,
                      params: SurpriseParams = SurpriseParams()) -> pd.DataFrame:
    """The alerts of :func:`surprise_alerts` from the counted cells; `cite` fetches the evidence of
    the alarmed runs only."""
    n_dyads, n_periods = len(cells.dyads), cells.n_periods
    if n_dyads == 0 or n_periods <= 0:
        empty = pd.DataFrame(columns=list(SURPRISE_COLUMNS))
        empty.attrs["unjudged"] = []
        return empty
    cell_codes, cell_count, art_count = cells.codes, cells.count, cells.articles
    actors = pd.Index(sorted(set(cells.dyads["source"]) | set(cells.dyads["target"])))
    ends = np.stack([actors.get_indexer(cells.dyads["source"]), actors.get_indexer(cells.dyads["target"])], axis=1)
    first_seen = np.array([cells.first_seen.get(a, n_periods) for a in actors], dtype=np.int64)
    start = np.minimum(first_seen[ends[:, 0]], first_seen[ends[:, 1]]) if n_dyads else np.zeros(0, np.int64)
    scan = scan_cells(cell_codes // n_periods, cell_codes % n_periods, cell_count, n_dyads, n_periods, ends, start,
                      params)  # cells come back in (dyad, period) order, as cell_codes are
    x = scan.count
    enough = (x >= params.min_statements) & (art_count >= params.min_articles)
    judged = scan.history >= params.min_history
    alarmed = enough & judged & (scan.p_value < params.alpha)

    wanted = _wanted(cells.dyads, dyads, directed)
    starts = period_starts(np.arange(n_periods) + cells.first_period, cells.freq)
    lo = pd.Timestamp(since) if since is not None else None
    hi = pd.Timestamp(until) if until is not None else None

    def in_window(t: int) -> bool:
        day = starts[t]
        return (lo is None or day + _period_length(cells.freq) > lo) and (hi is None or day <= hi)

    unit = UNIT[cells.freq]
    unjudged = []
    for i in np.flatnonzero(enough & ~judged):
        d, t = int(scan.dyad[i]), int(scan.period[i])
        if wanted is not None and d not in wanted or not in_window(t):
            continue
        unjudged.append({"source": cells.dyads["source"].iat[d], "target": cells.dyads["target"].iat[d],
                         "period": starts[t].date(), "observed": float(x[i]),
                         "history": int(scan.history[i]), "needed": params.min_history, "unit": unit})
    out = []
    hits = np.flatnonzero(alarmed)
    runs = []  # (dyad, first period, last period, the most surprising cell)
    for d in np.unique(scan.dyad[hits]).tolist():
        if wanted is not None and d not in wanted:
            continue
        mine = hits[scan.dyad[hits] == d]
        for first_i, last_i in _runs_of(scan.period[mine]):
            run = mine[first_i:last_i + 1]
            first, last = int(scan.period[run[0]]), int(scan.period[run[-1]])
            if any(in_window(t) for t in range(first, last + 1)):
                runs.append((d, first, last, run[int(np.argmin(scan.p_value[run]))]))
    # the evidence of every alarmed run at once (one pass over the statements, wherever they are)
    evidence = cite([(d, first, last) for d, first, last, _ in runs])
    for (d, first, last, top), cited in zip(runs, evidence, strict=True):
        peak = int(scan.period[top])
        sentences = [s for s in dict.fromkeys(cited["sentence"]) if isinstance(s, str) and s]
        p = float(scan.p_value[top])
        source, target = cells.dyads["source"].iat[d], cells.dyads["target"].iat[d]
        names = _names(cited, source, target)
        articles = int(cited["article_id"].fillna(cited["id"]).nunique())
        out.append({
            "source": source, "target": target, "onset": starts[first].date(), "alarm": starts[peak].date(),
            "end": starts[last].date(), "ongoing": bool(last == n_periods - 1),
            "score": round(-np.log10(max(p, 1e-300)), 2), "p_value": float(f"{p:.3g}"),
            "observed": float(x[top]), "expected": round(float(scan.expected[top]), 3),
            "history": int(scan.history[top]), "statements": len(cited), "articles": articles,
            "reason": _reason(names, COUNTED[metric], x[top], scan.expected[top], p,
                              int(scan.history[top]), unit, starts[peak].date(), last - first + 1, articles),
            "statement_ids": list(cited["id"]), "sentences": sentences,
        })
    result = pd.DataFrame(out, columns=list(SURPRISE_COLUMNS))
    result = result.sort_values(["score", "alarm"], ascending=[False, True], kind="stable").reset_index(drop=True)
    result.attrs["unjudged"] = unjudged
    return result


def _runs_of(periods: np.ndarray) -> list[tuple[int, int]]:
    """Runs of consecutive periods in a sorted array, as (first, last) positions in it."""
    if not len(periods):
        return []
    breaks = np.flatnonzero(np.diff(periods) != 1)
    firsts = np.concatenate([[0], breaks + 1])
    lasts = np.concatenate([breaks, [len(periods) - 1]])
    return list(zip(firsts.tolist(), lasts.tolist(), strict=True))


def _wanted(table: pd.DataFrame, dyads, directed: bool) -> set[int] | None:
    if dyads is None:
        return None
    wanted = set()
    for a, b in dyads:
        wanted.add((a, b))
        if not directed:
            wanted.add((b, a))
    return {i for i, pair in enumerate(zip(table["source"], table["target"], strict=True)) if pair in wanted}


def _names(rows: pd.DataFrame, source: str, target: str) -> tuple[str, str]:
    names = dict(zip(rows["a"], np.where(rows["a"] == rows["source"], rows["source_name"], rows["target_name"]),
                     strict=False))
    names.update(zip(rows["b"], np.where(rows["b"] == rows["target"], rows["target_name"], rows["source_name"]),
                     strict=False))
    return tuple(n if isinstance(n, str) and n else a for a, n in ((source, names.get(source)),
                                                                  (target, names.get(target))))


def _reason(names, counted: str, observed: float, expected: float, p: float, history: int, unit: str,
            day: date, periods: int, articles: int) -> str:
    odds = f"1 in {1 / p:,.0f}" if p > 0 else "practically nil"
    span = f" ({periods} {unit}s in a row)" if periods > 1 else ""
    return (f"{observed:g} {counted} statements between {names[0]} and {names[1]} in the {unit} of {day}"
            f"{span}, from {articles} article{'s' if articles != 1 else ''}, where {expected:.2g} were expected "
            f"from {history} {unit}s of history of this pair and of their other pairs; "
            f"the chance of so many is {odds}")


def _period_length(freq: str) -> pd.DateOffset:
    return {"D": pd.DateOffset(days=1), "W": pd.DateOffset(weeks=1), "M": pd.DateOffset(months=1)}[freq]
