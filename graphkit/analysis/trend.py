"""Trends of dyad series: rolling means and an OLS slope with its uncertainty.

numpy only (scipy is not a dependency): the Student t quantile for the
confidence interval is solved from the exact t distribution function.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from statistics import NormalDist

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


def t_cdf(t: float, df: int) -> float:
    """P(T <= t) for Student's t with integer `df` (Abramowitz & Stegun 26.7.3-4, finite sums)."""
    theta = math.atan(t / math.sqrt(df))
    c2, s = math.cos(theta) ** 2, math.sin(theta)
    if df % 2 == 1:
        term, total = 1.0, 1.0 if df > 1 else 0.0
        for k in range(3, df, 2):
            term *= (k - 1) / k * c2
            total += term
        a = 2 / math.pi * (theta + (s * math.cos(theta) * total if df > 1 else 0.0))
    else:
        term, total = 1.0, 1.0
        for k in range(2, df - 1, 2):
            term *= (k - 1) / k * c2
            total += term
        a = s * total
    return (1 + a) / 2


def t_quantile(p: float, df: int) -> float:
    """Quantile `p` of Student's t with `df` degrees of freedom.

    The Cornish-Fisher expansion gives a start that bisection on :func:`t_cdf`
    refines to 1e-10 (for df <= 1000; beyond, the expansion alone is exact enough).

    Examples
    --------
    >>> round(t_quantile(0.975, 1), 3), round(t_quantile(0.975, 4), 4), round(t_quantile(0.975, 10), 4)
    (12.706, 2.7764, 2.2281)
    """
    if df < 1:
        return math.nan
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        return (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    z = NormalDist().inv_cdf(p)
    v = float(df)
    guess = (z + (z**3 + z) / (4 * v) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
             + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
             + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * v**4))
    if df > 1000:
        return guess
    lo, hi = guess - 0.1 * abs(guess) - 0.1, guess + 0.1 * abs(guess) + 0.1
    while t_cdf(lo, df) > p:
        lo -= 1.0
    while t_cdf(hi, df) < p:
        hi += 1.0
    while hi - lo > 1e-10:
        mid = (lo + hi) / 2
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


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
    grouped = out.groupby(["source", "target"], sort=False)
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
    for (a, b), g in series.sort_values("period").groupby(["source", "target"], sort=True):
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
