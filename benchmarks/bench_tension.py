"""`graphkit tension series --format csv` against a plain sqlite3 + pandas groupby making the same rows.

    python benchmarks/bench_tension.py [--sizes 100000,300000,1000000] [--rounds 3] [--dir DIR]

For each size, a synthetic embedded store (benchmarks/synth.py: 500 actors, five years, one article
per 20 statements; built once into DIR and reused) is read by
  * the anchor: a plain script (sqlite3 + pandas, below) that selects the counted statements, orders
    each pair by id, groups by pair and month and writes the same columns as `graphkit tension`
    (names, q1..q4, Goldstein sum and mean, conflict share, distinct articles and datasets, ...) with
    to_csv;
  * `graphkit tension series --store sqlite:///DB --format csv --fill none` (the same rows);
the two take turns, each a fresh process; CPU seconds (user + system) and peak RSS come from the
child's own rusage (benchmarks/cpu.py), since the machine is shared. The rows are checked equal.
At the largest size it also runs the default invocation, `graphkit tension series --format csv`
(zero periods inside each dyad's active span), and `graphkit tension` as typed (a table), and reports
their peak RSS.
Targets (issue 19): CPU and peak memory <= 1.5x the anchor's; the default invocation at 1M under 2 GB.

    python benchmarks/bench_tension.py --shards 1000000,10000000 [--pandas-up-to 1000000] [--retold 0.3]

Parquet shards instead (issue 21): synthetic statements written as shards with the schema of
graphkit.shards (built once into DIR, one part file per million), then `graphkit tension series
--from DIR --format csv --fill none` aggregated by DuckDB; the anchor, at the sizes up to
--pandas-up-to, is the same command with --engine pandas (the shards read into memory), and the
rows are checked equal. Prints wall and CPU seconds (DuckDB runs threads: CPU exceeds wall) and
peak RSS. The target: 10M statements within this machine's 24 GiB. With --retold, that share of rows
tell an earlier row's event again (the same day, or its week), so both engines merge and fold them:
the cost of counting events, not reports.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from cpu import child_usage  # noqa: E402

GRAPHKIT = str(Path(sys.executable).parent / "graphkit")

COLUMNS = ["source", "source_name", "target", "target_name", "period", "statements", "events", "q1", "q2", "q3",
           "q4", "goldstein_sum", "goldstein_mean", "conflict_share", "net_cooperation", "articles", "datasets",
           "killed", "injured", "dyad"]


def anchor(db: str, out: str) -> None:
    """What a user would write by hand: one SELECT, one groupby, to_csv."""
    import sqlite3

    import numpy as np
    import pandas as pd

    conn = sqlite3.connect(db)
    df = pd.read_sql_query(
        "SELECT source, target, date, quad_class, goldstein, article_id, dataset, killed, injured FROM statements "
        "WHERE date IS NOT NULL AND modality NOT IN ('negated', 'hypothetical', 'planned')", conn)
    names = dict(conn.execute("SELECT id, name FROM actors").fetchall())
    swap = (df["source"] > df["target"]).to_numpy()
    q = df["quad_class"].to_numpy()
    work = pd.DataFrame({
        "source": np.where(swap, df["target"], df["source"]), "target": np.where(swap, df["source"], df["target"]),
        "period": pd.to_datetime(df["date"].str.slice(0, 10)).dt.to_period("M").dt.start_time.dt.date,
        "q1": q == 1, "q2": q == 2, "q3": q == 3, "q4": q == 4, "goldstein": df["goldstein"],
        "article_id": df["article_id"], "dataset": df["dataset"], "killed": df["killed"].fillna(0),
        "injured": df["injured"].fillna(0)})
    g = work.groupby(["source", "target", "period"], sort=True).agg(
        statements=("q1", "size"), q1=("q1", "sum"), q2=("q2", "sum"), q3=("q3", "sum"), q4=("q4", "sum"),
        goldstein_sum=("goldstein", "sum"), goldstein_mean=("goldstein", "mean"),
        articles=("article_id", "nunique"), datasets=("dataset", "nunique"), killed=("killed", "sum"),
        injured=("injured", "sum")).reset_index()
    coop, conflict = g["q1"] + g["q2"], g["q3"] + g["q4"]
    g["events"] = g["statements"].astype(float)
    for c in ("q1", "q2", "q3", "q4"):
        g[c] = g[c].astype(float)
    g["conflict_share"] = conflict / (coop + conflict)
    g["net_cooperation"] = (coop - conflict).astype(float)
    g["source_name"] = g["source"].map(names)
    g["target_name"] = g["target"].map(names)
    g["dyad"] = g["source_name"] + "\u2013" + g["target_name"]
    g[["killed", "injured"]] = g[["killed", "injured"]].astype(int)
    g = g.round(4)
    g[COLUMNS].to_csv(out, index=False)


def build_store(n: int, folder: Path) -> Path:
    db = folder / f"tension-{n}.db"
    if db.exists():
        return db
    import synth

    from graphkit.model import LoadBatch
    from graphkit.store.sqlite import SqliteStore

    t0 = time.perf_counter()
    articles, statements = synth.statements(n)
    by_id = {a.id: a for a in articles}
    tmp = folder / f"tension-{n}.db.part"
    tmp.unlink(missing_ok=True)
    store = SqliteStore(f"sqlite:///{tmp}")
    with store.bulk():
        for i in range(0, n, 20_000):
            chunk = statements[i:i + 20_000]
            store.write(LoadBatch(articles=[by_id[x] for x in sorted({s.article_id for s in chunk})],
                                  actors=synth.actors() if i == 0 else [], statements=chunk))
    store.close()
    tmp.rename(db)
    print(f"  built {db} ({n:,} statements) in {time.perf_counter() - t0:.0f}s", flush=True)
    return db


def build_shards(n: int, folder: Path, per_file: int = 1_000_000, retold: float = 0.0) -> Path:
    """n synthetic statements as Parquet shards (the columns synth.py fills; the rest null or empty),
    written column by column with pyarrow: ten million Statement objects would not fit.

    retold: the share of rows that tell again an event of an earlier row (within the last thousand,
    from another article), as a wire story is retold by other outlets: two thirds with the same day
    (the same statement id: merged), one third as a report of that event's week (its own id: folded
    into the day, or left alone when the week holds two events of the dyad)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq
    import synth

    from graphkit import typology
    from graphkit.shards import schema

    out = folder / (f"shards-{n}" + (f"-retold{retold:g}" if retold else ""))
    if out.exists():
        return out
    t0 = time.perf_counter()
    tmp = out.with_name(out.name + ".part")
    tmp.mkdir(parents=True, exist_ok=True)
    sch = schema()
    people = synth.actors()
    refs = {name: pa.array([getattr(a, name) for a in people]) for name in ("id", "name", "kind", "country")}
    types = list(typology.types().values())
    type_cols = {"type": pa.array([t.name for t in types]), "cameo": pa.array([t.cameo for t in types]),
                 "quad_class": pa.array([t.quad_class for t in types], pa.int64()),
                 "goldstein": pa.array([t.goldstein for t in types], pa.float64())}
    rng = np.random.default_rng(7)
    for part, start in enumerate(range(0, n, per_file)):
        m = min(per_file, n - start)
        src = rng.integers(0, len(people), m)
        tgt = (src + rng.integers(1, len(people), m)) % len(people)  # never the source itself
        index = np.arange(start, start + m)
        ids = np.char.add("s", index.astype(str)).astype(object)
        kind = rng.integers(0, len(types), m)
        days = (np.datetime64("2020-01-01") + rng.integers(0, 1800, m)).astype("datetime64[D]")
        precision = np.full(m, "day", dtype=object)
        if retold:
            again = np.flatnonzero(rng.random(m) < retold)
            again = again[again > 0]
            told = np.maximum(again - rng.integers(1, 1000, len(again)), 0)
            for arr in (src, tgt, kind, days, ids):
                arr[again] = arr[told]
            week = again[rng.random(len(again)) < 1 / 3]
            precision[week] = "week"
            ids[week] = np.char.add("w", index[week].astype(str)).astype(object)
            weekday = (days[week].astype("datetime64[D]").astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
            days[week] = days[week] - weekday.astype("timedelta64[D]")
        cols = {
            "id": pa.array(ids),
            "source": pa.StructArray.from_arrays([refs[k].take(pa.array(src)) for k in refs], list(refs)),
            "target": pa.StructArray.from_arrays([refs[k].take(pa.array(tgt)) for k in refs], list(refs)),
            **{k: v.take(pa.array(kind)) for k, v in type_cols.items()},
            "date": pa.array(days),
            "date_precision": pa.array(precision, pa.string()), "modality": pa.array(["asserted"] * m),
            "article_id": pa.array(np.char.add("art", (index // 20).astype(str)).astype(object)),
            "mentions": pa.array(np.ones(m, dtype=np.int64)), "dataset": pa.array(["graphkit"] * m),
            "confidence": pa.array(np.full(m, 0.8)), "killed_at_least": pa.array(np.zeros(m, dtype=bool)),
            "injured_at_least": pa.array(np.zeros(m, dtype=bool)),
            "evidence": pa.ListArray.from_arrays(pa.array(np.zeros(m + 1, dtype=np.int32)),
                                                 pa.array([], type=sch.field("evidence").type.value_type)),
        }
        arrays = [cols[f.name].cast(f.type) if f.name in cols else pa.nulls(m, f.type) for f in sch]
        pq.write_table(pa.Table.from_arrays(arrays, schema=sch), tmp / f"part-{part:05d}.parquet")
    tmp.rename(out)
    size = sum(f.stat().st_size for f in out.iterdir()) / 2**20
    print(f"  wrote {n:,} statements as {len(list(out.iterdir()))} Parquet shards ({size:.0f} MiB) in "
          f"{time.perf_counter() - t0:.0f}s", flush=True)
    return out


def bench_shards(sizes: list[int], folder: Path, pandas_up_to: int, retold: float = 0.0) -> None:
    print("graphkit tension series --from SHARDS --format csv --fill none: DuckDB (and the pandas engine as the "
          f"anchor); wall s, CPU s (user+sys), peak RSS of the child process; {retold:.0%} of rows retold")
    for n in sizes:
        shards = build_shards(n, folder, retold=retold)
        cmd = [GRAPHKIT, "tension", "series", "--from", str(shards), "--format", "csv", "--fill", "none"]
        figures = {}
        for engine in (["duckdb", "pandas"] if n <= pandas_up_to else ["duckdb"]):
            t0 = time.perf_counter()
            with open(folder / f"shards-{engine}.csv", "w") as out:
                cpu, rss = child_usage([*cmd, "--engine", engine], stdout=out)
            figures[engine] = (time.perf_counter() - t0, cpu, rss)
        with open(folder / "shards-duckdb.csv") as fh:
            rows = sum(1 for _ in fh) - 1
        wall, cpu, rss = figures["duckdb"]
        line = (f"{n:>11,} statements, {rows:,} rows: DuckDB {wall:.1f}s wall, {cpu:.1f}s CPU, peak RSS {rss:.0f} MiB "
                f"({rss / 1024:.2f} GiB)")
        if "pandas" in figures:
            import filecmp

            same = filecmp.cmp(folder / "shards-duckdb.csv", folder / "shards-pandas.csv", shallow=False)
            pw, pc, pr = figures["pandas"]
            line += (f"; pandas engine {pw:.1f}s wall, {pc:.1f}s CPU, {pr:.0f} MiB -> DuckDB/pandas wall "
                     f"{wall / pw:.2f}x, CPU {cpu / pc:.2f}x, RSS {rss / pr:.2f}x; rows {'identical' if same else 'DIFFER'}")
            assert same, "the engines disagree"
        print(line, flush=True)


def same_rows(ours: Path, theirs: Path) -> int:
    import numpy as np
    import pandas as pd

    a = pd.read_csv(ours, dtype={"source": str, "target": str}, keep_default_na=False, na_values=[""])
    b = pd.read_csv(theirs, dtype={"source": str, "target": str}, keep_default_na=False, na_values=[""])
    assert list(a.columns) == COLUMNS, list(a.columns)
    key = ["source", "target", "period"]
    a, b = a.sort_values(key).reset_index(drop=True), b.sort_values(key).reset_index(drop=True)
    assert len(a) == len(b), (len(a), len(b))
    for c in COLUMNS:
        if a[c].dtype.kind == "f" or b[c].dtype.kind == "f":
            assert np.allclose(a[c].to_numpy(float), b[c].to_numpy(float), atol=1e-4, equal_nan=True), c
        else:
            assert (a[c].astype(str) == b[c].astype(str)).all(), c
    return len(a)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "anchor":
        return anchor(sys.argv[2], sys.argv[3])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,300000,1000000")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--dir", default="/tmp/graphkit-bench-tension")
    ap.add_argument("--shards", default=None, metavar="N,N", help="benchmark Parquet shards of these sizes instead")
    ap.add_argument("--pandas-up-to", type=int, default=1_000_000)
    ap.add_argument("--retold", type=float, default=0.0, metavar="SHARE",
                    help="with --shards: this share of rows retell an earlier row's event (merged or folded)")
    args = ap.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    if args.shards:
        return bench_shards([int(x) for x in args.shards.split(",")], folder, args.pandas_up_to, args.retold)
    sizes = [int(x) for x in args.sizes.split(",")]
    print(f"graphkit tension series --format csv --fill none vs sqlite3 + pandas groupby; {args.rounds} rounds, "
          "CPU s (user+sys) and peak RSS of each child process")
    for n in sizes:
        db = build_store(n, folder)
        runs = {"anchor": [sys.executable, __file__, "anchor", str(db), str(folder / "anchor.csv")],
                "graphkit": [GRAPHKIT, "tension", "series", "--store", f"sqlite:///{db}", "--format", "csv",
                             "--fill", "none"]}
        cpu = {k: [] for k in runs}
        rss = {k: [] for k in runs}
        for _ in range(args.rounds):
            for name, cmd in runs.items():
                if name == "graphkit":
                    with open(folder / "graphkit.csv", "w") as out:
                        c, m = child_usage(cmd, stdout=out)
                else:
                    c, m = child_usage(cmd)
                cpu[name].append(c)
                rss[name].append(m)
        rows = same_rows(folder / "graphkit.csv", folder / "anchor.csv")
        ratios = [g / a for g, a in zip(cpu["graphkit"], cpu["anchor"], strict=True)]
        mc = {k: statistics.median(v) for k, v in cpu.items()}
        mm = {k: max(v) for k, v in rss.items()}
        print(f"{n:>9,} statements, {rows:,} rows (equal): CPU anchor {mc['anchor']:.2f}s, graphkit "
              f"{mc['graphkit']:.2f}s -> {mc['graphkit'] / mc['anchor']:.2f}x (per round "
              f"{', '.join(f'{r:.2f}' for r in ratios)}); peak RSS anchor {mm['anchor']:.0f} MiB, graphkit "
              f"{mm['graphkit']:.0f} MiB -> {mm['graphkit'] / mm['anchor']:.2f}x", flush=True)
    n, db = sizes[-1], folder / f"tension-{sizes[-1]}.db"
    with open(folder / "default.csv", "w") as out:
        c, m = child_usage([GRAPHKIT, "tension", "series", "--store", f"sqlite:///{db}", "--format", "csv"],
                           stdout=out)
    with open(folder / "default.csv") as fh:
        rows = sum(1 for _ in fh) - 1
    print(f"default invocation (tension series --format csv, zero periods inside each dyad's span) at {n:,}: "
          f"{rows:,} rows, CPU {c:.2f}s, peak RSS {m:.0f} MiB ({m / 1024:.2f} GiB; target < 2 GB)", flush=True)
    c, m = child_usage([GRAPHKIT, "tension", "--store", f"sqlite:///{db}"])
    print(f"default invocation as typed (`graphkit tension`, a table: the first 10,000 rows, deprecated flag form) "
          f"at {n:,}: CPU {c:.2f}s, peak RSS {m:.0f} MiB ({m / 1024:.2f} GiB; target < 2 GB)")


if __name__ == "__main__":
    main()
