"""extract stage: articles -> typed, dated actor-to-actor Statements with modality and provenance.

    from graphkit.extract import Extractor, extract
    statements = extract(articles, workers=2)

Modules: nlp (spaCy loading), lexicon (data/lexicon/*.toml), triggers, arguments (dependency
patterns), modality, dates, locations, events (frames -> merged Statements), pipeline (Extractor).
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Sequence

from ..model import Article, Statement
from .pipeline import Extractor

__all__ = ["Extractor", "extract"]

_WORKER: Extractor | None = None


def _work(article: Article) -> list[Statement]:
    assert _WORKER is not None
    return _WORKER.extract_article(article)


def extract(articles: Iterable[Article], *, registry=None, nlp=None, workers: int = 1,
            extractor: Extractor | None = None, progress=None) -> list[Statement]:
    """Statements of every article, in input order.  workers > 1 forks that many processes, each
    with the parent's loaded pipeline (no reload, no pickling of the model)."""
    global _WORKER
    items: Sequence[Article] = list(articles)
    ex = extractor or Extractor(registry=registry, nlp=nlp)
    out: list[Statement] = []
    if workers <= 1 or len(items) < 2 or "fork" not in mp.get_all_start_methods():
        for article in items:
            out.extend(ex.extract_article(article))
            if progress:
                progress(1)
        return out
    _WORKER = ex
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            for statements in pool.imap(_work, items, chunksize=max(1, len(items) // (workers * 8))):
                out.extend(statements)
                if progress:
                    progress(1)
    finally:
        _WORKER = None
    return out
