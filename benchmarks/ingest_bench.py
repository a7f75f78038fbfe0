"""How fast graphkit reads articles: files per second and MB per second by format.

    python benchmarks/ingest_bench.py [--copies N]

Makes N copies of each sample article (data/articles/) with a distinguishing sentence so
no two are duplicates, in a temporary directory, then times read_paths over each format.
Not run by the test suite.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphkit.ingest import body_text, read_paths  # noqa: E402
from graphkit.paths import data_dir  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=200)
    args = parser.parse_args()
    samples = data_dir() / "articles"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for kind in ("txt", "html", "jsonl", "csv"):
            (root / kind).mkdir()
        txt = [p for p in samples.glob("*.txt")]
        html = next(samples.glob("*.html")).read_text(encoding="utf-8")
        articles = read_paths([str(samples)]).articles
        for i in range(args.copies):
            extra = f"Officials said update number {i} followed."
            for p in txt:
                (root / "txt" / f"{i}_{p.name}").write_text(p.read_text(encoding="utf-8") + "\n\n" + extra)
            (root / "html" / f"{i}.html").write_text(html.replace("</article>", f"<p>{extra}</p></article>"))
        with open(root / "jsonl" / "all.jsonl", "w", encoding="utf-8") as out:
            for i in range(args.copies):
                for a in articles:
                    out.write(json.dumps({"title": a.title, "outlet": a.outlet, "published": str(a.published),
                                          "text": body_text(a) + f" Update {i}."}) + "\n")
        with open(root / "csv" / "all.csv", "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["title", "outlet", "published", "text"])
            for i in range(args.copies):
                for a in articles:
                    writer.writerow([a.title, a.outlet, a.published, body_text(a) + f" Update {i}."])
        print(f"{'format':6} {'articles':>8} {'MB':>6} {'seconds':>8} {'articles/s':>10} {'MB/s':>6}")
        for kind in ("txt", "html", "jsonl", "csv"):
            folder = root / kind
            size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
            start = time.perf_counter()
            result = read_paths([str(folder)])
            seconds = time.perf_counter() - start
            assert not result.problems, result.problems[:3]
            n = len(result.articles)
            print(f"{kind:6} {n:8d} {size:6.1f} {seconds:8.2f} {n / seconds:10.0f} {size / seconds:6.2f}")


if __name__ == "__main__":
    main()
