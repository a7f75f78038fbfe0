"""One event, one edge: event coreference within and across articles, the event's own date, pairs
from lists, and casualty counts (tests/data/one_event/ is a corpus written for these tests)."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.cli.main import cli
from graphkit.errors import InputError
from graphkit.extract.casualties import casualties
from graphkit.extract.coref import dyads, party_tests
from graphkit.extract.dates import EventDate, contains, resolve
from graphkit.extract.eventwords import load_event_words
from graphkit.ingest import read_articles
from graphkit.model import LoadBatch
from graphkit.serialize import statement_from_dict, statement_to_dict

CORPUS = Path(__file__).parent / "data" / "one_event"
WED = date(2023, 12, 6)


@pytest.fixture(scope="module")
def extractor(registry):
    from graphkit.extract.extractor import Extractor

    return Extractor(registry)


@pytest.fixture(scope="module")
def seed(extractor, seed_path):
    (article,) = read_articles([seed_path])
    return article, extractor.extract_article(article)


@pytest.fixture(scope="module")
def corpus(extractor):
    """Each article of the corpus with its statements (extracted once; loads reuse them)."""
    articles = sorted(read_articles([CORPUS]), key=lambda a: a.source)
    assert len(articles) == 4
    return [(a, extractor.extract_article(a)) for a in articles]


# -- the seed --------------------------------------------------------------------------------------

def test_seed_tells_one_strike_with_every_sentence_as_evidence(seed):
    article, sts = seed
    strikes = [s for s in sts if s.type == "ASSAULT" and s.source.id == "USA" and s.target.id == "IRQ.PMF"]
    assert len(strikes) == 1, [statement_to_dict(s) for s in strikes]
    (st,) = strikes
    assert (st.date, st.date_precision, st.location, st.modality) == (date(2023, 12, 3), "day", "Kirkuk", "asserted")
    assert (st.killed, st.killed_at_least) == (5, False)
    told = [m.sentence for m in st.evidence]
    for words in ("U.S. Airstrike Escalates", "the killing of five", "aware of the U.S. attack in Kirkuk",
                  "the strike was carried out in self-defense", "The airstrike occurred on Sunday",
                  "the airstrike was a response", "engaged five militants", "notified of the strike",
                  # told only as "the incident": evidence with a rule saying so
                  "The incident follows", "explanation for the incident", "The incident has fueled"):
        assert sum(words in s for s in told) == 1, (words, told)
    assert st.mentions == len(st.evidence) == len(told) == 11
    assert sum(m.rule == "reference:incident" for m in st.evidence) == 3
    # the ambassador's and CENTCOM's claims are evidence; their speakers are in the attribution, and
    # each telling says who said it (None: the narrator)
    assert "Alina Romanowski" in st.attribution and "Central Command" in st.attribution
    said = {m.sentence[:30]: m.attribution for m in st.evidence}
    assert said["The U.S. ambassador asserted t"] == "Alina Romanowski"
    assert said["“Iraqi Security Forces were no"] == "U.S. Central Command"
    assert said["The airstrike occurred on Sund"] is None


def test_seed_one_rift_one_plot_and_nothing_dated_by_the_report_that_happened_before(seed):
    _, sts = seed
    rifts = [s for s in sts if s.type == "TENSION"]
    assert len(rifts) == 1 and {rifts[0].source.id, rifts[0].target.id} == {"IRQ.PMF", "PER.MOHAMMED_SHIA_AL_SUDANI"}
    plots = [s for s in sts if s.source.id == "IRQ.PMF" and s.type == "THREATEN"]
    assert len(plots) == 1
    (plot,) = plots
    assert plot.modality == "planned" and plot.extra.get("intended_type") == "ASSAULT"
    assert plot.date is not None and plot.date <= date(2023, 12, 3)
    # the militias' earlier attacks: a series before the strike, not an event of 6 December
    (series,) = [s for s in sts if s.source.id == "IRQ.PMF" and s.type == "ASSAULT"]
    assert (series.date, series.date_end, series.date_precision) == (None, date(2023, 12, 3), "range")
    # only the rift, a standing relation, carries the report's date
    assert [s.type for s in sts if s.date == WED or s.date_end is None and s.date_precision == "reported"] == [
        "TENSION"]
    notified = [s for s in sts if s.type == "CONSULT" and s.target.id == "IRQ.ISF"]
    assert notified and notified[0].date == date(2023, 12, 3) and notified[0].date_end == WED


def test_seed_tension_counts_the_strike_once_with_its_dead(tmp_path, seed_path):
    uri = f"sqlite:///{tmp_path / 'seed.db'}"
    assert CliRunner().invoke(cli, ["load", str(seed_path), "--store", uri]).exit_code == 0
    result = CliRunner().invoke(cli, ["tension", "series", "--store", uri, "--dyad", "USA,IRQ.PMF", "--freq", "D",
                                      "--since", "2023-12-01", "--until", "2023-12-07", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["period"][:10]: r for r in json.loads(result.output)}
    assert rows["2023-12-03"]["q4"] == 1 and rows["2023-12-03"]["killed"] == 5
    assert rows["2023-12-03"]["goldstein_sum"] == -10
    assert all(r["statements"] == 0 for p, r in rows.items() if p != "2023-12-03")


# -- across articles: the corpus in both stores -----------------------------------------------------

def _strikes(sts):
    return [s for s in sts if s.type == "ASSAULT" and s.source.id == "USA" and s.target.id == "IRQ.KATAIB_HEZBOLLAH"]


def _drone_attacks(sts):
    return [s for s in sts if s.type == "ASSAULT" and s.source.id == "IRQ.KATAIB_HEZBOLLAH" and s.target.id == "USAMIL"]


def test_each_outlet_tells_the_strike_as_one_statement_with_one_id(corpus):
    ids = set()
    for article, sts in corpus:
        strikes = _strikes(sts)
        assert len(strikes) == 1, (article.source, [statement_to_dict(s) for s in strikes])
        assert strikes[0].date == date(2024, 1, 4) and strikes[0].date_precision == "day"
        ids.add(strikes[0].id)
    assert len(ids) == 1  # four outlets, four publication days, different words: one event id


ORDERS = list(itertools.permutations(range(4)))


@pytest.mark.parametrize("order", [ORDERS[0], ORDERS[7], ORDERS[16], ORDERS[23]], ids=lambda o: "".join(map(str, o)))
def test_corpus_loads_to_one_statement_per_event_whatever_the_order(store, corpus, order):
    from tests.storekit import dump

    for k in order:
        article, sts = corpus[k]
        store.write(LoadBatch(articles=[article], statements=sts))
    before = dump(store)
    again = store.write(LoadBatch(articles=[a for a, _ in corpus], statements=[s for _, sts in corpus for s in sts]))
    assert again.added == {"articles": 0, "actors": 0, "statements": 0, "mentions": 0}
    assert dump(store) == before
    stored = list(store.statements())
    (strike,) = _strikes(stored)
    assert sorted({m.article_id for m in strike.evidence}) == sorted(a.id for a, _ in corpus)
    assert strike.mentions == len(strike.evidence) >= 4
    assert (strike.modality, strike.location, strike.killed, strike.injured, strike.injured_at_least) == (
        "asserted", "Baghdad", 2, 5, True)
    # who said what survives the store: every telling keeps its speaker
    extracted = {(m.article_id, m.char_start, m.attribution) for _, sts in corpus for s in _strikes(sts) for m in s.evidence}
    assert {(m.article_id, m.char_start, m.attribution) for m in strike.evidence} == extracted
    assert any(m.attribution for m in strike.evidence) and any(m.attribution is None for m in strike.evidence)
    (drone,) = _drone_attacks(stored)
    assert drone.date == date(2024, 1, 2) and len({m.article_id for m in drone.evidence}) == 3
    # the same graph whatever the order: compare with the first order's statements
    key = [statement_to_dict(s) for s in sorted(stored, key=lambda s: s.id)]
    _ORDER_RESULTS.setdefault(store.__class__.__name__, key)
    assert key == _ORDER_RESULTS[store.__class__.__name__]


_ORDER_RESULTS: dict[str, list] = {}


def test_tension_counts_the_corpus_strike_once(tmp_path):
    uri = f"sqlite:///{tmp_path / 'c.db'}"
    assert CliRunner().invoke(cli, ["load", str(CORPUS), "--store", uri]).exit_code == 0
    result = CliRunner().invoke(cli, ["tension", "series", "--store", uri, "--dyad", "USA,Kataib Hezbollah", "--freq", "W",
                                      "--directed", "--format", "json", "--casualties"])
    assert result.exit_code == 0, result.output
    (week,) = [r for r in json.loads(result.output) if r["statements"]]
    assert (week["period"][:10], week["statements"], week["q4"], week["killed"], week["injured"]) == (
        "2024-01-01", 1, 1, 2, 5)
    assert set(week) == {"source", "source_name", "target", "target_name", "dyad", "period", "statements", "q4",
                         "killed", "injured"}


# -- pairs from lists ------------------------------------------------------------------------------

def test_a_list_pairs_the_speaker_with_each_party_never_party_with_party(extractor, registry):
    from graphkit.extract.events import Frame

    related, _ = party_tests(registry)
    consult = extractor.lex.entries["consult.meet"] if "consult.meet" in extractor.lex.entries else next(
        e for e in extractor.lex.entries.values() if e.type == "CONSULT")
    gbr, sau, omn, saumil = (registry.get(i) for i in ("GBR", "SAU", "OMN", "SAUMIL"))
    frame = Frame(entry=consult, trigger_text="talks", sources=[gbr], targets=[], pooled=[sau, omn, saumil],
                  pattern="nominal", modality="asserted", attribution=None, speaker=None,
                  when=EventDate(WED, "day"), location=None, article_id="a", sentence="s", char_start=0,
                  char_end=1, depth=0, unit=0)
    pairs = {(s.id, t.id) for s, t in dyads(frame, related)}
    assert {p for p in pairs if "GBR" not in p} == set()  # never party with party
    assert {("GBR", "SAU"), ("GBR", "OMN"), ("SAU", "GBR"), ("OMN", "GBR")} <= pairs
    # a list with no speaker ("talks between A, B and C") pairs every two, but never a state with its own forces
    no_speaker = dyads(replace(frame, sources=[]), related)
    assert {frozenset((s.id, t.id)) for s, t in no_speaker} == {
        frozenset(("SAU", "OMN")), frozenset(("OMN", "SAUMIL"))}


def test_coordinated_objects_pair_with_the_subject_only(extractor):
    from graphkit.model import Article

    a = Article(id="x", text="Qatar met Saudi Arabia and Oman in Riyadh on Monday.", published=date(2024, 3, 6))
    assert sorted((s.source.id, s.target.id) for s in extractor.extract_article(a)) == [("QAT", "OMN"), ("QAT", "SAU")]


# -- dates and casualties --------------------------------------------------------------------------

@pytest.mark.parametrize("text, first, last, precision", [
    ("since Oct. 17", date(2023, 10, 17), WED, "range"),
    ("in recent months", date(2023, 9, 5), WED, "range"),
    ("over the past two weeks", date(2023, 11, 22), WED, "range"),
    ("last week", date(2023, 11, 27), date(2023, 12, 3), "week"),
    ("last month", date(2023, 11, 1), date(2023, 11, 30), "month"),
])
def test_ranges_stay_ranges(text, first, last, precision):
    got = resolve(text, WED)
    assert (got.first, got.last, got.precision) == (first, last, precision)


def test_a_day_lies_within_its_week_but_not_in_a_report_date():
    week = resolve("last week", WED)
    assert contains(week, EventDate(date(2023, 11, 29), "day")) and not contains(week, EventDate(WED, "day"))
    assert not contains(EventDate(WED, "reported"), EventDate(WED, "day"))


@pytest.mark.parametrize("text, expected", [
    ("In a recent development, the killing of five Hashd al-Shaabi militiamen in a U.S. airstrike", (5, False, None, False)),
    ("At least 18 people were killed and dozens were wounded in the attack", (18, True, 24, True)),
    ("Three soldiers were killed and 34 injured", (3, False, 34, False)),
    ("The strike killed twenty-five fighters, injuring more than 40", (25, False, 40, True)),
    ("On January 4, the United States bombed the militia, killing two of its fighters", (2, False, None, False)),
    ("The attack came two days after militants attacked the base 150 times in 2023", (None, False, None, False)),
    ("forces engaged five militants preparing to launch a drone", (None, False, None, False)),
])
def test_casualty_counts(text, expected):
    c = casualties(text)
    assert (c.killed, c.killed_at_least, c.injured, c.injured_at_least) == expected


def test_casualty_words_are_data_and_a_word_is_claimed_once(tmp_path):
    words = load_event_words()
    assert words.numbers["five"] == 5 and words.vague["dozens"] == 24 and "wounded" in words.injured
    bad = tmp_path / "events.toml"
    bad.write_text('[casualties]\nkilled = ["killed"]\ninjured = ["killed"]\n', encoding="utf-8")
    with pytest.raises(InputError, match="claimed twice"):
        load_event_words(bad)


def test_new_statement_fields_round_trip(seed):
    _, sts = seed
    for st in sts:
        assert statement_from_dict(json.loads(json.dumps(statement_to_dict(st)))) == st


def test_views_and_report_show_the_casualties(tmp_path, seed):
    from graphkit.viz.network import build_network, casualty_label, page_data
    from graphkit.viz.report import report_data

    article, sts = seed
    (strike,) = _strikes_of(sts, "USA", "IRQ.PMF")
    assert casualty_label(strike) == "5 killed"
    rows = [r for r in report_data(sts, [])["table"] if r[10] == strike.id]
    assert rows and rows[0][11] == "5 killed"
    data = page_data(build_network(sts, []), "seed")
    assert any(row[-1] == "5 killed" for row in data["statements"])


def _strikes_of(sts, source, target):
    return [s for s in sts if s.type == "ASSAULT" and s.source.id == source and s.target.id == target]
