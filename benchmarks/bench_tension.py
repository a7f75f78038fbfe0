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
(zero periods inside each dyad's active span), and reports its peak RSS and rows.
Targets (issue 19): CPU and peak memory <= 1.5x the anchor's; the default invocation at 1M under 2 GB.
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
    args = ap.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
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
          f"{rows:,} rows, CPU {c:.2f}s, peak RSS {m:.0f} MiB ({m / 1024:.2f} GiB; target < 2 GB)")


if __name__ == "__main__":
    main()
