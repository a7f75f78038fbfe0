"""The DuckDB connection every shards query runs on (graphkit.analysis.shard_events finds the events on
it, graphkit.analysis.parquet aggregates them, graphkit.export writes them). DuckDB is an optional
dependency (the `scale` extra): without it, a clear GraphkitError says how to install it."""

from __future__ import annotations

from ..errors import GraphkitError


def duckdb_module():
    """The duckdb module, or a GraphkitError naming the extra to install."""
    try:
        import duckdb
    except ImportError:
        raise GraphkitError("reading Parquet shards with DuckDB needs duckdb: pip install 'graphkit[scale]'") \
            from None
    return duckdb


def connect():
    """A DuckDB connection (in memory; it spills to a temporary folder beyond its memory limit)."""
    return duckdb_module().connect()


def duckdb_available() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True
