"""Who is within k steps of an actor: networkx's ego_graph over statement edges, either direction.

One definition for the network view (render --actor --hops) and the embedded store's ego_network query.
"""

from __future__ import annotations

from collections.abc import Iterable


def neighbourhood(edges: Iterable[tuple[str, str]], focus: str, hops: int) -> set[str] | None:
    """The actors at most `hops` steps from `focus` (itself included); None when no edge touches it."""
    import networkx as nx  # here: the store and the CLI import this module without needing networkx yet

    graph = nx.Graph()
    graph.add_edges_from(edges)
    if focus not in graph:
        return None
    return set(nx.ego_graph(graph, focus, radius=hops))
