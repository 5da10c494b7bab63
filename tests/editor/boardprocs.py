"""The board processes a process has started and that run a program."""

from __future__ import annotations

from pathlib import Path


def running_boards(parent: int) -> list[int]:
    """Pids of ``parent``'s board processes running a program (a spare waiting for one isn't
    confined yet: only a started board has its seccomp filter)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            status = (stat.parent / "status").read_text()
        except OSError:
            continue  # ended meanwhile
        if int(fields[1]) == parent and "\nSeccomp:\t2" in status:
            pids.append(int(stat.parent.name))
    return pids
