"""The notebooks run top to bottom (a newcomer's first experience): any cell that raises fails the test.

The Neo4j notebook runs against the real test server (GRAPHKIT_STORE points the kernel at it)."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def run(name: str, env: dict[str, str] | None = None) -> nbformat.NotebookNode:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{name} is stored with outputs"
    # the kernel imports this checkout's graphkit, installed or not
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])), **(env or {})}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return nb


def outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", "") + str(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def test_quickstart_runs():
    nb = run("01_quickstart.ipynb", {"MPLBACKEND": "Agg"})
    # the notebook itself asserts that the second load added nothing
    assert "graph.html" in outputs_text(nb)
    # the network is in the notebook itself: the whole page inline (no file path, no temp-folder IFrame)
    html = [out["data"]["text/html"] for cell in nb.cells for out in cell.get("outputs", [])
            if "text/html" in out.get("data", {}) and "graphkit-network" in out["data"]["text/html"]]
    assert len(html) == 1
    frame = html[0]
    assert frame.startswith('<iframe class="graphkit-network"') and 'srcdoc="&lt;!doctype html&gt;' in frame.lower()
    assert " src=" not in frame and "graphkit-nb-" not in frame and "file:" not in frame
    assert "vis-network" in frame and "Kataib Hezbollah" in frame  # the library and the data, inline


@pytest.mark.neo4j
def test_neo4j_notebook_runs(neo4j_driver, neo4j_uri):
    nb = run("02_neo4j_cypher.ipynb", {"GRAPHKIT_STORE": neo4j_uri, "MPLBACKEND": "Agg"})
    with neo4j_driver.session() as session:
        n = session.run("MATCH (:Actor)-[r]->(:Actor) WHERE r.goldstein IS NOT NULL RETURN count(r) AS n").single()["n"]
    assert n > 0
    assert "mean_goldstein" in outputs_text(nb)


def test_tension_notebook_runs():
    nb = run("03_tension_and_balance.ipynb", {"MPLBACKEND": "Agg"})
    assert "alerts on the sample articles" in outputs_text(nb)
