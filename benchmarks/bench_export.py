"""`graphkit export csv|parquet --from SHARDS` (DuckDB streaming the flat table from Parquet statement
shards) against DuckDB copying the same shards as they are.

    python benchmarks/bench_export.py [--sizes 10000000] [--dir DIR]

The shards are benchmarks/bench_tension.py's synthetic ones (500 actors, five years; built once into
DIR and reused). For each size and format:
  * the anchor: a plain DuckDB script, COPY (SELECT * FROM read_parquet(shards)) TO FILE: the cost of
    reading and rewriting the files with no flattening (nested source/target/evidence kept);
  * `graphkit export FORMAT --from DIR -o FILE`: the flat table of docs/exports.md (54 columns: the
    actor structs flattened, evidence counted, article ids joined, JSON re-written).
Each is a fresh process; CPU seconds (user + system; DuckDB runs threads, so CPU can exceed wall) and
peak RSS are the child's own (benchmarks/cpu.py). The row counts are checked equal.
Target (issue 21): exports work beyond memory: peak RSS far below the statements' in-memory size.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_tension import build_shards  # noqa: E402
from cpu import child_usage  # noqa: E402

GRAPHKIT = str(Path(sys.executable).parent / "graphkit")

ANCHOR = """
import sys, duckdb
from pathlib import Path
files = sorted(str(p) for p in Path(sys.argv[1]).glob("*.parquet"))
fmt = "FORMAT CSV, HEADER" if sys.argv[3] == "csv" else "FORMAT PARQUET"
out = sys.argv[2].replace("'", "''")
duckdb.connect().execute(f"COPY (SELECT * FROM read_parquet($files)) TO '{out}' ({fmt})", {"files": files})
"""


def rows(path: Path, fmt: str) -> int:
    import duckdb

    reader = "read_csv" if fmt == "csv" else "read_parquet"
    return duckdb.connect().execute(f"SELECT count(*) FROM {reader}($p)", {"p": str(path)}).fetchone()[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000000", help="statement counts, comma-separated")
    ap.add_argument("--formats", default="csv,parquet")
    ap.add_argument("--dir", default=None, help="where the shards are built and kept (default: a temporary folder)")
    args = ap.parse_args()
    folder = Path(args.dir or tempfile.mkdtemp(prefix="graphkit-bench-export-"))
    folder.mkdir(parents=True, exist_ok=True)
    print("graphkit export FORMAT --from SHARDS vs DuckDB copying the shards as they are (the anchor); "
          "wall s, CPU s (user+sys), peak RSS of the child process", flush=True)
    for n in (int(x) for x in args.sizes.split(",")):
        shards = build_shards(n, folder)
        for fmt in args.formats.split(","):
            figures = {}
            for who, cmd in (("anchor", [sys.executable, "-c", ANCHOR, str(shards), str(folder / f"anchor.{fmt}"),
                                         fmt]),
                             ("graphkit", [GRAPHKIT, "export", fmt, "--from", str(shards), "-o",
                                           str(folder / f"graphkit.{fmt}")])):
                t0 = time.perf_counter()
                cpu, rss = child_usage(cmd)
                figures[who] = (time.perf_counter() - t0, cpu, rss)
            same = rows(folder / f"anchor.{fmt}", fmt) == rows(folder / f"graphkit.{fmt}", fmt) == n
            size = (folder / f"graphkit.{fmt}").stat().st_size / 2**20
            (aw, ac, ar), (gw, gc, gr) = figures["anchor"], figures["graphkit"]
            print(f"{n:>11,} statements -> {fmt} ({size:,.0f} MiB): graphkit {gw:.1f}s wall, {gc:.1f}s CPU, peak RSS "
                  f"{gr:.0f} MiB; anchor {aw:.1f}s wall, {ac:.1f}s CPU, {ar:.0f} MiB -> graphkit/anchor CPU "
                  f"{gc / ac:.2f}x, RSS {gr / ar:.2f}x; rows {'equal' if same else 'DIFFER'}", flush=True)
            assert same, "the row counts differ"
            for who in ("anchor", "graphkit"):
                (folder / f"{who}.{fmt}").unlink()


if __name__ == "__main__":
    main()
