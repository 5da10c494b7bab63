"""Putting files into a MicroPython hex for V1, V2 or both (Universal Hex).

The filesystem bytes are laid out by micropython-microbit-fs and universal hexes
joined by universal-hex; what we add is speed (the runtime is prepared once, see
``runtime.py``) and errors that name the file and the limit.
"""

from __future__ import annotations

from collections.abc import Sequence

from micropython_microbit_fs.exceptions import FilesystemError as LibFilesystemError
from micropython_microbit_fs.filesystem import (
    ChunkMarker,
    build_file_chunks,
    chunk_index_to_address,
    get_fs_start_address,
    get_last_page_address,
)

from ubit.errors import BuildError
from ubit.hexfile.fslayout import CHUNK_SIZE, check_room, chunks_for
from ubit.hexfile.records import CUSTOM_DATA, DATA, EOF_RECORD, encode_data
from ubit.hexfile.runtime import PreparedRuntime
from ubit.hexfile.sections import close_section
from ubit.hexfile.sources import SourceFile
from ubit.hexfile.targets import V1


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
            chunks, used = build_file_chunks(f.name, f.data, free) if f.data else \
                ([(free[0], empty_file_chunk(f.name))], 1)
        except LibFilesystemError as exc:
            raise BuildError(f"{f.name}: {exc}") from None
        segments += [(chunk_index_to_address(i, fs_start), data) for i, data in chunks]
        free = free[used:]
    segments.append((get_last_page_address(info), bytes([ChunkMarker.PERSISTENT_DATA])))
    return segments


def empty_file_chunk(name: str) -> bytes:
    """The one chunk of an empty file, which micropython-microbit-fs won't lay out: the
    file-start marker, then the offset where its data ends (right after the header: no
    data), the name's length and the name; the rest unprogrammed (0xFF), the last byte
    saying no chunk follows. The firmware reads it as an empty file, as one it made itself
    with ``open(name, 'w').close()`` (checked on the V1 firmware under QEMU)."""
    encoded = name.encode("utf-8")
    header = bytes([ChunkMarker.FILE_START, 2 + len(encoded), len(encoded)]) + encoded
    return header + b"\xff" * (CHUNK_SIZE - len(header))


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
