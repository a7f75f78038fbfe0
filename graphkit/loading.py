"""`graphkit load`: articles, statement JSONL or Parquet shards -> batches -> a Store.

Reading, extraction and the registry are other stages; this module only wires
them together, cuts the stream into LoadBatches and adds up the counts.  Bad
records are skipped with a reason (the rest still loads); a batch is written
in one transaction, and every write is idempotent, so an interrupted load can
simply be run again.
"""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .batches import BatchBuilder
from .errors import InputError, UsageError
from .inputs import MAX_LINE_BYTES, check_file, jsonl_records, open_binary, stdin_binary
from .model import Actor, Article, LoadCounts, Statement
from .runtime import cyclic_gc_paused
from .store.base import Store
from .store.prepare import actor_problem, statement_problem
from .validate import FieldError, build, parse_json

log = logging.getLogger(__name__)

# Statements per transaction: 5,000 measured fastest for both stores (benchmarks/bench_store.py --batch-size).
DEFAULT_BATCH_SIZE = 5000

Progress = Callable[[int, int | None, str], None]  # (done, total or None, what)


@dataclass(slots=True)
class LoadReport:
    counts: LoadCounts = field(default_factory=LoadCounts)
    statements_read: int = 0
    notes: list[InputError] = field(default_factory=list)  # worth saying, nothing skipped (a year-less dateline)

    @property
    def skipped(self) -> list[tuple[str, str]]:
        return self.counts.skipped


# -- statement JSONL (the output of `graphkit extract`) ----------------------------------------

def _first_object(lines: Iterable[str]) -> dict | None:
    for line in lines:
        if line.strip():
            try:
                obj = parse_json(line)
            except FieldError:
                return None
            return obj if isinstance(obj, dict) else None
    return None


def looks_like_statements(obj: dict | None) -> bool:
    return bool(obj) and "source" in obj and "type" in obj and isinstance(obj.get("source"), dict)


def is_statement_jsonl(path: str | Path) -> bool:
    """A *.jsonl file whose first object is a statement (has "source" and "type")."""
    p = Path(path)
    try:
        if p.suffix.lower() != ".jsonl" or not p.is_file():
            return False
        with p.open(encoding="utf-8", errors="replace") as fh:
            return looks_like_statements(_first_object(fh.readline(MAX_LINE_BYTES) for _ in range(1000)))
    except OSError:
        return False  # the article reader says what is wrong with it


def statement_from(obj, where: str) -> Statement | InputError:
    """A decoded JSON value to a Statement through graphkit.validate (every field's type checked
    against the Statement dataclass), then the store's rules (typology, kinds); else an InputError."""
    try:
        st, notes = build(Statement, obj)
    except FieldError as err:
        return InputError(where, str(err))
    for note in notes:
        log.warning("%s: %s", where, note)
    problem = statement_problem(st)
    return InputError(where, problem) if problem else st


def read_statement_stream(stream, name: str, max_bytes: int | None = None) -> Iterator[Statement | InputError]:
    """Statements from a binary (or text) stream of JSONL (graphkit.inputs.jsonl_records)."""
    for record in jsonl_records(stream, name, max_bytes):
        yield record if isinstance(record, InputError) else statement_from(record[1], record[0])


def iter_statements(path: str | Path, max_bytes: int | None = None) -> Iterator[Statement | InputError]:
    """The statements of `graphkit extract` output one at a time, each bad line or row an InputError:
    a JSONL file, or Parquet statement shards (a folder or a .parquet file, graphkit.shards). "-"
    reads JSONL from standard input."""
    from .shards import is_shard_input, read_shards

    path = str(path)
    if path != "-" and is_shard_input(path):
        yield from read_shards(path)
        return
    if path != "-" and Path(path).is_dir():
        raise InputError(path, "a folder without Parquet statement shards (*.parquet); give a JSONL file "
                               "written by `graphkit extract` or a shards folder (`graphkit extract --shards`)")
    if path == "-":
        yield from read_statement_stream(stdin_binary(), "<stdin>", max_bytes)
        return
    with open_binary(path, max_bytes) as handle:
        yield from read_statement_stream(handle, path, max_bytes)


def read_statements(path: str | Path, max_bytes: int | None = None) -> tuple[list[Statement], list[InputError]]:
    """All statements of iter_statements(path), and one error per bad line or row. What every
    `--from` (cli.common.from_option) reads."""
    statements: list[Statement] = []
    problems: list[InputError] = []
    for item in iter_statements(path, max_bytes):
        (problems if isinstance(item, InputError) else statements).append(item)
    return statements, problems


def read_actor_file(path: str, max_bytes: int | None = None) -> tuple[list[Actor], list[InputError]]:
    """Actors from a JSON list or JSONL file of actor objects (graphkit.serialize schema), each
    validated alone (graphkit.validate against the Actor dataclass); one error per bad item."""
    with open_binary(path, max_bytes) as handle:
        raw = handle.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(path, f"not UTF-8 (byte {err.start + 1})") from None
    items: list[tuple[str, object]] = []
    problems: list[InputError] = []
    if text.lstrip().startswith("["):
        try:
            data = parse_json(text)
        except FieldError as err:
            raise InputError(path, err.reason) from None
        items = [(f"{path}: item {i + 1}", o) for i, o in enumerate(data)]
    else:
        for record in jsonl_records(io.StringIO(text), path):
            (problems if isinstance(record, InputError) else items).append(record)
    actors = []
    for where, obj in items:
        try:
            actor, notes = build(Actor, obj)
        except FieldError as err:
            problems.append(InputError(where, str(err)))
            continue
        for note in notes:
            log.warning("%s: %s", where, note)
        if problem := actor_problem(actor):
            problems.append(InputError(where, problem))
        else:
            actors.append(actor)
    return actors, problems


# -- writing batches ---------------------------------------------------------------------------

class BatchWriter:
    """Fills batches (graphkit.batches.BatchBuilder) with statements and what they name, and writes
    each to the store when full, the next one filling while the store writes (Store.write_async)."""

    def __init__(self, store: Store, batch_size: int, registry=None, progress: Progress | None = None):
        self.store, self.batch_size, self.registry, self.progress = store, batch_size, registry, progress
        self.report = LoadReport()
        self.builder = BatchBuilder(batch_size)
        self._load_actor_ids: set[str] = set()  # every actor of the load, for its "already present" count
        self._pending: list = []  # (future, statements) written by a pipelined store
        self.written = 0

    def add_actor(self, actor: Actor) -> None:
        if self.builder.add_actor(actor):
            self._load_actor_ids.add(actor.id)

    def add_article(self, article: Article) -> None:
        self.builder.add_article(article)

    def add_statement(self, st: Statement) -> None:
        self.report.statements_read += 1
        self._load_actor_ids.add(st.source.id)
        self._load_actor_ids.add(st.target.id)
        for ref in (st.source, st.target):
            if self.registry is None:
                continue  # statement JSONL: the store keeps the ActorRef when the actor is new
            known = self.registry.get(ref.id)
            if known is not None:
                self.add_actor(known)
                self._structure(known.id)
            else:
                self.add_actor(Actor(ref.id, ref.name, ref.kind, ref.country, provisional=True))
        self.builder.add_statement(st)
        if self.builder.full:
            self.flush()

    def _structure(self, actor_id: str) -> None:
        """The registry's affiliations and roles of an actor go with it (and their other ends)."""
        reg = self.registry
        for af in getattr(reg, "affiliations", ()):
            if actor_id in (af.source, af.target):
                other = reg.get(af.target if af.source == actor_id else af.source)
                if other is not None:
                    self.add_actor(other)
                    self.builder.add_affiliation(af)
        for role in getattr(reg, "roles", ()):
            if actor_id in (role.actor, role.organisation):
                other = reg.get(role.organisation if role.actor == actor_id else role.actor)
                if other is not None:
                    self.add_actor(other)
                    self.builder.add_role(role)

    def flush(self, final: bool = False) -> None:
        b = self.builder.batch
        if b.statements or b.articles or b.actors:
            # Pipelined where the store can (Neo4j): this batch is prepared while the previous one is
            # in the server's hands; a store that writes at once hands back a finished future.
            self._pending.append((self.store.write_async(b), len(b.statements)))
            while self._pending and (len(self._pending) > 1 or self._pending[0][0].done()):
                future, n = self._pending.pop(0)
                self._done(future.result(), n)
        if final:
            while self._pending:
                future, n = self._pending.pop(0)
                self._done(future.result(), n)
            # Each batch re-sends the actors it names, so the stores' per-batch "present" counts
            # count an actor once per batch; the load reports each actor once.
            counts = self.report.counts
            if "actors" in counts.present:  # set by every store write
                counts.present["actors"] = len(self._load_actor_ids) - counts.added["actors"]
        self.builder = BatchBuilder(self.batch_size)

    def _done(self, counts: LoadCounts, n: int) -> None:
        self.report.counts.merge(counts)
        self.written += n
        if self.progress:
            self.progress(self.written, None, "statements")


# -- the load ----------------------------------------------------------------------------------

def load(paths: Sequence[str], store: Store, *, actors_file: str | None = None,
         batch_size: int = DEFAULT_BATCH_SIZE, progress: Progress | None = None, stdin=None,
         columns: dict[str, str] | None = None, workers: int = 1, cluster=None, bulk_sink=None,
         published: date | None = None, outlet: str | None = None, max_bytes: int | None = None) -> LoadReport:
    """Load articles and/or statement JSONL files into `store`; "-" reads statement JSONL from stdin.

    Articles are extracted with `workers` processes, or on `cluster` (a dask.distributed Client);
    `published` / `outlet` override every article's publication date / outlet (as `read_paths`);
    max_bytes caps every input file (article files have their own default cap, see graphkit.ingest)."""
    if batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    # JSON / JSONL actor files are stored as they are; any actor file also goes to the registry.
    is_json = bool(actors_file) and Path(actors_file).suffix.lower() in (".json", ".jsonl")
    extra_actors, actor_problems = read_actor_file(actors_file, max_bytes) if is_json else ([], [])
    if actors_file and not is_json:
        check_file(actors_file, max_bytes)
    store.ensure_schema()
    from .shards import is_shard_input, read_shards

    shard_inputs = [p for p in paths if p != "-" and is_shard_input(p)]
    statement_files = [p for p in paths if p != "-" and p not in shard_inputs and is_statement_jsonl(p)]
    article_paths = [p for p in paths if p != "-" and p not in statement_files and p not in shard_inputs]

    registry = None
    if article_paths:
        from .registry import Registry  # built on its own branch; imported only when articles are read

        registry = Registry.default([actors_file] if actors_file else [])
    # --bulk: the whole load is one batch for neo4j-admin (graphkit.store.neo4j_bulk.BulkSink)
    batcher = BatchWriter(bulk_sink, sys.maxsize, registry, progress) if bulk_sink else \
        BatchWriter(store, batch_size, registry, progress)
    for actor in extra_actors:
        batcher.add_actor(actor)
    skipped = batcher.report.counts.skipped
    skipped.extend((p.where, p.message) for p in actor_problems)

    with store.bulk():
        if "-" in paths:
            _load_statements(stdin_binary(stdin), "<stdin>", batcher, skipped, max_bytes)
        for path in statement_files:
            try:
                handle = open_binary(path, max_bytes)
            except InputError as err:
                skipped.append((err.where, err.message))
                continue
            with handle:
                _load_statements(handle, path, batcher, skipped, max_bytes)
        for path in shard_inputs:
            _add_statements(read_shards(path), batcher, skipped)
        if article_paths:
            _load_articles(article_paths, registry, batcher, skipped, columns=columns, workers=workers,
                           cluster=cluster, actors_file=actors_file, published=published, outlet=outlet,
                           max_bytes=max_bytes)
        batcher.flush(final=True)
    return batcher.report


def _load_statements(stream, name: str, batcher: BatchWriter, skipped: list, max_bytes: int | None = None) -> None:
    _add_statements(read_statement_stream(stream, name, max_bytes), batcher, skipped)


def _add_statements(items: Iterable[Statement | InputError], batcher: BatchWriter, skipped: list) -> None:
    with cyclic_gc_paused():  # parsed records and batches make no cycles; see graphkit.runtime
        for item in items:
            if isinstance(item, InputError):
                skipped.append((item.where, item.message))
            else:
                batcher.add_statement(item)


def _load_articles(paths: Sequence[str], registry, batcher: BatchWriter, skipped: list,
                   *, columns: dict[str, str] | None = None, workers: int = 1, cluster=None,
                   actors_file: str | None = None, published: date | None = None, outlet: str | None = None,
                   max_bytes: int | None = None) -> None:
    from .extract import Extractor, extract_batches
    from .ingest import read_paths

    kw = {"max_bytes": max_bytes} if max_bytes is not None else {}
    result = read_paths(list(paths), published=published, outlet=outlet, columns=columns, **kw)
    batcher.report.notes.extend(result.notes)
    for problem in result.problems:
        skipped.append((getattr(problem, "where", "input"), getattr(problem, "message", str(problem))))
    for note in getattr(result, "notes", ()):
        log.info("%s", note)
    for where, article_id in result.duplicates:
        skipped.append((where, f"duplicate of article {article_id}"))
    extractor = None if cluster is not None else Extractor(registry=registry)
    setup = None
    if cluster is not None:  # each cluster worker builds its extractor from this
        from .extract.cluster import WorkerSetup

        setup = WorkerSetup((actors_file,) if actors_file else ())
    total, done = len(result.articles), 0
    for batch, results in extract_batches(result.articles, extractor, workers, cluster=cluster, setup=setup):
        if extractor is not None:  # one article's failure is that article's, never the run's
            skipped.extend((where, reason + ", please report it") for where, reason in extractor.failures)
            extractor.failures.clear()
        for article, statements in zip(batch, results, strict=True):
            batcher.add_article(article)
            for st in statements:
                problem = statement_problem(st)
                if problem:
                    skipped.append((article.source or article.id, problem))
                    continue
                batcher.add_statement(st)
        done += len(batch)
        if batcher.progress:
            batcher.progress(done, total, "articles")
