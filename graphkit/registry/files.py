"""Write actors as a registry file that Registry.add_file (and Registry.default) reads back."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..model import Actor, Affiliation


def registry_document(actors: Iterable[Actor], affiliations: Iterable[Affiliation], source: str) -> dict:
    return {
        "format": "graphkit-registry/1",
        "source": source,
        "actor": [
            {k: v for k, v in {"id": a.id, "name": a.name, "kind": a.kind, "country": a.country,
                               "sector": a.sector, "aliases": list(a.aliases)}.items() if v not in (None, [])}
            for a in actors
        ],
        "affiliation": [
            {k: v for k, v in {"source": f.source, "target": f.target, "type": f.type,
                               "start": f.start.isoformat() if f.start else None,
                               "end": f.end.isoformat() if f.end else None}.items() if v is not None}
            for f in affiliations
        ],
    }


def write_registry_json(path: Path, actors: Iterable[Actor], affiliations: Iterable[Affiliation], source: str) -> None:
    """Atomic write (temp file + rename): a re-import replaces the file, never half-writes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = registry_document(actors, affiliations, source)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, separators=(",", ":"))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
