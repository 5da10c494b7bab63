"""The ``ubit`` command: the table of command groups and the error boundary."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ubit import __version__
from ubit.cli import devices as devices_cmd
from ubit.cli import exec as exec_cmd
from ubit.cli import flash as flash_cmd
from ubit.cli import fs as fs_cmd
from ubit.cli import hex as hex_cmd
from ubit.cli import repl as repl_cmd
from ubit.cli import run as run_cmd
from ubit.cli import sim as sim_cmd
from ubit.cli.parser import CommandParser, fail
from ubit.errors import UbitError

DESCRIPTION = """\
MicroPython for the BBC micro:bit, offline and complete.

examples:
  ubit hex build main.py -o game.hex      build a hex for V1 and V2 (universal)
  ubit hex extract game.hex -o src/       get the code back out of any hex
  ubit hex info game.hex                  targets, MicroPython version, files
  ubit flash main.py                      build and copy to the micro:bit drive
  ubit run main.py --headless             run it on a virtual micro:bit
  ubit sim                                a virtual micro:bit on a serial port (pty)
  ubit repl                               a terminal to the micro:bit on USB
  ubit fs put main.py                     copy a file onto the board over serial
  ubit exec "print(6 * 7)"                run code on the board
  ubit devices                            the micro:bits plugged in
"""

COMMAND_GROUPS = (hex_cmd, flash_cmd, run_cmd, sim_cmd, repl_cmd, fs_cmd, exec_cmd, devices_cmd)


def build_parser() -> argparse.ArgumentParser:
    """The whole argument parser, one sub-command per command group."""
    parser = CommandParser(
        prog="ubit",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ubit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ubit with ``argv`` and return the exit code (0 ok, 1 error, 2 usage)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return int(exc.code or 0)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    where = args.command_label
    try:
        return int(args.handler(args) or 0)
    except UbitError as exc:
        return fail(where, str(exc), exc.exit_code)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return fail(where, "interrupted", 130)
    except BrokenPipeError:
        return 1
    except Exception as exc:  # a bug in ubit: still no traceback unless asked for
        if os.environ.get("UBIT_DEBUG"):
            raise
        return fail(where, f"internal error: {type(exc).__name__}: {exc} "
                    "(set UBIT_DEBUG=1 for details)", 1)


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())
