"""Do two sources agree on a dyad?  Per-period event counts and Goldstein per dataset, and the
correlation of the two sources' series (what `graphkit tension compare` shows)."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable

import pandas as pd

from ..model import Statement

Side = str | Collection[str]


def _ids(side: Side) -> frozenset[str]:
    return frozenset([side]) if isinstance(side, str) else frozenset(side)


def compare_sources(statements: Iterable[Statement], dyad: tuple[Side, Side], freq: str = "M",
                    datasets: tuple[str, str] | None = None, directed: bool = False) -> pd.DataFrame:
    """One row per period (pandas `freq`: D, W, M, Q, Y), for each dataset the columns
    `<dataset>_events` (count), `<dataset>_goldstein` (mean Goldstein, NaN without events) and
    `<dataset>_conflict` (share of QuadClass 3/4 events).

    Each side of `dyad` is an actor id or a set of ids (e.g. {"USA", "USAGOV", "USAMIL"}), so
    sources that code the same actor at different levels can still be compared.  Undirected unless
    `directed`.  The two datasets compared are `datasets`, else the two with most events on the dyad.
    `frame.attrs["correlation"]` holds the Pearson correlation of the two sources' `events` and
    `goldstein` series over the periods in which BOTH sources report the dyad (two sources that
    never speak in the same period have nothing to agree on; their zeros are not agreement),
    NaN when fewer than MIN_SHARED such periods; `frame.attrs["shared_periods"]` their number."""
    frame = pd.DataFrame.from_records(
        [{"date": st.date, "dataset": st.dataset, "goldstein": st.goldstein, "quad_class": st.quad_class,
          "source": st.source.id, "target": st.target.id} for st in statements],
        columns=["date", "dataset", "goldstein", "quad_class", "source", "target"])
    return compare_frame(frame, dyad, freq, datasets, directed)


def compare_frame(frame: pd.DataFrame, dyad: tuple[Side, Side], freq: str = "M",
                  datasets: tuple[str, str] | None = None, directed: bool = False) -> pd.DataFrame:
    """compare_sources over a statements frame (graphkit.analysis.statements_frame columns date,
    dataset, goldstein, quad_class, source, target), e.g. one rolled up to organisations or countries."""
    a, b = _ids(dyad[0]), _ids(dyad[1])
    src, tgt = frame["source"].astype(str), frame["target"].astype(str)
    inside = src.isin(a) & tgt.isin(b)
    if not directed:
        inside |= src.isin(b) & tgt.isin(a)
    frame = frame[inside & frame["date"].notna()]
    frame = pd.DataFrame({"date": frame["date"], "dataset": frame["dataset"].astype(str),
                          "goldstein": frame["goldstein"].astype(float),
                          "conflict": frame["quad_class"].isin([3, 4]).astype(float)})
    if datasets is None:
        ranked = frame["dataset"].value_counts().index.tolist()
        datasets = tuple(ranked[:2]) if len(ranked) >= 2 else tuple(ranked) + ("",) * (2 - len(ranked))
    wide = pd.DataFrame()
    if not frame.empty:
        frame["period"] = pd.PeriodIndex(pd.to_datetime(frame["date"]), freq=freq)
        periods = pd.period_range(frame["period"].min(), frame["period"].max(), freq=freq)
        wide = pd.DataFrame(index=periods)
    wide.index.name = "period"
    for name in datasets:
        if not name:
            continue
        part = frame[frame["dataset"] == name].groupby("period") if not frame.empty else None
        if part is None:
            continue
        wide[f"{name}_events"] = part.size().reindex(wide.index, fill_value=0).astype(int)
        wide[f"{name}_goldstein"] = part["goldstein"].mean().reindex(wide.index)
        wide[f"{name}_conflict"] = part["conflict"].mean().reindex(wide.index)
    wide.attrs["datasets"] = datasets
    wide.attrs["correlation"] = _correlation(wide, datasets)
    return wide


#: Periods both sources must report before their series are correlated.
MIN_SHARED = 3


def shared_periods(wide: pd.DataFrame, datasets: tuple[str, str]) -> pd.Series:
    """Whether each period has events from both datasets."""
    first, second = datasets
    if not first or not second or f"{first}_events" not in wide or f"{second}_events" not in wide:
        return pd.Series(False, index=wide.index)
    return (wide[f"{first}_events"] > 0) & (wide[f"{second}_events"] > 0)


def _correlation(wide: pd.DataFrame, datasets: tuple[str, str]) -> dict[str, float]:
    first, second = datasets
    result = {"events": math.nan, "goldstein": math.nan}
    both = shared_periods(wide, datasets)
    wide.attrs["shared_periods"] = int(both.sum())
    if both.sum() < MIN_SHARED:
        return result
    for measure in result:
        pair = wide.loc[both, [f"{first}_{measure}", f"{second}_{measure}"]].dropna()
        if len(pair) >= MIN_SHARED and pair.iloc[:, 0].std() > 0 and pair.iloc[:, 1].std() > 0:
            result[measure] = float(pair.iloc[:, 0].corr(pair.iloc[:, 1]))
    return result
