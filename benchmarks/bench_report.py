"""`graphkit report` at scale: CPU seconds, peak memory and the cost exponent, plus factions on one
large component.

    python benchmarks/bench_report.py [--sizes 100000,300000,1000000] [--actors 500,5000]
                                      [--factions-actors 4000] [--keep DIR]

For each actor count, synthetic statements (benchmarks/synth.py, the same generator as the store
benchmark) are written as JSONL once per size, then `graphkit report --from FILE` runs in a child
process; its user+system CPU seconds and peak resident memory come from wait4. The anchor is the
smallest size: each larger size prints its CPU ratio to it and the exponent log(ratio)/log(size
ratio); the last line per actor count is the least-squares exponent over all sizes (1.0 = linear).

Factions: a signed graph of N actors in one connected component (two planted camps, ~20 ties per
actor, 5 % of signs flipped as noise) split by graphkit.analysis.factions in a child process;
its CPU seconds and the frustration found against the planted split's (the anchor).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import synth  # noqa: E402

from graphkit.serialize import statement_to_dict  # noqa: E402

GRAPHKIT = str(Path(sys.executable).with_name("graphkit"))


def write_jsonl(path: Path, n: int, n_actors: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for _, st in synth.iter_statements(n, n_actors):
            out.write(json.dumps(statement_to_dict(st)) + "\n")


def run_child(cmd: list[str]) -> tuple[float, float]:
    """(CPU seconds, peak RSS in MB) of running `cmd` to completion in a child process."""
    pid = os.fork()
    if pid == 0:  # child: exec the command with its output thrown away
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execv(cmd[0], cmd)
    _, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 2):
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {os.waitstatus_to_exitcode(status)}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def fit_exponent(sizes: list[int], cpu: list[float]) -> float:
    xs, ys = [math.log(s) for s in sizes], [math.log(c) for c in cpu]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


FACTIONS_CHILD = r"""
import sys, time
import numpy as np
from graphkit.analysis.balance import factions, graph_from_signs
n, seed = int(sys.argv[1]), 3
rng = np.random.default_rng(seed)
camp = rng.integers(0, 2, n)
names = [f"N{i:05d}" for i in range(n)]
edges = set()
for i in range(n):  # a ring keeps it one component; random ties give ~20 per actor
    edges.add((i, (i + 1) % n) if i < (i + 1) % n else ((i + 1) % n, i))
for a, b in rng.integers(0, n, (n * 10, 2)):
    if a != b:
        edges.add((min(a, b), max(a, b)))
triples = []
planted = 0
for a, b in sorted(edges):
    sign = 1 if camp[a] == camp[b] else -1
    if rng.random() < 0.05:
        sign, planted = -sign, planted + 1
    triples.append((names[a], names[b], sign))
g = graph_from_signs(triples)
t0 = time.process_time()
f = factions(g)
cpu = time.process_time() - t0
comps = len({f.component[v] for v in g})
print(f"{g.number_of_nodes()} {g.number_of_edges()} {comps} {cpu:.3f} {f.frustration_index} {planted}")
"""


def bench_factions(n: int) -> None:
    out = subprocess.run([sys.executable, "-c", FACTIONS_CHILD, str(n)], check=True, capture_output=True,
                         text=True).stdout.split()
    nodes, edges, comps, cpu, found, planted = out
    print(f"factions: {nodes} actors, {edges} ties, {comps} component(s): {float(cpu):.2f} CPU s; "
          f"frustration {found} against the planted split's {planted} (ratio {int(found) / max(int(planted), 1):.3f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100000,300000,1000000")
    ap.add_argument("--actors", default="500,5000")
    ap.add_argument("--factions-actors", type=int, default=4000, help="0: skip the factions figure")
    ap.add_argument("--keep", default=None, help="Folder for the JSONL files (kept for the next run).")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    folder = Path(args.keep or tempfile.mkdtemp(prefix="bench_report_"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.factions_actors:
        bench_factions(args.factions_actors)
    for n_actors in [int(a) for a in args.actors.split(",")]:
        print(f"graphkit report --from FILE, {n_actors} actors:")
        cpus = []
        for n in sizes:
            data = folder / f"synth_{n}_{n_actors}.jsonl"
            if not data.exists():
                write_jsonl(data, n, n_actors)
            cpu, rss = run_child([GRAPHKIT, "report", "--from", str(data), "-o", str(folder / "out")])
            cpus.append(cpu)
            line = f"  {n:>9,} statements: {cpu:8.1f} CPU s  peak {rss / 1024:5.2f} GB"
            if len(cpus) > 1:
                ratio = cpu / cpus[0]
                line += f"  {ratio:5.2f}x the {sizes[0]:,} anchor, exponent {math.log(ratio) / math.log(n / sizes[0]):.2f}"
            print(line, flush=True)
        if len(cpus) > 1:
            print(f"  fitted cost exponent {sizes[0]:,}-{sizes[-1]:,}: {fit_exponent(sizes, cpus):.2f}")


if __name__ == "__main__":
    main()
