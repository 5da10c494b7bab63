"""The ``ubit`` command: the table of command groups and the error boundary."""

from __future__ import annotations

import os
import sys

# Nothing more is imported before ``main`` has spawned `ubit run`'s board (``spawn_ahead``):
# argparse and the rest are imported while that board starts.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from types import ModuleType

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
    import importlib

    names = (only,) if only in COMMANDS else COMMANDS
    return [importlib.import_module(f"ubit.cli.{name}") for name in names]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser, one sub-command per command group (``only``: just that one)."""
    import argparse

    from ubit import __version__
    from ubit.cli.parser import CommandParser

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


# Options of `ubit run` (and their abbreviations, which argparse accepts) with which no
# virtual board is started: no board process is spawned ahead for them.
NO_BOARD_OPTIONS = ("-h", "--hel", "--fi", "--d", "--p")


def spawns_board(argv: Sequence[str]) -> bool:
    """Whether ``argv`` is a ``ubit run`` that will start a virtual board, as far as
    can be told before parsing it (a board spawned ahead for nothing is only killed)."""
    return argv[:1] == ["run"] and not any(
        arg.startswith(NO_BOARD_OPTIONS) for arg in argv[1:])


def main(argv: Sequence[str] | None = None) -> int:
    """Run ubit with ``argv`` and return the exit code (0 ok, 1 error, 2 usage)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not spawns_board(argv):
        return run_command(argv)
    from ubit.sim.host import spawner

    # The board process's start (a Python start and the emulation's imports) runs
    # beside this one's imports and parsing, instead of after them.
    spawner.spawn_ahead()
    try:
        return run_command(argv)
    finally:
        spawner.discard_ahead()


def run_command(argv: list[str]) -> int:
    """Parse ``argv`` and run its command: the exit code."""
    from ubit.cli.parser import fail
    from ubit.errors import UbitError

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
    code = main()
    if spawns_board(sys.argv[1:]):
        quick_exit(code)
    sys.exit(code)


def quick_exit(code: int) -> None:
    """Leave now, without the interpreter's shutdown (a few milliseconds of every
    ``ubit run``), when nothing is left that it would do: the output flushed, no
    ``atexit`` handler, no thread but daemons (the board's pumps, its process gone).
    Otherwise return, for the usual exit."""
    import threading

    if any(not thread.daemon for thread in threading.enumerate()
           if thread is not threading.main_thread()):
        return
    count = getattr(__import__("atexit"), "_ncallbacks", None)
    if count is None or count():
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return  # Python's own exit reports it as ever
    os._exit(code)
