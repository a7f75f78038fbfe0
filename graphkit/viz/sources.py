"""Where render and report read statements from: `graphkit extract` output (JSONL or Parquet shards), or a store."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from ..model import Actor, Statement


def read_jsonl(path: str | Path, errors: list[str]) -> list[Statement]:
    """Statements from a JSONL file or Parquet shards (loading.read_statements); each bad line adds
    one 'file:line: reason' to errors and is skipped."""
    from ..loading import read_statements

    statements, problems = read_statements(path)
    errors.extend(str(p) for p in problems)
    return statements


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
