"""Timing whole processes and printing ratios against peers measured in the same run."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
RUNS = int(os.environ.get("UBIT_BENCH_RUNS", "7"))


def tool(name: str) -> str:
    """Path of a console script installed beside this Python."""
    return str(VENV_BIN / name)


@dataclass
class Timing:
    """Median wall time of one contender over several runs."""

    name: str
    median: float
    runs: list[float]


def time_command(name: str, argv: Sequence[str], cwd: Path, runs: int = RUNS,
                 before: Callable[[], None] | None = None) -> Timing:
    """Median wall time of running ``argv`` to completion (output discarded, failure fatal)."""
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        proc = subprocess.run(argv, cwd=cwd, capture_output=True)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"bench: {name} failed: {proc.stderr.decode(errors='replace')}")
    return Timing(name, statistics.median(times), times)


def report(title: str, ours: Timing, peers: Sequence[Timing], target: float | None = None) -> None:
    """Print each contender's median and how many times faster ubit is."""
    print(f"\n{title}")
    width = max(len(t.name) for t in (ours, *peers))
    print(f"  {ours.name:<{width}}  {ours.median * 1000:8.1f} ms")
    for peer in peers:
        ratio = peer.median / ours.median
        goal = f"   (target >= {target:g}x: {'met' if ratio >= target else 'NOT met'})" \
            if target else ""
        print(f"  {peer.name:<{width}}  {peer.median * 1000:8.1f} ms   "
              f"ubit is {ratio:5.2f}x faster{goal}")
