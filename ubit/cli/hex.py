"""``ubit hex build | extract | info``: make, read and describe MicroPython hexes."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ubit.cli.parser import add_command
from ubit.errors import HexError, InputFileError, UbitError, printable
from ubit.fileio import atomic_write, check_replaceable, host_name_problem, read_input_bytes, shown
from ubit.hexfile.targets import TARGETS

if TYPE_CHECKING:
    from ubit.hexfile import HexContents

# The largest hex we accept: a universal hex is about 2 MB; 8 MB leaves room for any
# MicroPython hex while refusing to load a stray video or disk image.
MAX_HEX_SIZE = 8 * 1024 * 1024


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ubit hex`` and its sub-commands."""
    hex_parser = add_command(
        sub, "hex", "Build, extract and inspect MicroPython .hex files.",
        "  ubit hex build main.py -o game.hex\n"
        "  ubit hex extract game.hex -o src/\n"
        "  ubit hex info game.hex\n",
    )
    hex_sub = hex_parser.add_subparsers(dest="hex_command", metavar="SUBCOMMAND")
    hex_parser.set_defaults(handler=lambda args: _no_subcommand(hex_parser))

    build = add_command(
        hex_sub, "build", "Build a .hex from Python files (and any data files).",
        "  ubit hex build main.py                 -> main.hex, for V1 and V2\n"
        "  ubit hex build game.py lib.py --main game.py -o game.hex\n"
        "  ubit hex build main.py --target v1     -> V1-only hex\n"
        "  ubit hex build main.py --runtime my-micropython.hex\n",
        label="hex build",
    )
    build.add_argument("files", nargs="+", metavar="FILE", help="files to put on the board")
    build.add_argument("-o", "--output", metavar="OUT",
                       help="hex to write (default: the first file's name with .hex)")
    build.add_argument("--target", choices=TARGETS, default="universal",
                       help="boards to build for (default: universal = V1 and V2)")
    build.add_argument("--runtime", metavar="HEX",
                       help="a MicroPython runtime hex to use instead of the bundled one "
                            "for its board (V1 or V2)")
    build.add_argument("--main", metavar="NAME",
                       help="which file to run at start (stored as main.py)")
    build.set_defaults(handler=run_build)

    extract = add_command(
        hex_sub, "extract", "Write out every file stored in a MicroPython .hex.",
        "  ubit hex extract game.hex              -> files in the current folder\n"
        "  ubit hex extract game.hex -o src/\n"
        "  ubit hex extract old-2016.hex --stdout  (prints main.py)\n",
        label="hex extract",
    )
    extract.add_argument("hex", metavar="HEX")
    where = extract.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="DIR", help="folder to write into (default .)")
    where.add_argument("--stdout", action="store_true", help="print the files instead")
    extract.add_argument("--force", action="store_true", help="overwrite files that exist")
    extract.set_defaults(handler=run_extract)

    info = add_command(
        hex_sub, "info", "Show a .hex's targets, MicroPython version, filesystem and files.",
        "  ubit hex info game.hex\n",
        label="hex info",
    )
    info.add_argument("hex", metavar="HEX")
    info.set_defaults(handler=run_info)


def _no_subcommand(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_build(args: argparse.Namespace) -> int:
    """Build the hex and write it atomically."""
    from ubit.project import build_from_paths

    out = Path(args.output) if args.output else Path(args.files[0]).with_suffix(".hex")
    text, boards = build_from_paths(args.files, args.target, args.main, args.runtime)
    atomic_write(out, text.encode("ascii"))
    print(f"wrote {shown(out)} ({len(text):,} bytes, for {' and '.join(b.label for b in boards)})")
    return 0


def read_hex_file(path: str) -> tuple[bytes, HexContents]:
    """A hex file's bytes, read once, and what they hold; errors name the path."""
    from ubit.hexfile import ensure_text, read_hex

    data = read_input_bytes(path, MAX_HEX_SIZE)
    try:
        return data, read_hex(ensure_text(data))
    except HexError as exc:
        raise HexError(f"{shown(path)}: {exc}") from None


def load_hex(path: str) -> HexContents:
    """Read and decode a hex file the user named, with the path in any error."""
    return read_hex_file(path)[1]


def run_extract(args: argparse.Namespace) -> int:
    """Write (or print) every file found in the hex."""
    contents = load_hex(args.hex)
    files = contents.files()
    if not files:
        raise HexError(f"{shown(args.hex)}: holds MicroPython but no files")
    if args.stdout:
        for name, data in files.items():
            if len(files) > 1:
                sys.stdout.write(f"# ---- {printable(name)} ----\n")
                sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        return 0
    folder = Path(args.output or ".")
    targets = extract_targets(args.hex, files, folder, args.force)
    make_folder(folder)
    for name, data in files.items():
        atomic_write(targets[name], data)
        print(f"wrote {shown(targets[name])} ({len(data):,} bytes)")
    return 0


def extract_targets(hex_path: str, files: dict[str, bytes], folder: Path,
                    force: bool) -> dict[str, Path]:
    """Where each file goes in ``folder``, every name and path checked before any is written.

    A name that would be a path here (``../x``, ``/etc/x``, ``a\\b``, ``..``) is refused,
    so nothing is ever written outside ``folder``.
    """
    for name in files:
        why = host_name_problem(name)
        if why:
            raise HexError(f"{shown(hex_path)}: holds a file named '{printable(name)}' ({why}); "
                           "nothing was written (--stdout shows the files)")
    if folder.exists() and not folder.is_dir():
        raise InputFileError(f"{shown(folder)}: is a file; give a folder with -o")
    targets = {name: folder / name for name in files}
    there = [path for path in targets.values() if os.path.lexists(path)]
    if there and not force:
        raise UbitError(f"{', '.join(shown(path) for path in there)} already "
                        f"exist{'s' if len(there) == 1 else ''}; "
                        "use --force to overwrite or -o to choose another folder")
    for path in there:
        check_replaceable(path)  # --force replaces files, never links, devices or FIFOs
    return targets


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) unless it exists; one-line errors."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputFileError(f"{shown(folder)}: can't create the folder "
                             f"({exc.strerror or exc})") from None


def run_info(args: argparse.Namespace) -> int:
    """Print what the hex holds."""
    contents = load_hex(args.hex)
    kind = "universal hex" if contents.universal else "hex"
    print(f"{shown(args.hex)}: {kind} for {' and '.join(b.board.label for b in contents.boards)}")
    for part in contents.boards:
        print(f"\n{part.board.label} ({part.board.mcu})")
        print(f"  MicroPython: {printable(part.version or 'unknown version')}")
        if part.legacy:
            print("  script appended to the firmware (MicroPython 1.0.x format, no filesystem)")
        else:
            free = part.capacity - part.used
            print(f"  filesystem:  {part.capacity:,} bytes, {part.used:,} used, {free:,} free")
        if part.files:
            print("  files:")
            names = {name: printable(name) for name in part.files}  # can't drive the terminal
            width = max(len(n) for n in names.values())
            for name, data in sorted(part.files.items()):
                print(f"    {names[name]:<{width}}  {len(data):>6,} bytes")
        else:
            print("  files:       none")
    return 0
