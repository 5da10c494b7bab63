"""The board's filesystem over the raw REPL: ls, put, get, rm, cat, du.

Each operation is a tiny snippet run on the board, written for what BOTH firmwares
have: ``os.listdir``/``os.remove``/``os.size`` and ``open(name, 'rb'/'wb')`` (V1 has no
``os.stat``, ``ilistdir``, ``ubinascii`` or ``bytes.hex``, and a 10 KB heap).

* put: the file goes in pieces, each a bytes literal the board's compiler decodes in C
  (``_d=b'...'``), checked for its length before it is written (input lost on the wire
  makes it shorter or a syntax error: then nothing was written and the piece is sent
  again), and the size on the board is checked at the end.
* get/cat: one snippet prints the file in pieces with ``print(bytes)``, which streams
  the bytes' repr without allocating it; the host decodes the escapes.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

from ubit.device.rawrepl import InputLostError, RawRepl, RemoteError
from ubit.errors import DeviceError, UsageError
from ubit.fileio import atomic_write
from ubit.hexfile.fslayout import CHUNK_DATA, MAX_NAME, chunks_for

Progress = Callable[[int, int], None]

# Upper bounds of the filesystem in chunks: V1 has at most 240 (fewer with a bigger
# firmware: 224 with v1.1.1), V2 has 160. Used only to refuse what can't possibly fit.
MAX_CHUNKS = {"V1": 240, "V2": 160}
# Source characters per put piece: V1's 10 KB heap holds the source, the parse and the
# bytes at once; raw-paste boards (V2, 64 KB heap) take bigger pieces.
PUT_SOURCE = {"V1": 960, "V2": 8192}
GET_PIECE = {"V1": 512, "V2": 4096}  # bytes per print() while reading a file
RETRIES = 3  # times a piece lost on the wire is sent again
SNIPPET_TIMEOUT = 10.0  # s of silence after which the board counts as gone

# One escape per byte for a bytes literal in single quotes: printable ASCII as itself.
_ESCAPES = [chr(c) if 32 <= c < 127 and c not in (39, 92) else f"\\x{c:02x}" for c in range(256)]
_ESCAPES[92], _ESCAPES[39] = "\\\\", "\\'"

# -- the snippets (names start with _ so they don't clash with the user's globals) ----------
# a name as UTF-8 bytes, so any name comes back exactly (decoded like get's pieces)
LIST = "import os\nfor _n in os.listdir():\n print(os.size(_n),bytes(_n,'utf-8'))"
OPEN_WRITE = "import os\n_f=open({name},'wb')\n_w=_f.write"
WRITE_PIECE = "_d=b'{data}'\nif len(_d)!={size}:1/0\n_w(_d)\n_d=None"  # 1/0: garbled
CLOSE_WRITE = "_f.close()\ndel _f,_w\nprint(os.size({name}))"
ABANDON_WRITE = "try:\n _f.close()\nexcept Exception:\n pass\ntry:\n os.remove({name})\n" \
                "except Exception:\n pass"
READ = ("import os\n_f=open({name},'rb')\nprint(os.size({name}))\n_r=_f.read\nwhile 1:\n"
        " _b=_r({piece})\n if not _b:break\n print(_b)\n_f.close()\ndel _f,_r,_b")
REMOVE = "import os\nos.remove({name})"


def check_name(name: str) -> str:
    """``name`` if the board can store it; ``UsageError`` otherwise."""
    size = len(name.encode("utf-8"))
    if not name or size > MAX_NAME:
        raise UsageError(f"{name!r}: a file name on the board must be 1 to {MAX_NAME} bytes")
    if any(c in name for c in "\x00\r\n"):
        raise UsageError(f"{name!r}: a file name can't hold control characters")
    return name


def encode_pieces(data: bytes, budget: int) -> list[tuple[str, int]]:
    """``data`` as (escaped text, byte count) pieces of at most ``budget`` characters."""
    pieces: list[tuple[str, int]] = []
    parts: list[str] = []
    used = start = 0
    for i, byte in enumerate(data):
        text = _ESCAPES[byte]
        if used + len(text) > budget:
            pieces.append(("".join(parts), i - start))
            parts, used, start = [], 0, i
        parts.append(text)
        used += len(text)
    if parts:
        pieces.append(("".join(parts), len(data) - start))
    return pieces


def decode_repr(line: bytes) -> bytes:
    """The bytes of one printed ``b'...'`` (or ``b"..."``) line."""
    if len(line) < 3 or line[:1] != b"b" or line[1:2] not in (b"'", b'"') \
            or line[-1:] != line[1:2]:
        raise DeviceError(f"unexpected output from the board: {line[:60]!r}")
    return codecs.escape_decode(line[2:-1])[0]


def _is_missing(error: RemoteError) -> bool:
    # V1: "file not found"; V2: "[Errno 2] ENOENT"; some builds: "2"
    return error.name == "OSError" and (
        "not found" in error.message or "ENOENT" in error.message or error.message == "2")


def _is_full(error: RemoteError) -> bool:
    # V1: "no more storage space" (open) or "28" (write); V2: "[Errno 28] ENOSPC"
    return error.name == "OSError" and (
        "storage space" in error.message or "ENOSPC" in error.message
        or error.message in ("28", "28,"))


class NoSuchFileError(DeviceError):
    """The board has no file of that name."""


class BoardFullError(DeviceError):
    """The board's filesystem has no room for what was being written."""


def translate(error: RemoteError, name: str) -> DeviceError:
    """A host error for the board's exception while working on ``name``."""
    if _is_missing(error):
        return NoSuchFileError(f"{name}: no such file on the board")
    if _is_full(error):
        return BoardFullError(f"{name}: the board's filesystem is full")
    if error.name == "MemoryError":
        return DeviceError(f"{name}: the board ran out of memory ({error.exception})")
    return DeviceError(f"{name}: the board raised {error.exception}")


class BoardFiles:
    """The filesystem of the board behind a raw REPL (already entered)."""

    def __init__(self, repl: RawRepl) -> None:
        """Work through ``repl``."""
        self.repl = repl

    @property
    def generation(self) -> str:
        """"V2" where the board speaks raw-paste, else "V1" (its limits are the safe ones)."""
        return "V2" if self.repl.raw_paste else "V1"

    def _run(self, code: str, name: str = "", on_output: Callable[[bytes], None] | None = None
             ) -> bytes:
        try:
            return self.repl.exec(code, on_output, timeout=SNIPPET_TIMEOUT)
        except RemoteError as exc:
            raise translate(exc, name) from None

    def sizes(self) -> dict[str, int]:
        """Every file on the board and its size in bytes, sorted by name."""
        sizes = {}
        for line in self._run(LIST, "listing").splitlines():
            size, _, name = line.partition(b" ")
            if not size.isdigit():
                raise DeviceError(f"unexpected listing from the board: {line[:80]!r}")
            sizes[decode_repr(name).decode("utf-8", "replace")] = int(size)
        return dict(sorted(sizes.items()))

    def ls(self) -> list[str]:
        """The names of the files on the board, sorted."""
        return list(self.sizes())

    def size(self, name: str) -> int:
        """The size of one file on the board."""
        out = self._run(f"import os\nprint(os.size({check_name(name)!r}))", name)
        return int(out.strip() or b"-1")

    def rm(self, name: str) -> None:
        """Remove one file from the board."""
        self._run(REMOVE.format(name=repr(check_name(name))), name)

    def put(self, data: bytes, name: str, progress: Progress | None = None) -> None:
        """Write ``data`` to the board as ``name``, checking its size there at the end."""
        check_name(name)
        existing = self.sizes()  # also tells V1 from V2 (the first exec tries raw-paste)
        self._check_room(data, name, existing)
        quoted = repr(name)
        self._run(OPEN_WRITE.format(name=quoted), name)
        done = 0
        if progress:
            progress(0, len(data))
        try:
            for text, count in encode_pieces(data, PUT_SOURCE[self.generation]):
                self._put_piece(text, count, name, done)
                done += count
                if progress:
                    progress(done, len(data))
            written = int(self._run(CLOSE_WRITE.format(name=quoted), name).strip() or b"-1")
        except BaseException as exc:
            self._abandon(quoted)
            if isinstance(exc, BoardFullError):
                old = f"; the board's old {name} is gone" if name in existing else ""
                raise BoardFullError(f"{name}: doesn't fit in the board's free space "
                                     f"({len(data):,} bytes; {done:,} were written, "
                                     f"then removed){old}") from None
            raise
        if written != len(data):
            raise DeviceError(f"{name}: {written:,} bytes on the board after writing "
                              f"{len(data):,}; the copy is damaged")

    def _check_room(self, data: bytes, name: str, existing: dict[str, int]) -> None:
        """Refuse, before touching the board, what can't fit even in the largest filesystem."""
        total = MAX_CHUNKS[self.generation]
        needed = chunks_for(name, len(data))
        if needed > total:
            raise DeviceError(f"{name}: {len(data):,} bytes is more than a micro:bit "
                              f"{self.generation}'s whole filesystem holds "
                              f"(about {total * CHUNK_DATA:,} bytes)")
        used = sum(chunks_for(n, s) for n, s in existing.items() if n != name)
        if needed > total - used:
            raise DeviceError(f"{name}: {len(data):,} bytes won't fit; the board's other "
                              f"files leave at most {(total - used) * CHUNK_DATA:,} bytes "
                              "(remove some with `ubit fs rm`)")

    def _put_piece(self, text: str, count: int, name: str, done: int) -> None:
        """One piece, sent again when the wire garbled it (nothing was written then)."""
        code = WRITE_PIECE.format(data=text, size=count)
        for attempt in range(RETRIES + 1):
            try:
                self.repl.exec(code, timeout=SNIPPET_TIMEOUT)
                return
            except InputLostError:
                pass
            except RemoteError as exc:
                if exc.name not in ("SyntaxError", "ZeroDivisionError"):
                    raise translate(exc, name) from None
            if attempt == RETRIES:
                raise DeviceError(f"{name}: the serial line keeps garbling data "
                                  f"(at byte {done:,}, {RETRIES + 1} tries)")

    def _abandon(self, quoted: str) -> None:
        """Best effort after a failed put: close and remove the partial file on the board."""
        try:
            self.repl.exec(ABANDON_WRITE.format(name=quoted), timeout=2.0)
        except (DeviceError, KeyboardInterrupt):
            pass

    def get(self, name: str, progress: Progress | None = None,
            on_piece: Callable[[bytes], None] | None = None) -> bytes:
        """The contents of ``name`` on the board (``on_piece`` sees them as they arrive)."""
        check_name(name)
        lines = bytearray()
        parts: list[bytes] = []
        total = done = -1

        def on_output(data: bytes) -> None:
            nonlocal total, done
            lines.extend(data)
            while (end := lines.find(b"\r\n")) >= 0:
                line = bytes(lines[:end])
                del lines[: end + 2]
                if total < 0:
                    total = int(line)
                    done = 0
                else:
                    piece = decode_repr(line)
                    parts.append(piece)
                    if on_piece:
                        on_piece(piece)
                    done += len(piece)
                if progress:
                    progress(done, total)

        piece_size = GET_PIECE["V2" if self.repl.raw_paste else "V1"]
        self._run(READ.format(name=repr(name), piece=piece_size), name, on_output)
        data = b"".join(parts)
        if len(data) != total:
            raise DeviceError(f"{name}: got {len(data):,} of {total:,} bytes from the board")
        return data

    def get_to(self, name: str, path: str | Path, progress: Progress | None = None) -> int:
        """Copy ``name`` from the board into ``path``, all or nothing; its size."""
        data = self.get(name, progress)
        atomic_write(path, data)
        return len(data)
