"""``ubit repl``: a terminal to a board's REPL; Ctrl-] leaves."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ubit.cli.connect import add_board_options, open_transport
from ubit.cli.parser import add_command

if TYPE_CHECKING:
    from ubit.device.transport import Transport

LEAVE = b"\x1d"  # Ctrl-]: as in telnet and miniterm
POLL = 0.1  # s between checks that the other side is still there
QUIET_AFTER_EOF = 0.5  # s of board silence to wait for after stdin ends (a pipe)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ubit repl``."""
    parser = add_command(
        sub, "repl", "Open a terminal to a board's MicroPython REPL (Ctrl-] leaves).",
        "  ubit repl                      the micro:bit found on USB\n"
        "  ubit repl --port /dev/pts/5    a board on another port (ubit sim, QEMU)\n"
        "  ubit repl --sim                a fresh virtual micro:bit V2\n"
        "  at the prompt: Ctrl-C interrupts, Ctrl-D soft-reboots, Ctrl-E pastes\n",
    )
    add_board_options(parser)
    parser.set_defaults(handler=run_repl)


@contextlib.contextmanager
def raw_terminal(fd: int) -> Iterator[None]:
    """The terminal on ``fd`` in raw mode (keys go to the board as typed); always restored."""
    try:
        import termios
        import tty
    except ImportError:  # not a POSIX system: line mode is the best we can do
        yield
        return
    if not os.isatty(fd):
        yield
        return
    saved = termios.tcgetattr(fd)
    try:
        tty.setraw(fd)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


class Pump:
    """Copies the board's output to a file descriptor (in a thread) until stopped."""

    def __init__(self, transport: Transport, out_fd: int) -> None:
        import threading  # here, not at the top: every ubit command imports this module

        self.transport = transport
        self.out_fd = out_fd
        self.stop = threading.Event()
        self.error: Exception | None = None
        self.last_output = 0.0
        self.thread = threading.Thread(target=self.run, name="repl-output", daemon=True)

    def run(self) -> None:
        """Copy output until stopped; remember why it ended."""
        import time

        from ubit.errors import DeviceError

        while not self.stop.is_set():
            try:
                data = self.transport.read(POLL)
            except DeviceError as exc:
                self.error = exc
                return
            if data:
                self.last_output = time.monotonic()
                try:
                    os.write(self.out_fd, data)
                except OSError:
                    return


def session(transport: Transport, in_fd: int, out_fd: int) -> None:
    """Pass keys from ``in_fd`` to the board and its output to ``out_fd`` until Ctrl-]."""
    import select
    import time

    pump = Pump(transport, out_fd)
    pump.thread.start()
    try:
        while pump.thread.is_alive():
            if not select.select([in_fd], [], [], POLL)[0]:
                continue
            keys = os.read(in_fd, 1024)
            if not keys:  # stdin ended (a pipe): let the board finish answering
                pump.last_output = time.monotonic()
                while pump.thread.is_alive() and \
                        time.monotonic() - pump.last_output < QUIET_AFTER_EOF:
                    time.sleep(POLL / 2)
                break
            if LEAVE in keys:
                head = keys.split(LEAVE, 1)[0]
                if head:
                    transport.write(head)
                break
            transport.write(keys)
    finally:
        pump.stop.set()
        pump.thread.join(timeout=1)
    if pump.error is not None:
        raise pump.error


def run_repl(args: argparse.Namespace) -> int:
    """Connect the terminal to the board until Ctrl-]."""
    transport = open_transport(args)
    where = transport.name
    interactive = os.isatty(sys.stdin.fileno())
    try:
        with raw_terminal(sys.stdin.fileno()):
            # said once the terminal is raw (raw mode drops keys typed before it), so \r\n
            if interactive:
                sys.stderr.write(f"connected to {where}; Ctrl-] leaves (Enter shows the "
                                 "prompt, Ctrl-C stops a running program)\r\n")
                sys.stderr.flush()
            session(transport, sys.stdin.fileno(), sys.stdout.fileno())
    finally:
        transport.close()
    if interactive:
        print(f"\nleft {where}", file=sys.stderr)
    return 0
