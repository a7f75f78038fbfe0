"""The actor network as data (build_network, pure) and as one self-contained HTML file (render_network).

build_network aggregates statements into one edge per (source, target, type) with its count,
Goldstein sum/mean and the dated statements behind it.  render_network writes a vis-network page
(pyvis's bundled vis-network 9.1.2, inlined, so the file works offline) whose filters and time
slider re-aggregate the embedded statements in the browser.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from .. import typology
from ..errors import GraphkitError, UsageError
from ..model import Actor, Statement, in_window
from ..neighbourhood import neighbourhood
from ..outputs import write_text

# Above this many nodes the page switches to the large-graph settings: straight edges, edges hidden
# while dragging, capped stabilisation, labels drawn only when large enough on screen.
LARGE_GRAPH_NODES = 300

# (colour, vis shape) per actor kind; shapes that scale with `value` so size shows weighted degree.
KIND_STYLE: dict[str, tuple[str, str]] = {
    "state": ("#3b6fb6", "dot"),
    "government": ("#6a51a3", "square"),
    "military": ("#8c564b", "triangle"),
    "police": ("#17a2b8", "triangleDown"),
    "militia": ("#e377c2", "diamond"),
    "party": ("#b5a300", "hexagon"),
    "igo": ("#1f9e89", "star"),
    "ngo": ("#ff7f0e", "star"),
    "media": ("#7f7f7f", "square"),
    "person": ("#d4a017", "dot"),
    "group": ("#5fa8d3", "diamond"),
    "other": ("#aaaaaa", "dot"),
}


@dataclass(frozen=True, slots=True)
class EdgeStatement:
    """One statement behind an edge, with its provenance (what the tooltip and table show)."""

    id: str
    date: date | None
    type: str
    modality: str
    goldstein: float | None
    sentence: str | None
    outlet: str | None
    article_id: str | None
    rule: str | None
    casualties: str = ""  # "5 killed", "at least 18 killed, 24+ injured" (casualty_label)


def casualty_label(st: Statement) -> str:
    """The casualties a statement tells, for people: "5 killed", "at least 18 killed, 3 injured"."""
    parts = []
    for count, at_least, what in ((st.killed, st.killed_at_least, "killed"),
                                  (st.injured, st.injured_at_least, "injured")):
        if count is not None:
            parts.append(f"{'at least ' if at_least else ''}{count} {what}")
    return ", ".join(parts)


@dataclass(slots=True)
class NetworkNode:
    id: str
    label: str
    kind: str
    country: str | None
    degree: int = 0  # weighted degree: statements on incident edges


@dataclass(slots=True)
class NetworkEdge:
    id: str
    source: str
    target: str
    type: str
    quad_class: int | None
    symmetric: bool
    count: int = 0
    goldstein_sum: float = 0.0
    goldstein_n: int = 0  # statements that carried a Goldstein value
    statements: list[EdgeStatement] = field(default_factory=list)
    # Every statement of the edge as (date, modality, count, goldstein sum, goldstein n) groups, when
    # `statements` holds only a sample of them (build_network_frame); None: `statements` are all of them.
    cells: list[tuple] | None = None

    @property
    def goldstein_mean(self) -> float | None:
        return self.goldstein_sum / self.goldstein_n if self.goldstein_n else None


@dataclass(slots=True)
class NetworkData:
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    since: date | None = None
    until: date | None = None
    focus: str | None = None
    hops: int = 1
    edges_total: int | None = None  # edges before keeping the busiest (build_network_frame); None: all kept
    sample: int | None = None  # sentences kept per edge (build_network_frame); None: every one

    @property
    def statement_count(self) -> int:
        return sum(e.count for e in self.edges)


def _outlet(st: Statement) -> str | None:
    extra = st.extra or {}
    return extra.get("outlet") or extra.get("source_name") or None


def _goldstein(st: Statement) -> float | None:
    if st.goldstein is not None:
        return float(st.goldstein)
    if typology.is_type(st.type):
        return typology.get(st.type).goldstein
    return None


def _neighbourhood(edges: Iterable[tuple[str, str]], focus: str, hops: int) -> set[str]:
    found = neighbourhood(edges, focus, hops)
    if found is None:
        raise GraphkitError(f"actor {focus!r} has no statements in the selected period")
    return found


def build_network(
    statements: Iterable[Statement],
    actors: Iterable[Actor] | None = None,
    *,
    since: date | None = None,
    until: date | None = None,
    focus: str | None = None,
    hops: int = 1,
) -> NetworkData:
    """Aggregate statements into a network: one edge per (source, target, type).

    since/until are inclusive; with either set, undated statements are left out.  With focus,
    only actors within `hops` steps of it (and the edges among them) are kept.
    """
    if hops < 0:
        raise UsageError(f"--hops must be 0 or more, got {hops}")
    registry = {a.id: a for a in actors or ()}
    kept: list[Statement] = []
    for st in statements:
        if in_window(st.date, since, until):
            kept.append(st)
    if focus is not None:
        allowed = _neighbourhood(((s.source.id, s.target.id) for s in kept), focus, hops)
        kept = [s for s in kept if s.source.id in allowed and s.target.id in allowed]

    nodes: dict[str, NetworkNode] = {}
    edges: dict[tuple[str, str, str], NetworkEdge] = {}
    for st in kept:
        for ref in (st.source, st.target):
            if ref.id not in nodes:
                actor = registry.get(ref.id)
                nodes[ref.id] = NetworkNode(
                    id=ref.id,
                    label=actor.name if actor else ref.name or ref.id,
                    kind=(actor.kind if actor else ref.kind) or "other",
                    country=actor.country if actor else ref.country,
                )
        key = (st.source.id, st.target.id, st.type)
        edge = edges.get(key)
        if edge is None:
            known = typology.types().get(st.type)
            edge = edges[key] = NetworkEdge(
                id=f"{st.source.id}|{st.target.id}|{st.type}", source=st.source.id, target=st.target.id,
                type=st.type, quad_class=st.quad_class if st.quad_class is not None else known and known.quad_class,
                symmetric=bool(known and known.symmetric),
            )
        g = _goldstein(st)
        edge.count += 1
        if g is not None:
            edge.goldstein_sum += g
            edge.goldstein_n += 1
        edge.statements.append(EdgeStatement(
            id=st.id, date=st.date, type=st.type, modality=st.modality, goldstein=g, sentence=st.sentence,
            outlet=_outlet(st), article_id=st.article_id, rule=st.rule, casualties=casualty_label(st),
        ))
    for edge in edges.values():
        edge.statements.sort(key=lambda s: (s.date or date.min, s.id))
        nodes[edge.source].degree += edge.count
        if edge.target != edge.source:
            nodes[edge.target].degree += edge.count
    ordered_nodes = sorted(nodes.values(), key=lambda n: (-n.degree, n.id))
    ordered_edges = sorted(edges.values(), key=lambda e: e.id)
    return NetworkData(ordered_nodes, ordered_edges, since, until, focus, hops)


def build_network_frame(frame, actors: Iterable[Actor] | None = None, *, sample: int = 6,
                        max_edges: int | None = None) -> NetworkData:
    """:func:`build_network` from a report frame (graphkit.viz.sources.REPORT_COLUMNS), by columns:
    the same nodes and edges (count, Goldstein), each edge keeping only its newest `sample`
    statements with their sentences plus the (date, modality) counts of all of them, so the page's
    filters still count every statement; with `max_edges`, only the busiest edges (and the actors on
    them). On statements that fit (no edge over `sample`, edges within `max_edges`) the page is the
    one build_network's gives."""
    import numpy as np
    import pandas as pd

    registry = {a.id: a for a in actors or ()}
    n = len(frame)
    if not n:
        return NetworkData([], [], sample=sample)
    src, tgt = frame["source"].to_numpy(dtype=object), frame["target"].to_numpy(dtype=object)
    # nodes in order of first appearance, each end's reference as first seen (build_network's order)
    ends = np.empty(2 * n, dtype=object)
    ends[0::2], ends[1::2] = src, tgt
    first = np.flatnonzero(~pd.Index(ends).duplicated(keep="first"))
    ref = {column: np.empty(2 * n, dtype=object) for column in ("name", "kind", "country")}
    for column, both in ref.items():
        both[0::2], both[1::2] = frame[f"source_{column}"].to_numpy(dtype=object), frame[f"target_{column}"].to_numpy(
            dtype=object)
    nodes: dict[str, NetworkNode] = {}
    for i in first:
        aid, actor = ends[i], registry.get(ends[i])
        nodes[aid] = NetworkNode(id=aid, label=actor.name if actor else _text(ref["name"][i]) or aid,
                                 kind=(actor.kind if actor else _text(ref["kind"][i])) or "other",
                                 country=actor.country if actor else _text(ref["country"][i]))
    # Goldstein as build_network reads it: the statement's, else its type's
    types_ = frame["type"].to_numpy(dtype=object)
    known = typology.types()
    by_type = pd.Series({t: known[t].goldstein for t in pd.unique(types_) if typology.is_type(t)}, dtype=np.float64)
    g = frame["goldstein"].to_numpy(dtype=np.float64).copy()
    missing = np.isnan(g)
    if missing.any():
        g[missing] = pd.Series(types_[missing]).map(by_type).to_numpy(dtype=np.float64)
    has_g = ~np.isnan(g)
    keys = pd.MultiIndex.from_arrays([src, tgt, types_])
    edge_of, uniques = pd.factorize(keys)
    m = len(uniques)
    count = np.bincount(edge_of, minlength=m)
    gsum = np.bincount(edge_of, weights=np.where(has_g, g, 0.0), minlength=m)
    gn = np.bincount(edge_of, weights=has_g, minlength=m).astype(np.int64)
    first_row = np.full(m, n, dtype=np.int64)
    np.minimum.at(first_row, edge_of, np.arange(n))
    quad = frame["quad_class"].to_numpy()
    ids = np.array([f"{a}|{b}|{t}" for a, b, t in uniques], dtype=object)
    order = np.argsort(ids, kind="stable")
    edges_total = m
    if max_edges is not None and m > max_edges:  # the busiest, then in id order as ever
        busiest = np.lexsort((ids, -count))[:max_edges]
        order = busiest[np.argsort(ids[busiest], kind="stable")]
    chosen = np.zeros(m, dtype=bool)
    chosen[order] = True
    # the newest `sample` statements of every chosen edge: by (edge, date, id) and the last of each edge
    day = frame["date"].to_numpy("datetime64[D]").astype(np.int64)
    undated = frame["date"].isna().to_numpy()
    day_key = np.where(undated, np.iinfo(np.int64).min, day)  # undated first, as date.min
    rows = np.flatnonzero(chosen[edge_of])
    st_ids = frame["id"].to_numpy(dtype=object)
    sorted_rows = rows[np.lexsort((st_ids[rows].astype(str), day_key[rows], edge_of[rows]))]
    e_sorted = edge_of[sorted_rows]
    rank_from_end = np.empty(len(sorted_rows), dtype=np.int64)
    if len(sorted_rows):
        starts = np.r_[0, np.flatnonzero(np.diff(e_sorted)) + 1]
        sizes = np.diff(np.r_[starts, len(sorted_rows)])
        rank_from_end = np.repeat(starts + sizes, sizes) - np.arange(len(sorted_rows)) - 1
    kept_rows = sorted_rows[rank_from_end < sample]
    # every statement's (edge, day, modality) counts, for the filters
    modality = frame["modality"].to_numpy(dtype=object)
    cells = pd.DataFrame({"edge": edge_of[rows], "day": np.where(undated, -1, day)[rows],
                          "modality": modality[rows], "n": 1, "gsum": np.where(has_g, g, 0.0)[rows],
                          "gn": has_g[rows].astype(np.int64)})
    cells = cells.groupby(["edge", "day", "modality"], sort=True).sum()
    cells_of: dict[int, list[tuple]] = defaultdict(list)
    epoch = date(1970, 1, 1).toordinal()
    for (e, d, mod), cnt, gs, gc in zip(cells.index, cells["n"], cells["gsum"], cells["gn"], strict=True):
        cells_of[int(e)].append((date.fromordinal(epoch + int(d)) if d >= 0 else None, mod, int(cnt), float(gs),
                                 int(gc)))
    statements_of: dict[int, list[EdgeStatement]] = defaultdict(list)
    columns = {c: frame[c].to_numpy(dtype=object)[kept_rows] for c in (
        "id", "modality", "sentence", "network_outlet", "article_id", "rule", "killed", "killed_at_least", "injured",
        "injured_at_least")}
    dates = frame["date"].to_numpy()[kept_rows]
    for j, r in enumerate(kept_rows):
        e = int(edge_of[r])
        statements_of[e].append(EdgeStatement(
            id=columns["id"][j], date=None if undated[r] else pd.Timestamp(dates[j]).date(), type=types_[r],
            modality=columns["modality"][j], goldstein=float(g[r]) if has_g[r] else None,
            sentence=_text(columns["sentence"][j]), outlet=_text(columns["network_outlet"][j]),
            article_id=_text(columns["article_id"][j]), rule=_text(columns["rule"][j]),
            casualties=_casualties(columns["killed"][j], columns["killed_at_least"][j], columns["injured"][j],
                                   columns["injured_at_least"][j])))
    edges = []
    for e in order:
        a, b, t = uniques[e]
        kind = known.get(t)
        q = int(quad[first_row[e]])
        edge = NetworkEdge(id=ids[e], source=a, target=b, type=t, quad_class=q if q else kind and kind.quad_class,
                           symmetric=bool(kind and kind.symmetric), count=int(count[e]),
                           goldstein_sum=float(gsum[e]), goldstein_n=int(gn[e]), statements=statements_of[int(e)])
        if edge.count > len(edge.statements):
            edge.cells = cells_of[int(e)]
        edges.append(edge)
        nodes[a].degree += edge.count
        if b != a:
            nodes[b].degree += edge.count
    shown = {e.source for e in edges} | {e.target for e in edges}
    ordered_nodes = sorted((v for v in nodes.values() if v.id in shown), key=lambda v: (-v.degree, v.id))
    return NetworkData(ordered_nodes, edges, edges_total=edges_total, sample=sample)


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def _casualties(killed, killed_at_least, injured, injured_at_least) -> str:
    """casualty_label of a frame row (NaN: not told)."""
    parts = []
    for count, at_least, what in ((killed, killed_at_least, "killed"), (injured, injured_at_least, "injured")):
        if count is not None and count == count:
            parts.append(f"{'at least ' if at_least else ''}{int(count)} {what}")
    return ", ".join(parts)


# ---------------------------------------------------------------------------------------------
# Rendering


def goldstein_colour(mean: float | None) -> str:
    """Red (-10, conflict) through pale yellow (0) to green (+10, cooperation); grey when unknown.

    The page's JS uses the same stops (gkColour) when filters change the mean."""
    if mean is None:
        return "#9e9e9e"
    t = max(-1.0, min(1.0, mean / 10.0))
    lo, mid, hi = (0xD7, 0x30, 0x27), (0xF2, 0xD3, 0x5B), (0x1A, 0x98, 0x50)
    a, b, u = (mid, hi, t) if t >= 0 else (mid, lo, -t)
    return "#" + "".join(f"{round(x + (y - x) * u):02x}" for x, y in zip(a, b, strict=True))


def json_for_script(value) -> str:
    """JSON safe inside <script type="application/json">: no '<', '>' or '&' can end the block."""
    from ..serialize import jsonable

    # strict JSON (NaN -> null): the page reads it with JSON.parse, which refuses NaN
    text = json.dumps(jsonable(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def is_large(data: NetworkData, large: bool | None = None) -> bool:
    """Whether the page uses the large-graph settings (None: decide by node count)."""
    return len(data.nodes) > LARGE_GRAPH_NODES if large is None else large


def to_pyvis(data: NetworkData, large: bool | None = None):
    """The network as a pyvis Network (nodes styled by kind, edges by Goldstein), for notebook use
    and as the source of the node/edge records the page embeds."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    large = is_large(data, large)
    positions = _positions(data) if large else {}
    for n in data.nodes:
        colour, shape = KIND_STYLE.get(n.kind, KIND_STYLE["other"])
        extra = {"x": positions[n.id][0], "y": positions[n.id][1]} if large else {}
        # size by sqrt(weighted degree): vis scales linearly, and one hub would shrink everyone else
        net.add_node(n.id, label=n.label, shape=shape, color=colour, value=round(max(n.degree, 1) ** 0.5, 3),
                     kind=n.kind, country=n.country or "", degree=n.degree, **extra)
    # pyvis's add_edge scans every node and edge per call (quadratic); the records are the same dicts.
    pair_rank: dict[frozenset, int] = defaultdict(int)
    for e in data.edges:
        record = {"id": e.id, "from": e.source, "to": e.target, "type": e.type, "count": e.count,
                  "gmean": e.goldstein_mean, "value": e.count, "color": goldstein_colour(e.goldstein_mean),
                  "arrows": "" if e.symmetric else "to"}
        if not large:  # separate parallel edges of one pair by curvature
            rank = pair_rank[frozenset((e.source, e.target))]
            pair_rank[frozenset((e.source, e.target))] += 1
            record["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.08 + 0.12 * rank}
        net.edges.append(record)
    return net


def _positions(data: NetworkData) -> dict[str, tuple[float, float]]:
    """Precomputed layout (graphkit.viz.layout) so large pages start with physics off."""
    from .layout import force_layout

    index = {n.id: i for i, n in enumerate(data.nodes)}
    pairs: dict[tuple[int, int], int] = defaultdict(int)
    for e in data.edges:
        a, b = sorted((index[e.source], index[e.target]))
        if a != b:
            pairs[(a, b)] += e.count
    scale = 60.0 * len(data.nodes) ** 0.5  # room for every node at the default zoom-to-fit
    xy = force_layout(len(index), list(pairs), list(pairs.values()), scale=scale)
    return {n.id: (round(float(xy[i, 0]), 1), round(float(xy[i, 1]), 1)) for i, n in enumerate(data.nodes)}


def page_data(data: NetworkData, title: str, large: bool | None = None) -> dict:
    """Everything the page's script needs, compact: statements as arrays pointing at their edge."""
    net = to_pyvis(data, large)
    cells = [_edge_cells(e) for e in data.edges]
    dates = sorted({c[0] for edge_cells in cells for c in edge_cells if c[0]})
    day0 = dates[0] if dates else None
    types_ = sorted({e.type for e in data.edges})
    modalities = sorted({c[1] for edge_cells in cells for c in edge_cells})
    rows = []
    for index, e in enumerate(data.edges):
        for s in e.statements:
            rows.append([index, (s.date - day0).days if s.date and day0 else -1, modalities.index(s.modality),
                         s.goldstein, s.date.isoformat() if s.date else "", s.sentence or "", s.outlet or "",
                         s.article_id or "", s.rule or "", s.id, s.casualties])
    # what the filters count: every statement of every edge, by (edge, day, modality)
    counts = [[index, (d - day0).days if d and day0 else -1, modalities.index(mod), n, round(gs, 6), gn]
              for index, edge_cells in enumerate(cells) for d, mod, n, gs, gn in edge_cells]
    keep = ("id", "label", "shape", "color", "value", "kind", "country", "degree", "x", "y")
    return {
        "meta": {
            "title": title,
            "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "since": data.since.isoformat() if data.since else None,
            "until": data.until.isoformat() if data.until else None,
            "focus": data.focus, "hops": data.hops,
            "day0": day0.isoformat() if day0 else None,
            "days": (dates[-1] - day0).days if dates else 0,
            "large": is_large(data, large),
            "statements": data.statement_count,
            "edges_total": data.edges_total if data.edges_total is not None else len(data.edges),
            "sample": data.sample,
        },
        "kinds": {k: {"color": c, "shape": s} for k, (c, s) in KIND_STYLE.items()},
        "types": types_,
        "modalities": modalities,
        "nodes": [{k: n.get(k) for k in keep} for n in net.nodes],
        "edges": net.edges,
        "statements": rows,
        "cells": counts,
    }


def _edge_cells(edge: NetworkEdge) -> list[tuple]:
    """(date, modality, count, goldstein sum, goldstein n) groups of all the edge's statements."""
    if edge.cells is not None:
        return edge.cells
    groups: dict[tuple, list] = {}
    for s in edge.statements:
        cell = groups.setdefault((s.date, s.modality), [0, 0.0, 0])
        cell[0] += 1
        if s.goldstein is not None:
            cell[1] += s.goldstein
            cell[2] += 1
    return [(d, mod, n, gs, gn) for (d, mod), (n, gs, gn) in groups.items()]


def _template_env():
    import jinja2
    import pyvis

    here = Path(__file__).parent / "templates"
    pyvis_templates = Path(pyvis.__file__).parent / "templates"
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(here), jinja2.FileSystemLoader(pyvis_templates)]),
        autoescape=True,
    )


def network_html(data: NetworkData, title: str = "graphkit network", large: bool | None = None) -> str:
    template = _template_env().get_template("network.html")
    return template.render(title=title, data_json=json_for_script(page_data(data, title, large)))


def render_network(data: NetworkData, path: str | Path, title: str = "graphkit network",
                   large: bool | None = None) -> Path:
    """Write the self-contained page to path (parent folders created).

    large: force the large-graph settings (precomputed layout, no physics, straight edges) on or
    off; by default they apply above LARGE_GRAPH_NODES actors."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, network_html(data, title, large))  # whole or not at all (graphkit.outputs)
    return path
