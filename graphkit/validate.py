"""One validation path for every record that comes from outside: field by field, types checked
before use, each problem named by its field.

The fields and their types are read from the dataclasses of graphkit.model (dataclasses.fields
and their annotations), not listed here, so a field added to Statement or Article is validated
the day it is added.  The standard library does it (no schema library): the dataclasses are the
one source of truth, and a second schema (pydantic models) would have to be kept in step with
them by hand.

    obj, notes = build(Statement, json.loads(line))   # FieldError("source.id", "expected text, got list")

Text is normalised at this boundary (a lone surrogate, which JSON allows and UTF-8 cannot
encode, becomes U+FFFD with a note); dates must fall in a sane range (1900-2100 by default,
GRAPHKIT_YEAR_RANGE=1800:2200 to change it); numbers must fit the stores (64-bit integers,
finite floats); ids and names have a length limit (a 20,000-character id is a broken record,
and Neo4j refuses a whole batch over one such index key).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import re
import sys
import types
import typing
from datetime import date
from functools import cache

from .errors import GraphkitError

MAX_ID_CHARS = 1000  # an id or a name longer than this is refused (Neo4j index keys stop near 8 KB)
MAX_TEXT_CHARS = 1_000_000  # any other text field (a sentence, an article body)
_INT_LIMIT = 2**63  # SQLite INTEGER and Neo4j Long are 64-bit
_SURROGATE = re.compile("[\ud800-\udfff]")
_LONG_FIELDS = ("id", "name")  # and every field ending in "_id"


class FieldError(ValueError):
    """One field of a record is wrong: `field` is its dotted path ("source.id", "evidence[2].rule")."""

    def __init__(self, field: str, reason: str):
        self.field, self.reason = field, reason
        super().__init__(f"{field}: {reason}" if field else reason)


def year_range() -> tuple[int, int]:
    """The years a date may fall in: GRAPHKIT_YEAR_RANGE=FIRST:LAST, default 1900:2100."""
    return _years(os.environ.get("GRAPHKIT_YEAR_RANGE", "1900:2100"))


@cache
def _years(raw: str) -> tuple[int, int]:
    try:
        first, last = (int(x) for x in raw.split(":"))
    except ValueError:
        raise GraphkitError(f"GRAPHKIT_YEAR_RANGE={raw!r}: expected FIRST:LAST, e.g. 1900:2100") from None
    if not 1 <= first <= last <= 9999:
        raise GraphkitError(f"GRAPHKIT_YEAR_RANGE={raw!r}: expected 1 <= FIRST <= LAST <= 9999")
    return first, last


def date_problem(value: date) -> str | None:
    first, last = year_range()
    if not first <= value.year <= last:
        return f"{value.isoformat()} is outside {first}-{last} (GRAPHKIT_YEAR_RANGE)"
    return None


def clean_text(value: str) -> tuple[str, bool]:
    """The text with lone surrogates replaced by U+FFFD, and whether any was."""
    if _SURROGATE.search(value) is None:
        return value, False
    return _SURROGATE.sub("\ufffd", value), True


def clean_json(value, notes: list[str], path: str = ""):
    """A decoded JSON value with every string (keys too) cleaned; a note per field changed."""
    if isinstance(value, str):
        text, changed = clean_text(value)
        if changed:
            notes.append(f"{path or 'value'}: lone surrogate replaced by U+FFFD")
        return text
    if isinstance(value, dict):
        return {clean_json(k, notes, path) if isinstance(k, str) else k:
                clean_json(v, notes, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_json(v, notes, f"{path}[{i}]") for i, v in enumerate(value)]
    return value


@cache
def _fields(cls) -> tuple[tuple[str, object, object], ...]:
    """(name, type, default or MISSING) of a dataclass, types resolved from its annotations."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory
        else:
            default = dataclasses.MISSING
        out.append((f.name, hints[f.name], default))
    return tuple(out)


def _union_args(tp) -> tuple | None:
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        return typing.get_args(tp)
    return None


def _kind(tp) -> str:
    names = {str: "text", int: "an integer", float: "a number", bool: "true or false", date: "a date (YYYY-MM-DD)",
             dict: "an object"}
    if tp in names:
        return names[tp]
    if dataclasses.is_dataclass(tp):
        return "an object"
    if typing.get_origin(tp) in (tuple, list):
        return "a list"
    return str(tp)


def _got(value) -> str:
    return {str: "text", bool: "true/false", int: "an integer", float: "a number", list: "a list",
            dict: "an object", type(None): "null"}.get(type(value), type(value).__name__)


def _limit_for(name: str) -> int:
    return MAX_ID_CHARS if name in _LONG_FIELDS or name.endswith("_id") else MAX_TEXT_CHARS


Checker = typing.Callable[[object, str, list], object]  # (value, path, notes) -> the value, converted


@cache
def _checker(tp, name: str) -> Checker:
    """A function checking (and converting: dates, tuples, nested dataclasses) a value against the
    type `tp`; compiled once per (type, field name), since it runs for every field of every record."""
    args = _union_args(tp)
    if args is not None:
        nullable = type(None) in args
        options = [_checker(a, name) for a in args if a is not type(None)]
        kind = " or ".join(_kind(a) for a in args if a is not type(None))

        if len(options) == 1:  # X | None, nearly every optional field: no loop
            only = options[0]

            def optional(value, path, notes):
                if value is None:
                    if nullable:
                        return None
                    raise FieldError(path, f"expected {kind}, got null")
                return only(value, path, notes)
            return optional

        def union(value, path, notes):
            if value is None:
                if nullable:
                    return None
                raise FieldError(path, f"expected {kind}, got null")
            errors = []
            for option in options:
                try:
                    return option(value, path, notes)
                except FieldError as err:
                    errors.append(err)
            raise errors[0]
        return union
    if tp is typing.Any or tp is object:
        return lambda value, path, notes: value
    if tp is str:
        limit = _limit_for(name)

        def text(value, path, notes):
            if value.__class__ is not str:
                if not isinstance(value, str):
                    raise FieldError(path, f"expected text, got {_got(value)}")
            if not value.isascii() and _SURROGATE.search(value) is not None:
                value = _SURROGATE.sub("\ufffd", value)
                notes.append(f"{path}: lone surrogate replaced by U+FFFD")
            if len(value) > limit:
                raise FieldError(path, f"{len(value):,} characters (the limit is {limit:,})")
            return value
        return text
    if tp is bool:
        def boolean(value, path, notes):
            if not isinstance(value, bool):
                raise FieldError(path, f"expected true or false, got {_got(value)}")
            return value
        return boolean
    if tp is int:
        def integer(value, path, notes):
            if value.__class__ is not int:
                raise FieldError(path, f"expected an integer, got {_got(value)}")
            if not -_INT_LIMIT < value < _INT_LIMIT:
                raise FieldError(path, "integer out of the 64-bit range")
            return value
        return integer
    if tp is float:
        def number(value, path, notes):
            cls = value.__class__
            if cls is float:
                if not math.isfinite(value):
                    raise FieldError(path, "expected a finite number")
                return value
            if cls is not int:
                raise FieldError(path, f"expected a number, got {_got(value)}")
            if not -_INT_LIMIT < value < _INT_LIMIT:
                raise FieldError(path, "number out of range")
            return float(value)
        return number
    if tp is date:
        def day(value, path, notes):
            if isinstance(value, date):
                parsed = value
            elif isinstance(value, str):
                try:
                    parsed = date.fromisoformat(value[:10])
                except ValueError:
                    raise FieldError(path, f"expected a date (YYYY-MM-DD), got {value[:40]!r}") from None
            else:
                raise FieldError(path, f"expected a date (YYYY-MM-DD), got {_got(value)}")
            if problem := date_problem(parsed):
                raise FieldError(path, problem)
            return parsed
        return day
    if tp is dict or typing.get_origin(tp) is dict:
        def mapping(value, path, notes):
            if not isinstance(value, dict):
                raise FieldError(path, f"expected an object, got {_got(value)}")
            return clean_json(value, notes, path) if value else value
        return mapping
    origin = typing.get_origin(tp)
    if origin in (tuple, list):
        item = _checker(typing.get_args(tp)[0] if typing.get_args(tp) else typing.Any, name)
        make = tuple if origin is tuple else list

        def sequence(value, path, notes):
            if not isinstance(value, list | tuple):
                raise FieldError(path, f"expected a list, got {_got(value)}")
            return make([item(v, f"{path}[{i}]", notes) for i, v in enumerate(value)])
        return sequence
    if dataclasses.is_dataclass(tp):
        def nested(value, path, notes):
            if isinstance(value, tp):
                value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
            if not isinstance(value, dict):
                raise FieldError(path, f"expected an object, got {_got(value)}")
            return _build(tp, value, path, notes)
        return nested
    raise TypeError(f"graphkit.validate cannot check a field of type {tp}")  # a model type it does not know


# A field the JSONL schema has always let a writer leave out, though the dataclass has no default.
ABSENT = {"date_precision": "reported", "modality": "asserted", "dataset": "graphkit"}
_MISSING = dataclasses.MISSING


@cache
def _plan(cls) -> tuple:
    """Per field: (name, checker, default, absent-value, optional) for _build."""
    plan = []
    for name, tp, default in _fields(cls):
        union = _union_args(tp)
        optional = union is not None and type(None) in union
        absent = ABSENT.get(name, _MISSING) if union is None else _MISSING
        plan.append((name, _checker(tp, name), default, absent, optional))
    return tuple(plan)


@functools.lru_cache(maxsize=4096)
def _paths(cls, prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}.{f[0]}" if prefix else f[0] for f in _fields(cls))


@cache
def _compiled(cls):
    """_build's loop unrolled into one generated function per dataclass (as dataclasses and attrs
    generate __init__): the loop's bookkeeping cost more than the checks on a record of 22 fields."""
    env = {"MISSING": _MISSING, "FieldError": FieldError, "cls": cls}
    lines = ["def build(record, paths, notes):", "    get = record.get", "    values = {}"]
    for i, (name, checker, default, absent, optional) in enumerate(_plan(cls)):
        env[f"c{i}"], env[f"a{i}"] = checker, absent
        lines.append(f"    raw = get({name!r}, MISSING)")
        if absent is not _MISSING:
            lines.append(f"    if raw is MISSING or raw is None or raw == '':\n        raw = a{i}")
        lines.append("    if raw is MISSING:")
        if default is not _MISSING:
            lines.append("        pass  # the dataclass default")
        elif optional:
            lines.append(f"        values[{name!r}] = None  # an optional field left out")
        else:
            lines.append(f"        raise FieldError(paths[{i}], 'missing')")
        if default is not _MISSING and not optional:
            lines.append("    elif raw is None:\n        pass  # null where the field has a default: the default")
        lines.append(f"    else:\n        values[{name!r}] = c{i}(raw, paths[{i}], notes)")
    lines.append("    return cls(**values)")
    exec("\n".join(lines), env)  # noqa: S102 - code generated from the dataclass's own field list
    return env["build"]


def _build(cls, record: dict, prefix: str, notes: list[str]):
    return _compiled(cls)(record, _paths(cls, prefix), notes)


def build(cls, record, *, prefix: str = ""):
    """An instance of the dataclass `cls` from a decoded JSON object, and notes on what was
    normalised. FieldError names the first field that is wrong."""
    if not isinstance(record, dict):
        raise FieldError(prefix, f"expected a JSON object, got {_got(record)}")
    notes: list[str] = []
    return _build(cls, record, prefix, notes), notes


def check(obj) -> str | None:
    """Why a dataclass instance built in code (an importer row, an extracted statement) has a field
    of the wrong type or size, or None: the same checks `build` makes on JSON."""
    try:
        _build(type(obj), {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}, "", [])
    except FieldError as err:
        return str(err)
    return None


def parse_json(text: str):
    """json.loads, with every way it can fail on hostile input as one FieldError: malformed JSON,
    nesting deeper than the parser's stack, an integer of thousands of digits."""
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise FieldError("", f"not JSON ({err.msg})") from None
    except RecursionError:
        raise FieldError("", "JSON nested too deeply") from None
    except ValueError as err:  # "Exceeds the limit (4300 digits) for integer string conversion ..."
        if "digits" in str(err):
            raise FieldError("", f"a number of more than {sys.get_int_max_str_digits()} digits") from None
        raise FieldError("", f"not readable JSON ({' '.join(str(err).split())[:120]})") from None
