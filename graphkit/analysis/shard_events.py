"""Parquet statement shards read as a store holds them: one row per event.

A shard holds what extraction wrote: one row per article's report. A store merges the reports that share
a statement id (graphkit.store.prepare.merge_rows) and folds a vaguer report into the one event it tells
(graphkit.store.folding); the pandas engine reads shards through such a store (events_store). DuckDB
counts the same events without bringing every row into Python:

1. DuckDB finds the rows those rules can touch: the rows of an id told more than once, and the rows that
   could fold together: of one dyad and type, a foldable report and a day-dated report inside its period,
   or two reports of one period. This is a superset (no place, article or direction is checked): the
   exact rules run in step 2. (So are the few lone rows a store would still rewrite: see _UNSETTLED.)
2. Only those rows come into Python, and they go through temporary events stores: the store's own
   merging and folding, not a second implementation of them. Both rules work inside one unordered
   dyad, so the rows are cut into parts along dyads, one store per part (_partitions): a store stays
   small however many rows are retold, and the parts share nothing.
3. The view `shard_events` is every other shard row as it stands plus the events of step 2, each where
   its first report stands (its file and row number), so a query over the view counts what a query
   over the store counts.

On shards where nothing is told twice (most synthetic data), step 1 finds no row and the view is the
shards themselves.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..store.folding import may_fold, report_period
from ..store.prepare import GRAPHKIT_DATASET
from .duckdb_connection import connect

#: The view every shards query reads.
VIEW = "shard_events"
_BATCH_ROWS = 10_000
# Involved rows per events store (_partitions): a store of this size loads at its full rate.
_PART_ROWS = 250_000
# A row's unordered dyad in SQL: the rows that may merge or fold together share it.
_DYAD = "least(x.source.id, x.target.id), greatest(x.source.id, x.target.id)"


# A lone row the store would still rewrite (written by something else than `graphkit extract`, which
# writes settled rows): evidence that repeats a telling (one mention per article and span), or a
# mention count that is not its evidence's (a store counts a statement's distinct tellings: graphkit's
# own exactly, an imported dataset's at least). (A row with an article and no evidence is its own one
# telling: the export counts it so, graphkit.export._shard_column.)
_SPANS = ("list_transform(evidence, lambda m: struct_pack(a := coalesce(m.article_id, ''), "
          "s := coalesce(CAST(m.char_start AS VARCHAR), ''), e := coalesce(CAST(m.char_end AS VARCHAR), '')))")
_UNSETTLED = (f"len(evidence) > 1 AND (len(list_distinct({_SPANS})) < len(evidence) OR mentions < len(evidence) "
              f"OR (dataset = '{GRAPHKIT_DATASET}' AND mentions > len(evidence)))")


@dataclass(frozen=True, slots=True)
class ShardEvents:
    """A DuckDB connection whose view VIEW holds the shards' events (the shard columns, then `filename`
    and `file_row_number`: where the event's first report stands)."""

    con: Any
    # shard rows merged or folded into events (0: the view is the shards as they are, in their order)
    resolved_rows: int
    # events those rows made
    events: int
    # events stores those rows went through, one per part of their dyads (_partitions)
    parts: int = 0

    @property
    def in_shard_order(self) -> bool:
        """Does the view give its rows in shard order by itself? Otherwise ORDER BY filename, file_row_number."""
        return self.resolved_rows == 0


def _sql_text(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


@contextmanager
def shard_events(files: list[str]) -> Iterator[ShardEvents]:
    """A DuckDB connection over these shard files with the view VIEW (see the module); closed afterwards.
    duckdb.Error comes through for the caller to report; a row that is not a statement is an
    InputError naming its file and row."""
    with tempfile.TemporaryDirectory(prefix="graphkit-shard-events-") as folder:
        con = connect()
        try:
            yield _resolve(con, files, Path(folder))
        finally:
            con.close()  # before the folder holding the resolved events goes


def _resolve(con, files: list[str], folder: Path) -> ShardEvents:
    import pyarrow as pa

    scan = f"read_parquet([{', '.join(_sql_text(f) for f in files)}], filename = true, file_row_number = true)"
    _candidate_tables(con, scan, pa)
    con.execute(f"""CREATE TEMP TABLE involved AS
        WITH e AS (
            SELECT x.filename AS f, x.file_row_number AS n, x.id, x.type, least(x.source.id, x.target.id) AS a,
                   greatest(x.source.id, x.target.id) AS b, p.lo, p.hi, x.date_precision = 'day' AS is_day
            FROM {scan} AS x
            JOIN fold_kinds AS k ON k.dataset = x.dataset AND k.modality = x.modality AND k.type = x.type
            JOIN fold_periods AS p ON p.date = x.date AND p.date_precision = x.date_precision
                 AND p.date_end IS NOT DISTINCT FROM x.date_end),
        crowded AS (  -- only a dyad and type with two ids or more can fold
            SELECT * FROM e WHERE (type, a, b) IN (SELECT (type, a, b) FROM e GROUP BY type, a, b
                                                   HAVING count(DISTINCT id) > 1)),
        -- a report is joined to the day-dated reports of each month its period touches
        days AS (SELECT f, n, id, type, a, b, lo, year(lo) * 12 + month(lo) AS m FROM crowded WHERE is_day),
        spans AS (SELECT f, n, id, type, a, b, lo, hi,
                         unnest(generate_series(year(lo) * 12 + month(lo), year(hi) * 12 + month(hi))) AS m
                  FROM crowded),
        pairs AS (
            SELECT r.f AS rf, r.n AS rn, c.f AS cf, c.n AS cn FROM spans AS r JOIN days AS c
                ON r.type = c.type AND r.a = c.a AND r.b = c.b AND r.m = c.m
            WHERE c.lo BETWEEN r.lo AND r.hi AND c.id <> r.id
            UNION ALL  -- two reports of one period (a week and the same week told otherwise)
            SELECT r.f, r.n, c.f, c.n FROM crowded AS r JOIN crowded AS c
                ON r.type = c.type AND r.a = c.a AND r.b = c.b AND r.lo = c.lo AND r.hi = c.hi
            WHERE NOT c.is_day AND c.id <> r.id)
        SELECT rf AS f, rn AS n FROM pairs UNION SELECT cf, cn FROM pairs
        UNION SELECT filename, file_row_number FROM {scan}
              WHERE id IN (SELECT id FROM {scan} GROUP BY id HAVING count(*) > 1)
        UNION SELECT filename, file_row_number FROM {scan} WHERE {_UNSETTLED}""")
    ((resolved,),) = con.execute("SELECT count(*) FROM involved").fetchall()
    if not resolved:
        con.execute(f"CREATE TEMP VIEW {VIEW} AS SELECT * FROM {scan}")
        return ShardEvents(con, 0, 0)
    path = folder / "events.parquet"
    parts = _partitions(con, scan, resolved)
    events = _write_events(con, scan, path, pa, parts)
    con.execute(f"""CREATE TEMP VIEW {VIEW} AS
        SELECT * FROM {scan} AS x ANTI JOIN involved AS i ON x.filename = i.f AND x.file_row_number = i.n
        UNION ALL BY NAME SELECT * FROM read_parquet({_sql_text(path)})""")
    return ShardEvents(con, resolved, events, parts)


def _candidate_tables(con, scan: str, pa) -> None:
    """fold_kinds: the (dataset, modality, type) whose statements may fold (folding.may_fold);
    fold_periods: each distinct (date, date_precision, date_end) with the days its report may tell
    (folding.report_period). Both rules are the store's, run once per distinct value in Python."""
    kinds = [k for k in con.execute(f"SELECT DISTINCT dataset, modality, type FROM {scan}").fetchall()
             if may_fold(*k)]
    con.register("fold_kinds", pa.table({name: pa.array([k[i] for k in kinds], pa.string())
                                         for i, name in enumerate(("dataset", "modality", "type"))}))
    periods = []
    for day, precision, end in con.execute(
            f"SELECT DISTINCT date, date_precision, date_end FROM {scan} WHERE date IS NOT NULL").fetchall():
        if (span := report_period(day, precision, end)) is not None:
            periods.append((day, precision, end, *span))
    columns = (("date", pa.date32()), ("date_precision", pa.string()), ("date_end", pa.date32()),
               ("lo", pa.date32()), ("hi", pa.date32()))
    con.register("fold_periods", pa.table({name: pa.array([p[i] for p in periods], kind)
                                           for i, (name, kind) in enumerate(columns)}))


def _partitions(con, scan: str, resolved: int) -> int:
    """Into how many parts the involved rows go, each held by its own events store: merging and
    folding are functions of one dyad's rows (graphkit.store.folding), so parts cut along unordered
    dyads give the events one store gives, while each store stays small (one store of millions of
    rows grows slower than linearly and holds them all at once). One part when some id is told with
    two dyads (not a file graphkit wrote): the store merges by id, so such rows must meet."""
    parts = -(-resolved // _PART_ROWS)
    if parts <= 1:
        return 1
    ((split_ids,),) = con.execute(f"""SELECT count(*) FROM (
        SELECT x.id FROM {scan} AS x SEMI JOIN involved AS i ON x.filename = i.f AND x.file_row_number = i.n
        GROUP BY x.id HAVING count(DISTINCT ({_DYAD})) > 1)""").fetchall()
    return 1 if split_ids else parts


def _write_events(con, scan: str, path: Path, pa, parts: int) -> int:
    """Read the involved rows as statements, part by part (_partitions), hold each part as a store
    does (events_store) and write its events to `path` in the shard schema, each with the file and row
    number of its first report."""
    import pyarrow.parquet as pq

    from ..shards import record_of, schema, statement_of_record
    from ..store import events_store

    # id -> where its first report stands, as one int (file number << 40 | row): a part's ids
    first: dict[str, int] = {}
    file_number: dict[str, int] = {}
    reader = con.sql(f"""SELECT hash({_DYAD}) % {parts} AS _part, x.* FROM {scan} AS x SEMI JOIN involved AS i
        ON x.filename = i.f AND x.file_row_number = i.n
        ORDER BY _part, x.filename, x.file_row_number""").to_arrow_reader(_BATCH_ROWS)

    def rows_by_part() -> Iterator[tuple[int, dict]]:
        for batch in reader:
            for d in batch.to_pylist():
                yield d.pop("_part"), d

    def reports(part: Iterator[tuple[int, dict]]) -> Iterator:
        for _, d in part:
            try:
                st = statement_of_record(d)
            except (KeyError, TypeError, ValueError) as err:
                raise InputError(f"{d['filename']}:row {d['file_row_number'] + 1}", f"not a statement ({err})") \
                    from None
            if st.id not in first:
                number = file_number.setdefault(d["filename"], len(file_number))
                first[st.id] = number << 40 | d["file_row_number"]
            yield st

    sch = schema().append(pa.field("filename", pa.string())).append(pa.field("file_row_number", pa.int64()))
    written = 0
    rows: list[dict] = []
    with pq.ParquetWriter(path, sch) as out:
        for _, part in groupby(rows_by_part(), key=itemgetter(0)):
            with events_store(reports(part)) as store:
                names = list(file_number)  # in number order
                for st in store.statements():
                    rec = record_of(st)
                    where = first[st.id]
                    rec["filename"], rec["file_row_number"] = names[where >> 40], where & (1 << 40) - 1
                    rows.append(rec)
                    if len(rows) >= _BATCH_ROWS:
                        out.write_table(pa.Table.from_pylist(rows, schema=sch))
                        written += len(rows)
                        rows.clear()
            first.clear()
        if rows or not written:
            out.write_table(pa.Table.from_pylist(rows, schema=sch))
            written += len(rows)
    return written
