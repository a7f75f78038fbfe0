"""Bytes to text: size cap, empty and binary detection, encoding detection."""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Share of control characters above which decoded "text" is really binary.
_MAX_CONTROL_SHARE = 0.02
_ALLOWED_CONTROLS = set("\t\n\r\f\v")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str | None = None
    error: str | None = None  # why the bytes are not readable text (the input is skipped)
    note: str | None = None  # something worth saying that did not stop the read (encoding)


def decode_bytes(data: bytes) -> Decoded:
    if not data.strip():
        return Decoded(error="empty file" if not data else "empty file (only whitespace)")
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), f"not UTF-8; decoded as {encoding} (byte-order mark)")
            except UnicodeDecodeError:
                return Decoded(error=f"starts with a {encoding} byte-order mark but does not decode as {encoding}")
    if b"\x00" in data[:65536]:
        return Decoded(error="binary file (contains NUL bytes), not text")
    try:
        return _checked(data.decode("utf-8-sig"), None)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000] if len(data) > 1_000_000 else data).best()
    if best is None:
        return Decoded(error="binary file or unknown encoding (not UTF-8, no encoding detected)")
    encoding = "cp1252" if best.encoding in _CONFUSED_WITH_CP1252 and _reads_as_western(data) else best.encoding
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return Decoded(error=f"not UTF-8 and does not decode as the detected {encoding}")
    return _checked(text, f"not UTF-8; decoded as {encoding}")


# Codecs charset-normalizer picks for short Windows-1252 text (English/Western European
# news saved by Windows tools), where "é", curly quotes and dashes give it little to go on.
_CONFUSED_WITH_CP1252 = {"mac_latin2", "cp1250", "cp775", "cp850", "cp437", "mac_iceland", "mac_roman",
                         "latin_1", "iso8859_15", "iso8859_2"}
_WESTERN = set("àâäáãåæçéèêëíìîïñóòôöõøœúùûüýÿßÀÂÄÁÃÅÆÇÉÈÊËÍÌÎÏÑÓÒÔÖÕØŒÚÙÛÜÝŸ"
               "“”‘’„–—…€•©®°«»£¥§¶·×÷¿¡\u00a0")


def _reads_as_western(data: bytes) -> bool:
    """Every non-ASCII character of `data` read as cp1252 is a Western letter or typographic mark."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return all(ch in _WESTERN for ch in text if ord(ch) > 127)


def _checked(text: str, note: str | None) -> Decoded:
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs"))
    if controls > _MAX_CONTROL_SHARE * max(len(sample), 1):
        return Decoded(error="binary file (control characters), not text")
    if not text.strip():
        return Decoded(error="empty file (only whitespace)")
    return Decoded(text=text.replace("\r\n", "\n").replace("\r", "\n"), note=note)
