"""``ubit run --device FILE``: run a local file on a board without copying it there."""

from __future__ import annotations

import argparse

from ubit.cli.connect import raw_repl

MAX_SOURCE_SIZE = 256 * 1024  # bigger than any program a micro:bit can compile


def run_on_device(path: str, port: str | None = None, reset: bool = False) -> int:
    """Run the file at ``path`` on the board at ``port`` (None: the one on USB).

    Its output streams to stdout; a traceback goes to stderr and gives 1. The board is
    interrupted but not reset unless ``reset``; errors reaching the board raise
    ``UbitError`` (``DeviceError``), for the command line to report.
    """
    from ubit.cli.exec import run_code
    from ubit.fileio import read_input_bytes

    source = read_input_bytes(path, MAX_SOURCE_SIZE)  # before touching the board
    with raw_repl(argparse.Namespace(port=port, sim=False), soft_reset=reset) as repl:
        return run_code(repl, source)
