"""Finding micro:bit USB drives (DAPLink's MICROBIT volume) and telling V1 from V2."""

from __future__ import annotations

import glob
import os
import string
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ubit.errors import DriveNotFoundError, printable

# Every DAPLink drive holds these two files; names are matched case-insensitively.
MARKER_FILES = ("microbit.htm", "details.txt")
DETAILS_NAME = "DETAILS.TXT"
MAX_DETAILS_SIZE = 64 * 1024

# Folders whose direct children are candidate volumes; overrides the platform's defaults.
MOUNT_ROOTS_ENV = "UBIT_MOUNT_ROOTS"
LINUX_PATTERNS = ("/media/*/*", "/media/*", "/run/media/*/*", "/mnt/*")
MACOS_PATTERNS = ("/Volumes/*",)

# The first four hex digits of DAPLink's Unique ID are the board id (the same ids the
# Universal Hex specification uses): tech.microbit.org/latest-revision/daplink-interface/
BOARD_IDS = {
    "9900": "V1", "9901": "V1",
    "9903": "V2", "9904": "V2", "9905": "V2", "9906": "V2",
}
BOARD_ID_KEYS = ("unique id", "board id")

HEX_BUILD_HINT = "ubit hex build FILE -o FILE.hex"


@dataclass
class Drive:
    """A mounted micro:bit drive: its folder, V1 / V2 (None if unknown), and DETAILS.TXT."""

    path: Path
    board_label: str | None = None
    details: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        """The path, with the board when known: ``/media/u/MICROBIT (V2)``."""
        return f"{self.path} ({self.board_label})" if self.board_label else str(self.path)


def parse_details(text: str) -> dict[str, str]:
    """DETAILS.TXT's ``Key: Value`` lines as a dict (comments and other lines skipped)."""
    details: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if sep and key.strip():
            details.setdefault(key.strip(), value.strip())
    return details


def board_id_of(details: dict[str, str]) -> str | None:
    """The board id (4 lowercase hex digits) from ``Unique ID`` or ``Board ID``, if present."""
    by_key = {k.lower(): v for k, v in details.items()}
    for key in BOARD_ID_KEYS:
        digits = by_key.get(key, "")[:4].lower()
        if len(digits) == 4 and all(c in string.hexdigits for c in digits):
            return digits
    return None


def board_label_of(details: dict[str, str]) -> str | None:
    """The board, "V1" or "V2", from parsed DETAILS.TXT; None if its id is unknown or missing."""
    board_id = board_id_of(details)
    return BOARD_IDS.get(board_id) if board_id else None


def _entries(folder: Path) -> dict[str, str] | None:
    """Lowercased names in ``folder`` → real names, or None if it can't be listed."""
    try:
        return {name.lower(): name for name in os.listdir(folder)}
    except OSError:
        return None


def drive_at(folder: str | os.PathLike[str]) -> Drive | None:
    """The micro:bit drive mounted at ``folder``, or None if it isn't one."""
    path = Path(folder)
    names = _entries(path)
    if names is None or not all(m in names for m in MARKER_FILES):
        return None
    details: dict[str, str] = {}
    try:
        with open(path / names["details.txt"], "rb") as f:
            details = parse_details(f.read(MAX_DETAILS_SIZE).decode("utf-8", "replace"))
    except OSError:
        pass  # still a micro:bit drive; we just can't tell which board
    return Drive(path, board_label_of(details), details)


def _windows_roots() -> Iterator[Path]:
    for letter in "DEFGHIJKLMNOPQRSTUVWXYZ":
        root = f"{letter}:\\"
        try:
            if os.path.exists(root):
                yield Path(root)
        except OSError:
            continue


def candidate_folders() -> Iterator[Path]:
    """Folders that might be a mounted micro:bit drive, for this platform (or the env var)."""
    override = os.environ.get(MOUNT_ROOTS_ENV)
    if override:
        for root in filter(None, override.split(os.pathsep)):
            root_path = Path(root)
            yield root_path
            try:
                children = sorted(root_path.iterdir())
            except OSError:
                continue
            yield from children
        return
    if sys.platform == "win32":
        yield from _windows_roots()
        return
    patterns = MACOS_PATTERNS if sys.platform == "darwin" else LINUX_PATTERNS
    for pattern in patterns:
        yield from (Path(p) for p in sorted(glob.glob(pattern)))


def find_drives() -> list[Drive]:
    """Every mounted micro:bit drive, each once, sorted by path."""
    found: dict[str, Drive] = {}
    for folder in candidate_folders():
        try:
            if not folder.is_dir():
                continue
            key = os.path.realpath(folder)
        except OSError:
            continue
        if key in found:
            continue
        drive = drive_at(folder)
        if drive is not None:
            found[key] = drive
    return sorted(found.values(), key=lambda d: str(d.path))


NO_DRIVE = ("no micro:bit drive found; plug the micro:bit in with a USB data cable (it shows "
            "up as a drive called MICROBIT), or give its folder with --drive PATH")


def pick_drive(
    drives: Sequence[Drive] | None = None, explicit: str | os.PathLike[str] | None = None,
    none_found: str = f"{NO_DRIVE}. To copy a hex by hand instead, make one with "
                      f"'{HEX_BUILD_HINT}'",
) -> tuple[Drive, str | None]:
    """The one drive to flash, and a note for the user (or None).

    ``explicit`` (``--drive``) wins and need not look like a micro:bit; otherwise exactly one
    of ``drives`` (found with ``find_drives`` when None) must be there (``none_found``: the
    error when there is none).
    """
    if explicit is not None:
        path = Path(explicit)
        if not path.is_dir():
            what = "is not a folder" if path.exists() else "no such folder"
            raise DriveNotFoundError(f"--drive {path}: {what}; give the folder the micro:bit "
                                     "is mounted at (its drive is called MICROBIT)")
        drive = drive_at(path)
        if drive is not None:
            return drive, None
        return Drive(path), (f"{path} has no MICROBIT.HTM and DETAILS.TXT, so it is not a "
                             "micro:bit drive; copying there anyway")
    if drives is None:
        drives = find_drives()
    if not drives:
        raise DriveNotFoundError(none_found)
    if len(drives) > 1:
        listing = ", ".join(printable(d.describe()) for d in drives)
        raise DriveNotFoundError(
            f"found {len(drives)} micro:bit drives: {listing}; choose one with --drive PATH")
    return drives[0], None
