"""Statement extraction: the seed acceptance list, argument patterns, modality, dates, dedup,
the PLOVER scorer and the CLI.  spaCy and the registry load once per session (slow machine)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from graphkit.cli.main import cli
from graphkit.errors import InputError
from graphkit.extract.dates import resolve
from graphkit.extract.evaluate import NONE, Prediction, read_gold, score
from graphkit.extract.extractor import split_sentences
from graphkit.extract.lexicon import load_lexicon
from graphkit.model import Article, Paragraph
from graphkit.serialize import statement_to_dict

WED = date(2023, 12, 6)  # the seed's publication date, a Wednesday


@pytest.fixture(scope="session")
def extractor():
    from graphkit.extract import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def seed_statements(extractor, seed_path):
    from graphkit.ingest import read_paths

    result = read_paths([str(seed_path)])
    assert not result.problems and len(result.articles) == 1
    article = result.articles[0]
    assert article.published == WED
    return article, extractor.extract_article(article)


def _article(text: str, published: date | None = WED, title: str | None = None) -> Article:
    paras, pos = [], 0
    for block in text.split("\n\n"):
        paras.append(Paragraph(block, pos, pos + len(block), "body"))
        pos += len(block) + 2
    return Article(id="t-" + str(abs(hash(text))), text=text, paragraphs=tuple(paras), title=title, published=published)


def _find(statements, type_, source_country=None, target_country=None, source_id=None, target_id=None):
    return [s for s in statements if s.type == type_
            and (source_country is None or s.source.country == source_country)
            and (target_country is None or s.target.country == target_country)
            and (source_id is None or s.source.id == source_id)
            and (target_id is None or s.target.id == target_id)]


# -- seed acceptance ---------------------------------------------------------------------------

def test_seed_us_struck_pmf_on_sunday_at_kirkuk(seed_statements):
    _, sts = seed_statements
    hits = [s for s in _find(sts, "ASSAULT", source_country="USA", target_id="IRQ.PMF") if s.modality == "asserted"]
    assert len(hits) == 1, [statement_to_dict(s) for s in sts]
    st = hits[0]
    assert st.date == date(2023, 12, 3) and st.date_precision == "day"
    assert st.location == "Kirkuk"
    assert st.cameo.startswith("19") and st.quad_class == 4 and st.goldstein < 0
    # the lead, the "U.S. attack" and "the airstrike occurred on Sunday" are one event, several mentions
    assert st.mentions >= 2 and len(st.evidence) == st.mentions
    assert any("killing of five" in m.sentence for m in st.evidence)


def test_seed_militias_attacked_us_bases(seed_statements):
    _, sts = seed_statements
    hits = _find(sts, "ASSAULT", source_id="IRQ.PMF", target_country="USA")
    assert hits and "attacks by the militias" in hits[0].sentence


def test_seed_rift_between_sudani_and_pmf(seed_statements, extractor):
    _, sts = seed_statements
    hits = [s for s in _find(sts, "TENSION") if {s.source.id, s.target.id} >= {"IRQ.PMF"}
            and "SUDANI" in (s.source.id + s.target.id)]
    assert hits, [statement_to_dict(s) for s in sts]
    for st in hits:
        assert st.date == WED and st.date_precision == "reported"
        person = st.source if "SUDANI" in st.source.id else st.target
        assert person.kind == "person" and person.country == "IRQ"
        assert "IRQGOV" in extractor.registry.parents(person.id, WED) or "IRQ" in extractor.registry.parents(person.id, WED)
    # one rift, told by the headline, the lead, Al-Araby's report and the narrator: one statement, the
    # strongest modality (asserted), the report's speaker in the attribution
    (st,) = hits
    assert st.modality == "asserted" and "Arab" in st.attribution
    assert len(st.evidence) == 4 and st.evidence[0].rule.endswith("+headline")
    assert any("intensified tensions between" in m.sentence for m in st.evidence)  # the lead, naming one side


def test_seed_militia_plot_is_a_threat_against_the_us(seed_statements):
    _, sts = seed_statements
    hits = [s for s in sts if s.source.id == "IRQ.PMF" and s.target.country == "USA"
            and (s.type == "THREATEN" or s.modality == "planned")]
    assert hits
    assert any(s.rule.startswith("threaten.plot") for s in hits)


def test_seed_us_informed_iraqi_authorities(seed_statements):
    _, sts = seed_statements
    hits = [s for s in sts if s.type == "CONSULT" and s.source.country == "USA" and s.target.country == "IRQ"]
    assert {s.target.id for s in hits} & {"IRQGOV", "IRQ.ISF"}
    assert all(s.quad_class == 1 for s in hits)


def test_seed_neither_nor_asserts_nothing(seed_statements):
    _, sts = seed_statements
    for st in sts:
        assert "neither the federal government" not in (st.sentence or "")
        for m in st.evidence:  # it names the strike ("the incident"): evidence of it, nothing more
            assert "neither the federal government" not in m.sentence or m.rule == "reference:incident"


def test_seed_outlets_and_onlookers_are_never_parties(seed_statements):
    _, sts = seed_statements
    assert sts
    for st in sts:
        for end in (st.source, st.target):
            assert end.kind != "media"
            assert "arabi" not in end.name.lower() and "gulan" not in end.name.lower()
            assert "observer" not in end.name.lower()


def test_seed_statements_are_deterministic_and_serialisable(seed_statements, extractor):
    article, sts = seed_statements
    again = extractor.extract_article(article)
    assert [s.id for s in again] == [s.id for s in sts]
    assert len({s.id for s in sts}) == len(sts)
    for st in sts:
        d = statement_to_dict(st)
        assert d["article_id"] == article.id and d["rule"] and 0 < d["confidence"] <= 1
        assert article.text[d["char_start"]:d["char_end"]] == d["sentence"] or d["char_start"] is None


# -- argument patterns ---------------------------------------------------------------------------

def test_passive_with_nominal_instrument(extractor):
    sts = extractor.extract_article(_article("Five Hashd al-Shaabi militiamen were killed in a U.S. strike."))
    assert _find(sts, "ASSAULT", source_country="USA", target_id="IRQ.PMF")
    assert "passive" in sts[0].rule


def test_symmetric_clashes_and_tension(extractor):
    sts = extractor.extract_article(_article("Clashes between Hezbollah and Israel continued on Monday."))
    pairs = {(s.source.country, s.target.country) for s in sts if s.type == "ASSAULT"}
    assert pairs == {("LBN", "ISR"), ("ISR", "LBN")}
    assert all(s.date == date(2023, 12, 4) for s in sts)
    rel = extractor.extract_article(_article("Tensions between Iran and Israel rose. Tensions between Israel and Iran rose."))
    tension = _find(rel, "TENSION")
    assert len(tension) == 1 and tension[0].mentions == 2  # undirected: A~B and B~A are one statement


def test_coordinated_subjects(extractor):
    sts = extractor.extract_article(_article("Iran and Iraq signed an agreement on border security."))
    assert {(s.source.id, s.target.id) for s in _find(sts, "AGREE")} == {("IRN", "IRQ"), ("IRQ", "IRN")}


def test_demonym_agent_and_location(extractor):
    sts = extractor.extract_article(_article("Turkish warplanes bombed PKK positions near Duhok last week."))
    st = _find(sts, "ASSAULT", source_country="TUR")[0]
    assert st.location == "Duhok" and st.date_precision == "week"


# -- modality -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, modality, type_", [
    ("Iran did not attack Israel.", "negated", "ASSAULT"),
    ("Iran will attack Israel.", "future", "THREATEN"),  # announced force is coded as a threat (CAMEO 13x)
    ("Israel could strike Iran if talks fail.", "hypothetical", "ASSAULT"),
    ("Hezbollah said Israel struck Lebanon yesterday.", "claimed", "ASSAULT"),
])
def test_modality(extractor, text, modality, type_):
    sts = extractor.extract_article(_article(text))
    assert [(s.modality, s.type) for s in sts] == [(modality, type_)]


def test_claim_keeps_the_speaker_as_attribution(extractor):
    st = extractor.extract_article(_article("Hezbollah said Israel struck Lebanon yesterday."))[0]
    assert st.attribution == "Hezbollah" and st.source.country == "ISR" and st.date == date(2023, 12, 5)
    intent = extractor.extract_article(_article("Iran will attack Israel."))[0]
    assert intent.extra["intended_type"] == "ASSAULT" and intent.cameo.startswith("13")


# -- dates ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("expr, expected, precision", [
    ("on Sunday", date(2023, 12, 3), "day"),
    ("Wednesday", date(2023, 12, 6), "day"),
    ("On December 3", date(2023, 12, 3), "day"),
    ("3 December 2023", date(2023, 12, 3), "day"),
    ("yesterday", date(2023, 12, 5), "day"),
    ("last week", date(2023, 11, 27), "week"),  # the Monday of the week before
    ("last month", date(2023, 11, 1), "month"),
    ("December 28", date(2022, 12, 28), "day"),  # news reports the past
])
def test_date_resolution(expr, expected, precision):
    got = resolve(expr, WED)
    assert (got.value, got.precision) == (expected, precision)


def test_dates_without_publication_or_expression():
    assert resolve("the coming days", WED) is None
    assert resolve("on Sunday", None) is None


# -- dedup ---------------------------------------------------------------------------------------

def test_one_event_told_twice_is_one_statement(extractor):
    text = ("The U.S. military struck Kataib Hezbollah in Jurf al-Sakhar on Sunday.\n\n"
            "The strike on Kataib Hezbollah was confirmed by the Pentagon.")
    sts = extractor.extract_article(_article(text))
    hits = _find(sts, "ASSAULT", source_country="USA")
    assert len(hits) == 1 and hits[0].mentions == 2 and hits[0].date == date(2023, 12, 3)
    assert hits[0].evidence[0].sentence.startswith("The U.S. military struck")


# -- pieces --------------------------------------------------------------------------------------

def test_sentence_split_keeps_abbreviations():
    text = "A U.S. strike hit Kirkuk. Mr. Smith said so. Then it ended."
    assert [text[s:e] for s, e in split_sentences(text)] == ["A U.S. strike hit Kirkuk.", "Mr. Smith said so.", "Then it ended."]


def test_lexicon_errors_name_the_file(tmp_path):
    (tmp_path / "bad.toml").write_text('[[entry]]\nid = "x"\ntype = "NOT_A_TYPE"\nverbs = ["x"]\n')
    with pytest.raises(InputError, match="bad.toml: entry 1"):
        load_lexicon(tmp_path)


def test_prefilter_skips_sentences_without_cues(extractor):
    article = _article("The weather was mild. Iran attacked Israel.")
    before = extractor.parsed_sentences
    extractor.extract_article(article)
    assert extractor.parsed_sentences - before == 1


# -- evaluation -------------------------------------------------------------------------------------

def _gold_file(tmp_path):
    rows = [
        {"text": "Iran attacked Israel.", "event": "FIGHT", "source": [{"code": "IRN"}], "target": [{"code": "ISR"}]},
        {"text": "Iraq condemned Turkey.", "event": "DISAPPROVE", "source": [{"code": "IRQ"}], "target": [{"code": "TUR"}]},
        {"text": "The weather was mild in Paris.", "event": "AGREE", "source": [{"code": "FRA"}], "target": []},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_scorer_on_hand_made_gold(tmp_path):
    gold = read_gold(_gold_file(tmp_path))
    assert [g.type for g in gold] == ["ASSAULT", "ACCUSE", "AGREE"]
    preds = [Prediction("ASSAULT", (("IRN", "state"),), (("ISR", "state"),)),
             Prediction("ASSAULT", (("IRQ", "state"),), ()),
             Prediction(NONE)]
    s = score(gold, preds)
    assert s.per_type["ASSAULT"] == pytest.approx({"precision": 0.5, "recall": 1.0, "f1": 2 / 3, "support": 1})
    assert s.per_type["ACCUSE"]["f1"] == 0 and s.per_type["AGREE"]["recall"] == 0
    assert s.macro_f1 == pytest.approx((2 / 3) / 3)
    assert s.source_accuracy == pytest.approx(2 / 3) and s.target_accuracy == pytest.approx(1 / 2)
    assert s.confusion["ACCUSE"]["ASSAULT"] == 1 and s.predicted_none == 1


def test_gold_errors_name_file_and_line(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text('{"text": "x", "event": "AGREE"}\n{"text": "y", "event": "NOPE"}\n')
    with pytest.raises(InputError, match=r"g.jsonl:2: field 'event'"):
        read_gold(path)


# -- CLI -------------------------------------------------------------------------------------------

REQUIRED = {"id", "source", "target", "type", "cameo", "quad_class", "goldstein", "date", "date_precision", "modality",
            "attribution", "location", "article_id", "sentence", "char_start", "char_end", "rule", "confidence", "mentions"}


def test_cli_extract_jsonl_and_missing_input(seed_path, tmp_path):
    result = CliRunner().invoke(cli, ["extract", str(seed_path), str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines and all(REQUIRED <= set(d) for d in lines)
    assert all(set(d["source"]) == {"id", "name", "kind", "country"} for d in lines)
    errors = [line for line in result.stderr.splitlines() if line]
    assert len(errors) == 1 and errors[0].startswith("graphkit: error:") and "missing.txt" in errors[0]


def test_cli_eval_plover_json(tmp_path):
    result = CliRunner().invoke(cli, ["eval", "plover", str(_gold_file(tmp_path)), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["sentences"] == 3 and set(report["per_type"]) == {"ASSAULT", "ACCUSE", "AGREE"}
    assert report["per_type"]["ASSAULT"]["recall"] == 1.0


def test_requested_act_is_not_asserted(extractor):
    sts = extractor.extract_article(_article("Qatar called on Israel and Hamas to agree to a ceasefire."))
    assert {(s.source.id, s.target.country) for s in _find(sts, "REQUEST")} == {("QAT", "ISR"), ("QAT", "PSE")}
    assert {s.modality for s in _find(sts, "AGREE")} == {"hypothetical"}


def test_claimed_responsibility_and_purpose_clause(extractor):
    sts = extractor.extract_article(_article(
        "The Islamic Resistance in Iraq claimed responsibility for a drone attack on U.S. forces in Syria on Monday."))
    st = _find(sts, "ASSAULT", target_country="USA")[0]
    assert st.source.country == "IRQ" and st.date == date(2023, 12, 4) and st.location == "Syria"
    sts = extractor.extract_article(_article("Iraq summoned the Iranian ambassador to protest the missile strikes."))
    assert not _find(sts, "ASSAULT")  # protesting strikes does not make Iraq (or Iran) the striker here
    assert all(s.source.country == "IRQ" for s in sts)
