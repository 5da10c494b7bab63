"""``ubit log get``: a real micro:bit V2's data log (``MY_DATA.HTM`` on its drive) as CSV.

A virtual board's log is saved by ``ubit run PROGRAM --headless --log-csv FILE``.
"""

from __future__ import annotations

import argparse
import sys

from ubit.cli.parser import add_command


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ubit log`` and its sub-command ``get``."""
    log_parser = add_command(
        sub, "log", "The data log of a micro:bit V2 (what its program logged with log.add).",
        "  ubit log get                      the log as CSV, from the MICROBIT drive\n"
        "  ubit log get -o data.csv          saved in a file\n",
    )
    log_sub = log_parser.add_subparsers(dest="log_command", metavar="SUBCOMMAND")
    log_parser.set_defaults(handler=lambda args: _no_subcommand(log_parser))
    get = add_command(
        log_sub, "get",
        "Read the data log of the micro:bit plugged in by USB (MY_DATA.HTM on its "
        "MICROBIT drive) and write it as CSV.",
        "  ubit log get                                 print it\n"
        "  ubit log get -o data.csv                     save it (all or nothing)\n"
        "  ubit log get --drive /media/me/MICROBIT -o data.csv\n"
        "                                               with several boards plugged in\n"
        "  ubit run logger.py --headless --time 60 --log-csv data.csv\n"
        "                                               a virtual board's log instead\n",
        label="log get",
    )
    get.add_argument("-o", "--output", metavar="FILE.csv",
                     help="file to write (default: print the CSV)")
    get.add_argument("--drive", metavar="PATH",
                     help="the folder the micro:bit's drive is mounted at (default: the "
                          "one MICROBIT drive found)")
    get.set_defaults(handler=run_get)


def _no_subcommand(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_get(args: argparse.Namespace) -> int:
    """Write the board's log as CSV to stdout or ``--output``; one-line errors otherwise."""
    from ubit.device.datalog import NoDataLogError, read_board_log
    from ubit.fileio import atomic_write, check_output_path, shown

    if args.output:
        check_output_path(args.output)  # before the drive is read: fail fast
    drive, path, log = read_board_log(args.drive)
    if not log.csv:
        raise NoDataLogError(f"the data log on {shown(drive.path)} is empty: run a program "
                             "that logs with log.add() on the micro:bit, then read it again")
    data = log.csv.encode("utf-8", "surrogateescape")
    note = " (the log is full: the board logs no more until log.delete())" if log.full else ""
    if args.output:
        atomic_write(args.output, data)
        print(f"data log: {log.lines} lines from {shown(path)} saved in {shown(args.output)}"
              f"{note}", file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        if note:
            print(f"data log:{note}", file=sys.stderr)
    return 0
