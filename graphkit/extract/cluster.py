"""Extraction on a Dask cluster (dask.distributed): the same batches as one process, spread over workers.

`--cluster local:N` starts a LocalCluster of N worker processes on this machine; any other value is the
address of a running scheduler (tcp://HOST:8786), which is how Dask runs on Kubernetes, YARN, HPC batch
schedulers (dask-jobqueue) and the clouds. Each worker builds its extractor (spaCy pipeline and
registry) once, on the first batch it is given, from a WorkerSetup that travels with every task: the
registry files and spaCy model must be readable by the workers (graphkit installed there, the same
--actors paths). A batch is one task; the scheduler retries a task whose worker died. The statements
come back in input order, so the output is the same as `--workers 1`, byte for byte.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from ..errors import GraphkitError
from ..model import Article, Statement

RETRIES = 2  # a task whose worker died is run again this many times on another worker


@dataclass(frozen=True, slots=True)
class WorkerSetup:
    """How a worker builds its extractor: extra registry files and the spaCy model name."""

    actor_files: tuple[str, ...] = ()
    nlp: str | None = None


_EXTRACTOR = None  # the worker process's extractor, built for _SETUP
_SETUP: WorkerSetup | None = None


def extract_on_worker(batch: list[Article], setup: WorkerSetup) -> list[list[Statement]]:
    """Run on a worker: statements of each article of the batch (Extractor.extract_many)."""
    global _EXTRACTOR, _SETUP
    if _EXTRACTOR is None or _SETUP != setup:
        from ..registry import Registry
        from .extractor import Extractor

        _EXTRACTOR = Extractor(registry=Registry.default(extra=setup.actor_files), nlp=setup.nlp)
        _SETUP = setup
    return _EXTRACTOR.extract_many(batch)


def local_workers(address: str) -> int | None:
    """N of "local:N", None for a scheduler address; GraphkitError for a malformed local spec."""
    if not address.startswith("local:"):
        return None
    n = address[len("local:"):]
    if not n.isdigit() or not 1 <= int(n) <= 64:
        raise GraphkitError(f"--cluster {address!r}: expected local:N with N from 1 to 64, or a scheduler address")
    return int(n)


@contextmanager
def connect(address: str | None):
    """A dask.distributed Client for `address` (see the module docstring), closed on exit; None when
    no address is given (extraction stays in this machine's processes)."""
    if not address:
        yield None
        return
    n = local_workers(address)
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise GraphkitError("--cluster needs dask.distributed: pip install 'graphkit[scale]'") from None
    # distributed sets its own loggers to INFO; a run's output should carry graphkit's lines only
    for name in list(logging.root.manager.loggerDict):
        if name.split(".")[0] == "distributed" and not logging.getLogger("graphkit").isEnabledFor(logging.DEBUG):
            logging.getLogger(name).setLevel(logging.WARNING)
    if n is not None:
        # Worker processes, one thread each: spaCy parsing holds the GIL, so threads would not help.
        # No dashboard: nothing listens beyond the workers' own loopback ports.
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                          scheduler_kwargs={"dashboard": False}, silence_logs=logging.CRITICAL) as local, \
                Client(local) as client:
            yield client
        return
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as err:
        raise GraphkitError(f"--cluster {address}: cannot reach the Dask scheduler ({err})") from None
    with client:
        yield client


def cluster_batches(batches: Sequence[list[Article]], client, setup: WorkerSetup) -> Iterator[list[list[Statement]]]:
    """The statements of each batch, in batch order, computed on the cluster's workers."""
    futures = client.map(extract_on_worker, list(batches), setup=setup, pure=False, retries=RETRIES)
    try:
        for future in futures:
            yield future.result()
    finally:
        client.cancel(futures)
