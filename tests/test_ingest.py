"""Article ingestion: every format, the seed article, every kind of bad input, ids and duplicates."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.cli.main import cli
from graphkit.ingest import body_paragraphs, body_text, read_articles, read_paths, read_text
from graphkit.ingest.decode import decode_bytes
from graphkit.ingest.ids import article_id
from graphkit.ingest.layout import build_article
from graphkit.ingest.plaintext import parse_header_block
from graphkit.model import DATE_SOURCES

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "articles"

BODY = ("The United States struck three sites used by Kataib Hezbollah in Iraq on Tuesday, officials said.\n\n"
        "Kataib Hezbollah vowed to retaliate against American forces, a spokesman for the group said.")


def assert_layout(article):
    """The layout contract later stages rely on."""
    assert article.text == "\n\n".join(p.text for p in article.paragraphs)
    for p in article.paragraphs:
        assert article.text[p.start:p.end] == p.text
        assert p.kind in ("title", "header", "body")
        assert "\n\n" not in p.text and p.text == p.text.strip() and p.text
    kinds = [p.kind for p in article.paragraphs]
    assert kinds == sorted(kinds, key=("title", "header", "body").index), kinds
    assert "body" in kinds
    assert article.date_source in DATE_SOURCES
    assert (article.published is None) == (article.date_source == "none")


def one(result):
    assert len(result.articles) == 1, (result.articles, result.problems)
    return result.articles[0]


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


# --- the seed article (acceptance) -------------------------------------------------------------

def test_seed_article_reads_with_outlet_line_date_not_save_date(seed_path):
    result = read_paths([str(seed_path)])
    assert result.problems == [] and result.notes == []
    a = one(result)
    assert a.title == "U.S. Airstrike Escalates Tensions Between Iraqi Prime Minister and Shia Militias"
    assert a.outlet == "Gulan Media"
    assert a.published == date(2023, 12, 6)
    assert a.date_source == "outlet-line"
    assert_layout(a)
    headers = [p.text for p in a.paragraphs if p.kind == "header"]
    assert "• Saturday, 20 July 2024" in headers and "Gulan Media December 6, 2023 News" in headers
    bodies = body_paragraphs(a)
    assert bodies[0].text.startswith("In a recent development, the killing of five Hashd al-Shaabi")
    assert len(bodies) == 5
    # No body paragraph holds a header line or the repeated title.
    assert not any("Gulan Media" in p.text or "July 2024" in p.text or p.text == a.title for p in bodies)


# --- sample articles and each format -----------------------------------------------------------

def test_sample_articles_all_read_cleanly():
    result = read_paths([str(SAMPLES)])
    assert result.problems == [] and result.duplicates == [] and result.notes == []
    assert len(result.articles) == 9  # README.md is not read as an article
    for a in result.articles:
        assert_layout(a)
        assert a.title and a.outlet and a.published and a.date_source in ("metadata", "outlet-line")
        assert len(body_paragraphs(a)) >= 4
    assert len({a.id for a in result.articles}) == 9


def test_txt_save_date_above_title_is_not_publication_date():
    a = one(read_paths([str(SAMPLES / "2024-01-06_sudani-coalition-withdrawal.txt")]))
    assert (a.published, a.date_source, a.outlet) == (date(2024, 1, 6), "outlet-line", "Euphrates Post")
    assert a.url == "https://euphrates-post.example/politics/2024/01/06/sudani-coalition"
    assert a.title.startswith("Sudani Moves to End Coalition Mission")
    # The title repeated under the outlet line is dropped, not kept as a header or body line.
    assert [p.text for p in a.paragraphs].count(a.title) == 1


def test_txt_key_value_metadata_block():
    a = one(read_paths([str(SAMPLES / "2024-01-14_turkey-strikes-pkk.txt")]))
    assert a.title == "Turkish Jets Strike PKK Targets in Northern Iraq and Syria After Soldiers Killed"
    assert (a.outlet, a.published, a.date_source) == ("Anatolia Desk", date(2024, 1, 14), "metadata")
    assert a.url.startswith("https://anatolia-desk.example/")
    assert body_paragraphs(a)[0].text.startswith("Turkish warplanes struck")
    assert a.dateline_place == "ANKARA"


@pytest.mark.parametrize("header, expected, source", [
    ("Militias Vow Revenge\n\nTigris Monitor | March 3, 2024 | Iraq", date(2024, 3, 3), "outlet-line"),
    ("Militias Vow Revenge\nPublished: 4 March 2024", date(2024, 3, 4), "metadata"),
    ("Militias Vow Revenge\nPosted on Tuesday, 5th March 2024", date(2024, 3, 5), "header"),
    ("Militias Vow Revenge\n\nBAGHDAD, March 6, 2024", date(2024, 3, 6), "dateline"),
    ("Militias Vow Revenge\n\nBy Jane Roe\nhttps://x.example/a", None, "none"),
    ("Militias Vow Revenge on U.S.\n\nReuters March 3, 2024", date(2024, 3, 3), "outlet-line"),
    ("Militias Vow Revenge\nBy Jane Roe, March 7, 2024", date(2024, 3, 7), "header"),
    # A date inside a headline is not a publication date.
    ("Militias Vow Revenge for January 3, 2020 Strike\n\nRudaw English | 8 March 2024", date(2024, 3, 8),
     "outlet-line"),
    ("Militias Vow Revenge for January 3, 2020 Strike", None, "none"),
])
def test_txt_header_styles(header, expected, source):
    parsed = parse_header_block(header + "\n\n" + BODY)
    a = build_article(parsed.draft)
    assert (a.published, a.date_source) == (expected, source)
    assert a.title.startswith("Militias Vow Revenge")
    assert body_text(a) == BODY
    assert_layout(a)


def test_txt_dateline_opening_the_body():
    text = "BAGHDAD, Dec. 3, 2023 (Reuters) - " + BODY
    a = build_article(parse_header_block(text).draft)
    assert (a.published, a.date_source, a.title) == (date(2023, 12, 3), "dateline", None)


def test_txt_bare_date_above_title_is_only_a_fallback_with_a_note(tmp_path):
    path = write(tmp_path, "a.txt", "Saturday, 20 July 2024\n\nMilitias Vow Revenge\n\n" + BODY)
    result = read_paths([path])
    a = one(result)
    assert (a.published, a.date_source) == (date(2024, 7, 20), "header")
    assert len(result.notes) == 1 and "may be the date the page was saved" in str(result.notes[0])
    assert result.problems == []


def test_txt_hard_wrapped_body_is_joined():
    text = ("Title Of Story\n\nThe United States struck three sites used by\nKataib Hezbollah in Iraq on "
            "Tuesday, officials\nsaid.\n\nSecond paragraph here, short.")
    a = build_article(parse_header_block(text).draft)
    assert [p.text for p in body_paragraphs(a)] == [
        "The United States struck three sites used by Kataib Hezbollah in Iraq on Tuesday, officials said.",
        "Second paragraph here, short."]


def test_html_main_text_and_metadata_without_boilerplate():
    a = one(read_paths([str(SAMPLES / "2024-01-12_us-uk-strike-houthis.html")]))
    assert a.title == "US and UK Strike Houthi Targets in Yemen After Months of Red Sea Attacks"
    assert (a.outlet, a.published, a.date_source) == ("Gulf Ledger", date(2024, 1, 12), "metadata")
    assert a.url == "https://gulf-ledger.example/yemen/2024/01/12/us-uk-strike-houthis"
    assert_layout(a)
    body = body_text(a)
    assert body.startswith("The United States and Britain struck more than 60 targets")
    assert a.dateline_place == "SANAA"
    for boilerplate in ("Privacy policy", "Subscribe", "Brent crude", "newsletter", "Related", "Oil prices"):
        assert boilerplate not in a.text


def test_html_json_ld_only_and_outlet_line_fallback(tmp_path):
    paragraph = "<p>" + BODY.replace("\n\n", "</p><p>") + "</p>"
    ld = ('<html><head><script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
          '"headline": "Militias Vow Revenge", "datePublished": "2024-02-07", '
          '"publisher": {"name": "Levant Wire"}}]}</script></head><body><article>' + paragraph +
          "</article></body></html>")
    a = one(read_paths([write(tmp_path, "ld.html", ld)]))
    assert (a.title, a.outlet, a.published, a.date_source) == ("Militias Vow Revenge", "Levant Wire",
                                                               date(2024, 2, 7), "metadata")
    plain = ("<html><head><title>Militias Vow Revenge | Tigris Monitor</title></head><body><article><p>Tigris Monitor February 8, "
             "2024 News</p>" + paragraph + "</article></body></html>")
    b = one(read_paths([write(tmp_path, "plain.html", plain)]))
    assert (b.outlet, b.published, b.date_source) == ("Tigris Monitor", date(2024, 2, 8), "outlet-line")
    assert b.title == "Militias Vow Revenge"


def test_html_date_from_dated_url_when_page_has_no_date_tags(tmp_path):
    page = ("<html><head><link rel='canonical' href='https://levant-wire.example/2024/02/15/strike-story'>"
            "<title>Militias Vow Revenge</title></head><body><article><p>" + BODY.replace("\n\n", "</p><p>") +
            "</p></article></body></html>")
    a = one(read_paths([write(tmp_path, "u.html", page)]))
    assert (a.published, a.date_source, a.url) == (date(2024, 2, 15), "metadata",
                                                   "https://levant-wire.example/2024/02/15/strike-story")


def test_jsonl_sample_records_and_sources():
    result = read_paths([str(SAMPLES / "2024_levant-gulf-tigris.jsonl")])
    assert result.problems == []
    assert [a.source.rsplit(":", 1)[1] for a in result.articles] == ["1", "2", "3"]
    truce = result.articles[1]
    assert (truce.outlet, truce.published, truce.date_source) == ("Gulf Ledger", date(2023, 11, 22), "metadata")
    assert truce.url.endswith("/qatar-truce") and truce.title.startswith("Qatar Announces Gaza Truce")
    assert len(body_paragraphs(truce)) == 5


def test_csv_sample_quoted_multiparagraph_text():
    result = read_paths([str(SAMPLES / "2024-02_tower22-and-retaliation.csv")])
    assert result.problems == []
    first, second = result.articles
    assert (first.published, first.date_source) == (date(2024, 1, 29), "metadata")  # "January 29, 2024"
    assert first.source.endswith(".csv:2") and second.source.endswith(".csv:11")
    assert len(body_paragraphs(first)) == 5 and "Tower 22" in body_text(first)


def test_configurable_column_names(tmp_path):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["headline_x", "body_x", "when_x", "paper_x"])
    writer.writerow(["Militias Vow Revenge", BODY, "2024-02-09", "Levant Wire"])
    path = write(tmp_path, "custom.csv", buf.getvalue())
    columns = {"title": "headline_x", "text": "body_x", "published": "when_x", "outlet": "paper_x"}
    a = one(read_paths([path], columns=columns))
    assert (a.title, a.outlet, a.published) == ("Militias Vow Revenge", "Levant Wire", date(2024, 2, 9))
    missing = read_paths([path])  # default names: no text column
    assert missing.articles == [] and "header has no 'text' column" in str(missing.problems[0])


def test_common_column_aliases_and_tsv(tmp_path):
    rows = "headline\tbody\tdate\n" + "Militias Vow Revenge\t" + BODY.replace("\n\n", " ") + "\t2024-02-10\n"
    a = one(read_paths([write(tmp_path, "export.tsv", rows)]))
    assert (a.title, a.published) == ("Militias Vow Revenge", date(2024, 2, 10))


def test_record_text_without_title_or_header_is_all_body(tmp_path):
    a = one(read_paths([write(tmp_path, "short.jsonl", json.dumps({"text": "US strikes militia base"}))]))
    assert (a.title, body_text(a)) == (None, "US strikes militia base")


def test_record_title_with_line_breaks_stays_one_paragraph(tmp_path):
    record = {"title": "Militias\n\nVow  Revenge\r\n", "outlet": " Levant\nWire ", "text": BODY}
    a = one(read_paths([write(tmp_path, "t.jsonl", json.dumps(record))]))
    assert (a.title, a.outlet) == ("Militias Vow Revenge", "Levant Wire")
    assert_layout(a)


def test_json_array_file(tmp_path):
    records = [{"title": "A story", "text": BODY}, {"title": "B story", "text": BODY}, 7]
    result = read_paths([write(tmp_path, "x.json", json.dumps(records))])
    assert [a.title for a in result.articles] == ["A story", "B story"]
    assert [str(p) for p in result.problems] == [f"{tmp_path / 'x.json'}[2]: expected a JSON object, got int"]


def test_record_without_title_reads_its_header_block(seed_path, tmp_path):
    record = {"text": seed_path.read_text(encoding="utf-8")}
    a = one(read_paths([write(tmp_path, "seed.jsonl", json.dumps(record) + "\n")]))
    assert (a.outlet, a.published, a.date_source) == ("Gulan Media", date(2023, 12, 6), "outlet-line")


# --- bad input ---------------------------------------------------------------------------------

def test_empty_and_whitespace_files_are_skipped_others_read(tmp_path, seed_path):
    empty = write(tmp_path, "empty.txt", "")
    blank = write(tmp_path, "blank.txt", "  \n\n \t\n")
    result = read_paths([empty, str(seed_path), blank])
    assert len(result.articles) == 1
    assert [str(p) for p in result.problems] == [f"{empty}: empty file", f"{blank}: empty file (only whitespace)"]


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    bytes(range(256)) * 4,
    b"PK\x03\x04\x14\x00\x06\x00" + bytes(200),
])
def test_binary_file_is_one_line_problem(tmp_path, data):
    path = write(tmp_path, "story.txt", data)
    result = read_paths([path])
    assert result.articles == []
    (problem,) = result.problems
    assert str(problem).startswith(f"{path}: binary file") and "\n" not in str(problem)


def test_non_utf8_is_detected_decoded_and_noted(tmp_path):
    text = ("Militias Vow Revenge\n\nThe café owner said the “strike” hit the Sinjar district on Sunday, "
            "and Kataib Hezbollah vowed to retaliate against the United States, according to witnesses there.")
    path = write(tmp_path, "cp1252.txt", text.encode("cp1252"))
    result = read_paths([path])
    a = one(result)
    assert "café" in a.text and "“strike”" in a.text
    assert result.problems == []
    (note,) = result.notes
    assert str(note) == f"{path}: not UTF-8; decoded as cp1252"
    same = one(read_paths([write(tmp_path, "utf8.txt", text)]))
    assert same.id == a.id


@pytest.mark.parametrize("text, encoding", [
    ("Télé Headline\n\nThe café was struck by a drone on Sunday, officials said.", "cp1252"),
    ("Новости Багдада\n\nСША нанесли удар по базе ополченцев в Ираке в воскресенье, сообщили чиновники.", "cp1251"),
])
def test_short_non_utf8_texts_decode_correctly(tmp_path, text, encoding):
    result = read_paths([write(tmp_path, "x.txt", text.encode(encoding))])
    assert one(result).text == text
    assert str(result.notes[0]).endswith(f"decoded as {encoding}")


def test_utf16_with_bom(tmp_path):
    path = write(tmp_path, "u16.txt", ("Militias Vow Revenge\n\n" + BODY).encode("utf-16"))
    result = read_paths([path])
    assert body_text(one(result)) == BODY and "utf-16" in str(result.notes[0])


def test_malformed_jsonl_line_named_and_others_read(tmp_path):
    good = json.dumps({"title": "Militias Vow Revenge", "text": BODY})
    content = "\n".join([good, '{"title": "broken", "text": ', "[1, 2]", json.dumps({"title": "no text"}),
                         json.dumps({"title": "B", "text": "   "}), json.dumps({"title": "C", "text": ["not", "a", "string"]}),
                         json.dumps({"title": "Num", "text": 12}), "[" * 100_000 + "]" * 100_000,
                         json.dumps({"title": "Other", "text": BODY + " More."})])
    path = write(tmp_path, "mixed.jsonl", content)
    result = read_paths([path])
    assert [a.title for a in result.articles] == ["Militias Vow Revenge", "Other"]
    messages = [str(p) for p in result.problems]
    assert messages[0].startswith(f"{path}:2: not JSON (")  # the one JSONL reader's words (graphkit.inputs)
    assert messages[1] == f"{path}:3: expected a JSON object, got list"
    assert messages[2].startswith(f"{path}:4: no 'text' field")
    assert messages[3] == f"{path}:5: field 'text' is empty"
    assert messages[4] == f"{path}:6: field 'text': expected a string, got list"
    assert messages[5] == f"{path}:7: field 'text': expected a string, got int"
    assert messages[6] == f"{path}:8: JSON nested too deeply"
    assert all("\n" not in m for m in messages)


def test_bad_csv_rows_named_by_line_and_others_read(tmp_path):
    content = ('title,text,published\n'
               '"Militias Vow Revenge","' + BODY + '",2024-02-11\n'
               'only,two\n'
               '"Other","' + BODY + ' More.",2024-02-12,extra\n'
               '"Third","' + BODY + ' Again.",2024-02-13\n'
               '"Broken "quote" here",text,2024-02-14\n')
    path = write(tmp_path, "rows.csv", content)
    result = read_paths([path])
    assert [a.title for a in result.articles] == ["Militias Vow Revenge", "Third"]
    messages = [str(p) for p in result.problems]
    # Quoted text spans lines 2-4, 6-8 and 9-11: a row is named by the line it starts on.
    assert messages[0] == f"{path}:5: bad CSV row: expected 3 fields, got 2"
    assert messages[1] == f"{path}:6: bad CSV row: expected 3 fields, got 4"
    assert messages[2].startswith(f"{path}:12: bad CSV row (")
    assert len(messages) == 3


def test_unparseable_date_keeps_article_and_names_field(tmp_path):
    content = json.dumps({"title": "Militias Vow Revenge", "text": BODY, "published": "sometime last week"})
    path = write(tmp_path, "d.jsonl", content + "\n")
    result = read_paths([path])
    a = one(result)
    assert (a.published, a.date_source) == (None, "none")
    assert [str(p) for p in result.problems] == [
        f"{path}:1: field 'published': cannot read a date in 'sometime last week'; kept without a date"]
    txt = write(tmp_path, "d.txt", "Militias Vow Revenge\nDate: 31/31/2024\n\n" + BODY)
    result = read_paths([txt])
    assert one(result).published is None
    assert [str(p) for p in result.problems] == [f"{txt}: field 'Date': cannot read a date in '31/31/2024'"]


def test_ambiguous_numeric_date_is_refused_not_guessed(tmp_path):
    content = json.dumps({"title": "T", "text": BODY, "published": "03/04/2024"})
    result = read_paths([write(tmp_path, "amb.jsonl", content)])
    assert one(result).published is None and "cannot read a date" in str(result.problems[0])


def test_huge_file_skipped_with_size_cap(tmp_path, seed_path):
    big = write(tmp_path, "big.txt", "Big Title\n\n" + ("The United States struck a base. " * 2000))
    result = read_paths([big, str(seed_path)], max_bytes=10_000)
    assert len(result.articles) == 1
    assert str(result.problems[0]).startswith(f"{big}: file too large (0.1 MB; the limit is 0.0 MB")
    assert one(read_paths([big], max_bytes=1_000_000)).title == "Big Title"
    stdin = read_paths(["-"], stdin=io.BytesIO(b"x" * 20_000), max_bytes=10_000)
    assert str(stdin.problems[0]).startswith("<stdin>: input too large")


def test_missing_paths_globs_and_title_only(tmp_path):
    title_only = write(tmp_path, "t.txt", "Just A Headline\n\nBy Someone")
    result = read_paths([str(tmp_path / "nope.txt"), str(tmp_path / "*.nothing"), title_only])
    assert [str(p) for p in result.problems] == [
        f"{tmp_path / 'nope.txt'}: no such file or directory",
        f"{tmp_path / '*.nothing'}: no file matches this pattern",
        f"{title_only}: no article text found (only a title or header lines)"]


def test_directory_recursive_and_glob(tmp_path, seed_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    write(tmp_path / "sub" / "deeper", "a.txt", "Story A\n\n" + BODY)
    write(tmp_path / "sub", "b.jsonl", json.dumps({"title": "Story B", "text": BODY}))
    write(tmp_path, "notes.md", "# not an article")
    write(tmp_path, ".hidden.txt", "Hidden\n\n" + BODY)
    result = read_paths([str(tmp_path)])
    assert sorted(a.title for a in result.articles) == ["Story A", "Story B"]
    globbed = read_paths([str(tmp_path / "**" / "*.txt")])
    assert [a.title for a in globbed.articles] == ["Story A"]
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    assert "no article files" in str(read_paths([str(empty_dir)]).problems[0])


# --- ids and duplicates ------------------------------------------------------------------------

def test_article_id_is_stable_under_formatting():
    base = article_id("He said “no” — twice.\n\nSecond.", "A Title")
    assert base == article_id("He  said \"no\" - twice. Second.", "a title")
    assert len(base) == 16 and int(base, 16) >= 0
    assert base != article_id("He said “yes” — twice.\n\nSecond.", "A Title")
    assert base != article_id("He said “no” — twice.\n\nSecond.", "Other Title")


def test_same_article_as_txt_html_and_jsonl_has_one_id_and_duplicates_reported_once(tmp_path, seed_path):
    seed = one(read_paths([str(seed_path)]))
    record = {"title": seed.title, "outlet": "Gulan Media", "published": "2023-12-06", "text": body_text(seed)}
    jsonl = write(tmp_path, "dup.jsonl", json.dumps(record) + "\n" + json.dumps(record) + "\n")
    html = write(tmp_path, "dup.html", "<html><head><meta property='og:title' content='" + seed.title +
                 "'></head><body><article>" + "".join(f"<p>{p.text}</p>" for p in body_paragraphs(seed)) +
                 "</article></body></html>")
    result = read_paths([str(seed_path), jsonl, html, str(seed_path)])
    assert [a.id for a in result.articles] == [seed.id]
    assert result.duplicates == [(f"{jsonl}:1", seed.id), (f"{jsonl}:2", seed.id), (html, seed.id),
                                 (str(seed_path), seed.id)]
    assert result.problems == []


# --- stdin, override, convenience --------------------------------------------------------------

def test_stdin_text_and_jsonl_and_override(seed_path):
    a = one(read_paths(["-"], stdin=io.BytesIO(seed_path.read_bytes())))
    assert (a.source, a.published, a.outlet) == ("<stdin>", date(2023, 12, 6), "Gulan Media")
    record = json.dumps({"title": "From Stdin", "text": BODY, "published": "2024-01-01"})
    b = one(read_paths(["-"], stdin=io.StringIO(record + "\n"), published=date(2024, 5, 5)))
    assert (b.title, b.published, b.date_source, b.source) == ("From Stdin", date(2024, 5, 5), "override",
                                                               "<stdin>:1")


def test_stdin_csv_is_recognised_by_its_header():
    data = "title,text\nMilitias Vow Revenge,\"" + BODY + "\"\n"
    a = one(read_paths(["-"], stdin=io.StringIO(data)))
    assert (a.title, a.source) == ("Militias Vow Revenge", "<stdin>:2")


def test_progress_callback_sees_every_input():
    calls = []
    read_paths([str(SAMPLES)], progress=lambda done, total, name: calls.append((done, total, Path(name).suffix)))
    assert [c[0] for c in calls] == list(range(6)) and {c[1] for c in calls} == {6}
    assert sorted(c[2] for c in calls) == [".csv", ".html", ".jsonl", ".txt", ".txt", ".txt"]


def test_read_articles_logs_problems(tmp_path, seed_path, caplog):
    empty = write(tmp_path, "e.txt", "")
    with caplog.at_level("WARNING"):
        articles = read_articles([str(seed_path), empty])
    assert len(articles) == 1 and f"{empty}: empty file" in caplog.text


# --- CLI ---------------------------------------------------------------------------------------

def test_cli_json_for_seed(seed_path):
    result = CliRunner().invoke(cli, ["articles", str(seed_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    assert row["title"].startswith("U.S. Airstrike") and row["published"] == "2023-12-06"
    assert row["date_source"] == "outlet-line" and row["outlet"] == "Gulan Media" and row["paragraphs"] == 5
    assert set(row) == {"id", "record_id", "title", "outlet", "published", "date_source", "dateline_place",
                        "paragraphs", "chars", "source"}


def test_cli_skips_bad_inputs_exit_2_and_still_prints(tmp_path, seed_path):
    empty = write(tmp_path, "e.txt", "")
    result = CliRunner().invoke(cli, ["articles", str(seed_path), empty, "--format", "csv"])
    assert result.exit_code == 2
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1 and rows[0]["outlet"] == "Gulan Media"
    assert result.stderr.strip().splitlines() == [f"graphkit: skipped: {empty}: empty file"]


def test_cli_notes_for_encoding_and_duplicates_keep_exit_0(tmp_path):
    text = "Télé Headline\n\nThe café was struck by a drone on Sunday, officials said."
    first = write(tmp_path, "a.txt", text.encode("cp1252"))
    second = write(tmp_path, "b.txt", text)
    result = CliRunner().invoke(cli, ["articles", first, second, "--format", "json"])
    assert result.exit_code == 0
    (row,) = json.loads(result.stdout)
    assert row["title"] == "Télé Headline"
    assert result.stderr.splitlines() == [
        f"graphkit: note: {first}: not UTF-8; decoded as cp1252",
        f"graphkit: note: {second}: duplicate of article {row['id']}, read once"]


def test_cli_stdin_override_and_bad_override(seed_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["articles", "-", "--published", "2023-12-07", "--format", "json"],
                           input=seed_path.read_bytes())
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["date_source"] == "override"
    bad = runner.invoke(cli, ["articles", "-", "--published", "yesterday"], input=b"x")
    assert bad.exit_code == 2 and "not a date as YYYY-MM-DD" in bad.stderr


def test_cli_column_option_and_table(tmp_path):
    path = write(tmp_path, "c.jsonl", json.dumps({"hed": "Militias Vow Revenge", "body": BODY}))
    result = CliRunner().invoke(cli, ["articles", path, "--column", "title=hed", "--column", "text=body"])
    assert result.exit_code == 0 and "Militias Vow Revenge" in result.stdout
    assert CliRunner().invoke(cli, ["articles", path, "--column", "bogus"]).exit_code == 2


# --- property tests: random input never raises -------------------------------------------------

KINDS = ("txt", "html", "jsonl", "json", "csv", "tsv")
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_result(result):
    for a in result.articles:
        assert_layout(a)
    for p in result.problems + result.notes:
        assert "\n" not in str(p) and "could not read (" not in str(p)


@PROPERTY
@given(data=st.binary(max_size=2000))
def test_random_bytes_through_stdin_never_raise(data):
    _check_result(read_paths(["-"], stdin=io.BytesIO(data)))


@PROPERTY
@given(data=st.binary(max_size=1500), kind=st.sampled_from(KINDS))
def test_random_bytes_to_every_reader(data, kind):
    decoded = decode_bytes(data)
    assert (decoded.text is None) != (decoded.error is None)
    if decoded.text is not None:
        drafts, problems, _ = read_text(decoded.text, "x", kind)
        for draft in drafts:
            article = build_article(draft)
            if article:
                assert_layout(article)


@PROPERTY
@given(text=st.text(max_size=1500), kind=st.sampled_from(KINDS))
def test_random_text_to_every_reader(text, kind):
    drafts, problems, notes = read_text(text, "x", kind)
    for draft in drafts:
        article = build_article(draft)
        if article:
            assert_layout(article)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=80),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12)
FIELD_NAMES = st.sampled_from(["id", "url", "title", "outlet", "published", "text", "body", "date", "x"])
RECORDS = st.dictionaries(FIELD_NAMES, JSON_VALUES | st.text(max_size=300), max_size=6)


@PROPERTY
@given(records=st.lists(RECORDS | JSON_VALUES, max_size=5))
def test_random_json_structures(records):
    jsonl = "\n".join(json.dumps(r) for r in records)
    for kind, text in (("jsonl", jsonl), ("json", json.dumps(records))):
        drafts, problems, _ = read_text(text, "x", kind)
        good = [d for d in drafts if build_article(d)]
        assert len(good) <= len(records)
    result = read_paths(["-"], stdin=io.StringIO(jsonl))
    _check_result(result)


@PROPERTY
@given(header=st.lists(FIELD_NAMES | st.text(max_size=8), min_size=1, max_size=6),
       rows=st.lists(st.lists(st.text(max_size=120), max_size=7), max_size=6))
def test_random_csv_structures(header, rows):
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    drafts, problems, _ = read_text(buf.getvalue(), "x", "csv")
    for draft in drafts:
        article = build_article(draft)
        if article:
            assert_layout(article)
    assert len(drafts) <= len(rows)
