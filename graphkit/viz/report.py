"""`graphkit report`: one offline HTML page over the statements.

Sections: the network (network.html in the same folder, embedded), the most escalating dyads,
trend charts per top dyad, escalation alerts with their evidence, signed-network factions and a
searchable table of statements with provenance.

The aggregations below are deliberately simple (pandas groupby); graphkit.analysis (issue 7) is
the home of the full analytics, and `_analysis_hooks` prefers its functions when they exist.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from .. import typology
from ..model import Actor, Statement
from .network import build_network, goldstein_colour, json_for_script, render_network

FREQ_NAMES = {"W": "week", "M": "month", "Q": "quarter"}
_PERIOD_ALIAS = {"W": "W", "M": "M", "Q": "Q"}


def statements_frame(statements: Iterable[Statement]) -> pd.DataFrame:
    """One row per statement with the undirected dyad key and provenance columns."""
    rows = []
    for st in statements:
        g = st.goldstein
        if g is None and typology.is_type(st.type):
            g = typology.get(st.type).goldstein
        quad = st.quad_class
        if quad is None and typology.is_type(st.type):
            quad = typology.get(st.type).quad_class
        a, b = sorted((st.source.id, st.target.id))
        rows.append({
            "id": st.id, "date": st.date, "source": st.source.id, "source_name": st.source.name,
            "target": st.target.id, "target_name": st.target.name, "dyad_a": a, "dyad_b": b,
            "type": st.type, "quad_class": quad, "goldstein": g, "modality": st.modality,
            "sentence": st.sentence or "", "outlet": (st.extra or {}).get("outlet") or "",
            "article_id": st.article_id or "", "rule": st.rule or "", "dataset": st.dataset,
        })
    columns = ["id", "date", "source", "source_name", "target", "target_name", "dyad_a", "dyad_b", "type",
               "quad_class", "goldstein", "modality", "sentence", "outlet", "article_id", "rule", "dataset"]
    return pd.DataFrame(rows, columns=columns)


def dyad_series(frame: pd.DataFrame, freq: str = "M") -> pd.DataFrame:
    """Per undirected dyad and period: statements, conflict (quad 3/4) and cooperation counts, Goldstein sum.

    Every dyad gets every period between the first and last date (zeros filled), so trends and
    alerts see quiet periods as quiet rather than missing."""
    dated = frame[frame["date"].notna()].copy()
    columns = ["dyad_a", "dyad_b", "period", "statements", "conflict", "cooperation", "goldstein"]
    if dated.empty:
        return pd.DataFrame(columns=columns)
    dated["period"] = pd.PeriodIndex(pd.to_datetime(dated["date"]), freq=_PERIOD_ALIAS[freq])
    dated["conflict"] = dated["quad_class"].isin([3, 4]).astype(int)
    dated["cooperation"] = dated["quad_class"].isin([1, 2]).astype(int)
    grouped = dated.groupby(["dyad_a", "dyad_b", "period"]).agg(
        statements=("id", "size"), conflict=("conflict", "sum"), cooperation=("cooperation", "sum"),
        goldstein=("goldstein", "sum"))
    periods = pd.period_range(dated["period"].min(), dated["period"].max(), freq=_PERIOD_ALIAS[freq])
    dyads = grouped.index.droplevel("period").unique()
    full = pd.MultiIndex.from_tuples([(a, b, p) for a, b in dyads for p in periods],
                                     names=["dyad_a", "dyad_b", "period"])
    return grouped.reindex(full, fill_value=0).reset_index()[columns]


@dataclass(slots=True)
class Escalation:
    dyad: tuple[str, str]
    period: str
    latest: float  # Goldstein sum in the latest period
    baseline: float  # mean Goldstein sum over the previous periods
    score: float  # baseline - latest: > 0 means more conflictual than usual
    statements: int


def escalating_dyads(series: pd.DataFrame, *, window: int = 3, limit: int = 10) -> list[Escalation]:
    """Dyads whose latest-period Goldstein sum fell furthest below their mean of the `window` before."""
    if series.empty:
        return []
    out = []
    for (a, b), group in series.groupby(["dyad_a", "dyad_b"]):
        group = group.sort_values("period")
        if len(group) < 2:
            continue
        latest = group.iloc[-1]
        before = group.iloc[-1 - window:-1]
        baseline = float(before["goldstein"].mean())
        score = baseline - float(latest["goldstein"])
        if score > 0 and latest["statements"] > 0:
            out.append(Escalation((a, b), str(latest["period"]), float(latest["goldstein"]), baseline, score,
                                  int(latest["statements"])))
    out.sort(key=lambda e: (-e.score, e.dyad))
    return out[:limit]


@dataclass(slots=True)
class Alert:
    dyad: tuple[str, str]
    period: str
    reason: str
    conflict: int
    evidence: list[dict] = field(default_factory=list)


def escalation_alerts(frame: pd.DataFrame, series: pd.DataFrame, *, min_history: int = 3, z: float = 2.0,
                      evidence: int = 5, limit: int = 20) -> list[Alert]:
    """A dyad-period is an alert when its conflict count is more than z standard deviations above
    the dyad's earlier periods (with at least min_history of them), or when it brings the dyad's
    first material conflict (QuadClass 4).  Evidence: the period's conflict statements."""
    if series.empty:
        return []
    alerts: list[Alert] = []
    seen_material: set[tuple[str, str]] = set()
    dated = frame[frame["date"].notna()].copy()
    if not dated.empty:
        dated["period"] = pd.PeriodIndex(pd.to_datetime(dated["date"]), freq=series["period"].iloc[0].freqstr)
    material = {(r.dyad_a, r.dyad_b, r.period) for r in dated[dated["quad_class"] == 4].itertuples()}
    for (a, b), group in series.groupby(["dyad_a", "dyad_b"]):
        group = group.sort_values("period").reset_index(drop=True)
        for i, row in group.iterrows():
            reason = None
            history = group.loc[: i - 1, "conflict"] if i else group.loc[[], "conflict"]
            if len(history) >= min_history and row["conflict"] > 0:
                mean, std = float(history.mean()), float(history.std(ddof=0))
                if row["conflict"] > mean + z * max(std, 0.5):
                    reason = f"{int(row['conflict'])} conflict statements vs {mean:.1f} usual"
            if reason is None and (a, b, row["period"]) in material and (a, b) not in seen_material and i > 0:
                reason = "first material conflict (QuadClass 4) between them"
            if (a, b, row["period"]) in material:
                seen_material.add((a, b))
            if reason:
                rows = dated[(dated["dyad_a"] == a) & (dated["dyad_b"] == b) & (dated["period"] == row["period"])
                             & dated["quad_class"].isin([3, 4])].sort_values("goldstein")
                alerts.append(Alert((a, b), str(row["period"]), reason, int(row["conflict"]),
                                    rows.head(evidence).to_dict("records")))
    alerts.sort(key=lambda al: (al.period, -al.conflict), reverse=True)
    return alerts[:limit]


@dataclass(slots=True)
class Factions:
    camps: list[list[str]]  # actor ids, busiest first
    frustration: int  # signed edges that break structural balance under this split
    edges: int  # signed edges considered

    @property
    def balance(self) -> float:
        return 1.0 - self.frustration / self.edges if self.edges else 1.0


def signed_factions(frame: pd.DataFrame, *, passes: int = 20) -> Factions:
    """Split actors into two camps so that positive (net cooperative) ties fall inside camps and
    negative (net conflictual) ties between them, as far as the signed graph allows.

    Start from a sign-following breadth-first colouring, then move single actors while that
    lowers the number of frustrated ties (a local search on the frustration index)."""
    if frame.empty:
        return Factions([], 0, 0)
    net = frame.groupby(["dyad_a", "dyad_b"])["goldstein"].sum()
    signed = {(a, b): (1 if g > 0 else -1) for (a, b), g in net.items() if g != 0 and a != b}
    adjacent: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (a, b), sign in signed.items():
        adjacent[a].append((b, sign))
        adjacent[b].append((a, sign))
    side: dict[str, int] = {}
    for start in sorted(adjacent, key=lambda n: -len(adjacent[n])):
        if start in side:
            continue
        side[start] = 0
        queue = [start]
        while queue:
            node = queue.pop()
            for other, sign in adjacent[node]:
                if other not in side:
                    side[other] = side[node] if sign > 0 else 1 - side[node]
                    queue.append(other)

    def unhappy(node: str, at: int) -> int:
        return sum(1 for other, sign in adjacent[node] if (side[other] == at) != (sign > 0))

    for _ in range(passes):
        moved = False
        for node in adjacent:
            if unhappy(node, 1 - side[node]) < unhappy(node, side[node]):
                side[node] = 1 - side[node]
                moved = True
        if not moved:
            break
    frustration = sum(1 for (a, b), sign in signed.items() if (side[a] == side[b]) != (sign > 0))
    degree = {n: len(adj) for n, adj in adjacent.items()}
    camps = [sorted((n for n, s in side.items() if s == k), key=lambda n: (-degree[n], n)) for k in (0, 1)]
    camps = [c for c in sorted(camps, key=len, reverse=True) if c]
    return Factions(camps, frustration, len(signed))


def _analysis_hooks() -> dict:
    """graphkit.analysis functions of the same names, when that package provides them."""
    try:
        from .. import analysis
    except ImportError:  # pragma: no cover - the package always exists, maybe empty
        return {}
    names = ("statements_frame", "dyad_series", "escalating_dyads", "escalation_alerts", "signed_factions")
    return {name: getattr(analysis, name) for name in names if callable(getattr(analysis, name, None))}


def report_data(statements: list[Statement], actors: list[Actor], *, freq: str = "M", top: int = 8) -> dict:
    """Everything the report shows, as JSON-ready values."""
    hooks = _analysis_hooks()
    frame = hooks.get("statements_frame", statements_frame)(statements)
    series = hooks.get("dyad_series", dyad_series)(frame, freq)
    escalations = hooks.get("escalating_dyads", escalating_dyads)(series, limit=top)
    alerts = hooks.get("escalation_alerts", escalation_alerts)(frame, series)
    factions = hooks.get("signed_factions", signed_factions)(frame)
    names = {a.id: a.name for a in actors}
    for row in frame.itertuples():
        names.setdefault(row.source, row.source_name)
        names.setdefault(row.target, row.target_name)

    def dyad_label(dyad) -> str:
        return f"{names.get(dyad[0], dyad[0])} \u2014 {names.get(dyad[1], dyad[1])}"

    # trend charts: the escalating dyads first, then the busiest, `top` in all
    chosen: list[tuple[str, str]] = [e.dyad for e in escalations]
    if not series.empty:
        busiest = series.groupby(["dyad_a", "dyad_b"])["statements"].sum().sort_values(ascending=False)
        chosen += [d for d in busiest.index if d not in chosen]
    trends = []
    for a, b in chosen[:top]:
        part = series[(series["dyad_a"] == a) & (series["dyad_b"] == b)].sort_values("period")
        trends.append({"dyad": dyad_label((a, b)), "periods": [str(p) for p in part["period"]],
                       "conflict": part["conflict"].astype(int).tolist(),
                       "cooperation": part["cooperation"].astype(int).tolist(),
                       "goldstein": [round(float(g), 2) for g in part["goldstein"]]})
    table = frame.sort_values("date", na_position="last", ascending=False, key=lambda c: c.astype(str))
    return {
        "freq": FREQ_NAMES[freq],
        "escalations": [{"dyad": dyad_label(e.dyad), "period": e.period, "latest": round(e.latest, 1),
                         "baseline": round(e.baseline, 1), "score": round(e.score, 1), "statements": e.statements,
                         "colour": goldstein_colour(e.latest / max(e.statements, 1))} for e in escalations],
        "alerts": [{"dyad": dyad_label(al.dyad), "period": al.period, "reason": al.reason,
                    "evidence": [{"date": str(r["date"]), "source": names.get(r["source"], r["source"]),
                                  "type": r["type"], "target": names.get(r["target"], r["target"]),
                                  "sentence": r["sentence"], "outlet": r["outlet"], "article_id": r["article_id"]}
                                 for r in al.evidence]} for al in alerts],
        "factions": {"camps": [[{"id": n, "name": names.get(n, n)} for n in camp[:40]] + (
                        [{"id": "", "name": f"\u2026 and {len(camp) - 40} more"}] if len(camp) > 40 else [])
                               for camp in factions.camps],
                     "frustration": factions.frustration, "edges": factions.edges,
                     "balance": round(factions.balance, 3)},
        "trends": trends,
        "table": [[str(r.date) if r.date else "", names.get(r.source, r.source), r.type,
                   names.get(r.target, r.target), r.modality, r.goldstein, r.outlet, r.article_id, r.rule,
                   r.sentence, r.id] for r in table.itertuples()],
    }


def write_report(statements: list[Statement], actors: list[Actor], folder: str | Path, *,
                 since: date | None = None, until: date | None = None, freq: str = "M", top: int = 8,
                 title: str = "graphkit report") -> Path:
    """Write folder/index.html and folder/network.html; return the index path."""
    from .network import _template_env

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if since or until:  # the same window for every section (a store has applied it already)
        statements = [s for s in statements
                      if s.date and not (since and s.date < since) and not (until and s.date > until)]
    network = build_network(statements, actors)
    render_network(network, folder / "network.html", title=f"{title}: network")
    data = report_data(statements, actors, freq=freq, top=top)
    dates = sorted(s.date for s in statements if s.date)
    html = _template_env().get_template("report.html").render(
        title=title, data=data, data_json=json_for_script(data),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        counts={"statements": len(statements), "actors": len(network.nodes), "edges": len(network.edges),
                "first": dates[0] if dates else None, "last": dates[-1] if dates else None},
    )
    index = folder / "index.html"
    index.write_text(html, encoding="utf-8")
    return index
