"""``ubit exec CODE``: run a few lines of Python on a board; its output streams back."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, BinaryIO

from ubit.cli.connect import add_board_options, raw_repl
from ubit.cli.parser import add_command

if TYPE_CHECKING:
    from ubit.device.rawrepl import RawRepl


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ubit exec``."""
    parser = add_command(
        sub, "exec", "Run Python code on a board and show its output.",
        "  ubit exec \"print(6 * 7)\"\n"
        "  ubit exec \"import os; print(os.listdir())\" --port /dev/pts/5\n"
        "  ubit exec - < script.py        code from stdin\n"
        "  ubit exec \"display.scroll('hi')\" --reset   on a freshly soft-reset board\n",
    )
    parser.add_argument("code", metavar="CODE", help="Python source to run; - reads stdin")
    add_board_options(parser)
    parser.add_argument("--reset", action="store_true",
                        help="soft-reset the board first (fresh globals; main.py doesn't run)")
    parser.set_defaults(handler=run_exec)


class LineEndings:
    """Writes board output to a binary stream with CRLF turned into LF, as it arrives."""

    def __init__(self, out: BinaryIO) -> None:
        """Write to ``out``."""
        self.out = out
        self._cr = False  # a \r held back: the next byte may be its \n

    def __call__(self, data: bytes) -> None:
        """Write a piece of output."""
        if self._cr:
            data = b"\r" + data
            self._cr = False
        if data.endswith(b"\r"):
            data, self._cr = data[:-1], True
        self.out.write(data.replace(b"\r\n", b"\n"))
        self.out.flush()

    def finish(self) -> None:
        """Write a held-back \\r."""
        if self._cr:
            self.out.write(b"\r")
            self.out.flush()
            self._cr = False


def run_code(repl: RawRepl, source: bytes) -> int:
    """Run ``source`` streaming its output to stdout; its traceback to stderr and 1 on error."""
    output = LineEndings(sys.stdout.buffer)
    try:
        _, err = repl.exec_raw(source, on_output=output)
    finally:
        output.finish()
    if err:
        text = err.decode("utf-8", "replace").replace("\r\n", "\n")
        sys.stderr.write(text if text.endswith("\n") else text + "\n")
        sys.stderr.flush()
        return 1
    return 0


def run_exec(args: argparse.Namespace) -> int:
    """Run CODE on the board."""
    source = sys.stdin.buffer.read() if args.code == "-" else args.code.encode("utf-8")
    with raw_repl(args, soft_reset=args.reset) as repl:
        return run_code(repl, source)
