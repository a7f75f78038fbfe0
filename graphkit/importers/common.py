"""What every importer shares: streaming lines out of plain or zipped files, row accounting,
the registry (when present) and ids for imported records (batches: graphkit.batches)."""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from ..batches import ParsedRow
from ..errors import InputError
from ..ids import digest
from ..inputs import check_file, mb
from ..model import Actor, Article
from ..store.prepare import statement_problem
from ..validate import date_problem

log = logging.getLogger(__name__)


class SkippedRow(InputError):
    """A well-formed row that the import leaves out on purpose (e.g. a one-sided event).

    Reported with its place like a malformed row, but counted by reason and not an error exit."""

    def __init__(self, where: str, reason: str):
        self.reason = reason
        super().__init__(where, f"skipped: {reason}")


def open_text_members(path: str | Path, max_bytes: int | None = None) -> Iterator[tuple[str, io.TextIOBase]]:
    """(label, text stream) for a plain file or each file inside a .zip, read lazily (constant memory).

    The label names the file (and the zip member) in error messages.  Only a regular file is
    opened (graphkit.inputs.check_file); a corrupt, encrypted or unsupported archive is one InputError."""
    path = Path(path)
    check_file(str(path), max_bytes)
    try:
        is_zip = zipfile.is_zipfile(path)
    except OSError as err:
        raise InputError(str(path), f"cannot read ({err.strerror or err})") from None
    if is_zip:
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as err:
            raise InputError(str(path), f"corrupt zip archive ({err})") from None
        with zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if not members:
                raise InputError(str(path), "zip archive holds no files")
            for member in members:
                label = f"{path}[{member.filename}]"
                if member.flag_bits & 0x1:
                    raise InputError(label, "encrypted zip member; decrypt the archive first")
                if max_bytes is not None and member.file_size > max_bytes:
                    raise InputError(label, f"member too large ({mb(member.file_size)} uncompressed; the limit is "
                                     f"{mb(max_bytes)}, see --max-size)")
                try:
                    raw = zf.open(member)
                except NotImplementedError as err:
                    raise InputError(label, f"unsupported zip compression ({err})") from None
                except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as err:
                    raise InputError(label, f"corrupt zip member ({err})") from None
                with raw:
                    yield label, io.TextIOWrapper(_Guarded(raw, label), encoding="utf-8", errors="replace",
                                                  newline="")
        return
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        yield str(path), fh


class _Guarded(io.RawIOBase):
    """A zip member's byte stream whose decompression errors (bad CRC, truncated data) become
    one InputError naming the member, not a zlib/zipfile traceback mid-import."""

    def __init__(self, raw, label: str):
        self._raw, self._label = raw, label

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._raw.read(len(buffer))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as err:
            raise InputError(self._label, f"corrupt zip member ({err})") from None
        buffer[:len(data)] = data
        return len(data)


def checked_row(where: str, parsed: ParsedRow) -> ParsedRow | InputError:
    """An importer's parsed row, or an InputError naming its line when it breaks the value rules
    every record meets (graphkit.validate: dates in range; ids and names within MAX_ID_CHARS; the
    store's typology and kinds). The row's types need no check here: the importer's column parsers
    built them (a full graphkit.validate.check per row measured 3x the import's parse time)."""
    statement = parsed[0]
    problem = statement_problem(statement)
    if problem is None and statement.date is not None and (late := date_problem(statement.date)):
        problem = f"date: {late}"
    return InputError(where, problem) if problem else parsed


def dataset_statement_id(dataset: str, record_id: str) -> str:
    """Statement id of an imported event: the dataset's own event id decides it, so re-importing the
    same file (or an overlapping one) never duplicates, whatever the actor mapping."""
    return "st_" + digest(dataset, record_id)


def url_article_id(url: str) -> str:
    """Article id for a source known only by its URL (scheme and fragment ignored, host case-folded)."""
    parts = urlsplit(url.strip())
    key = (parts.netloc.lower() + parts.path + ("?" + parts.query if parts.query else "")) or url.strip()
    return digest("url", key)


def url_article(url: str, published, where: str) -> Article:
    host = urlsplit(url).netloc.lower()
    return Article(id=url_article_id(url), text="", url=url, outlet=host.removeprefix("www.") or None,
                   published=published, date_source="metadata" if published else "none", source=where)


_SLUG = re.compile(r"[^A-Z0-9]+")


def slug(text: str) -> str:
    """An id-safe upper-case slug: "Unidentified Armed Group (Iraq)" -> "UNIDENTIFIED_ARMED_GROUP_IRAQ"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").upper()
    return _SLUG.sub("_", folded).strip("_")


@cache
def country_name(alpha3: str) -> str | None:
    import pycountry

    country = pycountry.countries.get(alpha_3=alpha3)
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


@cache
def country_code(name: str) -> str | None:
    """ISO 3166 alpha-3 for a country name as datasets write it ("Iraq", "Syria", "Democratic Republic
    of Congo"); None when unknown."""
    import pycountry

    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        pass
    try:
        matches = pycountry.countries.search_fuzzy(name)
    except LookupError:
        return None
    return matches[0].alpha_3 if matches else None


class RegistryView:
    """The actor registry if its module is present (graphkit.registry.Registry), else nothing.

    Importers ask only `get(id)`; a missing registry means every actor is created from its codes."""

    def __init__(self, registry=None):
        self._registry = registry
        self._names: dict[str, str] | None = None

    @classmethod
    def default(cls) -> RegistryView:
        from ..registry import Registry

        try:
            return cls(Registry.default())
        except Exception as err:  # a broken registry must not stop an import; say so
            log.warning("actor registry could not be loaded (%s); actors are created from their codes", err)
            return cls(None)

    @property
    def available(self) -> bool:
        return self._registry is not None

    @cache  # noqa: B019 - one view per import run; the cache is bounded by the actor-code vocabulary
    def get(self, actor_id: str) -> Actor | None:
        if self._registry is None or not actor_id:
            return None
        try:
            return self._registry.get(actor_id)
        except KeyError:
            return None


    def by_name(self, name: str) -> Actor | None:
        """The registry actor whose name or an alias is exactly `name` (case- and accent-folded),
        if exactly one is; None when absent or ambiguous.  No fuzzy matching: a wrong merge of two
        actors is worse than a separate node."""
        if self._registry is None or not hasattr(self._registry, "actors"):
            return None
        if self._names is None:
            names: dict[str, str | None] = {}
            for actor in self._registry.actors.values():
                for text in (actor.name, *actor.aliases):
                    key = slug(text)
                    if key and names.get(key, actor.id) != actor.id:
                        names[key] = None  # two actors answer to this name
                    elif key:
                        names[key] = actor.id
            self._names = {k: v for k, v in names.items() if v is not None}
        actor_id = self._names.get(slug(name))
        return self.get(actor_id) if actor_id else None


def as_registry(registry) -> RegistryView:
    if isinstance(registry, RegistryView):
        return registry
    if registry is None:
        return RegistryView(None)
    return RegistryView(registry)


@dataclass(slots=True)
class ImportReport:
    """Row accounting for one import run: every data row is imported, skipped or malformed."""

    imported: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> rows
    malformed: int = 0

    def account(self, errors: Iterable[InputError]) -> None:
        for err in errors:
            if isinstance(err, SkippedRow):
                self.skipped[err.reason] += 1
            else:
                self.malformed += 1

    @property
    def accounted(self) -> int:
        return self.imported + sum(self.skipped.values()) + self.malformed
