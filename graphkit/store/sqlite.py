"""Embedded store: one SQLite file, no server.

Tables mirror the Neo4j graph: actors (nodes), statements (typed edges),
mentions (evidence, one row per statement/article/char span), articles,
affiliations and roles.  A statement's own telling (the evidence whose article,
sentence, span, rule and confidence are the statement row's: nearly every
statement's only mention) is not repeated in `mentions`: the statement row
names it in `own_mention`, and every read adds it back.  Each write() is one transaction; inserts are
INSERT ... ON CONFLICT DO NOTHING on deterministic ids, so a batch written twice changes nothing.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from operator import itemgetter
from urllib.parse import urlsplit

from ..errors import StoreError
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
from ..runtime import cyclic_gc_paused
from .base import COUNTED_MODALITIES, StatementFilter, Store, finish_rows, library_params
from .folding import EVENT_COLUMNS, event_row, fold_rows, group_key
from .prepare import GRAPHKIT_DATASET, MENTION_COLUMNS, ST_MENTION_IDS, STATEMENT_COLUMNS, merge_rows, prepare
from .uri import redact

# Telling columns added after the first release: created with the table, added to older files on open.
_LATER_COLUMNS = {"record_id": "TEXT", "source_text": "TEXT", "source_start": "INTEGER", "source_end": "INTEGER",
                  "target_text": "TEXT", "target_start": "INTEGER", "target_end": "INTEGER"}
assert tuple(_LATER_COLUMNS) == TELLING_FIELDS[7:]
_LATER_DDL = ", ".join(f"{name} {kind}" for name, kind in _LATER_COLUMNS.items())

# Layout 4: the resolved place of a statement (model.PLACE_FIELDS); layout 5: how it was placed.
_PLACE_COLUMNS = {"place_name": "TEXT", "place_feature": "TEXT", "place_precision": "TEXT", "place_country": "TEXT",
                  "place_admin1": "TEXT", "place_admin2": "TEXT", "latitude": "REAL", "longitude": "REAL",
                  "geonames_id": "INTEGER", "place_source": "TEXT"}
assert tuple(_PLACE_COLUMNS) == tuple(PLACE_FIELDS)
_PLACE_DDL = ", ".join(f"{name} {kind}" for name, kind in _PLACE_COLUMNS.items())

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS articles (
  id TEXT PRIMARY KEY, title TEXT, outlet TEXT, url TEXT, published TEXT,
  date_source TEXT, source TEXT, language TEXT, dateline_place TEXT);
CREATE TABLE IF NOT EXISTS actors (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, country TEXT, sector TEXT,
  aliases TEXT NOT NULL DEFAULT '[]', provisional INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS affiliations (
  source TEXT NOT NULL, target TEXT NOT NULL, type TEXT NOT NULL, start TEXT, "end" TEXT,
  PRIMARY KEY (source, target, type));
CREATE TABLE IF NOT EXISTS roles (
  actor TEXT NOT NULL, role TEXT NOT NULL, organisation TEXT NOT NULL, start TEXT, "end" TEXT,
  PRIMARY KEY (actor, role, organisation));
CREATE TABLE IF NOT EXISTS statements (
  id TEXT PRIMARY KEY, source TEXT NOT NULL, target TEXT NOT NULL, type TEXT NOT NULL,
  cameo TEXT, quad_class INTEGER, goldstein REAL, date TEXT, date_precision TEXT NOT NULL,
  modality TEXT NOT NULL, attribution TEXT, location TEXT, article_id TEXT, sentence TEXT,
  char_start INTEGER, char_end INTEGER, rule TEXT, confidence REAL NOT NULL, {_LATER_DDL},
  mentions INTEGER NOT NULL, dataset TEXT NOT NULL, extra TEXT, own_mention TEXT, date_end TEXT, killed INTEGER,
  killed_at_least INTEGER NOT NULL DEFAULT 0, injured INTEGER, injured_at_least INTEGER NOT NULL DEFAULT 0,
  {_PLACE_DDL}, folded_into TEXT);
CREATE INDEX IF NOT EXISTS statements_source ON statements (source, target);
CREATE INDEX IF NOT EXISTS statements_target ON statements (target, source);
CREATE INDEX IF NOT EXISTS statements_date ON statements (date);
CREATE INDEX IF NOT EXISTS statements_article ON statements (article_id) WHERE own_mention IS NOT NULL;
CREATE INDEX IF NOT EXISTS statements_folded ON statements (folded_into) WHERE folded_into IS NOT NULL;
CREATE TABLE IF NOT EXISTS mentions (
  id TEXT PRIMARY KEY, statement_id TEXT NOT NULL, article_id TEXT, sentence TEXT,
  char_start INTEGER, char_end INTEGER, rule TEXT, confidence REAL, attribution TEXT, {_LATER_DDL});
CREATE INDEX IF NOT EXISTS mentions_statement ON mentions (statement_id);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions (article_id);
"""

_ADDED_COLUMNS = {"date_end": "TEXT", "killed": "INTEGER", "killed_at_least": "INTEGER NOT NULL DEFAULT 0",
                  "injured": "INTEGER", "injured_at_least": "INTEGER NOT NULL DEFAULT 0", **_PLACE_COLUMNS}
_SECONDARY_INDEXES = tuple(re.findall(r"CREATE INDEX IF NOT EXISTS (\w+)", SCHEMA))
_ST_COLS = STATEMENT_COLUMNS  # the table's columns are the prepared row's, in the same order, then own_mention
_N_ST = len(_ST_COLS)
_ACTOR_FIELDS = ("name", "country", "kind")  # an end's columns statement_frame reads from the actors table
# ON CONFLICT DO NOTHING, not OR IGNORE: only a known id is skipped, a NOT NULL violation still fails the batch.
_ROWS_PER_INSERT = 64  # statements per INSERT: one VM run per 64 rows instead of per row (~20% of the insert)


def _insert_statements(n_rows: int) -> str:
    row = f"({', '.join('?' * (len(_ST_COLS) + 1))})"
    return (f"INSERT INTO statements ({', '.join(_ST_COLS)}, own_mention) VALUES {', '.join([row] * n_rows)} "
            "ON CONFLICT DO NOTHING")


_INSERT_ST = _insert_statements(_ROWS_PER_INSERT)
_INSERT_ST_ONE = _insert_statements(1)
# A mention row is the statement's own telling when these columns of it equal the statement's.
_PROVENANCE = TELLING_FIELDS
_OWN_M = itemgetter(*(MENTION_COLUMNS.index(c) for c in _PROVENANCE))
_OWN_ST = itemgetter(*(STATEMENT_COLUMNS.index(c) for c in _PROVENANCE))
_M_COLS = MENTION_COLUMNS[:-2]  # a prepared mention row's first columns (source, target are not stored)
_N_M = len(_M_COLS)
_INSERT_M = (f"INSERT INTO mentions ({', '.join(_M_COLS)}) VALUES ({', '.join('?' * len(_M_COLS))}) "
             "ON CONFLICT DO NOTHING")
_CHUNK = 500  # ids per IN (...) lookup, below SQLite's variable limit
_STREAM_ROWS = 10_000  # statements read per block by Store.statements
_BULK_CHECKPOINT_PAGES = 16384  # WAL may grow to ~256 MiB (16 KiB pages) during a bulk load
_BY_ID = itemgetter(0)
_I_DATASET = STATEMENT_COLUMNS.index("dataset")
_FOLD_SELECT = (f"SELECT {', '.join('s.' + c for c in EVENT_COLUMNS)}, s.folded_into, s.mentions FROM statements s")


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _date(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def _path(uri: str) -> str:
    parts = urlsplit(uri)
    path = parts.path
    if parts.netloc:  # sqlite://relative/path -> relative/path
        path = parts.netloc + path
    elif path.startswith("/"):  # sqlite:///graphkit.db -> graphkit.db ; sqlite:////abs -> /abs
        path = path[1:]
    return path or ":memory:"


# The layout of the tables above. Bump it with a migration in _migrate() when the layout changes;
# a store written by a newer graphkit (a higher number) is refused, an older one is migrated.
SCHEMA_VERSION = 5  # 1: the first layout; 2: statements.own_mention; 3: datelines, attribution, event range,
# casualties, record ids and party spans; 4: the statement's resolved place (coordinates, GeoNames id);
# 5: place_source (the sentence, or which fallback placed the statement) and statements.folded_into (one
# event told at several precisions, graphkit.store.folding)
_OURS = {"articles", "actors", "affiliations", "roles", "statements", "mentions"}
DEFAULT_BUSY_TIMEOUT = 5.0  # seconds a write waits for another process's lock (?timeout=S, GRAPHKIT_BUSY_TIMEOUT)


def _busy_timeout(uri: str) -> float:
    from urllib.parse import parse_qs

    raw = parse_qs(urlsplit(uri).query).get("timeout", [None])[0] or os.environ.get("GRAPHKIT_BUSY_TIMEOUT")
    if raw is None:
        return DEFAULT_BUSY_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86400:
        raise StoreError(f"busy timeout {raw!r}: expected seconds between 0 and 86400 (?timeout=S or "
                         "GRAPHKIT_BUSY_TIMEOUT)")
    return value


class SqliteStore(Store):
    def __init__(self, uri: str, *, create: bool = True):
        self.uri = uri
        self.read_only = False
        path = _path(uri)
        self.timeout = _busy_timeout(uri)
        if path != ":memory:":
            _check_file(uri, path, create)
            if not create and not (os.access(path, os.W_OK) and os.access(os.path.dirname(path) or ".", os.W_OK)):
                # A read command on a store it cannot write (read-only file, folder or filesystem):
                # opened immutable, so SQLite creates no -wal/-shm beside it and takes no locks.
                self.read_only = True
        try:
            self._connect(path)
        except sqlite3.Error as err:
            if create or self.read_only:
                raise self._error(err, "cannot open") from None
            self.read_only = True  # a read command: a store it cannot write is still readable
            try:
                self._connect(path)
            except sqlite3.Error as err2:
                raise self._error(err2, "cannot open") from None
        self._bulk_touched: list[str] | None = None  # statement ids a bulk load wrote, to fold at its end
        self._bulk_gained: list[str] = []  # stored statements a bulk load told again, to recount at its end
        self._migrated_folds = False
        self.ensure_schema()
        if self._migrated_folds:  # a store written before folding: fold what it holds, once
            self._in_transaction(lambda: self._refold(None))

    def _in_transaction(self, work) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            work()
            self.conn.execute("COMMIT")
        except BaseException as err:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(err, sqlite3.Error):
                raise self._error(err) from None
            raise

    def _connect(self, path: str) -> None:
        if self.read_only:
            from urllib.parse import quote

            self.conn = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?immutable=1", uri=True,
                                        isolation_level=None, timeout=self.timeout)
        else:
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=self.timeout)
        # 16 KiB pages for a new file (fewer B-tree pages and WAL frames per statement; measured
        # ~5% less CPU on a bulk load). Must precede WAL mode; an existing file keeps its size.
        if not self.read_only:
            self.conn.execute("PRAGMA page_size=16384")
            if path != ":memory:":
                self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA cache_size=-65536")  # 64 MiB: the id indexes stay in memory
        self.conn.execute("PRAGMA temp_store=MEMORY")
        self.conn.execute("PRAGMA foreign_keys=OFF")

    def _error(self, err: sqlite3.Error, doing: str = "") -> StoreError:
        """One line for a SQLite error, saying what the user can do about the common ones."""
        text = str(err)
        prefix = f"{doing} {redact(self.uri)}" if doing else redact(self.uri)
        if "locked" in text or "busy" in text:
            return StoreError(f"{prefix}: another process holds the store (waited {self.timeout:g} s; "
                              "wait for it to finish, or raise the wait with ?timeout=SECONDS or "
                              "GRAPHKIT_BUSY_TIMEOUT)")
        if "disk is full" in text or "database or disk is full" in text:
            return StoreError(f"{prefix}: the disk is full; nothing of the failed batch was written, "
                              "free space and run the same command again")
        if "not a database" in text:
            return StoreError(f"{prefix}: not a SQLite database (a foreign or damaged file)")
        if "readonly" in text or "read-only" in text:
            return StoreError(f"{prefix}: the store is read-only (read commands can still use it)")
        return StoreError(f"{prefix}: {text}")

    def ensure_schema(self) -> None:
        try:
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(f"{redact(self.uri)}: written by a newer graphkit (store layout {version}, "
                                 f"this graphkit knows up to {SCHEMA_VERSION}); upgrade graphkit to use it")
            if tables and not tables & _OURS:
                raise StoreError(f"{redact(self.uri)}: a SQLite database of something else (tables: "
                                 f"{', '.join(sorted(tables)[:5])}), not a graphkit store; pick another file")
            if self.read_only:
                if "statements" not in tables:
                    raise StoreError(f"{redact(self.uri)}: an empty read-only file, not a graphkit store")
                if "folded_into" not in {r[1] for r in self.conn.execute("PRAGMA table_info(statements)")}:
                    # an older layout read where it cannot be migrated: a temp view (searched before the
                    # file's tables) reads it as unfolded
                    self.conn.execute("CREATE TEMP VIEW IF NOT EXISTS statements AS "
                                      "SELECT *, NULL AS folded_into FROM main.statements")
                return
            if tables:
                self._migrate(version)
            self.conn.executescript(SCHEMA)
            if version != SCHEMA_VERSION:
                self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.Error as err:
            raise self._error(err) from None

    def _migrate(self, version: int) -> None:
        """An older store brought to SCHEMA_VERSION (version 0: written before versions were kept).
        Each step adds what a layout lacks, so it is safe on any older layout."""
        columns = {r[1] for r in self.conn.execute("PRAGMA table_info(statements)")}
        if columns and "own_mention" not in columns:  # layout 1: before own_mention existed
            self.conn.execute("ALTER TABLE statements ADD COLUMN own_mention TEXT")
        if columns and "folded_into" not in columns:  # layout 5: events folded across precisions
            self.conn.execute("ALTER TABLE statements ADD COLUMN folded_into TEXT")
            self._migrated_folds = True
        # layout 3: datelines, who said what, the event's range and casualties, record ids and party spans
        have = {r[1] for r in self.conn.execute("PRAGMA table_info(articles)")}
        if have and "dateline_place" not in have:
            self.conn.execute("ALTER TABLE articles ADD COLUMN dateline_place TEXT")
        mention_columns = {r[1] for r in self.conn.execute("PRAGMA table_info(mentions)")}
        if mention_columns and "attribution" not in mention_columns:
            self.conn.execute("ALTER TABLE mentions ADD COLUMN attribution TEXT")
        for name in _ADDED_COLUMNS:
            if columns and name not in columns:
                self.conn.execute(f"ALTER TABLE statements ADD COLUMN {name} {_ADDED_COLUMNS[name]}")
        for table in ("statements", "mentions"):
            have = {r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")}
            for name, kind in _LATER_COLUMNS.items():
                if have and name not in have:
                    self.conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def bulk(self):
        """For a first load into an empty store: the secondary indexes are dropped and rebuilt once
        at the end (one sort instead of a B-tree update per row). Primary keys stay, so writes keep
        their MERGE semantics; if the load is killed, the next open rebuilds the indexes.

        Any SQLite error (here, in the load, or in the rebuild/checkpoint at the end) is one
        StoreError; an error in the clean-up never replaces the one that stopped the load."""
        try:
            small = self.conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM statements LIMIT 1000)").fetchone()[0] < 1000
            if small:
                for name in _SECONDARY_INDEXES:
                    self.conn.execute(f"DROP INDEX IF EXISTS {name}")
                # WAL checkpoints once at the end instead of after every commit: pages rewritten by several
                # batches (B-tree interior pages) are copied to the database once. Each commit stays durable
                # in the WAL; a killed load leaves a WAL that the next open replays.
                self.conn.execute(f"PRAGMA wal_autocheckpoint={_BULK_CHECKPOINT_PAGES}")
        except sqlite3.Error as err:
            raise self._error(err) from None
        if not small:
            yield self  # a store with data: rebuilding its indexes would cost more than it saves
            return
        failed = False
        self._bulk_touched, self._bulk_gained = [], []
        try:
            yield self
        except BaseException:
            failed = True
            raise
        finally:
            touched, self._bulk_touched = self._bulk_touched, None
            gained, self._bulk_gained = self._bulk_gained, []
            try:
                self.ensure_schema()
                if gained:  # counted now the index on mentions is back (without it: a scan per statement)
                    self._in_transaction(lambda: self._recount(list(dict.fromkeys(gained))))
                if touched:  # the committed batches' events, folded now the indexes are back
                    self._in_transaction(lambda: self._refold(touched))
                self.conn.execute("PRAGMA wal_autocheckpoint=1000")  # SQLite's default
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except (sqlite3.Error, StoreError) as err:
                if not failed:  # the first error is the one to report; the next open rebuilds the indexes
                    raise (self._error(err) if isinstance(err, sqlite3.Error) else err) from None

    # -- writing ---------------------------------------------------------------------------------

    def _existing(self, ids: list[str]) -> dict[str, tuple]:
        """The stored statements among ids: their STATEMENT_COLUMNS values, then own_mention."""
        found: dict[str, tuple] = {}
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            sql = (f"SELECT {', '.join(_ST_COLS)}, own_mention FROM statements "
                   f"WHERE id IN ({', '.join('?' * len(chunk))})")
            found.update((r[0], r) for r in self.conn.execute(sql, chunk))
        return found

    def _merge_existing(self, prepared: list[list], existing: dict[str, tuple]) -> list[str]:
        """Statements told again (by another article, or a re-load): their fields become what all
        their tellings give together (prepare.merge_rows, independent of load order). When the lead
        telling changes, the row's own telling first moves to `mentions` so no evidence is lost."""
        changes, moved = [], []
        for s in prepared:
            stored = existing.get(s[0])
            if stored is None or stored[:_N_ST] == tuple(s[:_N_ST]):  # new, or the same telling again
                continue
            merged = merge_rows(stored[:_N_ST], s[:_N_ST])
            if merged == list(stored[:_N_ST]):
                continue
            own = stored[_N_ST]
            if own is not None and _OWN_ST(merged) != _OWN_ST(stored):
                moved.append((own, s[0], *_OWN_ST(stored)))
                own = None
            changes.append((*merged[1:], own, s[0]))
        if moved:
            self.conn.executemany(_INSERT_M, [(sid, mid, *rest) for mid, sid, *rest in moved])
        if changes:
            self.conn.executemany(
                f"UPDATE statements SET {', '.join(c + ' = ?' for c in _ST_COLS[1:])}, own_mention = ? WHERE id = ?",
                changes)
        return [change[-1] for change in changes]

    def _recount(self, ids: list[str]) -> None:
        """Set the mention count of these stored statements to their distinct evidence rows (an imported
        dataset's own count is kept when larger, see prepare())."""
        self.conn.executemany(
            "UPDATE statements SET mentions = (SELECT CASE WHEN statements.dataset = 'graphkit' THEN n "
            "ELSE max(statements.mentions, n) END FROM (SELECT count(*) + (statements.own_mention IS NOT NULL) "
            "AS n FROM mentions WHERE statement_id = ?1)) "
            "WHERE id = ?1 AND EXISTS (SELECT 1 FROM mentions WHERE statement_id = ?1)",
            [(sid,) for sid in ids])

    def _refold(self, ids: Iterable[str] | None) -> None:
        """Recompute which statements of the dyads of these statements (either direction; None: every
        dyad) fold into one event (graphkit.store.folding), and the event rows' mention counts: their
        own evidence and that of every row folded into them. Runs inside the caller's transaction."""
        c = self.conn
        # Only rows with another row of their dyad and type (either direction: symmetric types) can
        # fold or be folded into: nearly every statement is alone in its group, and is never read here.
        peers = ("s.dataset = ? AND (EXISTS (SELECT 1 FROM statements o WHERE o.source = s.source "
                 "AND o.target = s.target AND o.type = s.type AND o.id <> s.id AND o.dataset = s.dataset) "
                 "OR EXISTS (SELECT 1 FROM statements o WHERE o.source = s.target AND o.target = s.source "
                 "AND o.type = s.type AND o.id <> s.id AND o.dataset = s.dataset))")
        if ids is None:
            rows = c.execute(_FOLD_SELECT + " WHERE " + peers, (GRAPHKIT_DATASET,)).fetchall()
        else:
            ids = list(ids)
            dyads = set()
            for i in range(0, len(ids), _CHUNK):
                chunk = ids[i:i + _CHUNK]
                dyads.update(c.execute(f"SELECT s.source, s.target FROM statements s WHERE s.id IN "
                                       f"({', '.join('?' * len(chunk))}) AND {peers}", [*chunk, GRAPHKIT_DATASET]))
            if not dyads:
                return
            c.execute("CREATE TEMP TABLE IF NOT EXISTS fold_dyads (source TEXT, target TEXT, "
                      "PRIMARY KEY (source, target)) WITHOUT ROWID")
            c.execute("DELETE FROM fold_dyads")
            c.executemany("INSERT OR IGNORE INTO fold_dyads VALUES (?, ?)",
                          [p for a, b in dyads for p in ((a, b), (b, a))])
            rows = c.execute(_FOLD_SELECT + " JOIN fold_dyads k ON s.source = k.source AND s.target = k.target "
                             "WHERE " + peers, (GRAPHKIT_DATASET,)).fetchall()
        n = len(EVENT_COLUMNS)
        events, before, counted = [], {}, {}
        for r in rows:
            events.append(event_row(r[:n]))
            before[r[0]], counted[r[0]] = r[n], r[n + 1]
        into = {f.id: f.folded_into for f in fold_rows(events)}
        changed = [(root, sid) for sid, root in into.items() if before[sid] != root]
        if not changed and not any(before.values()):
            return  # nothing folds in these dyads, nor did before: every count is the row's own
        c.executemany("UPDATE statements SET folded_into = ? WHERE id = ?", changed)
        # Mention counts of every row in a group where something folds, or folded before.
        affected = {group_key(e.source, e.target, e.type) for e in events if before[e.id] or into[e.id]}
        ids = [e.id for e in events if group_key(e.source, e.target, e.type) in affected]
        own: dict[str, int] = dict.fromkeys(ids, 0)
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            own.update(c.execute(f"SELECT id, (own_mention IS NOT NULL) + (SELECT count(*) FROM mentions m "
                                 f"WHERE m.statement_id = s.id) FROM statements s WHERE id IN ({marks})", chunk))
        total = dict(own)
        for sid in ids:
            if (root := into.get(sid)) is not None and root in total:
                total[root] += own[sid]
        c.executemany("UPDATE statements SET mentions = ? WHERE id = ? AND mentions <> ?",
                      [(n_, sid, n_) for sid, n_ in total.items() if counted[sid] != n_])

    def write(self, batch: LoadBatch) -> LoadCounts:
        with cyclic_gc_paused():
            return self._write(batch)

    def _write(self, batch: LoadBatch) -> LoadCounts:
        prep = prepare(batch)  # validates everything before the transaction starts
        counts = LoadCounts()
        c = self.conn
        try:
            c.execute("BEGIN IMMEDIATE")
            before = c.total_changes
            c.executemany(
                "INSERT INTO articles (id, title, outlet, url, published, date_source, source, language, "
                "dateline_place) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(a["id"], a["title"], a["outlet"], a["url"], _iso(a["published"]), a["date_source"], a["source"],
                  a["language"], a["dateline_place"]) for a in prep.articles])
            counts.added["articles"] = c.total_changes - before
            counts.present["articles"] = len(prep.articles) - counts.added["articles"]

            actor_rows = [(a["id"], a["name"], a["kind"], a["country"], a["sector"],
                           json.dumps(a["aliases"], ensure_ascii=False), int(a["provisional"])) for a in prep.actors]
            before = c.total_changes
            c.executemany("INSERT INTO actors VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", actor_rows)
            counts.added["actors"] = c.total_changes - before
            counts.present["actors"] = len(actor_rows) - counts.added["actors"]
            # A registry actor replaces a provisional one; a provisional one never overwrites the registry.
            c.executemany(
                "UPDATE actors SET name=?2, kind=?3, country=?4, sector=?5, aliases=?6, provisional=?7 "
                "WHERE id=?1 AND (provisional=1 OR ?7=0) AND "
                "(name, kind, country, sector, aliases, provisional) IS NOT (?2, ?3, ?4, ?5, ?6, ?7)",
                [r for r, a in zip(actor_rows, prep.actors, strict=True) if not a["provisional"] and not a["from_ref"]])

            c.executemany("INSERT OR REPLACE INTO affiliations VALUES (?, ?, ?, ?, ?)",
                          [(a["source"], a["target"], a["type"], _iso(a["start"]), _iso(a["end"]))
                           for a in prep.affiliations])
            c.executemany("INSERT OR REPLACE INTO roles VALUES (?, ?, ?, ?, ?)",
                          [(r["actor"], r["role"], r["organisation"], _iso(r["start"]), _iso(r["end"]))
                           for r in prep.roles])

            existing = self._existing([s[0] for s in prep.statements])
            mentions = {m[1]: m for m in prep.mentions}
            own = {r[_N_ST] for r in existing.values()}  # evidence already stored as a statement's own telling
            merged = self._merge_existing(prep.statements, existing)
            new_rows = []
            # Sorted by id: inserts walk the primary-key B-tree in order instead of at random.
            for s in sorted(prep.statements, key=_BY_ID):
                if s[0] in existing:
                    continue
                provenance, own_id = _OWN_ST(s), None
                for mid in s[ST_MENTION_IDS]:  # nearly always one
                    if _OWN_M(mentions[mid]) == provenance:
                        own_id = mid
                        own.add(mid)
                        break
                new_rows.append((*s[:_N_ST], own_id))
            full = len(new_rows) - len(new_rows) % _ROWS_PER_INSERT
            c.executemany(_INSERT_ST, ([v for row in new_rows[i:i + _ROWS_PER_INSERT] for v in row]
                                       for i in range(0, full, _ROWS_PER_INSERT)))
            c.executemany(_INSERT_ST_ONE, new_rows[full:])
            counts.added["statements"] = len(new_rows)
            counts.present["statements"] = len(existing) + prep.duplicates_in_batch

            other = sorted(m[:_N_M] for m in prep.mentions if m[1] not in own)
            before = c.total_changes
            c.executemany(_INSERT_M, other)
            counts.added["mentions"] = (c.total_changes - before) + sum(1 for r in new_rows if r[-1] is not None)
            # Statements seen before: their mention count is the number of distinct evidence rows (an
            # imported dataset's own count is kept when larger, see prepare()). Only when evidence was
            # added: with no new mention row no count can change.
            gained = ([s[0] for s in prep.statements if s[0] in existing and s[ST_MENTION_IDS]]
                      if counts.added["mentions"] else [])
            if self._bulk_touched is not None:
                self._bulk_gained += gained
            else:
                self._recount(gained)
            # Folds can change only where a statement is new, changed, or gained evidence (a re-load: none).
            gained = set(gained)
            touched = [s[0] for s in prep.statements if s[_I_DATASET] == GRAPHKIT_DATASET
                       and (s[0] not in existing or s[0] in gained)] + merged
            if self._bulk_touched is not None:
                self._bulk_touched += touched  # folded once at the end of the bulk load, with the indexes back
            elif touched:
                self._refold(touched)
            c.execute("COMMIT")
        except BaseException as err:
            if c.in_transaction:
                try:
                    c.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # the error that stopped the batch is the one to report; SQLite rolls back on close
            if isinstance(err, sqlite3.Error):
                raise self._error(err) from None
            raise
        return counts

    # -- reading ---------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        out = {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
               for t in ("articles", "actors", "statements", "mentions")}
        out["mentions"] += self.conn.execute(
            "SELECT count(*) FROM statements WHERE own_mention IS NOT NULL").fetchone()[0]
        return out

    def actors(self, ids: Iterable[str] | None = None) -> list[Actor]:
        sql = "SELECT id, name, kind, country, sector, aliases, provisional FROM actors"
        if ids is None:
            rows = self.conn.execute(sql + " ORDER BY id").fetchall()
        else:
            wanted = list(dict.fromkeys(ids))
            rows = []
            for i in range(0, len(wanted), _CHUNK):
                chunk = wanted[i:i + _CHUNK]
                rows += self.conn.execute(sql + f" WHERE id IN ({', '.join('?' * len(chunk))})", chunk).fetchall()
            rows.sort()
        return [Actor(r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5])), bool(r[6])) for r in rows]

    def articles(self) -> list[Article]:
        rows = self.conn.execute("SELECT id, title, outlet, url, published, date_source, source, language, "
                                 "dateline_place FROM articles ORDER BY id").fetchall()
        return [Article(id=r[0], text="", title=r[1], outlet=r[2], url=r[3], published=_date(r[4]),
                        date_source=r[5] or "none", source=r[6], language=r[7] or "en", dateline_place=r[8])
                for r in rows]

    def statement_frame(self, flt: StatementFilter | None = None, columns: Sequence[str] | None = None):
        """One SELECT of the asked columns read in chunks into arrays (see Store.statement_frame);
        actor names and countries come from the actors table once per actor, not joined per row."""
        from ..analysis.frame import CORE_COLUMNS, ColumnReader

        wanted = list(columns or CORE_COLUMNS)
        actor_fields = {c: c.partition("_") for c in wanted
                        if c.partition("_")[0] in ("source", "target") and c.partition("_")[2] in _ACTOR_FIELDS}
        own = [c for c in wanted if c not in actor_fields]
        if any(c not in _ST_COLS for c in own):
            return super().statement_frame(flt, wanted)
        read = own + [end for end in ("source", "target") if end not in own and any(
            f[0] == end for f in actor_fields.values())]
        where, args = _where(flt or StatementFilter())
        # dates as days since 1970 (SQLite parses the ISO text in C, faster than Python would)
        exprs = ["CAST(julianday(substr(s.date, 1, 10)) - 2440587.5 AS INTEGER)" if c == "date" else f"s.{c}"
                 for c in read]
        cur = self.conn.execute(f"SELECT {', '.join(exprs)} FROM statements s"
                                + (" WHERE " + " AND ".join(where) if where else ""), args)
        reader = ColumnReader(read)
        while rows := cur.fetchmany(100_000):
            reader.add(rows)
        frame = reader.frame()
        if actor_fields:
            import numpy as np
            import pandas as pd

            known = {r[0]: r[1:] for r in self.conn.execute(f"SELECT id, {', '.join(_ACTOR_FIELDS)} FROM actors")}
            missing = (None,) * len(_ACTOR_FIELDS)
            for column, (end, _, field) in actor_fields.items():
                codes, uniques = pd.factorize(frame[end])
                looked = [known.get(a, missing)[_ACTOR_FIELDS.index(field)] for a in uniques]
                frame[column] = pd.Series(np.array(looked + [None], dtype=object)[codes], dtype=object)
        return frame[wanted]

    def statements(self, flt: StatementFilter | None = None) -> Iterator[Statement]:
        flt = flt or StatementFilter()
        where, args = _where(flt)
        sql = (f"SELECT {', '.join('s.' + c for c in _ST_COLS)}, s.own_mention IS NOT NULL, "
               "a.name, a.kind, a.country, b.name, b.kind, b.country "
               "FROM statements s JOIN actors a ON a.id = s.source JOIN actors b ON b.id = s.target"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY s.date IS NULL, s.date, s.id")
        # streamed a block of rows at a time, with the evidence of that block: a store of millions of
        # statements is read without holding them all (nothing writes to the store while it is read)
        cursor = self.conn.execute(sql, args)
        while rows := cursor.fetchmany(_STREAM_ROWS):
            yield from self._with_evidence(rows, flt)

    def _with_evidence(self, rows: list[tuple], flt: StatementFilter) -> Iterator[Statement]:
        evidence: dict[str, list[Mention]] = defaultdict(list)
        ids = [r[0] for r in rows]
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            for m in self.conn.execute(
                    f"SELECT statement_id, {', '.join(TELLING_FIELDS)} FROM mentions "
                    f"WHERE statement_id IN ({', '.join('?' * len(chunk))})", chunk):
                evidence[m[0]].append(Mention(*m[1:]))
            if not flt.folded:  # the reports folded into these events are their evidence too
                marks = ", ".join("?" * len(chunk))
                for m in self.conn.execute(
                        f"SELECT f.folded_into, {', '.join('m.' + c for c in TELLING_FIELDS)} FROM statements f "
                        f"JOIN mentions m ON m.statement_id = f.id WHERE f.folded_into IN ({marks}) UNION ALL "
                        f"SELECT f.folded_into, {', '.join('f.' + c for c in TELLING_FIELDS)} FROM statements f "
                        f"WHERE f.folded_into IN ({marks}) AND f.own_mention IS NOT NULL", chunk * 2):
                    evidence[m[0]].append(Mention(*m[1:]))
        n = len(_ST_COLS)
        for r in rows:
            d = dict(zip(_ST_COLS, r[:n], strict=True))
            told = evidence.get(d["id"], [])
            if r[n]:  # the statement's own telling, kept in its row
                told.append(Mention(*(d[name] for name in TELLING_FIELDS)))
            yield _statement(d, ActorRef(d["source"], *r[n + 1:n + 4]), ActorRef(d["target"], *r[n + 4:n + 7]), told)

    # -- library ---------------------------------------------------------------------------------

    def run_library(self, name: str, params: dict) -> list[dict]:
        p = library_params(name, params)
        rows = getattr(self, f"_q_{name}")(p)
        return finish_rows(name, rows)

    def _dicts(self, sql: str, args) -> list[dict]:
        cur = self.conn.execute(sql, args)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def _article_ids(self, rows: list[dict]) -> list[dict]:
        for r in rows:
            r["article_ids"] = json.loads(r["article_ids"]) if r["article_ids"] else []
        return rows

    def _q_dyad_timeline(self, p: dict) -> list[dict]:
        rows = self._dicts(
            "SELECT s.date, s.source, s.type, s.target, s.modality, s.cameo, s.quad_class, s.goldstein, s.mentions, "
            "s.id AS statement_id, s.sentence, (SELECT json_group_array(article_id) FROM "
            "  (SELECT article_id FROM mentions WHERE statement_id = s.id "
            "   UNION SELECT s.article_id WHERE s.own_mention IS NOT NULL ORDER BY article_id)) AS article_ids "
            "FROM statements s WHERE ((s.source = :a AND s.target = :b) OR (s.source = :b AND s.target = :a)) "
            "AND s.folded_into IS NULL AND (:since IS NULL OR s.date >= :since) AND (:until IS NULL OR s.date <= :until) "
            "ORDER BY s.date IS NULL, s.date, s.id",
            {"a": p["a"], "b": p["b"], "since": _iso(p["since"]), "until": _iso(p["until"])})
        return self._article_ids(rows)

    # counted: what happened (asserted or claimed), once per event (not a report folded into another)
    _COUNTED = ("s.modality IN (" + ", ".join(f"'{m}'" for m in COUNTED_MODALITIES) + ") "
                "AND s.folded_into IS NULL")
    _AGG = ("count(*) AS statements, count(CASE WHEN s.quad_class IN (3, 4) THEN 1 END) AS conflict, "
            "count(CASE WHEN s.quad_class IN (1, 2) THEN 1 END) AS cooperation, total(s.goldstein) AS goldstein_sum, "
            "avg(s.goldstein) AS goldstein_mean")

    def _q_top_dyads(self, p: dict) -> list[dict]:
        hostile = p["order"] == "hostile"
        return self._dicts(
            f"SELECT s.source, a.name AS source_name, s.target, b.name AS target_name, {self._AGG} "
            "FROM statements s JOIN actors a ON a.id = s.source JOIN actors b ON b.id = s.target "
            f"WHERE {self._COUNTED} AND (:since IS NULL OR s.date >= :since) AND (:until IS NULL OR s.date <= :until) "
            "GROUP BY s.source, s.target "
            f"HAVING goldstein_sum {'<' if hostile else '>'} 0 "
            f"ORDER BY goldstein_sum {'ASC' if hostile else 'DESC'}, statements DESC, s.source, s.target "
            "LIMIT :limit",
            {"since": _iso(p["since"]), "until": _iso(p["until"]), "limit": p["limit"]})

    def _q_ego_network(self, p: dict) -> list[dict]:
        # The inner rings (hops - 1 steps over statement edges, either direction); edges leaving them are kept.
        from ..neighbourhood import neighbourhood

        edges = self.conn.execute(f"SELECT DISTINCT source, target FROM statements s WHERE {self._COUNTED}")
        inner = neighbourhood(edges, p["actor"], p["hops"] - 1) or {p["actor"]}
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS ego (id TEXT PRIMARY KEY)")
        self.conn.execute("DELETE FROM ego")
        self.conn.executemany("INSERT INTO ego VALUES (?)", [(i,) for i in inner])
        return self._dicts(
            "SELECT s.source, a.name AS source_name, s.type, s.target, b.name AS target_name, "
            "count(*) AS statements, total(s.goldstein) AS goldstein_sum "
            "FROM statements s JOIN actors a ON a.id = s.source JOIN actors b ON b.id = s.target "
            f"WHERE {self._COUNTED} AND (s.source IN (SELECT id FROM ego) OR s.target IN (SELECT id FROM ego)) "
            "GROUP BY s.source, s.type, s.target ORDER BY statements DESC, s.source, s.type, s.target", {})

    def _q_article_statements(self, p: dict) -> list[dict]:
        return self._dicts(
            "SELECT s.id AS statement_id, s.date, s.source, s.type, s.target, s.modality, m.sentence, "
            "m.char_start, m.char_end, m.rule, m.confidence "
            "FROM mentions m JOIN statements s ON s.id = m.statement_id WHERE m.article_id = :article "
            "UNION ALL "
            "SELECT s.id, s.date, s.source, s.type, s.target, s.modality, s.sentence, s.char_start, s.char_end, s.rule, "
            "s.confidence FROM statements s WHERE s.article_id = :article AND s.own_mention IS NOT NULL "
            "ORDER BY 8, 1", p)

    def _q_monthly_dyad(self, p: dict) -> list[dict]:
        return self._dicts(
            f"SELECT substr(s.date, 1, 7) AS month, {self._AGG} FROM statements s "
            f"WHERE {self._COUNTED} AND s.date IS NOT NULL "
            "AND ((s.source = :a AND s.target = :b) OR (s.source = :b AND s.target = :a)) "
            "GROUP BY month ORDER BY month", p)

    def _q_actor_degree(self, p: dict) -> list[dict]:
        return self._dicts(
            "SELECT e.actor, a.name, a.kind, count(*) AS statements, count(CASE WHEN e.quad_class IN (3, 4) THEN 1 END) AS conflict, "
            "count(CASE WHEN e.quad_class IN (1, 2) THEN 1 END) AS cooperation, total(abs(e.goldstein)) AS weighted_degree, "
            "total(e.goldstein) AS goldstein_sum FROM ("
            f"  SELECT s.source AS actor, s.quad_class, s.goldstein FROM statements s WHERE {self._COUNTED} "
            "  UNION ALL "
            "  SELECT s.target AS actor, s.quad_class, s.goldstein FROM statements s "
            f"  WHERE {self._COUNTED} AND s.target <> s.source"
            ") e JOIN actors a ON a.id = e.actor "
            "GROUP BY e.actor ORDER BY weighted_degree DESC, statements DESC, e.actor LIMIT :limit", p)


def _where(flt: StatementFilter) -> tuple[list[str], list]:
    """SQL conditions (on statements `s`) and their arguments for a filter."""
    where: list[str] = [] if flt.folded else ["s.folded_into IS NULL"]
    args: list = []
    if flt.since:
        where.append("s.date >= ?")
        args.append(flt.since.isoformat())
    if flt.until:
        where.append("s.date <= ?")
        args.append(flt.until.isoformat())
    for col, values in (("s.type", flt.types), ("s.modality", flt.modalities), ("s.dataset", flt.datasets)):
        if values:
            where.append(f"{col} IN ({', '.join('?' * len(values))})")
            args += list(values)
    if flt.actors:
        marks = ", ".join("?" * len(flt.actors))
        where.append(f"(s.source IN ({marks}) OR s.target IN ({marks}))")
        args += list(flt.actors) * 2
    return where, args


def _statement(d: dict, source: ActorRef, target: ActorRef, evidence: list[Mention]) -> Statement:
    return Statement(
        id=d["id"], source=source, target=target, type=d["type"], cameo=d["cameo"], quad_class=d["quad_class"],
        goldstein=d["goldstein"], date=_date(d["date"]), date_precision=d["date_precision"],
        modality=d["modality"], attribution=d["attribution"], location=d["location"], article_id=d["article_id"],
        sentence=d["sentence"], char_start=d["char_start"], char_end=d["char_end"], rule=d["rule"],
        confidence=d["confidence"], **{name: d[name] for name in TELLING_FIELDS[7:]},
        mentions=d["mentions"], dataset=d["dataset"],
        evidence=tuple(sorted(evidence, key=lambda m: (m.article_id or "", m.char_start or 0, m.char_end or 0))),
        extra=json.loads(d["extra"]) if d["extra"] else {}, date_end=_date(d["date_end"]), killed=d["killed"],
        killed_at_least=bool(d["killed_at_least"]), injured=d["injured"], injured_at_least=bool(d["injured_at_least"]),
        **{name: d[name] for name in PLACE_FIELDS})



def _check_file(uri: str, path: str, create: bool) -> None:
    """A store file must be a graphkit store or nothing: no directory, no empty or foreign file."""
    if not os.path.exists(path):
        if not create:
            raise StoreError(f"{redact(uri)}: no such store file (create it with `graphkit load`, or pass --store)")
        parent = os.path.dirname(path) or "."
        if not os.path.isdir(parent):
            raise StoreError(f"{redact(uri)}: the folder {parent} does not exist")
        return
    if os.path.isdir(path):
        raise StoreError(f"{redact(uri)}: is a directory, not a store file")
    if not os.path.isfile(path):
        raise StoreError(f"{redact(uri)}: not a regular file")
    size = os.path.getsize(path)
    if size == 0:
        raise StoreError(f"{redact(uri)}: an empty (0-byte) file, not a graphkit store; delete it or pick "
                         "another path")
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as err:
        raise StoreError(f"{redact(uri)}: cannot read ({err.strerror or err})") from None
    if head != b"SQLite format 3\x00":
        raise StoreError(f"{redact(uri)}: not a SQLite database (a foreign or damaged file); pick another path")
