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


def child_usage(cmd: list[str], stdout=None) -> tuple[float, float]:
    """(user + system CPU seconds, peak resident memory in MiB) of running `cmd` to completion.

    os.wait4 gives the rusage of that one child, so its peak memory is its own (RUSAGE_CHILDREN's
    ru_maxrss is the largest of all children so far). Output goes to `stdout` (default: thrown away).
    """
    import os

    proc = subprocess.Popen(cmd, stdout=stdout or subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
