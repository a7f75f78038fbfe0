"""Hostile input, faults and secrets: every record judged alone, stores that fail in one line,
read mode that is read-only, and a password that is never shown."""

from __future__ import annotations

import json
import os
import sqlite3
import zipfile
from datetime import date

import pytest
from click.testing import CliRunner

from graphkit.cli.main import cli
from graphkit.model import ActorRef, Statement
from graphkit.serialize import statement_to_dict

USA = ActorRef("USA", "United States", "state", "USA")
PMF = ActorRef("IRQ.PMF", "Popular Mobilization Forces", "militia", "IRQ")


def good(n: int) -> dict:
    return statement_to_dict(Statement(
        id=f"st_{n:04d}", source=USA, target=PMF, type="ASSAULT", cameo="190", quad_class=4, goldstein=-10.0,
        date=date(2024, 1, 1 + n % 28), date_precision="day", article_id=f"art{n}", sentence=f"s{n}",
        char_start=0, char_end=5, rule="r", confidence=0.9))


def run(*args, input=None, env=None):
    result = CliRunner().invoke(cli, list(args), input=input, env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback from {args}: {result.exception!r}\n{result.output}")
    return result


# One wrongly typed field per record: each is reported as FILE:LINE: field: reason, the rest stored.
BAD_RECORDS = [
    (lambda g: {**g, "source": {**g["source"], "id": ["x"]}}, "source.id: expected text, got a list"),
    (lambda g: {**g, "id": 5}, "id: expected text, got an integer"),
    (lambda g: {**g, "goldstein": "NaN"}, "goldstein: expected a number, got text"),
    (lambda g: {**g, "quad_class": 2**70}, "quad_class: integer out of the 64-bit range"),
    (lambda g: {**g, "date": "0001-01-01"}, "date: 0001-01-01 is outside 1900-2100"),
    (lambda g: {**g, "date": 20240101}, "date: expected a date (YYYY-MM-DD), got an integer"),
    (lambda g: {**g, "evidence": [{"article_id": 1}]}, "evidence[0].article_id: expected text"),
    (lambda g: {**g, "target": "IRQ"}, "target: expected an object, got text"),
    (lambda g: {**g, "source": {**g["source"], "id": "A" * 20000}}, "source.id: 20,000 characters"),
    (lambda g: {k: v for k, v in g.items() if k != "type"}, "type: missing"),
    (lambda g: {**g, "type": "EXPLODE"}, "type 'EXPLODE' is not in the typology"),
]
RAW_BAD_LINES = [
    ("[" * 100_000 + "]" * 100_000, "JSON nested too deeply"),
    ('{"id": ' + "9" * 5000 + "}", "a number of more than"),
    ('{"id": "broken"', "not JSON"),
    ("[1, 2]", "expected a JSON object, got a list"),
]


def _mixed_file(tmp_path):
    lines, expected = [], {}
    n = 0
    for make, reason in BAD_RECORDS:
        lines.append(json.dumps(make({**good(900 + n), "id": f"bad{n}"} if make(good(0)).get("id") == good(0)["id"]
                                     else good(900 + n))))
        expected[len(lines)] = reason
        lines.append(json.dumps(good(n)))
        n += 1
    for raw, reason in RAW_BAD_LINES:
        lines.append(raw)
        expected[len(lines)] = reason
        lines.append(json.dumps(good(n)))
        n += 1
    path = tmp_path / "mixed.jsonl"
    data = ("\n".join(lines) + "\n").encode("utf-8") + b"\xff\xfe not utf-8\n"
    expected[len(lines) + 1] = "not UTF-8"
    path.write_bytes(data)
    return path, expected, n


@pytest.mark.parametrize("how", ["file", "stdin"])
def test_load_judges_every_record_alone(tmp_path, how):
    path, expected, n_good = _mixed_file(tmp_path)
    store = f"sqlite:///{tmp_path / 'g.db'}"
    if how == "file":
        result = run("load", str(path), "--store", store)
        name = str(path)
    else:
        result = run("load", "-", "--store", store, input=path.read_bytes())
        name = "<stdin>"
    assert result.exit_code == 2, result.output
    assert f"statements  added {n_good:>7}" in result.stdout
    for line, reason in expected.items():
        assert f"{name}:{line}: {reason}" in result.stderr, (line, reason, result.stderr)
    assert "Traceback" not in result.output
    with sqlite3.connect(tmp_path / "g.db") as conn:
        assert conn.execute("SELECT count(*) FROM statements").fetchone()[0] == n_good


@pytest.mark.parametrize("command", [["tension", "series"], ["render", "-o", "{tmp}/g.html"], ["report", "-o", "{tmp}/rep"]])
def test_from_readers_share_the_validation(tmp_path, command):
    path, expected, _ = _mixed_file(tmp_path)
    args = [a.replace("{tmp}", str(tmp_path)) for a in command] + ["--from", str(path)]
    result = run(*args)
    assert result.exit_code == 2, result.output
    for line, reason in expected.items():
        assert f"{path}:{line}: {reason}" in result.stderr


def test_a_new_statement_field_is_validated_without_edits():
    """The validator reads the dataclass: a field added later is checked by its annotation."""
    from dataclasses import dataclass

    from graphkit.validate import FieldError, build

    @dataclass(frozen=True)
    class Later:
        id: str
        casualties: int | None = None
        mention_offsets: tuple[int, ...] = ()

    assert build(Later, {"id": "a", "casualties": 3, "mention_offsets": [1, 2]})[0] == Later("a", 3, (1, 2))
    with pytest.raises(FieldError, match="casualties: expected an integer, got text"):
        build(Later, {"id": "a", "casualties": "three"})
    with pytest.raises(FieldError, match=r"mention_offsets\[1\]: expected an integer"):
        build(Later, {"id": "a", "mention_offsets": [1, "x"]})


def test_lone_surrogate_is_replaced_with_a_note(tmp_path, caplog):
    article = tmp_path / "a.jsonl"
    article.write_text(json.dumps({"title": "t", "text": "The United States struck the PMF. \ud800 x",
                                   "published": "2024-01-07"}) + "\n", encoding="utf-8")
    for args in (["articles", str(article)], ["load", str(article), "--store", f"sqlite:///{tmp_path / 'g.db'}"]):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert "a.jsonl:1: text: lone surrogate replaced by U+FFFD" in result.stderr + caplog.text  # a warning
        caplog.clear()


def test_a_date_off_the_calendar_leaves_the_date_as_reported():
    from graphkit.extract.dates import resolve

    assert resolve("on Sunday", date(1, 1, 1)) is None
    assert resolve("last month", date(1, 1, 1)) is None
    assert resolve("tomorrow", date(9999, 12, 31)) is None
    assert resolve("yesterday", date(2024, 1, 2)).value == date(2024, 1, 1)


def test_ancient_publication_date_is_dropped_with_a_note(tmp_path):
    article = tmp_path / "a.jsonl"
    article.write_text(json.dumps({"title": "t", "text": "The United States struck the PMF on Sunday.",
                                   "published": "0001-01-01"}) + "\n", encoding="utf-8")
    result = run("load", str(article), "--store", f"sqlite:///{tmp_path / 'g.db'}")
    assert result.exit_code == 0, result.output
    assert "statements  added       1" in result.stdout


def test_one_failing_article_costs_only_itself(tmp_path, monkeypatch):
    from graphkit.extract import extractor as extract_pipeline

    real = extract_pipeline.Extractor.extract_article

    def flaky(self, article, *a, **kw):
        if "poison" in article.text:
            raise ValueError("boom")
        return real(self, article, *a, **kw)

    monkeypatch.setattr(extract_pipeline.Extractor, "extract_article", flaky)
    folder = tmp_path / "arts"
    folder.mkdir()
    (folder / "a.txt").write_text("The United States struck the PMF on Sunday.\n", encoding="utf-8")
    (folder / "b.txt").write_text("poison. The United States struck the PMF on Monday.\n", encoding="utf-8")
    result = run("load", str(folder), "--store", f"sqlite:///{tmp_path / 'g.db'}")
    assert result.exit_code == 2
    assert "b.txt: extraction failed (ValueError: boom)" in result.stderr
    assert "statements  added       1" in result.stdout
    extracted = run("extract", str(folder), "--format", "jsonl")
    assert extracted.exit_code == 2 and len(extracted.stdout.splitlines()) == 1


# -- file-level problems -----------------------------------------------------------------------

@pytest.fixture()
def bad_files(tmp_path):
    files = {}
    files["directory"] = tmp_path / "adir.jsonl"
    files["directory"].mkdir()
    files["fifo"] = tmp_path / "pipe.jsonl"
    os.mkfifo(files["fifo"])
    files["loop"] = tmp_path / "loop.jsonl"
    os.symlink(files["loop"], files["loop"])
    files["device"] = "/dev/zero"
    corrupt = tmp_path / "corrupt.zip"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x00" * 40 + b"garbage" * 50)
    files["corrupt zip"] = corrupt
    truncated = tmp_path / "truncated.zip"
    with zipfile.ZipFile(truncated, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("events.csv", "x" * 100_000)
    data = bytearray(truncated.read_bytes())
    data[60:200] = b"\x00" * 140  # the deflate stream: a CRC/decompression error mid-read
    truncated.write_bytes(bytes(data))
    files["damaged member"] = truncated
    encrypted = tmp_path / "encrypted.zip"
    with zipfile.ZipFile(encrypted, "w") as zf:
        zf.writestr("events.csv", "a,b\n")
    raw = bytearray(encrypted.read_bytes())
    raw[6] |= 0x1  # the local header's "encrypted" flag
    cd = raw.find(b"PK\x01\x02")
    raw[cd + 8] |= 0x1  # and the central directory's
    encrypted.write_bytes(bytes(raw))
    files["encrypted zip"] = encrypted
    return files


@pytest.mark.parametrize("command", [
    ["load", "{f}", "--store", "sqlite:///{tmp}/g.db"],
    ["import", "gdelt", "{f}", "--store", "sqlite:///{tmp}/g.db"],
    ["import", "acled", "{f}", "--store", "sqlite:///{tmp}/g.db"],
    ["tension", "series", "--from", "{f}"],
    ["render", "--from", "{f}", "-o", "{tmp}/g.html"],
    ["articles", "{f}"],
])
def test_file_problems_are_one_line_and_never_hang(tmp_path, bad_files, command):
    for kind, path in bad_files.items():
        if kind == "directory" and command[0] == "articles":
            continue  # a folder of articles is a legitimate input there
        args = [a.replace("{f}", str(path)).replace("{tmp}", str(tmp_path)) for a in command]
        result = run(*args)
        assert result.exit_code in (1, 2), (kind, args, result.output)
        errors = [line for line in result.stderr.splitlines()
                  if "error" in line.lower() or "skipped" in line]  # click's own "Error: ... is a directory" too
        assert errors, (kind, args, result.output)
        assert "Traceback" not in result.output


def test_acled_oversized_field_costs_its_row_only(tmp_path):
    header = ("event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,inter1,actor2,inter2,"
              "country,admin1,location,latitude,longitude,source,notes,fatalities")
    row = ("IRQ{n},2024-01-0{d},2024,1,Battles,Armed clash,Military Forces of Iraq (2022-),State forces,"
           "Islamic State (Iraq),Rebel group,Iraq,Anbar,Ramadi,33.4,43.3,Src,{notes},0")
    rows = [row.format(n=i, d=1 + i % 9, notes="n") for i in range(13)]
    rows[4] = row.format(n=4, d=5, notes='"' + "x" * (17 * 2**20) + '"')  # over the 16 MB CSV field limit
    path = tmp_path / "acled.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = run("import", "acled", str(path), "--store", f"sqlite:///{tmp_path / 'g.db'}", "--format", "json")
    assert result.exit_code == 2
    assert f"{path}:6: unreadable CSV record (field larger than field limit" in result.stderr
    outcome = {r["outcome"]: r["rows"] for r in json.loads(result.stdout)}
    assert outcome["imported"] == 12 and outcome["total rows"] == 13


# -- stores ------------------------------------------------------------------------------------

def test_store_files_that_are_not_stores_are_refused(tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    foreign = tmp_path / "foreign.db"
    foreign.write_bytes(b"not sqlite at all" * 10)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    for path, reason in ((empty, "0-byte"), (foreign, "not a SQLite database"), (other, "not a graphkit store"),
                         (tmp_path, "is a directory")):
        for args in (["load", "-"], ["query", "top_dyads"]):
            result = run(*args, "--store", f"sqlite:///{path}", input="")
            assert result.exit_code == 4, (path, result.output)
            assert reason in result.stderr
    assert empty.read_bytes() == b""  # untouched


def test_newer_store_is_refused_older_migrated(tmp_path):
    from graphkit.store.sqlite import SCHEMA_VERSION

    db = tmp_path / "g.db"
    assert run("load", "-", "--store", f"sqlite:///{db}", input=json.dumps(good(1)) + "\n").exit_code == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    result = run("query", "top_dyads", "--store", f"sqlite:///{db}")
    assert result.exit_code == 4 and "written by a newer graphkit" in result.stderr
    with sqlite3.connect(db) as conn:  # an old store: version 0, no own_mention column
        conn.execute("PRAGMA user_version=0")
        conn.execute("DROP INDEX statements_article")
        conn.execute("ALTER TABLE statements DROP COLUMN own_mention")
    result = run("query", "top_dyads", "--store", f"sqlite:///{db}", "--param", "order=hostile")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_locked_store_is_one_line_naming_the_other_process(tmp_path):
    db = tmp_path / "g.db"
    assert run("load", "-", "--store", f"sqlite:///{db}", input=json.dumps(good(1)) + "\n").exit_code == 0
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        result = run("load", "-", "--store", f"sqlite:///{db}?timeout=0.2", input=json.dumps(good(2)) + "\n")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 4, result.output
    assert "another process holds the store (waited 0.2 s" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_failing_bulk_load_reports_the_first_error_once(tmp_path, monkeypatch):
    """A full disk during the load: one line, exit 4; the checkpoint in bulk()'s finally fails too
    and must not replace the error that stopped the load."""
    from graphkit.store import sqlite as store_sqlite

    class FullDisk:
        def __init__(self, conn):
            self._conn = conn

        def __getattr__(self, name):
            return getattr(self._conn, name)

        def _check(self, sql):
            if sql.lstrip().upper().startswith("INSERT") or "wal_checkpoint" in sql:
                raise sqlite3.OperationalError("database or disk is full")

        def execute(self, sql, *args):
            self._check(sql)
            return self._conn.execute(sql, *args)

        def executemany(self, sql, *args):
            self._check(sql)
            return self._conn.executemany(sql, *args)

    real_connect = store_sqlite.SqliteStore._connect

    def connect(self, path):
        real_connect(self, path)
        self.conn = FullDisk(self.conn)

    monkeypatch.setattr(store_sqlite.SqliteStore, "_connect", connect)
    uri = f"sqlite:///{tmp_path / 'g.db'}"
    result = run("load", "-", "--store", uri, input=json.dumps(good(1)) + "\n")
    assert result.exit_code == 4
    assert result.stderr.strip().splitlines() == [
        f"graphkit: error: {uri}: the disk is full; nothing of the failed batch was written, free space and "
        "run the same command again"]


def test_read_only_store_is_readable(tmp_path, monkeypatch):
    db = tmp_path / "g.db"
    assert run("load", "-", "--store", f"sqlite:///{db}", input=json.dumps(good(1)) + "\n").exit_code == 0
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode == os.W_OK else real_access(p, mode))
    before = sorted(os.listdir(tmp_path))
    result = run("query", "top_dyads", "--store", f"sqlite:///{db}", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["statements"] == 1
    assert sorted(os.listdir(tmp_path)) == before  # no -wal / -shm created beside it


def test_outputs_are_written_whole_or_not_at_all(tmp_path, monkeypatch):
    from graphkit import outputs

    src = tmp_path / "st.jsonl"
    src.write_text(json.dumps(good(1)) + "\n", encoding="utf-8")
    target = tmp_path / "g.html"
    target.write_text("previous page", encoding="utf-8")

    def full(*a, **kw):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.os, "replace", full)
    result = run("render", "--from", str(src), "-o", str(target))
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert target.read_text(encoding="utf-8") == "previous page"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left


def test_output_in_a_missing_folder_is_one_line(tmp_path):
    src = tmp_path / "st.jsonl"
    src.write_text(json.dumps(good(1)) + "\n", encoding="utf-8")
    for command in (["render", "-o"], ["tension", "series", "--chart"]):
        out = tmp_path / "no" / "such" / ("g.html" if command[0] == "render" else "c.png")
        result = run(*command, str(out), "--from", str(src))
        # render makes the folders it needs; otherwise one line naming the folder
        assert (result.exit_code == 0 and out.exists()) or (result.exit_code == 1 and
                                                          result.stderr.count("\n") == 1), result.output


# -- secrets -----------------------------------------------------------------------------------

PASSWORDS = ["S3cr/t#pa?ss", "p@ss:w0rd@@x", "plain-password-123", "%2Fenc%40oded", "sp ace"]
URIS = ["bolt://neo4j:{pw}@127.0.0.1:1", "neo4j://neo4j:{pw}@127.0.0.1:notaport", "sqlite://u:{pw}@x/y.db",
        "bolt+s://neo4j:{pw}@[::1", "neo4j+ssc://{pw}@h", "http://u:{pw}@h", "bolt://neo4j:{pw}@h:99999999/db?x=1"]


@pytest.mark.parametrize("password", PASSWORDS)
def test_redaction_never_leaks(password):
    from graphkit.store import redact

    for uri in URIS:
        shown = redact(uri.format(pw=password))
        assert password not in shown and "***" in shown, shown


@pytest.mark.parametrize("verbosity", [[], ["-v"], ["-vv"]])
def test_no_output_holds_the_password(tmp_path, verbosity, monkeypatch):
    password = "S3cr/t#pa?ss@word"
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    for uri in URIS:
        for args in (["query", "top_dyads"], ["load", "-"], ["tension", "series"], ["query", "--cypher", "RETURN 1"]):
            result = run(*verbosity, *args, "--store", uri.format(pw=password), input="")
            assert result.exit_code != 0
            assert password not in result.output, (uri, args, result.output)
            assert "Traceback" not in result.output


def test_initial_password_never_on_a_command_line(tmp_path, monkeypatch):
    from graphkit.server import local

    seen = {}

    def fake_run(cmd, **kw):
        seen["cmd"] = cmd
        argfile = [a for a in cmd if a.startswith("@")][0][1:]
        seen["argfile"] = open(argfile, encoding="utf-8").read()
        seen["mode"] = os.stat(argfile).st_mode & 0o777

        class Done:
            returncode = 0
        return Done()

    monkeypatch.setattr(local.subprocess, "run", fake_run)
    home = local.ServerHome(tmp_path)
    local.set_initial_password(home, 'Zq"9\\wX')
    assert not any("Zq" in a for a in seen["cmd"])
    assert seen["argfile"].strip() == 'org.neo4j.cli.AdminTool dbms set-initial-password "Zq\\"9\\\\wX"'
    assert seen["mode"] == 0o600
    assert not list(tmp_path.glob(".graphkit-admin-*"))  # deleted after use


# -- read mode on the real server ---------------------------------------------------------------

@pytest.mark.neo4j
def test_read_mode_refuses_admin_commands_against_another_client(neo4j_uri, neo4j_driver):
    """A second client holds an open write transaction; read-mode --cypher can neither terminate
    it nor kill its connection, and its work commits. With --write the same commands do act."""
    from graphkit.store.neo4j import admin_command

    assert admin_command("MATCH (n) WHERE n.x = 'TERMINATE TRANSACTIONS' RETURN n") is None
    other = neo4j_driver.session()
    tx = other.begin_transaction()
    tx.run("CREATE (:Probe {id: 'other-client'})").consume()
    with neo4j_driver.session() as s:
        mine = [r for r in s.run("SHOW TRANSACTIONS YIELD transactionId, currentQuery, connectionId "
                                 "RETURN transactionId, currentQuery, connectionId")]
    other_tx = next(r for r in mine if "SHOW TRANSACTIONS" not in (r["currentQuery"] or ""))
    store = ["--store", neo4j_uri]
    payloads = [f"TERMINATE TRANSACTIONS '{other_tx['transactionId']}'",
                f"CALL dbms.killConnections(['{other_tx['connectionId']}'])",
                f"CALL dbms.killConnection('{other_tx['connectionId']}')",
                "CALL db.clearQueryCaches()",
                "CREATE (:Intruder)",
                "MATCH (p:Probe) SET p.x = 1"]
    for text in payloads:
        result = run("query", "--cypher", text, *store)
        assert result.exit_code == 4, (text, result.output)  # the store refused it
        assert len(result.stderr.strip().splitlines()) == 1 and "--write" in result.stderr, result.stderr
    tx.commit()  # still alive: nothing was terminated, the connection was not killed
    other.close()
    with neo4j_driver.session() as s:
        assert s.run("MATCH (p:Probe {id: 'other-client'}) RETURN count(p) AS n").single()["n"] == 1
        assert s.run("MATCH (i:Intruder) RETURN count(i) AS n").single()["n"] == 0
    assert run("query", "--cypher", "MATCH (p:Probe) RETURN p.id AS id", *store).exit_code == 0

    # The refusal is what protects it: with --write, TERMINATE does end the other client's transaction.
    other = neo4j_driver.session()
    tx = other.begin_transaction()
    tx.run("CREATE (:Probe {id: 'second'})").consume()
    with neo4j_driver.session() as s:
        victim = next(r["transactionId"] for r in s.run(
            "SHOW TRANSACTIONS YIELD transactionId, currentQuery RETURN transactionId, currentQuery")
            if "SHOW TRANSACTIONS" not in (r["currentQuery"] or ""))
    assert run("query", "--cypher", f"TERMINATE TRANSACTIONS '{victim}'", "--write", *store).exit_code == 0
    with pytest.raises(Exception):  # noqa: B017 - the driver's error class depends on the server's message
        tx.commit()
    other.close()


def test_max_size_caps_every_reader(tmp_path):
    big = tmp_path / "big.jsonl"
    big.write_text("\n".join(json.dumps(good(i)) for i in range(2000)) + "\n", encoding="utf-8")
    store = f"sqlite:///{tmp_path / 'g.db'}"
    result = run("load", str(big), "--store", store, "--max-size", "0.01")
    assert result.exit_code == 2 and "file too large" in result.stderr and "--max-size" in result.stderr
    events = tmp_path / "events.CSV"
    events.write_text("x\t" * 60 + "x\n" * 3000, encoding="utf-8")
    result = run("import", "gdelt", str(events), "--store", store, "--max-size", "0.001")
    assert result.exit_code == 2 and "file too large" in result.stderr


def test_gdelt_row_with_a_huge_actor_code_costs_that_row_only(tmp_path):
    from graphkit.importers import gdelt

    row = ["1001", "20240105", "202401", "2024", "2024.0137"] + [""] * 56
    cols = gdelt._INDEX[61]  # GDELT 2.0 column positions
    row[cols["Actor1Code"]], row[cols["Actor2Code"]] = "USA", "IRQ"
    row[cols["EventCode"]], row[cols["EventRootCode"]] = "190", "19"
    row[cols["QuadClass"]], row[cols["GoldsteinScale"]], row[cols["NumMentions"]] = "4", "-10", "1"
    long_row = list(row)
    long_row[0], long_row[cols["Actor1Code"]] = "1002", "A" * 20_000
    early = list(row)
    early[0], early[cols["SQLDATE"]] = "1003", "18500101"
    path = tmp_path / "events.CSV"
    path.write_text("\n".join("\t".join(r) for r in (row, long_row, early)) + "\n", encoding="utf-8")
    result = run("import", "gdelt", str(path), "--store", f"sqlite:///{tmp_path / 'g.db'}", "--format", "json")
    assert result.exit_code == 2, result.output
    assert f"{path}:2: " in result.stderr and "20,000 characters" in result.stderr
    assert f"{path}:3: date: 1850-01-01 is outside 1900-2100" in result.stderr
    outcome = {r["outcome"]: r["rows"] for r in json.loads(result.stdout)}
    assert outcome["imported"] == 1 and outcome["total rows"] == 3
