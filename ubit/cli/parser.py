"""The argument parser shared by every command group: one error format for all."""

from __future__ import annotations

import argparse
import sys

from ubit.errors import printable

TYPE_CHECKING = False  # typing costs every `ubit run` milliseconds (issue 17)
if TYPE_CHECKING:
    from typing import NoReturn


def fail(where: str, message: str, code: int = 1) -> int:
    """Print ``ubit: <where>: <message>`` (``ubit: <message>`` without ``where``); ``code``.

    The message is made one line of plain text: names from hexes and boards in it
    can't move the cursor or clear the screen.
    """
    prefix = f"ubit: {where}: " if where else "ubit: "
    print(prefix + printable(message.removeprefix(prefix)), file=sys.stderr)
    return code


def terminal_width() -> int:
    """The terminal's columns as ``shutil.get_terminal_size()`` gives them (COLUMNS first,
    then standard output's terminal, else 80), without importing shutil."""
    import os

    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class CommandParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors read ``ubit: <command>: ...`` and exit 2."""

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse makes a formatter for every option added, and each imports shutil
        # (and with it bz2 and lzma) for the terminal's width: `ubit run` would wait
        # for them before its board starts. The same width, found as shutil finds it.
        return self.formatter_class(prog=self.prog, width=terminal_width() - 2)

    def error(self, message: str) -> NoReturn:
        """Report a usage error in ubit's format."""
        where = self.prog.removeprefix("ubit").strip()  # "" for ubit itself: no "ubit: ubit:"
        fail(where, f"{message} (see '{self.prog} --help')", 2)
        sys.exit(2)


def add_command(
    sub: argparse._SubParsersAction,
    name: str,
    summary: str,
    examples: str,
    label: str | None = None,
) -> argparse.ArgumentParser:
    """Add a sub-command with a one-line summary and an examples section in its --help."""
    parser = sub.add_parser(
        name,
        help=summary,
        description=f"{summary}\n\nexamples:\n{examples.rstrip()}\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(command_label=label or name)
    return parser
