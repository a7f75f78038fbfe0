"""Extraction throughput against plain spaCy parsing over the same sentences.

    python benchmarks/bench_extract.py [--sentences 3000] [--workers 2] [--seed-file PATH]

Builds a few thousand news sentences (templated conflict/diplomacy sentences, sentences with no
event or no actor as real reporting has, plus the sentences of the seed article when it is found),
groups them ten to an article, and times:
  1. plain `nlp.pipe` over every sentence (the cost of parsing everything),
  2. graphkit extraction (prefilter, parse what is left, arguments, merge) with 1 process,
  3. the same with --workers processes.
Prints sentences/second and the ratio graphkit / nlp.pipe (> 1 means faster than parsing alone).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphkit.extract import Extractor, extract  # noqa: E402
from graphkit.extract.extractor import split_sentences  # noqa: E402
from graphkit.model import Article, Paragraph  # noqa: E402

ACTORS = ["Iran", "Israel", "the United States", "Hezbollah", "Hamas", "Turkey", "the PKK", "Iraqi security forces",
          "the Houthis", "Saudi Arabia", "Kataib Hezbollah", "the Iraqi government", "Russia", "Syria",
          "the Popular Mobilization Forces", "U.S. forces", "Turkish warplanes", "the Kurdistan Regional Government"]
PLACES = ["Kirkuk", "Baghdad", "Erbil", "Deir ez-Zor", "Sanaa", "Gaza", "Beirut", "Damascus", "Mosul", "Basra", "Aden"]
DAYS = ["on Sunday", "on Monday", "yesterday", "last week", "on December 3", "earlier this month", "on Tuesday"]
EVENTS = [
    "{a} launched a drone attack on {b} near {p} {d}.",
    "{a} struck positions of {b} in {p} {d}, killing five fighters.",
    "Five fighters were killed in an airstrike by {a} in {p} {d}.",
    "{a} accused {b} of supporting militants in {p}.",
    "Officials said {a} met {b} in {p} {d} to discuss a ceasefire.",
    "{a} warned {b} against further escalation.",
    "{a} and {b} clashed near {p} {d}.",
    "The rift between {a} and {b} deepened after the strike.",
    "{a} called on {b} to withdraw its forces from {p}.",
    "{a} arrested dozens of supporters of {b} in {p} {d}.",
    "Protesters rallied in {p} {d} against {b}.",
    "{a} imposed new sanctions on {b}.",
    "{a} rejected the proposal by {b}.",
    "{a} will continue to support {b}, a spokesman said.",
    "{a} deployed additional troops to {p}.",
    "{a} did not respond to the accusations by {b}.",
]
NEUTRAL = [
    "The price of bread in {p} rose by three percent {d}.",
    "Temperatures in {p} reached 45 degrees {d}.",
    "The football match in {p} ended in a draw.",
    "Schools in {p} reopened after the holiday.",
    "The report was published in Arabic and English.",
    "Traffic was heavy on the main road into {p} {d}.",
    "Analysts expect oil output to remain stable this year.",
    "A new hospital wing opened in {p} {d}.",
    "Residents complained about power cuts in the summer heat.",
    "The ministry said the figures would be updated next month.",
]


def build_sentences(n: int, seed_file: Path | None) -> list[str]:
    rng = random.Random(5)
    out: list[str] = []
    if seed_file and seed_file.exists():
        body = seed_file.read_text(encoding="utf-8")
        out.extend(body[s:e] for s, e in split_sentences(body.replace("\n", " ")))
    while len(out) < n:
        pool = EVENTS if rng.random() < 0.55 else NEUTRAL
        a, b = rng.sample(ACTORS, 2)
        text = rng.choice(pool).format(a=a, b=b, p=rng.choice(PLACES), d=rng.choice(DAYS))
        out.append(text[0].upper() + text[1:])
    return out[:n]


def as_articles(sentences: list[str], per_article: int = 10) -> list[Article]:
    arts = []
    for k in range(0, len(sentences), per_article):
        chunk = sentences[k:k + per_article]
        paras, pos = [], 0
        for s in chunk:
            paras.append(Paragraph(s, pos, pos + len(s), "body"))
            pos += len(s) + 2
        arts.append(Article(id=f"bench-{k}", text="\n\n".join(chunk), paragraphs=tuple(paras),
                            published=date(2023, 12, 6)))
    return arts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sentences", type=int, default=3000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed-file", type=Path,
                    default=Path(__file__).resolve().parent.parent.parent / "shared/seed/000_f359ee748abe973c.txt")
    args = ap.parse_args()

    sentences = build_sentences(args.sentences, args.seed_file)
    articles = as_articles(sentences)
    extractor = Extractor()
    nlp = extractor.nlp
    list(nlp.pipe(sentences[:50]))  # warm up
    extractor.extract_article(articles[0])

    t0 = time.perf_counter()
    for _ in nlp.pipe(sentences, batch_size=256):
        pass
    t_pipe = time.perf_counter() - t0

    extractor.parsed_sentences = extractor.seen_sentences = 0
    t0 = time.perf_counter()
    statements = extract(articles, extractor=extractor, workers=1)
    t_one = time.perf_counter() - t0
    parsed, seen = extractor.parsed_sentences, extractor.seen_sentences

    t0 = time.perf_counter()
    statements_n = extract(articles, extractor=extractor, workers=args.workers)
    t_many = time.perf_counter() - t0
    assert [s.id for s in statements] == [s.id for s in statements_n], "workers changed the result"

    n = len(sentences)
    print(f"sentences {n} in {len(articles)} articles; parsed by graphkit {parsed}/{seen} "
          f"({100 * parsed / max(seen, 1):.0f}%); statements {len(statements)}")
    print(f"nlp.pipe (parse everything)     {n / t_pipe:8.1f} sentences/s  ({t_pipe:.2f}s)")
    print(f"graphkit extract, 1 process     {n / t_one:8.1f} sentences/s  ({t_one:.2f}s)  ratio {t_pipe / t_one:.2f}")
    print(f"graphkit extract, {args.workers} processes   {n / t_many:8.1f} sentences/s  ({t_many:.2f}s)  "
          f"ratio {t_pipe / t_many:.2f}")


if __name__ == "__main__":
    main()
