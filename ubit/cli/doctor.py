"""``ubit doctor``: what this machine gives ubit, and how its virtual boards are confined."""

from __future__ import annotations

import argparse
import shutil
import sys

from ubit.cli.parser import add_command


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ubit doctor``."""
    parser = add_command(
        sub, "doctor", "Say how virtual boards are sandboxed here, and what ubit can use.",
        "  ubit doctor\n",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Start a board, print what confines it; exit 1 when isolation is weaker than it can be."""
    from ubit import __version__
    from ubit.sim.host import isolation
    from ubit.sim.host.start import BoardOptions, start_board

    print(f"ubit {__version__} on Python {sys.version.split()[0]} ({sys.platform})")
    with start_board(BoardOptions(files={"main.py": b"pass\n"})) as board:
        ready = board.wait_ready(timeout=20)
        board.wait(timeout=20)
    sandbox = ready.get("sandbox") or {}
    print("virtual boards run sandboxed:")
    for line in isolation.describe(sandbox):
        print(f"  {line}")
    qemu = shutil.which("qemu-system-arm")
    print(f"qemu-system-arm: {qemu or 'not found'} (the real V1 firmware, for ubit's tests)")
    note = isolation.weaker(sandbox)
    if note:
        print(note)
        return 1
    return 0
