"""Reading the files back out of any MicroPython hex, old or new, plain or universal."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from micropython_microbit_fs.device_info import DeviceVersion
from micropython_microbit_fs.exceptions import FilesystemError as LibFilesystemError
from micropython_microbit_fs.filesystem import (
    CHUNK_SIZE,
    ChunkMarker,
    get_fs_start_address,
    get_last_page_address,
    read_files_from_hex,
)

from ubit.errors import HexError, HexFormatError, NotMicroPythonError
from ubit.hexfile.records import FlashImage, decode
from ubit.hexfile.runtime import device_info_of, firmware_version_text
from ubit.hexfile.targets import V1, V2, Board, board_for_id

# MicroPython 1.0.x for V1 ran a script appended to the firmware: "MP", a 16-bit
# little-endian length, then the script (bbcmicrobit/micropython docs/devguide/hexformat.rst).
LEGACY_SCRIPT_ADDRESS = 0x3E000
LEGACY_MAGIC = b"MP"
LEGACY_MAX_SCRIPT = 8 * 1024 - 4


@dataclass
class BoardContents:
    """What one board's part of a hex holds."""

    board: Board
    version: str | None  # firmware's own version text
    files: dict[str, bytes] = field(default_factory=dict)
    fs_chunks: int = 0  # capacity of the filesystem in 128-byte chunks
    used_chunks: int = 0
    legacy: bool = False  # script appended at 0x3E000 (MicroPython 1.0.x)

    @property
    def capacity(self) -> int:
        """Filesystem size in bytes."""
        return self.fs_chunks * CHUNK_SIZE

    @property
    def used(self) -> int:
        """Bytes of the filesystem in use."""
        return self.used_chunks * CHUNK_SIZE


@dataclass
class HexContents:
    """A whole hex: whether it is universal, and each MicroPython board part in it."""

    universal: bool
    boards: list[BoardContents]

    def files(self) -> dict[str, bytes]:
        """All files, V2's first; a name seen in both halves keeps V2's version."""
        merged: dict[str, bytes] = {}
        for part in sorted(self.boards, key=lambda b: b.board is not V2):
            for name, data in part.files.items():
                merged.setdefault(name, data)
        return merged


def ensure_text(data: bytes) -> str:
    """Hex bytes as text, or a clear error for a binary file."""
    if b"\x00" in data[:4096]:
        raise HexFormatError("this is a binary file, not Intel HEX text")
    try:
        return data.decode("ascii")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise HexFormatError(f"line {line}: not Intel HEX text (byte {data[exc.start]:#04x})"
                             ) from None


def legacy_script(image: FlashImage) -> bytes | None:
    """The script appended at 0x3E000 by MicroPython 1.0.x tools, if there is one."""
    header = image.read(LEGACY_SCRIPT_ADDRESS, 4)
    if header[:2] != LEGACY_MAGIC:
        return None
    (length,) = struct.unpack("<H", header[2:])
    if not 0 < length <= LEGACY_MAX_SCRIPT:
        return None
    return image.read(LEGACY_SCRIPT_ADDRESS + 4, length)


def used_chunk_count(image: FlashImage, start: int, end: int) -> int:
    """Chunks in ``[start, end)`` that hold file data."""
    free = (ChunkMarker.UNUSED, ChunkMarker.FREED, ChunkMarker.PERSISTENT_DATA)
    return sum(image[a] not in free for a in range(start, end, CHUNK_SIZE))


def read_board(image: FlashImage, board_hint: Board | None) -> BoardContents:
    """Files and filesystem figures of one board's flash image."""
    script = legacy_script(image)
    try:
        info = device_info_of(image)
    except NotMicroPythonError:
        if script is None:
            raise
        return BoardContents(board_hint or V1, firmware_version_text(image),
                             {"main.py": script}, legacy=True)
    board = V1 if info.device_version == DeviceVersion.V1 else V2
    start, end = get_fs_start_address(info), get_last_page_address(info)
    try:
        files = read_files_from_hex(image, info)
    except (LibFilesystemError, UnicodeDecodeError) as exc:
        raise HexError(f"its {board.label} filesystem is damaged: {exc}") from None
    contents = BoardContents(board, info.micropython_version, files,
                             fs_chunks=(end - start) // CHUNK_SIZE,
                             used_chunks=used_chunk_count(image, start, end))
    if not files and script is not None:
        contents.files = {"main.py": script}
        contents.legacy = True
    return contents


def read_hex(text: str) -> HexContents:
    """Decode a hex and read every MicroPython board part in it."""
    decoded = decode(text)
    parts: list[BoardContents] = []
    for board_id, image in decoded.images.items():
        hint = board_for_id(board_id) if board_id is not None else None
        if board_id is not None and hint is None:
            continue  # a board that isn't a micro:bit
        try:
            parts.append(read_board(image, hint))
        except NotMicroPythonError:
            continue  # e.g. one half of a universal hex holds another program
    if not parts:
        raise NotMicroPythonError(
            "no MicroPython found in this hex (is it a MakeCode or C++ program?)")
    return HexContents(decoded.is_universal, parts)
