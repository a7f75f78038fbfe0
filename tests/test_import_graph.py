"""No import cycle in graphkit/: the import graph of the package's modules, built with ast from every
import statement, module-level and function-level alike (a function-level import still makes the two
modules depend on each other, it only hides the cycle until run time), must have no cycle.  Imports
under `if TYPE_CHECKING:` are left out: they never run.  A module importing its own package
(`from . import x` in store/neo4j.py importing graphkit.store) counts like any other import."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "graphkit"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> nx.DiGraph:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If) and _is_type_checking(block.test)
                       for stmt in block.body for n in ast.walk(stmt)}
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[:len(base) - node.level + 1]
                    stem = ".".join(base + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                # "from . import x" / "from .store import sqlite": x may be a module of its own
                targets = [f"{stem}.{alias.name}" if f"{stem}.{alias.name}" in modules else stem
                           for alias in node.names]
            for target in targets:
                while target and target not in modules:  # graphkit.store.base.Store -> graphkit.store.base
                    target = target.rpartition(".")[0]
                if target and target != name and target.startswith("graphkit"):
                    graph.add_edge(name, target)
    return graph


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


# Cycles left to the owners of the modules (named here so that a new one fails, and so that this list
# must shrink: the test fails when a listed cycle is gone).  extract/cluster.py imports Extractor from
# its package (`from . import Extractor`) instead of from extract.extractor.
KNOWN: set[tuple[str, str]] = set()  # none left


def test_the_graph_sees_imports_at_every_level():
    graph = import_graph()
    assert graph.has_edge("graphkit.cli.main", "graphkit.errors")  # module level
    assert graph.has_edge("graphkit.cli.load", "graphkit.loading")  # inside the command function


def test_no_import_cycle_in_graphkit():
    cycles = {tuple(sorted(c)) for c in nx.simple_cycles(import_graph())}
    new = sorted(cycles - KNOWN)
    assert not new, "import cycles: " + "; ".join(" <-> ".join(c) for c in new[:10])
    assert KNOWN <= cycles, f"a known cycle is gone, take it off KNOWN: {sorted(KNOWN - cycles)}"


def test_the_cycles_this_issue_removed_stay_removed():
    graph = import_graph()
    assert not graph.has_edge("graphkit.registry.registry", "graphkit.registry.phoenix")
    assert not graph.has_edge("graphkit.registry.files", "graphkit.registry.registry")
    assert not graph.has_edge("graphkit.store.neo4j", "graphkit.store")
    assert not graph.has_edge("graphkit.store.sqlite", "graphkit.store")
