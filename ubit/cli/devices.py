"""``ubit devices``: the micro:bits connected by USB."""

from __future__ import annotations

import argparse

from ubit.cli.parser import add_command

NONE_FOUND = "no micro:bit found"


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ubit devices``."""
    parser = add_command(
        sub, "devices", "List the micro:bits connected by USB: port, V1/V2, serial number.",
        "  ubit devices\n"
        "  ubit fs ls --port /dev/ttyACM0    then use one of them\n",
    )
    parser.set_defaults(handler=run_devices)


def run_devices(args: argparse.Namespace) -> int:
    """Print one line per micro:bit; exit 1 when there is none."""
    from ubit.device.discovery import find_microbits

    boards = find_microbits()
    if not boards:
        print(NONE_FOUND)
        return 1
    for board in boards:
        print(board.describe())
    return 0
