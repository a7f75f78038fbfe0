"""Neo4j store: the graph users query with Cypher (model in docs/graph-model.md).

Every statement is a file in cypher/ (graphkit.cypher); values are parameters, and the
relationship type / label of the few template files is a checked typology name.
A batch is written in one managed transaction (session.execute_write retries
transient failures), every write MERGEs on deterministic ids, so a load that
is killed and run again ends with the graph a clean run gives.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import fields

from .. import cypher, typology
from ..errors import GraphkitError, StoreError
from ..model import (
    PLACE_FIELDS,
    TELLING_FIELDS,
    Actor,
    ActorRef,
    Article,
    LoadBatch,
    LoadCounts,
    Mention,
    Statement,
)
from ..typology import checked_label
from .base import StatementFilter, Store, finish_rows, library_params
from .folding import EVENT_COLUMNS, event_row, fold_rows
from .prepare import GRAPHKIT_DATASET, STATEMENT_COLUMNS, merge_rows, prepare
from .uri import has_userinfo, redact, redact_text

log = logging.getLogger(__name__)

_ST_TYPE, _ST_SOURCE, _ST_TARGET, _ST_DATASET = (STATEMENT_COLUMNS.index(c)
                                                  for c in ("type", "source", "target", "dataset"))


def _refold(tx, dyads: Iterable[tuple[str, str]]) -> None:
    """Recompute which statements of these dyads fold into one event (graphkit.store.folding) and the
    events' mention counts and folded evidence ids; writes only what changed. Inside the batch's
    transaction, so a retried batch recomputes it from what the retry wrote."""
    pairs = _Rows(sorted({p for a, b in dyads for p in ((a, b), (b, a))}))
    records = [r.data() for r in tx.run(cypher.load("read/fold_rows"), dyads=pairs)]
    events = [event_row([r[c] for c in EVENT_COLUMNS]) for r in records]
    into = {f.id: f.folded_into for f in fold_rows(events)}
    members: dict[str, list[str]] = defaultdict(list)
    for r in records:
        if (root := into.get(r["id"])) is not None:
            members[root] += r["mention_ids"] or []
    changed: dict[str, _Rows] = defaultdict(_Rows)
    for r in records:
        folded_ids = sorted(set(members.get(r["id"], ()))) or None
        mentions = len(r["mention_ids"] or ()) + len(folded_ids or ())
        if (r["folded_into"], r["mentions"], r["folded_mention_ids"]) != (into[r["id"]], mentions, folded_ids):
            changed[r["type"]].append([r["id"], r["source"], r["target"], into[r["id"]], mentions, folded_ids])
    for type_, rows in changed.items():
        tx.run(cypher.templated("write/statement_fold", rel_type=type_), rows=rows).consume()


class _Rows(list):
    """A query's row list. The driver formats every RUN's parameters for its debug log line even when
    debug logging is off (neo4j-python-driver, Bolt run()); with this repr that costs nothing instead of
    ~10% of a load's client time, and article text never reaches a log."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def neo4j_error(err: Exception, uri: str) -> StoreError:
    """One line: the server's code and message, or why it could not be reached (never a password)."""
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

    if isinstance(err, AuthError):
        return StoreError(f"Neo4j at {redact(uri)} refused the credentials (NEO4J_USER / NEO4J_PASSWORD)")
    if isinstance(err, ServiceUnavailable):
        return StoreError(f"cannot reach Neo4j at {redact(uri)} (is it running? `graphkit neo4j start`)")
    if isinstance(err, Neo4jError):
        message = redact_text(" ".join(str(err.message or "").split()))
        return StoreError(f"Neo4j {err.code}: {message}")
    return StoreError(f"Neo4j at {redact(uri)}: {redact_text(' '.join(str(err).split()))}")


def _native(value):
    """Driver values (neo4j.time.Date, nested in lists and maps) as plain Python values.

    A node becomes a map of its properties plus ``_id`` and ``_labels``; a relationship its
    properties plus ``_id``, ``_type``, ``_start`` and ``_end`` (element ids); a path the
    maps of its ``nodes`` and ``relationships``."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"_id": value.element_id, "_labels": sorted(value.labels),
                **{k: _native(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"_id": value.element_id, "_type": value.type,
                "_start": value.start_node.element_id if value.start_node is not None else None,
                "_end": value.end_node.element_id if value.end_node is not None else None,
                **{k: _native(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {"nodes": [_native(n) for n in value.nodes],
                "relationships": [_native(r) for r in value.relationships]}
    if hasattr(value, "to_native"):
        return value.to_native()
    if isinstance(value, list):
        return [_native(v) for v in value]
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items()}
    return value


class Neo4jStore(Store):
    def __init__(self, uri: str, *, database: str | None = None):
        from neo4j import GraphDatabase

        self.uri = uri
        if has_userinfo(uri):
            raise StoreError(f"{redact(uri)}: put credentials in NEO4J_USER / NEO4J_PASSWORD, not in the URI")
        password = os.environ.get("NEO4J_PASSWORD")
        auth = (os.environ.get("NEO4J_USER", "neo4j"), password) if password else None
        self.database = database or os.environ.get("NEO4J_DATABASE") or None
        try:
            self.driver = GraphDatabase.driver(uri, auth=auth)
        except Exception as err:  # noqa: BLE001 - every driver failure becomes one line
            raise neo4j_error(err, uri) from None
        try:
            self.driver.verify_connectivity()
        except Exception as err:  # noqa: BLE001
            self.driver.close()
            raise neo4j_error(err, uri) from None
        self._schema_done = False
        self._writer: ThreadPoolExecutor | None = None

    def close(self) -> None:
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None
        self.driver.close()

    def _session(self, read: bool = False, own_queries: bool = True):
        from neo4j import READ_ACCESS, WRITE_ACCESS

        # graphkit's own queries read properties a graph may not have yet (no statement with a place
        # or a casualty count so far): the server's "unknown property key" notice is noise there, and
        # the driver would log it as a warning. A user's Cypher (run_cypher) keeps every notice.
        quiet = {"notifications_disabled_categories": ["UNRECOGNIZED"]} if own_queries else {}
        return self.driver.session(database=self.database, default_access_mode=READ_ACCESS if read else WRITE_ACCESS,
                                   **quiet)

    def _read(self, name: str, **params) -> list:
        return self._read_all([(cypher.load(name), params)])[0]

    def _read_all(self, queries: list[tuple[str, dict]]) -> list[list]:
        """Each query's records, all in one read transaction."""
        try:
            with self._session(read=True) as session:
                return session.execute_read(lambda tx: [list(tx.run(text, params)) for text, params in queries])
        except GraphkitError:
            raise
        except Exception as err:  # noqa: BLE001
            raise neo4j_error(err, self.uri) from None

    def ensure_schema(self) -> None:
        try:
            with self._session() as session:
                for statement in cypher.statements("schema"):
                    session.run(statement).consume()
        except Exception as err:  # noqa: BLE001
            raise neo4j_error(err, self.uri) from None
        self._schema_done = True

    # -- writing ---------------------------------------------------------------------------------

    def write(self, batch: LoadBatch) -> LoadCounts:
        return self.write_async(batch).result()

    def write_async(self, batch: LoadBatch) -> Future:
        """Prepare the batch here (validation errors raise now), send it from a single writer thread.

        Batches are committed one after another in submission order, each in its own transaction;
        the caller prepares the next batch while the server works on this one. The future's result
        is the batch's LoadCounts (or its StoreError).
        """
        work = self._transaction_work(batch)
        if not self._schema_done:
            self.ensure_schema()
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphkit-neo4j-writer")
        return self._writer.submit(self._send, work)

    def _send(self, work) -> LoadCounts:
        try:
            with self._session() as session:
                return session.execute_write(work)
        except GraphkitError:
            raise
        except Exception as err:  # noqa: BLE001
            raise neo4j_error(err, self.uri) from None

    def _transaction_work(self, batch: LoadBatch):
        prep = prepare(batch)  # validates everything before the transaction starts
        # Statement and mention rows go as the positional lists prepare() made (columns documented in
        # the two query files): no per-row dicts on either side of the wire.
        mentions = _Rows(prep.mentions)
        by_type: dict[str, _Rows] = defaultdict(_Rows)
        for row in prep.statements:
            by_type[row[_ST_TYPE]].append(row)
        articles = _Rows(prep.articles)
        actors = _Rows({"id": a["id"], "update": not a["from_ref"],
                        "props": {k: v for k, v in a.items() if k != "from_ref" and v is not None}}
                       for a in prep.actors)
        by_label: dict[str, _Rows] = defaultdict(_Rows)
        for a in prep.actors:
            by_label[a["kind"]].append(a["id"])
        by_affiliation: dict[str, _Rows] = defaultdict(_Rows)
        for af in prep.affiliations:
            by_affiliation[af["type"]].append(af)
        # Templates are filled before the transaction: a refused type fails before anything is sent.
        statement_queries = {t: cypher.templated("write/statements", rel_type=t) for t in by_type}
        stored_queries = {t: cypher.templated("write/statement_stored", rel_type=t) for t in by_type}
        merge_queries = {t: cypher.templated("write/statement_merge", rel_type=t) for t in by_type}
        n_cols = len(STATEMENT_COLUMNS)
        dyads = _Rows({(row[_ST_SOURCE], row[_ST_TARGET]) for row in prep.statements
                       if row[_ST_DATASET] == GRAPHKIT_DATASET})
        label_queries = {k: cypher.templated("write/actor_labels", label=checked_label(k)) for k in by_label}
        affiliation_queries = {t: cypher.templated("write/affiliations", rel_type=t) for t in by_affiliation}

        def work(tx) -> LoadCounts:
            counts = LoadCounts()
            created = tx.run(cypher.load("write/articles"), rows=articles).consume().counters.nodes_created
            counts.added["articles"], counts.present["articles"] = created, len(prep.articles) - created
            record = tx.run(cypher.load("write/actors"), rows=actors).single(strict=True)
            counts.added["actors"], counts.present["actors"] = record["created"], len(actors) - record["created"]
            touched = set(record["touched"])
            for kind, ids in by_label.items():
                if fresh := _Rows(i for i in ids if i in touched):
                    tx.run(label_queries[kind], ids=fresh, kind=kind).consume()
            for t, rows in by_affiliation.items():
                tx.run(affiliation_queries[t], rows=rows).consume()
            if prep.roles:
                tx.run(cypher.load("write/roles"), rows=_Rows(prep.roles)).consume()
            for t, rows in by_type.items():  # statements told again: combine with what is stored
                stored = {r["row"][0]: r["row"] for r in tx.run(stored_queries[t], ids=_Rows(row[0] for row in rows))}
                changed = _Rows()
                for row in rows:
                    if (before := stored.get(row[0])) is not None:
                        merged = merge_rows(before, row[:n_cols])
                        if merged != before:
                            changed.append(merged)
                if changed:
                    tx.run(merge_queries[t], rows=changed).consume()
            added = 0
            for t, rows in by_type.items():  # each query creates statement relationships and nothing else
                added += tx.run(statement_queries[t], rows=rows).consume().counters.relationships_created
            created = tx.run(cypher.load("write/mentions"), rows=mentions).consume().counters.nodes_created
            if dyads:
                _refold(tx, dyads)
            counts.added["statements"], counts.added["mentions"] = added, created
            counts.present["statements"] = len(prep.statements) - added + prep.duplicates_in_batch
            return counts

        return work

    def refold(self, dyads: Iterable[tuple[str, str]]) -> None:
        """Fold the reports of one event among these dyads' statements (after a bulk import, which
        writes rows without the batched writer's folding)."""
        dyads = list(dyads)
        try:
            with self._session() as session:
                for i in range(0, len(dyads), 20_000):
                    session.execute_write(_refold, dyads[i:i + 20_000])
        except GraphkitError:
            raise
        except Exception as err:  # noqa: BLE001
            raise neo4j_error(err, self.uri) from None

    def initial_import(self, *, home_dir: str | None = None, folder: str):
        from .neo4j_bulk import BulkSink, local_home

        return BulkSink(self, home=local_home(self.uri, home_dir), folder=folder)

    # -- reading ---------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        per_type = [(cypher.templated("read/count_type", rel_type=t), {}) for t in typology.types()]
        nodes, *types = self._read_all([(cypher.load("read/counts"), {}), *per_type])
        record, statements = nodes[0], sum(rows[0]["n"] for rows in types)
        return {"articles": record["articles"], "actors": record["actors"], "statements": statements,
                "mentions": record["mentions"]}

    def actors(self, ids: Iterable[str] | None = None) -> list[Actor]:
        rows = self._read("read/actors", ids=None if ids is None else list(ids))
        return [Actor(a["id"], a["name"], a["kind"], a.get("country"), a.get("sector"),
                      tuple(a.get("aliases") or ()), bool(a.get("provisional")))
                for a in (r["actor"] for r in rows)]

    def articles(self) -> list[Article]:
        out = []
        for r in self._read("read/articles"):
            a = r["article"]
            out.append(Article(id=a["id"], text="", title=a.get("title"), outlet=a.get("outlet"), url=a.get("url"),
                               published=_native(a.get("published")), date_source=a.get("date_source") or "none",
                               source=a.get("source"), language=a.get("language") or "en",
                               dateline_place=a.get("dateline_place")))
        return out

    def statements(self, flt: StatementFilter | None = None) -> Iterator[Statement]:
        flt = flt or StatementFilter()
        rows = self._read("read/statements", since=flt.since, until=flt.until, actors=list(flt.actors),
                          types=list(flt.types), modalities=list(flt.modalities), datasets=list(flt.datasets),
                          folded=flt.folded)
        for r in rows:
            p = r["props"]
            evidence = sorted((Mention(*(m.get(name) for name in TELLING_FIELDS)) for m in r["evidence"]),
                              key=lambda m: (m.article_id or "", m.char_start or 0, m.char_end or 0))
            s, t = r["source"], r["target"]
            yield Statement(
                id=p["id"], source=ActorRef(s["id"], s["name"], s["kind"], s.get("country")),
                target=ActorRef(t["id"], t["name"], t["kind"], t.get("country")), type=r["type"],
                cameo=p.get("cameo"), quad_class=p.get("quad_class"), goldstein=p.get("goldstein"),
                date=_native(p.get("date")), date_precision=p["date_precision"], modality=p["modality"],
                attribution=p.get("attribution"), location=p.get("location"), article_id=p.get("article_id"),
                sentence=p.get("sentence"), char_start=p.get("char_start"), char_end=p.get("char_end"),
                rule=p.get("rule"), confidence=p["confidence"], **{name: p.get(name) for name in TELLING_FIELDS[7:]},
                mentions=p["mentions"], dataset=p["dataset"],
                evidence=tuple(evidence), extra=json.loads(p["extra"]) if p.get("extra") else {},
                date_end=_native(p.get("date_end")), killed=p.get("killed"),
                killed_at_least=bool(p.get("killed_at_least")), injured=p.get("injured"),
                injured_at_least=bool(p.get("injured_at_least")), **{name: p.get(name) for name in PLACE_FIELDS})

    def statement_frame(self, flt: StatementFilter | None = None, columns: Sequence[str] | None = None):
        """One Cypher projection of the core columns (cypher/read/statement_frame.cypher), streamed
        into arrays (see Store.statement_frame): no evidence, no Statement object per row."""
        from ..analysis.frame import CORE_COLUMNS, ColumnReader

        wanted = list(columns or CORE_COLUMNS)
        projected = set(CORE_COLUMNS) | {"source_kind", "target_kind"}
        # other Statement properties come through r[c] (property names, never spliced into the text)
        more = [c for c in wanted if c not in projected]
        if any(c not in _FRAME_PROPERTIES for c in more):
            return super().statement_frame(flt, wanted)
        flt = flt or StatementFilter()
        params = dict(since=flt.since, until=flt.until, actors=list(flt.actors), types=list(flt.types),
                      modalities=list(flt.modalities), datasets=list(flt.datasets), folded=flt.folded,
                      more=more)
        at = {c: more.index(c) for c in more}

        def read(tx):  # a fresh reader per attempt: the driver may retry the transaction
            reader, chunk = ColumnReader(wanted), []
            for record in tx.run(cypher.load("read/statement_frame"), params):
                extra = record["more"]
                chunk.append(tuple(_frame_value(extra[at[c]]) if c in at else record[c] for c in wanted))
                if len(chunk) >= 100_000:
                    reader.add(chunk)
                    chunk = []
            reader.add(chunk)
            return reader

        try:
            with self._session(read=True) as session:
                reader = session.execute_read(read)
        except GraphkitError:
            raise
        except Exception as err:  # noqa: BLE001
            raise neo4j_error(err, self.uri) from None
        return reader.frame()

    def run_library(self, name: str, params: dict) -> list[dict]:
        p = library_params(name, params)
        rows = self._read(f"queries/{name}", **p)
        return finish_rows(name, [r.data() for r in rows])

    def _query_type(self, text: str, params: dict) -> str | None:
        """What the server plans `text` as (EXPLAIN: nothing runs): "r", "w", "rw" or "s"."""
        try:
            with self._session(read=True) as session:
                return session.run(_explained(text), params).consume().query_type
        except Exception as err:  # noqa: BLE001
            raise neo4j_error(err, self.uri) from None

    def run_cypher(self, text: str, params: dict | None = None, write: bool = False) -> list[dict]:
        """Ad-hoc Cypher. Without write=True only a read query runs: administration commands are
        refused (TERMINATE reports itself as a read), the server must plan the query as a read
        (EXPLAIN first: query type "r"; writes, schema and DBMS procedures such as
        dbms.killConnections are "w" or "s"), and it runs in a read transaction."""
        if not write:
            if admin := admin_command(text):
                raise StoreError(f"{admin} is an administration command; read mode refuses it (add --write "
                                 "to run it)")
            kind = self._query_type(text, params or {})
            if kind != "r":
                raise StoreError(f"read mode runs read queries only; the server plans this one as "
                                 f"{_QUERY_TYPES.get(kind, repr(kind))} (add --write to run it)")
        try:
            with self._session(read=not write, own_queries=False) as session:
                run = session.execute_write if write else session.execute_read
                # record.items(), not record.data(): data() flattens a relationship to a
                # (start, type, end) tuple and drops its properties.
                return run(lambda tx: [{k: _native(v) for k, v in r.items()} for r in tx.run(text, params or {})])
        except Exception as err:  # noqa: BLE001
            raise neo4j_error(err, self.uri) from None


_QUERY_TYPES = {"r": "a read", "w": "a write", "rw": "a read and write", "s": "a schema or DBMS command"}
_LITERALS = re.compile(r"//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`", re.S)
_ADMIN = re.compile(r"\bTERMINATE\s+TRANSACTIONS?\b|\bCALL\s+[\w.]*?(?:kill|clear|terminate|quarantine|checkpoint|"
                    r"upgrade|reset|reload)\w*", re.I)


def admin_command(text: str) -> str | None:
    """The administration command in a Cypher text (outside strings and comments), or None."""
    m = _ADMIN.search(_LITERALS.sub(" ", text))
    return " ".join(m.group(0).split()) if m else None


def _explained(text: str) -> str:
    stripped = text.lstrip()
    head = stripped[:8].upper()
    if head.startswith("EXPLAIN"):
        return stripped
    if head.startswith("PROFILE"):
        return "EXPLAIN" + stripped[len("PROFILE"):]
    return "EXPLAIN " + stripped


#: Statement properties statement_frame can read besides the core columns (stored on the relationship).
_FRAME_PROPERTIES = frozenset(f.name for f in fields(Statement)) - {"source", "target", "evidence", "type"}


def _frame_value(value):
    """A property as the frame holds it: dates as ISO text (as read/statement_frame returns `date`)."""
    return value.iso_format() if hasattr(value, "iso_format") else value
