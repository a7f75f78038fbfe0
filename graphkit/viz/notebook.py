"""The network view inline in Jupyter: the same self-contained page `graphkit render` writes, shown in
the notebook itself (no file, no server: Jupyter cannot serve a file from a temporary folder).

    import graphkit
    graphkit.show(store)                  # the last expression of a cell draws the network
    view = graphkit.show(statements, focus="IRQ.PMF", hops=2, height=700)
    view.save("pmf.html")                 # the same page as a file, when you want one

The page is embedded whole as an <iframe srcdoc>: its scripts and styles stay apart from the
notebook's, and the frame is sandboxed (scripts run; the page cannot reach the notebook). It works
in JupyterLab, Notebook 7, VS Code and in an exported .html notebook, as any HTML output does.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from .network import NetworkData, network_html


class NetworkView:
    """A network page that displays itself in a notebook (IPython's _repr_html_ protocol)."""

    def __init__(self, data: NetworkData, title: str = "graphkit network", height: int = 600,
                 large: bool | None = None):
        self.data = data
        self.title = title
        self.height = int(height)
        self.html = network_html(data, title, large)  # the whole self-contained page

    def _repr_html_(self) -> str:
        return (f'<iframe class="graphkit-network" title="{escape(self.title, quote=True)}" '
                f'sandbox="allow-scripts" srcdoc="{escape(self.html, quote=True)}" '
                f'style="width: 100%; height: {self.height}px; border: 1px solid #ddd;"></iframe>')

    def save(self, path: str | Path) -> Path:
        """Write the page to `path` (what `graphkit render -o` writes)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.html, encoding="utf-8")
        return path

    def __repr__(self) -> str:
        return (f"<graphkit network {self.title!r}: {len(self.data.nodes)} actors, {len(self.data.edges)} edges, "
                f"{self.data.statement_count} statements>")
