"""Embedded store (filled in by the storage issue)."""

from ..errors import NotYetError


class SqliteStore:
    def __init__(self, uri: str):
        raise NotYetError("not yet: the embedded store is not built yet (tracked in issue 6)")
