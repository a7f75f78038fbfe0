"""Small known graphs and canonical dumps shared by the store tests."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date

from graphkit.model import (
    Actor,
    ActorRef,
    Affiliation,
    Article,
    LoadBatch,
    Mention,
    Place,
    Role,
    Statement,
    place_fields,
)

USA = Actor("USA", "United States", "state", "USA", "GOV", ("US", "America"))
PMF = Actor("IRQ.PMF", "Popular Mobilization Forces", "militia", "IRQ", "REB", ("PMF", "Hashd"))
IRN = Actor("IRN", "Iran", "state", "IRN")
IRQGOV = Actor("IRQGOV", "Government of Iraq", "government", "IRQ", "GOV")
SUDANI = Actor("PER.IRQ.SUDANI", "Mohammed Shia al-Sudani", "person", "IRQ")
ACTORS = (USA, PMF, IRN, IRQGOV, SUDANI)

ART1 = Article("art1", "US strikes PMF", title="US strikes PMF", outlet="Reuters", url="https://example.org/1",
               published=date(2024, 1, 21), date_source="metadata", dateline_place="BAGHDAD")
ART2 = Article("art2", "Iran backs PMF", title="Iran backs PMF", outlet="AP", published=date(2024, 2, 16))


def ref(a: Actor) -> ActorRef:
    return ActorRef.of(a)


def st(id_, src, type_, tgt, when, quad, gold, *, modality="asserted", article=None, span=(0, 10), **kw) -> Statement:
    evidence = ()
    if article:
        evidence = (Mention(article, f"sentence of {id_}", span[0], span[1], "rule.x", 0.9),)
    return Statement(id=id_, source=ref(src), target=ref(tgt), type=type_, cameo="190", quad_class=quad,
                     goldstein=gold, date=when, date_precision="day" if when else "reported", modality=modality,
                     article_id=article, sentence=f"sentence of {id_}" if article else None,
                     char_start=span[0] if article else None, char_end=span[1] if article else None,
                     rule="rule.x" if article else None, confidence=0.9, evidence=evidence, **kw)


KIRKUK = Place("Kirkuk", "PPL", "town", "IRQ", "Kirkūk", None, 35.46806, 44.39222, 94787, source="sentence")
S1 = st("s1", USA, "ASSAULT", PMF, date(2024, 1, 5), 4, -10.0, article="art1", span=(0, 20), location="Kirkuk",
        **place_fields(KIRKUK))
S2 = st("s2", PMF, "ASSAULT", USA, date(2024, 1, 20), 4, -10.0, article="art1", span=(30, 50))
S3 = st("s3", USA, "THREATEN", IRN, date(2024, 2, 3), 3, -4.4, article="art2", span=(0, 10))
S4 = st("s4", IRN, "SUPPORT", PMF, date(2024, 2, 10), 1, 3.0, article="art2", span=(20, 40))
S5 = st("s5", USA, "ASSAULT", PMF, date(2024, 2, 15), 4, -10.0, modality="negated", article="art2", span=(50, 70))
S6 = replace(st("s6", IRQGOV, "CONSULT", USA, None, 1, 1.0), dataset="gdelt", mentions=5, location="Iraq",
             place_name="Iraq", place_feature="PCLI", place_precision="country", place_country="IRQ",
             latitude=33.0, longitude=44.0, place_source="dataset")
STATEMENTS = (S1, S2, S3, S4, S5, S6)


def known_batch() -> LoadBatch:
    return LoadBatch(articles=[ART1, ART2], actors=list(ACTORS),
                     affiliations=[Affiliation("IRQ.PMF", "IRQGOV", "PART_OF", date(2016, 11, 26))],
                     roles=[Role("PER.IRQ.SUDANI", "Prime Minister", "IRQGOV", date(2022, 10, 27))],
                     statements=list(STATEMENTS))


def dump(store) -> dict:
    """Everything the Store interface can see, in a canonical order."""
    return {
        "counts": store.counts(),
        "actors": [asdict(a) for a in store.actors()],
        "articles": [asdict(a) for a in store.articles()],
        "statements": sorted((asdict(s) | {"extra": s.extra} for s in store.statements()), key=lambda d: d["id"]),
    }
