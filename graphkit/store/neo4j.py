"""Neo4j store (filled in by the storage issue)."""

from ..errors import NotYetError


class Neo4jStore:
    def __init__(self, uri: str):
        raise NotYetError("not yet: the Neo4j store is not built yet (tracked in issue 6)")
