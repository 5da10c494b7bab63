"""``ubit run --fs DIR``: the board's filesystem lives in a folder and survives restarts.

``load_folder`` reads the folder into the files a board starts with (one file
per micro:bit file, no sub-folders), refusing what the micro:bit couldn't hold:
names over 120 bytes, names that aren't UTF-8, more than the board's chunks.
``save_changes`` writes back what the board's ``filesystem`` part published
(each file atomically; deleted files are removed); ``persister`` wraps it as a
board listener.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from ubit.errors import FileNameError, FilesystemFullError, InputFileError, UbitError
from ubit.hexfile.fslayout import MAX_NAME, check_room
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.protocol import STATE, Message, file_changes
from ubit.sim.shared.typenames import Any

MAX_FILE = 64 * 1024  # bigger than any micro:bit filesystem: a file this big can't be one
# The temporary files ubit.fileio.atomic_write leaves only if interrupted: never board files.
_TEMPORARY = re.compile(r"^\..+\.\d+\.[0-9a-f]{8}\.tmp$")


def load_folder(folder: str | os.PathLike[str], spec: BoardSpec,
                create: bool = True) -> dict[str, bytes]:
    """The files in ``folder`` as a board filesystem (the folder is made if missing)."""
    from ubit.fileio import read_input_bytes

    path = Path(folder)
    if not path.exists() and create:
        try:
            path.mkdir()
        except OSError as exc:
            raise InputFileError(f"{path}: can't create the folder ({exc.strerror or exc})") \
                from None
    if not path.is_dir():
        raise InputFileError(f"{path}: not a folder (--fs needs a folder for the board's files)")
    files: dict[str, bytes] = {}
    for entry in sorted(path.iterdir()):
        name = entry.name
        if _TEMPORARY.match(name):
            continue
        if entry.is_dir():
            raise FileNameError(f"{entry}: is a folder; the micro:bit filesystem is flat "
                                "(move it out of the --fs folder)")
        if not entry.is_file():
            raise FileNameError(f"{entry}: not a regular file; the --fs folder may hold "
                                "only the board's files")
        check_board_name(name, entry)
        files[name] = read_input_bytes(entry, MAX_FILE)
    check_fits(files, spec, path)
    return files


def check_board_name(name: str, where: Path | str) -> None:
    """Raise FileNameError for a host file name the micro:bit can't hold."""
    try:
        encoded = name.encode("utf-8")
    except UnicodeEncodeError:
        raise FileNameError(f"{where}: the name is not UTF-8 text; rename the file") from None
    if len(encoded) > MAX_NAME:
        raise FileNameError(f"{where}: the name is {len(encoded)} bytes long; "
                            f"the micro:bit allows at most {MAX_NAME}")


def check_fits(files: Mapping[str, bytes], spec: BoardSpec, where: Path | str) -> None:
    """Raise FilesystemFullError if ``files`` need more chunks than the board has."""
    try:
        check_room(files, spec.fs_chunks, spec.label)
    except FilesystemFullError as exc:
        raise FilesystemFullError(f"{where}: {exc}") from None


def host_name_problem(name: str) -> str | None:
    """Why a micro:bit file name can't be a file in the folder (None if it can)."""
    from ubit.fileio import host_name_problem as path_problem

    why = path_problem(name)
    if why is None and _TEMPORARY.match(name):
        return "looks like one of ubit's temporary files"
    return why


def save_changes(folder: str | os.PathLike[str], value: Mapping[str, Any]) -> list[str]:
    """Write one published ``filesystem`` value's changes into ``folder``; the problems.

    Never raises: a file that can't be saved is reported in the returned list
    (the board keeps running with it).
    """
    from ubit.fileio import atomic_write

    path = Path(folder)
    problems = []
    for name, data in file_changes(value):
        why = host_name_problem(name)
        if why:
            problems.append(f"{name!r}: not saved in {path}: {why}")
            continue
        target = path / name
        try:
            if data is None:
                target.unlink(missing_ok=True)
            else:
                atomic_write(target, data)
        except UbitError as exc:
            problems.append(str(exc))
        except OSError as exc:
            problems.append(f"{target}: can't update it ({exc.strerror or exc})")
        except ValueError:  # a name this computer's file system can't encode
            problems.append(f"{name!r}: not saved in {path}: the name can't be a file here")
    return problems


def persister(folder: str | os.PathLike[str],
              warn: Callable[[str], None]) -> Callable[[Message], None]:
    """A board listener saving ``filesystem`` changes into ``folder``."""
    def on_message(message: Message) -> None:
        if message["kind"] == STATE and message["part"] == "filesystem":
            for problem in save_changes(folder, message["value"]):
                warn(problem)

    return on_message
