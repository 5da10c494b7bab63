"""Putting files into a MicroPython hex for V1, V2 or both (Universal Hex).

The filesystem bytes are laid out by micropython-microbit-fs and universal hexes
joined by universal-hex; what we add is speed (the runtime is prepared once, see
``runtime.py``) and errors that name the file and the limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from micropython_microbit_fs.exceptions import FilesystemError as LibFilesystemError
from micropython_microbit_fs.filesystem import (
    MAX_FILENAME_LENGTH,
    ChunkMarker,
    build_file_chunks,
    chunk_index_to_address,
    get_fs_start_address,
    get_last_page_address,
)

from ubit.errors import BuildError, FileNameError, printable
from ubit.hexfile.fslayout import check_room, chunks_for
from ubit.hexfile.records import CUSTOM_DATA, DATA, EOF_RECORD, encode_data
from ubit.hexfile.runtime import PreparedRuntime
from ubit.hexfile.sections import close_section
from ubit.hexfile.targets import V1

MAIN = "main.py"


@dataclass(frozen=True)
class SourceFile:
    """A file to put on the board: its name there, and its bytes."""

    name: str
    data: bytes


def utf8_problem(data: bytes) -> str | None:
    """Where ``data`` stops being UTF-8 text ("line 3"), or None if it is valid."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return f"line {line}"
    return None


def assign_names(files: Sequence[SourceFile], main: str | None = None) -> list[SourceFile]:
    """Decide which file becomes ``main.py`` and check names and text encodings.

    A single ``.py`` file becomes ``main.py``; with several files, ``main.py`` must be
    among them or ``main`` must name one, which is then stored as ``main.py``.
    """
    if not files:
        raise BuildError("no files to build from")
    if main is not None:
        chosen = [f for f in files if f.name == main]
        if not chosen:
            names = ", ".join(f.name for f in files)
            raise BuildError(f"--main {main}: not among the files given ({names})")
        if main != MAIN and any(f.name == MAIN for f in files):
            raise BuildError(f"--main {main} and a file named {MAIN} were both given; keep one")
        files = [SourceFile(MAIN, f.data) if f.name == main else f for f in files]
    elif len(files) == 1 and files[0].name.endswith(".py"):
        files = [SourceFile(MAIN, files[0].data)]
    elif not any(f.name == MAIN for f in files):
        names = ", ".join(f.name for f in files)
        raise BuildError(f"none of the files ({names}) is {MAIN}; name the program "
                         "to run with --main NAME")
    seen: set[str] = set()
    for f in files:
        check_name(f.name)
        if f.name in seen:
            raise FileNameError(f"{f.name}: given twice; file names on the micro:bit must differ")
        seen.add(f.name)
        if f.name.endswith(".py"):
            where = utf8_problem(f.data)
            if where:
                raise BuildError(f"{f.name}: {where} is not UTF-8 text; save it as UTF-8")
        if not f.data:
            raise BuildError(f"{f.name}: is empty; the micro:bit filesystem format "
                             "can't hold an empty file")
    return list(files)


def check_name(name: str) -> None:
    """Reject names the micro:bit's flat filesystem can't store."""
    try:
        encoded = name.encode("utf-8")
    except UnicodeEncodeError:  # a host name with bytes that aren't UTF-8 (surrogateescape)
        raise FileNameError(f"{printable(name)}: the file name is not UTF-8 text; rename the "
                            "file") from None
    if not encoded:
        raise FileNameError("a file has an empty name")
    if len(encoded) > MAX_FILENAME_LENGTH:
        raise FileNameError(f"{name[:40]}…: file name is {len(encoded)} bytes long; "
                            f"the micro:bit allows at most {MAX_FILENAME_LENGTH}")
    if "/" in name or "\\" in name:
        raise FileNameError(f"{name}: the micro:bit filesystem has no folders; "
                            "use a plain file name")


def chunks_needed(f: SourceFile) -> int:
    """Filesystem chunks a file takes: 2 header bytes, the name, the data, one end byte."""
    return chunks_for(f.name, len(f.data))


def check_fits(files: Sequence[SourceFile], runtime: PreparedRuntime) -> None:
    """Raise FilesystemFullError, with the excess in bytes, if the files don't fit."""
    check_room({f.name: f.data for f in files}, runtime.fs_chunks, runtime.board.label)


def filesystem_segments(
    files: Sequence[SourceFile], runtime: PreparedRuntime
) -> list[tuple[int, bytes]]:
    """``(address, bytes)`` of an empty filesystem given ``files``.

    The chunks are laid out by micropython-microbit-fs (``build_file_chunks``),
    in the order and with the persistent-page marker its ``add_files_to_hex``
    uses; we skip only its byte-by-byte IntelHex round trip, which would make a
    build ten times slower.
    """
    check_fits(files, runtime)
    info = runtime.device_info
    fs_start = get_fs_start_address(info)
    free = list(range(1, runtime.fs_chunks + 1))
    segments = []
    for f in files:
        try:
            chunks, used = build_file_chunks(f.name, f.data, free)
        except LibFilesystemError as exc:
            raise BuildError(f"{f.name}: {exc}") from None
        segments += [(chunk_index_to_address(i, fs_start), data) for i, data in chunks]
        free = free[used:]
    segments.append((get_last_page_address(info), bytes([ChunkMarker.PERSISTENT_DATA])))
    return segments


def build_single(files: Sequence[SourceFile], runtime: PreparedRuntime) -> str:
    """A hex for one board: the runtime's records, then the filesystem's."""
    records = encode_data(filesystem_segments(files, runtime))
    return runtime.body + "\n".join(records) + "\n" + EOF_RECORD + "\n"


def build_universal(files: Sequence[SourceFile], v1: PreparedRuntime, v2: PreparedRuntime) -> str:
    """A Universal Hex: for each board its runtime's section with the filesystem added."""
    parts = []
    for runtime in (v1, v2):
        kind = DATA if runtime.board is V1 else CUSTOM_DATA
        records = encode_data(filesystem_segments(files, runtime), kind)
        parts.append(close_section(runtime.section, records))
    return "".join(parts) + EOF_RECORD + "\n"
