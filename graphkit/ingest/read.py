"""Paths to articles: expand paths, read each input, report what could not be read.

Every problem with user input becomes an InputError naming the file and the line or
field; the other inputs are still read.  Exact duplicates (same article id) are kept
once and reported once per (path, id).
"""

from __future__ import annotations

import glob
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from ..errors import GraphkitError, InputError
from ..inputs import check_file
from ..model import Article
from ..validate import date_problem
from .decode import DEFAULT_MAX_BYTES, decode_bytes
from .html import read_html
from .layout import Draft, build_article
from .lexicon import column_aliases
from .plaintext import read_plain_text
from .records import read_csv, read_json, read_jsonl

log = logging.getLogger(__name__)

# Extension -> reader kind.  Directories are searched for these only (so a README.md is not an article).
EXTENSIONS = {
    ".txt": "txt", ".text": "txt",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".csv": "csv", ".tsv": "tsv",
}


@dataclass(slots=True)
class ReadResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)  # one per skipped input, line or unreadable field
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, id) of an exact duplicate, once
    notes: list[InputError] = field(default_factory=list)  # worth saying, nothing skipped (encoding used)


def _sniff(text: str) -> str:
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml", "<head", "<body", "<meta", "<!--")):
        return "html"
    if head.startswith("{"):
        return "jsonl"
    if head.startswith("["):
        return "json"
    first_line = text.lstrip().split("\n", 1)[0]
    for kind, delimiter in (("csv", ","), ("tsv", "\t")):
        cells = [c.strip().strip('"').lower() for c in first_line.split(delimiter)]
        if len(cells) >= 2 and set(cells) & set(column_aliases()["text"]):
            return kind  # a header row naming a text column
    return "txt"


def _expand(paths: Sequence[str], problems: list[InputError]) -> Iterator[str]:
    for raw in paths:
        if raw == "-":
            yield "-"
            continue
        path = Path(raw)
        if path.is_dir():
            found = sorted(str(p) for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in EXTENSIONS
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                problems.append(InputError(raw, "no article files (" + " ".join(sorted(set(EXTENSIONS))) +
                                           ") in this directory"))
            yield from found
        elif path.exists() or path.is_symlink():  # a dangling link or a loop: _read_bytes says which
            yield raw
        elif glob.has_magic(raw):
            matches = sorted(m for m in glob.glob(raw, recursive=True) if os.path.isfile(m))
            if not matches:
                problems.append(InputError(raw, "no file matches this pattern"))
            yield from matches
        else:
            problems.append(InputError(raw, "no such file or directory"))


def _read_bytes(name: str, stdin, max_bytes: int) -> tuple[bytes | None, str | None]:
    """The input's bytes, or an error message."""
    try:
        if name == "-":
            stream = stdin if stdin is not None else sys.stdin
            stream = getattr(stream, "buffer", stream)
            data = stream.read(max_bytes + 1)
            if isinstance(data, str):
                data = data.encode("utf-8")
        else:
            try:
                check_file(name, max_bytes)  # a FIFO, a device, a directory or a link loop: refused up front
            except InputError as err:
                return None, err.message
            with open(name, "rb") as handle:
                data = handle.read(max_bytes + 1)
    except OSError as err:
        return None, f"cannot read ({err.strerror or err})"
    if len(data) > max_bytes:
        return None, f"input too large (over {_mb(max_bytes)}, see --max-size)"
    return data, None


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def read_text(text: str, source: str, kind: str, columns: dict[str, str] | None = None
              ) -> tuple[list[Draft], list[InputError], list[InputError]]:
    """Drafts read from decoded text of one input: (drafts, problems, notes)."""
    problems: list[InputError] = []
    notes: list[InputError] = []
    if kind in ("txt", "html"):
        parsed = read_html(text, source) if kind == "html" else read_plain_text(text, source)
        problems.extend(InputError(source, message) for message in parsed.problems)
        notes.extend(InputError(source, message) for message in parsed.notes)
        return [parsed.draft], problems, notes
    if kind == "jsonl":
        result = read_jsonl(text, source, columns)
    elif kind == "json":
        result = read_json(text, source, columns)
    else:
        result = read_csv(text, source, columns, delimiter="\t" if kind == "tsv" else ",")
    problems.extend(InputError(where, message) for where, message in result.problems)
    notes.extend(InputError(where, message) for where, message in result.notes)
    return result.drafts, problems, notes


def read_paths(paths: Sequence[str], *, published: date | None = None, outlet: str | None = None,
               columns: dict[str, str] | None = None, stdin=None, max_bytes: int = DEFAULT_MAX_BYTES,
               progress: Callable[[int, int, str], None] | None = None) -> ReadResult:
    """Read every article under `paths` (files, directories, globs, "-" for stdin).

    `published` and `outlet` override what every article says (date_source "override").

    `progress(done, total, name)` is called before each input (for a progress bar).
    """
    result = ReadResult()
    seen: dict[str, str] = {}  # id -> where first read
    reported: set[tuple[str, str]] = set()
    inputs = list(_expand(paths, result.problems))
    for done, name in enumerate(inputs):
        if progress is not None:
            progress(done, len(inputs), name)
        label = "<stdin>" if name == "-" else name
        data, error = _read_bytes(name, stdin, max_bytes)
        if error:
            result.problems.append(InputError(label, error))
            continue
        decoded = decode_bytes(data)
        if decoded.error:
            result.problems.append(InputError(label, decoded.error))
            continue
        if decoded.note:
            result.notes.append(InputError(label, decoded.note))
        kind = EXTENSIONS.get(Path(name).suffix.lower()) if name != "-" else None
        kind = kind or _sniff(decoded.text)
        try:
            drafts, problems, notes = read_text(decoded.text, label, kind, columns)
        except RecursionError:
            result.problems.append(InputError(label, "too deeply nested to read"))
            continue
        except GraphkitError:
            raise  # graphkit's own setup (a data file), not this input
        except Exception as err:  # last guard: a reader bug must not become a traceback on user input
            log.debug("reader failed on %s", label, exc_info=True)
            result.problems.append(InputError(label, f"could not read ({type(err).__name__}: {err}); "
                                              "please report this input"))
            continue
        result.problems.extend(problems)
        result.notes.extend(notes)
        for draft in drafts:
            article = build_article(draft)
            if article is None:
                result.problems.append(InputError(draft.source or label, "no article text found "
                                                  "(only a title or header lines)"))
                continue
            if published is not None:
                article = replace(article, published=published, date_source="override")
            elif article.published is not None and (problem := date_problem(article.published)):
                # 0001-01-01 is no publication date; relative dates would be computed from it
                result.notes.append(InputError(article.source or label, f"publication date {problem}; "
                                               "kept without a date"))
                article = replace(article, published=None, date_source="none")
            if outlet:
                article = replace(article, outlet=outlet)
            if article.id in seen:
                key = (article.source or label, article.id)
                if key not in reported:
                    reported.add(key)
                    result.duplicates.append(key)
                continue
            seen[article.id] = article.source or label
            result.articles.append(article)
    return result


def read_articles(paths: Sequence[str], **kw) -> list[Article]:
    """The articles under `paths`; problems and duplicates are logged as warnings."""
    result = read_paths(paths, **kw)
    for problem in result.problems:
        log.warning("%s", problem)
    for note in result.notes:
        log.info("%s", note)
    for where, article_id in result.duplicates:
        log.warning("%s: duplicate of article %s, skipped", where, article_id)
    return result.articles
