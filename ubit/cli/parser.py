"""The argument parser shared by every command group: one error format for all."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from ubit.errors import printable


def fail(where: str, message: str, code: int = 1) -> int:
    """Print ``ubit: <where>: <message>`` (``ubit: <message>`` without ``where``); ``code``.

    The message is made one line of plain text: names from hexes and boards in it
    can't move the cursor or clear the screen.
    """
    prefix = f"ubit: {where}: " if where else "ubit: "
    print(prefix + printable(message.removeprefix(prefix)), file=sys.stderr)
    return code


class CommandParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors read ``ubit: <command>: ...`` and exit 2."""

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
