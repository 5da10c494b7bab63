"""The ``ubit`` command: the table of command groups and the error boundary."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from ubit import __version__
from ubit.cli.parser import CommandParser, fail
from ubit.errors import UbitError

DESCRIPTION = """\
MicroPython for the BBC micro:bit, offline and complete.

examples:
  ubit editor                             the editor in your browser, the board beside it
  ubit hex build main.py -o game.hex      build a hex for V1 and V2 (universal)
  ubit hex extract game.hex -o src/       get the code back out of any hex
  ubit hex info game.hex                  targets, MicroPython version, files
  ubit flash main.py                      build and copy to the micro:bit drive
  ubit flash main.py --port /dev/ttyACM0  only the files, over serial (seconds)
  ubit run main.py --headless             run it on a virtual micro:bit
  ubit check main.py                      find what the micro:bit would refuse
  ubit problem check heart-on-a           an auto-marked problem's tests, proved
  ubit mark heart-on-a class/             mark every pupil's attempt, with reports
  ubit sim                                a virtual micro:bit on a serial port (pty)
  ubit repl                               a terminal to the micro:bit on USB
  ubit fs put main.py                     copy a file onto the board over serial
  ubit exec "print(6 * 7)"                run code on the board
  ubit devices                            the micro:bits plugged in
  ubit plot sensors.py                    chart the numbers a program prints
  ubit log get -o data.csv                a real V2's data log, from its drive
  ubit tidy main.py                       lay the code out the standard way
  ubit doctor                             how virtual boards are sandboxed here
"""

# Each command's module under ubit.cli, in the order `ubit --help` lists them.
COMMANDS = ("editor", "hex", "flash", "run", "check", "sim", "repl", "fs", "exec", "devices",
            "log", "plot", "tidy", "doctor", "problem", "mark")


def command_groups(only: str | None = None) -> list[ModuleType]:
    """The modules of the command groups; with ``only``, just that command's.

    A command line names its command first, so only that module (and what it imports)
    is loaded: every ``ubit run`` saves the imports of the others.
    """
    names = (only,) if only in COMMANDS else COMMANDS
    return [importlib.import_module(f"ubit.cli.{name}") for name in names]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser, one sub-command per command group (``only``: just that one)."""
    parser = CommandParser(
        prog="ubit",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ubit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)
    for group in command_groups(only):
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ubit with ``argv`` and return the exit code (0 ok, 1 error, 2 usage)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv[0] if argv else None)
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
