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
                    include_modalities: Iterable[str] = (), exact_limit: int = EXACT_LIMIT,
                    min_statements: int = 1) -> list[Window]:
    """Signed graph, factions and summary per period (one window for all when freq is None);
    pairs with fewer than `min_statements` statements in a window are left out of it."""
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
        g = signed_graph(part, include_modalities=("all",), min_statements=min_statements)
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



# ---------------------------------------------------------------- factions with evidence

#: Actor kinds that are organs of a state: at the "side" level they count as the state itself.
STATE_ORGANS = ("state", "government", "military", "police")


def rollup_sides(frame: pd.DataFrame, rollup: Rollup | None, kind_of=None) -> pd.DataFrame:
    """Actors as the sides of a conflict: each actor's organisation, except that a state's own
    government, forces and police (and the people serving in them) are the state.

    Parameters
    ----------
    rollup : callable
        ``rollup(actor, level, on)`` (the registry's ``Registry.rollup``).
    kind_of : callable, optional
        ``kind_of(actor_id) -> kind | None`` (the registry's actor kinds); an actor it does not
        know keeps the kind its statements carry (``source_kind``/``target_kind``).

    Examples
    --------
    >>> from graphkit.analysis.frame import frame_from_columns
    >>> df = frame_from_columns({"source": ["USAMIL", "IRQ.KH"], "target": ["IRQ.KH", "USA"],
    ...     "date": ["2024-01-01"] * 2, "source_country": ["USA", "IRQ"], "target_country": ["IRQ", "USA"],
    ...     "source_kind": ["military", "militia"], "target_kind": ["militia", "state"]})
    >>> org = {"IRQ.KH": "IRQ.PMF"}
    >>> kinds = {"IRQ.PMF": "militia", "USAMIL": "military", "USA": "state"}
    >>> rollup_sides(df, lambda a, lvl, on: org.get(a), kinds.get)[["source", "target"]].values.tolist()
    [['USA', 'IRQ.PMF'], ['IRQ.PMF', 'USA']]
    """
    if frame.empty:
        return frame
    org = rollup_frame(frame, "organisation", rollup)
    country = rollup_frame(frame, "country", rollup)
    out = org.copy()
    for end in ("source", "target"):
        own_kind = frame[f"{end}_kind"] if f"{end}_kind" in frame else pd.Series(None, index=frame.index)
        kinds = []
        for org_id, original, kind in zip(org[end], frame[end], own_kind, strict=True):
            known = kind_of(org_id) if kind_of is not None else None
            kinds.append(known if known is not None else (kind if org_id == original else None))
        organ = np.isin(np.array(kinds, dtype=object), STATE_ORGANS)
        out[end] = np.where(organ, country[end], org[end])
        out[f"{end}_name"] = np.where(organ, country[f"{end}_name"], org[f"{end}_name"])
    return out


@dataclass(slots=True)
class SupportedFactions:
    """Factions of a signed graph with how well the statements support each assignment."""

    graph: nx.Graph
    split: Factions
    support: dict[str, float]  # actor -> share of resamples keeping its relation to its component
    decided_by: dict[int, list[str]]  # component -> the triads (or ties) that decide its split
    resamples: int
    min_statements: int
    threshold: float

    def camps(self, names: dict[str, str] | None = None) -> list[dict]:
        """One row per camp: members supported at `threshold` (others hidden and counted)."""
        names = names or {}
        rows = []
        for component, camp, members in self.split.members():
            shown = [m for m in members if self.support[m] >= self.threshold]
            hidden = len(members) - len(shown)
            if not shown:
                rows.append({"group": component, "camp": camp, "size": 0, "support": None, "hidden": hidden,
                             "actors": "", "names": "", "members": [], "decided_by": ""})
                continue
            ranked = sorted(shown, key=lambda m: (-self.support[m], m))
            rows.append({
                "group": component, "camp": camp, "size": len(shown),
                "support": round(float(np.mean([self.support[m] for m in shown])), 3), "hidden": hidden,
                "actors": ", ".join(ranked), "names": ", ".join(names.get(m, self.graph.nodes[m].get("name", m))
                                                                for m in ranked),
                "members": [{"id": m, "name": names.get(m, self.graph.nodes[m].get("name", m)),
                             "support": round(self.support[m], 3)} for m in ranked],
                "decided_by": "; ".join(self.decided_by.get(component, [])[:3]),
            })
        return [r for r in rows if r["size"] > 0 or r["hidden"]]


def supported_factions(rows: pd.DataFrame, *, min_statements: int = 2, resamples: int = 200,
                       threshold: float = 0.7, seed: int = 0, exact_limit: int = EXACT_LIMIT) -> SupportedFactions:
    """Factions from the dyads with at least `min_statements` statements, with their support.

    The support of an actor's camp is the share of `resamples` bootstrap resamples of the
    statements (drawn with replacement, the graph and its partition rebuilt each time) in
    which the actor keeps its relation -- same camp or opposite camp -- to each other actor
    of its component; an actor missing from a resample, or cut off from the other, counts as
    not kept. Camps list only actors supported at `threshold` (the rest are counted as
    hidden). Each component's split is explained by the balanced triads across it, else by
    the hostile ties between its camps, busiest first.

    `rows` is a selected statements frame (see :func:`select`, :func:`rollup_sides`).

    Examples
    --------
    >>> from graphkit.analysis.frame import frame_from_columns
    >>> pairs = [("A", "B", 3.0), ("A", "C", -5.0), ("B", "C", -5.0)] * 4
    >>> df = frame_from_columns({"source": [p[0] for p in pairs], "target": [p[1] for p in pairs],
    ...                          "date": ["2024-01-01"] * 12, "goldstein": [p[2] for p in pairs]})
    >>> sf = supported_factions(df, resamples=50)
    >>> [(r["actors"], r["support"]) for r in sf.camps()]
    [('A, B', 1.0), ('C', 1.0)]
    """
    rows = rows[rows["source"] != rows["target"]]
    g = signed_graph(rows, include_modalities=("all",), min_statements=min_statements)
    split = factions(g, exact_limit)
    support = {n: 0.0 for n in g}
    if g.number_of_edges():
        a = rows["source"].to_numpy(dtype=object)
        b = rows["target"].to_numpy(dtype=object)
        lo, hi = np.where(a <= b, a, b), np.where(a <= b, b, a)
        pair_codes, pairs = pd.MultiIndex.from_arrays([lo, hi]).factorize()
        gold = np.nan_to_num(rows["goldstein"].to_numpy(np.float64))
        ends = list(pairs)
        rng = np.random.default_rng(seed)
        nodes = sorted(g)
        comp = split.component
        partners = {n: [m for m in nodes if m != n and comp[m] == comp[n]] for n in nodes}
        kept = {n: 0 for n in nodes}
        for _ in range(resamples):
            weight = rng.multinomial(len(rows), np.full(len(rows), 1 / len(rows)))
            count = np.bincount(pair_codes, weights=weight, minlength=len(pairs))
            total = np.bincount(pair_codes, weights=weight * gold, minlength=len(pairs))
            edges = [(ends[i][0], ends[i][1], 1 if total[i] > 0 else -1) for i in range(len(pairs))
                     if count[i] >= min_statements and total[i] != 0]
            gb = graph_from_signs(edges)
            fb = factions(gb, exact_limit) if gb.number_of_edges() else None
            for n in nodes:
                for m in partners[n]:
                    if fb is None or n not in fb.camp or m not in fb.camp or fb.component[n] != fb.component[m]:
                        continue
                    if (fb.camp[n] == fb.camp[m]) == (split.camp[n] == split.camp[m]):
                        kept[n] += 1
        for n in nodes:
            support[n] = kept[n] / (resamples * len(partners[n])) if partners[n] else 0.0
    return SupportedFactions(g, split, support, _deciders(g, split), resamples, min_statements, threshold)


def _deciders(g: nx.Graph, split: Factions) -> dict[int, list[str]]:
    """Per component: the balanced triads with a tie across the split (busiest first), else the
    ties across it, else (one camp) the ties within it, as readable strings ('A + B (3), A − C (4), B − C (2)')."""
    def tie(u: str, v: str) -> str:
        d = g[u][v]
        sign = "+" if d["sign"] > 0 else "−"
        return f"{g.nodes[u].get('name', u)} {sign} {g.nodes[v].get('name', v)} ({d['statements']})"

    by_triads: dict[int, list[tuple[int, str]]] = {}
    for t in triads(g):
        u, v, w = t.nodes
        if t.balanced and len({split.camp[u], split.camp[v], split.camp[w]}) > 1:
            weight = min(g[u][v]["statements"], g[u][w]["statements"], g[v][w]["statements"])
            by_triads.setdefault(split.component[u], []).append((weight, f"{tie(u, v)}, {tie(u, w)}, {tie(v, w)}"))
    by_ties: dict[int, list[tuple[int, str]]] = {}
    within: dict[int, list[tuple[int, str]]] = {}  # a component in one camp: the ties that hold it
    for u, v, d in g.edges(data=True):
        if split.camp[u] != split.camp[v]:
            by_ties.setdefault(split.component[u], []).append((d["statements"], tie(u, v)))
        else:
            within.setdefault(split.component[u], []).append((d["statements"], tie(u, v)))
    result = {}
    for c in set(by_triads) | set(by_ties) | set(within):
        items = by_triads.get(c) or by_ties.get(c) or within.get(c, [])
        result[c] = [text for _, text in sorted(items, key=lambda x: (-x[0], x[1]))]
    return result
