"""The network view inline in Jupyter: the same self-contained page `graphkit render` writes, shown in
the notebook itself (no file, no server: Jupyter cannot serve a file from a temporary folder).

    import graphkit
    graphkit.show(store)                  # the last expression of a cell draws the network
    view = graphkit.show(statements, focus="IRQ.PMF", hops=2, height=700)
    view.save("pmf.html")                 # the same page as a file, when you want one
    graphkit.show_map(store)              # the events on a map, the same way

The page is embedded whole as an <iframe srcdoc>: its scripts and styles stay apart from the
notebook's, and the frame is sandboxed (scripts run; the page cannot reach the notebook). It works
in JupyterLab, Notebook 7, VS Code and in an exported .html notebook, as any HTML output does.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from .map import MapData, map_html
from .network import NetworkData, network_html


class _PageView:
    """A self-contained page that displays itself in a notebook (IPython's _repr_html_ protocol)."""

    title: str
    height: int
    html: str
    css_class = "graphkit-network"

    def _repr_html_(self) -> str:
        return (f'<iframe class="{self.css_class}" title="{escape(self.title, quote=True)}" '
                f'sandbox="allow-scripts" srcdoc="{escape(self.html, quote=True)}" '
                f'style="width: 100%; height: {self.height}px; border: 1px solid #ddd;"></iframe>')

    def save(self, path: str | Path) -> Path:
        """Write the page to `path` (what `graphkit render -o` writes)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.html, encoding="utf-8")
        return path


class NetworkView(_PageView):
    """The network view in a notebook."""

    def __init__(self, data: NetworkData, title: str = "graphkit network", height: int = 600,
                 large: bool | None = None):
        self.data = data
        self.title = title
        self.height = int(height)
        self.html = network_html(data, title, large)  # the whole self-contained page

    def __repr__(self) -> str:
        return (f"<graphkit network {self.title!r}: {len(self.data.nodes)} actors, {len(self.data.edges)} edges, "
                f"{self.data.statement_count} statements>")


class MapView(_PageView):
    """The map view (`graphkit map`) in a notebook."""

    css_class = "graphkit-map"

    def __init__(self, data: MapData, title: str = "graphkit map", height: int = 600):
        self.data = data
        self.title = title
        self.height = int(height)
        self.html = map_html(data, title)

    def __repr__(self) -> str:
        return f"<graphkit map {self.title!r}: {len(self.data.points)} events placed, {self.data.unplaced} without coordinates>"
