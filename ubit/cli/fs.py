"""``ubit fs ls | put | get | rm | cat | du``: the files on a board, over its serial port."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ubit.cli.connect import add_board_options, raw_repl
from ubit.cli.parser import add_command
from ubit.cli.progress import ProgressBar
from ubit.errors import UsageError, printable

# A host file to put on a board: far more than any micro:bit filesystem holds (~28 KB),
# but reading it gives a clear size error rather than loading something enormous.
MAX_PUT_SIZE = 1024 * 1024


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ubit fs`` and its sub-commands."""
    fs_parser = add_command(
        sub, "fs", "List, copy and remove the files on a micro:bit over its serial port.",
        "  ubit fs ls                      files on the micro:bit found on USB\n"
        "  ubit fs put main.py data.bin    copy files onto the board\n"
        "  ubit fs get data.bin -o saved/  copy a file off the board\n"
        "  ubit fs cat main.py             print a file on the board\n"
        "  ubit fs rm data.bin\n"
        "  ubit fs du                      sizes, and the total\n"
        "  ubit fs ls --port /dev/pts/5    a board on another port (ubit sim, QEMU)\n",
    )
    fs_sub = fs_parser.add_subparsers(dest="fs_command", metavar="SUBCOMMAND")
    fs_parser.set_defaults(handler=lambda args: _no_subcommand(fs_parser))

    def command(name: str, summary: str, examples: str) -> argparse.ArgumentParser:
        parser = add_command(fs_sub, name, summary, examples, label=f"fs {name}")
        add_board_options(parser)
        return parser

    ls = command("ls", "List the files on the board.",
                 "  ubit fs ls\n  ubit fs ls -l          with sizes\n")
    ls.add_argument("-l", "--long", action="store_true", help="show each file's size")
    ls.set_defaults(handler=run_ls)

    put = command("put", "Copy files from this computer onto the board.",
                  "  ubit fs put main.py\n  ubit fs put game.py --as main.py\n"
                  "  ubit fs put *.py --port /dev/ttyACM0\n")
    put.add_argument("files", nargs="+", metavar="FILE")
    put.add_argument("--as", dest="target", metavar="NAME",
                     help="name on the board (one FILE only; default: the file's own name)")
    put.set_defaults(handler=run_put)

    get = command("get", "Copy files from the board onto this computer.",
                  "  ubit fs get main.py\n  ubit fs get main.py -o backup.py\n"
                  "  ubit fs get a.py b.py -o saved/\n")
    get.add_argument("names", nargs="+", metavar="NAME")
    get.add_argument("-o", "--output", metavar="PATH",
                     help="file to write (one NAME), or folder (default: current folder)")
    get.set_defaults(handler=run_get)

    rm = command("rm", "Remove files from the board.", "  ubit fs rm data.bin old.py\n")
    rm.add_argument("names", nargs="+", metavar="NAME")
    rm.set_defaults(handler=run_rm)

    cat = command("cat", "Print files on the board.", "  ubit fs cat main.py\n")
    cat.add_argument("names", nargs="+", metavar="NAME")
    cat.set_defaults(handler=run_cat)

    du = command("du", "Show the size of files on the board, and their total.",
                 "  ubit fs du\n  ubit fs du main.py\n")
    du.add_argument("names", nargs="*", metavar="NAME")
    du.set_defaults(handler=run_du)


def _no_subcommand(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_ls(args: argparse.Namespace) -> int:
    """Print the board's file names (with sizes for ``-l``)."""
    from ubit.device.fs import BoardFiles

    with raw_repl(args) as repl:
        sizes = BoardFiles(repl).sizes()
    width = max((len(f"{s:,}") for s in sizes.values()), default=0)
    for name, size in sizes.items():
        print(f"{size:>{width},}  {printable(name)}" if args.long else printable(name))
    return 0


def run_put(args: argparse.Namespace) -> int:
    """Copy each local file onto the board, with a progress bar."""
    from ubit.device.fs import BoardFiles, check_name
    from ubit.fileio import read_input_bytes

    if args.target and len(args.files) > 1:
        raise UsageError("--as names one file on the board; give one FILE with it")
    # read and check everything before touching the board
    jobs = [(args.target or Path(f).name, read_input_bytes(f, MAX_PUT_SIZE)) for f in args.files]
    for name, _ in jobs:
        check_name(name)
    with raw_repl(args) as repl:
        files = BoardFiles(repl)
        for name, data in jobs:
            with ProgressBar(f"put {printable(name)}") as bar:
                files.put(data, name, progress=bar)
            print(f"{printable(name)}: {len(data):,} bytes put on the board")
    return 0


def _get_targets(args: argparse.Namespace) -> list[tuple[str, Path]]:
    """Where each board file goes: ``-o`` as a file (one name) or a folder."""
    from ubit.fileio import check_output_path, host_name_problem

    out = Path(args.output) if args.output else Path(".")
    if len(args.names) > 1 or out.is_dir() or (args.output or "").endswith(("/", "\\")):
        if not out.is_dir():
            raise UsageError(f"{out}: not a folder (with several names, -o is a folder)")
        for name in args.names:  # each board file must be one file in that folder
            why = host_name_problem(name)
            if why:
                raise UsageError(f"{printable(name)}: {why}; give -o FILE to name the copy")
        targets = [(name, out / name) for name in args.names]
    else:
        targets = [(args.names[0], out)]
    for _, path in targets:  # before anything comes off the board
        check_output_path(path)
    return targets


def run_get(args: argparse.Namespace) -> int:
    """Copy each board file to the host, written atomically, with a progress bar."""
    from ubit.device.fs import BoardFiles, check_name

    targets = _get_targets(args)
    for name, _ in targets:
        check_name(name)
    with raw_repl(args) as repl:
        files = BoardFiles(repl)
        for name, path in targets:
            with ProgressBar(f"get {printable(name)}") as bar:
                size = files.get_to(name, path, progress=bar)
            print(f"{printable(name)}: {size:,} bytes written to {printable(str(path))}")
    return 0


def run_rm(args: argparse.Namespace) -> int:
    """Remove the named files from the board."""
    from ubit.device.fs import BoardFiles

    with raw_repl(args) as repl:
        files = BoardFiles(repl)
        for name in args.names:
            files.rm(name)
    return 0


def run_cat(args: argparse.Namespace) -> int:
    """Write the named board files to stdout as they arrive (bytes as they are)."""
    from ubit.device.fs import BoardFiles

    out = sys.stdout.buffer

    def show(piece: bytes) -> None:
        out.write(piece)
        out.flush()

    with raw_repl(args) as repl:
        files = BoardFiles(repl)
        for name in args.names:
            files.get(name, on_piece=show)
    return 0


def run_du(args: argparse.Namespace) -> int:
    """Print the size of each file (all, or those named) and the total."""
    from ubit.device.fs import BoardFiles

    with raw_repl(args) as repl:
        files = BoardFiles(repl)
        sizes = files.sizes()
    if args.names:
        missing = [n for n in args.names if n not in sizes]
        if missing:
            from ubit.errors import DeviceError

            raise DeviceError(f"{missing[0]}: no such file on the board")
        sizes = {n: sizes[n] for n in args.names}
    total = sum(sizes.values())
    width = len(f"{total:,}")
    for name, size in sizes.items():
        print(f"{size:>{width},}  {printable(name)}")
    print(f"{total:>{width},}  total")
    return 0
