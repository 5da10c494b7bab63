"""Memory per virtual board: a ``ubit run`` of 1 to N boards, host and board processes together.

Each run's whole process tree (the host, its board processes, the fork server and the
boards it forked) is measured from /proc once every board runs: PSS (shared pages
split between the processes that share them, so the sum is what the run costs the
machine), USS (pages of its own) and RSS. A board beyond the first should cost
<= 25 MiB (issue 17).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import RUNS, tool

PER_BOARD_TARGET_MIB = 25.0
MOST_BOARDS = 6
# Alive and idle until the run is killed: each board says so, then sleeps in virtual time
# (run without a time limit: virtual time races ahead, so any limit ends one board's run
# before it can be measured).
PROGRAM = "from microbit import *\nprint('up')\nwhile True:\n    sleep(1000)\n"


def tree(root: int) -> list[int]:
    """``root`` and every process descended from it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def memory_kib(pids: list[int]) -> dict[str, int]:
    """Summed Pss, USS (private pages) and Rss of ``pids``, in KiB."""
    total = {"pss": 0, "uss": 0, "rss": 0}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                fields = {line.split(":")[0]: int(line.split()[1])
                          for line in rollup if line.split()[-1:] == ["kB"]}
        except (OSError, ValueError):
            continue
        total["pss"] += fields.get("Pss", 0)
        total["uss"] += fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
        total["rss"] += fields.get("Rss", 0)
    return total


def run_memory(boards: int, program: Path) -> dict[str, int]:
    """The memory of a ``ubit run`` of ``boards`` copies of ``program`` once all are up."""
    argv = [tool("ubit"), "run", "--headless", *[str(program)] * boards]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert proc.stdout is not None
        up = 0
        while up < boards:
            line = proc.stdout.readline()
            if not line:
                raise SystemExit(f"bench: {boards} boards: the run ended early")
            up += line.rstrip().endswith(b"up")
        time.sleep(0.2)  # the boards' last pages settle (threads started, buffers)
        if proc.poll() is not None:
            raise SystemExit(f"bench: {boards} boards: the run ended before it was measured")
        return memory_kib(tree(proc.pid))
    finally:
        proc.kill()
        proc.wait()


def main() -> None:
    """Print one board's memory and what each further board adds."""
    if not os.path.exists("/proc/self/smaps_rollup"):
        print("\nMemory per board: needs Linux /proc/PID/smaps_rollup (skipped)")
        return
    work = Path(tempfile.mkdtemp(prefix="ubit-membench-"))
    try:
        program = work / "idle.py"
        program.write_text(PROGRAM)
        runs = max(1, RUNS // 2)
        figures = {count: [run_memory(count, program) for _ in range(runs)]
                   for count in (1, 2, MOST_BOARDS)}
        med = {count: {key: statistics.median(each[key] for each in values)
                       for key in ("pss", "uss", "rss")} for count, values in figures.items()}
        mib = 1024
        print(f"\nMemory: `ubit run` of 1, 2 and {MOST_BOARDS} idle boards, host and board "
              "processes together (PSS: shared pages split; median of "
              f"{runs} run{'s' if runs > 1 else ''})")
        for count, values in med.items():
            print(f"  {count} board{'s' if count > 1 else ' '}  PSS {values['pss'] / mib:6.1f} MiB"
                  f"   USS {values['uss'] / mib:6.1f} MiB   RSS {values['rss'] / mib:6.1f} MiB")
        second = (med[2]["pss"] - med[1]["pss"]) / mib
        further = (med[MOST_BOARDS]["pss"] - med[2]["pss"]) / (MOST_BOARDS - 2) / mib
        print(f"  the second board adds {second:.1f} MiB (it starts the fork server); "
              f"each further board {further:.1f} MiB")
        each = (med[MOST_BOARDS]["pss"] - med[1]["pss"]) / (MOST_BOARDS - 1) / mib
        verdict = "met" if each <= PER_BOARD_TARGET_MIB else "NOT met"
        print(f"  per additional board {each:.1f} MiB = {each / PER_BOARD_TARGET_MIB:.2f}x "
              f"the target (target <= {PER_BOARD_TARGET_MIB:g} MiB: {verdict})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
