"""Provenance a user can join back on: the input record's own id and where each party is named."""

from __future__ import annotations

import json

from click.testing import CliRunner

from graphkit.cli.main import cli

RECORDS = [
    {"doc_no": "A-1", "published": "2024-01-15", "title": "",
     "text": "Turkish warplanes struck PKK positions in northern Iraq on Monday."},
    {"doc_no": "A-2", "published": "2024-01-16", "title": "",
     "text": "The United States condemned the Houthi attacks on shipping."},
]


def _write(tmp_path, rows, name="records.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_extract_keeps_the_record_id_and_party_spans(tmp_path):
    path = _write(tmp_path, RECORDS)
    result = _run("extract", str(path), "--column", "id=doc_no")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert {s["record_id"] for s in out} == {"A-1", "A-2"}
    strike = next(s for s in out if s["type"] == "ASSAULT")
    assert strike["record_id"] == "A-1" and all(m["record_id"] == "A-1" for m in strike["evidence"])
    text = RECORDS[0]["text"]
    # offsets are into the article text, and the surface text is what stands there
    assert text[strike["source_start"]:strike["source_end"]] == strike["source_text"] == "Turkish warplanes"
    assert text[strike["target_start"]:strike["target_end"]] == strike["target_text"]
    assert "PKK" in strike["target_text"]


def test_default_id_column_and_articles_listing(tmp_path):
    rows = [{"id": "doc-" + r["doc_no"], **{k: v for k, v in r.items() if k != "doc_no"}} for r in RECORDS]
    path = _write(tmp_path, rows)
    listed = json.loads(_run("articles", str(path), "--format", "json").output)
    assert [a["record_id"] for a in listed] == ["doc-A-1", "doc-A-2"]
    assert all(a["id"] != a["record_id"] for a in listed)  # the article id stays graphkit's content id
    out = [json.loads(line) for line in _run("extract", str(path)).output.splitlines() if line.startswith("{")]
    assert {s["record_id"] for s in out} == {"doc-A-1", "doc-A-2"}


def test_csv_record_id_reaches_the_store(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("event_id,date,body\nE17,2024-01-15,\"" + RECORDS[0]["text"] + "\"\n", encoding="utf-8")
    db = tmp_path / "g.db"
    result = _run("load", str(path), "--store", f"sqlite:///{db}", "--column", "id=event_id",
                  "--column", "text=body", "--column", "published=date")
    assert result.exit_code == 0, result.output
    from graphkit.store import open_store

    with open_store(f"sqlite:///{db}") as store:
        stored = [s for s in store.statements() if s.type == "ASSAULT"]
    assert stored and all(s.record_id == "E17" for s in stored)
    assert all(m.record_id == "E17" and m.source_text == "Turkish warplanes" for s in stored for m in s.evidence)


def test_bad_column_mapping_is_one_line(tmp_path):
    path = _write(tmp_path, RECORDS)
    result = _run("extract", str(path), "--column", "idx=doc_no")
    assert result.exit_code == 2 and "expected FIELD=COLUMN" in result.output
