"""Cutting a stream of statements into LoadBatches: the one batcher of `graphkit load` (graphkit.loading)
and of the importers (graphkit.importers: GDELT, ACLED).

A batch holds statements with the actors, articles, affiliations and roles they need, each once per
batch (the stores MERGE across batches, so a later batch may name them again); rows that could not
be read travel with the batch they were met in, so an importer accounts for every row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from .errors import InputError
from .model import Actor, Affiliation, Article, LoadBatch, Role, Statement


class ParsedRow(NamedTuple):
    """An importer's row read and mapped: its statement, the actors it names, its article (if any)."""

    statement: Statement
    actors: Iterable[Actor]
    article: Article | None = None


@dataclass(slots=True)
class BatchBuilder:
    """One batch being filled; `full` once it holds `size` rows (statements and bad rows)."""

    size: int
    batch: LoadBatch = field(default_factory=LoadBatch)
    errors: list[InputError] = field(default_factory=list)
    # what this batch already holds: actor and article ids, affiliations, roles
    _actors: set[str] = field(default_factory=set)
    _articles: set[str] = field(default_factory=set)
    _structure: set[Affiliation | Role] = field(default_factory=set)

    def add_actor(self, actor: Actor) -> bool:
        """Add the actor unless the batch has it; True when it was new to the batch."""
        if actor.id in self._actors:
            return False
        self._actors.add(actor.id)
        self.batch.actors.append(actor)
        return True

    def add_article(self, article: Article) -> None:
        if article.id not in self._articles:
            self._articles.add(article.id)
            self.batch.articles.append(article)

    def add_affiliation(self, affiliation: Affiliation) -> None:
        if affiliation not in self._structure:
            self._structure.add(affiliation)
            self.batch.affiliations.append(affiliation)

    def add_role(self, role: Role) -> None:
        if role not in self._structure:
            self._structure.add(role)
            self.batch.roles.append(role)

    def add_statement(self, statement: Statement, actors: Iterable[Actor] = (), article: Article | None = None) -> None:
        for actor in actors:
            if actor.id not in self._actors:
                self._actors.add(actor.id)
                self.batch.actors.append(actor)
        if article is not None:
            self.add_article(article)
        self.batch.statements.append(statement)

    def add_error(self, error: InputError) -> None:
        self.errors.append(error)

    def __len__(self) -> int:
        return len(self.batch.statements) + len(self.errors)

    @property
    def full(self) -> bool:
        return len(self) >= self.size

    @property
    def empty(self) -> bool:
        b = self.batch
        return not (b.statements or b.articles or b.actors or self.errors)


def batched(rows: Iterable[ParsedRow | InputError], size: int) -> Iterator[tuple[LoadBatch, list[InputError]]]:
    """Cut a stream of parsed rows (or their errors) into (LoadBatch, errors) pairs of at most `size`
    rows each; every row lands in exactly one pair."""
    builder = BatchBuilder(size)
    for row in rows:
        if isinstance(row, InputError):
            builder.add_error(row)
        else:
            builder.add_statement(*row)
        if builder.full:
            yield builder.batch, builder.errors
            builder = BatchBuilder(size)
    if len(builder):
        yield builder.batch, builder.errors
