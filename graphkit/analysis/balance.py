"""Signed networks: structural balance, factions and how they shift between windows.

An edge between two actors is signed by the net Goldstein score of everything they
did to each other in the window (positive: cooperation outweighs conflict). A triad
is balanced when the product of its three signs is positive ("the enemy of my enemy
is my friend"); the frustration of a 2-partition counts the edges it violates
(a negative edge inside a faction, a positive edge across factions). The frustration
index is the minimum over all partitions (Harary; Aref & Wilson 2018).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import networkx as nx
import numpy as np
import pandas as pd

from .frame import Rollup, actor_names, rollup_frame, select
from .series import period_codes, period_starts

# Components up to this many actors are partitioned by exhaustive search.
EXACT_LIMIT = 18


def signed_graph(frame: pd.DataFrame, *, since: date | str | None = None, until: date | str | None = None,
                 level: str = "actor", rollup: Rollup | None = None, include_modalities: Iterable[str] = (),
                 weight: str | None = None, min_statements: int = 1) -> nx.Graph:
    """The undirected signed graph of a window.

    Returns
    -------
    networkx.Graph
        Nodes carry ``name``; edges carry ``goldstein`` (net sum), ``statements``,
        ``conflict``/``cooperation`` counts and ``sign`` (+1/-1). Pairs whose net
        Goldstein is exactly 0, self-loops, and pairs with fewer than `min_statements`
        statements are left out.

    Examples
    --------
    >>> from graphkit.analysis.frame import frame_from_columns
    >>> df = frame_from_columns({"source": ["USA", "IRQGOV"], "target": ["IRQ.PMF", "USA"],
    ...                          "date": ["2023-12-25", "2023-12-26"], "goldstein": [-10.0, 3.0]})
    >>> sorted((*sorted((u, v)), d["sign"]) for u, v, d in signed_graph(df).edges(data=True))
    [('IRQ.PMF', 'USA', -1), ('IRQGOV', 'USA', 1)]
    """
    rows = rollup_frame(select(frame, since=since, until=until, include_modalities=include_modalities),
                        level, rollup)
    names = actor_names(rows) if len(rows) else {}
    g = nx.Graph()
    if rows.empty:
        return g
    a = rows["source"].to_numpy(dtype=object)
    b = rows["target"].to_numpy(dtype=object)
    lo = np.where(a <= b, a, b)
    hi = np.where(a <= b, b, a)
    w = rows["mentions"].to_numpy(np.float64) if weight == "mentions" else np.ones(len(rows))
    quad = rows["quad_class"].to_numpy()
    agg = pd.DataFrame({"u": lo, "v": hi, "goldstein": np.nan_to_num(rows["goldstein"].to_numpy(np.float64)) * w,
                        "statements": 1, "conflict": w * ((quad == 3) | (quad == 4)),
                        "cooperation": w * ((quad == 1) | (quad == 2))})
    agg = agg[agg["u"] != agg["v"]].groupby(["u", "v"], sort=True).sum().reset_index()
    for row in agg.itertuples(index=False):
        if row.statements < min_statements or row.goldstein == 0:
            continue
        for node in (row.u, row.v):
            if node not in g:
                g.add_node(node, name=names.get(node, node))
        g.add_edge(row.u, row.v, goldstein=float(row.goldstein), statements=int(row.statements),
                   conflict=float(row.conflict), cooperation=float(row.cooperation),
                   sign=1 if row.goldstein > 0 else -1)
    return g


def graph_from_signs(edges: Iterable[tuple[str, str, int]]) -> nx.Graph:
    """A signed graph from (u, v, sign) triples, for hand-built examples.

    Examples
    --------
    >>> graph_from_signs([("A", "B", 1), ("B", "C", -1)]).edges["B", "C"]["sign"]
    -1
    """
    g = nx.Graph()
    for u, v, sign in edges:
        g.add_edge(u, v, sign=1 if sign > 0 else -1, goldstein=float(sign))
    return g


@dataclass(frozen=True, slots=True)
class Triad:
    nodes: tuple[str, str, str]
    signs: tuple[int, int, int]  # of (n0,n1), (n0,n2), (n1,n2)

    @property
    def balanced(self) -> bool:
        return self.signs[0] * self.signs[1] * self.signs[2] > 0


def triads(g: nx.Graph) -> list[Triad]:
    """Every closed triad (triangle) of a signed graph, nodes in sorted order.

    Examples
    --------
    >>> [t.balanced for t in triads(graph_from_signs([("A", "B", -1), ("B", "C", -1), ("A", "C", -1)]))]
    [False]
    """
    out = []
    for u in sorted(g):
        higher = {v for v in g[u] if v > u}
        for v in sorted(higher):
            for w in sorted(higher & {x for x in g[v] if x > v}):
                out.append(Triad((u, v, w), (g[u][v]["sign"], g[u][w]["sign"], g[v][w]["sign"])))
    return out


def frustration(g: nx.Graph, camp: dict[str, int]) -> list[tuple[str, str]]:
    """The edges a 2-partition violates: negative inside a camp, positive across camps."""
    bad = []
    for u, v, d in g.edges(data=True):
        same = camp[u] == camp[v]
        if (d["sign"] < 0 and same) or (d["sign"] > 0 and not same):
            bad.append((u, v) if u <= v else (v, u))
    return sorted(bad)


@dataclass(slots=True)
class Factions:
    """A 2-partition of a signed graph minimising frustration."""

    camp: dict[str, int]  # node -> 0 | 1 (per connected component; see `component`)
    component: dict[str, int]  # node -> connected component number (largest first)
    frustrated: list[tuple[str, str]]
    exact: bool  # True when every component was searched exhaustively
    method: str = "exact"

    @property
    def frustration_index(self) -> int:
        return len(self.frustrated)

    def members(self) -> list[tuple[int, int, list[str]]]:
        """(component, camp, sorted members) for every non-empty faction."""
        groups: dict[tuple[int, int], list[str]] = {}
        for node, c in self.camp.items():
            groups.setdefault((self.component[node], c), []).append(node)
        return [(k[0], k[1], sorted(v)) for k, v in sorted(groups.items())]


def factions(g: nx.Graph, exact_limit: int = EXACT_LIMIT, seed: int = 0) -> Factions:
    """Split each connected component into two camps with the fewest frustrated edges.

    Components with at most `exact_limit` actors are searched exhaustively (the answer
    is the frustration index); larger ones start from the sign of the leading
    eigenvector of the signed adjacency matrix and improve by single-actor moves until
    none helps (a local optimum; ``exact`` is then False). Camp 0 of a component is the
    one holding its alphabetically first actor, so results are stable.

    Examples
    --------
    >>> f = factions(graph_from_signs([("A", "B", 1), ("C", "D", 1), ("A", "C", -1), ("B", "D", -1)]))
    >>> f.members(), f.frustration_index
    ([(0, 0, ['A', 'B']), (0, 1, ['C', 'D'])], 0)
    """
    camp: dict[str, int] = {}
    component: dict[str, int] = {}
    exact = True
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    for number, nodes in enumerate(comps):
        sub = g.subgraph(nodes)
        if len(nodes) <= exact_limit:
            best = _exact_partition(sub, nodes)
        else:
            exact = False
            best = _local_partition(sub, nodes, seed)
        flip = best[nodes[0]]
        for node in nodes:
            camp[node] = best[node] ^ flip
            component[node] = number
    return Factions(camp, component, frustration(g, camp), exact, "exact" if exact else "spectral+local")


def _exact_partition(g: nx.Graph, nodes: list[str]) -> dict[str, int]:
    n = len(nodes)
    if n == 1:
        return {nodes[0]: 0}
    index = {v: i for i, v in enumerate(nodes)}
    us = np.array([index[u] for u, v in g.edges()], dtype=np.int64)
    vs = np.array([index[v] for u, v in g.edges()], dtype=np.int64)
    signs = np.array([d["sign"] for _, _, d in g.edges(data=True)], dtype=np.int64)
    # Node 0 fixed in camp 0 (the mirror partition is the same split): 2^(n-1) candidates,
    # scored in blocks as bit matrices.
    best_mask, best_cost = 0, None
    total = 1 << (n - 1)
    block = 1 << 14
    for start in range(0, total, block):
        masks = np.arange(start, min(start + block, total), dtype=np.int64) << 1
        bit_u = (masks[:, None] >> us[None, :]) & 1
        bit_v = (masks[:, None] >> vs[None, :]) & 1
        same = bit_u == bit_v
        cost = ((signs < 0) & same).sum(axis=1) + ((signs > 0) & ~same).sum(axis=1)
        i = int(cost.argmin())
        if best_cost is None or cost[i] < best_cost:
            best_cost, best_mask = int(cost[i]), int(masks[i])
    return {v: (best_mask >> i) & 1 for v, i in index.items()}


def _local_partition(g: nx.Graph, nodes: list[str], seed: int) -> dict[str, int]:
    index = {v: i for i, v in enumerate(nodes)}
    n = len(nodes)
    a = np.zeros((n, n))
    for u, v, d in g.edges(data=True):
        a[index[u], index[v]] = a[index[v], index[u]] = d["sign"]
    values, vectors = np.linalg.eigh(a)
    lead = vectors[:, int(values.argmax())]
    side = np.where(lead >= 0, 1.0, -1.0)
    # Local search on +/-1 labels: moving i changes frustration by side_i * (A @ side)_i.
    rng = np.random.default_rng(seed)
    improved = True
    while improved:
        improved = False
        for i in rng.permutation(n):
            if side[i] * float(a[i] @ side) < 0:
                side[i] = -side[i]
                improved = True
    return {v: int(side[i] < 0) for v, i in index.items()}


def balance_summary(g: nx.Graph, f: Factions | None = None) -> dict:
    """Counts for one window: actors, edges (+/-), triads, balanced share, frustration."""
    f = f or factions(g)
    ts = triads(g)
    edges = g.number_of_edges()
    positive = sum(1 for _, _, d in g.edges(data=True) if d["sign"] > 0)
    balanced = sum(t.balanced for t in ts)
    return {
        "actors": g.number_of_nodes(), "edges": edges, "positive": positive, "negative": edges - positive,
        "triads": len(ts), "balanced_triads": balanced,
        "balanced_share": round(balanced / len(ts), 4) if ts else None,
        "frustration": f.frustration_index,
        "frustration_share": round(f.frustration_index / edges, 4) if edges else None,
        "exact": f.exact, "factions": len(f.members()),
    }


@dataclass(slots=True)
class Window:
    start: pd.Timestamp
    graph: nx.Graph
    factions: Factions
    summary: dict = field(default_factory=dict)


def balance_windows(frame: pd.DataFrame, *, freq: str | None = "M", since=None, until=None,
                    level: str = "actor", rollup: Rollup | None = None,
                    include_modalities: Iterable[str] = (), exact_limit: int = EXACT_LIMIT) -> list[Window]:
    """Signed graph, factions and summary per period (one window for all when freq is None)."""
    rows = select(frame, since=since, until=until, include_modalities=include_modalities)
    rows = rollup_frame(rows, level, rollup)
    if rows.empty:
        return []
    if freq is None:
        groups = [(rows["date"].min(), rows)]
    else:
        codes = period_codes(rows["date"], freq)
        first = int(codes.min()) if since is None else int(period_codes(pd.Series([pd.Timestamp(since)]), freq)[0])
        last = int(codes.max()) if until is None else int(period_codes(pd.Series([pd.Timestamp(until)]), freq)[0])
        starts = period_starts(np.arange(first, last + 1), freq)
        groups = [(starts[i], rows[codes == first + i]) for i in range(last - first + 1)]
    windows = []
    for start, part in groups:
        g = signed_graph(part, include_modalities=("all",))
        f = factions(g, exact_limit)
        windows.append(Window(pd.Timestamp(start), g, f, {"window": pd.Timestamp(start).date(),
                                                          **balance_summary(g, f)}))
    return windows


def align_camps(previous: dict[str, int], current: dict[str, int]) -> dict[str, int]:
    """Relabel `current` camps (0/1) to agree with `previous` on as many shared actors as possible."""
    shared = [n for n in current if n in previous]
    agree = sum(previous[n] == current[n] for n in shared)
    if agree * 2 >= len(shared):
        return dict(current)
    return {n: 1 - c for n, c in current.items()}


def faction_changes(windows: list[Window]) -> pd.DataFrame:
    """Actors whose camp changed between consecutive windows (camps aligned first).

    Returns
    -------
    DataFrame
        window, actor, name, camp_before, camp_after, plus ``joined``/``left`` rows for
        actors entering or leaving the signed graph.
    """
    rows = []
    previous: dict[str, int] | None = None
    for w in windows:
        current = w.factions.camp
        if previous is not None:
            current = align_camps(previous, current)
            for actor in sorted(set(previous) | set(current)):
                before, after = previous.get(actor), current.get(actor)
                if before == after:
                    continue
                change = "joined" if before is None else "left" if after is None else "switched"
                rows.append({"window": w.start.date(), "actor": actor,
                             "name": w.graph.nodes[actor].get("name", actor) if actor in w.graph else actor,
                             "change": change, "camp_before": before, "camp_after": after})
        previous = current
    return pd.DataFrame(rows, columns=["window", "actor", "name", "change", "camp_before", "camp_after"])


def unbalanced_triads(g: nx.Graph) -> pd.DataFrame:
    """The unbalanced triads of a signed graph with their signs and net Goldstein per side."""
    rows = []
    for t in triads(g):
        if t.balanced:
            continue
        a, b, c = t.nodes
        rows.append({"a": a, "b": b, "c": c,
                     "names": " / ".join(g.nodes[n].get("name", n) for n in t.nodes),
                     "ab": t.signs[0], "ac": t.signs[1], "bc": t.signs[2],
                     "goldstein_ab": g[a][b].get("goldstein"), "goldstein_ac": g[a][c].get("goldstein"),
                     "goldstein_bc": g[b][c].get("goldstein")})
    return pd.DataFrame(rows, columns=["a", "b", "c", "names", "ab", "ac", "bc", "goldstein_ab", "goldstein_ac",
                                       "goldstein_bc"])

