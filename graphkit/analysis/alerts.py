"""Escalation alerts: a one-sided CUSUM on each dyad's conflict intensity against its own baseline.

For each dyad the detector standardises the period's intensity x_t by the mean and
standard deviation of the `baseline` periods before it, and accumulates

    S_t = max(0, S_{t-1} + (x_t - mu) / sigma - drift)

raising an alert when S_t exceeds `threshold` (Page 1954). While S > 0 the baseline is
frozen at its value when the run began, so an escalation cannot absorb itself into
its own baseline. sigma is floored at sqrt(mu) (the Poisson spread of a count) and at
`min_sigma`, so a quiet dyad's first odd event is not an escalation. The onset is the
period the run began; an alert closes when S returns to 0, or `baseline` periods after
the alarm (the escalated level then becomes the new normal and can escalate again).

All dyads are processed together: one numpy step per period, not per dyad.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..errors import GraphkitError
from .frame import Rollup
from .series import DyadFrame, dyad_frame, evidence_mask, period_starts, series_from_dyad_frame
from .surprise import SURPRISE_COLUMNS, Cite, SurpriseParams, surprise_alerts, surprise_scan  # noqa: F401

#: metric name -> (series columns combined, statement rows that count as evidence)
METRICS = {
    "conflict": "q3 + q4: verbal and material conflict statements",
    "material": "q4: material conflict statements",
    "goldstein": "-goldstein_sum: conflict intensity (cooperation lowers it)",
}

ALERT_COLUMNS = ("source", "target", "onset", "alarm", "end", "ongoing", "score", "baseline_mean",
                 "baseline_std", "observed_mean", "statements", "statement_ids", "sentences")


@dataclass(frozen=True, slots=True)
class CusumParams:
    """Detector settings.

    Measured on simulated counts (1,000 dyads x 60 periods, benchmarks/sim_cusum.py):
    0.7-2% of stationary Poisson dyads (lambda 1, 3, 10) raise any alert in 60 periods
    (about one false alarm per 3,000-8,000 dyad-periods); overdispersed counts
    (variance = 2 x mean) raise more, ~20% of dyads. A jump from lambda 3 to 15 is
    flagged within one period of the change in 98% of dyads, a fourfold jump from
    lambda 2 in 65% (most of the rest one period later). Lower `drift`/`threshold`
    trade more false alarms for faster detection.
    """

    baseline: int = 26  # periods of history that set a dyad's normal level
    min_history: int = 6  # periods needed before a dyad can alarm
    drift: float = 1.5  # slack k, in standard deviations (half the shift it is tuned to catch)
    threshold: float = 4.0  # decision interval h, in standard deviations
    min_sigma: float = 1.0
    min_statements: int = 3  # an alert must rest on at least this many statements
    robust: bool = False  # baseline median and MAD instead of mean and std (simulations: more false alarms)


def intensity(series: pd.DataFrame, metric: str) -> np.ndarray:
    """The per-period escalation measure of a series."""
    if metric == "conflict":
        return (series["q3"] + series["q4"]).to_numpy(np.float64)
    if metric == "material":
        return series["q4"].to_numpy(np.float64)
    if metric == "goldstein":
        return -series["goldstein_sum"].to_numpy(np.float64)
    raise GraphkitError(f"unknown escalation metric {metric!r}: use one of {', '.join(METRICS)}")


def cusum_runs(x: np.ndarray, params: CusumParams = CusumParams()) -> list[dict]:
    """Alarmed CUSUM runs over a (dyads x periods) array.

    Returns
    -------
    list of dict
        ``row`` (dyad index), ``onset``, ``alarm``, ``end`` (period indices), ``ongoing``,
        ``score`` (peak S), ``baseline_mean``, ``baseline_std``.

    Examples
    --------
    >>> x = np.array([[1, 2, 1, 2, 1, 2, 1, 2, 9, 9, 9, 9]], dtype=float)
    >>> [(r["onset"], r["alarm"]) for r in cusum_runs(x)]
    [(8, 8)]
    >>> cusum_runs(np.array([[1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2]], dtype=float))
    []
    """
    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    n, periods = x.shape
    b = params.baseline
    c1 = np.concatenate([np.zeros((n, 1)), np.cumsum(x, axis=1)], axis=1)
    c2 = np.concatenate([np.zeros((n, 1)), np.cumsum(x * x, axis=1)], axis=1)
    s = np.zeros(n)
    mu_run = np.zeros(n)
    sd_run = np.ones(n)
    onset = np.full(n, -1)
    alarm = np.full(n, -1)
    peak = np.zeros(n)
    runs: list[dict] = []

    def close(rows: np.ndarray, end: int, ongoing: bool) -> None:
        for r in rows:
            runs.append({"row": int(r), "onset": int(onset[r]), "alarm": int(alarm[r]), "end": end,
                         "ongoing": ongoing, "score": float(peak[r]), "baseline_mean": float(mu_run[r]),
                         "baseline_std": float(sd_run[r])})

    for t in range(params.min_history, periods):
        lo = max(0, t - b)
        m = t - lo
        if params.robust:
            history = x[:, lo:t]
            mean_t = np.median(history, axis=1)
            spread = 1.4826 * np.median(np.abs(history - mean_t[:, None]), axis=1)
        else:
            mean_t = (c1[:, t] - c1[:, lo]) / m
            spread = np.sqrt(np.clip((c2[:, t] - c2[:, lo] - m * mean_t**2) / max(m - 1, 1), 0, None))
        sd_t = np.maximum.reduce([spread, np.sqrt(np.abs(mean_t)), np.full(n, params.min_sigma)])
        active = s > 0
        starting = ~active
        mu_run = np.where(starting, mean_t, mu_run)
        sd_run = np.where(starting, sd_t, sd_run)
        s = np.maximum(0.0, s + (x[:, t] - mu_run) / sd_run - params.drift)
        onset = np.where(starting & (s > 0), t, onset)
        peak = np.where(starting, s, np.maximum(peak, s))
        fired = (s > params.threshold) & (alarm < 0)
        alarm = np.where(fired, t, alarm)
        # A run ends when S falls back to 0; an alarmed run is also closed `baseline` periods on.
        done_quiet = active & (s == 0)
        done_alarmed = done_quiet & (alarm >= 0)
        close(np.flatnonzero(done_alarmed), t - 1, False)
        stale = (alarm >= 0) & (t - alarm >= b) & (s > 0)
        close(np.flatnonzero(stale), t, False)
        reset = done_quiet | stale
        s = np.where(stale, 0.0, s)
        alarm = np.where(reset, -1, alarm)
        onset = np.where(reset, -1, onset)
    close(np.flatnonzero(alarm >= 0), periods - 1, True)
    return sorted(runs, key=lambda r: (r["row"], r["alarm"]))


def escalation_alerts(frame: pd.DataFrame, *, freq: str = "W", metric: str = "conflict",
                      directed: bool = False, weight: str | None = None, level: str = "actor",
                      rollup: Rollup | None = None, include_modalities: Iterable[str] = (),
                      since: date | str | None = None, until: date | str | None = None,
                      dyads: Iterable[tuple[str, str]] | None = None,
                      params: SurpriseParams | CusumParams | None = None) -> pd.DataFrame:
    """Escalation alerts per dyad, each citing the statements behind it.

    Parameters
    ----------
    frame : DataFrame
        A statements frame. Give it history before `since`: the baseline is read from
        the periods before each alert, and only alarms inside [since, until] are kept.
    metric : {"conflict", "material", "goldstein"}
        What escalates (see :data:`METRICS`).
    params : SurpriseParams or CusumParams, optional
        The detector and its settings. Default: :class:`SurpriseParams` (count surprise
        against a pooled baseline, see :func:`surprise_alerts`, whose result this is then);
        a :class:`CusumParams` runs the CUSUM described below.
    Other parameters are those of :func:`graphkit.analysis.series.dyad_series`.

    Returns
    -------
    DataFrame
        With CusumParams, columns :data:`ALERT_COLUMNS`: ``onset``/``alarm``/``end`` are period start dates;
        ``score`` the peak CUSUM statistic (in standard deviations); ``observed_mean`` the
        mean intensity from onset to alarm; ``statement_ids``/``sentences`` the
        conflict statements of the dyad from onset to end. Sorted by score, highest first.
    """
    if params is None or isinstance(params, SurpriseParams):
        return surprise_alerts(frame, freq=freq, metric=metric, directed=directed, weight=weight, level=level,
                               rollup=rollup, include_modalities=include_modalities, since=since, until=until,
                               dyads=dyads, params=params or SurpriseParams())
    dfr = dyad_frame(frame, freq=freq, directed=directed, level=level, rollup=rollup,
                     include_modalities=include_modalities, until=until, dyads=dyads)
    return alerts_from_dyad_frame(dfr, metric=metric, weight=weight, since=since, until=until, params=params)


def alerts_from_dyad_frame(dfr: DyadFrame, *, metric: str = "conflict", weight: str | None = None,
                           since=None, until=None, params: CusumParams = CusumParams()) -> pd.DataFrame:
    if metric not in METRICS:
        raise GraphkitError(f"unknown escalation metric {metric!r}: use one of {', '.join(METRICS)}")
    series = series_from_dyad_frame(dfr, weight=weight, fill="grid")
    rows = dfr.rows
    ev = rows[evidence_mask(rows, metric)]
    by_dyad = {d: g for d, g in ev.groupby("dyad", sort=False)}

    def cite(asked: list[tuple[int, int, int]]) -> list[pd.DataFrame]:
        out = []
        for row, lo, hi in asked:
            g = by_dyad.get(row)
            first, last = lo + dfr.first_period, hi + dfr.first_period
            cited = g[(g["period"] >= first) & (g["period"] <= last)] if g is not None else rows.iloc[:0]
            out.append(cited.sort_values(["date", "id"]))
        return out

    return cusum_alerts(series, dfr.dyads, dfr.freq, dfr.first_period, dfr.n_periods, cite, metric=metric,
                        since=since, until=until, params=params)


def cusum_alerts(series: pd.DataFrame, dyads: pd.DataFrame, freq: str, first_period: int, n_periods: int,
                 cite: Cite, *, metric: str = "conflict", since=None, until=None,
                 params: CusumParams = CusumParams()) -> pd.DataFrame:
    """The CUSUM alerts of a zero-filled series (every dyad of `dyads` over the `n_periods` periods from
    `first_period`, dyad by dyad): the runs found, those alarming inside [since, until] kept, and
    `cite` asked for their evidence (counted statements, by date and id) in one call. The pandas
    engine (alerts_from_dyad_frame) and DuckDB over Parquet shards both end here."""
    n_dyads = len(dyads)
    if n_dyads == 0 or n_periods == 0:
        return pd.DataFrame(columns=list(ALERT_COLUMNS))
    x = intensity(series, metric).reshape(n_dyads, n_periods)
    starts = period_starts(np.arange(n_periods) + first_period, freq)
    lo = pd.Timestamp(since) if since is not None else None
    hi = pd.Timestamp(until) if until is not None else None
    runs = [run for run in cusum_runs(x, params)
            if not ((lo is not None and starts[run["alarm"]] + _period_length(freq) <= lo)
                    or (hi is not None and starts[run["alarm"]] > hi))]
    out = []
    for run, cited in zip(runs, cite([(r["row"], r["onset"], r["end"]) for r in runs]), strict=True):
        if len(cited) < params.min_statements:
            continue
        sentences = [s for s in dict.fromkeys(cited["sentence"]) if isinstance(s, str) and s]
        out.append({
            "source": dyads["source"].iat[run["row"]],
            "target": dyads["target"].iat[run["row"]],
            "onset": starts[run["onset"]].date(),
            "alarm": starts[run["alarm"]].date(),
            "end": starts[run["end"]].date(),
            "ongoing": run["ongoing"],
            "score": round(run["score"], 3),
            "baseline_mean": round(run["baseline_mean"], 3),
            "baseline_std": round(run["baseline_std"], 3),
            "observed_mean": round(float(x[run["row"], run["onset"]:run["alarm"] + 1].mean()), 3),
            "statements": len(cited),
            "statement_ids": list(cited["id"]),
            "sentences": sentences,
        })
    result = pd.DataFrame(out, columns=list(ALERT_COLUMNS))
    return result.sort_values(["score", "alarm"], ascending=[False, True], kind="stable").reset_index(drop=True)


def most_escalating(alerts: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The `top` dyads by their strongest alert in the window (one row per dyad).

    Adds ``alerts`` (how many alerts the dyad had) and ``rank``.
    """
    if alerts.empty:
        return alerts.assign(alerts=pd.Series(dtype=int), rank=pd.Series(dtype=int))
    counts = alerts.groupby(["source", "target"], observed=True).size().rename("alerts")
    best = alerts.sort_values("score", ascending=False, kind="stable").drop_duplicates(["source", "target"])
    best = best.join(counts, on=["source", "target"]).head(top).reset_index(drop=True)
    best.insert(0, "rank", range(1, len(best) + 1))
    return best


def _period_length(freq: str) -> pd.DateOffset:
    return {"D": pd.DateOffset(days=1), "W": pd.DateOffset(weeks=1), "M": pd.DateOffset(months=1)}[freq]
