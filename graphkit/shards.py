"""Statement shards: Parquet files of statements, so extraction and loading scale separately.

`graphkit extract --shards DIR` writes DIR/part-00000.parquet, part-00001.parquet, ... (one Parquet
schema, below); `graphkit load DIR` (or a .parquet file) reads them back, batch by batch. The schema is
derived from the Statement dataclass, so it has every statement field and gains new ones by itself:

    one row per statement; scalar fields as typed columns (date as date32, codes as strings);
    source, target: struct<id, name, kind, country>;
    evidence: list<struct<article_id, sentence, char_start, char_end, rule, confidence, ...>>;
    extra: JSON text.

A shard is lossless: read back, every statement equals the one written (test).
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import fields
from datetime import date
from pathlib import Path

from .errors import GraphkitError, InputError
from .model import ActorRef, Mention, Statement
from .serialize import statement_from_dict, statement_to_dict

ROWS_PER_FILE = 100_000  # statements per part file: large enough for column compression, small for memory
SUFFIX = ".parquet"


def _pa():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise GraphkitError("Parquet shards need pyarrow: pip install 'graphkit[scale]'") from None
    return pa, pq


def _arrow_type(hint, pa):
    """The Arrow type of a dataclass field's type hint (X | None is a nullable X)."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        (inner,) = [a for a in typing.get_args(hint) if a is not type(None)]
        return _arrow_type(inner, pa)
    if typing.get_origin(hint) is tuple:  # tuple[Mention, ...]
        return pa.list_(_arrow_type(typing.get_args(hint)[0], pa))
    if hint in (ActorRef, Mention):
        hints = typing.get_type_hints(hint)
        return pa.struct([(f.name, _arrow_type(hints[f.name], pa)) for f in fields(hint)])
    simple = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_(), date: pa.date32(),
              dict: pa.string()}  # dict: JSON text
    if hint not in simple:
        raise TypeError(f"no Arrow type for {hint!r}")
    return simple[hint]


def schema():
    pa, _ = _pa()
    hints = typing.get_type_hints(Statement)
    return pa.schema([(f.name, _arrow_type(hints[f.name], pa)) for f in fields(Statement)])


_DATE_FIELDS = tuple(f.name for f in fields(Statement) if typing.get_type_hints(Statement)[f.name] in (date, date | None))


def _row(st: Statement) -> dict:
    d = statement_to_dict(st)
    for name in _DATE_FIELDS:  # date32 columns take dates, not the ISO text of the JSON schema
        d[name] = getattr(st, name)
    d["extra"] = json.dumps(st.extra, sort_keys=True, default=str) if st.extra else None
    return d


def record_of(st: Statement) -> dict:
    """A statement as a shard row (the values of schema()'s columns)."""
    return _row(st)


def statement_of_record(d: dict) -> Statement:
    """The statement of a shard row read back (a dict of schema()'s columns; other keys are not read).
    KeyError, TypeError or ValueError when it is not one."""
    d["extra"] = json.loads(d["extra"]) if d.get("extra") else {}
    return statement_from_dict(d)


def write_shards(statements: Iterable[Statement], folder: str | Path, rows_per_file: int = ROWS_PER_FILE) -> list[Path]:
    """Write statements as part files in `folder` (created; earlier part files there are replaced)."""
    pa, pq = _pa()
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"part-*{SUFFIX}"):
        old.unlink()
    sch, written, rows = schema(), [], []

    def flush():
        path = out / f"part-{len(written):05d}{SUFFIX}"
        tmp = path.with_suffix(".tmp")
        pq.write_table(pa.Table.from_pylist(rows, schema=sch), tmp)
        tmp.replace(path)  # a part file is whole or absent
        written.append(path)
        rows.clear()

    for st in statements:
        rows.append(_row(st))
        if len(rows) >= rows_per_file:
            flush()
    if rows or not written:
        flush()
    return written


def shard_files(path: str | Path) -> list[Path]:
    p = Path(path)
    if p.is_dir():
        return sorted(p.glob(f"*{SUFFIX}"))
    return [p]


def is_shard_input(path: str) -> bool:
    """A .parquet file, or a folder holding some (and no article files would be read from it)."""
    p = Path(path)
    return p.suffix.lower() == SUFFIX or (p.is_dir() and any(p.glob(f"*{SUFFIX}")))


def read_shards(path: str | Path, batch_rows: int = 10_000) -> Iterator[Statement | InputError]:
    """Statements of a shard file or folder, batch by batch; a record that is not a statement comes
    out as an InputError naming the file and row, the others go on."""
    _, pq = _pa()
    for file in shard_files(path):
        try:
            parquet = pq.ParquetFile(file)
        except Exception as err:  # noqa: BLE001 - pyarrow raises several kinds for a bad file
            yield InputError(str(file), f"not a readable Parquet file ({str(err)[:120]})")
            continue
        row = 0
        for batch in parquet.iter_batches(batch_size=batch_rows):
            for d in batch.to_pylist():
                row += 1
                try:
                    yield statement_of_record(d)
                except (KeyError, TypeError, ValueError) as err:
                    yield InputError(f"{file}:row {row}", f"not a statement ({err})")
