"""extract stage: articles -> typed, dated actor-to-actor Statements with modality and provenance.

    from graphkit.extract import Extractor, extract
    statements = extract(articles, workers=2)

Modules: nlp (spaCy loading), lexicon (data/lexicon/*.toml), triggers, arguments (dependency
patterns), modality, dates, locations, events (frames -> merged Statements), extractor (Extractor).
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Sequence

from ..model import Article, Statement
from .extractor import Extractor

__all__ = ["Extractor", "extract"]

_WORKER: Extractor | None = None


_BATCH = 64  # articles parsed in one nlp.pipe stream


def _work(batch: list[Article]) -> list[list[Statement]]:
    assert _WORKER is not None
    return _WORKER.extract_many(batch)


def extract(articles: Iterable[Article], *, registry=None, nlp=None, workers: int = 1,
            extractor: Extractor | None = None, progress=None) -> list[Statement]:
    """Statements of every article, in input order.  workers > 1 forks that many processes, each
    with the parent's loaded pipeline (no reload, no pickling of the model)."""
    global _WORKER
    items: Sequence[Article] = list(articles)
    ex = extractor or Extractor(registry=registry, nlp=nlp)
    out: list[Statement] = []
    batches = [list(items[k:k + _BATCH]) for k in range(0, len(items), _BATCH)]
    if workers <= 1 or len(batches) < 2 or "fork" not in mp.get_all_start_methods():
        for batch in batches:
            for statements in ex.extract_many(batch):
                out.extend(statements)
            if progress:
                progress(len(batch))
        return out
    _WORKER = ex
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            for batch, results in zip(batches, pool.imap(_work, batches), strict=True):
                for statements in results:
                    out.extend(statements)
                if progress:
                    progress(len(batch))
    finally:
        _WORKER = None
    return out
