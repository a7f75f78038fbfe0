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


@dataclass(frozen=True, slots=True)
class SignedEdges:
    """A signed graph as arrays: nodes in sorted order, each edge once with u < v (node indices).

    Every count below is computed on these arrays and the sparse matrices built from them, so
    a window with millions of triangles costs matrix products, not one object per triangle.
    """

    nodes: list[str]
    u: np.ndarray  # int64
    v: np.ndarray  # int64
    sign: np.ndarray  # int64, +1 / -1
    statements: np.ndarray  # int64 (1 where the graph does not say)

    @classmethod
    def of(cls, g: nx.Graph) -> SignedEdges:
        nodes = sorted(g)
        index = {v: i for i, v in enumerate(nodes)}
        m = g.number_of_edges()
        u, v = np.empty(m, np.int64), np.empty(m, np.int64)
        sign, statements = np.empty(m, np.int64), np.empty(m, np.int64)
        for k, (a, b, d) in enumerate(g.edges(data=True)):
            i, j = index[a], index[b]
            u[k], v[k] = (i, j) if i < j else (j, i)
            sign[k] = 1 if d["sign"] > 0 else -1
            statements[k] = d.get("statements", 1)
        return cls(nodes, u, v, sign, statements)

    def matrix(self, values: np.ndarray | None = None, *, upper: bool = False):
        """The n x n sparse matrix holding `values` (default: the signs) at each edge, symmetric
        unless `upper` (then only at (u, v), u < v)."""
        from scipy.sparse import coo_matrix

        n = len(self.nodes)
        data = (self.sign if values is None else values).astype(np.float64)
        if upper:
            return coo_matrix((data, (self.u, self.v)), shape=(n, n)).tocsr()
        return coo_matrix((np.concatenate([data, data]), (np.concatenate([self.u, self.v]),
                                                          np.concatenate([self.v, self.u]))), shape=(n, n)).tocsr()


def _cycles3(m) -> float:
    """trace(M^3) of a symmetric sparse matrix: six times the signed (or plain) triangle sum.

    Dense BLAS for graphs that fit comfortably (a few thousand actors), else row blocks of the
    sparse product so memory stays bounded."""
    n = m.shape[0]
    if n <= 2500:
        d = m.toarray()
        return float(((d @ d) * d).sum())
    total = 0.0
    step = max(1, 2_000_000 // max(1, m.nnz // n))
    for start in range(0, n, step):
        block = m[start:start + step]
        total += float((block @ m).multiply(block).sum())
    return total


def triad_counts(g: nx.Graph | SignedEdges) -> tuple[int, int]:
    """(closed triads, balanced triads) of a signed graph, by matrix algebra: with S the signed
    and |S| the plain adjacency, triangles = trace(|S|^3) / 6 and balanced - unbalanced =
    trace(S^3) / 6.

    Examples
    --------
    >>> triad_counts(graph_from_signs([("A", "B", 1), ("B", "C", -1), ("A", "C", -1), ("C", "D", 1)]))
    (1, 1)
    """
    e = g if isinstance(g, SignedEdges) else SignedEdges.of(g)
    if len(e.u) < 3:
        return 0, 0
    signed = e.matrix()
    total = round(_cycles3(abs(signed)) / 6)
    net = round(_cycles3(signed) / 6)
    return total, (total + net) // 2


def _triangles(e: SignedEdges, keep: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every triangle (a < b < c, node indices) among the edges in `keep` (default all), as three
    arrays sorted by (a, b, c): for each edge (a, b) the common higher neighbours c, found by one
    element-wise product of sparse rows."""
    sub = e if keep is None else SignedEdges(e.nodes, e.u[keep], e.v[keep], e.sign[keep], e.statements[keep])
    if len(sub.u) < 3:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    up = sub.matrix(np.ones(len(sub.u)), upper=True)
    common = up[sub.u].multiply(up[sub.v]).tocoo()
    a, b, c = sub.u[common.row], sub.v[common.row], common.col.astype(np.int64)
    order = np.lexsort((c, b, a))
    return a[order], b[order], c[order]


def _edge_values(e: SignedEdges, values: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """values at the edges (i, j), i < j."""
    if not len(i):
        return np.zeros(0, values.dtype)
    up = e.matrix(values, upper=True)
    return np.asarray(up[i, j]).ravel().astype(values.dtype)


def triads(g: nx.Graph) -> list[Triad]:
    """Every closed triad (triangle) of a signed graph, nodes in sorted order. For counts use
    :func:`triad_counts`; this lists them, so it is for graphs of a modest size.

    Examples
    --------
    >>> [t.balanced for t in triads(graph_from_signs([("A", "B", -1), ("B", "C", -1), ("A", "C", -1)]))]
    [False]
    """
    e = SignedEdges.of(g)
    a, b, c = _triangles(e)
    s_ab, s_ac, s_bc = (_edge_values(e, e.sign, x, y) for x, y in ((a, b), (a, c), (b, c)))
    n = e.nodes
    return [Triad((n[i], n[j], n[k]), (int(x), int(y), int(z)))
            for i, j, k, x, y, z in zip(a.tolist(), b.tolist(), c.tolist(), s_ab.tolist(), s_ac.tolist(),
                                        s_bc.tolist(), strict=True)]


def _top_triads(e: SignedEdges, want, top: int, groups: np.ndarray | None = None,
                searched: np.ndarray | None = None, ties: bool = False):
    """The triads passing `want(a, b, c, s_ab, s_ac, s_bc)` (node indices and signs, arrays) with
    the most statements behind their weakest tie, at most `top` per group (`groups`: node ->
    group number, default one group; `searched`: bool per group, default every group).

    Exact without listing every triangle: the triads whose weakest tie has at least t statements
    are the triangles of the subgraph of ties with at least t statements, so t is lowered (the
    subgraph doubling each time) until a group has `top` of them or all its ties are read.
    Returns arrays (a, b, c, weight), by group, then weight (highest first), then nodes; with
    `ties`, also the triads as heavy as a group's last one (for the caller's own tie-break)."""
    groups = np.zeros(len(e.nodes), np.int64) if groups is None else groups
    n_groups = int(groups.max()) + 1 if len(groups) else 1
    done = np.zeros(n_groups, bool) if searched is None else ~np.asarray(searched, bool)
    weights = np.sort(e.statements)[::-1]
    edge_group = groups[e.u]
    done |= np.bincount(edge_group, minlength=n_groups) == 0
    parts = []
    k = 64
    while not done.all():
        everything = k >= len(weights)
        threshold = weights[min(k, len(weights)) - 1]
        a, b, c = _triangles(e, (e.statements >= threshold) & ~done[edge_group])
        if len(a):
            signs = [_edge_values(e, e.sign, x, y) for x, y in ((a, b), (a, c), (b, c))]
            w = np.minimum.reduce([_edge_values(e, e.statements, x, y) for x, y in ((a, b), (a, c), (b, c))])
            ok = want(a, b, c, *signs)
            a, b, c, w = a[ok], b[ok], c[ok], w[ok]
        else:
            w = np.zeros(0, np.int64)
        found = np.bincount(groups[a], minlength=n_groups)
        finished = ~done & ((found >= top) | everything)
        mine = finished[groups[a]]
        parts.append((a[mine], b[mine], c[mine], w[mine]))
        done |= finished
        k *= 2
    if not parts:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty, empty
    a, b, c, w = (np.concatenate(x) for x in zip(*parts, strict=True))
    g_of = groups[a]
    pick = np.lexsort((c, b, a, -w, g_of))
    a, b, c, w, g_of = a[pick], b[pick], c[pick], w[pick], g_of[pick]
    first = np.searchsorted(g_of, g_of)
    if ties:
        last = np.minimum(first + top, np.searchsorted(g_of, g_of, side="right")) - 1
        keep = w >= w[last]
    else:
        keep = np.arange(len(a)) - first < top
    return a[keep], b[keep], c[keep], w[keep]


def frustration(g: nx.Graph, camp: dict[str, int]) -> list[tuple[str, str]]:
    """The edges a 2-partition violates: negative inside a camp, positive across camps."""
    e = SignedEdges.of(g)
    return _frustrated(e, np.array([camp[n] for n in e.nodes], dtype=np.int64))


def _frustrated(e: SignedEdges, camp: np.ndarray) -> list[tuple[str, str]]:
    same = camp[e.u] == camp[e.v]
    bad = np.flatnonzero(((e.sign < 0) & same) | ((e.sign > 0) & ~same))
    bad = bad[np.lexsort((e.v[bad], e.u[bad]))]
    return [(e.nodes[i], e.nodes[j]) for i, j in zip(e.u[bad].tolist(), e.v[bad].tolist(), strict=True)]


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
    eigenvector of the signed adjacency matrix (scipy's sparse Lanczos solver beyond
    DENSE_EIGEN actors) and improve by single-actor moves until none helps (a local optimum;
    ``exact`` is then False); a move costs O(degree). Camp 0 of a component is the
    one holding its alphabetically first actor, so results are stable.

    Examples
    --------
    >>> f = factions(graph_from_signs([("A", "B", 1), ("C", "D", 1), ("A", "C", -1), ("B", "D", -1)]))
    >>> f.members(), f.frustration_index
    ([(0, 0, ['A', 'B']), (0, 1, ['C', 'D'])], 0)
    """
    e = SignedEdges.of(g)
    camp, component, exact = _split(len(e.nodes), e.u, e.v, e.sign, exact_limit, seed)
    return Factions(dict(zip(e.nodes, camp.tolist(), strict=True)), dict(zip(e.nodes, component.tolist(), strict=True)),
                    _frustrated(e, camp), exact, "exact" if exact else "spectral+local")


def _split(n: int, u: np.ndarray, v: np.ndarray, sign: np.ndarray, exact_limit: int,
           seed: int) -> tuple[np.ndarray, np.ndarray, bool]:
    """(camp, component, exact) per node 0..n-1 (nodes in sorted order) of the signed edges (u < v).

    Components are numbered largest first, ties by their first node; within a component nodes
    keep their order, so the result is the same as splitting each component on its own."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    camp = np.zeros(n, np.int64)
    if n == 0:
        return camp, camp.copy(), True
    adjacency = coo_matrix((np.ones(len(u)), (u, v)), shape=(n, n))
    count, labels = connected_components(adjacency, directed=False)
    sizes = np.bincount(labels, minlength=count)
    first = np.full(count, n)
    np.minimum.at(first, labels, np.arange(n))
    number = np.empty(count, np.int64)
    number[np.lexsort((first, -sizes))] = np.arange(count)
    component = number[labels]
    by_node = np.argsort(component, kind="stable")
    node_bounds = np.searchsorted(component[by_node], np.arange(count + 1))
    position = np.empty(n, np.int64)
    position[by_node] = np.arange(n) - node_bounds[component[by_node]]
    edge_component = component[u]
    by_edge = np.argsort(edge_component, kind="stable")
    edge_bounds = np.searchsorted(edge_component[by_edge], np.arange(count + 1))
    exact = True
    for c in range(count):
        members = by_node[node_bounds[c]:node_bounds[c + 1]]
        size = len(members)
        if size > exact_limit:
            exact = False
        if size == 1:
            continue
        es = by_edge[edge_bounds[c]:edge_bounds[c + 1]]
        lu, lv, ls = position[u[es]], position[v[es]], sign[es]
        if size <= exact_limit:
            side = _exact_partition(size, lu, lv, ls)
        else:
            side = _local_partition(size, lu, lv, ls, seed)
        camp[members] = side ^ side[0]
    return camp, component, exact


def _exact_partition(n: int, us: np.ndarray, vs: np.ndarray, signs: np.ndarray) -> np.ndarray:
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
    return (best_mask >> np.arange(n, dtype=np.int64)) & 1


#: Components up to this size get the dense symmetric eigensolver; larger ones scipy's Lanczos
#: (ARPACK: cost by ties, not actors cubed).
DENSE_EIGEN = 64


def _local_partition(n: int, us: np.ndarray, vs: np.ndarray, signs: np.ndarray, seed: int) -> np.ndarray:
    from scipy.sparse import coo_matrix

    data = signs.astype(np.float64)
    a = coo_matrix((np.concatenate([data, data]), (np.concatenate([us, vs]), np.concatenate([vs, us]))),
                   shape=(n, n)).tocsr()
    if n <= DENSE_EIGEN:
        values, vectors = np.linalg.eigh(a.toarray())
        lead = vectors[:, int(values.argmax())]
    else:
        lead = _leading_eigenvector(a, seed)
    side = np.where(lead >= 0, 1.0, -1.0)
    # Local search on +/-1 labels: moving i changes frustration by side_i * (A @ side)_i, so it
    # helps when that is negative. field = A @ side is kept up to date: a move touches only the
    # mover's neighbours (O(degree)), and the next candidate in the sweep's order is found by
    # one vectorised scan, so a sweep with no move costs one pass in numpy.
    field = a @ side
    indptr, indices, weights = a.indptr, a.indices, a.data
    rng = np.random.default_rng(seed)
    improved = True
    while improved:
        improved = False
        order = rng.permutation(n)
        rank = np.empty(n, np.int64)
        rank[order] = np.arange(n)
        bad = side[order] * field[order] < 0
        at = 0
        while True:
            ahead = np.flatnonzero(bad[at:])
            if not len(ahead):
                break
            p = at + int(ahead[0])
            i = order[p]
            side[i] = -side[i]
            near = indices[indptr[i]:indptr[i + 1]]
            field[near] += 2 * side[i] * weights[indptr[i]:indptr[i + 1]]
            bad[rank[near]] = side[near] * field[near] < 0
            bad[p] = False
            improved = True
            at = p + 1
    return (side < 0).astype(np.int64)


def _leading_eigenvector(a, seed: int) -> np.ndarray:
    """The eigenvector of the largest eigenvalue of a sparse symmetric matrix (ARPACK Lanczos);
    only its signs are used, so a loose tolerance is enough."""
    from scipy.sparse.linalg import ArpackNoConvergence, eigsh

    v0 = np.random.default_rng(seed).uniform(0.5, 1.5, a.shape[0])
    try:
        _, vectors = eigsh(a, k=1, which="LA", v0=v0, tol=1e-6, maxiter=a.shape[0] * 20)
    except ArpackNoConvergence as err:  # the best vector so far still gives a starting split
        if err.eigenvectors.shape[1] == 0:
            return v0
        vectors = err.eigenvectors
    return vectors[:, 0]


def balance_summary(g: nx.Graph, f: Factions | None = None) -> dict:
    """Counts for one window: actors, edges (+/-), triads, balanced share, frustration."""
    f = f or factions(g)
    e = SignedEdges.of(g)
    triad_total, balanced = triad_counts(e)
    edges = len(e.u)
    positive = int((e.sign > 0).sum())
    return {
        "actors": g.number_of_nodes(), "edges": edges, "positive": positive, "negative": edges - positive,
        "triads": triad_total, "balanced_triads": balanced,
        "balanced_share": round(balanced / triad_total, 4) if triad_total else None,
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


TRIAD_COLUMNS = ["a", "b", "c", "names", "ab", "ac", "bc", "goldstein_ab", "goldstein_ac", "goldstein_bc"]


def unbalanced_triads(g: nx.Graph, top: int | None = None) -> pd.DataFrame:
    """The unbalanced triads of a signed graph with their signs and net Goldstein per side.

    All of them in node order, or with `top` only the `top` with the most statements behind
    their weakest tie (found without listing the others, see :func:`_top_triads`).
    """
    e = SignedEdges.of(g)
    if top is None:
        a, b, c = _triangles(e)
        signs = [_edge_values(e, e.sign, x, y) for x, y in ((a, b), (a, c), (b, c))]
        bad = signs[0] * signs[1] * signs[2] < 0
        a, b, c = a[bad], b[bad], c[bad]
    else:
        a, b, c, _ = _top_triads(e, lambda a, b, c, x, y, z: x * y * z < 0, top)
    goldstein = np.array([g[e.nodes[i]][e.nodes[j]].get("goldstein", np.nan) for i, j in zip(e.u, e.v, strict=True)],
                         dtype=np.float64)
    rows = {"a": [e.nodes[i] for i in a], "b": [e.nodes[i] for i in b], "c": [e.nodes[i] for i in c]}
    rows["names"] = [" / ".join(g.nodes[n].get("name", n) for n in t)
                     for t in zip(rows["a"], rows["b"], rows["c"], strict=True)]
    for key, (x, y) in {"ab": (a, b), "ac": (a, c), "bc": (b, c)}.items():
        rows[key] = _edge_values(e, e.sign, x, y).tolist()
        rows[f"goldstein_{key}"] = _edge_values(e, goldstein, x, y).tolist()
    return pd.DataFrame(rows, columns=TRIAD_COLUMNS)


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
        org_ids = org[end].to_numpy(dtype=object)
        # the registry is asked once per organisation, not once per statement
        known = {a: kind_of(a) for a in pd.unique(org_ids)} if kind_of is not None else {}
        known_kind = np.array([known.get(a) for a in org_ids], dtype=object) if known else \
            np.full(len(org_ids), None, dtype=object)
        kinds = np.where(pd.notna(known_kind), known_kind,
                         np.where(org_ids == frame[end].to_numpy(dtype=object), own_kind.to_numpy(dtype=object), None))
        organ = np.isin(kinds, STATE_ORGANS)
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
        # Every actor of the statements, in sorted order (as factions() orders a graph's nodes):
        # a resample's graph is then split on index arrays with the same result as on its graph.
        actors = pd.Index(sorted(set(lo) | set(hi)))
        pair_u = actors.get_indexer(pairs.get_level_values(0))
        pair_v = actors.get_indexer(pairs.get_level_values(1))
        nodes = sorted(g)
        at = actors.get_indexer(nodes)
        comp = np.full(len(actors), -1, np.int64)
        comp[at] = [split.component[n] for n in nodes]
        camp = np.zeros(len(actors), np.int64)
        camp[at] = [split.camp[n] for n in nodes]
        partners = np.bincount(comp[at])[comp[at]] - 1  # the other actors of each actor's component
        kept = np.zeros(len(actors), np.int64)
        rng = np.random.default_rng(seed)
        for _ in range(resamples):
            weight = rng.multinomial(len(rows), np.full(len(rows), 1 / len(rows)))
            count = np.bincount(pair_codes, weights=weight, minlength=len(pairs))
            total = np.bincount(pair_codes, weights=weight * gold, minlength=len(pairs))
            chosen = (count >= min_statements) & (total != 0)
            if not chosen.any():
                continue
            eu, ev = pair_u[chosen], pair_v[chosen]
            present = np.zeros(len(actors), bool)
            present[eu] = present[ev] = True
            members = np.flatnonzero(present)
            local = np.full(len(actors), -1, np.int64)
            local[members] = np.arange(len(members))
            b_camp, b_comp, _ = _split(len(members), local[eu], local[ev], np.where(total[chosen] > 0, 1, -1),
                                       exact_limit, 0)
            # An actor keeps its relation to another when both are in one component of the resample
            # and (same camp there) == (same camp in the split): group by (component in the split,
            # component in the resample, camp there xor camp here) and count the others in the group.
            judged = comp[members] >= 0
            who = members[judged]
            key = (comp[who] * (int(b_comp.max()) + 1) + b_comp[judged]) * 2 + (b_camp[judged] ^ camp[who])
            _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
            kept[who] += counts[inverse] - 1
        share = np.where(partners > 0, kept[at] / (resamples * np.maximum(partners, 1)), 0.0)
        support = dict(zip(nodes, share.tolist(), strict=True))
    return SupportedFactions(g, split, support, _deciders(g, split), resamples, min_statements, threshold)


#: How many deciding triads (or ties) are named per component.
DECIDERS = 3


def _deciders(g: nx.Graph, split: Factions, top: int = DECIDERS) -> dict[int, list[str]]:
    """Per component: the `top` balanced triads with a tie across the split (busiest first: most
    statements on the weakest tie), else the ties across it, else (one camp) the ties within it,
    as readable strings ('A + B (3), A − C (4), B − C (2)')."""
    def tie(u: str, v: str) -> str:
        d = g[u][v]
        sign = "+" if d["sign"] > 0 else "−"
        return f"{g.nodes[u].get('name', u)} {sign} {g.nodes[v].get('name', v)} ({d['statements']})"

    e = SignedEdges.of(g)
    if not len(e.u):
        return {}
    camp = np.array([split.camp[n] for n in e.nodes], np.int64)
    comp = np.array([split.component[n] for n in e.nodes], np.int64)
    across = camp[e.u] != camp[e.v]
    # only a component with a tie across its split can have a triad across it
    searched = np.bincount(comp[e.u[across]], minlength=int(comp.max()) + 1) > 0

    def balanced_across(a, b, c, s_ab, s_ac, s_bc):
        return (s_ab * s_ac * s_bc > 0) & ~((camp[a] == camp[b]) & (camp[b] == camp[c]))

    a, b, c, w = _top_triads(e, balanced_across, top, comp, searched, ties=True)
    n = e.nodes
    by_triads: dict[int, list[tuple[int, str]]] = {}
    for i, j, k, weight in zip(a.tolist(), b.tolist(), c.tolist(), w.tolist(), strict=True):
        u, v, x = n[i], n[j], n[k]
        by_triads.setdefault(int(comp[i]), []).append((weight, f"{tie(u, v)}, {tie(u, x)}, {tie(v, x)}"))
    result = {c: [text for _, text in sorted(items, key=lambda x: (-x[0], x[1]))[:top]]
              for c, items in by_triads.items()}
    for c in np.unique(comp[e.u]).tolist():
        if c in result:
            continue
        in_c = comp[e.u] == c
        pick = in_c & across if (in_c & across).any() else in_c  # ties across it, else (one camp) within it
        idx = np.flatnonzero(pick)
        best = idx[np.argsort(-e.statements[idx], kind="stable")]
        cutoff = e.statements[best[min(top, len(best)) - 1]]
        items = [(int(e.statements[i]), tie(n[e.u[i]], n[e.v[i]])) for i in best if e.statements[i] >= cutoff]
        result[c] = [text for _, text in sorted(items, key=lambda x: (-x[0], x[1]))[:top]]
    return result
