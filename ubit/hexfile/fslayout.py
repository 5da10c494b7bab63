"""The flash filesystem's chunk arithmetic, shared by the hex builder, the board and device tools.

Reference §28.1 and ``firmware-v1-observed.md`` "Filesystem (exact numbers)": flash is
cut into 128-byte chunks holding 126 data bytes each; a file's first chunk also holds
2 header bytes and the name. A file of ``n`` bytes takes ``(2 + len(name) + n) // 126 + 1``
chunks: the firmware takes a new chunk as soon as one is filled exactly (and a file
written into a hex ends with an end byte), so the count goes up "one byte early".

Standard library only: the board process imports this too.
"""

from __future__ import annotations

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
