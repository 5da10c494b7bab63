"""The flash filesystem: files as name → bytes, with the firmware's exact chunk accounting.

Reference §28.1 and firmware-v1-observed.md "Filesystem (exact numbers)": flash
is cut into 128-byte chunks holding 126 data bytes each; a file's first chunk
also holds 2 header bytes and the name. When a write fills a chunk exactly the
firmware takes the next chunk at once, so a file of ``n`` bytes named ``name``
occupies ``(2 + len(name) + n) // 126 + 1`` chunks (the "one chunk early"
quirk): on an empty V1 (224 chunks) a 7-byte name holds at most 28214 bytes.
Freed chunks are reused at once (both firmwares sweep when no erased chunk is left).

A file opened for writing and not closed yet has no end marker: the firmware
then reads only its complete chunks and ``os.size`` reports a meaningless
number. Both are reproduced here.
"""

from __future__ import annotations

import itertools

from ubit.hexfile.fslayout import (  # noqa: F401 - re-exported for the board's file API
    CHUNK_DATA,
    CHUNK_SIZE,
    HEADER,
    MAX_NAME,
    chunks_for,
    encode_name,
)
from ubit.sim.board.parts.base import Part, Publish
from ubit.sim.shared.protocol import PartSpec, files_state
from ubit.sim.shared.typenames import Any

UNUSED = 255  # the end-offset byte of a file that was never closed
PART = PartSpec("filesystem", "Flash filesystem", state=("filesystem",))


def largest_file(free_chunks: int, name: str) -> int:
    """The most bytes a new file called ``name`` can hold in ``free_chunks`` chunks."""
    return max(-1, free_chunks * CHUNK_DATA - HEADER - len(encode_name(name)) - 1)


class NoSpace(Exception):
    """No free chunk was left (the part has already deleted a file that was being written)."""


class StaleHandle(Exception):
    """The file a handle was opened on has been removed or replaced since (EBADF)."""


class Filesystem(Part):
    """The board's flat flash filesystem; contents live in the device's ``files`` dict."""

    part_id = "filesystem"
    survives_reset = True  # it is flash

    def __init__(self, files: dict[str, bytes], capacity: int,
                 publish: Publish | None = None) -> None:
        super().__init__(publish)
        self.files = files
        self.capacity = capacity
        self._generation = itertools.count(1)
        # Each file's identity: a handle on an older file of the same name is stale.
        self._ids: dict[str, int] = {name: next(self._generation) for name in files}
        self._writing: dict[str, bytearray] = {}  # files opened for writing, not closed yet

    # -- space -------------------------------------------------------------------------------
    def used_chunks(self) -> int:
        """Chunks taken by every file (including ones being written)."""
        return sum(chunks_for(name, self._written(name)) for name in self.files)

    def free_chunks(self) -> int:
        """Chunks still free."""
        return self.capacity - self.used_chunks()

    def _written(self, name: str) -> int:
        buffer = self._writing.get(name)
        return len(buffer) if buffer is not None else len(self.files[name])

    # -- reading -----------------------------------------------------------------------------
    def exists(self, name: str) -> bool:
        """Whether a file called ``name`` exists (a name over 120 bytes never does)."""
        return len(encode_name(name)) <= MAX_NAME and name in self.files

    def listdir(self) -> list[str]:
        """Every file name."""
        return list(self.files)

    def file_id(self, name: str) -> int | None:
        """The identity of the file now called ``name`` (None if there is none)."""
        return self._ids.get(name) if self.exists(name) else None

    def contents(self, name: str, file_id: int) -> bytes:
        """What reading the file shows: an unclosed file only its complete chunks."""
        self._check(name, file_id)
        return self.files[name]

    def size(self, name: str) -> int:
        """``os.size``: the length, or for an unclosed file the firmware's odd sum."""
        if name not in self._writing:
            return len(self.files[name])
        head = HEADER + len(encode_name(name))
        full = (head + len(self._writing[name])) // CHUNK_DATA  # chunks before the last
        # The last chunk adds (end offset - start offset) with the end offset unset (255).
        return (full * CHUNK_DATA - head + UNUSED) if full else UNUSED - head

    # -- writing -----------------------------------------------------------------------------
    def create(self, name: str) -> int:
        """Open ``name`` for writing: the old file goes at once, the new one takes a chunk."""
        replaced = name in self.files
        if replaced:
            self._drop(name)
        if self.free_chunks() < 1:
            if replaced:
                self._publish({name: None})
            raise NoSpace(name)
        self.files[name] = b""
        self._writing[name] = bytearray()
        file_id = self._ids[name] = next(self._generation)
        self._publish({name: b""})
        return file_id

    def append(self, name: str, file_id: int, data: bytes) -> None:
        """Write ``data`` at the end of a file being written; NoSpace deletes the file."""
        self._check(name, file_id)
        buffer = self._writing[name]
        before = chunks_for(name, len(buffer))
        after = chunks_for(name, len(buffer) + len(data))
        if after - before > self.capacity - self.used_chunks():
            self._drop(name)  # as the firmware: the partly written file is deleted
            self._publish({name: None})
            raise NoSpace(name)
        buffer += data
        if after != before:  # a chunk was completed: reads now see it
            self.files[name] = bytes(buffer[:self._readable(name, len(buffer))])

    def close(self, name: str, file_id: int) -> None:
        """Close a file being written: its end marker makes all of it readable."""
        if self._ids.get(name) != file_id or name not in self._writing:
            return  # closing a handle on a replaced file writes nothing that matters
        self.files[name] = bytes(self._writing.pop(name))
        self._publish({name: self.files[name]})

    def remove(self, name: str) -> None:
        """Delete ``name`` (handles on it become stale)."""
        self._drop(name)
        self._publish({name: None})

    def sync(self) -> None:
        """Publish files still open for writing as a restart would find them."""
        if self._writing:
            self._publish({name: self.files[name] for name in self._writing})

    # -- helpers -----------------------------------------------------------------------------
    def _check(self, name: str, file_id: int) -> None:
        if self._ids.get(name) != file_id or name not in self.files:
            raise StaleHandle(name)

    def _drop(self, name: str) -> None:
        self.files.pop(name, None)
        self._writing.pop(name, None)
        self._ids.pop(name, None)

    @staticmethod
    def _readable(name: str, written: int) -> int:
        head = HEADER + len(encode_name(name))
        return max(0, (head + written) // CHUNK_DATA * CHUNK_DATA - head)

    def snapshot(self) -> dict[str, Any]:
        """``filesystem``: every file's size (and no change: nothing to save)."""
        return {"filesystem": self._state({})}

    def _state(self, changed: dict[str, bytes | None]) -> dict[str, Any]:
        return files_state({name: len(data) for name, data in self.files.items()}, changed)

    def _publish(self, changed: dict[str, bytes | None]) -> None:
        self.changed(self._state(changed))


def of(board: Any) -> Filesystem:
    """The board's filesystem, over the board's ``files``."""
    return board.part(PART.id, lambda: Filesystem(board.files, board.spec.fs_chunks,
                                                  board.publish))
