"""The storage contract. Every backend (embedded SQLite, Neo4j) implements Store,
and tests/test_store_contract.py runs one suite against all of them."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date

from ..errors import NotSupported, UsageError
from ..model import Actor, Article, LoadBatch, LoadCounts, Statement

# Named read queries every backend answers (cypher/queries/<name>.cypher on Neo4j).
LIBRARY_QUERIES = (
    "dyad_timeline",  # params: a, b [, since, until]
    "top_dyads",  # params: order ("hostile"|"cooperative"), since, until, limit
    "ego_network",  # params: actor, hops
    "article_statements",  # params: article
    "monthly_dyad",  # params: a, b
    "actor_degree",  # params: limit
)


# The columns each library query returns, in order, on every backend.
LIBRARY_COLUMNS = {
    "dyad_timeline": ("date", "source", "type", "target", "modality", "cameo", "quad_class", "goldstein",
                      "mentions", "statement_id", "article_ids", "sentence"),
    "top_dyads": ("source", "source_name", "target", "target_name", "statements", "conflict", "cooperation",
                  "goldstein_sum", "goldstein_mean"),
    "ego_network": ("source", "source_name", "type", "target", "target_name", "statements", "goldstein_sum"),
    "article_statements": ("statement_id", "date", "source", "type", "target", "modality", "sentence",
                           "char_start", "char_end", "rule", "confidence"),
    "monthly_dyad": ("month", "statements", "conflict", "cooperation", "goldstein_sum", "goldstein_mean"),
    "actor_degree": ("actor", "name", "kind", "statements", "conflict", "cooperation", "weighted_degree",
                     "goldstein_sum"),
}

# Aggregating queries count what was said to have happened, not denials or hypotheticals.
COUNTED_MODALITIES = ("asserted", "claimed")

# name -> {param: (type, default)}; a default of REQUIRED means the caller must give it.
REQUIRED = object()
LIBRARY_PARAMS: dict[str, dict[str, tuple[type, object]]] = {
    "dyad_timeline": {"a": (str, REQUIRED), "b": (str, REQUIRED), "since": (date, None), "until": (date, None)},
    "top_dyads": {"order": (str, "hostile"), "since": (date, None), "until": (date, None), "limit": (int, 10)},
    "ego_network": {"actor": (str, REQUIRED), "hops": (int, 1)},
    "article_statements": {"article": (str, REQUIRED)},
    "monthly_dyad": {"a": (str, REQUIRED), "b": (str, REQUIRED)},
    "actor_degree": {"limit": (int, 20)},
}
MAX_HOPS = 5  # cypher/queries/ego_network.cypher expands at most MAX_HOPS - 1 rings


def library_params(name: str, params: dict) -> dict:
    """Check and convert a library query's parameters (strings from the CLI are accepted)."""
    if name not in LIBRARY_PARAMS:
        raise UsageError(f"unknown library query {name!r}; known: {', '.join(LIBRARY_QUERIES)}")
    spec = LIBRARY_PARAMS[name]
    unknown = sorted(set(params) - set(spec))
    if unknown:
        raise UsageError(f"{name}: unknown parameter {unknown[0]!r}; parameters: {', '.join(spec)}")
    out = {}
    for key, (kind, default) in spec.items():
        value = params.get(key)
        if value is None or value == "":
            if default is REQUIRED:
                raise UsageError(f"{name}: parameter {key!r} is required (--param {key}=...)")
            out[key] = default
            continue
        try:
            if kind is date:
                out[key] = value if isinstance(value, date) else date.fromisoformat(str(value))
            elif kind is int:
                out[key] = int(value)
                if not -2**63 <= out[key] < 2**63:  # the stores' integers are 64-bit
                    raise ValueError(value)
            else:
                out[key] = str(value)
        except ValueError:
            raise UsageError(f"{name}: parameter {key}={value!r} is not a valid {kind.__name__}") from None
    if name == "top_dyads" and out["order"] not in ("hostile", "cooperative"):
        raise UsageError("top_dyads: order must be 'hostile' or 'cooperative'")
    if name == "ego_network" and not 1 <= out["hops"] <= MAX_HOPS:
        raise UsageError(f"ego_network: hops must be 1 to {MAX_HOPS}")
    if "limit" in out and out["limit"] < 1:
        raise UsageError(f"{name}: limit must be at least 1")
    return out


def finish_rows(name: str, rows: list[dict]) -> list[dict]:
    """Same columns, same float rounding and date type on every backend."""
    columns = LIBRARY_COLUMNS[name]
    out = []
    for r in rows:
        row = {}
        for c in columns:
            v = r.get(c)
            if isinstance(v, float):
                v = round(v, 4)
            elif hasattr(v, "to_native"):  # neo4j.time.Date
                v = v.to_native()
            elif isinstance(v, str) and c == "date":
                v = date.fromisoformat(v)
            elif isinstance(v, list):  # e.g. article_ids: Neo4j keeps arrival order
                v = sorted(v)
            row[c] = v
        out.append(row)
    return out


@dataclass(frozen=True, slots=True)
class StatementFilter:
    since: date | None = None
    until: date | None = None
    actors: tuple[str, ...] = ()  # either end in this set
    types: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()  # empty = all
    datasets: tuple[str, ...] = ()
    # Also the reports folded into another event (graphkit.store.folding): each report's own row.
    # By default a read gives one statement per event, with the folded reports as its evidence.
    folded: bool = False


class Store(ABC):
    """A place statements live. Writes are idempotent (MERGE on deterministic ids)
    and transactional per batch; reads return model dataclasses."""

    uri: str

    @abstractmethod
    def ensure_schema(self) -> None: ...

    @abstractmethod
    def write(self, batch: LoadBatch) -> LoadCounts: ...

    @abstractmethod
    def statements(self, flt: StatementFilter | None = None) -> Iterator[Statement]: ...

    def statement_frame(self, flt: StatementFilter | None = None, columns: Sequence[str] | None = None):
        """The statements as a pandas frame of `columns` (default: the core columns every analysis
        reads, :data:`graphkit.analysis.frame.CORE_COLUMNS`), with the dtypes of
        :func:`graphkit.analysis.frame.statements_frame`; rows in no particular order.

        Backends read the columns straight from their tables (one SQL or Cypher projection, no
        Statement object per row); this default builds the frame from :meth:`statements`.
        """
        from ..analysis.frame import CORE_COLUMNS, statements_frame

        frame = statements_frame(self.statements(flt))
        return frame[list(columns or CORE_COLUMNS)]

    @abstractmethod
    def actors(self, ids: Iterable[str] | None = None) -> list[Actor]: ...

    @abstractmethod
    def articles(self) -> list[Article]: ...

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """{"articles": n, "actors": n, "statements": n, "mentions": n}"""

    @abstractmethod
    def run_library(self, name: str, params: dict) -> list[dict]:
        """Run a named library query (LIBRARY_QUERIES); rows as dicts, same columns on every backend."""

    def close(self) -> None:  # noqa: B027 - optional for backends with no resources
        pass

    # -- capabilities: every backend answers; the defaults are what a store without the feature does.
    def write_async(self, batch: LoadBatch) -> Future:
        """Write a batch and return a Future of its LoadCounts.  A backend that can send one batch
        while the caller prepares the next does so (Neo4j); by default the batch is written now, and
        an error raises here as `write`'s would."""
        future: Future = Future()
        future.set_result(self.write(batch))
        return future

    def run_cypher(self, text: str, params: dict | None = None, write: bool = False) -> list[dict]:
        """Ad-hoc Cypher (Neo4j); other backends refuse it in one line."""
        from .uri import redact

        raise NotSupported(f"--cypher needs a Neo4j store (--store bolt://...), not {redact(self.uri)}")

    def bulk(self):
        """Context for a large first load (a backend may defer index upkeep); a no-op by default."""
        return nullcontext(self)

    def initial_import(self, *, home_dir: str | None = None, folder: str):
        """A sink for a whole first load that the backend imports with its own bulk tool (Neo4j:
        neo4j-admin, graphkit.store.neo4j_bulk); backends without one refuse."""
        raise NotSupported("--bulk is for Neo4j stores (the embedded store loads in bulk by itself)")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
