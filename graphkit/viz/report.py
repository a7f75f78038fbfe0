"""`graphkit report`: one offline HTML page over the statements.

Sections: the network (network.html in the same folder, embedded), the most escalating dyads,
trend charts per top dyad, escalation alerts with their evidence, signed-network factions and a
searchable table of statements with provenance.  The numbers come from graphkit.analysis (count-
surprise alerts, dyad series, signed graph and factions with their bootstrap support); this module
only arranges them for the page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .. import analysis
from ..analysis.frame import CORE_COLUMNS, actor_names
from ..model import Actor, Statement
from ..outputs import write_text
from .network import (
    _casualties,
    _text,
    build_network_frame,
    goldstein_colour,
    json_for_script,
    render_network,
)
from .sources import statements_report_frame

FREQ_NAMES = {"D": "day", "W": "week", "M": "month"}
ALERTS_SHOWN = 25
EVIDENCE_SHOWN = 6
COMPONENTS_SHOWN = 3
CAMP_MEMBERS_SHOWN = 40
FACTION_MIN_STATEMENTS = 2  # a pair of sides enters the signed network with this many statements
FACTION_RESAMPLES = 200
FACTION_SUPPORT = 0.7  # an actor is shown in a camp when its assignment survives this share of resamples
SIDE_COLUMNS = ("source", "target", "source_name", "target_name", "source_country", "target_country", "source_kind",
                "target_kind", "date", "date_precision", "modality", "goldstein", "quad_class", "mentions")
#: The statements table holds the newest this many (the page stays a page at a million statements;
#: `graphkit export` writes them all). The sections above it are computed from every statement.
TABLE_ROWS = 20_000
#: The network page keeps this many sentences per edge (the newest) and this many edges (the busiest):
#: at a million statements it stays a page a browser draws; its filters still count every statement.
NETWORK_SAMPLE = 6
NETWORK_EDGES = 10_000


def _registry_rollup():
    """(rollup, kind_of) from the actor registry, or (None, None) without one."""
    try:
        from ..registry import Registry

        registry = Registry.default()
    except (ImportError, OSError, ValueError):
        return None, None

    def kind_of(actor_id: str):
        actor = registry.get(actor_id)
        return actor.kind if actor is not None else None

    return registry.rollup, kind_of


def provenance_rows(frame: pd.DataFrame, ids: set[str] | None = None) -> dict[str, dict]:
    """statement id -> what the table and the alert evidence show, with provenance, from a report
    frame (only for `ids` when given; a repeated id shows its last row)."""
    rows = frame[frame["id"].isin(ids)] if ids is not None else frame
    out = {}
    dates = rows["date"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    cols = {c: rows[c].to_numpy(dtype=object) for c in (
        "id", "source", "source_name", "type", "target", "target_name", "modality", "goldstein", "outlet",
        "article_id", "rule", "sentence", "dataset", "killed", "killed_at_least", "injured", "injured_at_least")}
    for j in range(len(rows)):
        g = cols["goldstein"][j]
        out[cols["id"][j]] = {
            "id": cols["id"][j], "date": dates[j] if isinstance(dates[j], str) else "", "source": cols["source"][j],
            "source_name": _text(cols["source_name"][j]), "type": cols["type"][j], "target": cols["target"][j],
            "target_name": _text(cols["target_name"][j]), "modality": cols["modality"][j],
            "goldstein": None if g != g else g, "outlet": _text(cols["outlet"][j]) or "",
            "article_id": _text(cols["article_id"][j]) or "", "rule": _text(cols["rule"][j]) or "",
            "sentence": _text(cols["sentence"][j]) or "", "dataset": cols["dataset"][j],
            "casualties": _casualties(cols["killed"][j], cols["killed_at_least"][j], cols["injured"][j],
                                      cols["injured_at_least"][j]),
        }
    return out


def as_report_frame(statements) -> pd.DataFrame:
    """The report frame (graphkit.viz.sources.REPORT_COLUMNS): a frame as it is, statements converted."""
    if isinstance(statements, pd.DataFrame):
        return statements
    return statements_report_frame(statements)


def _day(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _trend_dyads(alerts_top: pd.DataFrame, frame: pd.DataFrame, top: int) -> list[tuple[str, str]]:
    """The escalating dyads first, then the busiest undirected dyads, `top` in all."""
    chosen = [(r.source, r.target) for r in alerts_top.itertuples()]
    if len(frame):
        src, tgt = frame["source"].to_numpy(), frame["target"].to_numpy()
        first = src < tgt  # undirected dyads are ordered by id, as in graphkit.analysis
        pairs = pd.DataFrame({"a": np.where(first, src, tgt), "b": np.where(first, tgt, src)})
        busiest = pairs.groupby(["a", "b"]).size()
        for dyad in busiest.sort_values(ascending=False, kind="stable").index:
            if len(chosen) >= top:
                break
            if dyad not in chosen and dyad[0] != dyad[1]:
                chosen.append(dyad)
    return chosen[:top]


def report_data(statements: list[Statement] | pd.DataFrame, actors: list[Actor], *, freq: str = "W",
                top: int = 8) -> dict:
    """Everything the report shows, as JSON-ready values (computed with graphkit.analysis), from
    statements or a report frame (graphkit.viz.sources.load_report_frame: no object per statement)."""
    report = as_report_frame(statements)
    # the analyses' columns (the display columns stay out of their copies)
    frame = report[[*CORE_COLUMNS, "source_kind", "target_kind"]]
    names = actor_names(frame) if len(frame) else {}
    names.update({a.id: a.name for a in actors})

    def dyad_label(a: str, b: str) -> str:
        return f"{names.get(a, a)} \u2014 {names.get(b, b)}"

    dated = frame[frame["date"].notna()] if len(frame) else frame
    alerts = analysis.escalation_alerts(frame, freq=freq) if len(dated) else pd.DataFrame()
    top_alerts = analysis.most_escalating(alerts, top=top) if len(alerts) else pd.DataFrame(columns=["source"])

    trends = []
    dyads = _trend_dyads(top_alerts, dated, top) if len(dated) else []
    if dyads:
        series = analysis.dyad_series(frame, freq=freq, dyads=dyads)
        for a, b in dyads:
            part = series[(series["source"] == a) & (series["target"] == b)].sort_values("period")
            trends.append({"dyad": dyad_label(a, b), "periods": [_day(p)[:10] for p in part["period"]],
                           "conflict": (part["q3"] + part["q4"]).round(2).tolist(),
                           "cooperation": (part["q1"] + part["q2"]).round(2).tolist(),
                           "goldstein": part["goldstein_sum"].round(1).tolist()})

    shown = alerts.head(ALERTS_SHOWN) if len(alerts) else alerts
    # the newest TABLE_ROWS distinct statements, by (date, id), undated last
    ordered = report[["date", "id"]].sort_values(["date", "id"], ascending=False, na_position="last", kind="stable")
    distinct = ordered["id"].drop_duplicates()
    newest = distinct.head(TABLE_ROWS).tolist()
    cited_ids = {i for ids in shown["statement_ids"] for i in ids} if len(shown) else set()
    provenance = provenance_rows(report, cited_ids | set(newest))
    alert_items = []
    for r in shown.itertuples() if len(shown) else ():
        cited = [provenance[i] for i in r.statement_ids if i in provenance]
        alert_items.append({
            "dyad": dyad_label(r.source, r.target), "onset": _day(r.onset), "alarm": _day(r.alarm),
            "end": _day(r.end), "ongoing": bool(r.ongoing), "score": round(float(r.score), 1),
            "baseline": round(float(r.expected), 2), "observed": round(float(r.observed), 2),
            "statements": int(r.statements), "reason": r.reason,
            "evidence": [{k: c[k] for k in ("date", "type", "outlet", "article_id", "sentence")}
                         | {"source": names.get(c["source"], c["source"]), "target": names.get(c["target"], c["target"])}
                         for c in cited[:EVIDENCE_SHOWN]],
            "more": max(0, len(cited) - EVIDENCE_SHOWN),
        })

    escalations = [{"rank": int(r.rank), "dyad": dyad_label(r.source, r.target), "alarm": _day(r.alarm),
                    "onset": _day(r.onset), "score": round(float(r.score), 1),
                    "baseline": round(float(r.expected), 2), "observed": round(float(r.observed), 2),
                    "statements": int(r.statements), "alerts": int(r.alerts), "ongoing": bool(r.ongoing),
                    "colour": goldstein_colour(-10.0 * min(1.0, float(r.score) / 10.0))}
                   for r in top_alerts.itertuples()] if len(top_alerts) else []

    factions: dict = {"components": [], "summary": None, "hidden": 0, "min_statements": FACTION_MIN_STATEMENTS,
                      "resamples": FACTION_RESAMPLES, "threshold": FACTION_SUPPORT}
    if len(dated):
        # Sides, not raw actors: an actor and its own forces are one side (analysis.rollup_sides).
        # Only the columns the sides and their signed graph read: rolling up copies the frame
        # three times, which at a million statements is gigabytes of sentences and provenance.
        narrow = dated[[c for c in SIDE_COLUMNS if c in dated.columns]]
        sides = analysis.select(analysis.rollup_sides(narrow, *_registry_rollup()))
        result = analysis.supported_factions(sides, min_statements=FACTION_MIN_STATEMENTS,
                                             resamples=FACTION_RESAMPLES, threshold=FACTION_SUPPORT)
        graph = result.graph
        if graph.number_of_edges():
            side_names = {**(actor_names(sides) if len(sides) else {}), **names}
            factions["summary"] = analysis.balance_summary(graph, result.split)
            components: dict[int, list[dict]] = {}
            for camp in result.camps(side_names):
                factions["hidden"] += camp["hidden"]
                if not camp["size"]:
                    continue
                components.setdefault(camp["group"], []).append({
                    "size": camp["size"], "support": camp["support"], "decided_by": camp["decided_by"],
                    "more": max(0, camp["size"] - CAMP_MEMBERS_SHOWN), "members": camp["members"][:CAMP_MEMBERS_SHOWN]})
            factions["components"] = [components[c] for c in sorted(components)[:COMPONENTS_SHOWN]]
            factions["more_components"] = max(0, len(components) - COMPONENTS_SHOWN)

    table = [provenance[i] for i in newest]
    return {
        "freq": FREQ_NAMES[freq],
        "escalations": escalations,
        "alerts": alert_items,
        "alerts_total": len(alerts),
        "table_more": max(0, len(distinct) - len(newest)) if len(newest) == TABLE_ROWS else 0,
        "factions": factions,
        "trends": trends,
        "table": [[r["date"], r["source_name"] or r["source"], r["type"], r["target_name"] or r["target"],
                   r["modality"], r["goldstein"], r["outlet"], r["article_id"], r["rule"], r["sentence"], r["id"],
                   r["casualties"]]
                  for r in table],
    }


def write_report(statements: list[Statement] | pd.DataFrame, actors: list[Actor], folder: str | Path, *,
                 since: date | None = None, until: date | None = None, freq: str = "W", top: int = 8,
                 title: str = "graphkit report") -> Path:
    """Write folder/index.html, folder/network.html and folder/map.html; return the index path.

    `statements`: a list, or the report frame of graphkit.viz.sources.load_report_frame (the CLI's
    path: every section is computed from columns, none from a Statement object per row)."""
    from .map import map_from_frame, render_map
    from .network import _template_env

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    frame = as_report_frame(statements)
    if (since or until) and len(frame):  # the same window for every section (a store has applied it already)
        keep = frame["date"].notna()
        if since:
            keep &= frame["date"] >= pd.Timestamp(since)
        if until:
            keep &= frame["date"] <= pd.Timestamp(until)
        frame = frame[keep.to_numpy()].reset_index(drop=True)
    network = build_network_frame(frame, actors, sample=NETWORK_SAMPLE, max_edges=NETWORK_EDGES)
    render_network(network, folder / "network.html", title=f"{title}: network")
    n_actors, n_edges, n_shown = (len({*frame["source"], *frame["target"]}) if len(frame) else 0,
                                  network.edges_total or 0, len(network.edges))
    n_sampled = sum(1 for e in network.edges if e.cells is not None)
    del network
    events = map_from_frame(frame)
    render_map(events, folder / "map.html", title=f"{title}: map")
    n_placed, n_unplaced = len(events.points), events.unplaced
    del events
    data = report_data(frame, actors, freq=freq, top=top)
    dated = frame["date"].dropna() if len(frame) else None
    html = _template_env().get_template("report.html").render(
        title=title, data=data, data_json=json_for_script(data),
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        counts={"statements": len(frame), "actors": n_actors, "edges": n_edges, "edges_shown": n_shown,
                "sampled_edges": n_sampled,
                "network_sample": NETWORK_SAMPLE,
                "placed": n_placed, "unplaced": n_unplaced,
                "first": dated.min().date() if dated is not None and len(dated) else None,
                "last": dated.max().date() if dated is not None and len(dated) else None},
    )
    index = folder / "index.html"
    write_text(index, html)  # whole or not at all (graphkit.outputs)
    return index
