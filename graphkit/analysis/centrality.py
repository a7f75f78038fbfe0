"""Who is central to the fighting, and who to the cooperating: centrality per layer.

The conflict layer holds QuadClass 3-4 statements, the cooperation layer QuadClass
1-2; each is a weighted directed graph (weight = number of statements, or mentions).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import networkx as nx
import numpy as np
import pandas as pd

from .frame import Rollup, actor_names, rollup_frame, select

LAYERS = {"conflict": (3, 4), "cooperation": (1, 2)}

CENTRALITY_COLUMNS = ("layer", "actor", "name", "out_strength", "in_strength", "degree", "betweenness", "pagerank")


def layer_graph(frame: pd.DataFrame, layer: str, weight: str | None = None) -> nx.DiGraph:
    """Directed graph of one layer; edge ``weight`` = statements (or mentions) source -> target.

    Examples
    --------
    >>> from graphkit.analysis.frame import frame_from_columns
    >>> df = frame_from_columns({"source": ["A", "A", "B"], "target": ["B", "B", "C"],
    ...                          "date": ["2024-01-01"] * 3, "quad_class": [4, 3, 1]})
    >>> list(layer_graph(df, "conflict").edges(data="weight"))
    [('A', 'B', 2.0)]
    """
    quads = LAYERS[layer]
    rows = frame[frame["quad_class"].isin(quads) & (frame["source"] != frame["target"])]
    w = rows["mentions"].to_numpy(np.float64) if weight == "mentions" else np.ones(len(rows))
    agg = pd.DataFrame({"u": rows["source"].to_numpy(), "v": rows["target"].to_numpy(), "w": w})
    agg = agg.groupby(["u", "v"], sort=True)["w"].sum()
    g = nx.DiGraph()
    g.add_weighted_edges_from((u, v, float(w)) for (u, v), w in agg.items())
    return g


def centrality(frame: pd.DataFrame, *, since: date | str | None = None, until: date | str | None = None,
               level: str = "actor", rollup: Rollup | None = None, include_modalities: Iterable[str] = (),
               weight: str | None = None, layers: Iterable[str] = ("conflict", "cooperation")) -> pd.DataFrame:
    """Centrality of every actor on the conflict and cooperation layers.

    Returns
    -------
    DataFrame
        Columns :data:`CENTRALITY_COLUMNS`: weighted out/in strength, degree centrality
        (undirected), betweenness (on distances 1/weight, so heavy ties are short) and
        PageRank (weighted). Sorted by layer then PageRank, highest first.
    """
    rows = rollup_frame(select(frame, since=since, until=until, include_modalities=include_modalities),
                        level, rollup)
    names = actor_names(rows) if len(rows) else {}
    out = []
    for layer in layers:
        g = layer_graph(rows, layer, weight)
        if g.number_of_nodes() == 0:
            continue
        for _u, _v, d in g.edges(data=True):
            d["distance"] = 1.0 / d["weight"]
        degree = nx.degree_centrality(g.to_undirected())
        between = nx.betweenness_centrality(g, weight="distance", normalized=True)
        rank = pagerank(g)
        for actor in g:
            out.append({"layer": layer, "actor": actor, "name": names.get(actor, actor),
                        "out_strength": g.out_degree(actor, weight="weight"),
                        "in_strength": g.in_degree(actor, weight="weight"),
                        "degree": round(degree[actor], 4), "betweenness": round(between[actor], 4),
                        "pagerank": round(rank[actor], 4)})
    result = pd.DataFrame(out, columns=list(CENTRALITY_COLUMNS))
    return result.sort_values(["layer", "pagerank", "actor"], ascending=[True, False, True]).reset_index(drop=True)


def pagerank(g: nx.DiGraph, alpha: float = 0.85, tol: float = 1e-10, max_iter: int = 200) -> dict[str, float]:
    """Weighted PageRank (networkx's, on scipy sparse matrices).

    Dangling actors (no outgoing ties) spread their rank uniformly.

    Examples
    --------
    >>> g = nx.DiGraph([("A", "B"), ("B", "A")])
    >>> {k: round(v, 3) for k, v in pagerank(g).items()}
    {'A': 0.5, 'B': 0.5}
    """
    if g.number_of_nodes() == 0:
        return {}
    return nx.pagerank(g, alpha=alpha, weight="weight", tol=tol, max_iter=max_iter)
