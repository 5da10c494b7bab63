"""Which programs hold a serial port open, where the OS tells (Linux's /proc)."""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")


def _command_name(pid: str) -> str:
    """A process's program name and id, e.g. ``screen (pid 4242)``."""
    try:
        name = (PROC / pid / "comm").read_text().strip()
    except OSError:
        name = "a program"
    return f"{name} (pid {pid})"


def port_users(port: str) -> list[str]:
    """The programs (``name (pid N)``) with ``port`` open, other than this one; [] if unknown."""
    try:
        target = os.path.realpath(port)
        pids = [entry.name for entry in PROC.iterdir() if entry.name.isdigit()]
    except OSError:
        return []
    mine = str(os.getpid())
    users = []
    for pid in pids:
        if pid == mine:
            continue
        try:
            fds = os.listdir(PROC / pid / "fd")
        except OSError:  # another user's process, or gone
            continue
        for fd in fds:
            try:
                if os.readlink(PROC / pid / "fd" / fd) == target:
                    users.append(_command_name(pid))
                    break
            except OSError:
                continue
    return users
