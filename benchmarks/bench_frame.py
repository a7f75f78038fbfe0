"""Time statements_frame on N Statement objects (the step before any analysis).

    python benchmarks/bench_frame.py [N]
"""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphkit.analysis import statements_frame  # noqa: E402
from graphkit.model import ActorRef, Statement  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    actors = [ActorRef(f"A{i:03d}", f"Actor {i}", "state", "USA") for i in range(300)]
    start = date(2022, 1, 1)
    statements = [Statement(f"s{i}", actors[i % 300], actors[(i * 7 + 1) % 300], "ASSAULT", "190", 4, -10.0,
                            start + timedelta(days=i % 730), "day", article_id=f"a{i % 100_000}",
                            sentence="x") for i in range(n)]
    t = time.perf_counter()
    frame = statements_frame(statements)
    print(f"statements_frame on {len(frame):,} statements: {time.perf_counter() - t:.2f}s")


if __name__ == "__main__":
    main()
