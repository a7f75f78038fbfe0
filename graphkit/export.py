"""Statements out to the tools analysts already use: Gephi (GraphML, GEXF) and a flat table
(CSV, Parquet, JSON Lines) in the one-row-per-event layout of ACLED and GDELT exports.

    from graphkit.export import export, statement_columns
    export(statements, "graph.gexf", "gexf", actors=actors, articles=articles)
    [c.name for c in statement_columns()]      # the flat table's columns, in order

The flat table's columns are derived once from the Statement dataclass (graphkit.model): every
scalar field is a column as it is, an ActorRef field becomes `<field>_<part>` columns (source_id,
source_name, ...), a date is ISO text (a date in Parquet), a tuple or dict is JSON text; `evidence`
becomes `evidence_count` and `article_ids`.  A field added to Statement is exported without an edit
here.  Columns that come from the article (outlet, url, published, dateline place) follow.
Schema: docs/exports.md, or `graphkit export --schema`.
"""

from __future__ import annotations

import json
import os
import tempfile
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date
from functools import cache
from pathlib import Path

from .errors import GraphkitError
from .model import Actor, ActorRef, Article, Mention, Statement

FORMATS = ("graphml", "gexf", "csv", "parquet", "jsonl")
TABLE_FORMATS = ("csv", "parquet", "jsonl")


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: str  # string | int | float | bool | date | json
    doc: str


# Article columns joined to each statement (by its article_id); the statement's own fields come first.
_ARTICLE_COLUMNS = (
    Column("outlet", "string", "Outlet of the statement's article (Article.outlet)."),
    Column("url", "string", "URL of the statement's article."),
    Column("published", "date", "Publication date of the statement's article."),
    Column("dateline_place", "string", "The place the article's wire dateline names, as written."),
)
_EVIDENCE_COLUMNS = (
    Column("evidence_count", "int", "How many tellings (mentions) the statement carries as evidence."),
    Column("article_ids", "string", "Every article telling it, ';'-separated (its own article first)."),
)


def _kind(hint) -> str:
    """The column kind of a type hint (Optional unwrapped)."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
        hint = args[0]
    if hint is bool:
        return "bool"
    if hint is int:
        return "int"
    if hint is float:
        return "float"
    if hint is date:
        return "date"
    if hint is str:
        return "string"
    return "json"


@cache
def statement_columns(cls: type = Statement) -> tuple[Column, ...]:
    """The flat statements table's columns, in order, derived from the Statement dataclass
    (`cls`: Statement, or a dataclass extending it)."""
    hints = typing.get_type_hints(cls)
    ref_hints = typing.get_type_hints(ActorRef)
    out: list[Column] = []
    for f in fields(cls):
        hint = hints[f.name]
        if hint is ActorRef:
            out.extend(Column(f"{f.name}_{part.name}", _kind(ref_hints[part.name]), f"The {f.name} actor's {part.name}.")
                       for part in fields(ActorRef))
        elif f.name == "evidence":
            out.extend(_EVIDENCE_COLUMNS)
        else:
            out.append(Column(f.name, _kind(hint), f"Statement.{f.name}"))
    out.extend(_ARTICLE_COLUMNS)
    return tuple(out)


def _cell(value, kind: str):
    if value is None:
        return None
    if kind == "date":
        return value.isoformat() if isinstance(value, date) else str(value)
    if kind == "json":
        if isinstance(value, tuple | list) and value and hasattr(value[0], "__dataclass_fields__"):
            from dataclasses import asdict

            value = [asdict(v) for v in value]
        return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True) if value not in ({}, (), []) else None
    if kind == "string":
        return str(value)  # a CAMEO code stays "040"
    return value


def statement_rows(statements: Iterable[Statement], articles: dict[str, Article] | None = None,
                   cls: type = Statement) -> Iterator[dict]:
    """One flat dict per statement, keyed by statement_columns(cls) names (dates as ISO text)."""
    articles = articles or {}
    columns = statement_columns(cls)
    for st in statements:
        row: dict = {}
        for f in fields(cls):
            value = getattr(st, f.name)
            if isinstance(value, ActorRef):
                for part in fields(ActorRef):
                    row[f"{f.name}_{part.name}"] = getattr(value, part.name)
            elif f.name == "evidence":
                ids = [st.article_id] if st.article_id else []
                ids += [m.article_id for m in value if isinstance(m, Mention) and m.article_id not in ids]
                row["evidence_count"] = len(value)
                row["article_ids"] = ";".join(i for i in ids if i) or None
            else:
                row[f.name] = value
        art = articles.get(st.article_id or "")
        row["outlet"] = (art.outlet if art else None) or (st.extra or {}).get("outlet")
        row["url"] = art.url if art else None
        row["published"] = art.published if art else None
        row["dateline_place"] = art.dateline_place if art else None
        yield {c.name: _cell(row.get(c.name), c.kind) for c in columns}


# -- the graph ---------------------------------------------------------------------------------------

def build_graph(statements: Iterable[Statement], actors: Sequence[Actor] = ()):
    """A networkx MultiDiGraph for Gephi: a node per actor (label, name, kind, country, sector,
    provisional), an edge per (source, target, type, modality) with statement_type, cameo (the most
    used code, as text), quad_class, goldstein (mean), count, weight, mentions, first_date, last_date. GraphML and GEXF refuse None
    values, so an attribute without a value is left out."""
    import networkx as nx

    known = {a.id: a for a in actors}
    graph = nx.MultiDiGraph()
    edges: dict[tuple[str, str, str, str], dict] = {}
    for st in statements:
        for ref in (st.source, st.target):
            if ref.id not in graph:
                actor = known.get(ref.id)
                attrs = {"label": ref.name, "name": ref.name, "kind": ref.kind, "country": ref.country,
                         "sector": actor.sector if actor else None,
                         "provisional": bool(actor.provisional) if actor else ref.id.startswith("PROV.")}
                graph.add_node(ref.id, **{k: v for k, v in attrs.items() if v is not None})
        key = (st.source.id, st.target.id, st.type, st.modality)
        edge = edges.setdefault(key, {"type": st.type, "modality": st.modality, "cameo": {}, "quad_class": st.quad_class,
                                      "goldstein": [], "count": 0, "mentions": 0, "dates": [], "datasets": set()})
        edge["count"] += 1
        edge["mentions"] += st.mentions
        if st.cameo:
            edge["cameo"][st.cameo] = edge["cameo"].get(st.cameo, 0) + 1
        if st.goldstein is not None:
            edge["goldstein"].append(st.goldstein)
        if st.date:
            edge["dates"].append(st.date)
        edge["datasets"].add(st.dataset)
    for (source, target, type_, modality), e in edges.items():
        cameo = max(sorted(e["cameo"]), key=e["cameo"].get) if e["cameo"] else None  # the most used code
        # "type" is a reserved word of GEXF edges (directed/undirected): the statement type is
        # `statement_type` in both formats, and the edge label Gephi shows.
        attrs = {"label": type_, "statement_type": type_, "modality": modality, "cameo": cameo, "quad_class": e["quad_class"],
                 "goldstein": round(sum(e["goldstein"]) / len(e["goldstein"]), 3) if e["goldstein"] else None,
                 "count": e["count"], "weight": float(e["count"]), "mentions": e["mentions"],
                 "first_date": min(e["dates"]).isoformat() if e["dates"] else None,
                 "last_date": max(e["dates"]).isoformat() if e["dates"] else None,
                 "dataset": ";".join(sorted(e["datasets"]))}
        graph.add_edge(source, target, key=f"{type_}:{modality}", **{k: v for k, v in attrs.items() if v is not None})
    return graph


# -- writing -----------------------------------------------------------------------------------------

def export(statements: Sequence[Statement], path: str | Path, fmt: str, *, actors: Sequence[Actor] = (),
           articles: Iterable[Article] = ()) -> int:
    """Write `statements` to `path` as `fmt` (one of FORMATS); returns the rows or edges written.
    The file appears whole or not at all (written beside it, then renamed)."""
    if fmt not in FORMATS:
        raise GraphkitError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    path = Path(path)
    if not path.parent.is_dir():
        raise GraphkitError(f"{path}: no such directory {str(path.parent)!r}")
    with _atomic(path) as tmp:
        if fmt in ("graphml", "gexf"):
            import networkx as nx

            graph = build_graph(statements, actors)
            (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(graph, tmp)
            return graph.number_of_edges()
        rows = list(statement_rows(statements, {a.id: a for a in articles}))
        if fmt == "jsonl":
            with open(tmp, "w", encoding="utf-8") as out:
                for row in rows:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            frame = table_frame(rows)
            if fmt == "csv":
                frame.to_csv(tmp, index=False)
            else:
                frame.to_parquet(tmp, index=False, engine="pyarrow")
        return len(rows)


def table_frame(rows: list[dict]):
    """The rows as a pandas DataFrame with each column's dtype (nullable ints, strings, dates)."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=[c.name for c in statement_columns()])
    for c in statement_columns():
        frame[c.name] = _typed(frame[c.name], c.kind)
    return frame


def _typed(series, kind: str):
    import pandas as pd

    if kind == "int":
        return series.astype("Int64")
    if kind == "float":
        return series.astype("Float64")
    if kind == "bool":  # CSV gives the text "True"/"False"
        return series.map(lambda v: v if v is None or isinstance(v, bool) else str(v).strip().lower() in ("true", "1"),
                          na_action="ignore").astype("boolean")
    if kind == "date":
        return pd.to_datetime(series, format="%Y-%m-%d").dt.date.astype("object").where(series.notna(), None)
    return series.astype("string")


def read_table(path: str | Path):
    """A flat export (CSV, Parquet or JSONL) back as a DataFrame with the schema's dtypes:
    codes stay strings ("040"), dates are datetime.date, counts nullable integers."""
    import pandas as pd

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame = pd.read_parquet(path)
    elif suffix in (".jsonl", ".ndjson"):
        frame = pd.read_json(path, lines=True, dtype=False)
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    for c in statement_columns():
        if c.name in frame:
            values = frame[c.name].where(frame[c.name].notna(), None)
            frame[c.name] = _typed(values.map(lambda v: v.isoformat() if isinstance(v, date) else v)
                                   if c.kind == "date" else values, c.kind)
    return frame


class _atomic:
    """A temporary file beside `path`, renamed onto it on success and removed on failure."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> str:
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        os.close(fd)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.tmp, 0o666 & ~umask)  # as a plain open() would create it, not mkstemp's 0600
        return self.tmp

    def __exit__(self, kind, err, tb) -> None:
        if kind is None:
            os.replace(self.tmp, self.path)
        elif os.path.exists(self.tmp):
            os.unlink(self.tmp)


# -- from Parquet statement shards, streamed by DuckDB ------------------------------------------------

def _shard_column(c: Column, fmt: str) -> str:
    """The SQL of one flat-table column over a shard row: the same value statement_rows gives the
    statement read back from it (shards carry no articles, as a JSONL file does not)."""
    if c.kind == "bool" and fmt == "csv":  # as Python's csv writes them (DuckDB's text is true/false)
        return f"CASE WHEN {c.name} THEN 'True' WHEN NOT {c.name} THEN 'False' END AS {c.name}"
    if c.name in ("url", "published", "dateline_place"):
        return f"CAST(NULL AS {'DATE' if c.kind == 'date' else 'VARCHAR'}) AS {c.name}"
    if c.name == "outlet":  # the article's outlet, else the statement's extra["outlet"]
        return "json_extract_string(extra, '$.outlet') AS outlet"
    if c.name == "evidence_count":
        # a statement of an article given without its evidence list is its own one telling (as stored)
        return ("CASE WHEN len(coalesce(evidence, [])) = 0 AND coalesce(article_id, '') <> '' THEN 1 "
                "ELSE len(coalesce(evidence, [])) END AS evidence_count")
    if c.name == "article_ids":  # its own article first, then each telling's other article, ';'-joined
        own = "coalesce(article_id, '')"
        return (f"nullif(array_to_string(list_concat(CASE WHEN {own} <> '' THEN [article_id] ELSE [] END, "
                f"list_filter(list_transform(coalesce(evidence, []), lambda m: m.article_id), "
                f"lambda x: coalesce(x, '') <> '' AND ({own} = '' OR x <> article_id))), ';'), '') AS article_ids")
    head, _, part = c.name.partition("_")
    if head in ("source", "target") and part in {f.name for f in fields(ActorRef)}:
        return f"{head}.{part} AS {c.name}"
    if c.kind == "json":  # JSON text as _cell writes it (a Python function: key order and escapes alike)
        return f"graphkit_json({c.name}) AS {c.name}"
    return c.name


def _json_text(text: str | None) -> str | None:
    if not text:
        return None
    value = json.loads(text)
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True) if value not in ({}, [], None) else None


def export_shards(shards: str | Path, path: str | Path, fmt: str, *, since: date | None = None,
                  until: date | None = None, actors: Sequence[str] = (), types: Sequence[str] = ()) -> int:
    """Write the statements of Parquet shards (a folder or a .parquet file, graphkit.shards) to `path`
    as a flat table (csv, parquet or jsonl), streamed by DuckDB from file to file: nothing is held in
    memory but DuckDB's buffers, so archives larger than memory export. The rows are those `export`
    writes for the same statements read from JSONL (test), in shard order; the filters are the store's
    (model.in_window: inclusive, undated statements outside a set window; either end an actor; types).
    Returns the rows written."""
    from .analysis.parquet import shard_events_of, window_sql
    from .analysis.shard_events import VIEW

    if fmt not in TABLE_FORMATS:
        raise GraphkitError(f"{fmt} from shards: only {', '.join(TABLE_FORMATS)} stream; graphml/gexf read "
                            "the statements into memory")
    path = Path(path)
    if not path.parent.is_dir():
        raise GraphkitError(f"{path}: no such directory {str(path.parent)!r}")
    where, params = ["TRUE"], {}
    window_sql(where, params, since, until)
    if actors:
        # scalar filters (not IN subqueries, which join): DuckDB then keeps the shards' row order
        where.append("(list_contains($actors, source.id) OR list_contains($actors, target.id))")
        params["actors"] = list(actors)
    if types:
        where.append("list_contains($types, type)")
        params["types"] = list(types)
    select = ", ".join(_shard_column(c, fmt) for c in statement_columns())
    options = {"csv": "FORMAT CSV, HEADER", "parquet": "FORMAT PARQUET", "jsonl": "FORMAT JSON"}[fmt]
    # the shards' events (reports of one event merged and folded as a store holds them); where some
    # were, an event stands where its first report stood
    with shard_events_of(shards) as events:
        order = "" if events.in_shard_order else " ORDER BY filename, file_row_number"
        query = f"SELECT {select} FROM {VIEW} WHERE {' AND '.join(where)}{order}"
        con = events.con
        import duckdb

        # NULL in, NULL out without a call: only the rows that have JSON pass through Python
        con.create_function("graphkit_json", _json_text, ["VARCHAR"], "VARCHAR", side_effects=False)
        try:
            with _atomic(path) as tmp:
                rows = con.execute(f"COPY ({query}) TO '{_sql_text(tmp)}' ({options})", params).fetchone()[0]
        except duckdb.Error as err:
            raise GraphkitError(f"{shards}: DuckDB could not export the shards "
                                f"({' '.join(str(err).split())[:200]})") from None
    return rows


def _sql_text(text: str) -> str:
    return str(text).replace("'", "''")
