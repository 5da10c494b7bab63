"""``ubit flash``: build files into a hex and copy it to the micro:bit's USB drive."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ubit.cli.hex import read_hex_file
from ubit.cli.parser import add_command, fail
from ubit.cli.progress import ProgressBar
from ubit.errors import DeviceError, HexError, UbitError, UsageError
from ubit.hexfile.targets import TARGETS

if TYPE_CHECKING:
    from ubit.device.drives import Drive

WATCH_INTERVAL_ENV = "UBIT_WATCH_INTERVAL"
DEFAULT_WATCH_INTERVAL = 0.5  # seconds between looks at the files' sizes and times
# After a flash the board reboots and its drive disappears for a few seconds; a change
# saved meanwhile waits this long for the drive to come back.
DRIVE_RETURN_TIMEOUT = 15.0

Snapshot = tuple[tuple[int, int] | None, ...]


def _positive_int(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is less than 1")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ubit flash``."""
    parser = add_command(
        sub, "flash", "Build files into a hex and copy it to the micro:bit's USB drive.",
        "  ubit flash main.py                     build for V1 and V2, copy to MICROBIT\n"
        "  ubit flash game.py lib.py --main game.py\n"
        "  ubit flash game.hex                    copy a ready-made hex as it is\n"
        "  ubit flash main.py --drive /media/me/MICROBIT\n"
        "  ubit flash main.py --watch             flash again each time main.py is saved\n"
        "  ubit flash main.py lib.py --port /dev/ttyACM0\n"
        "      only the files, over serial, when the board already runs ubit's MicroPython\n"
        "      (seconds); else the whole hex through the drive\n",
    )
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="files to put on the board, or one .hex to copy as it is")
    parser.add_argument("--drive", metavar="PATH",
                        help="the micro:bit drive's folder (default: find it)")
    parser.add_argument("--target", choices=TARGETS, default=None,
                        help="boards to build for (default: universal = V1 and V2)")
    parser.add_argument("--main", metavar="NAME",
                        help="which file to run at start (stored as main.py)")
    parser.add_argument("--port", metavar="PORT",
                        help="the board's serial port (a pty works too): send only the files "
                             "there and restart the board, if it runs the MicroPython ubit "
                             "bundles; otherwise flash the hex through the drive")
    parser.add_argument("--watch", action="store_true",
                        help="keep watching the files and flash again when they change")
    parser.add_argument("--watch-count", type=_positive_int, metavar="N",
                        help=argparse.SUPPRESS)  # stop after N re-flashes (for tests)
    parser.set_defaults(handler=run_flash)


class Image:
    """A hex ready to copy: its bytes and the boards (labels) it runs on."""

    def __init__(self, data: bytes, boards: tuple[str, ...]) -> None:
        self.data = data
        self.boards = boards


def _is_hex(path: str) -> bool:
    return Path(path).suffix.lower() == ".hex"


def check_args(args: argparse.Namespace) -> None:
    """Refuse combinations that make no sense before touching any file or drive."""
    hexes = [f for f in args.files if _is_hex(f)]
    if hexes and len(args.files) > 1:
        raise UsageError(f"{hexes[0]}: a .hex is copied as it is, so give it on its own "
                         "(or give only the files to build)")
    if hexes and args.main:
        raise UsageError(f"--main is for building; {hexes[0]} is a ready-made hex")
    if hexes and args.port:
        raise UsageError(f"--port sends files over serial; {hexes[0]} is a ready-made hex "
                         "(leave --port out to copy it to the drive)")


def read_checked_hex(path: str, target: str | None) -> Image:
    """A .hex's bytes, read once and checked to be a MicroPython hex before any copying."""
    data, contents = read_hex_file(path)
    boards = tuple(part.board.label for part in contents.boards)
    if target and target != "universal" and target.upper() not in boards:
        raise HexError(f"{path}: is for {' and '.join(boards)}, not {target.upper()} "
                       "(--target only checks a ready-made hex; it can't change it)")
    return Image(data, boards)


def prepare(args: argparse.Namespace) -> Image:
    """The hex to copy: the user's .hex as it is, or their files built into one."""
    if _is_hex(args.files[0]):
        return read_checked_hex(args.files[0], args.target)
    from ubit.project import build_from_paths

    text, boards = build_from_paths(args.files, args.target or "universal", args.main)
    return Image(text.encode("ascii"), tuple(board.label for board in boards))


def check_fits_drive(image: Image, drive: Drive, args: argparse.Namespace) -> None:
    """Refuse a hex the board on ``drive`` can't run (DAPLink would reject it anyway)."""
    label = drive.board_label
    if label is None or label in image.boards:
        return
    boards = " and ".join(image.boards)
    if _is_hex(args.files[0]):
        what, fix = f"{args.files[0]} is for {boards} only", f"use a hex built for {label}"
    else:
        what = f"--target {args.target} builds for {boards} only"
        fix = f"use --target {label.lower()} or leave --target out (universal)"
    raise DeviceError(f"{what}, but the micro:bit at {drive.path} is a {label}; {fix}")


def _note(args: argparse.Namespace, message: str) -> None:
    print(f"ubit: {args.command_label}: {message}", file=sys.stderr)


def flash_once(args: argparse.Namespace, get_drive: Callable[[], Drive]) -> str:
    """Build (or read) the hex, find the drive, check the board can run it, copy it."""
    from ubit.device.flash import copy_hex

    image = prepare(args)
    drive = get_drive()
    check_fits_drive(image, drive, args)
    with ProgressBar(f"copying to {drive.path.name or drive.path}") as bar:
        copy_hex(image.data, drive.path, progress=bar)
    names = ", ".join(Path(f).name for f in args.files)
    return f"flashed {names} to {drive.describe()}, {len(image.data):,} bytes"


def watch_interval() -> float:
    """Seconds between checks for changes: ``UBIT_WATCH_INTERVAL`` or 0.5."""
    raw = os.environ.get(WATCH_INTERVAL_ENV)
    if not raw:
        return DEFAULT_WATCH_INTERVAL
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        raise UsageError(f"{WATCH_INTERVAL_ENV}={raw!r}: give a number of seconds above 0")
    return value


def snapshot(paths: Sequence[str]) -> Snapshot:
    """Each file's (mtime in ns, size), or None for one that can't be seen right now."""
    result: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            st = os.stat(path)
            result.append((st.st_mtime_ns, st.st_size))
        except OSError:
            result.append(None)
    return tuple(result)


def first_drive(args: argparse.Namespace) -> Drive:
    """The drive for the first flash: ``--drive`` or the one found; its note is shown."""
    from ubit.device.drives import pick_drive

    drive, note = pick_drive(None, args.drive)
    if note:
        _note(args, f"note: {note}")
    return drive


def find_drive_again(args: argparse.Namespace, interval: float) -> Drive:
    """The drive to flash while watching, waiting a while if it is away (board rebooting)."""
    from ubit.device.drives import find_drives, pick_drive

    deadline = time.monotonic() + DRIVE_RETURN_TIMEOUT
    while time.monotonic() < deadline:
        present = Path(args.drive).is_dir() if args.drive else bool(find_drives())
        if present:
            break
        time.sleep(interval)
    drive, _already_noted = pick_drive(None, args.drive)
    return drive


def watch(args: argparse.Namespace, last: Snapshot, interval: float) -> int:
    """Flash again whenever the files change, until Ctrl-C (or ``--watch-count``)."""
    names = ", ".join(Path(f).name for f in args.files)
    flashes = 0
    try:
        print(f"watching {names} for changes (Ctrl-C to stop)", flush=True)
        while args.watch_count is None or flashes < args.watch_count:
            time.sleep(interval)
            now = snapshot(args.files)
            if now == last:
                continue
            while True:  # let an editor finish saving before building
                time.sleep(interval)
                settled = snapshot(args.files)
                if settled == now:
                    break
                now = settled
            changed = ", ".join(Path(f).name for f, a, b in zip(args.files, last, now, strict=True)
                                if a != b)
            last = now
            try:
                done = (flash_over_serial(args) if args.port else None) or \
                    flash_once(args, lambda: find_drive_again(args, interval))
            except UbitError as exc:
                fail(args.command_label, f"{changed} changed, but: {exc}")
                continue
            flashes += 1
            print(f"{changed} changed; {done}", flush=True)
    except KeyboardInterrupt:
        print("\nstopped watching", file=sys.stderr)
    return 0


def flash_over_serial(args: argparse.Namespace) -> str | None:
    """``--port``: the files over serial if the board runs ubit's release; what was done,
    or None (after saying why) when the hex has to go through the drive instead."""
    from ubit.device.projectflash import Flashed, try_serial
    from ubit.device.transport import SerialTransport
    from ubit.hexfile.sources import assign_names
    from ubit.project import read_sources

    named = assign_names(read_sources(args.files), args.main)
    files = {f.name: f.data for f in named}
    transport = SerialTransport(args.port)
    try:
        with ProgressBar("sending") as bar:
            outcome = try_serial(transport, files, lambda done, total, _what: bar(done, total))
    finally:
        transport.close()
    if isinstance(outcome, Flashed):
        return outcome.message
    _note(args, f"{args.port}: {outcome}; flashing the whole hex through the drive")
    return None


def run_flash(args: argparse.Namespace) -> int:
    """Flash once, then keep flashing on changes with ``--watch``."""
    check_args(args)
    interval = watch_interval() if args.watch else DEFAULT_WATCH_INTERVAL
    before = snapshot(args.files)  # taken first, so a save during the build is not missed
    done = flash_over_serial(args) if args.port else None
    print(done or flash_once(args, lambda: first_drive(args)), flush=True)
    if args.watch:
        return watch(args, before, interval)
    return 0
