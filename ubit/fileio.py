"""Reading users' files with clear errors, and writing files atomically.

Only regular files are read or written: a device (``/dev/zero``), a FIFO or a socket
is refused before it is opened (a FIFO with no writer would block ``open`` for ever,
a device would be read without end), and a symbolic link, device or FIFO given as an
output is never replaced by a regular file.
"""

from __future__ import annotations

import os
import stat
import sys

from ubit.errors import InputFileError, printable

TYPE_CHECKING = False  # pathlib costs `ubit run` milliseconds: imported where it is used
if TYPE_CHECKING:
    from pathlib import Path

# The most any command reads from one file unless it says less: far more than a
# micro:bit holds (a universal hex is about 2 MB), far less than a disk image.
MAX_INPUT_SIZE = 16 * 1024 * 1024
# Characters Windows forbids in file names (":" would also name a drive or a stream).
_WINDOWS_FORBIDDEN = set('<>:"|?*')


def shown(path: str | os.PathLike[str]) -> str:
    """A path as an error message shows it (control characters escaped)."""
    return printable(str(path))


def as_path(path: str | os.PathLike[str]) -> str:
    """``str(Path(path))``: the path a ``Path`` of it names and shows (``a//b/./c/`` is
    ``a/b/c``), without importing pathlib on POSIX."""
    text = os.fspath(path)
    if not isinstance(text, str) or os.sep != "/" or os.altsep:
        from pathlib import Path

        return str(Path(path))
    stripped = text.lstrip("/")
    slashes = len(text) - len(stripped)
    root = "//" if slashes == 2 else "/" if slashes else ""  # POSIX keeps exactly two
    return root + "/".join(part for part in stripped.split("/") if part not in ("", ".")) \
        or "."


def path_name(path: str | os.PathLike[str]) -> str:
    """``Path(path).name``: the last part of the path ("" for "/" or ".")."""
    if os.sep != "/" or os.altsep:
        from pathlib import Path

        return Path(path).name
    name = as_path(path).rpartition("/")[2]
    return "" if name == "." else name


def kind_of(mode: int) -> str | None:
    """What a file that isn't a regular file is ("a device", "a FIFO"), or None if it is one."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def read_input_bytes(path: str | os.PathLike[str], max_size: int = MAX_INPUT_SIZE) -> bytes:
    """Read a regular file the user named, at most ``max_size`` bytes; one-line errors."""
    p = as_path(path)
    try:
        _check_readable(p, os.stat(p), max_size)
        # O_NONBLOCK: should a FIFO appear here after the check, open() still returns
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
                     | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as src:
            _check_readable(p, os.fstat(src.fileno()), max_size)  # what was opened, not named
            data = src.read(max_size + 1)
    except OSError as exc:
        raise _explain(p, exc, "no such file", "read") from None
    if len(data) > max_size:  # it grew while being read
        raise _too_big(p, len(data), max_size)
    return data


def _check_readable(path: str | Path, st: os.stat_result, max_size: int) -> None:
    """Refuse a file that isn't a regular one, or is bigger than ``max_size``."""
    kind = kind_of(st.st_mode)
    if kind == "a folder":
        raise InputFileError(f"{shown(path)}: is a folder, not a file")
    if kind is not None:
        raise InputFileError(f"{shown(path)}: is {kind}, not a regular file; "
                             "give the path of a file")
    if st.st_size > max_size:
        raise _too_big(path, st.st_size, max_size)


def _too_big(path: str | Path, size: int, max_size: int) -> InputFileError:
    return InputFileError(f"{shown(path)}: is {size:,} bytes, too big for this "
                          f"(at most {max_size:,} bytes)")


def _explain(path: str | Path, exc: OSError, missing: str, verb: str) -> InputFileError:
    """An OS error on ``path`` as one line a user can act on."""
    if isinstance(exc, FileNotFoundError):
        return InputFileError(f"{shown(path)}: {missing}")
    if isinstance(exc, PermissionError):
        return InputFileError(f"{shown(path)}: permission denied (can't {verb})")
    return InputFileError(f"{shown(path)}: can't {verb} ({exc.strerror or exc})")


def host_name_problem(name: str) -> str | None:
    """Why a name from a hex or a board can't be one file in a folder here (None if it can)."""
    if name in ("", ".", ".."):
        return "not a usable file name on this computer"
    if "/" in name or "\\" in name:
        return "a name with / or \\ would be a path on this computer"
    if "\0" in name:
        return "a name with a NUL byte can't be a file name on this computer"
    if sys.platform == "win32" and (_WINDOWS_FORBIDDEN & set(name) or name.endswith((" ", "."))):
        return "Windows can't have this name as a file name"
    return None


def check_output_path(path: str | os.PathLike[str]) -> None:
    """Raise InputFileError now if ``atomic_write(path, ...)`` could not write there.

    For files written at the end of a long run: the folder must exist and take a new
    file, and ``path`` must be a regular file or not exist yet.
    """
    from pathlib import Path

    target = Path(path)
    check_replaceable(target)
    fd, tmp = _open_temporary(target)
    os.close(fd)
    os.unlink(tmp)


def check_replaceable(path: str | os.PathLike[str]) -> None:
    """Refuse to replace a folder, symbolic link, device, FIFO or socket at ``path``."""
    from pathlib import Path

    target = Path(path)
    try:
        mode = os.lstat(target).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return  # nothing there yet: whether the folder takes it is for the write to find
    except OSError as exc:
        raise _explain(target, exc, "no such file or folder", "write it") from None
    kind = kind_of(mode)
    if kind == "a folder":
        raise InputFileError(f"{shown(target)}: is a folder; give a file name to write")
    if kind == "a symbolic link":
        raise InputFileError(f"{shown(target)}: is a symbolic link (to "
                             f"{shown(os.readlink(target))}); ubit won't replace it: give the "
                             "path of a regular file")
    if kind is not None:
        raise InputFileError(f"{shown(target)}: is {kind}, not a regular file; ubit writes "
                             "only regular files: give another path")


def _open_temporary(target: Path) -> tuple[int, Path]:
    """A new temporary file beside ``target`` (for the rename), open for writing."""
    from pathlib import Path

    folder = target.parent if str(target.parent) else Path(".")
    tmp = folder / f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o666)
    except OSError as exc:
        if isinstance(exc, NotADirectoryError):
            raise InputFileError(f"{shown(target)}: {shown(folder)} is not a folder") from None
        if isinstance(exc, FileNotFoundError) and folder.is_dir():  # /proc, /sys
            raise InputFileError(f"{shown(target)}: {shown(folder)} takes no new files; "
                                 "give another folder") from None
        raise _explain(target, exc, f"folder {shown(folder)} does not exist",
                       f"write in {shown(folder)}") from None
    return fd, tmp


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename: all or nothing.

    ``path`` must be a regular file or not exist: a symbolic link, device or FIFO there
    is refused, not replaced.
    """
    from pathlib import Path

    target = Path(path)
    check_replaceable(target)
    fd, tmp = _open_temporary(target)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        check_replaceable(target)  # again: it may have been made while we wrote
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _explain(target, exc, "no such file or folder", "write it") from None
        raise
