"""Importers: GDELT 2.0/1.0 and ACLED rows to statements, every row accounted for."""

from __future__ import annotations

import math
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SHARED

from graphkit import typology
from graphkit.cli.main import cli
from graphkit.importers import acled, cameo, gdelt
from graphkit.importers.common import SkippedRow, url_article_id
from graphkit.importers.compare import compare_sources
from graphkit.model import Actor, ActorRef, Statement

GDELT = SHARED / "formats" / "gdelt"
GDELT2 = GDELT / "20191024143000.export.CSV"
GDELT1 = GDELT / "gdelt1_events_sample_with_header.tsv"
ACLED_SAMPLE = ROOT / "tests" / "data" / "acled_sample.csv"


def run(iter_batches, path, registry=None, batch_size=500):
    statements, errors, batches = [], [], []
    for batch, errs in iter_batches(path, registry, batch_size):
        batches.append(batch)
        statements.extend(batch.statements)
        errors.extend(errs)
    return statements, errors, batches


def raw_rows(path: Path) -> list[list[str]]:
    """The data rows of a GDELT file, split by the test itself (header row dropped)."""
    lines = [ln.rstrip("\n") for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    rows = [ln.split("\t") for ln in lines]
    return rows[1:] if rows[0][0] == "GLOBALEVENTID" else rows


def header_2() -> list[str]:
    text = (GDELT / "GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv").read_text(encoding="utf-8")
    return [ln.split(",")[0] for ln in text.splitlines()[1:] if ln.strip()]


@pytest.mark.parametrize("path", [GDELT2, GDELT1], ids=["gdelt2", "gdelt1"])
def test_every_gdelt_row_is_imported_or_reported(path):
    statements, errors, _ = run(gdelt.iter_batches, path)
    rows = raw_rows(path)
    assert len(statements) + len(errors) == len(rows)
    assert not [e for e in errors if not isinstance(e, SkippedRow)], "the real samples are well-formed"
    # Every report names the file and the line of its row, and each line is reported once.
    lines = [int(e.where.rsplit(":", 1)[1]) for e in errors]
    assert len(set(lines)) == len(lines)
    assert all(e.where.startswith(str(path)) for e in errors)
    ids_in_file = {r[0] for r in rows}
    assert {s.extra["GLOBALEVENTID"] for s in statements} <= {int(i) for i in ids_in_file}
    # The skip reasons agree with the raw rows: one-sided events and CAMEO 01x.
    by_id = {r[0]: r for r in rows}
    imported = {str(s.extra["GLOBALEVENTID"]) for s in statements}
    for event_id, row in by_id.items():
        code_col = 26  # EventCode: the same column in 57, 58 and 61-column rows
        one_sided = not row[5] or not row[15]
        if event_id not in imported:
            assert one_sided or row[code_col].startswith("01")
        else:
            assert not one_sided and not row[code_col].startswith("01")


def test_gdelt2_fields_match_the_raw_rows():
    names = header_2()
    assert len(names) == 61
    rows = {r[0]: dict(zip(names, r, strict=True)) for r in raw_rows(GDELT2)}
    statements, _, batches = run(gdelt.iter_batches, GDELT2)
    articles = {a.id: a for b in batches for a in b.articles}
    assert len(statements) > 1000
    for st in statements[::97]:  # a spread of rows through the file
        raw = rows[str(st.extra["GLOBALEVENTID"])]
        assert st.cameo == raw["EventCode"]
        assert st.quad_class == int(raw["QuadClass"])
        assert st.goldstein == float(raw["GoldsteinScale"])
        assert st.date == date(int(raw["SQLDATE"][:4]), int(raw["SQLDATE"][4:6]), int(raw["SQLDATE"][6:]))
        assert st.date_precision == "day"
        assert st.mentions == int(raw["NumMentions"]) == st.extra["NumMentions"]
        assert st.extra["AvgTone"] == float(raw["AvgTone"])
        assert (st.source.id, st.target.id) == (raw["Actor1Code"], raw["Actor2Code"])
        assert st.type == cameo.plover_type(raw["EventCode"])
        assert st.dataset == "gdelt"
        assert st.location == (raw["ActionGeo_FullName"] or None)
        assert articles[st.article_id].url == raw["SOURCEURL"]
        assert st.article_id == url_article_id(raw["SOURCEURL"])


def test_gdelt2_one_sided_rows_are_reported_by_reason():
    # Line 3, event 881990834: THE EU (IGOEUREEC, as Actor2) signs a formal agreement (057) with no Actor1.
    row = raw_rows(GDELT2)[2]
    assert (row[0], row[5], row[15], row[26]) == ("881990834", "", "IGOEUREEC", "057")
    _, errors, _ = run(gdelt.iter_batches, GDELT2)
    reported = {e.where.rsplit(":", 1)[1]: e for e in errors}
    assert reported["3"].reason == "no source actor (Actor1Code empty)"
    targetless = [r for r in raw_rows(GDELT2) if r[5] and not r[15] and not r[26].startswith("01")]
    assert sum(e.reason == "no target actor (Actor2Code empty)" for e in errors) == len(targetless) > 0


def test_gdelt1_header_and_57_column_rows():
    rows = raw_rows(GDELT1)
    statements, errors, batches = run(gdelt.iter_batches, GDELT1)
    by_id = {str(s.extra["GLOBALEVENTID"]): s for s in statements}
    short = [r for r in rows if len(r) == 57 and r[0] in by_id]
    long = [r for r in rows if len(r) == 58 and r[0] in by_id]
    assert short and long
    for r in short[:20]:
        st = by_id[r[0]]
        assert st.article_id is None and st.extra["format"] == "gdelt1"
        assert (st.cameo, st.quad_class, st.goldstein) == (r[26], int(r[29]), float(r[30]))
    articles = {a.id: a for b in batches for a in b.articles}
    for r in long[:20]:
        assert articles[by_id[r[0]].article_id].url == r[57]


def test_gdelt_zip_equals_plain(tmp_path):
    archive = tmp_path / "20191024143000.export.CSV.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(GDELT2, arcname="20191024143000.export.CSV")
    zipped, zerrors, _ = run(gdelt.iter_batches, archive)
    plain, perrors, _ = run(gdelt.iter_batches, GDELT2)
    assert [s.id for s in zipped] == [s.id for s in plain]
    assert len(zerrors) == len(perrors)
    assert zerrors[0].where.startswith(f"{archive}[20191024143000.export.CSV]:")


def test_malformed_gdelt_rows_are_reported_with_line(tmp_path):
    good = raw_rows(GDELT2)
    good = [r for r in good if r[5] and r[15] and not r[26].startswith("01")][:3]
    bad_date, bad_quad, bad_code = list(good[1]), list(good[2]), list(good[0])
    bad_date[1] = "20191340"
    bad_quad[29] = "7"
    bad_code[0], bad_code[26] = "999", "X12"
    lines = ["\t".join(good[0]), "\t".join(good[0][:40]), "\t".join(bad_date), "", "\t".join(bad_quad),
             "\t".join(bad_code)]
    path = tmp_path / "broken.export.CSV"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    statements, errors, _ = run(gdelt.iter_batches, path)
    assert [s.extra["GLOBALEVENTID"] for s in statements] == [int(good[0][0])]
    found = {e.where: e.message for e in errors}
    assert set(found) == {f"{path}:2", f"{path}:3", f"{path}:5", f"{path}:6"}
    assert "found 40" in found[f"{path}:2"]
    assert "SQLDATE" in found[f"{path}:3"]
    assert "QuadClass" in found[f"{path}:5"]
    assert "EventCode" in found[f"{path}:6"]

    result = CliRunner().invoke(cli, ["import", "gdelt", str(path), "--dry-run", "--format", "csv"])
    assert result.exit_code == 2
    assert f"{path}:3: SQLDATE" in result.stderr
    assert "imported,1" in result.stdout


def test_gdelt_ids_are_deterministic_and_batches_bounded():
    first, _, batches = run(gdelt.iter_batches, GDELT2, batch_size=300)
    again, _, _ = run(gdelt.iter_batches, GDELT2, batch_size=1000)
    assert [s.id for s in first] == [s.id for s in again]
    assert len({s.id for s in first}) == len(first)
    assert len(batches) == math.ceil(len(raw_rows(GDELT2)) / 300)
    for b in batches:
        assert len({a.id for a in b.actors}) == len(b.actors)
        assert len(b.statements) <= 300


class TinyRegistry:
    """A registry of a few actors, standing in for graphkit.registry.Registry (get() and .actors)."""

    actors = {"USA": Actor("USA", "United States", "state", "USA"),
              "USAGOV": Actor("USAGOV", "US Government", "government", "USA", sector="GOV"),
              "IRQ.PMF": Actor("IRQ.PMF", "Popular Mobilization Forces", "militia", "IRQ",
                               aliases=("PMF", "Hashd al-Shaabi")),
              "IRQMIL": Actor("IRQMIL", "Iraqi Armed Forces", "military", "IRQ", sector="MIL"),
              "IRQ.KRG": Actor("IRQ.KRG", "Kurdistan Regional Government", "government", "IRQ"),
              "SYR.KRG": Actor("SYR.KRG", "Kurdistan Regional Government", "government", "SYR")}

    def get(self, actor_id):
        return self.actors.get(actor_id)


def test_gdelt_actors_map_onto_registry_else_created_from_codes():
    statements, _, batches = run(gdelt.iter_batches, GDELT2, registry=TinyRegistry())
    refs = {r.id: r for s in statements for r in (s.source, s.target)}
    assert refs["USA"] == ActorRef("USA", "United States", "state", "USA")
    assert refs["USAGOV"].name == "US Government"
    created = {a.id: a for b in batches for a in b.actors}
    assert created["USA"].dataset is None  # the registry's own actor
    gov = next(a for a in created.values() if a.id.endswith("GOV") and a.id != "USAGOV" and a.country)
    assert gov.kind == "government" and gov.sector == "GOV" and gov.dataset == "gdelt"
    assert not gov.provisional


def test_cameo_table_agrees_with_plover_conversion():
    text = (SHARED / "reference" / "cameo" / "CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8")
    checked = 0
    for line in text.splitlines():
        m = re.match(r"^(\d{3,4}): *([A-Z]+),", line)
        if not m:
            continue
        expected = typology.get(m.group(2)).name
        assert cameo.plover_type(m.group(1)) == expected, line
        checked += 1
    assert checked > 200
    assert cameo.plover_type("010") is None  # PLOVER drops public statements
    with pytest.raises(Exception, match="not a CAMEO"):
        cameo.plover_type("ABC")


def test_acled_sample_mapping():
    statements, errors, batches = run(acled.iter_batches, ACLED_SAMPLE)
    assert len(statements) + len(errors) == 12
    by_id = {s.extra["event_id"]: s for s in statements}
    expected = {"TST1001": ("USAMIL", "ASSAULT", "195", "ACLED.POPULAR_MOBILIZATION_FORCES", 5),
                "TST1002": ("IRQMIL", "ASSAULT", "193", "ACLED.ISLAMIC_STATE_IRAQ", 5),
                "TST1004": ("IRQCOP", "ASSAULT", "175", "IRQOPP", 1),
                "TST1005": ("IRQOPP", "PROTEST", "145", "IRQGOV", 0),
                "TST1006": ("IRQCOP", "COERCE", "173", "IRQCVL", 0),
                "TST1007": ("IRQGOV", "AGREE", "030", "ACLED.KURDISTAN_REGIONAL_GOVERNMENT", 0),
                "TST1012": ("ACLED.UNIDENTIFIED_ARMED_GROUP_IRAQ", "ASSAULT", "182", "IRQCVL", 1)}
    assert {k: (s.source.id, s.type, s.cameo, s.target.id, s.extra["fatalities"]) for k, s in by_id.items()} == expected
    strike = by_id["TST1001"]
    assert strike.sentence.startswith("On 3 December 2023, a US drone struck a PMF position")
    assert strike.date == date(2023, 12, 3) and strike.dataset == "acled"
    assert (strike.quad_class, strike.goldstein) == (4, typology.get("ASSAULT").goldstein)
    assert strike.extra["assoc_actor_2"] == "Kataib Hezbollah"
    assert by_id["TST1005"].date == date(2023, 12, 5)  # "05 December 2023"
    assert "\n" in by_id["TST1005"].sentence  # a quoted multi-line note survives
    assert by_id["TST1004"].sentence.endswith('the "local council" said.')
    actors = {a.id: a for b in batches for a in b.actors}
    assert actors["USAMIL"].kind == "military" and actors["ACLED.ISLAMIC_STATE_IRAQ"].kind == "militia"
    assert actors["ACLED.ISLAMIC_STATE_IRAQ"].country == "IRQ"
    # Lines count physical lines: the two-line note in record 6 pushes the later records down one.
    reported = {int(e.where.rsplit(":", 1)[1]): e for e in errors}
    assert set(reported) == {4, 10, 11, 12, 13}
    assert isinstance(reported[4], SkippedRow) and "no target actor" in reported[4].reason
    assert isinstance(reported[10], SkippedRow)
    assert "event_date" in reported[11].message and "Sieges" in reported[12].message
    assert "fatalities" in reported[13].message
    again, _, _ = run(acled.iter_batches, ACLED_SAMPLE)
    assert [s.id for s in again] == [s.id for s in statements]


def test_acled_file_without_the_columns_is_refused(tmp_path):
    path = tmp_path / "not_acled.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "acled", str(path), "--dry-run"])
    assert result.exit_code == 2
    assert f"{path}:1: not an ACLED export: no column event_date" in result.stderr


def _st(n, dataset, day, goldstein, quad=4, src="USA", tgt="IRQ"):
    return Statement(id=f"{dataset}{n}", source=ActorRef(src, src, "state"), target=ActorRef(tgt, tgt, "state"),
                     type="ASSAULT", cameo="190", quad_class=quad, goldstein=goldstein, date=day,
                     date_precision="day", dataset=dataset)


def test_compare_sources_counts_and_correlation():
    statements = []
    counts = {1: (1, 2), 2: (3, 5), 3: (2, 4), 4: (5, 9)}  # month -> (gdelt, acled) events
    n = 0
    for month, (g, a) in counts.items():
        for _ in range(g):
            statements.append(_st(n := n + 1, "gdelt", date(2023, month, 10), -month))
        for _ in range(a):
            statements.append(_st(n := n + 1, "acled", date(2023, month, 12), -2.0 * month, src="IRQ", tgt="USA"))
    statements.append(_st(n + 1, "gdelt", date(2023, 2, 1), 5.0, src="USA", tgt="IRN"))  # another dyad
    frame = compare_sources(statements, ("USA", "IRQ"), "M")
    assert list(frame["gdelt_events"]) == [1, 3, 2, 5]
    assert list(frame["acled_events"]) == [2, 5, 4, 9]
    assert list(frame["acled_goldstein"]) == [-2.0, -4.0, -6.0, -8.0]
    corr = frame.attrs["correlation"]
    assert corr["goldstein"] == pytest.approx(1.0)
    assert 0.9 < corr["events"] < 1.0
    directed = compare_sources(statements, ({"USA", "USAMIL"}, "IRQ"), "M", directed=True)
    assert directed.attrs["datasets"][0] == "gdelt" and "acled_events" not in directed


def _import_twice(uri, batch_size):
    from graphkit.store import StatementFilter, open_store

    counts = []
    for _ in range(2):
        added = 0
        with open_store(uri) as store:
            store.ensure_schema()
            for path, importer in ((GDELT2, gdelt), (ACLED_SAMPLE, acled)):
                for batch, _errors in importer.iter_batches(path, None, batch_size):
                    added += store.write(batch).added.get("statements", 0)
            counts.append((added, store.counts()["statements"]))
            stored = {s.id: s for s in store.statements(StatementFilter(datasets=("acled",)))}
            gdelt_stored = list(store.statements(StatementFilter(datasets=("gdelt",))))
    return counts, stored, gdelt_stored


def _check_store_import(uri, batch_size):
    counts, acled_stored, gdelt_stored = _import_twice(uri, batch_size)
    imported = 1209 + 7  # statements from the GDELT 2.0 sample and the ACLED sample (tests above)
    assert counts == [(imported, imported), (0, imported)]  # the second import adds nothing
    assert len(acled_stored) == 7 and len(gdelt_stored) == 1209
    strike = next(s for s in acled_stored.values() if s.extra["event_id"] == "TST1001")
    assert (strike.source.id, strike.type, strike.extra["fatalities"], strike.killed) == ("USAMIL", "ASSAULT", 5, 5)
    raw = {r[0]: r for r in raw_rows(GDELT2)}
    for st in gdelt_stored[::150]:
        row = raw[str(st.extra["GLOBALEVENTID"])]
        assert (st.cameo, st.goldstein, st.extra["NumMentions"]) == (row[26], float(row[30]), int(row[31]))


def test_import_into_embedded_store_is_idempotent(tmp_path):
    _check_store_import(f"sqlite:///{tmp_path / 'graph.db'}", batch_size=400)


@pytest.mark.neo4j
def test_import_into_neo4j_is_idempotent(neo4j_driver, neo4j_uri):
    _check_store_import(neo4j_uri, batch_size=5000)  # few transactions: the test server is slow to warm


def test_acled_export_with_bom_and_readable_gdelt_names(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ACLED_SAMPLE.read_bytes())
    statements, errors, _ = run(acled.iter_batches, path)
    assert len(statements) == 7 and len(errors) == 5
    assert gdelt.readable_name("THE EU") == "The EU"
    assert gdelt.readable_name("UNITED NATIONS") == "United Nations"


def test_acled_actors_map_onto_registry_by_id_and_unambiguous_name():
    statements, _, batches = run(acled.iter_batches, ACLED_SAMPLE, registry=TinyRegistry())
    by_id = {s.extra["event_id"]: s for s in statements}
    assert by_id["TST1001"].target == ActorRef("IRQ.PMF", "Popular Mobilization Forces", "militia", "IRQ")
    assert by_id["TST1002"].source.name == "Iraqi Armed Forces"  # Military Forces of Iraq -> IRQMIL
    # Two registry actors share the name: no guess, the ACLED actor stays its own node.
    assert by_id["TST1007"].target.id == "ACLED.KURDISTAN_REGIONAL_GOVERNMENT"


def test_tension_compare_sources_through_the_cli(tmp_path):
    import json as _json

    from click.testing import CliRunner

    from graphkit.cli.main import cli
    from graphkit.model import ActorRef, Statement
    from graphkit.serialize import statement_to_dict

    usa, irq = ActorRef("USA", "United States", "state", "USA"), ActorRef("IRQ", "Iraq", "state", "IRQ")
    rows = []
    # graphkit sees 1, 2, 3, 4 events a month; gdelt twice as many, so the two series correlate fully
    for month in range(1, 5):
        for dataset, n in (("graphkit", month), ("gdelt", 2 * month)):
            for k in range(n):
                rows.append(Statement(id=f"{dataset}-{month}-{k}", source=usa, target=irq, type="ASSAULT", cameo="190",
                                      quad_class=4, goldstein=-10.0, date=date(2024, month, 1 + k),
                                      date_precision="day", dataset=dataset))
    path = tmp_path / "two_sources.jsonl"
    path.write_text("".join(_json.dumps(statement_to_dict(s)) + "\n" for s in rows))
    result = CliRunner().invoke(cli, ["tension", "compare", "--from", str(path), "--dyad", "USA,IRQ",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    table = _json.loads(result.stdout)
    assert [r["gdelt_events"] for r in table] == [2, 4, 6, 8]
    assert [r["graphkit_events"] for r in table] == [1, 2, 3, 4]
    assert "correlation of events 1.00" in result.stderr
    two = CliRunner().invoke(cli, ["tension", "compare", "--from", str(path)])
    assert two.exit_code == 2 and "exactly one --dyad" in two.stderr
