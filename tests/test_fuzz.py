"""Property-based fuzzing of every input boundary, driving the CLI in-process (click's CliRunner).

Each property: whatever the input, the command ends with a documented exit code, never with an
exception (a traceback), and every record is accounted for.  Settings are fixed (derandomize,
bounded examples) so the suite is deterministic and takes about a minute.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sqlite3
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.cli.main import cli

FUZZ = settings(derandomize=True, max_examples=40, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def invoke(args, input=None):
    result = CliRunner().invoke(cli, [str(a) for a in args], input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback from {args}: {result.exception!r}") from result.exception
    assert "Traceback (most recent call last)" not in result.output
    return result


GOOD = {"id": "st_0001", "source": {"id": "USA", "name": "United States", "kind": "state", "country": "USA"},
        "target": {"id": "IRQ.PMF", "name": "PMF", "kind": "militia", "country": "IRQ"}, "type": "ASSAULT",
        "cameo": "190", "quad_class": 4, "goldstein": -10.0, "date": "2024-01-05", "date_precision": "day",
        "modality": "asserted", "article_id": "a1", "sentence": "s", "char_start": 0, "char_end": 1, "rule": "r",
        "confidence": 0.9, "mentions": 1, "dataset": "graphkit", "evidence": [], "extra": {}}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
    | st.sampled_from(["\ud800", "0001-01-01", "9999-12-31", "2024-02-30", "A" * 2000, "", "USA"])
    | st.integers(min_value=10**30, max_value=10**40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)


@st.composite
def statement_lines(draw) -> str:
    """A statement line: a good one with some fields replaced, dropped or nested wrongly, or raw text."""
    kind = draw(st.sampled_from(["mutated", "mutated", "mutated", "raw", "deep"]))
    if kind == "raw":
        return draw(st.text(max_size=80).map(lambda s: s.replace("\n", " ")))
    if kind == "deep":
        n = draw(st.integers(1, 200_000))
        return "[" * n + "]" * n
    obj = json.loads(json.dumps(GOOD))
    obj["id"] = f"st_{draw(st.integers(0, 10**6))}"
    for key in draw(st.lists(st.sampled_from(sorted(GOOD) + ["source.id", "target.kind", "evidence.0"]),
                             max_size=3)):
        action = draw(st.sampled_from(["replace", "drop"]))
        if key == "evidence.0":
            obj["evidence"] = [draw(st.dictionaries(st.sampled_from(["article_id", "sentence", "char_start",
                                                                     "char_end", "rule", "confidence"]),
                                                    json_values, max_size=6))]
        elif "." in key:
            outer, inner = key.split(".")
            if action == "drop":
                obj[outer].pop(inner, None)
            else:
                obj[outer][inner] = draw(json_values)
        elif action == "drop":
            obj.pop(key, None)
        else:
            obj[key] = draw(json_values)
    return json.dumps(obj)


@FUZZ
@given(st.lists(statement_lines(), min_size=1, max_size=6))
def test_fuzz_statement_jsonl_load_stdin(lines):
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "g.db"
        data = "\n".join(lines) + "\n"
        result = invoke(["load", "-", "--store", f"sqlite:///{db}"], input=data.encode("utf-8", "surrogatepass"))
        assert result.exit_code in (0, 2), result.output
        non_blank = sum(1 for line in lines if line.strip())
        skipped = sum(1 for line in result.stderr.splitlines() if line.startswith("graphkit: skipped: <stdin>:"))
        with sqlite3.connect(db) as conn:
            stored_ids = {r[0] for r in conn.execute("SELECT id FROM statements")}
        # every line is a stored statement or a reported one (lines sharing an id store once)
        assert skipped <= non_blank
        assert len(stored_ids) <= non_blank - skipped
        assert (result.exit_code == 2) == (skipped > 0)


@FUZZ
@given(st.lists(statement_lines(), min_size=1, max_size=5), st.sampled_from(["tension series", "render", "balance"]))
def test_fuzz_statement_jsonl_from(lines, command):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "st.jsonl"
        path.write_bytes(("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))
        args = [*command.split(), "--from", path] + (["-o", Path(d) / "g.html"] if command == "render" else [])
        result = invoke(args)
        assert result.exit_code in (0, 2), result.output


article_records = st.dictionaries(
    st.sampled_from(["text", "title", "published", "url", "outlet", "id", "body", "date"]),
    json_values | st.sampled_from(["The United States struck the PMF on Sunday. \ud800", "0001-01-01",
                                   "Sunday", "2024-01-07T10:00:00Z"]),
    max_size=6)


@FUZZ
@given(st.lists(article_records | json_values, min_size=1, max_size=5))
def test_fuzz_article_records(records):
    data = "\n".join(json.dumps(r) for r in records) + "\n"
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "a.jsonl"
        path.write_bytes(data.encode("utf-8", "surrogatepass"))
        result = invoke(["articles", path, "--format", "json"])
        assert result.exit_code in (0, 2), result.output


gdelt_cell = st.text(alphabet=st.characters(blacklist_characters="\t\n\r", blacklist_categories=["Cs"]), max_size=12)


@FUZZ
@given(st.lists(st.lists(gdelt_cell, min_size=55, max_size=62), min_size=1, max_size=5), st.data())
def test_fuzz_gdelt_rows_are_accounted(rows, data):
    for row in rows:  # some plausible rows, so the deeper checks run too
        if len(row) == 61 and data.draw(st.booleans()):
            row[0] = str(data.draw(st.integers(0, 10**20)))
            row[1] = data.draw(st.sampled_from(["20240105", "00010101", "99999999", "2024"]))
            row[26] = data.draw(st.sampled_from(["190", "010", "abc", ""]))
            row[5] = data.draw(st.sampled_from(["USA", "", "A" * 3000]))
            row[15] = data.draw(st.sampled_from(["IRQ", ""]))
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "events.CSV"
        path.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
        result = invoke(["import", "gdelt", path, "--store", f"sqlite:///{Path(d) / 'g.db'}", "--format", "json"])
        assert result.exit_code in (0, 2), result.output
        outcome = {r["outcome"]: r["rows"] for r in json.loads(result.stdout)}
        assert outcome["total rows"] == sum(1 for r in rows if "".join(r).strip())


ACLED_COLUMNS = ["event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "inter1",
                 "actor2", "inter2", "country", "admin1", "location", "latitude", "longitude", "notes", "fatalities"]


@FUZZ
@given(st.lists(st.fixed_dictionaries({c: st.text(max_size=10).filter(lambda s: "\x00" not in s)
                                       | st.sampled_from(["Battles", "Armed clash", "2024-01-05", "1", "x" * 50])
                                       for c in ACLED_COLUMNS}), min_size=1, max_size=5))
def test_fuzz_acled_rows_are_accounted(rows):
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "acled.csv"
        path.write_text(buf.getvalue(), encoding="utf-8", errors="replace")
        result = invoke(["import", "acled", path, "--dry-run", "--format", "json"])
        assert result.exit_code in (0, 2), result.output
        outcome = {r["outcome"]: r["rows"] for r in json.loads(result.stdout)}
        assert outcome["total rows"] == len(list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))))


_STORE = {}


def _store() -> str:
    """One small store for the option fuzzing (built once)."""
    if "uri" not in _STORE:
        d = Path(tempfile.mkdtemp(prefix="gk-fuzz-"))
        lines = [json.dumps({**GOOD, "id": f"st_{i}", "date": f"2024-{1 + i % 12:02d}-05"}) for i in range(30)]
        invoke(["load", "-", "--store", f"sqlite:///{d / 'g.db'}"], input="\n".join(lines) + "\n")
        _STORE["uri"], _STORE["dir"] = f"sqlite:///{d / 'g.db'}", d
    return _STORE["uri"]


option_values = st.one_of(st.integers(-10**20, 10**20).map(str), st.text(max_size=12),
                          st.sampled_from(["-3", "0", "1", "9" * 40, "2024-01-01", "0001-01-01", "nan", "USA,IRQ.PMF"]))


@FUZZ
@given(st.sampled_from([
    ["tension", "series", "--rolling"], ["tension", "alerts", "--top"], ["tension", "series", "--since"], ["tension", "series", "--until"],
    ["tension", "series", "--dyad"], ["tension", "series", "--freq"], ["balance", "--since"], ["render", "--hops"], ["render", "--focus"],
    ["query", "top_dyads", "--param", "limit="], ["query", "top_dyads", "--param", "since="],
    ["query", "ego_network", "--param", "actor=USA", "--param", "hops="],
    ["query", "dyad_timeline", "--param", "a=USA", "--param", "b="], ["load", "-", "--batch-size"],
]), option_values)
def test_fuzz_option_values(command, value):
    uri = _store()
    args = list(command)
    if args[-1].endswith("="):
        args[-1] += value
    else:
        args.append(value)
    if args[0] == "render":
        args += ["-o", _STORE["dir"] / "r.html"]
    result = invoke([*args, "--store", uri], input="")
    assert result.exit_code in (0, 1, 2), result.output


@FUZZ
@given(st.sampled_from(["tension series --chart", "render -o", "report -o"]),
       st.sampled_from(["missing/folder", "/proc/nope", "/dev/null", "", "."]),
       st.text(alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=["Cs"]), max_size=8))
def test_fuzz_output_paths(command, folder, name):
    """Odd output paths: one line or a page, never a traceback. Run inside a throw-away working
    directory: relative paths (and the folders render makes) must land nowhere else."""
    uri = _store()
    *cmd, opt = command.split()
    target = f"{folder}/{name}" if folder else name
    with tempfile.TemporaryDirectory(dir=_STORE["dir"]) as work, contextlib.chdir(work):
        args = [*cmd, opt, target] + (["--dyad", "USA,IRQ.PMF"] if cmd[0] == "tension" else [])
        result = invoke([*args, "--store", uri])
    assert result.exit_code in (0, 1, 2), result.output


PASSWORD = "Fz/9#x?y@pw"


@FUZZ
@given(st.sampled_from(["bolt", "neo4j", "bolt+s", "neo4j+ssc", "sqlite", "http", "", "bolt:"]),
       st.sampled_from(["", "neo4j:", "u:"]), st.sampled_from(["127.0.0.1:1", "h:notaport", "[::1", "h:99999999", ""]),
       st.text(alphabet="/#?@:%[] ", max_size=4), st.sampled_from([[], ["-v"], ["-vv"]]))
def test_fuzz_store_uris_never_leak(scheme, user, host, junk, verbosity):
    uri = f"{scheme}://{user}{PASSWORD}{junk}@{host}" if scheme else f"{user}{PASSWORD}@{host}{junk}"
    for env in ({"NEO4J_PASSWORD": PASSWORD}, {"NEO4J_PASSWORD": None}):  # known to graphkit, or only in the URI
        runner = CliRunner(env=env)
        for args in (["query", "top_dyads"], ["load", "-"]):
            result = runner.invoke(cli, [*verbosity, *args, "--store", uri], input="")
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                raise AssertionError(f"traceback for {uri}: {result.exception!r}") from result.exception
            assert result.exit_code in (1, 2, 4), (uri, result.output)
            assert PASSWORD not in result.output, (uri, result.output)
