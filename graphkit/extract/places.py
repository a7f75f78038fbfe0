"""The last step of an article: each statement's place mention (`location`) resolved with the
gazetteer to coordinates, a GeoNames id and the precision reached.

    (list[Statement], Article) -> list[Statement]

Homonyms are told apart by context, nearest first: the countries of the statement's two actors,
then the country of the article's dateline place, then the countries the article's statements
name most often (graphkit.registry.gazetteer.resolve)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ..model import Article, Statement, place_fields
from ..registry.gazetteer import resolve


def locate(statements: list[Statement], article: Article) -> list[Statement]:
    if not any(st.location for st in statements):
        return statements
    counts = Counter(c for st in statements for c in (st.source.country, st.target.country) if c)
    dateline = resolve(article.dateline_place) if article.dateline_place else None
    article_countries = ((dateline.country,) if dateline and dateline.country else ()) + tuple(
        c for c, _ in counts.most_common())
    out = []
    for st in statements:
        place = resolve(st.location, (st.source.country, st.target.country) + article_countries) if st.location else None
        out.append(replace(st, **place_fields(place)) if place is not None else st)
    return out
