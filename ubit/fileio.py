"""Reading users' files with clear errors, and writing files atomically."""

from __future__ import annotations

import os
from pathlib import Path

from ubit.errors import InputFileError


def read_input_bytes(path: str | os.PathLike[str], max_size: int | None = None) -> bytes:
    """Read a file the user named, turning every OS failure into a one-line error."""
    p = Path(path)
    try:
        if p.is_dir():
            raise InputFileError(f"{p}: is a folder, not a file")
        size = p.stat().st_size
        if max_size is not None and size > max_size:
            raise InputFileError(
                f"{p}: is {size:,} bytes, too big for this (at most {max_size:,} bytes)"
            )
        return p.read_bytes()
    except OSError as exc:
        raise _explain(p, exc, "no such file", "read") from None


def _explain(path: Path, exc: OSError, missing: str, verb: str) -> InputFileError:
    """An OS error on ``path`` as one line a user can act on."""
    if isinstance(exc, FileNotFoundError):
        return InputFileError(f"{path}: {missing}")
    if isinstance(exc, PermissionError):
        return InputFileError(f"{path}: permission denied (can't {verb})")
    return InputFileError(f"{path}: can't {verb} ({exc.strerror or exc})")


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename: all or nothing."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        tmp = folder / f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o666)
    except OSError as exc:
        raise _explain(target, exc, f"folder {folder} does not exist", "write there") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if target.is_dir():
            raise InputFileError(f"{target}: is a folder; give a file name to write")
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _explain(target, exc, "no such file or folder", "write it") from None
        raise
