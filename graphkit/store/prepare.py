"""Backend-neutral preparation of a LoadBatch: validation and flat rows.

Both stores write exactly these rows, so the embedded store and Neo4j agree on
what a statement, a mention and an actor are.  Validation runs over the whole
batch before anything is written: a batch with one bad record writes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from datetime import date
from operator import attrgetter

from .. import typology
from ..errors import SKIPPED, GraphkitError
from ..model import (
    AFFILIATION_TYPES,
    DATE_PRECISIONS,
    MODALITIES,
    MODALITY_STRENGTH,
    PLACE_FIELDS,
    PLACE_PRECISIONS,
    PLACE_SOURCES,
    TELLING_FIELDS,
    Actor,
    LoadBatch,
    Mention,
    Statement,
)
from ..validate import MAX_ID_CHARS

GRAPHKIT_DATASET = "graphkit"  # statements extracted by graphkit itself (Statement.dataset default)


class BatchError(GraphkitError):
    """A record of a batch is invalid; the message names it. Nothing was written."""

    exit_code = SKIPPED


_blake2b = hashlib.blake2b


def mention_id(statement_id: str, article_id: str | None, char_start: int | None, char_end: int | None) -> str:
    """Evidence is one row per (statement, article, char_start, char_end)."""
    key = f"{statement_id}\x1f{article_id or ''}\x1f{'' if char_start is None else char_start}\x1f" \
          f"{'' if char_end is None else char_end}"
    return "mn_" + _blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


_MODALITIES = frozenset(MODALITIES)
_PRECISIONS = frozenset(DATE_PRECISIONS)


def statement_problem(st: Statement) -> str | None:
    """Why a statement cannot be stored, or None."""
    kinds = typology.KIND_LABELS
    if (st.id and st.type in typology.types() and st.source.id and st.target.id and st.source.kind in kinds
            and st.target.kind in kinds and st.modality in _MODALITIES and st.date_precision in _PRECISIONS
            and (st.date is None or isinstance(st.date, date)) and st.quad_class in (None, 1, 2, 3, 4)
            and len(st.id) + len(st.source.id) + len(st.target.id) + len(st.source.name or "") + len(st.target.name or "")
            <= MAX_ID_CHARS and (st.latitude is None and st.longitude is None and st.place_precision is None
                                 or st.place_problem() is None)):
        return None  # the common case in one test; the details below only for a bad record
    if long := length_problem(st):
        return long
    if not st.id:
        return "statement without id"
    if st.type not in typology.types():
        return f"type {st.type!r} is not in the typology"
    for end, ref in (("source", st.source), ("target", st.target)):
        if not ref.id:
            return f"{end} actor without id"
        if ref.kind not in kinds:
            return f"{end} actor {ref.id!r} has unknown kind {ref.kind!r}"
    if st.modality not in MODALITIES:
        return f"modality {st.modality!r} is not one of {', '.join(MODALITIES)}"
    if st.date_precision not in DATE_PRECISIONS:
        return f"date_precision {st.date_precision!r} is not one of {', '.join(DATE_PRECISIONS)}"
    if st.date is not None and not isinstance(st.date, date):
        return f"date {st.date!r} is not a date"
    if st.quad_class is not None and st.quad_class not in (1, 2, 3, 4):
        return f"quad_class {st.quad_class!r} is not 1-4"
    return st.place_problem()


def _too_long(what: str, value) -> str | None:
    if isinstance(value, str) and len(value) > MAX_ID_CHARS:
        return f"{what}: {len(value):,} characters (the limit is {MAX_ID_CHARS:,})"
    return None


def length_problem(st: Statement) -> str | None:
    """An id or name over MAX_ID_CHARS: refused per record (Neo4j would refuse the whole batch)."""
    return (_too_long("id", st.id) or _too_long("source.id", st.source.id) or _too_long("target.id", st.target.id)
            or _too_long("source.name", st.source.name) or _too_long("target.name", st.target.name)
            or _too_long("article_id", st.article_id))


def actor_problem(a: Actor) -> str | None:
    if not a.id:
        return "actor without id"
    if a.kind not in typology.KIND_LABELS:
        return f"actor {a.id[:60]!r} has unknown kind {a.kind!r}"
    return _too_long("id", a.id) or _too_long("name", a.name)


# Statement and mention rows are plain sequences in these column orders (a load makes one per
# statement: a tuple costs a quarter of a 24-key dict). The SQLite store binds them as they are;
# the Neo4j store zips them into property maps. A statement's date is ISO text here.
# The columns are the Statement dataclass's fields (defined once, there), the two actors by id and
# without the evidence list (stored as mention rows).
STATEMENT_COLUMNS = tuple(f.name for f in fields(Statement) if f.name != "evidence")
ST_MENTIONS = STATEMENT_COLUMNS.index("mentions")
ST_DATASET = STATEMENT_COLUMNS.index("dataset")
ST_MENTION_IDS = len(STATEMENT_COLUMNS)  # after the columns: the sorted mention ids ...
ST_ARTICLE_IDS = ST_MENTION_IDS + 1  # ... and article ids of the statement's evidence


_VALUES = attrgetter(*STATEMENT_COLUMNS)
_I_SOURCE, _I_TARGET, _I_DATE, _I_DATE_END, _I_EXTRA, _I_CONFIDENCE, _I_MENTIONS = (
    STATEMENT_COLUMNS.index(c) for c in ("source", "target", "date", "date_end", "extra", "confidence", "mentions"))


def statement_values(st: Statement) -> list:
    """A statement as its STATEMENT_COLUMNS values (actors by id, dates as ISO text, extra as JSON).
    (The hot loop of every load: one attrgetter call, then the few columns that need converting.)"""
    out = list(_VALUES(st))
    out[_I_SOURCE] = out[_I_SOURCE].id
    out[_I_TARGET] = out[_I_TARGET].id
    if (when := out[_I_DATE]) is not None:
        out[_I_DATE] = when.isoformat()
    if (end := out[_I_DATE_END]) is not None:
        out[_I_DATE_END] = end.isoformat()
    extra = out[_I_EXTRA]
    out[_I_EXTRA] = json.dumps(extra, sort_keys=True, default=str) if extra else None
    out[_I_CONFIDENCE] = float(out[_I_CONFIDENCE])
    out[_I_MENTIONS] = int(out[_I_MENTIONS])
    return out


# -- one event told by several reports: how two rows of one statement id combine ---------------------
# The result depends only on the set of rows, never on the order they arrive in, so loading articles
# in any order gives the same statement: the "lead" row (strongest modality, then finest date, then
# article id and offset) gives the telling's fields; confidence and casualty counts are the largest
# told; the place is the surest placed (a sentence's before a fallback's, PLACE_SOURCES order), then the
# most precise told (a town before its governorate before its country), then the first in alphabetical
# order, and its resolved fields (PLACE_FIELDS, coordinates, how it was placed) go with it.
_LEAD_FIELDS = ("cameo", "quad_class", "goldstein", "date", "date_precision", "date_end", "modality",
                "attribution", "article_id", "sentence", "char_start", "char_end", "rule", "extra", "record_id",
                "source_text", "source_start", "source_end", "target_text", "target_start", "target_end")
_LEAD_IX = tuple(STATEMENT_COLUMNS.index(c) for c in _LEAD_FIELDS)
_IX = {c: i for i, c in enumerate(STATEMENT_COLUMNS)}
_STRENGTH = {m: i for i, m in enumerate(MODALITY_STRENGTH)}
_PRECISION = {p: i for i, p in enumerate(DATE_PRECISIONS)}
_PLACE_IX = tuple(STATEMENT_COLUMNS.index(c) for c in ("location", *PLACE_FIELDS))
_PLACE_RANK = {p: i for i, p in enumerate(PLACE_PRECISIONS)}
_SOURCE_RANK = {None: 0, **{p: i for i, p in enumerate(PLACE_SOURCES)}}  # None: told in a statement file


def _place_key(row) -> tuple:
    """Which of two rows' places a merged statement keeps (smaller first); a row without one last."""
    told = row[_IX["location"]] or row[_IX["place_name"]]
    return (told is None, _SOURCE_RANK.get(row[_IX["place_source"]], len(_SOURCE_RANK)),
            _PLACE_RANK.get(row[_IX["place_precision"]], len(_PLACE_RANK)), told or "",
            row[_IX["latitude"]] is None, tuple(repr(row[i]) for i in _PLACE_IX))


def lead_key(row) -> tuple:
    """Which of two rows of one statement tells it best (smaller first)."""
    return (_STRENGTH.get(row[_IX["modality"]], 9), _PRECISION.get(row[_IX["date_precision"]], 9),
            row[_IX["article_id"]] or "", -1 if row[_IX["char_start"]] is None else row[_IX["char_start"]],
            row[_IX["rule"]] or "")


def _count(row, name: str) -> tuple:
    """(count, exact first) for comparing two casualty counts: more is more; an exact count beats a
    lower bound of the same number."""
    n = row[_IX[name]]
    return (-1 if n is None else n, not row[_IX[name + "_at_least"]])


def merge_rows(stored, incoming) -> list:
    """The values of a statement told by both rows (STATEMENT_COLUMNS order; extra columns of `stored`,
    such as a prepared row's mention and article ids, are kept)."""
    out = list(stored)
    if lead_key(incoming) < lead_key(stored):
        for i in _LEAD_IX:
            out[i] = incoming[i]
    out[_IX["confidence"]] = max(stored[_IX["confidence"]], incoming[_IX["confidence"]])
    place = min((stored, incoming), key=_place_key)
    for i in _PLACE_IX:
        out[i] = place[i]
    for name in ("killed", "injured"):
        best = max((stored, incoming), key=lambda r: _count(r, name))
        out[_IX[name]], out[_IX[name + "_at_least"]] = best[_IX[name]], best[_IX[name + "_at_least"]]
    return out


MENTION_COLUMNS = ("statement_id", "id", *TELLING_FIELDS, "source", "target")


@dataclass(slots=True)
class PreparedBatch:
    articles: list[dict] = field(default_factory=list)
    actors: list[dict] = field(default_factory=list)
    affiliations: list[dict] = field(default_factory=list)
    roles: list[dict] = field(default_factory=list)
    # One list per distinct statement id (mentions merged): STATEMENT_COLUMNS values, then
    # mention_ids and article_ids (lists).
    statements: list[list] = field(default_factory=list)
    mentions: list[tuple] = field(default_factory=list)  # MENTION_COLUMNS values, one per distinct id
    duplicates_in_batch: int = 0  # statements folded into an earlier one of the same batch


def evidence_of(st: Statement) -> tuple[Mention, ...]:
    """The statement's evidence; a statement with an article but no evidence list is its own mention."""
    if st.evidence:
        return st.evidence
    if st.article_id:
        return (Mention(st.article_id, st.sentence or "", st.char_start if st.char_start is not None else -1,
                        st.char_end if st.char_end is not None else -1, st.rule or "", st.confidence,
                        *(getattr(st, name) for name in TELLING_FIELDS[6:])),)
    return ()


def actor_row(a: Actor, from_ref: bool = False) -> dict:
    """from_ref: known only from a statement's ActorRef, so it is stored when missing, never updates."""
    return {"id": a.id, "name": a.name, "kind": a.kind, "country": a.country, "sector": a.sector,
            "aliases": list(a.aliases), "provisional": bool(a.provisional), "from_ref": from_ref}


def prepare(batch: LoadBatch) -> PreparedBatch:
    """Validate the whole batch (BatchError on the first bad record) and flatten it to rows."""
    out = PreparedBatch()
    for i, a in enumerate(batch.actors):
        if problem := actor_problem(a):
            raise BatchError(f"actor #{i + 1}: {problem}")
    for i, st in enumerate(batch.statements):
        if problem := statement_problem(st):
            raise BatchError(f"statement #{i + 1} ({st.id}): {problem}")
    for i, af in enumerate(batch.affiliations):
        if af.type not in AFFILIATION_TYPES:
            raise BatchError(f"affiliation #{i + 1}: type {af.type!r} is not one of {', '.join(AFFILIATION_TYPES)}")
    for i, art in enumerate(batch.articles):
        if not art.id:
            raise BatchError(f"article #{i + 1}: article without id")

    seen_articles: dict[str, dict] = {}
    for art in batch.articles:
        seen_articles.setdefault(art.id, {
            "id": art.id, "title": art.title, "outlet": art.outlet, "url": art.url, "published": art.published,
            "date_source": art.date_source, "source": art.source, "language": art.language,
            "dateline_place": art.dateline_place})
    out.articles = list(seen_articles.values())

    # Registry actors first; actors only known from a statement's ActorRef fill the gaps.
    actors: dict[str, dict] = {}
    for a in batch.actors:
        if a.id not in actors or actors[a.id]["provisional"]:
            actors[a.id] = actor_row(a)
    for st in batch.statements:
        src, tgt = st.source, st.target
        if src.id not in actors:
            actors[src.id] = actor_row(Actor(src.id, src.name, src.kind, src.country), from_ref=True)
        if tgt.id not in actors:
            actors[tgt.id] = actor_row(Actor(tgt.id, tgt.name, tgt.kind, tgt.country), from_ref=True)
    out.actors = list(actors.values())

    out.affiliations = list({(af.source, af.target, af.type): {
        "source": af.source, "target": af.target, "type": af.type, "start": af.start, "end": af.end}
        for af in batch.affiliations}.values())
    out.roles = list({(r.actor, r.role, r.organisation): {
        "actor": r.actor, "role": r.role, "organisation": r.organisation, "start": r.start, "end": r.end}
        for r in batch.roles}.values())

    statements: dict[str, list] = {}
    mentions: dict[str, tuple] = {}
    # The hot loop of every load (one pass per statement): locals instead of attribute lookups,
    # and the single-evidence case (nearly every statement) without list scans.
    get_statement, new_id = statements.get, mention_id
    for st in batch.statements:
        sid, src, tgt = st.id, st.source.id, st.target.id
        row = get_statement(sid)
        if row is None:
            mention_ids: list[str] = []  # nearly always one element
            article_ids: list[str | None] = []
            row = statements[sid] = statement_values(st)
            row += (mention_ids, article_ids)
        else:
            out.duplicates_in_batch += 1
            row = statements[sid] = merge_rows(row, statement_values(st))
            mention_ids, article_ids = row[ST_MENTION_IDS], row[ST_ARTICLE_IDS]
        for m in evidence_of(st):
            article, start, end = m.article_id, m.char_start, m.char_end
            mid = new_id(sid, article, start, end)
            if not mention_ids:
                mention_ids.append(mid)
                article_ids.append(article)
            else:
                if mid not in mention_ids:
                    mention_ids.append(mid)
                if article not in article_ids:
                    article_ids.append(article)
            if mid not in mentions:
                mentions[mid] = (sid, mid, article, m.sentence, start, end, m.rule, float(m.confidence),
                                 *(getattr(m, name) for name in TELLING_FIELDS[6:]), src, tgt)
    for row in statements.values():
        mention_ids = row[ST_MENTION_IDS]
        if mention_ids:
            # graphkit's own count is its evidence rows; an imported dataset's count (GDELT
            # NumMentions) counts articles we never see, so it is kept unless evidence exceeds it.
            n = len(mention_ids)
            row[ST_MENTIONS] = n if row[ST_DATASET] == GRAPHKIT_DATASET else max(row[ST_MENTIONS], n)
            if n > 1:
                mention_ids.sort()
                row[ST_ARTICLE_IDS].sort()
    out.statements = list(statements.values())
    out.mentions = list(mentions.values())
    return out

