"""Charts of one dyad's series: a PNG (matplotlib, Agg) and a self-contained interactive HTML page.

The HTML is an inline SVG drawn here with a few lines of inline JavaScript for the
hover read-out: no CDN, no external files. Every actor name, label and sentence that
reaches the page goes through ``html.escape`` (text) or ``json.dumps`` with ``<``
escaped (script data), so article text cannot inject markup.
"""

from __future__ import annotations

import html
import json
import math
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


def chart_png(series: pd.DataFrame, path: str | Path, title: str, window: int = 4) -> Path:
    """Bars of cooperation (up) and conflict (down) per period, net Goldstein and its rolling mean.

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
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = _one_dyad(series)
    x = s["period"]
    width = _bar_width(x)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6), sharex=True, height_ratios=[3, 2])
    try:
        up = 0
        for q in ("q1", "q2"):
            top.bar(x, s[q], width, bottom=up, color=BAR_COLOURS[q], label=QUAD_LABELS[q])
            up = up + s[q]
        down = 0
        for q in ("q3", "q4"):
            top.bar(x, -s[q], width, bottom=down, color=BAR_COLOURS[q], label=QUAD_LABELS[q])
            down = down - s[q]
        top.axhline(0, color="#444", linewidth=0.8)
        top.set_ylabel("statements (conflict below 0)")
        top.legend(loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8, ncol=4, frameon=False)
        fig.suptitle(title)
        bottom.plot(x, s["goldstein_sum"], color="#555", marker="o", markersize=3, label="Goldstein sum")
        bottom.plot(x, s["goldstein_sum"].rolling(window, min_periods=1).mean(), color="#1f77b4",
                    linewidth=2, label=f"{window}-period mean")
        bottom.axhline(0, color="#444", linewidth=0.8)
        bottom.set_ylabel("net Goldstein")
        bottom.legend(loc="lower left", fontsize=8)
        fig.autofmt_xdate()
        fig.tight_layout()
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
    """A self-contained interactive page: stacked bars per QuadClass, net Goldstein line,
    alert markers, and a hover read-out of each period (with the alert's cited sentences).
    """
    s = _one_dyad(series)
    points = []
    rolling = s["goldstein_sum"].rolling(window, min_periods=1).mean()
    for i, row in s.iterrows():
        points.append({"period": row["period"].date().isoformat(), "q1": row["q1"], "q2": row["q2"],
                       "q3": row["q3"], "q4": row["q4"], "g": row["goldstein_sum"], "r": float(rolling[i]),
                       "n": int(row["statements"])})
    marks = []
    if alerts is not None and not alerts.empty:
        for a in alerts.itertuples(index=False):
            marks.append({"onset": str(a.onset), "alarm": str(a.alarm), "score": float(a.score),
                          "sentences": list(a.sentences)[:5]})
    svg = _svg(points, marks)
    data = json.dumps({"points": points, "alerts": marks}, ensure_ascii=False).replace("<", "\\u003c")
    page = _PAGE.format(title=html.escape(title), svg=svg, data=data,
                        legend="".join(f'<span><i style="background:{c}"></i>{html.escape(QUAD_LABELS[q])}</span>'
                                       for q, c in BAR_COLOURS.items()))
    path = Path(path)
    write_text(path, page)  # whole or not at all (graphkit.outputs)
    return path


def _svg(points: list[dict], marks: list[dict]) -> str:
    width, height, pad = 900, 440, 50
    mid = 170  # baseline of the bars (140 px up for cooperation, 140 down for conflict)
    n = max(len(points), 1)
    step = (width - 2 * pad) / n
    peak = max([p["q1"] + p["q2"] for p in points] + [p["q3"] + p["q4"] for p in points] + [1])
    scale = 140 / peak
    gmax = max([abs(p["g"]) for p in points if not math.isnan(p["g"])] + [1])
    gscale = 40 / gmax
    gmid = 375  # zero line of the Goldstein panel below the bars
    parts = [f'<svg id="chart" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" role="img">',
             f'<line x1="{pad}" x2="{width - pad}" y1="{mid}" y2="{mid}" stroke="#444"/>',
             f'<line x1="{pad}" x2="{width - pad}" y1="{gmid}" y2="{gmid}" stroke="#bbb"/>',
             f'<text x="{pad}" y="{gmid - 45}" font-size="11">net Goldstein (line: rolling mean)</text>']
    alarm_days = {m["alarm"] for m in marks}
    onset_days = {m["onset"] for m in marks}
    for i, p in enumerate(points):
        x = pad + i * step
        bw = max(step * 0.8, 1)
        y = mid
        for q in ("q1", "q2"):
            h = p[q] * scale
            if h:
                y -= h
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw:.1f}" height="{h:.1f}" fill="{BAR_COLOURS[q]}"/>')
        y = mid
        for q in ("q3", "q4"):
            h = p[q] * scale
            if h:
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw:.1f}" height="{h:.1f}" fill="{BAR_COLOURS[q]}"/>')
                y += h
        if p["period"] in onset_days:
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="20" y2="{height - 10}" stroke="#c0392b" '
                         'stroke-dasharray="4 3"/>')
        if p["period"] in alarm_days:
            parts.append(f'<text x="{x + bw / 2:.1f}" y="18" font-size="14" text-anchor="middle" fill="#c0392b">&#9650;</text>')
        parts.append(f'<rect class="hit" data-i="{i}" x="{x:.1f}" y="10" width="{step:.1f}" height="{height - 20}" '
                     'fill="transparent"/>')
    for key, colour, w in (("g", "#555", 1), ("r", "#1f77b4", 2.5)):
        coords = " ".join(f"{pad + i * step + step * 0.4:.1f},{gmid - p[key] * gscale:.1f}"
                          for i, p in enumerate(points) if not math.isnan(p[key]))
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="{w}"/>')
    if points:
        parts.append(f'<text x="{pad}" y="{height - 2}" font-size="11">{html.escape(points[0]["period"])}</text>')
        parts.append(f'<text x="{width - pad}" y="{height - 2}" font-size="11" text-anchor="end">'
                     f'{html.escape(points[-1]["period"])}</text>')
    parts.append("</svg>")
    return "".join(parts)


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:1.5em;color:#222}} #chart{{width:100%;max-width:960px;border:1px solid #ddd}}
.legend span{{margin-right:1em;font-size:13px}} .legend i{{display:inline-block;width:12px;height:12px;margin-right:4px}}
#readout{{font-size:14px;min-height:5em;max-width:960px;white-space:pre-wrap}}
</style></head><body>
<h1 style="font-size:1.2em">{title}</h1>
<div class="legend">{legend}<span>&#9650; escalation alert</span></div>
{svg}
<div id="readout">Hover a period for its counts.</div>
<script id="chart-data" type="application/json">{data}</script>
<script>
(function () {{
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var out = document.getElementById("readout");
  document.querySelectorAll("#chart .hit").forEach(function (el) {{
    el.addEventListener("mouseenter", function () {{
      var p = data.points[+el.getAttribute("data-i")];
      var lines = [p.period + ": " + p.n + " statements",
        "verbal coop " + p.q1 + ", material coop " + p.q2 + ", verbal conflict " + p.q3 + ", material conflict " + p.q4,
        "net Goldstein " + p.g.toFixed(1) + " (rolling " + p.r.toFixed(1) + ")"];
      data.alerts.forEach(function (a) {{
        if (a.alarm === p.period || a.onset === p.period) {{
          lines.push("ALERT (onset " + a.onset + ", score " + a.score.toFixed(1) + ")");
          a.sentences.forEach(function (s) {{ lines.push("  \\u201c" + s + "\\u201d"); }});
        }}
      }});
      out.textContent = lines.join("\\n");
    }});
  }});
}})();
</script>
</body></html>
"""
