"""Bulk initial loads into Neo4j: the node and relationship files `neo4j-admin database import full` reads.

For a new (empty) database the server's own importer is far faster than transactions: it writes the
store files directly, without Cypher, locks or a transaction log. `graphkit load --bulk` prepares the
whole load as one batch (graphkit.store.prepare: the same validation, merging and rows as the batched
writer), writes these CSV files, and, for the local server that `graphkit neo4j start` runs, stops it,
imports into its `neo4j` database, starts it again and creates the schema (constraints and indexes are
created after the import, as Neo4j advises). For a remote server it writes the files and prints the
command to run there. The graph is the one the batched writer makes from the same input (test), with
one difference: neo4j-admin reads an empty field as no property, so a property holding the empty text
"" (a mention without a sentence) is absent after a bulk import.

Files (header rows name Neo4j's import types; arrays are separated by U+001F, which no text holds):
    actors.csv        id:ID(Actor), :LABEL (Actor and its kind label), name, kind, country, sector, aliases, provisional
    articles.csv      id:ID(Article), :LABEL, the article columns (title, outlet, url, published:date, ...)
    mentions.csv      id:ID(Mention), :LABEL, statement_id, the telling columns, source, target
    statements.csv    :START_ID(Actor), :END_ID(Actor), :TYPE (the statement type), the statement columns,
                      mention_ids:string[], article_ids:string[]
    mention_in.csv    :START_ID(Mention), :END_ID(Article), :TYPE (IN): a mention whose article is loaded
    affiliations.csv  :START_ID(Actor), :END_ID(Actor), :TYPE (PART_OF | MEMBER_OF | ALLIED_WITH), from:date, to:date
    roles.csv         :START_ID(Actor), :END_ID(Actor), :TYPE (HOLDS), role, from:date, to:date
"""

from __future__ import annotations

import csv
import os
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .. import cypher, typology
from ..errors import GraphkitError, StoreError
from .prepare import MENTION_COLUMNS, ST_ARTICLE_IDS, ST_MENTION_IDS, STATEMENT_COLUMNS, PreparedBatch

ARRAY_DELIMITER = "\x1f"
DATABASE = "neo4j"  # Community edition: the one user database

# Import types of the columns that are not strings.
_TYPES = {"quad_class": "long", "goldstein": "double", "date": "date", "char_start": "long", "char_end": "long",
          "confidence": "double", "mentions": "long", "source_start": "long", "source_end": "long",
          "target_start": "long", "target_end": "long", "published": "date", "provisional": "boolean",
          "aliases": "string[]", "from": "date", "to": "date", "date_end": "date", "killed": "long",
          "killed_at_least": "boolean", "injured": "long", "injured_at_least": "boolean", "latitude": "double",
          "longitude": "double", "geonames_id": "long"}


def _point(lat, lon) -> str | None:
    """A statement's `point` property as neo4j-admin reads a point cell (what write/statements.cypher sets)."""
    return None if lat is None or lon is None else f"{{latitude:{float(lat)!r}, longitude:{float(lon)!r}}}"


@dataclass(frozen=True, slots=True)
class ImportFiles:
    folder: Path
    nodes: tuple[Path, ...]
    relationships: tuple[Path, ...]

    def arguments(self, folder: Path | None = None) -> list[str]:
        """neo4j-admin arguments naming the files (under `folder` when they will be moved there)."""
        where = folder or self.folder
        return ([f"--nodes={where / p.name}" for p in self.nodes]
                + [f"--relationships={where / p.name}" for p in self.relationships])


def _header(names, first: list[str]) -> list[str]:
    return first + [f"{n}:{_TYPES[n]}" if n in _TYPES else n for n in names]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        if any(ARRAY_DELIMITER in str(v) for v in value):
            raise GraphkitError("a list value holds the U+001F separator; it cannot be bulk imported")
        return ARRAY_DELIMITER.join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _write(path: Path, header: list[str], rows) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        out.writerows([_cell(v) for v in row] for row in rows)
    return path


def write_import_files(prep: PreparedBatch, folder: str | Path) -> ImportFiles:
    """The files of a whole prepared load (see the module docstring)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    actor_cols = ["name", "kind", "country", "sector", "aliases", "provisional"]
    actors = _write(out / "actors.csv", _header(actor_cols, ["id:ID(Actor)", ":LABEL"]),
                    ([a["id"], ["Actor", typology.checked_label(a["kind"])], *(a[c] for c in actor_cols)]
                     for a in prep.actors))
    # every column the batched writer stores (the prepared row's keys: new article fields follow)
    article_cols = [k for k in (prep.articles[0] if prep.articles else {}) if k != "id"]
    articles = _write(out / "articles.csv", _header(article_cols, ["id:ID(Article)", ":LABEL"]),
                      ([a["id"], "Article", *(a[c] for c in article_cols)] for a in prep.articles))
    m_cols = [c for c in MENTION_COLUMNS if c != "id"]
    m_id = MENTION_COLUMNS.index("id")
    mentions = _write(out / "mentions.csv", _header(m_cols, ["id:ID(Mention)", ":LABEL"]),
                      ([m[m_id], "Mention", *(v for k, v in enumerate(m) if k != m_id)] for m in prep.mentions))
    st_cols = [c for c in STATEMENT_COLUMNS if c not in ("source", "target", "type")]
    keep = [STATEMENT_COLUMNS.index(c) for c in st_cols]
    i_src, i_tgt, i_type = (STATEMENT_COLUMNS.index(c) for c in ("source", "target", "type"))
    i_lat, i_lon = STATEMENT_COLUMNS.index("latitude"), STATEMENT_COLUMNS.index("longitude")
    statements = _write(
        out / "statements.csv",
        _header(st_cols, [":START_ID(Actor)", ":END_ID(Actor)", ":TYPE"])
        + ["mention_ids:string[]", "article_ids:string[]", "point:point"],
        ([s[i_src], s[i_tgt], typology.checked_rel_type(s[i_type]), *(s[k] for k in keep),
          s[ST_MENTION_IDS], s[ST_ARTICLE_IDS], _point(s[i_lat], s[i_lon])] for s in prep.statements))
    stored_articles = {a["id"] for a in prep.articles}
    m_article = MENTION_COLUMNS.index("article_id")
    mention_in = _write(out / "mention_in.csv", [":START_ID(Mention)", ":END_ID(Article)", ":TYPE"],
                        ([m[m_id], m[m_article], "IN"] for m in prep.mentions if m[m_article] in stored_articles))
    affiliations = _write(out / "affiliations.csv", [":START_ID(Actor)", ":END_ID(Actor)", ":TYPE", "from:date", "to:date"],
                          ([a["source"], a["target"], typology.checked_rel_type(a["type"]), a["start"], a["end"]]
                           for a in prep.affiliations))
    roles = _write(out / "roles.csv", [":START_ID(Actor)", ":END_ID(Actor)", ":TYPE", "role", "from:date", "to:date"],
                   ([r["actor"], r["organisation"], "HOLDS", r["role"], r["start"], r["end"]] for r in prep.roles))
    return ImportFiles(out, (actors, articles, mentions), (statements, mention_in, affiliations, roles))


def import_command(files: ImportFiles, folder: Path | None = None) -> list[str]:
    """The neo4j-admin arguments after `neo4j-admin`."""
    return ["database", "import", "full", DATABASE, "--overwrite-destination=true", "--ignore-empty-strings=true",
            f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}", "--multiline-fields=true", *files.arguments(folder)]


def printable(files: ImportFiles) -> str:
    """The command to run on a remote server's machine (the files copied to its import folder)."""
    return "neo4j-admin " + " ".join(shlex.quote(a) for a in import_command(files, Path("$NEO4J_HOME/import")))


def import_into_local(home, files: ImportFiles, *, auth_password: str | None, verbose: bool = False) -> dict:
    """Stop the local server at `home`, import the files over its `neo4j` database, start it again.
    Returns the seconds each step took (stop, import, start)."""
    from ..server import local

    timings, t0 = {}, time.perf_counter()
    was_running = local.read_pid(home) is not None
    if was_running:
        local.stop(home)
    timings["stop"], t0 = time.perf_counter() - t0, time.perf_counter()
    cmd = [*local._java_cmd(home), "org.neo4j.server.startup.Neo4jAdminCommand", *import_command(files)]
    env = {**os.environ, "NEO4J_HOME": str(home.root), "NEO4J_CONF": str(home.conf)}
    report = files.folder / "import.report"
    proc = subprocess.run([*cmd, f"--report-file={report}"], capture_output=True, text=True, env=env)
    timings["import"], t0 = time.perf_counter() - t0, time.perf_counter()
    if was_running:
        local.start(home, auth_password=auth_password, verbose=verbose)
    timings["start"] = time.perf_counter() - t0
    if proc.returncode != 0:
        lines = [ln for ln in (proc.stdout + proc.stderr).splitlines() if ln.strip()]
        raise StoreError("neo4j-admin import failed: " + " | ".join(lines[-3:])[:600])
    return timings


def refuse_unless_empty(store) -> None:
    counts = store.counts()
    if any(counts.values()):
        raise StoreError(f"--bulk is for a new, empty database; {store.uri} holds "
                         + ", ".join(f"{v} {k}" for k, v in counts.items() if v)
                         + " (load into it without --bulk)")


class BulkSink:
    """What a load writes to with --bulk: the whole load arrives as one batch (the batcher is given no
    limit), is checked and prepared as the batched writer would, and goes to neo4j-admin."""

    def __init__(self, store, *, home=None, folder: str | Path, verbose: bool = False):
        self.store, self.home, self.folder, self.verbose = store, home, Path(folder), verbose
        self.command: str | None = None  # for a remote server: what to run there
        self.timings: dict[str, float] = {}  # seconds of each step of the last write

    def write_async(self, batch):
        """As Store.write_async: the sink writes at once (the whole load is one batch)."""
        from concurrent.futures import Future

        future: Future = Future()
        future.set_result(self.write(batch))
        return future

    def write(self, batch):
        from ..model import LoadCounts
        from .prepare import prepare

        refuse_unless_empty(self.store)
        t0 = time.perf_counter()
        prep = prepare(batch)
        files = write_import_files(prep, self.folder)
        self.timings = {"files": time.perf_counter() - t0}
        counts = LoadCounts(present={"articles": 0, "actors": 0, "statements": prep.duplicates_in_batch,
                                     "mentions": 0})
        if self.home is None:
            self.command = (printable(files) + "\n  then, with the server started, once: graphkit query --write "
                            "--cypher \"$(cat cypher/write/bulk_after_import.cypher)\" --store URI; "
                            "the next graphkit load creates the schema")
            counts.added = {"articles": 0, "actors": 0, "statements": 0, "mentions": 0}
            return counts
        if self.verbose:
            print(f"graphkit: importing {len(prep.statements)} statements with neo4j-admin", file=sys.stderr)
        self.timings |= import_into_local(self.home, files, auth_password=os.environ.get("NEO4J_PASSWORD"),
                                          verbose=self.verbose)
        t0 = time.perf_counter()
        self.store.ensure_schema()
        self.store.run_cypher(cypher.load("write/bulk_after_import"), write=True)
        self.store.refold(_foldable_dyads(prep))
        self.timings["schema"] = time.perf_counter() - t0
        counts.added = dict(self.store.counts())
        return counts


def _foldable_dyads(prep) -> set[tuple[str, str]]:
    """The dyads where reports may fold into one event: two or more graphkit statements of one dyad
    and type (the store was empty, so the batch is all there is)."""
    from collections import Counter

    from .folding import group_key
    from .prepare import GRAPHKIT_DATASET, STATEMENT_COLUMNS

    i_src, i_tgt, i_type, i_ds = (STATEMENT_COLUMNS.index(c) for c in ("source", "target", "type", "dataset"))
    groups = Counter(group_key(r[i_src], r[i_tgt], r[i_type]) for r in prep.statements if r[i_ds] == GRAPHKIT_DATASET)
    return {(r[i_src], r[i_tgt]) for r in prep.statements
            if r[i_ds] == GRAPHKIT_DATASET and groups[group_key(r[i_src], r[i_tgt], r[i_type])] > 1}


def local_home(uri: str, home_dir: str | None):
    """The ServerHome of the local graphkit server behind `uri`, or None for any other server."""
    from urllib.parse import urlsplit

    from ..server import local

    parts = urlsplit(uri)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        return None
    port = parts.port or local.DEFAULT_PORT
    home = local.ServerHome(Path(home_dir), port) if home_dir else local.default_home(port)
    return home if local.read_pid(home) is not None else None
