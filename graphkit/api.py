"""The public Python API: one function per pipeline step, for notebooks and scripts.

Each function is a thin, documented door into a stage package; the stages stay
usable on their own.  Statements may be passed as a list or read from a store.

    import graphkit
    articles = graphkit.read_articles(["data/articles"])
    statements = graphkit.extract(articles)
    with graphkit.open_store("sqlite:///graphkit.db") as store:
        graphkit.load(["data/articles"], store)
        series = graphkit.tension(store, freq="M", level="organisation")
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from .model import Article, Statement, in_window
from .store import StatementFilter, Store, open_store

StatementSource = Store | Iterable[Statement]


def read_articles(paths: Sequence[str | Path], **options) -> list[Article]:
    """Articles from .txt/.html/.jsonl/.csv files, folders or globs (see graphkit.ingest.read_paths)."""
    from .ingest import read_articles as _read

    return _read([str(p) for p in paths], **options)


def extract(articles: Iterable[Article], **options) -> list[Statement]:
    """Typed, dated statements of the articles (see graphkit.extract.extract: registry, workers)."""
    from .extract import extract as _extract

    return _extract(articles, **options)


def load(paths: Sequence[str | Path], store: Store | str | None = None, **options):
    """Extract and store articles (or statement JSONL files); returns the load report with counts."""
    from .loading import load as _load

    if isinstance(store, Store):
        return _load([str(p) for p in paths], store, **options)
    with open_store(store) as opened:
        return _load([str(p) for p in paths], opened, **options)


def statements(source: StatementSource, *, since: date | None = None, until: date | None = None) -> list[Statement]:
    """The statements of a store (in a date window), or the given statements one per event as a store
    would hold them (graphkit.store.one_per_event); the window is model.in_window's (inclusive,
    undated statements outside once a bound is set) either way."""
    if isinstance(source, Store):
        return list(source.statements(StatementFilter(since=since, until=until)))
    from .store import one_per_event

    return [s for s in one_per_event(source) if in_window(s.date, since, until)]


def statements_frame(source: StatementSource, **window) -> pd.DataFrame:
    """One row per statement (graphkit.analysis.statements_frame)."""
    from .analysis import statements_frame as _frame

    return _frame(statements(source, **window))


def _rolled(source: StatementSource, level: str) -> pd.DataFrame:
    from .analysis import rollup_frame
    from .registry import Registry

    frame = statements_frame(source)
    return rollup_frame(frame, level, None if level == "actor" else Registry.default().rollup)


def tension(source: StatementSource, *, freq: str = "M", level: str = "actor",
            dyads: Sequence[tuple[str, str]] | None = None, directed: bool = False, **options) -> pd.DataFrame:
    """Dyad conflict/cooperation series per period (graphkit.analysis.dyad_series).

    level rolls actors up through the registry: "actor", "organisation" or "country"."""
    from .analysis import dyad_series, rollup_frame

    if isinstance(source, Store):  # the store's own projection of the columns: no Statement per row
        from .registry import Registry

        frame = rollup_frame(source.statement_frame(), level, None if level == "actor" else Registry.default().rollup)
    else:
        frame = _rolled(source, level)
    return dyad_series(frame, freq=freq, directed=directed, dyads=dyads, **options)


def alerts(source: StatementSource, *, freq: str = "W", level: str = "actor", **options) -> pd.DataFrame:
    """Escalation alerts (count surprise against a pooled baseline; see graphkit.analysis.surprise), with the
    reason and the statements behind each."""
    from .analysis import escalation_alerts

    return escalation_alerts(_rolled(source, level), freq=freq, **options)


def balance(source: StatementSource, *, freq: str | None = "M", level: str = "actor", **options) -> list:
    """Signed network, factions and balance summary per window (graphkit.analysis.balance_windows)."""
    from .analysis import balance_windows

    return balance_windows(_rolled(source, level), freq=freq, **options)


def render(source: StatementSource, path: str | Path, *, title: str = "graphkit network", **options) -> Path:
    """Write the self-contained interactive network view (graphkit.viz) to path."""
    from .viz.network import build_network, render_network

    actors = source.actors() if isinstance(source, Store) else None
    return render_network(build_network(statements(source), actors, **options), path, title=title)


def show(source: StatementSource, *, title: str = "graphkit network", height: int = 600, **options):
    """The interactive network view, inline in a Jupyter notebook (graphkit.viz.notebook.NetworkView):
    the same page as `render`, embedded whole, no file. options as `render` (since, until, actor, hops)."""
    from .viz.network import build_network
    from .viz.notebook import NetworkView

    actors = source.actors() if isinstance(source, Store) else None
    return NetworkView(build_network(statements(source), actors, **options), title=title, height=height)


def map(source: StatementSource, path: str | Path, *, title: str = "graphkit map", **options) -> Path:  # noqa: A001
    """Write the self-contained map of the events with coordinates (`graphkit map`) to path.
    options as `render` (since, until, focus, hops), and fallback_places=False to leave out places a
    fallback gave (Statement.place_source)."""
    from .viz.map import build_map, render_map

    actors = source.actors() if isinstance(source, Store) else None
    return render_map(build_map(statements(source), actors, **options), path, title=title)


def show_map(source: StatementSource, *, title: str = "graphkit map", height: int = 600, **options):
    """The map, inline in a Jupyter notebook (graphkit.viz.notebook.MapView); options as `map`."""
    from .viz.map import build_map
    from .viz.notebook import MapView

    actors = source.actors() if isinstance(source, Store) else None
    return MapView(build_map(statements(source), actors, **options), title=title, height=height)
