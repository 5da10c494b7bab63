"""``ubit tidy FILE...``: lay programs out the standard way (black), in place."""

from __future__ import annotations

import argparse
import difflib
import sys

from ubit.cli.parser import add_command, fail
from ubit.errors import InputFileError, UbitError, printable


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ubit tidy``."""
    parser = add_command(
        sub, "tidy", "Tidy Python programs: the standard layout, the same program.",
        "  ubit tidy main.py            tidy main.py in place\n"
        "  ubit tidy *.py --check       say which files tidy would change (exit 1 if any)\n"
        "  ubit tidy main.py --diff     show what tidy would change, change nothing\n"
        "\n"
        "A file with a syntax error is left as it is, and the error says where.\n",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="Python files to tidy")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a file would change")
    parser.add_argument("--diff", action="store_true",
                        help="change nothing; print what would change")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Tidy each file; exit 1 if one couldn't be (or, with --check, would change)."""
    from ubit.check.tidy import tidy_source
    from ubit.fileio import atomic_write, check_replaceable, read_input_bytes

    trouble = False
    for name in args.files:
        shown = printable(name)
        try:
            data = read_input_bytes(name)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise InputFileError(f"{shown}: not UTF-8 text: save it as UTF-8, "
                                     "then tidy") from None
            tidied = tidy_source(text, shown)
            if tidied == text:
                print(f"{shown}: already tidy")
                continue
            if args.diff:
                sys.stdout.writelines(difflib.unified_diff(
                    text.splitlines(keepends=True), tidied.splitlines(keepends=True),
                    f"{shown} (now)", f"{shown} (tidied)"))
                trouble |= args.check
            elif args.check:
                print(f"{shown}: would be tidied")
                trouble = True
            else:
                check_replaceable(name)
                atomic_write(name, tidied.encode("utf-8"))
                print(f"{shown}: tidied")
        except UbitError as exc:
            fail("tidy", str(exc), 1)  # the other files are still tidied
            trouble = True
    return 1 if trouble else 0
