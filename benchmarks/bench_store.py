"""Store load benchmark: graphkit's writers against Neo4j's own LOAD CSV, and the embedded store.

    python benchmarks/bench_store.py --neo4j bolt://127.0.0.1:7691 --import-dir /tmp/gk-n4j-7691/import --skip-sqlite
    python benchmarks/bench_store.py --skip-neo4j -n 100000        # embedded store only (5 runs, median)
    python benchmarks/bench_store.py --skip-sqlite -n 1000000 --neo4j bolt://127.0.0.1:7691 \
        --import-dir HOME/import --bulk-home HOME                    # also `graphkit load --bulk` (neo4j-admin)

Both Neo4j runs start from an empty database with the schema applied and MERGE the same
statements, mentions, articles and actors. Wall time and this process's CPU time are printed
(the machine may be shared; CPU time shows what graphkit itself costs).
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import actors as synth_actors  # noqa: E402
from benchmarks.synth import statements as synth_statements  # noqa: E402
from graphkit import cypher  # noqa: E402
from graphkit.model import LoadBatch  # noqa: E402
from graphkit.store.prepare import mention_id  # noqa: E402


def batches(articles, statements, size):
    by_id = {a.id: a for a in articles}
    for i in range(0, len(statements), size):
        chunk = statements[i:i + size]
        yield LoadBatch(articles=[by_id[x] for x in sorted({s.article_id for s in chunk})], statements=chunk)


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def bench_sqlite(articles, statements, size, repeat: int = 1) -> None:
    from graphkit.store.sqlite import SqliteStore

    n, first, again = len(statements), [], []
    work = list(batches(articles, statements, size))
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            store = SqliteStore(f"sqlite:///{tmp}/bench.db")

            def first_load(store=store):
                with store.bulk():  # what `graphkit load` does: indexes rebuilt once at the end
                    for b in work:
                        store.write(b)

            wall, cpu = timed(first_load)
            first.append(n / wall)
            print(f"embedded (SQLite file, WAL), batch {size}: {n} statements in {wall:.2f}s wall = {n / wall:,.0f}/s "
                  f"(CPU {cpu:.2f}s = {n / cpu:,.0f}/s); counts {store.counts()}")
            wall, cpu = timed(lambda store=store: [store.write(b) for b in work])
            again.append(n / wall)
            print(f"embedded re-load of the same batches (all present): {n / wall:,.0f}/s wall, {n / cpu:,.0f}/s CPU")
            store.close()
    if repeat > 1:
        print(f"embedded first load over {repeat} runs: median {statistics.median(first):,.0f}/s, "
              f"min {min(first):,.0f}/s, max {max(first):,.0f}/s (target >= 50,000/s); "
              f"re-load median {statistics.median(again):,.0f}/s")


def empty(driver) -> None:
    with driver.session() as session:
        # Relationships first: a DETACH DELETE of dense actor nodes overflows the transaction memory pool.
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS").consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()


def bench_graphkit_neo4j(uri, articles, statements, size) -> float:
    from graphkit.store.neo4j import Neo4jStore

    store = Neo4jStore(uri)
    empty(store.driver)
    store.ensure_schema()
    work = list(batches(articles, statements, size))

    def load():  # as `graphkit load` does: the next batch is prepared while the server writes this one
        pending = []
        for b in work:
            pending.append(store.write_async(b))
            while len(pending) > 1:
                pending.pop(0).result()
        for future in pending:
            future.result()

    wall, cpu = timed(load)
    n = len(statements)
    print(f"graphkit -> Neo4j, batch {size}: {n} statements in {wall:.1f}s = {n / wall:,.0f}/s "
          f"(client CPU {cpu:.1f}s); counts {store.counts()}")
    store.close()
    return wall


def write_csvs(import_dir: Path, articles, statements) -> dict[str, str]:
    import_dir.mkdir(parents=True, exist_ok=True)
    files = {}
    with open(import_dir / "bench_actors.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "kind", "country"])
        for a in synth_actors():
            w.writerow([a.id, a.name, a.kind, a.country])
    with open(import_dir / "bench_articles.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "title", "outlet", "published"])
        for a in articles:
            w.writerow([a.id, a.title, a.outlet, a.published.isoformat()])
    by_type = defaultdict(list)
    for s in statements:
        by_type[s.type].append(s)
    for type_, rows in by_type.items():
        name = f"bench_statements_{type_.lower()}.csv"
        with open(import_dir / name, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "source", "target", "date", "date_precision", "cameo", "quad_class", "goldstein",
                        "modality", "confidence", "rule", "mentions", "dataset", "sentence", "article_id",
                        "char_start", "char_end", "mention_id"])
            for s in rows:
                w.writerow([s.id, s.source.id, s.target.id, s.date.isoformat(), s.date_precision, s.cameo,
                            s.quad_class, s.goldstein, s.modality, s.confidence, s.rule, s.mentions, s.dataset,
                            s.sentence, s.article_id, s.char_start, s.char_end,
                            mention_id(s.id, s.article_id, s.char_start, s.char_end)])
        files[type_] = name
    return files


def bench_load_csv(uri, import_dir: Path, articles, statements) -> float:
    from graphkit.store.neo4j import Neo4jStore

    files = write_csvs(import_dir, articles, statements)
    store = Neo4jStore(uri)
    empty(store.driver)
    store.ensure_schema()
    driver = store.driver

    def run():
        with driver.session() as session:  # CALL {...} IN TRANSACTIONS needs an auto-commit transaction
            session.run(cypher.load("bench/csv_actors"), file="file:///bench_actors.csv").consume()
            session.run(cypher.load("bench/csv_articles"), file="file:///bench_articles.csv").consume()
            for type_, name in files.items():
                session.run(cypher.templated("bench/csv_statements", rel_type=type_), file=f"file:///{name}").consume()

    wall, _ = timed(run)
    n = len(statements)
    print(f"Neo4j LOAD CSV (IN TRANSACTIONS OF 5000 ROWS): {n} statements in {wall:.1f}s = {n / wall:,.0f}/s; "
          f"counts {store.counts()}")
    store.close()
    return wall


def bench_bulk(uri, home_dir: str, articles, statements) -> float:
    """`graphkit load --bulk` on an empty database: prepare, write the import files, stop the local
    server, neo4j-admin import, start it, schema and the after-import step (all of it timed)."""
    from graphkit.server.local import ServerHome
    from graphkit.store.neo4j import Neo4jStore
    from graphkit.store.neo4j_bulk import BulkSink

    store = Neo4jStore(uri)
    empty(store.driver)
    port = int(uri.rsplit(":", 1)[1])
    with tempfile.TemporaryDirectory(prefix="gk-bulk-") as folder:
        sink = BulkSink(store, home=ServerHome(Path(home_dir), port), folder=folder)
        wall, cpu = timed(lambda: sink.write(LoadBatch(articles=list(articles), actors=synth_actors(),
                                                        statements=list(statements))))
    n = len(statements)
    print(f"graphkit load --bulk (neo4j-admin, with server stop/start): {n} statements in {wall:.1f}s = "
          f"{n / wall:,.0f}/s (client CPU {cpu:.1f}s); counts {store.counts()}")
    print("  steps: " + ", ".join(f"{k} {v:.1f}s" for k, v in sink.timings.items())
          + f"; without the server's stop and start {wall - sink.timings['stop'] - sink.timings['start']:.1f}s")
    store.close()
    return wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=100_000, help="statements (default 100000)")
    ap.add_argument("--batch-size", type=int, default=5000)
    ap.add_argument("--neo4j", default=os.environ.get("GRAPHKIT_TEST_NEO4J_URI", "bolt://127.0.0.1:7691"))
    ap.add_argument("--import-dir", default="/tmp/gk-n4j-7691/import")
    ap.add_argument("--skip-neo4j", action="store_true")
    ap.add_argument("--skip-sqlite", action="store_true")
    ap.add_argument("--repeat", type=int, default=5, help="embedded-store runs (the median is the figure)")
    ap.add_argument("--rounds", type=int, default=3, help="alternate LOAD CSV and graphkit runs this many times")
    ap.add_argument("--bulk-home", metavar="DIR",
                    help="the local server's home (graphkit neo4j start --home): also time --bulk each round")
    ap.add_argument("--no-warmup", action="store_true",
                    help="skip the discarded warm-up of both Neo4j paths (the server's JIT compiles on first use)")
    args = ap.parse_args()
    articles, statements = synth_statements(args.n)
    print(f"{len(statements)} synthetic statements, {len(articles)} articles, 500 actors, 18 types")
    if not args.skip_sqlite:
        bench_sqlite(articles, statements, args.batch_size, args.repeat)
    if not args.skip_neo4j:
        if not args.no_warmup:  # a fresh server's first runs are slower for both paths; not counted
            few_articles, few = synth_statements(min(args.n, 20_000), seed=11)
            print("warm-up (not counted):")
            bench_load_csv(args.neo4j, Path(args.import_dir), few_articles, few)
            bench_graphkit_neo4j(args.neo4j, few_articles, few, args.batch_size)
        # Alternating runs: on a shared machine the load changes from minute to minute.
        ratios = []
        for i in range(args.rounds):
            print(f"round {i + 1}:")
            csv_wall = bench_load_csv(args.neo4j, Path(args.import_dir), articles, statements)
            gk_wall = bench_graphkit_neo4j(args.neo4j, articles, statements, args.batch_size)
            ratios.append(gk_wall / csv_wall)
            print(f"graphkit / LOAD CSV time ratio: {ratios[-1]:.2f}x")
            if args.bulk_home:
                bulk_wall = bench_bulk(args.neo4j, args.bulk_home, articles, statements)
                print(f"bulk / LOAD CSV time ratio: {bulk_wall / csv_wall:.2f}x; "
                      f"bulk / batched graphkit: {bulk_wall / gk_wall:.2f}x")
        print(f"ratio over {len(ratios)} rounds: median {statistics.median(ratios):.2f}x, "
              f"min {min(ratios):.2f}x, max {max(ratios):.2f}x (target <= 1.5x)")
        from graphkit.store.neo4j import Neo4jStore

        with Neo4jStore(args.neo4j) as store:
            empty(store.driver)  # the test fixture empties the database in one transaction: leave it small


if __name__ == "__main__":
    main()
