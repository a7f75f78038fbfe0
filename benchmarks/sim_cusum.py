"""False-alarm and detection rates of the escalation detector on simulated counts.

    python benchmarks/sim_cusum.py

Prints, per setting, the share of stationary dyads with any alert over 60 periods and
the share of shifted dyads alarmed within one period of the change.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphkit.analysis.alerts import CusumParams, cusum_runs  # noqa: E402

DYADS, PERIODS, CHANGE = 1000, 60, 30


def false_alarms(params: CusumParams, lam: float, overdispersed: bool = False) -> float:
    rng = np.random.default_rng(0)
    if overdispersed:  # negative binomial, variance = 2 x mean
        x = rng.negative_binomial(lam, 0.5, size=(DYADS, PERIODS)).astype(float)
    else:
        x = rng.poisson(lam, size=(DYADS, PERIODS)).astype(float)
    return len({r["row"] for r in cusum_runs(x, params)}) / DYADS


def detected_within_one(params: CusumParams, lam: float, factor: float) -> float:
    rng = np.random.default_rng(1)
    x = rng.poisson(lam, size=(DYADS, PERIODS)).astype(float)
    x[:, CHANGE:] = rng.poisson(lam * factor, size=(DYADS, PERIODS - CHANGE))
    first: dict[int, int] = {}
    for run in cusum_runs(x, params):
        if run["alarm"] >= CHANGE - 1:
            first.setdefault(run["row"], run["alarm"])
    delay = np.array([first.get(i, 10**6) - CHANGE for i in range(DYADS)])
    return float((np.abs(delay) <= 1).mean())


def main() -> None:
    params = CusumParams()
    print(f"defaults: {params}")
    for lam in (1, 3, 10):
        print(f"stationary Poisson({lam}): {false_alarms(params, lam):.3f} of dyads alarm in {PERIODS} periods")
    print(f"overdispersed NB(mean 3, var 6): {false_alarms(params, 3, True):.3f}")
    for lam, factor in ((2, 4), (3, 5), (5, 3), (10, 2)):
        print(f"Poisson {lam} -> {lam * factor}: {detected_within_one(params, lam, factor):.3f} alarmed within one period")


if __name__ == "__main__":
    main()
