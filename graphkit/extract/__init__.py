"""extract stage: articles -> typed, dated actor-to-actor Statements with modality and provenance.

    from graphkit.extract import Extractor, extract
    statements = extract(articles, workers=2)

Modules: nlp (spaCy loading), lexicon (data/lexicon/*.toml), triggers, arguments (dependency
patterns), modality, dates, locations, events (frames -> merged Statements), extractor (Extractor).
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Iterator, Sequence

from ..model import Article, Statement
from .extractor import Extractor

__all__ = ["Extractor", "extract", "extract_batches", "iter_extract"]

_WORKER: Extractor | None = None


_BATCH = 64  # articles parsed in one nlp.pipe stream


def _work(batch: list[Article]) -> list[list[Statement]]:
    assert _WORKER is not None
    return _WORKER.extract_many(batch)


def extract_batches(articles: Sequence[Article], extractor: Extractor | None, workers: int = 1, *,
                    cluster=None, setup=None) -> Iterator[tuple[list[Article], list[list[Statement]]]]:
    """(batch, statements of each of its articles) for batches of articles in input order: each batch
    is one nlp.pipe stream. workers > 1 forks that many processes, each with the parent's loaded
    pipeline (no reload, no pickling of the model); `cluster` (a dask.distributed Client, see
    graphkit.extract.cluster) sends each batch to a cluster worker that builds its extractor from
    `setup`. `graphkit extract` and `graphkit load` both read articles through here, so they parse alike."""
    global _WORKER
    batches = [list(articles[k:k + _BATCH]) for k in range(0, len(articles), _BATCH)]
    if cluster is not None:
        from .cluster import WorkerSetup, cluster_batches

        yield from zip(batches, cluster_batches(batches, cluster, setup or WorkerSetup()), strict=True)
        return
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


def iter_extract(articles: Iterable[Article], *, registry=None, nlp=None, workers: int = 1,
                 extractor: Extractor | None = None, progress=None, cluster=None, setup=None) -> Iterator[Statement]:
    """Statements of every article, in input order, batch by batch as they are ready (see extract_batches)."""
    ex = None if cluster is not None else extractor or Extractor(registry=registry, nlp=nlp)
    for batch, results in extract_batches(list(articles), ex, workers, cluster=cluster, setup=setup):
        for statements in results:
            yield from statements
        if progress:
            progress(len(batch))


def extract(articles: Iterable[Article], **options) -> list[Statement]:
    """Statements of every article, in input order (options: see iter_extract)."""
    return list(iter_extract(articles, **options))
