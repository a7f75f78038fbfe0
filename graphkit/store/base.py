"""The storage contract. Every backend (embedded SQLite, Neo4j) implements Store,
and tests/test_store_contract.py runs one suite against all of them."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

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


@dataclass(frozen=True, slots=True)
class StatementFilter:
    since: date | None = None
    until: date | None = None
    actors: tuple[str, ...] = ()  # either end in this set
    types: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()  # empty = all
    datasets: tuple[str, ...] = ()


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

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
