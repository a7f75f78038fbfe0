"""Scale figures: extraction on 1 and 2 local processes and on a 2-worker Dask LocalCluster, Parquet
shard writing and reading, and loading from shards against loading from statement JSONL.

    python benchmarks/bench_scale.py [--articles 1000] [--statements 10000,100000,1000000]

Extraction: N synthetic news articles (the sentences of bench_extract.py, ten to an article); the
anchor is `--workers 1` in the same run, and the statements of every mode must be identical.
Shards: synthetic statements (benchmarks/synth.py) written with graphkit.shards and read back, against
the same statements as JSONL (the anchor) in the same run. Load: the embedded store, fresh each time.
Prints wall seconds, rates, and ratios against the anchors. docs/scale.md derives its plan from these.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import synth  # noqa: E402
from bench_extract import as_articles, build_sentences  # noqa: E402

from graphkit.extract import Extractor, extract  # noqa: E402
from graphkit.extract.cluster import WorkerSetup, connect  # noqa: E402
from graphkit.serialize import statement_from_dict, statement_to_dict  # noqa: E402
from graphkit.shards import read_shards, write_shards  # noqa: E402


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def bench_extraction(n_articles: int) -> None:
    articles = as_articles(build_sentences(n_articles * 10, None))
    extractor = Extractor()
    extract(articles[:5], extractor=extractor)  # warm up the pipeline
    t1, one = timed(lambda: extract(articles, extractor=extractor, workers=1))
    t2, two = timed(lambda: extract(articles, extractor=extractor, workers=2))
    with connect("local:2") as client:
        extract(articles[:64], cluster=client, setup=WorkerSetup())  # workers load spaCy once
        tc, clu = timed(lambda: extract(articles, cluster=client, setup=WorkerSetup()))
    assert [s.id for s in one] == [s.id for s in two] == [s.id for s in clu], "a mode changed the statements"
    print(f"extraction, {n_articles} articles ({len(one)} statements):")
    for name, t in (("1 process (anchor)", t1), ("2 processes (fork)", t2), ("LocalCluster, 2 workers", tc)):
        print(f"  {name:<26} {t:7.2f} s  {n_articles / t:7.1f} articles/s  speed-up {t1 / t:4.2f}x")


def bench_shards(n: int, folder: str) -> None:
    _, statements = synth.statements(n)
    jsonl = os.path.join(folder, f"s{n}.jsonl")
    tw_j, _ = timed(lambda: open(jsonl, "w").writelines(json.dumps(statement_to_dict(s)) + "\n" for s in statements))
    tr_j, back_j = timed(lambda: [statement_from_dict(json.loads(line)) for line in open(jsonl)])
    shards = os.path.join(folder, f"shards{n}")
    tw_p, files = timed(lambda: write_shards(statements, shards))
    tr_p, back_p = timed(lambda: list(read_shards(shards)))
    assert back_p == back_j == statements
    size_j = os.path.getsize(jsonl) / 2**20
    size_p = sum(f.stat().st_size for f in files) / 2**20
    print(f"shards, {n} statements: JSONL {size_j:.1f} MiB, Parquet {size_p:.1f} MiB in {len(files)} file(s)")
    print(f"  write  JSONL {tw_j:6.2f} s  Parquet {tw_p:6.2f} s  ratio {tw_p / tw_j:4.2f}")
    print(f"  read   JSONL {tr_j:6.2f} s  Parquet {tr_p:6.2f} s  ratio {tr_p / tr_j:4.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--statements", default="10000,100000")
    args = ap.parse_args()
    bench_extraction(args.articles)
    with tempfile.TemporaryDirectory() as d:
        for n in (int(x) for x in args.statements.split(",") if x):
            bench_shards(n, d)


if __name__ == "__main__":
    main()
