"""Where render and report read statements from: `graphkit extract` output (JSONL or Parquet shards), or a store."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

from ..analysis.frame import CORE_COLUMNS
from ..model import Actor, Statement


def read_jsonl(path: str | Path, errors: list[str]) -> list[Statement]:
    """Statements from a JSONL file or Parquet shards (loading.read_statements), one per event as a
    store holds them; each bad line adds one 'file:line: reason' to errors and is skipped."""
    from ..loading import read_statements
    from ..store import one_per_event

    statements, problems = read_statements(path)
    errors.extend(str(p) for p in problems)
    return one_per_event(statements)


def load_statements(
    source: str | None, store: str | None, *, since: date | None = None, until: date | None = None,
    errors: list[str],
) -> tuple[list[Statement], list[Actor]]:
    """(statements, actors) from --from (JSONL or shards) when given, else from the store."""
    if source:
        return read_jsonl(source, errors), []
    from ..store import StatementFilter, open_store

    with open_store(store, create=False) as st:
        statements = list(st.statements(StatementFilter(since=since, until=until)))
        ids = {s.source.id for s in statements} | {s.target.id for s in statements}
        actors = st.actors(sorted(ids)) if ids else []
        outlets = {a.id: a.outlet for a in st.articles() if a.outlet} if statements else {}
    return [with_outlet(s, outlets) for s in statements], actors


def with_outlet(st: Statement, outlets: dict[str, str]) -> Statement:
    """The statement with its article's outlet in extra["outlet"] (where views look for it)."""
    outlet = outlets.get(st.article_id or "")
    if not outlet or (st.extra or {}).get("outlet"):
        return st
    return replace(st, extra={**(st.extra or {}), "outlet": outlet})


# -- the report's columnar path: a frame of the columns the report shows, no Statement kept per row --

#: The columns `graphkit report` reads: the core columns every analysis reads, then what its tables,
#: network samples and map show. ``outlet`` is the article's outlet (a store's articles, or
#: extra["outlet"]); ``network_outlet`` what the network view shows (the outlet, else an importer's
#: extra["source_name"]).
REPORT_COLUMNS = CORE_COLUMNS + (
    "rule", "cameo", "source_kind", "target_kind", "killed_at_least", "injured_at_least", "latitude",
    "longitude", "place_name", "location", "place_precision", "place_country", "place_admin1", "place_source",
    "outlet", "network_outlet")
_OWN_COLUMNS = tuple(c for c in REPORT_COLUMNS if c not in ("outlet", "network_outlet"))
_CHUNK = 50_000


def _outlets(extra, article_outlet=None) -> tuple[str | None, str | None]:
    extra = extra or {}
    outlet = extra.get("outlet") or article_outlet or None
    return outlet, outlet or extra.get("source_name") or None


def statements_report_frame(statements: Iterable[Statement]):
    """The report frame (:data:`REPORT_COLUMNS`) of statements already in memory (the API's path)."""
    from ..analysis.frame import statements_frame

    frame = statements_frame(statements)
    pairs = [_outlets(e) for e in frame["extra"]]
    frame["outlet"] = [p[0] for p in pairs]
    frame["network_outlet"] = [p[1] for p in pairs]
    return frame[list(REPORT_COLUMNS)]


def _file_statements(path: str | Path, errors: list[str]) -> Iterator[Statement]:
    """The statements of a JSONL file or shards, one at a time; a bad line adds 'file:line: reason'."""
    from ..loading import iter_statements

    for item in iter_statements(path):
        if isinstance(item, Statement):
            yield item
        else:
            errors.append(str(item))


def load_report_frame(source: str | None, store: str | None, *, since: date | None = None,
                      until: date | None = None, errors: list[str]):
    """(report frame, actors) from --from FILE when given, else from the store's statement_frame
    (one SQL or Cypher projection of the columns, no Statement object per row)."""
    from ..store import StatementFilter, events_store, open_store

    # A file's statements go through a temporary embedded store: one per event, as a store gives them.
    opened = events_store(_file_statements(source, errors)) if source else open_store(store, create=False)
    with opened as st:
        frame = st.statement_frame(StatementFilter(since=since, until=until), _OWN_COLUMNS + ("extra",))
        ids = sorted(set(frame["source"]) | set(frame["target"])) if len(frame) else []
        actors = st.actors(ids) if ids else []
        articles = {a.id: a.outlet for a in st.articles() if a.outlet} if len(frame) else {}
    import pandas as pd

    # extra and article ids repeat: decode each distinct pair once, not once per row
    pairs = pd.MultiIndex.from_arrays([frame["extra"].map(_extra_key), frame["article_id"]])
    codes, uniques = pd.factorize(pairs)
    looked = [_outlets(_extra_dict(e), articles.get(a or "")) for e, a in uniques]
    for i, column in enumerate(("outlet", "network_outlet")):
        values = np.array([p[i] for p in looked] + [None], dtype=object)
        frame[column] = pd.Series(values[codes], dtype=object)
    return frame[list(REPORT_COLUMNS)], actors


def _extra_key(value):
    """extra as a hashable key: a store's JSON text as it is, a dict as sorted JSON."""
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True) if value else None
    return value or None


def _extra_dict(value) -> dict:
    return json.loads(value) if isinstance(value, str) and value else {}
