"""The board processes a process has started and that run a program."""

from __future__ import annotations

from pathlib import Path

FORK_SERVER = b"zygote import serve"  # its boards are the fork server's children


def running_boards(parent: int) -> list[int]:
    """Pids of ``parent``'s board processes running a program (a spare waiting for one isn't
    confined yet: only a started board has its seccomp filter), spawned by ``parent`` or
    forked by its board fork server."""
    parents = {parent}
    found: list[tuple[int, int, bool]] = []  # pid, its parent, confined
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            status = (stat.parent / "status").read_text()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue  # ended meanwhile
        pid, ppid = int(stat.parent.name), int(fields[1])
        if ppid == parent and FORK_SERVER in cmdline and "\nSeccomp:\t2" not in status:
            parents.add(pid)
        found.append((pid, ppid, "\nSeccomp:\t2" in status))
    return [pid for pid, ppid, confined in found if ppid in parents and confined]
