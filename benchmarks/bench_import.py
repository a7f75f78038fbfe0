"""Benchmark: import N GDELT 2.0 rows (the shared sample repeated with new GLOBALEVENTIDs).

    python benchmarks/bench_import.py --rows 1000000                       # parse + map only
    python benchmarks/bench_import.py --rows 1000000 --store sqlite:///tmp/bench.db \\
        --store bolt://127.0.0.1:7692

Prints rows/s (file rows read) and statements/s (rows that became statements) per target, and the
peak RSS so streaming (constant memory) can be checked.  Not part of the test suite.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphkit.errors import GraphkitError  # noqa: E402
from graphkit.importers import gdelt  # noqa: E402
from graphkit.importers.common import ImportReport, RegistryView  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "formats" / "gdelt" / "20191024143000.export.CSV"


def generate(path: Path, rows: int) -> None:
    """The sample's rows over and over, each copy with fresh GLOBALEVENTIDs (so nothing dedupes)."""
    lines = [ln.split("\t", 1)[1] for ln in SAMPLE.read_text(encoding="utf-8").splitlines() if ln.strip()]
    with open(path, "w", encoding="utf-8") as out:
        for i in range(rows):
            out.write(f"{1_000_000_000 + i}\t{lines[i % len(lines)]}\n")


def run(path: Path, store_uri: str | None, batch_size: int) -> dict:
    from graphkit.store import open_store, redact

    registry = RegistryView.default()
    report = ImportReport()
    start = time.perf_counter()
    if store_uri is None:
        for batch, errors in gdelt.iter_batches(path, registry, batch_size):
            report.imported += len(batch.statements)
            report.account(errors)
    else:
        with open_store(store_uri) as store:
            store.ensure_schema()
            for batch, errors in gdelt.iter_batches(path, registry, batch_size):
                report.imported += len(batch.statements)
                report.account(errors)
                store.write(batch)
    seconds = time.perf_counter() - start
    return {"target": redact(store_uri) if store_uri else "parse+map (no store)", "rows": report.accounted,
            "statements": report.imported, "seconds": round(seconds, 1),
            "rows_per_s": round(report.accounted / seconds), "statements_per_s": round(report.imported / seconds)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--store", action="append", default=[], help="store URI to write into (repeatable)")
    ap.add_argument("--batch-size", type=int, default=5000)
    ap.add_argument("--skip-parse-only", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.export.CSV"
        t = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f}s",
              flush=True)
        targets = ([] if args.skip_parse_only else [None]) + args.store
        for uri in targets:
            try:
                result = run(path, uri, args.batch_size)
            except GraphkitError as err:
                print(f"{uri}: {err}", flush=True)
                continue
            print("  ".join(f"{k}={v}" for k, v in result.items()), flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:.0f} MB", flush=True)


if __name__ == "__main__":
    main()
