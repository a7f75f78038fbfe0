"""CPU of `graphkit load` against `graphkit extract` on the same articles (the anchor).

    python benchmarks/bench_load_extract.py [--articles 750] [--rounds 3]

Writes N synthetic news articles (the sentences of bench_extract.py, ten to an article) as one JSONL
file, then runs, alternately and as separate processes, `graphkit extract FILE` (output thrown away)
and `graphkit load FILE` into a fresh embedded store. Storing is a small part of a load, so the
load should cost what extraction costs: prints each round's CPU seconds (user + system of the
child) and the median ratio load / extract.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_extract import build_sentences  # noqa: E402
from cpu import child_cpu  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=750)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    gk = str(Path(sys.executable).with_name("graphkit"))
    sentences = build_sentences(args.articles * 10, None)
    with tempfile.TemporaryDirectory() as d:
        corpus = os.path.join(d, "articles.jsonl")
        with open(corpus, "w", encoding="utf-8") as out:
            for k in range(args.articles):
                out.write(json.dumps({"id": f"a{k}", "published": "2023-12-06", "title": f"Report {k}",
                                      "text": "\n\n".join(sentences[k * 10:(k + 1) * 10])}) + "\n")
        ratios = []
        for r in range(args.rounds):
            t_extract = child_cpu([gk, "extract", corpus, "--format", "jsonl"])
            db = os.path.join(d, f"g{r}.db")
            t_load = child_cpu([gk, "load", corpus, "--store", f"sqlite:///{db}"])
            ratios.append(t_load / t_extract)
            print(f"round {r + 1}: extract {t_extract:6.2f} CPU s   load {t_load:6.2f} CPU s   "
                  f"ratio {t_load / t_extract:.2f}")
    print(f"{args.articles} articles: load / extract CPU, median of {args.rounds}: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
