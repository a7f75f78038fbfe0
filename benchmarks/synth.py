"""Deterministic synthetic statements for the store benchmark and the interrupted-load test."""

from __future__ import annotations

import random
from datetime import date, timedelta

from graphkit import typology
from graphkit.ids import statement_id
from graphkit.model import Actor, ActorRef, Article, Mention, Statement

KINDS = ("state", "government", "military", "militia", "party", "person", "igo")


def actors(n: int = 500) -> list[Actor]:
    return [Actor(f"A{i:04d}", f"Actor {i}", KINDS[i % len(KINDS)], f"C{i % 40:02d}") for i in range(n)]


def statements(n: int, n_actors: int = 500, per_article: int = 20, seed: int = 7) -> tuple[list[Article], list[Statement]]:
    """n statements over n_actors actors, one mention each, per_article statements per article."""
    articles, out = [], []
    for article, statement in iter_statements(n, n_actors, per_article, seed):
        if article is not None:
            articles.append(article)
        out.append(statement)
    return articles, out


def iter_statements(n: int, n_actors: int = 500, per_article: int = 20, seed: int = 7):
    """The statements of :func:`statements` one at a time, as (new article or None, statement):
    a million of them can be written to a file without holding them all."""
    rnd = random.Random(seed)
    people = actors(n_actors)
    types = list(typology.types().values())
    start = date(2020, 1, 1)
    for i in range(n):
        art = f"art{i // per_article:06d}"
        article = None
        if i % per_article == 0:
            article = Article(art, "", title=f"Article {art}", outlet="Synthetic Wire",
                              published=start + timedelta(days=(i // per_article) % 1800))
        s, t = rnd.sample(people, 2)
        et = types[rnd.randrange(len(types))]
        when = start + timedelta(days=rnd.randrange(1800))
        sid = statement_id(s.id, t.id, et.name, when, "asserted", scope=f"{art}:{i}")
        sentence = f"{s.name} {et.name.lower()} {t.name} (synthetic sentence {i})."
        m = Mention(art, sentence, (i % per_article) * 100, (i % per_article) * 100 + len(sentence), "synthetic", 0.8)
        yield article, Statement(id=sid, source=ActorRef.of(s), target=ActorRef.of(t), type=et.name, cameo=et.cameo,
                                 quad_class=et.quad_class, goldstein=et.goldstein, date=when, date_precision="day",
                                 article_id=art, sentence=sentence, char_start=m.char_start, char_end=m.char_end,
                                 rule="synthetic", confidence=0.8, evidence=(m,))
