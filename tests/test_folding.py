"""One event told at several precisions by several articles (graphkit.store.folding): which report
folds into which event, whatever the order, in both stores."""

from __future__ import annotations

import itertools
import json
import random
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkit.cli.main import cli
from graphkit.ids import statement_id
from graphkit.ingest import read_articles
from graphkit.model import ActorRef, LoadBatch
from graphkit.store.base import StatementFilter
from graphkit.store.folding import EventRow, fold_group

DATA = Path(__file__).parent / "data"
US = ActorRef("USA", "United States", "state", "USA")
KH = ActorRef("IRQ.KATAIB_HEZBOLLAH", "Kataib Hezbollah", "group", "IRQ")


def row(id_, when, precision="day", article=None, place=None, **kw) -> EventRow:
    fields = dict(source="USA", target="IRQ.KATAIB_HEZBOLLAH", type="ASSAULT", modality="asserted",
                  dataset="graphkit", article_id=article or f"art-{id_}", date=when, date_precision=precision)
    if place:
        name, precision_, country, admin1, gid = place
        fields |= dict(location=name, place_precision=precision_, place_country=country, place_admin1=admin1,
                       geonames_id=gid)
    return EventRow(id=id_, **(fields | kw))


BAGHDAD = ("Baghdad", "town", "IRQ", "Baghdad", 98182)
KIRKUK = ("Kirkuk", "town", "IRQ", "Kirkuk", 94787)
KIRKUK_GOV = ("Kirkuk Governorate", "admin1", "IRQ", "Kirkuk", None)
IRAQ = ("Iraq", "country", "IRQ", None, 99237)


def folds(rows) -> dict[str, str | None]:
    out = {f.id: f.folded_into for f in fold_group(rows)}
    for perm in itertools.islice(itertools.permutations(rows), 24):  # the same whatever the order
        assert {f.id: f.folded_into for f in fold_group(list(perm))} == out
    return out


def test_a_week_and_an_undated_report_fold_into_the_one_day_event_they_can_be():
    day = row("d", date(2024, 1, 4), place=BAGHDAD)
    week = row("w", date(2024, 1, 1), "week", place=IRAQ)
    later = row("r", date(2024, 1, 5), "reported")
    nowhere = row("n", date(2024, 1, 4))
    assert folds([day, week, later, nowhere]) == {"d": None, "w": "d", "r": "d", "n": "d"}


def test_a_report_two_events_could_be_stays_on_its_own():
    baghdad = row("b", date(2024, 1, 4), place=BAGHDAD)
    kirkuk = row("k", date(2024, 1, 4), place=KIRKUK)
    week = row("w", date(2024, 1, 1), "week")
    undated_place = row("n", date(2024, 1, 4))
    gov = row("g", date(2024, 1, 4), place=KIRKUK_GOV)
    assert folds([baghdad, kirkuk, week, undated_place, gov]) == {
        "b": None, "k": None, "w": None, "n": None, "g": "k"}  # the governorate holds Kirkuk, not Baghdad


def test_places_and_dates_that_conflict_never_fold():
    assert folds([row("a", date(2024, 1, 4), place=BAGHDAD), row("b", date(2024, 1, 4), place=KIRKUK)]) == {
        "a": None, "b": None}
    assert folds([row("a", date(2024, 1, 4)), row("b", date(2024, 1, 11), "week")]) == {"a": None, "b": None}
    # an undated report tells an event of its day or the two before, not of last week
    assert folds([row("a", date(2024, 1, 1)), row("b", date(2024, 1, 5), "reported")]) == {"a": None, "b": None}
    assert folds([row("a", date(2024, 1, 3)), row("b", date(2024, 1, 5), "reported")]) == {"a": None, "b": "a"}


def test_only_a_dated_event_gathers_vaguer_reports():
    # two undated reports of one day, one placed: either could be another attack of the dyad that day
    assert folds([row("a", date(2024, 1, 5), "reported"), row("b", date(2024, 1, 5), "reported", place=BAGHDAD)]) \
        == {"a": None, "b": None}
    assert folds([row("m", date(2024, 1, 1), "month"), row("w", date(2024, 1, 1), "week", place=BAGHDAD)]) == {
        "m": None, "w": None}


def test_what_folding_leaves_alone():
    day = row("d", date(2024, 1, 4))
    cases = [
        row("s", date(2024, 1, 1), "range", date_end=date(2024, 1, 10)),  # a series, not one event
        row("x", date(2024, 1, 1), "week", article="art-d"),  # one article: coreference decided already
        row("n", date(2024, 1, 1), "week", modality="negated"),  # "did not strike" is no report of a strike
        row("g", date(2024, 1, 1), "week", dataset="gdelt"),  # a dataset's own event
    ]
    for other in cases:
        assert folds([day, other]) == {"d": None, other.id: None}, other
    # a relation state is a reading per report, never one event
    assert folds([row("a", date(2024, 1, 4), type="TENSION"), row("b", date(2024, 1, 5), "reported",
                                                                   type="TENSION")]) == {"a": None, "b": None}


def test_equal_reports_fold_to_the_smaller_id_and_chains_end_at_the_event():
    a = row("a", date(2024, 1, 4), place=("the city of Kirkuk", "town", "IRQ", "Kirkuk", 94787))
    b = row("b", date(2024, 1, 4), place=KIRKUK)
    month = row("m", date(2024, 1, 1), "month")
    assert folds([a, b, month]) == {"a": None, "b": "a", "m": "a"}


def test_random_sets_fold_the_same_whatever_the_order():
    rnd = random.Random(7)
    places = [None, BAGHDAD, KIRKUK, KIRKUK_GOV, IRAQ]
    precisions = ["day", "day", "day", "week", "month", "reported", "range"]
    for trial in range(40):
        rows = []
        for i in range(rnd.randint(2, 9)):
            p = rnd.choice(precisions)
            when = date(2024, 1, rnd.randint(1, 14))
            rows.append(row(f"r{i}", when, p, article=f"a{rnd.randint(0, 4)}", place=rnd.choice(places),
                            date_end=date(2024, 1, 20) if p == "range" else None))
        expected = {f.id: f.folded_into for f in fold_group(rows)}
        for _ in range(5):
            rnd.shuffle(rows)
            assert {f.id: f.folded_into for f in fold_group(rows)} == expected, trial
        assert all(expected.get(root) is None for root in expected.values() if root)  # roots are events


def test_a_statement_without_a_place_keeps_its_id_and_a_place_told_makes_another():
    plain = statement_id("USA", "IRQ.KATAIB_HEZBOLLAH", "ASSAULT", date(2024, 1, 4), "asserted")
    assert statement_id("USA", "IRQ.KATAIB_HEZBOLLAH", "ASSAULT", date(2024, 1, 4), "asserted", place=None) == plain
    kirkuk = statement_id("USA", "IRQ.KATAIB_HEZBOLLAH", "ASSAULT", date(2024, 1, 4), "asserted", place="Kirkuk")
    assert kirkuk != plain
    assert statement_id("USA", "IRQ.KATAIB_HEZBOLLAH", "ASSAULT", date(2024, 1, 4), "claimed",
                        place="the  kirkuk") == kirkuk


# -- in the stores ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def reports(registry):
    """The one-event corpus and the further reports, each article with its statements."""
    from graphkit.extract.extractor import Extractor

    ex = Extractor(registry)
    articles = sorted(read_articles([DATA / "one_event", DATA / "one_event_more"]), key=lambda a: a.source)
    return {Path(a.source).stem: (a, ex.extract_article(a)) for a in articles}


def _strikes(sts):
    return [s for s in sts if s.type == "ASSAULT" and s.source.id == "USA" and s.target.id == "IRQ.KATAIB_HEZBOLLAH"]


def _load(store, reports, names, seed):
    names = list(names)
    random.Random(seed).shuffle(names)
    for name in names:
        article, sts = reports[name]
        store.write(LoadBatch(articles=[article], statements=sts))


ONE_STRIKE = ["a1_tigris", "a2_euphrates", "a3_levant", "a4_gulf", "a5_roundup", "a7_brief"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_report_of_the_strike_is_one_statement_whatever_the_order(store, reports, seed):
    from tests.storekit import dump

    _load(store, reports, ONE_STRIKE, seed)
    (strike,) = _strikes(store.statements())
    assert (strike.date, strike.date_precision, strike.location) == (date(2024, 1, 4), "day", "Baghdad")
    arts = {reports[n][0].id for n in ONE_STRIKE}
    assert {m.article_id for m in strike.evidence} == arts  # the week and the brief are its evidence
    assert strike.mentions == len(strike.evidence)
    rows = _strikes(store.statements(StatementFilter(folded=True)))
    assert sorted(s.date_precision for s in rows) == ["day", "reported", "week"]  # each report's row is kept
    frame = store.statement_frame()
    assert len(frame[(frame.source == "USA") & (frame.target == KH.id) & (frame.type == "ASSAULT")]) == 1
    before = dump(store)
    again = store.write(LoadBatch(articles=[reports[n][0] for n in ONE_STRIKE],
                                  statements=[s for n in ONE_STRIKE for s in reports[n][1]]))
    assert again.added == {"articles": 0, "actors": 0, "statements": 0, "mentions": 0}
    assert dump(store) == before
    key = sorted(json.dumps([s.id, s.mentions, sorted(m.article_id for m in s.evidence)]) for s in store.statements())
    _RESULTS.setdefault(store.__class__.__name__, key)
    assert key == _RESULTS[store.__class__.__name__]


_RESULTS: dict[str, list] = {}


@pytest.mark.parametrize("seed", [0, 3])
def test_a_second_strike_elsewhere_that_day_keeps_the_vague_reports_apart(store, reports, seed):
    _load(store, reports, [*ONE_STRIKE, "a6_kirkuk"], seed)
    strikes = _strikes(store.statements())
    told = sorted((s.date_precision, s.location or "") for s in strikes)
    assert told == [("day", "Baghdad"), ("day", "Kirkuk"), ("reported", ""), ("week", "Iraq")]
    # the second strike arriving later undoes the fold it makes ambiguous, and a re-load changes nothing
    store.write(LoadBatch(articles=[reports["a6_kirkuk"][0]], statements=reports["a6_kirkuk"][1]))
    assert len(_strikes(store.statements())) == 4


def test_tension_counts_the_strike_once_across_precisions(tmp_path):
    uri = f"sqlite:///{tmp_path / 'c.db'}"
    run = CliRunner().invoke
    assert run(cli, ["load", str(DATA / "one_event"), str(DATA / "one_event_more" / "a5_roundup.txt"),
                     str(DATA / "one_event_more" / "a7_brief.txt"), "--store", uri]).exit_code == 0
    result = run(cli, ["tension", "series", "--store", uri, "--dyad", "USA,Kataib Hezbollah", "--freq", "W",
                       "--directed", "--format", "json", "--casualties"])
    assert result.exit_code == 0, result.output
    (week,) = [r for r in json.loads(result.output) if r["statements"]]
    assert (week["period"][:10], week["statements"], week["killed"]) == ("2024-01-01", 1, 2)


def test_a_statements_file_counts_each_event_once_as_the_store_does(tmp_path):
    """`--from` a JSONL file of `graphkit extract` (six articles telling one strike) folds as a store does."""
    run = CliRunner().invoke
    files = [str(DATA / "one_event"), str(DATA / "one_event_more" / "a5_roundup.txt"),
             str(DATA / "one_event_more" / "a7_brief.txt")]
    extracted = run(cli, ["extract", *files, "--format", "jsonl"])
    assert extracted.exit_code == 0
    path = tmp_path / "s.jsonl"
    path.write_text(extracted.stdout, encoding="utf-8")
    assert sum(1 for line in extracted.stdout.splitlines() if '"IRQ.KATAIB_HEZBOLLAH"' in line
               and '"ASSAULT"' in line and '"USA"' in line) >= 6  # one line per article's report
    result = run(cli, ["tension", "series", "--from", str(path), "--dyad", "USA,Kataib Hezbollah", "--freq", "W",
                       "--directed", "--format", "json"])
    assert result.exit_code == 0, result.output
    (week,) = [r for r in json.loads(result.output) if r["statements"]]
    assert week["statements"] == 1
    from graphkit.viz.sources import load_report_frame

    frame, _ = load_report_frame(str(path), None, errors=[])
    strikes = frame[(frame.source == "USA") & (frame.target == KH.id) & (frame.type == "ASSAULT")]
    assert len(strikes) == 1 and int(strikes["mentions"].iloc[0]) >= 6


def test_a_guessed_placement_is_no_place_for_folding():
    day = row("d", date(2024, 1, 4), place=BAGHDAD)
    # the report's sentence named no place; the article's dateline put it in Kirkuk
    guessed = row("w", date(2024, 1, 1), "week", place=KIRKUK, place_source="dateline")
    guessed = EventRow(**{**{f: getattr(guessed, f) for f in EventRow.__dataclass_fields__}, "location": None})
    assert folds([day, guessed]) == {"d": None, "w": "d"}
    told = row("t", date(2024, 1, 1), "week", place=KIRKUK, place_source="sentence")
    assert folds([day, told]) == {"d": None, "t": None}
