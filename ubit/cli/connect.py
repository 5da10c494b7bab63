"""Which board a device command talks to: ``--port PORT``, ``--sim``, or the one on USB."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ubit.device.rawrepl import RawRepl
    from ubit.device.transport import Transport
    from ubit.sim.host.handle import VirtualBoard


def add_board_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--port PORT | --sim`` to a device command."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--port", metavar="PORT",
                       help="the board's serial port, e.g. /dev/ttyACM0, COM3 or a pty "
                            "(default: the micro:bit found on USB)")
    group.add_argument("--sim", action="store_true",
                       help="start a virtual micro:bit V2 for this command")


class SimTransport:
    """The serial port of a ``VirtualBoard`` in this process, as a ``Transport``."""

    def __init__(self, board: VirtualBoard) -> None:
        """Talk to ``board`` (already started); ``close`` stops it."""
        self.board = board
        self.name = "the virtual micro:bit"

    def read(self, timeout: float) -> bytes:
        """Serial output that has arrived, waiting up to ``timeout`` s."""
        from ubit.device.transport import PortClosedError

        data = self.board.read_serial(timeout=timeout)
        if not data and not self.board.running:
            raise PortClosedError(f"the virtual micro:bit stopped: {self.board.crash_report()}")
        return data

    def write(self, data: bytes) -> None:
        """Send bytes to the board's serial port."""
        self.board.write_serial(data)

    def close(self) -> None:
        """Stop the virtual board."""
        self.board.close()


def open_transport(args: argparse.Namespace) -> Transport:
    """The transport ``args`` ask for: a virtual board, ``--port``, or the micro:bit on USB."""
    if getattr(args, "sim", False):
        from ubit.sim.host.start import BoardOptions, start_board

        return SimTransport(start_board(BoardOptions(clock="real", repl=True)))
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
