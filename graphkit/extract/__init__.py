"""extract stage: articles -> typed, dated actor-to-actor Statements with modality and provenance.

    from graphkit.extract import Extractor, extract
    statements = extract(articles, workers=2)

Modules: nlp (spaCy loading), lexicon (data/lexicon/*.toml), triggers, arguments (dependency
patterns), modality, dates, locations, events (frames -> merged Statements), pipeline (Extractor).
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Iterator, Sequence

from ..model import Article, Statement
from .pipeline import Extractor

__all__ = ["Extractor", "extract", "extract_batches"]

_WORKER: Extractor | None = None


_BATCH = 64  # articles parsed in one nlp.pipe stream


def _work(batch: list[Article]) -> list[list[Statement]]:
    assert _WORKER is not None
    return _WORKER.extract_many(batch)


def extract_batches(articles: Sequence[Article], extractor: Extractor, workers: int = 1
                    ) -> Iterator[tuple[list[Article], list[list[Statement]]]]:
    """(batch, statements of each of its articles) for batches of articles in input order: each batch
    is one nlp.pipe stream. workers > 1 forks that many processes, each with the parent's loaded
    pipeline (no reload, no pickling of the model). `graphkit extract` and `graphkit load` both read
    articles through here, so they parse alike."""
    global _WORKER
    batches = [list(articles[k:k + _BATCH]) for k in range(0, len(articles), _BATCH)]
    if workers <= 1 or len(batches) < 2 or "fork" not in mp.get_all_start_methods():
        for batch in batches:
            yield batch, extractor.extract_many(batch)
        return
    _WORKER = extractor
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            yield from zip(batches, pool.imap(_work, batches), strict=True)
    finally:
        _WORKER = None


def extract(articles: Iterable[Article], *, registry=None, nlp=None, workers: int = 1,
            extractor: Extractor | None = None, progress=None) -> list[Statement]:
    """Statements of every article, in input order (see extract_batches)."""
    ex = extractor or Extractor(registry=registry, nlp=nlp)
    out: list[Statement] = []
    for batch, results in extract_batches(list(articles), ex, workers):
        for statements in results:
            out.extend(statements)
        if progress:
            progress(len(batch))
    return out
