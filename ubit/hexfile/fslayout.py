"""The flash filesystem's chunk arithmetic, shared by the hex builder, the board and device tools.

Reference §28.1 and ``firmware-v1-observed.md`` "Filesystem (exact numbers)": flash is
cut into 128-byte chunks holding 126 data bytes each; a file's first chunk also holds
2 header bytes and the name. A file of ``n`` bytes takes ``(2 + len(name) + n) // 126 + 1``
chunks: the firmware takes a new chunk as soon as one is filled exactly (and a file
written into a hex ends with an end byte), so the count goes up "one byte early".

Standard library only: the board process imports this too.
"""

from __future__ import annotations

from collections.abc import Mapping

from ubit.errors import FilesystemFullError

CHUNK_SIZE = 128  # bytes of flash per chunk
CHUNK_DATA = 126  # a chunk's marker and next-pointer bytes leave this much for data
HEADER = 2  # end offset and name length, in a file's first chunk
MAX_NAME = 120  # MAX_FILENAME_LENGTH, in bytes


def encode_name(name: str) -> bytes:
    """A file name as the bytes the firmware stores (UTF-8, stray bytes kept)."""
    return name.encode("utf-8", "surrogateescape")


def chunks_for(name: str, size: int) -> int:
    """Chunks a file of ``size`` bytes called ``name`` occupies."""
    return (HEADER + len(encode_name(name)) + size) // CHUNK_DATA + 1


def check_room(files: Mapping[str, bytes], have: int, label: str) -> None:
    """Raise FilesystemFullError if ``files`` need more than ``have`` chunks (board ``label``).

    The one check of a program's size: for a hex, a virtual board and a folder of files.
    """
    need = sum(chunks_for(name, len(data)) for name, data in files.items())
    if need <= have:
        return
    biggest = max(files, key=lambda name: len(files[name]))
    others = need - chunks_for(biggest, len(files[biggest]))
    room = (have - others) * CHUNK_DATA - HEADER - 1 - len(encode_name(biggest))
    excess = len(files[biggest]) - max(room, 0)
    total = sum(len(data) for data in files.values())
    what = biggest if len(files) == 1 else f"{len(files)} files ({total:,} bytes)"
    raise FilesystemFullError(
        f"{what}: too big for the {label} filesystem by {excess:,} "
        f"byte{'' if excess == 1 else 's'} "
        f"({have} chunks of {CHUNK_DATA} bytes; {biggest} would have to shrink "
        f"to {max(room, 0):,} bytes)"
    )
