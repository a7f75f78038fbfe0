"""The hardening matrix: every command x every kind of bad input and fault, each run as its own
`graphkit` process with a timeout. Counts tracebacks, hangs, runs, and checks that every bad
record of the mixed files is reported as FILE:LINE while every good one is stored.

    python benchmarks/hardening_matrix.py              # prints the counts; exit 1 on any traceback/hang
    python benchmarks/hardening_matrix.py --jobs 2 -v  # each run's command and outcome

Not part of the test suite (some hundred processes); tests/test_hardening.py and
tests/test_fuzz.py test the same behaviour in-process.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GK = str(Path(sys.executable).with_name("graphkit"))
TIMEOUT = 120  # seconds: a run longer than this is a hang
GDELT_SAMPLE = ROOT.parent / "shared" / "formats" / "gdelt" / "20191024143000.export.CSV"
ACLED_SAMPLE = ROOT / "tests" / "data" / "acled_sample.csv"
PASSWORD = "Mx9/q#u?e@ry pw"


def statement(n: int) -> dict:
    return {"id": f"st_m{n:05d}", "source": {"id": "USA", "name": "United States", "kind": "state", "country": "USA"},
            "target": {"id": "IRQ.PMF", "name": "Popular Mobilization Forces", "kind": "militia", "country": "IRQ"},
            "type": "ASSAULT", "cameo": "190", "quad_class": 4, "goldstein": -10.0, "date": f"2024-01-{1 + n % 28:02d}",
            "date_precision": "day", "modality": "asserted", "article_id": f"art{n}", "sentence": "s",
            "char_start": 0, "char_end": 1, "rule": "r", "confidence": 0.9, "mentions": 1, "dataset": "graphkit",
            "evidence": [], "extra": {}}


# One bad statement line per kind: (label, line).
def bad_statement_lines() -> list[tuple[str, bytes]]:
    g = statement(99_999)
    out = []
    for label, obj in [
        ("source.id a list", {**g, "source": {**g["source"], "id": ["x"]}}),
        ("numeric id", {**g, "id": 5}),
        ("goldstein text", {**g, "goldstein": "high"}),
        ("quad_class huge", {**g, "quad_class": 2**80}),
        ("date 0001", {**g, "date": "0001-01-01"}),
        ("date garbage", {**g, "date": "yesterday"}),
        ("evidence wrong", {**g, "evidence": [{"article_id": 3}]}),
        ("target text", {**g, "target": "IRQ"}),
        ("20,000-char actor id", {**g, "source": {**g["source"], "id": "A" * 20_000}}),
        ("missing type", {k: v for k, v in g.items() if k != "type"}),
        ("unknown type", {**g, "type": "EXPLODE"}),
        ("unknown kind", {**g, "source": {**g["source"], "kind": "alien"}}),
        ("confidence NaN", {**g, "confidence": float("nan")}),
    ]:
        out.append((label, json.dumps(obj).encode()))
    out += [("deep nesting", b"[" * 100_000 + b"]" * 100_000), ("5,000-digit number", b'{"id": ' + b"9" * 5000 + b"}"),
            ("truncated JSON", b'{"id": "x"'), ("a list", b"[1, 2]"), ("non-UTF-8 byte", b'{"id": "\xff\xfe"}'),
            ("NUL bytes", b"\x00\x00\x00")]
    return out


@dataclass
class Tally:
    runs: int = 0
    tracebacks: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    bad_records: int = 0
    bad_reported: int = 0
    good_records: int = 0
    good_stored: int = 0
    leaks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def gk(args: list[str], stdin: bytes | None = None, env: dict | None = None) -> tuple[int | None, str, str]:
    try:
        proc = subprocess.run([GK, *args], input=stdin, capture_output=True, timeout=TIMEOUT,
                              env={**os.environ, **(env or {})}, stdin=None if stdin is not None else subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, "", ""
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def make_fixtures(d: Path) -> dict[str, Path | str]:
    f: dict[str, Path | str] = {}
    (d / "dir.jsonl").mkdir()
    f["directory"] = d / "dir.jsonl"
    os.mkfifo(d / "fifo.jsonl")
    f["FIFO"] = d / "fifo.jsonl"
    os.symlink(d / "loop.jsonl", d / "loop.jsonl")
    f["symlink loop"] = d / "loop.jsonl"
    f["/dev/zero"] = "/dev/zero"
    f["missing file"] = d / "nope.jsonl"
    (d / "empty.jsonl").write_bytes(b"")
    f["empty file"] = d / "empty.jsonl"
    (d / "binary.jsonl").write_bytes(os.urandom(4096))
    f["binary file"] = d / "binary.jsonl"
    corrupt = d / "corrupt.zip"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x00" * 40 + b"garbage" * 50)
    f["corrupt zip"] = corrupt
    damaged = d / "damaged.zip"
    with zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.csv", "x" * 100_000)
    data = bytearray(damaged.read_bytes())
    data[60:200] = b"\x00" * 140
    damaged.write_bytes(bytes(data))
    f["damaged zip member"] = damaged
    enc = d / "encrypted.zip"
    with zipfile.ZipFile(enc, "w") as zf:
        zf.writestr("a.csv", "a,b\n")
    raw = bytearray(enc.read_bytes())
    raw[6] |= 1
    raw[raw.find(b"PK\x01\x02") + 8] |= 1
    enc.write_bytes(bytes(raw))
    f["encrypted zip"] = enc
    bz = d / "bzip.zip"
    with zipfile.ZipFile(bz, "w", zipfile.ZIP_BZIP2) as zf:
        zf.writestr("a.csv", "a,b\n")
    raw = bytearray(bz.read_bytes())
    raw[8] = 99  # compression method 99 (AES): unsupported
    raw[raw.find(b"PK\x01\x02") + 10] = 99
    bz.write_bytes(bytes(raw))
    f["unsupported zip"] = bz
    noperm = d / "noperm.jsonl"
    noperm.write_text("{}\n")
    noperm.chmod(0)
    f["no permission"] = noperm
    return f


def run_matrix(jobs: int, verbose: bool) -> Tally:
    t = Tally()
    tmp = Path(tempfile.mkdtemp(prefix="gk-matrix-"))
    fixtures = make_fixtures(tmp)

    # The mixed statement file: good and bad lines interleaved.
    bad = bad_statement_lines()
    lines: list[bytes] = []
    bad_at: dict[int, str] = {}
    n_good = 0
    for label, line in bad:
        lines.append(line)
        bad_at[len(lines)] = label
        for _ in range(3):
            lines.append(json.dumps(statement(n_good)).encode())
            n_good += 1
    mixed = tmp / "mixed.jsonl"
    mixed.write_bytes(b"\n".join(lines) + b"\n")

    # Article records: good ones and bad ones.
    arts = tmp / "articles.jsonl"
    art_lines = [
        json.dumps({"title": "a", "text": "The United States struck the PMF on Sunday.", "published": "2024-01-07"}),
        json.dumps({"title": "b", "text": 12345}),
        json.dumps({"title": "c", "text": "The United States struck the PMF. \ud800 lone", "published": "2024-01-08"}),
        "[1, 2]",
        json.dumps({"title": "d", "text": "Iran condemned the United States on Sunday.", "published": "0001-01-01"}),
        json.dumps({"title": "e"}),
        "[" * 50_000 + "]" * 50_000,
        json.dumps({"title": "f", "text": "Turkey met Iraq on Monday.", "published": "9999-12-31"}),
    ]
    arts.write_text("\n".join(art_lines) + "\n", encoding="utf-8", errors="surrogatepass")
    art_bad_lines = {2, 4, 6, 7}

    # GDELT: sample rows with bad ones between.
    gdelt = tmp / "gdelt.CSV"
    good_rows = GDELT_SAMPLE.read_text(encoding="utf-8").splitlines()[:30] if GDELT_SAMPLE.exists() else []
    g_lines = []
    for i, row in enumerate(good_rows):
        g_lines.append(row)
        if i % 10 == 0:
            cols = row.split("\t")
            g_lines.append("\t".join(["x" * 5000] + cols[1:]))  # non-numeric id
            g_lines.append("\t".join(cols[:5] + ["A" * 20_000] + cols[6:]))  # a 20,000-char actor code
            g_lines.append("only\tthree\tcolumns")
    gdelt.write_text("\n".join(g_lines) + "\n", encoding="utf-8")

    # ACLED: the sample with one oversized field row.
    acled = tmp / "acled.csv"
    sample = ACLED_SAMPLE.read_text(encoding="utf-8").splitlines()
    header, rows = sample[0], sample[1:]
    cols = header.split(",")
    over = ["BIG1"] + ["x"] * (len(cols) - 1)
    over[cols.index("notes")] = '"' + "y" * (17 * 2**20) + '"'
    acled.write_text("\n".join([header, *rows[:3], ",".join(over), *rows[3:]]) + "\n", encoding="utf-8")

    # Stores: good, 0-byte, foreign, newer schema, a directory, locked.
    good_db = tmp / "good.db"
    gk(["load", str(mixed), "--store", f"sqlite:///{good_db}"])
    stores = {"0-byte store": tmp / "zero.db", "foreign file store": tmp / "foreign.db", "other SQLite db": tmp / "other.db",
              "newer store": tmp / "newer.db", "directory store": tmp / "dirstore"}
    stores["0-byte store"].write_bytes(b"")
    stores["foreign file store"].write_bytes(b"hello" * 100)
    with sqlite3.connect(stores["other SQLite db"]) as c:
        c.execute("CREATE TABLE invoices (id)")
    stores["newer store"].write_bytes(good_db.read_bytes())
    with sqlite3.connect(stores["newer store"]) as c:
        c.execute("PRAGMA user_version=99")
    stores["directory store"].mkdir()

    runs: list[tuple[str, list[str], bytes | None, dict | None]] = []
    readers = {
        "load": lambda p: ["load", p, "--store", f"sqlite:///{tmp}/l.db"],
        "tension --from": lambda p: ["tension", "--from", p],
        "balance --from": lambda p: ["balance", "--from", p],
        "render --from": lambda p: ["render", "--from", p, "-o", f"{tmp}/r.html"],
        "report --from": lambda p: ["report", "--from", p, "-o", f"{tmp}/rep"],
        "map --from": lambda p: ["map", "--from", p, "-o", f"{tmp}/m.html"],
        "actors --unresolved --from": lambda p: ["actors", "--unresolved", "--from", p],
        "articles": lambda p: ["articles", p],
        "extract": lambda p: ["extract", p, "--format", "jsonl"],
        "import gdelt": lambda p: ["import", "gdelt", p, "--store", f"sqlite:///{tmp}/i.db"],
        "import acled": lambda p: ["import", "acled", p, "--store", f"sqlite:///{tmp}/i.db"],
        "import phoenix": lambda p: ["import", "phoenix", p, "--registry-out", f"{tmp}/ph.json"],
    }
    for cmd, make in readers.items():
        for kind, path in fixtures.items():
            runs.append((f"{cmd} x {kind}", make(str(path)), None, None))
    for kind, path in fixtures.items():
        if kind not in ("FIFO", "directory", "symlink loop", "/dev/zero", "missing file"):
            runs.append((f"load - x {kind}", ["load", "-", "--store", f"sqlite:///{tmp}/s.db"],
                         Path(path).read_bytes() if os.access(path, os.R_OK) else b"", None))
    for cmd in ("query top_dyads", "tension", "render", "map", "load -"):
        for kind, path in stores.items():
            args = cmd.split() + ["--store", f"sqlite:///{path}"]
            if cmd in ("render", "map"):
                args += ["-o", f"{tmp}/s.html"]
            runs.append((f"{cmd} x {kind}", args, b"" if cmd == "load -" else None, None))
    for label, args in [("--rolling -3", ["tension", "--rolling", "-3"]), ("--top -1", ["tension", "--alerts", "--top", "-1"]),
                        ("huge limit", ["query", "top_dyads", "--param", "limit=" + "9" * 30]),
                        ("negative limit", ["query", "top_dyads", "--param", "limit=-5"]),
                        ("huge hops", ["query", "ego_network", "--param", "actor=USA", "--param", "hops=99999999"]),
                        ("bad date param", ["query", "top_dyads", "--param", "since=0001-13-45"]),
                        ("render into a missing folder", ["render", "-o", f"{tmp}/no/such/x.html"]),
                        ("report into /proc", ["report", "-o", "/proc/nope/rep"]),
                        ("chart into a missing folder", ["tension", "--dyad", "USA,IRQ.PMF", "--chart", f"{tmp}/no/x.png"]),
                        ("since 0001", ["tension", "--since", "0001-01-01"]), ("batch size 0", ["load", "-", "--batch-size", "0"])]:
        runs.append((f"option {label}", [*args, "--store", f"sqlite:///{good_db}"], b"", None))
    # Credentials: every URI shape x commands, the password in the environment too.
    uris = ["bolt://neo4j:{pw}@127.0.0.1:1", "neo4j://neo4j:{pw}@127.0.0.1:notaport", "sqlite://u:{pw}@x/y.db",
            "bolt+s://neo4j:{pw}@[::1", "neo4j+ssc://{pw}@h", "http://u:{pw}@h", "bolt://neo4j:{pw}@h:99999999/db?x=1",
            "{pw}", "bolt://127.0.0.1:1"]
    for uri in uris:
        for v in ([], ["-v"], ["-vv"]):
            for cmd in (["query", "top_dyads"], ["load", "-"], ["tension"], ["query", "--cypher", "RETURN 1"]):
                runs.append((f"secret {uri} {' '.join(v)} {cmd[0]}", [*v, *cmd, "--store", uri.format(pw=PASSWORD)], b"",
                             {"NEO4J_PASSWORD": PASSWORD}))

    def one(item):
        label, args, stdin, env = item
        code, out, err = gk(args, stdin, env)
        return label, args, code, out, err

    with ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(one, runs))
    for label, _args, code, out, err in results:
        t.runs += 1
        if code is None:
            t.hangs.append(label)
        elif "Traceback (most recent call last)" in out + err:
            t.tracebacks.append(label)
        if label.startswith("secret") and PASSWORD in out + err:
            t.leaks.append(label)
        if verbose:
            print(f"{'HANG' if code is None else code:>4}  {label}  {err.strip().splitlines()[-1][:120] if err.strip() else ''}")

    # Record accounting on the mixed files: every bad one reported with file:line, every good one stored.
    for how, args, stdin, name in [("file", ["load", str(mixed)], None, str(mixed)),
                                   ("stdin", ["load", "-"], mixed.read_bytes(), "<stdin>")]:
        db = tmp / f"acc-{how}.db"
        code, out, err = gk([*args, "--store", f"sqlite:///{db}"], stdin)
        t.runs += 1
        t.bad_records += len(bad_at)
        t.bad_reported += sum(f"{name}:{line}: " in err for line in bad_at)
        t.good_records += n_good
        with sqlite3.connect(db) as c:
            t.good_stored += c.execute("SELECT count(*) FROM statements").fetchone()[0]
        if code != 2:
            t.problems.append(f"load {how}: exit {code}, expected 2")
    for cmd in (["tension"], ["render", "-o", f"{tmp}/acc.html"], ["map", "-o", f"{tmp}/acc-map.html"],
                ["report", "-o", f"{tmp}/acc-rep"], ["balance"]):
        code, out, err = gk([*cmd, "--from", str(mixed)])
        t.runs += 1
        t.bad_records += len(bad_at)
        t.bad_reported += sum(f"{mixed}:{line}: " in err for line in bad_at)
        if code != 2:
            t.problems.append(f"{cmd[0]} --from: exit {code}, expected 2")
    code, out, err = gk(["load", str(arts), "--store", f"sqlite:///{tmp}/arts.db"])
    t.runs += 1
    t.bad_records += len(art_bad_lines)
    t.bad_reported += sum(f"{arts}:{line}: " in err for line in art_bad_lines)
    t.good_records += 4
    with sqlite3.connect(tmp / "arts.db") as c:
        t.good_stored += c.execute("SELECT count(*) FROM articles").fetchone()[0]
    for imp, path in (("gdelt", gdelt), ("acled", acled)):
        code, out, err = gk(["import", imp, str(path), "--store", f"sqlite:///{tmp}/imp-{imp}.db", "--format", "json"])
        t.runs += 1
        if imp == "acled":  # records, not lines: a quoted field may span lines
            csv.field_size_limit(2**31 - 1)
            with open(path, encoding="utf-8", newline="") as fh:
                data_rows = sum(1 for _ in csv.reader(fh)) - 1
        else:
            data_rows = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        try:
            outcome = {r["outcome"]: r["rows"] for r in json.loads(out)}
        except ValueError:
            t.problems.append(f"import {imp}: no JSON summary (exit {code})")
            continue
        if outcome.get("total rows") != data_rows:
            t.problems.append(f"import {imp}: {outcome.get('total rows')} rows accounted of {data_rows}")
        malformed = outcome.get("malformed (reported above)", 0)
        t.bad_records += malformed
        t.bad_reported += sum(1 for line in err.splitlines() if f"{path}:" in line)
        t.good_records += outcome.get("imported", 0)
        with sqlite3.connect(tmp / f"imp-{imp}.db") as c:
            t.good_stored += c.execute("SELECT count(*) FROM statements").fetchone()[0]
    return t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    t = run_matrix(args.jobs, args.verbose)
    print(f"runs {t.runs}   tracebacks {len(t.tracebacks)}   hangs {len(t.hangs)}   password leaks {len(t.leaks)}")
    print(f"bad records reported with file:line {t.bad_reported} of {t.bad_records}   "
          f"good records stored {t.good_stored} of {t.good_records}")
    for what, items in (("traceback", t.tracebacks), ("hang", t.hangs), ("leak", t.leaks), ("problem", t.problems)):
        for item in items:
            print(f"  {what}: {item}")
    return 1 if t.tracebacks or t.hangs or t.leaks or t.problems or t.bad_reported != t.bad_records else 0


if __name__ == "__main__":
    sys.exit(main())
