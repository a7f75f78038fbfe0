"""The typed records that flow between pipeline stages.

ingest -> Article; registry -> Actor/Affiliation/Role; extract -> Statement;
store <- LoadBatch; analysis and viz read Statements back.  Every stage speaks
only these dataclasses, so a stage can be swapped or tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

# Where a publication date was found (Article.date_source).
DATE_SOURCES = ("override", "metadata", "dateline", "outlet-line", "header", "none")

# Statement.modality values.
MODALITIES = ("asserted", "negated", "future", "planned", "hypothetical", "claimed")

# Statement.date_precision values, finest first.  "range": the event lies somewhere between `date` and
# `date_end` ("since Oct. 17", "in recent months", "a series of attacks before the strike"; `date` is
# null when only the end is known); "reported": no date in the text, `date` is the publication's.
DATE_PRECISIONS = ("day", "week", "month", "year", "range", "reported")

# Which modalities tell of the same happening, so that mentions of one event merge across them, and
# the strongest wins (first here first): an asserted telling beats a claim of it.  Negated and
# hypothetical mentions never merge with ones that say the event happened.
MODALITY_GROUPS = {"asserted": "factual", "planned": "factual", "future": "factual", "claimed": "factual",
                   "negated": "negated", "hypothetical": "hypothetical"}
MODALITY_STRENGTH = ("asserted", "planned", "future", "claimed", "hypothetical", "negated")



def in_window(day: date | None, since: date | None, until: date | None) -> bool:
    """The date-window rule, the same for lists and every store: [since, until] is inclusive, and once
    either bound is set an undated statement is outside it (nothing says it happened in the window);
    with no bound everything is inside.  The stores' queries say the same in SQL and Cypher
    (`date >= since` is false for a null date), which tests/test_date_window.py checks."""
    if since is None and until is None:
        return True
    if day is None:
        return False
    return (since is None or day >= since) and (until is None or day <= until)


# Actor.kind values (the registry refuses others; typology.KIND_LABELS names each as a Neo4j label).
ACTOR_KINDS = ("state", "government", "military", "police", "militia", "party", "igo", "ngo", "media",
               "person", "group", "other")

# Affiliation.type values (a registry entry's `part_of = [...]` field is the lower-case name).
AFFILIATION_TYPES = ("PART_OF", "MEMBER_OF", "ALLIED_WITH")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One block of an article: its text and where it sits in Article.text."""

    text: str
    start: int
    end: int
    kind: str = "body"  # "title" | "header" | "body"


@dataclass(frozen=True, slots=True)
class Article:
    id: str  # stable id from normalised content (see graphkit.ingest.ids)
    text: str  # body text: paragraphs joined by "\n\n"
    paragraphs: tuple[Paragraph, ...] = ()
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    date_source: str = "none"  # one of DATE_SOURCES
    source: str | None = None  # file path (and line) the article was read from
    language: str = "en"
    record_id: str | None = None  # the input record's own id (an `id` column, or --column id=NAME)
    dateline_place: str | None = None  # the place a wire dateline names, as written ("DUBAI", "KYIV, Ukraine")


# Statement.place_precision values, finest first: how closely the coordinates locate the place.
PLACE_PRECISIONS = ("town", "admin1", "country")
# Statement.place_source values: how the statement came to its place, surest first (docs/statements.md).
#   sentence     the statement's own sentence names the place
#   coreference  another telling of the same event in the article names it
#   dataset      an imported dataset's own geocode (GDELT ActionGeo, ACLED)
#   dateline     the article's wire dateline (only when the dateline is in the country the act lands in)
#   article      the one place the paragraph (else the article) names inside that country
#   country      that country itself, at country precision
# None: told without saying (a statement file without the field). The last four are fallbacks that
# `graphkit map` and `graphkit export` can leave out (--no-fallback-places).
PLACE_SOURCES = ("sentence", "coreference", "dataset", "dateline", "article", "country")
FALLBACK_PLACE_SOURCES = frozenset(("coreference", "dateline", "article", "country"))


@dataclass(frozen=True, slots=True)
class Place:
    """A place mention resolved with the gazetteer (graphkit.registry.gazetteer)."""

    name: str  # as the gazetteer names it ("Kirkuk"; a site as written)
    feature: str  # GeoNames-style feature: PPL (populated place), ADM1, PCLI (country), SITE (a named site)
    precision: str  # one of PLACE_PRECISIONS: what the coordinates locate
    country: str | None = None  # ISO 3166 alpha-3
    admin1: str | None = None  # first-level subdivision (governorate, province, state)
    admin2: str | None = None  # second-level subdivision (district), when the source has it
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None
    source: str | None = None  # how a statement came to this place: one of PLACE_SOURCES


# The Statement fields that carry a Place, and the Place field each one holds (in this order).
PLACE_FIELDS = {"place_name": "name", "place_feature": "feature", "place_precision": "precision",
                "place_country": "country", "place_admin1": "admin1", "place_admin2": "admin2",
                "latitude": "latitude", "longitude": "longitude", "geonames_id": "geonames_id",
                "place_source": "source"}


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor of the registry (or a provisional one found by NER)."""

    id: str  # e.g. "USA", "USAMIL", "IRQ.PMF", "PER.IRQ.MOHAMMED_SHIA_AL_SUDANI"
    name: str
    kind: str  # one of ACTOR_KINDS
    country: str | None = None  # ISO 3166 alpha-3
    sector: str | None = None  # CAMEO-style sector/agent code, e.g. "GOV", "MIL", "REB"
    aliases: tuple[str, ...] = ()
    provisional: bool = False  # found by NER, not in the registry
    dataset: str | None = None  # created by an importer (gdelt, acled): where the actor came from


@dataclass(frozen=True, slots=True)
class Affiliation:
    """A standing tie between two actors: PART_OF, MEMBER_OF or ALLIED_WITH."""

    source: str
    target: str
    type: str  # one of AFFILIATION_TYPES
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True, slots=True)
class Role:
    """An office held by a person over a date range (HOLDS edge)."""

    actor: str  # the person
    role: str  # e.g. "Prime Minister of Iraq"
    organisation: str  # the actor the office belongs to, e.g. "IRQGOV"
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True, slots=True)
class ActorRef:
    """The part of an Actor that a Statement carries with it."""

    id: str
    name: str
    kind: str
    country: str | None = None

    @classmethod
    def of(cls, actor: Actor) -> ActorRef:
        return cls(actor.id, actor.name, actor.kind, actor.country)


@dataclass(frozen=True, slots=True)
class Mention:
    """One place a statement was told: provenance back to the sentence."""

    article_id: str
    sentence: str
    char_start: int
    char_end: int
    rule: str
    confidence: float
    attribution: str | None = None  # who said it in this telling ("CENTCOM"); None: the narrator
    record_id: str | None = None  # the input record's own id (Article.record_id), to join back to it
    # The parties as the sentence names them: surface text and character offsets in the article text
    # (offsets None for a title, or when the party came from an earlier sentence).
    source_text: str | None = None
    source_start: int | None = None
    source_end: int | None = None
    target_text: str | None = None
    target_start: int | None = None
    target_end: int | None = None


# The provenance of one telling, shared by Mention and Statement (a statement's own telling is kept
# in its own row): the names of these fields, in this order (Mention's field order).
TELLING_FIELDS = ("article_id", "sentence", "char_start", "char_end", "rule", "confidence", "attribution",
                  "record_id", "source_text", "source_start", "source_end", "target_text", "target_start",
                  "target_end")
PARTY_SPAN_FIELDS = TELLING_FIELDS[8:]


@dataclass(frozen=True, slots=True)
class Statement:
    """One typed, dated edge: source did `type` to target.

    `id` is deterministic (graphkit.ids.statement_id), so re-extracting or
    re-loading the same article never duplicates an edge.
    """

    id: str
    source: ActorRef
    target: ActorRef
    type: str  # PLOVER type or relation-state type (graphkit.typology)
    cameo: str | None
    quad_class: int | None  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    goldstein: float | None
    date: date | None
    date_precision: str  # one of DATE_PRECISIONS
    modality: str = "asserted"  # one of MODALITIES
    attribution: str | None = None  # who said so ("CENTCOM"), provenance not a party
    location: str | None = None
    article_id: str | None = None
    sentence: str | None = None
    char_start: int | None = None
    char_end: int | None = None
    rule: str | None = None
    confidence: float = 1.0
    record_id: str | None = None  # see Mention: the statement's own telling
    source_text: str | None = None
    source_start: int | None = None
    source_end: int | None = None
    target_text: str | None = None
    target_start: int | None = None
    target_end: int | None = None
    mentions: int = 1
    dataset: str = "graphkit"  # provenance of the record: graphkit | gdelt | acled | ...
    evidence: tuple[Mention, ...] = ()
    extra: dict = field(default_factory=dict, compare=False)  # dataset-specific fields (NumMentions, AvgTone, fatalities)
    date_end: date | None = None  # last day of a "range" (or week/month/year) date; None: the period of `date`
    killed: int | None = None  # people killed in the event (ASSAULT/COERCE); None: not told
    killed_at_least: bool = False  # `killed` is a lower bound ("at least 18", "dozens")
    injured: int | None = None
    injured_at_least: bool = False
    # Where: `location` resolved with the gazetteer (see Place; PLACE_FIELDS), or an importer's geocode.
    place_name: str | None = None
    place_feature: str | None = None
    place_precision: str | None = None  # one of PLACE_PRECISIONS
    place_country: str | None = None
    place_admin1: str | None = None
    place_admin2: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None
    place_source: str | None = None  # one of PLACE_SOURCES: the sentence, or which fallback placed it

    def place_problem(self) -> str | None:
        """Why the place fields cannot be stored (coordinates out of range or half given), or None."""
        lat, lon = self.latitude, self.longitude
        if (lat is None) != (lon is None):
            return "latitude and longitude must be given together"
        if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return f"coordinates ({lat}, {lon}) are out of range (latitude -90..90, longitude -180..180)"
        if self.place_precision is not None and self.place_precision not in PLACE_PRECISIONS:
            return f"place_precision {self.place_precision!r} is not one of {', '.join(PLACE_PRECISIONS)}"
        if self.place_source is not None and self.place_source not in PLACE_SOURCES:
            return f"place_source {self.place_source!r} is not one of {', '.join(PLACE_SOURCES)}"
        return None

    def place_values(self) -> dict:
        """This statement's place fields (PLACE_FIELDS), by Statement field name."""
        return {name: getattr(self, name) for name in PLACE_FIELDS}


def place_fields(place: Place | None) -> dict:
    """The Statement fields for a Place (all None for no place): for dataclasses.replace(st, **...)."""
    return {name: (getattr(place, attr) if place is not None else None) for name, attr in PLACE_FIELDS.items()}


def without_fallback_place(st: Statement) -> Statement:
    """The statement without a place a fallback gave it (FALLBACK_PLACE_SOURCES): what `--no-fallback-places`
    shows. The place as told (`location`) stays."""
    return replace(st, **place_fields(None)) if st.place_source in FALLBACK_PLACE_SOURCES else st


@dataclass(slots=True)
class LoadBatch:
    """Everything one load writes, in one transaction per batch."""

    articles: list[Article] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    affiliations: list[Affiliation] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)


@dataclass(slots=True)
class LoadCounts:
    added: dict[str, int] = field(default_factory=dict)  # kind -> new records
    present: dict[str, int] = field(default_factory=dict)  # kind -> already stored
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, reason)

    def merge(self, other: LoadCounts) -> LoadCounts:
        for k, v in other.added.items():
            self.added[k] = self.added.get(k, 0) + v
        for k, v in other.present.items():
            self.present[k] = self.present.get(k, 0) + v
        self.skipped.extend(other.skipped)
        return self
