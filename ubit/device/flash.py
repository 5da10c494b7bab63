"""Copying a hex onto a micro:bit drive, where DAPLink flashes it into the board."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

from ubit.errors import DeviceError

CHUNK_SIZE = 16 * 1024
DEFAULT_NAME = "micropython.hex"

Progress = Callable[[int, int], None]

_GONE = {errno.ENOENT, errno.EIO, errno.ENODEV, errno.ENXIO, errno.ESTALE}
_FULL = {errno.ENOSPC, errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def _copy_error(target: Path, exc: OSError) -> DeviceError:
    """A clear one-line error for an OSError while writing ``target``."""
    reason = exc.strerror or str(exc)
    if exc.errno in _FULL:
        return DeviceError(f"{target}: the drive is full ({reason}); a micro:bit drive takes "
                           "one hex at a time, so unplug and replug the micro:bit and try again")
    if exc.errno in _READ_ONLY:
        return DeviceError(f"{target}: can't write to the drive ({reason})")
    if exc.errno in _GONE:
        return DeviceError(f"{target}: the drive went away while copying ({reason}); was the "
                           "micro:bit unplugged or reset? Plug it in and flash again")
    return DeviceError(f"{target}: copying to the drive failed ({reason}); flash again")


def copy_hex(
    data: bytes, drive_folder: str | os.PathLike[str], name: str = DEFAULT_NAME,
    progress: Progress | None = None,
) -> Path:
    """Write ``data`` as ``drive_folder/name`` in chunks, then flush and fsync; return its path.

    The file is written in place, never via a temporary file: DAPLink flashes whatever .hex
    arrives on the drive, and then the drive disconnects while the board reboots.
    """
    folder = Path(drive_folder)
    target = folder / name
    if not folder.is_dir():
        raise DeviceError(f"{folder}: the drive is not there (was the micro:bit unplugged?)")
    total = len(data)
    view = memoryview(data)
    try:
        with open(target, "wb") as out:
            done = 0
            if progress:
                progress(0, total)
            while done < total:
                done += out.write(view[done:done + CHUNK_SIZE])
                if progress:
                    progress(done, total)
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        raise _copy_error(target, exc) from None
    return target
