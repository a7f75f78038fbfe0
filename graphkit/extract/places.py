"""The last step of an article: each statement's place resolved with the gazetteer to coordinates, a
GeoNames id, the precision reached and how it was placed (Statement.place_source).

    (list[Statement], Article) -> list[Statement]

A statement whose own sentence names a place is placed there ("sentence"; "coreference" when the
place comes from another telling of the same event in the article). Homonyms are told apart by
context, nearest first: the countries of the statement's two actors, then the country of the
article's dateline place, then the countries the article's statements name most often
(graphkit.registry.gazetteer.resolve).

An event whose tellings name no place is placed as ACLED and GDELT coders do, by the first of these
fallbacks that applies (each marked, so an analyst can filter them out; rules in docs/statements.md):

  coreference  the place of another telling of the same event in the article: a statement of the
               same type, with compatible dates, told in the same sentence, or by the same pair of
               actors, or on the same day with a party of the same country on the same side;
  dateline     the article's dateline place, when it lies in the country the act lands in (the
               target's country for a material act, the speaker's for a verbal one) and that country
               is one of the story's scene countries (a dateline is where the reporter is: ANKARA
               over strikes in northern Iraq is not their place);
  article      the one sub-national place (town, governorate, named site) the statement's paragraph,
               else the headline, names inside that country (none when it names several; a name
               the article's statements take as an actor, "Washington and Baghdad agreed", is none);
  country      that country at country precision when the story's scene includes it (or the
               story places nothing), else the story's main country (the headline's place, else where most of its placed
               statements are, else the dateline's country), else that country anyway.

A place the sentence names but the gazetteer does not know (a village, a sea) is never replaced by
a dateline or another town: only coreference or the country fallback apply to it. Relations
(ALLIED_WITH, ...) are standing ties, not events: they get no fallback place.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from .. import typology, wordlists
from ..model import Article, Place, Statement, place_fields
from ..registry.gazetteer import country_place, resolve

# A place and how the statement came to it (one of PLACE_SOURCES): kept apart until the statement is
# built (a Place copy per statement only to set its source costs more than the rest of the step).
_Placed = tuple[Place, str]
_MATERIAL = frozenset((2, 4))  # QuadClass of material acts: placed where their target is
# A run of capitalised words (with "al-", "ez-" particles and hyphens inside): a candidate place name.
_NAME = re.compile(r"\b(?:[a-z]{1,2}-)?[A-Z][\w'’-]*(?:\s+(?:(?:al|el|ez|ad|as|an)-)?[A-Z][\w'’-]*)*")


def locate(statements: list[Statement], article: Article) -> list[Statement]:
    """Every statement of the article with its place (or the reason it has none: see the module doc)."""
    if not statements:
        return statements
    counts = Counter(c for st in statements for c in (st.source.country, st.target.country) if c)
    dateline = resolve(article.dateline_place) if article.dateline_place else None
    article_countries = ((dateline.country,) if dateline and dateline.country else ()) + tuple(
        c for c, _ in counts.most_common())
    placed: list[_Placed | None] = []
    for st in statements:
        place = resolve(st.location, (st.source.country, st.target.country) + article_countries) if st.location else None
        if place is not None:
            told_here = st.location.lower() in (st.sentence or "").lower()
            placed.append((place, "sentence" if told_here else "coreference"))
        else:
            placed.append(None)
    if None in placed:
        _fall_back(statements, placed, article, dateline)
    return [replace(st, **{**place_fields(p[0]), "place_source": p[1]}) if p is not None else st
            for st, p in zip(statements, placed, strict=True)]


# -- fallbacks -----------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Story:
    """What the article says about where its events are, read once per article that needs a fallback."""

    article: Article
    dateline: Place | None
    # material? -> the countries the article's sentences place such acts in, and the headline's places
    scene: dict[bool, frozenset[str]]
    headline: tuple[Place, ...]  # the places the headline names after a scene preposition
    main: str | None  # the story's main country
    parties: frozenset[str]  # names the article's statements take as actors ("Washington and Baghdad agreed")


def _story(statements: list[Statement], placed: list[_Placed | None], article: Article,
           dateline: Place | None) -> _Story:
    told = [(st, p[0]) for st, p in zip(statements, placed, strict=True)
            if p is not None and p[1] == "sentence" and p[0].country]
    headline = _headline_places(article.title or "")
    scene = {}
    for material in (True, False):
        countries = {p.country for st, p in told if (st.quad_class in _MATERIAL) == material}
        scene[material] = frozenset(countries | {p.country for p in headline if p.country})
    most = Counter(p.country for _, p in told).most_common(1)
    main = (headline[0].country if headline else None) or (most[0][0] if most else None) or (
        dateline.country if dateline else None)
    parties = frozenset(t.lower() for st in statements for t in (st.source_text, st.target_text) if t)
    return _Story(article, dateline, scene, headline, main, parties)


def _fall_back(statements: list[Statement], placed: list[_Placed | None], article: Article,
               dateline: Place | None) -> None:
    """Fill `placed` (in place) for the event statements that have no place yet."""
    story = None
    told = [(n, st) for n, st in enumerate(statements) if placed[n] is not None and placed[n][1] == "sentence"]
    for n, st in enumerate(statements):
        if placed[n] is not None or typology.get(st.type).kind == "relation":
            continue
        if (found := _coreferent(st, told, placed)) is not None:
            placed[n] = (found, "coreference")
            continue
        story = story or _story(statements, placed, article, dateline)
        placed[n] = _fallback(st, story)


def _dates_agree(a: Statement, b: Statement) -> bool:
    if a.date_precision == "reported" or b.date_precision == "reported" or a.date is None or b.date is None:
        return True
    return a.date == b.date


def _coreferent(st: Statement, told: list[tuple[int, Statement]], placed: list[_Placed | None]) -> Place | None:
    """The place of another telling of st's event (see the module doc), nearest telling first."""
    best = None
    for n, other in told:
        if other.type != st.type or other.id == st.id or not _dates_agree(st, other):
            continue
        same_sentence = other.sentence == st.sentence and other.article_id == st.article_id
        same_pair = (other.source.id, other.target.id) == (st.source.id, st.target.id)
        same_day = (st.date_precision == other.date_precision == "day" and st.date == other.date and (
            (st.source.country and st.source.country == other.source.country)
            or (st.target.country and st.target.country == other.target.country)))
        if not (same_sentence or same_pair or same_day):
            continue
        rank = (0 if same_sentence else 1 if same_pair else 2, abs((other.char_start or 0) - (st.char_start or 0)))
        if best is None or rank < best[0]:
            best = (rank, placed[n][0])
    return best[1] if best else None


def _act_country(st: Statement) -> str | None:
    """The country an act lands in: a material act's target's, a verbal act's speaker's."""
    return st.target.country if st.quad_class in _MATERIAL or st.quad_class is None else st.source.country


def _fallback(st: Statement, story: _Story) -> _Placed | None:
    country = _act_country(st)
    # the scene of acts of its kind, else of the other kind ("the story places nothing" when both are empty)
    scene = story.scene[st.quad_class in _MATERIAL] or story.scene[st.quad_class not in _MATERIAL]
    named_unknown = bool(st.location)  # the sentence names a place the gazetteer does not know
    if not named_unknown and country:
        dl = story.dateline
        if dl is not None and dl.country == country and dl.latitude is not None and (not scene or country in scene):
            return dl, "dateline"
        if (inside := _one_place_inside(st, story, country)) is not None:
            return inside, "article"
    if country and (country in scene or not scene):
        chosen = country
    else:
        chosen = story.main or country
    place = country_place(chosen)
    if place is None or place.latitude is None:
        return None
    return place, "country"


def _paragraph_of(article: Article, st: Statement) -> str:
    if st.char_start is not None and st.char_start >= 0:
        for p in article.paragraphs:
            if p.start <= st.char_start < p.end:
                return p.text
    return st.sentence or ""


def _one_place_inside(st: Statement, story: _Story, country: str) -> Place | None:
    """The one sub-national place the statement's paragraph (else the headline) names in `country`."""
    for text in (_paragraph_of(story.article, st), story.article.title or ""):
        found = _places_in(text, country, story.parties)
        if len(found) == 1:
            return found[0]
        if found:
            return None  # several: which one is the event's is not told
    return None


def _places_in(text: str, country: str, parties: frozenset[str] = frozenset()) -> list[Place]:
    """The distinct sub-national places `text` names inside `country` (a governorate left out when a
    town in it is named too; a name the article takes as an actor is no place)."""
    out: dict[tuple, Place] = {}
    for m in _NAME.finditer(text):
        if m.group(0).lower() in parties:
            continue
        place = _longest_place(m.group(0), (country,))
        if place is None or place.country != country or (place.precision == "country" and place.feature != "SITE"):
            continue
        out.setdefault((place.name, place.latitude, place.longitude), place)
    found = list(out.values())
    towns_admin1 = {p.admin1 for p in found if p.precision == "town" and p.admin1}
    return [p for p in found if not (p.precision == "admin1" and p.admin1 in towns_admin1)]


def _longest_place(words: str, context: tuple[str, ...]) -> Place | None:
    """The place the longest leading part of a capitalised run names ("Jordan Outpost" -> Jordan)."""
    parts = words.split()
    for k in range(len(parts), 0, -1):
        if (place := resolve(" ".join(parts[:k]), context)) is not None:
            return place
    return None


def _headline_places(title: str) -> tuple[Place, ...]:
    """The places a headline names after a scene preposition ("... Commander in South Lebanon")."""
    preps = wordlists.get("scene_preps")
    out = []
    for m in _NAME.finditer(title):
        before = title[:m.start()].rstrip().rsplit(" ", 1)[-1].lower()
        if before in preps and (place := _longest_place(m.group(0), ())) is not None:
            out.append(place)
    return tuple(out)

