"""CPU time of a child process: the measure for benchmarks run on a shared, noisy machine."""

from __future__ import annotations

import resource
import subprocess


def child_cpu(cmd: list[str]) -> float:
    """User + system CPU seconds of running `cmd` to completion (its output thrown away)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
