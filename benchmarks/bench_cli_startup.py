"""Start-up CPU of the graphkit command line against a bare Python start-up (the anchor).

    python benchmarks/bench_cli_startup.py [--runs 20]

Runs, alternately and as separate processes, `python -c pass`, `graphkit --help` and
`graphkit actors PMF` (the registry, no store), and prints the median CPU seconds (user + system of
the child) of each and the ratios against bare Python (the first, unmeasured run of each also fills the
registry cache, as any first run does). Commands import pandas, spaCy and the store
drivers only when they run, so --help should cost a small multiple of the interpreter's own start.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cpu import child_cpu  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    gk = str(Path(sys.executable).with_name("graphkit"))
    commands = {"python -c pass": [sys.executable, "-c", "pass"], "graphkit --help": [gk, "--help"],
                "graphkit actors PMF": [gk, "actors", "PMF"]}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for cmd in commands.values():
        child_cpu(cmd)  # warm the file cache
    for _ in range(args.runs):
        for name, cmd in commands.items():
            times[name].append(child_cpu(cmd))
    anchor = statistics.median(times["python -c pass"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<22} median {median:6.3f} CPU s   ratio to bare Python {median / anchor:5.2f}")


if __name__ == "__main__":
    main()
