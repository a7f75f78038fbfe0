"""Trends of dyad series: rolling means and an OLS slope with its uncertainty.

The Student t quantile of the confidence interval is scipy's (scipy is a dependency for the
escalation detector's negative binomial; a hand-written t distribution was one more thing to keep).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True, slots=True)
class TrendFit:
    """Least-squares line through a series against its period index 0..n-1.

    ``slope`` is in units of the metric per period; ``stderr`` its standard error;
    ``ci_low``/``ci_high`` the two-sided ``level`` confidence interval (NaN with
    fewer than 3 points); ``t`` = slope / stderr.
    """

    slope: float
    intercept: float
    stderr: float
    ci_low: float
    ci_high: float
    t: float
    n: int
    level: float = 0.95

    def as_dict(self) -> dict:
        return asdict(self)


def t_quantile(p: float, df: int) -> float:
    """Quantile `p` of Student's t with `df` degrees of freedom (scipy.stats.t; NaN for df < 1).

    Examples
    --------
    >>> round(t_quantile(0.975, 1), 3), round(t_quantile(0.975, 4), 4), round(t_quantile(0.975, 10), 4)
    (12.706, 2.7764, 2.2281)
    """
    if df < 1:
        return math.nan
    from scipy.stats import t

    return float(t.ppf(p, df))


def trend_slope(values, level: float = 0.95) -> TrendFit:
    """OLS slope of `values` on 0..n-1, with standard error and confidence interval.

    NaNs are dropped (their positions kept), so a metric undefined in empty periods
    (``goldstein_mean``) is fitted on the periods where it exists.

    Examples
    --------
    >>> fit = trend_slope([1, 2, 3, 4, 5])
    >>> fit.slope, fit.stderr
    (1.0, 0.0)
    >>> fit = trend_slope([2.0, 1.0, 4.0, 3.0, 6.0, 5.0])
    >>> round(fit.slope, 3), round(fit.stderr, 3), fit.ci_low < fit.slope < fit.ci_high
    (0.829, 0.28, True)
    """
    y = np.asarray(values, dtype=np.float64)
    x = np.arange(len(y), dtype=np.float64)
    ok = ~np.isnan(y)
    x, y = x[ok], y[ok]
    n = len(y)
    if n < 2:
        return TrendFit(math.nan, float(y[0]) if n else math.nan, math.nan, math.nan, math.nan, math.nan, n, level)
    xm, ym = x.mean(), y.mean()
    sxx = float(((x - xm) ** 2).sum())
    slope = float(((x - xm) * (y - ym)).sum() / sxx)
    intercept = float(ym - slope * xm)
    if n < 3:
        return TrendFit(slope, intercept, math.nan, math.nan, math.nan, math.nan, n, level)
    resid = y - (intercept + slope * x)
    stderr = float(math.sqrt(float((resid**2).sum()) / (n - 2) / sxx))
    half = t_quantile(0.5 + level / 2, n - 2) * stderr
    t = slope / stderr if stderr > 0 else (math.inf if slope > 0 else -math.inf if slope < 0 else math.nan)
    return TrendFit(slope, intercept, stderr, slope - half, slope + half, t, n, level)


def rolling_means(series: pd.DataFrame, window: int = 4, columns=("events", "q3", "q4", "goldstein_sum",
                                                                   "net_cooperation")) -> pd.DataFrame:
    """Add ``<column>_rolling`` trailing means over `window` periods, per dyad.

    The series must be zero-filled (``fill="range"`` or ``"span"``) for a window of
    periods to mean a window of time.

    Examples
    --------
    >>> s = pd.DataFrame({"source": ["A"] * 4, "target": ["B"] * 4,
    ...                   "period": pd.date_range("2024-01-01", periods=4, freq="W-MON"),
    ...                   "events": [0, 2, 4, 6]})
    >>> rolling_means(s, 2, ["events"])["events_rolling"].tolist()
    [0.0, 1.0, 3.0, 5.0]
    """
    out = series.sort_values(["source", "target", "period"]).copy()
    grouped = out.groupby(["source", "target"], sort=False, observed=True)
    for col in columns:
        if col in out:
            out[f"{col}_rolling"] = grouped[col].transform(lambda s: s.rolling(window, min_periods=1).mean())
    return out


def dyad_trends(series: pd.DataFrame, column: str = "net_cooperation", last: int | None = None,
                level: float = 0.95, min_statements: int = 1) -> pd.DataFrame:
    """One trend line per dyad over its (last `last`) periods.

    Returns
    -------
    DataFrame
        source, target, periods, statements, slope, stderr, ci_low, ci_high, t,
        sorted by slope ascending (worsening first when `column` is a cooperation
        measure such as ``net_cooperation`` or ``goldstein_sum``).
    """
    rows = []
    for (a, b), g in series.sort_values("period").groupby(["source", "target"], sort=True, observed=True):
        if last is not None:
            g = g.tail(last)
        if g["statements"].sum() < min_statements:
            continue
        fit = trend_slope(g[column].to_numpy(), level)
        rows.append({"source": a, "target": b, "periods": fit.n, "statements": int(g["statements"].sum()),
                     "slope": fit.slope, "stderr": fit.stderr, "ci_low": fit.ci_low, "ci_high": fit.ci_high,
                     "t": fit.t})
    out = pd.DataFrame(rows, columns=["source", "target", "periods", "statements", "slope", "stderr", "ci_low",
                                      "ci_high", "t"])
    return out.sort_values("slope", kind="stable").reset_index(drop=True)
