"""Charts of one dyad's series with matplotlib: a PNG, and a self-contained HTML page.

Both draw the same figure (dated axes, values on the axes, the time range in the title,
alerts marked). The HTML page inlines the figure as SVG and lists the alerts (reason and
sentences) and every period's figures: no script, no CDN, no external file. Every actor
name, label and sentence that reaches the page goes through ``html.escape``; matplotlib
escapes the text it writes into the SVG.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from ..errors import GraphkitError
from ..outputs import atomic_path, write_text

BAR_COLOURS = {"q1": "#8fd18f", "q2": "#2e8b57", "q3": "#f4a261", "q4": "#c0392b"}
QUAD_LABELS = {"q1": "verbal cooperation", "q2": "material cooperation", "q3": "verbal conflict",
               "q4": "material conflict"}


def _one_dyad(series: pd.DataFrame) -> pd.DataFrame:
    pairs = series[["source", "target"]].drop_duplicates()
    if len(pairs) != 1:
        raise GraphkitError(f"a chart shows one dyad; the series has {len(pairs)} (pick one with --dyad A,B)")
    return series.sort_values("period").reset_index(drop=True)


def _figure(s: pd.DataFrame, title: str, window: int, alerts: pd.DataFrame | None = None):
    """The dyad's chart as a matplotlib figure: stacked bars of cooperation (up) and conflict
    (down) per period and net Goldstein with its rolling mean, on dated axes with values,
    escalation alerts marked. The caller closes it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    x = s["period"]
    width = _bar_width(x)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6), sharex=True, height_ratios=[3, 2])
    up = 0
    for q in ("q1", "q2"):
        top.bar(x, s[q], width, bottom=up, color=BAR_COLOURS[q], label=QUAD_LABELS[q], align="edge")
        up = up + s[q]
    down = 0
    for q in ("q3", "q4"):
        top.bar(x, -s[q], width, bottom=down, color=BAR_COLOURS[q], label=QUAD_LABELS[q], align="edge")
        down = down - s[q]
    top.axhline(0, color="#444", linewidth=0.8)
    top.set_ylabel("statements per period\n(conflict below 0)")
    top.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    top.grid(axis="y", color="#e5e5e5")
    top.legend(loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8, ncol=5, frameon=False)
    if alerts is not None and not alerts.empty:
        for alarm in pd.to_datetime(pd.Series(alerts["alarm"])):
            for ax in (top, bottom):
                ax.axvline(alarm, color="#c0392b", linestyle="--", linewidth=1)
            top.annotate("\u25b2 alert", (alarm, 1.0), xycoords=("data", "axes fraction"), color="#c0392b",
                         fontsize=8, ha="center", va="bottom")
    start, end = x.min(), x.max()
    fig.suptitle(f"{title}\n{start:%d %b %Y} to {end:%d %b %Y}" if len(x) else title)
    bottom.plot(x, s["goldstein_sum"], color="#555", marker="o", markersize=3, label="net Goldstein")
    bottom.plot(x, s["goldstein_sum"].rolling(window, min_periods=1).mean(), color="#1f77b4",
                linewidth=2, label=f"{window}-period mean")
    bottom.axhline(0, color="#444", linewidth=0.8)
    bottom.set_ylabel("net Goldstein")
    bottom.grid(axis="y", color="#e5e5e5")
    bottom.legend(loc="lower left", fontsize=8)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    fig.tight_layout()
    return fig


def chart_png(series: pd.DataFrame, path: str | Path, title: str, window: int = 4,
              alerts: pd.DataFrame | None = None) -> Path:
    """The dyad's chart (see :func:`_figure`) as a PNG.

    Parameters
    ----------
    series : DataFrame
        One dyad's rows of :func:`graphkit.analysis.series.dyad_series`.
    path : path
        Where to write the PNG.
    title : str
        Chart title (the dyad's names).
    window : int
        Periods in the rolling mean.
    alerts : DataFrame, optional
        Escalation alerts of the dyad, marked at their alarm period.
    """
    import matplotlib.pyplot as plt

    fig = _figure(_one_dyad(series), title, window, alerts)
    try:
        path = Path(path)
        with atomic_path(path) as tmp:  # whole or not at all (graphkit.outputs)
            fig.savefig(tmp, dpi=110)
    finally:
        plt.close(fig)
    return path


def _bar_width(x: pd.Series) -> float:
    if len(x) < 2:
        return 5.0
    return max(float(pd.Series(x).diff().dt.days.median()) * 0.8, 0.8)


def chart_html(series: pd.DataFrame, path: str | Path, title: str, alerts: pd.DataFrame | None = None,
               window: int = 4) -> Path:
    """A self-contained page: the matplotlib chart as inline SVG (axes, values, dated range),
    the alerts with their reasons and sentences, and the figures of every period in a table.
    No script and no external file; all text is escaped."""
    import io

    import matplotlib.pyplot as plt

    s = _one_dyad(series)
    fig = _figure(s, title, window, alerts)
    try:
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    finally:
        plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML declaration and DOCTYPE
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = svg.replace("<svg ", '<svg id="chart" role="img" ', 1)
    rolling = s["goldstein_sum"].rolling(window, min_periods=1).mean()
    rows = []
    for i, row in s.iterrows():
        cells = [row["period"].date().isoformat(), int(row["statements"]), *(f"{row[q]:g}" for q in BAR_COLOURS),
                 f"{row['goldstein_sum']:.1f}", f"{rolling[i]:.1f}"]
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    marks = []
    if alerts is not None and not alerts.empty:
        for a in alerts.to_dict("records"):
            reason = a.get("reason") or f"score {a.get('score')}"
            quotes = "".join(f"<li>\u201c{html.escape(str(t))}\u201d</li>" for t in list(a.get("sentences", []))[:5])
            marks.append(f"<li><b>&#9650; {html.escape(str(a['alarm']))}</b>: {html.escape(str(reason))}"
                         f"<ul>{quotes}</ul></li>")
    page = _PAGE.format(title=html.escape(title), svg=svg,
                        alerts="<ul>" + "".join(marks) + "</ul>" if marks else "<p>No escalation alert.</p>",
                        head="".join(f"<th>{html.escape(h)}</th>" for h in (
                            "period", "statements", *QUAD_LABELS.values(), "net Goldstein",
                            f"{window}-period mean")),
                        rows="".join(rows))
    path = Path(path)
    write_text(path, page)  # whole or not at all (graphkit.outputs)
    return path


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:1.5em;color:#222}} #chart{{width:100%;max-width:1000px;height:auto}}
table{{border-collapse:collapse;font-size:13px}} td,th{{border-bottom:1px solid #eee;padding:2px 8px;text-align:right}}
td:first-child,th:first-child{{text-align:left}} .alerts li{{margin-bottom:.4em}}
</style></head><body>
<h1 style="font-size:1.2em">{title}</h1>
{svg}
<h2 style="font-size:1em">Escalation alerts (&#9650;)</h2>
<div class="alerts">{alerts}</div>
<h2 style="font-size:1em">Every period</h2>
<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>
</body></html>
"""
