"""Input files as every reader opens them: only regular files and "-", a size cap, lines decoded
one at a time (a bad byte costs its line, not the file), and a cap on one line's length.

A directory, a FIFO (which would block a reader forever), a device (/dev/zero would fill memory)
or a symbolic link loop is refused up front with one line naming it.
"""

from __future__ import annotations

import csv
import errno
import os
import stat
import sys
from collections.abc import Iterator

from .errors import InputError

MAX_LINE_BYTES = 64 * 2**20  # one JSONL line / CSV record; longer is a broken record, not data
# Every CSV reader raises Python's 128 KiB field limit to this, the same everywhere; a longer field
# is reported with its line and the reader goes on with the next record.
CSV_FIELD_LIMIT = 16 * 2**20


def raise_csv_field_limit() -> None:
    csv.field_size_limit(CSV_FIELD_LIMIT)


def mb(n: int | float) -> str:
    return f"{n / 2**20:.1f} MB"


def check_file(path: str, max_bytes: int | None = None) -> None:
    """InputError unless `path` is a regular file (symlinks to one are fine) within the size cap."""
    try:
        st = os.stat(path)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise InputError(path, "symbolic link loop") from None
        if err.errno == errno.ENOENT:
            raise InputError(path, "cannot read (no such file)") from None
        raise InputError(path, f"cannot read ({err.strerror or err})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(path, "is a directory; a file or - (stdin) is expected here")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a FIFO" if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode)
                or stat.S_ISBLK(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a file")
        raise InputError(path, f"is {kind}; only regular files and - (stdin) are read")
    if max_bytes is not None and st.st_size > max_bytes:
        raise InputError(path, f"file too large ({mb(st.st_size)}; the limit is {mb(max_bytes)}, see --max-size)")
    if not os.access(path, os.R_OK):
        raise InputError(path, "cannot read (permission denied)")


def open_binary(path: str, max_bytes: int | None = None):
    """The file opened for reading bytes, after check_file; OSError as one InputError."""
    check_file(path, max_bytes)
    try:
        return open(path, "rb")
    except OSError as err:
        raise InputError(path, f"cannot read ({err.strerror or err})") from None


def text_lines(stream, name: str, max_bytes: int | None = None) -> Iterator[tuple[int, str | InputError]]:
    """(line number, text) per line of a binary (or text) stream; a line that is not UTF-8 or is
    over MAX_LINE_BYTES yields an InputError for that line and the reading goes on."""
    total = 0
    number = 0
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        total += len(line)
        if max_bytes is not None and total > max_bytes:
            yield number, InputError(name, f"input larger than {mb(max_bytes)} (see --max-size); "
                                     f"read up to line {number - 1}")
            return
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n" if isinstance(line, bytes) else "\n"):
            yield number, InputError(f"{name}:{number}", f"line longer than {mb(MAX_LINE_BYTES)}; skipped")
            while line and not line.endswith(b"\n" if isinstance(line, bytes) else "\n"):  # the rest of it
                line = stream.readline(MAX_LINE_BYTES)
            continue
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as err:
                yield number, InputError(f"{name}:{number}", f"not UTF-8 (byte {err.start + 1} of the line); "
                                         "line skipped")
                continue
        yield number, line


def jsonl_records(stream, name: str, max_bytes: int | None = None) -> Iterator[tuple[str, object] | InputError]:
    """The one JSONL reader: ("FILE:LINE", value) per non-blank line of a binary (or text) stream; a
    line that is not JSON (or not UTF-8, or too long) yields an InputError naming file and line, and
    the reading goes on (graphkit.validate.parse_json says why, also for hostile input)."""
    from .validate import FieldError, parse_json

    for number, line in text_lines(stream, name, max_bytes):
        if isinstance(line, InputError):
            yield line
            continue
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            yield where, parse_json(line)
        except FieldError as err:
            yield InputError(where, err.reason)


def stdin_binary(stdin=None):
    stream = stdin if stdin is not None else sys.stdin
    return getattr(stream, "buffer", stream)
