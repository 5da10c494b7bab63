"""Which board a device command talks to: ``--port PORT``, ``--sim``, or the one on USB."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ubit.device.rawrepl import RawRepl
    from ubit.device.transport import Transport


def add_board_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--port PORT | --sim`` to a device command."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--port", metavar="PORT",
                       help="the board's serial port, e.g. /dev/ttyACM0, COM3 or a pty "
                            "(default: the micro:bit found on USB)")
    group.add_argument("--sim", action="store_true",
                       help="start a virtual micro:bit V2 for this command")


def open_transport(args: argparse.Namespace) -> Transport:
    """The transport ``args`` ask for: a virtual board, ``--port``, or the micro:bit on USB."""
    if getattr(args, "sim", False):
        from ubit.device.transport import BoardTransport
        from ubit.sim.host.start import BoardOptions, start_board

        return BoardTransport(start_board(BoardOptions(clock="real", repl=True)))
    from ubit.device.discovery import pick_port
    from ubit.device.transport import SerialTransport

    return SerialTransport(pick_port(getattr(args, "port", None)))


@contextlib.contextmanager
def raw_repl(args: argparse.Namespace, soft_reset: bool = False) -> Iterator[RawRepl]:
    """The board's raw REPL, entered (interrupting what runs); left and closed afterwards."""
    from ubit.device.rawrepl import RawRepl

    repl = RawRepl(open_transport(args))
    try:
        repl.enter(soft_reset=soft_reset)
        yield repl
    finally:
        repl.close()
