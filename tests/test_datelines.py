"""Wire datelines: cut off the body before extraction; place, agency (outlet) and date kept on the article."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from graphkit.cli.main import cli
from graphkit.ingest import body_paragraphs, read_paths
from graphkit.ingest.dateline import find_dateline
from graphkit.ingest.ids import article_id

HOUTHI = "Yemen's Houthi movement said on Saturday it had attacked Israel with missiles."
KH = "Iraq's Kataib Hezbollah said on Tuesday it would suspend military operations against U.S. forces."


def _one(tmp_path, name: str, text: str, **kw):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = read_paths([str(path)], **kw)
    assert len(result.articles) == 1, result.problems
    return result.articles[0], result


@pytest.mark.parametrize("lead, place, agency, published", [
    ("DUBAI (AP) — ", "DUBAI", "Associated Press", None),
    ("BAGHDAD, Jan. 30, 2024 (Reuters) - ", "BAGHDAD", "Reuters", date(2024, 1, 30)),
    ("KYIV, Ukraine (AP) — ", "KYIV, Ukraine", "Associated Press", None),
    ("GAZA CITY, Gaza Strip (AP) —", "GAZA CITY, Gaza Strip", "Associated Press", None),
    ("Baghdad (AFP) – ", "Baghdad", "AFP", None),
    ("ANKARA, 14 January 2024 (Xinhua) -- ", "ANKARA", "Xinhua", date(2024, 1, 14)),
    ("ISTANBUL (AA) - ", "ISTANBUL", "Anadolu Agency", None),
    ("BERLIN (dpa) - ", "BERLIN", "dpa", None),
    ("AL-QAIM, Iraq (AP) — ", "AL-QAIM, Iraq", "Associated Press", None),
    ("HILLA (Alsumaria) - ", "HILLA", "Alsumaria", None),  # an agency not listed: kept as written
    ("BEIRUT — ", "BEIRUT", None, None),
    ("WASHINGTON — ", "WASHINGTON", None, None),
    ("NEW DELHI: ", "NEW DELHI", None, None),
    ("BAGHDAD, December 3, 2023 — ", "BAGHDAD", None, date(2023, 12, 3)),
])
def test_dateline_forms(lead, place, agency, published):
    found = find_dateline(lead + HOUTHI)
    assert found is not None
    assert (found.place, found.agency, found.published) == (place, agency, published)
    assert found.text == lead


@pytest.mark.parametrize("text", [
    HOUTHI,
    "BREAKING: Iran says it struck targets in Iraq.",
    "UPDATE - Iran says it struck targets in Iraq.",
    "Iraq's prime minister - who took office in 2022 - said the coalition must leave.",
    "US-led coalition forces struck - again - on Tuesday.",
    "The talks (held in Muscat) - officials said - made progress.",
    "ISIS — the group that once held Mosul — claimed the attack.",
])
def test_not_datelines(text):
    assert find_dateline(text) is None


def test_ap_dateline_place_and_outlet_and_no_actor(tmp_path):
    a, result = _one(tmp_path, "a.txt", "Houthis claim attack\n\nDUBAI (AP) — " + HOUTHI + "\n")
    assert (a.dateline_place, a.outlet, a.published) == ("DUBAI", "Associated Press", None)
    assert body_paragraphs(a)[0].text == HOUTHI
    # the dateline stays in the text, as a header paragraph of its own right above the body
    assert [p.text for p in a.paragraphs if p.kind == "header"] == ["DUBAI (AP) —"]
    # cutting the dateline off changes no article id (stores loaded before stay idempotent)
    assert a.id == article_id("DUBAI (AP) — " + HOUTHI, "Houthis claim attack")


def test_reuters_dateline_date_outlet_and_metadata_wins(tmp_path):
    text = "Iraqi group suspends attacks\n\nBAGHDAD, Jan. 30, 2024 (Reuters) - " + KH + "\n"
    a, _ = _one(tmp_path, "b.txt", text)
    assert (a.dateline_place, a.outlet, a.published, a.date_source) == (
        "BAGHDAD", "Reuters", date(2024, 1, 30), "dateline")
    # an explicit metadata date and outlet are better than the dateline's
    a, _ = _one(tmp_path, "c.txt", "Title: Iraqi group suspends attacks\nSource: Gulf Ledger\nDate: 2024-01-31\n\n"
                "BAGHDAD, Jan. 30, 2024 (Reuters) - " + KH + "\n")
    assert (a.outlet, a.published, a.date_source, a.dateline_place) == (
        "Gulf Ledger", date(2024, 1, 31), "metadata", "BAGHDAD")


def test_record_columns_and_dateline(tmp_path):
    rows = [{"id": "r1", "title": "Houthis claim attack", "text": "DUBAI (AP) — " + HOUTHI},
            {"id": "r2", "title": "KH", "outlet": "The National", "text": "BAGHDAD, Jan. 30, 2024 (Reuters) - " + KH}]
    path = tmp_path / "x.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    got = {a.record_id: a for a in read_paths([str(path)]).articles}
    assert (got["r1"].outlet, got["r1"].dateline_place) == ("Associated Press", "DUBAI")
    assert body_paragraphs(got["r1"])[0].text == HOUTHI
    assert (got["r2"].outlet, got["r2"].published, got["r2"].date_source) == (
        "The National", date(2024, 1, 30), "dateline")


def test_yearless_dateline_takes_the_year_from_metadata_with_a_note(tmp_path):
    lead = "WASHINGTON, Dec 30 (Reuters) - "
    # a year-only published column: the dateline gives the day, the column the year
    path = tmp_path / "y.csv"
    path.write_text("id,title,published,text\nr1,Strikes,2023,\"" + lead + KH + "\"\n", encoding="utf-8")
    result = read_paths([str(path)])
    a = result.articles[0]
    assert (a.published, a.date_source) == (date(2023, 12, 30), "dateline")
    assert not result.problems
    assert any("its year from field 'published'" in n.message for n in result.notes)
    # a page stamped "January 2, 2024" above the title: the dateline's Dec 30 is of the year before
    a, result = _one(tmp_path, "s.txt", "Saturday, January 2, 2024\n\nStrikes on militias\n\n" + lead + KH + "\n")
    assert (a.published, a.date_source) == (date(2023, 12, 30), "dateline")
    assert any("from the dateline" in n.message for n in result.notes)
    # nothing gives a year: no date, and a note says so
    a, result = _one(tmp_path, "n.txt", "Strikes on militias\n\n" + lead + KH + "\n")
    assert a.published is None
    assert any("gives no year" in n.message and "--published" in n.message for n in result.notes)


def test_extraction_never_reads_the_dateline(tmp_path):
    """DUBAI is no actor; "Iraq's Kataib Hezbollah said" makes Kataib Hezbollah the speaker, not Iraq;
    the dateline's date is the publication date that "on Tuesday" is read against."""
    (tmp_path / "a.txt").write_text("Houthis claim attack\n\nDUBAI (AP) — " + HOUTHI + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Iraqi group\n\nBAGHDAD, Feb. 2, 2024 (Reuters) - " + KH + "\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["extract", str(tmp_path), "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines() if line.strip()]
    names = {r["source"]["name"] for r in rows} | {r["target"]["name"] for r in rows}
    assert not any("DUBAI" in n.upper() or "BAGHDAD" in n.upper() for n in names), names
    # a statement is told by its evidence sentences (the headline and the lead of one event are one)
    told = {}
    for r in rows:
        for m in r["evidence"]:
            told.setdefault(m["sentence"], r)
    assert told[HOUTHI]["source"]["id"] != "ARE"
    kh = told[KH]
    assert "Kataib" in kh["source"]["name"] and kh["source"]["id"] != "IRQ"
    assert kh["date"] == "2024-01-30"  # the Tuesday before Friday Feb. 2, not the dateline's own date


def test_published_and_outlet_options_on_extract_and_load(tmp_path):
    (tmp_path / "a.txt").write_text("Iraqi group\n\n" + KH + "\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["extract", str(tmp_path / "a.txt"), "--published", "2024-02-02",
                                   "--outlet", "Wire"])
    assert out.exit_code == 0, out.output
    row = json.loads(out.output.splitlines()[0])
    assert row["date"] == "2024-01-30"
    db = tmp_path / "g.db"
    out = CliRunner().invoke(cli, ["load", str(tmp_path / "a.txt"), "--store", f"sqlite:///{db}",
                                   "--published", "2024-02-02", "--outlet", "Wire"])
    assert out.exit_code == 0, out.output
    from graphkit.store import open_store

    with open_store(f"sqlite:///{db}") as store:
        [article] = store.articles()
    assert (article.outlet, article.published, article.date_source) == ("Wire", date(2024, 2, 2), "override")
    bad = CliRunner().invoke(cli, ["load", str(tmp_path / "a.txt"), "--published", "02/02/2024"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_yearless_note_reaches_extract_and_load(tmp_path):
    (tmp_path / "a.txt").write_text("Strikes\n\nWASHINGTON, Dec 30 (Reuters) - " + KH + "\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["extract", str(tmp_path / "a.txt")])
    assert out.exit_code == 0 and "gives no year" in out.stderr
    out = CliRunner().invoke(cli, ["load", str(tmp_path / "a.txt"), "--store", f"sqlite:///{tmp_path / 'g.db'}"])
    assert out.exit_code == 0 and "graphkit: note:" in out.stderr and "gives no year" in out.stderr


def test_the_word_lists_refuse_a_name_claimed_twice(tmp_path, monkeypatch):
    from graphkit.errors import GraphkitError
    from graphkit.ingest import dateline

    (tmp_path / "ingest").mkdir()
    (tmp_path / "ingest" / "datelines.toml").write_text(
        'not_places = ["update"]\n[agencies]\n"Associated Press" = ["AP"]\n"Agence Presse" = ["ap"]\n', encoding="utf-8")
    monkeypatch.setenv("GRAPHKIT_DATA", str(tmp_path))
    dateline._words.cache_clear()
    try:
        with pytest.raises(GraphkitError, match="'ap' is claimed by both 'Associated Press' and 'Agence Presse'"):
            find_dateline("DUBAI (AP) — " + HOUTHI)
    finally:
        monkeypatch.undo()
        dateline._words.cache_clear()
    assert find_dateline("DUBAI (AP) — " + HOUTHI).agency == "Associated Press"
