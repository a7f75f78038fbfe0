"""False alerts and detection delay of the escalation detectors on simulated counts.

    python benchmarks/sim_cusum.py

Runs the default detector (count surprise against a pooled baseline,
graphkit.analysis.surprise) beside the CUSUM it replaces (the anchor) on 1,000
simulated dyads x 60 periods and prints, per setting:

- false-alert rate: alarmed dyad-periods / judged dyad-periods on stationary streams
  (Poisson 1, 3, 10) and overdispersed ones (negative binomial, variance = 2 x mean);
  the target is <= 2% of dyad-periods;
- detection: share of dyads alarmed in the period of the change (delay 0) and within
  one period, and the median delay, for jumps 3 -> 15 and 0 -> 5 a period;
- the Iran-Pakistan case: a pair of actors who are each in the news (Poisson 1 a period
  with other partners) but silent with each other for 20 periods, then one week with a
  burst of 3, 4 or 5 attacks: share of such bursts alerted;
- the same on text: `graphkit extract data/articles tests/data/burst` (the sample articles
  plus three articles of an Iran-Pakistan burst) then `graphkit tension --alerts`: whether
  the burst is reported, with its reason and evidence.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphkit.analysis.alerts import CusumParams, cusum_runs  # noqa: E402
from graphkit.analysis.surprise import SurpriseParams, alarm_mask, surprise_scan  # noqa: E402

DYADS, PERIODS, CHANGE = 1000, 60, 30


def stationary(lam: float, overdispersed: bool, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if overdispersed:  # negative binomial with mean lam and variance 2 lam
        return rng.negative_binomial(lam, 0.5, size=(DYADS, PERIODS)).astype(float)
    return rng.poisson(lam, size=(DYADS, PERIODS)).astype(float)


def jump(before: float, after: float, seed: int = 1) -> np.ndarray:
    """DYADS dyads that jump at CHANGE (the first rows) among 9 x DYADS that stay at `before`:
    escalations are rare, and the detector pools its spread estimate across dyads."""
    rng = np.random.default_rng(seed)
    x = rng.poisson(before, size=(10 * DYADS, PERIODS)).astype(float)
    x[:DYADS, CHANGE:] = rng.poisson(after, size=(DYADS, PERIODS - CHANGE))
    return x


def surprise_alarms(x: np.ndarray, params: SurpriseParams, ends=None) -> np.ndarray:
    return alarm_mask(x, surprise_scan(x, ends, None, params), params)


def cusum_alarms(x: np.ndarray, params: CusumParams) -> np.ndarray:
    mask = np.zeros(x.shape, dtype=bool)
    for run in cusum_runs(x, params):
        mask[run["row"], run["alarm"]] = True
    return mask


def false_rate(mask: np.ndarray, warmup: int) -> float:
    return float(mask[:, warmup:].mean())


def delays(mask: np.ndarray) -> np.ndarray:
    """Periods from the change to the first alarm at or after it (inf: never)."""
    after = mask[:, CHANGE:]
    hit = after.any(axis=1)
    return np.where(hit, after.argmax(axis=1), np.inf)


def iran_pakistan(burst: int, params: SurpriseParams, quiet: int = 20, seed: int = 2) -> float:
    """Dyads 0..n-1 are the silent pairs (actors 2i, 2i+1); each actor also has one other
    partner (actors 2n + 2i, 2n + 2i + 1) at Poisson(1) a period throughout."""
    rng = np.random.default_rng(seed)
    n, periods = DYADS, quiet + 1
    silent = np.zeros((n, periods))
    silent[:, quiet] = burst
    others = rng.poisson(1.0, size=(2 * n, periods)).astype(float)
    x = np.vstack([silent, others])
    a = np.arange(n)
    ends = np.vstack([np.stack([2 * a, 2 * a + 1], axis=1),
                      np.stack([2 * a, 2 * n + 2 * a], axis=1),
                      np.stack([2 * a + 1, 2 * n + 2 * a + 1], axis=1)])
    ends = np.vstack([ends[:n], ends[n:2 * n], ends[2 * n:]])
    # rows n..3n-1 of x: the others, first actor 2i's partner, then actor 2i+1's
    x = np.vstack([silent, others[:n], others[n:]])
    return float(surprise_alarms(x, params, ends)[:n, quiet].mean())


def main(sp: SurpriseParams = SurpriseParams()) -> None:
    cp = CusumParams()
    print(f"surprise detector: {sp}")
    print(f"CUSUM (anchor):    {cp}")
    print(f"\nfalse-alert rate, alarmed / judged dyad-periods ({DYADS} dyads x {PERIODS} periods; target <= 0.020)")
    print(f"{'stream':34} {'surprise':>9} {'CUSUM':>9}")
    worst = 0.0
    for lam, over in ((1, False), (3, False), (10, False), (3, True), (10, True)):
        x = stationary(lam, over)
        s = false_rate(surprise_alarms(x, sp), sp.min_history)
        c = false_rate(cusum_alarms(x, cp), cp.min_history)
        worst = max(worst, s) if not over else worst
        label = f"NB mean {lam}, var {2 * lam}" if over else f"Poisson {lam}"
        print(f"{label:34} {s:9.4f} {c:9.4f}")
    print(f"stationary Poisson, worst: {worst:.4f} ({'meets' if worst <= 0.02 else 'MISSES'} <= 0.020)")
    print("\ndetection after a jump at period 30 (share of dyads alarmed at delay 0 / within 1; median delay)")
    print(f"{'jump':34} {'surprise':>22} {'CUSUM':>22}")
    for before, after in ((3, 15), (0, 5)):
        x = jump(before, after)
        cells = []
        for mask in (surprise_alarms(x, sp), cusum_alarms(x, cp)):
            d = delays(mask[:DYADS])
            cells.append(f"{(d == 0).mean():.3f} / {(d <= 1).mean():.3f}; {np.median(d):g}")
        print(f"{f'Poisson {before} -> {after}':34} {cells[0]:>22} {cells[1]:>22}")
    print("\nIran-Pakistan case: silent for 20 periods while each actor has another partner at Poisson 1,")
    print("then one period with a burst; share of bursts alerted in that period (surprise detector)")
    for burst in (3, 4, 5):
        print(f"burst of {burst}: {iran_pakistan(burst, sp):.3f}")
    articles()


def articles() -> None:
    """The sample articles plus the burst articles, through the graphkit commands."""
    import json
    import subprocess
    import tempfile

    root = Path(__file__).resolve().parent.parent
    graphkit = [sys.executable, "-m", "graphkit"]
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "statements.jsonl"
        with jsonl.open("w", encoding="utf-8") as out:
            subprocess.run([*graphkit, "extract", str(root / "data/articles"), str(root / "tests/data/burst")],
                           stdout=out, check=True)
        done = subprocess.run([*graphkit, "tension", "--from", str(jsonl), "--alerts", "--format", "json"],
                              capture_output=True, text=True, check=True)
    alerts = json.loads(done.stdout)
    burst = [a for a in alerts if {a["source"], a["target"]} == {"IRN", "PAK"}]
    print(f"\nsample articles + burst articles: {len(alerts)} alert(s); Iran-Pakistan burst "
          f"{'REPORTED' if burst else 'MISSED'}")
    for a in burst:
        print(f"  {a['reason']}")
        print(f"  evidence: {len(a['statement_ids'])} statements, e.g. \u201c{a['sentences'][0]}\u201d")


if __name__ == "__main__":
    main()
