"""The board's filesystem over the raw REPL: ls, put, get, rm, cat, du.

Each operation is a few short statements run on the board, written for what BOTH
firmwares have: ``os.listdir``/``os.remove``/``os.size`` and ``open(name, 'rb'/'wb')``
(V1 has no ``os.stat``, ``ilistdir``, ``ubinascii`` or ``bytes.hex``, and a 10 KB heap).

* V1 speaks the plain raw REPL, which has no flow control: the firmware keeps 63 bytes
  the REPL hasn't read yet and drops the rest, and QEMU (more so on a loaded machine)
  falls behind and then delivers faster than the REPL reads. So on V1 every statement is
  a source of its own that fits those 63 bytes (``rawrepl.INPUT_BUFFER``) and can't be
  lost; the file name is kept on the board in ``_fn`` (built in parts if it is long).
  V2's raw-paste has flow control: there an operation's statements go as one source.
* put: the file goes in pieces, each a call ``_p(b'...',n,k)``: the board's compiler
  decodes the bytes literal in C; ``_p`` writes it if it has the length ``n`` and its turn
  ``k`` has come (else 1/0). On V1 the next piece waits in the board's input buffer while
  one runs. A piece whose answer is an error other than the write's own (OSError,
  MemoryError) or never comes is sent again from where the board says it got to (its count
  of pieces written), at most ``RETRIES`` times; the size on the board is checked at the end.
* get/cat: one statement prints the file in pieces with ``print(bytes)``, which streams
  the bytes' repr without allocating it; the host decodes the escapes.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Sequence
from pathlib import Path

from ubit.device.rawrepl import INPUT_BUFFER, InputLostError, RawRepl, RemoteError
from ubit.errors import DeviceError, UsageError
from ubit.fileio import atomic_write
from ubit.hexfile.fslayout import CHUNK_DATA, MAX_NAME, chunks_for

Progress = Callable[[int, int], None]

# Upper bounds of the filesystem in chunks: V1 has at most 240 (fewer with a bigger
# firmware: 224 with v1.1.1), V2 has 160. Used only to refuse what can't possibly fit.
MAX_CHUNKS = {"V1": 240, "V2": 160}
# The empty filesystem of the firmware ubit bundles, in chunks: what ``free_bytes`` counts
# from (the hex layouts of micro:bit v1.1.1 and v2.1.2, as ubit.hexfile reads them).
BUNDLED_CHUNKS = {"V1": 224, "V2": 160}
STATEMENT = INPUT_BUFFER - 1  # longest source sent to a V1 at once (Ctrl-D is the last byte)
GET_PIECE = {"V1": 512, "V2": 4096}  # bytes per print() while reading a file
RETRIES = 3  # times a piece garbled on the wire is sent again
SNIPPET_TIMEOUT = 10.0  # s of silence after which the board counts as gone

# One escape per byte for a bytes literal in single quotes: printable ASCII as itself, the
# usual whitespace as \t \n \r (half the length of \x0a: fewer pieces for text).
_ESCAPES = [chr(c) if 32 <= c < 127 and c not in (39, 92) else f"\\x{c:02x}" for c in range(256)]
_ESCAPES[92], _ESCAPES[39] = "\\\\", "\\'"
_ESCAPES[9], _ESCAPES[10], _ESCAPES[13] = "\\t", "\\n", "\\r"

# -- the statements (names start with _ so they don't clash with the user's globals) -------
# Each goes to a V1 as one source, so each fits STATEMENT (a test checks). _fn is the name.
# listing: names as UTF-8 bytes, so any name comes back exactly (decoded like get's pieces)
LIST = ("import os", "for _n in os.listdir():print(os.size(_n),bytes(_n,'utf-8'))")
SIZE = ("import os\nprint(os.size(_fn))\ndel _fn",)
REMOVE = ("import os\nos.remove(_fn)\ndel _fn",)
# _p(d,n,k) writes piece number k (mod 10) if it has the length sent along and its turn has
# come (else 1/0: garbled, or sent behind a piece that failed); defined before the open, so
# that if the open fails nothing is left behind
OPEN_WRITE = ("def _p(d,n,k):\n if(len(d),_k[0]%10)!=(n,k):1/0\n _w(d);_k[0]+=1",
              "import os\n_k=[0]\n_f=open(_fn,'wb')\n_w=_f.write")
WRITE_PIECE = "_p(b'{data}',{size},{turn})"
TURN = "print(_k[0])"  # how many pieces have been written
CLOSE_WRITE = ("_f.close()\ndel _f,_w,_p,_k\nprint(os.size(_fn))\ndel _fn",)
ABANDON_WRITE = ("try:\n _f.close()\nexcept Exception:\n pass",
                 "try:\n os.remove(_fn)\n del _fn\nexcept Exception:\n pass")
READ = ("import os\n_f=open(_fn,'rb')\nprint(os.size(_fn))",
        "while 1:\n _b=_f.read({piece})\n if not _b:break\n print(_b)", "_f.close()\ndel _f,_b,_fn")
# Source characters per put piece: on V1 the whole call fits STATEMENT (its count has two
# digits at most); raw-paste boards (V2, 64 KB heap) take bigger pieces.
PUT_SOURCE = {"V1": STATEMENT - len(WRITE_PIECE.format(data="", size=99, turn=9)), "V2": 8192}
# errors a piece's write itself raises; any other means it arrived garbled (then the board's
# count, TURN, tells whether it was written all the same, as when only its answer was lost)
WRITE_ERRORS = ("OSError", "MemoryError", "KeyboardInterrupt")


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


def name_statements(name: str) -> list[str]:
    """Statements that set ``_fn`` to ``name`` on the board, each within ``STATEMENT``."""
    quoted = repr(check_name(name))
    if quoted.isascii() and len(quoted) + 4 <= STATEMENT:
        return [f"_fn={quoted}"]
    # long or not ASCII: its UTF-8 bytes as escapes, in parts
    parts = [text for text, _ in encode_pieces(name.encode(), STATEMENT - len("_fn+=b''"))]
    return [f"_fn=b'{parts[0]}'", *(f"_fn+=b'{text}'" for text in parts[1:]),
            "_fn=str(_fn,'utf-8')"]


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


def free_bytes(generation: str, sizes: dict[str, int]) -> int:
    """About how many bytes one more file could hold, given the files on the board."""
    used = sum(chunks_for(name, size) for name, size in sizes.items())
    return max(0, (BUNDLED_CHUNKS[generation] - used) * CHUNK_DATA)


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

    def _steps(self, statements: Sequence[str], name: str = "",
               on_output: Callable[[bytes], None] | None = None) -> bytes:
        """Run ``statements`` in turn: one source with raw-paste, else one source each."""
        if self.repl.raw_paste:
            return self._run("\n".join(statements), name, on_output)
        return b"".join([self._run(code, name, on_output) for code in statements])

    def sizes(self) -> dict[str, int]:
        """Every file on the board and its size in bytes, sorted by name."""
        sizes = {}
        for line in self._steps(LIST, "listing").splitlines():
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
        out = self._steps([*name_statements(name), *SIZE], name)
        return int(out.strip() or b"-1")

    def rm(self, name: str) -> None:
        """Remove one file from the board."""
        self._steps([*name_statements(name), *REMOVE], name)

    def put(self, data: bytes, name: str, progress: Progress | None = None,
            existing: dict[str, int] | None = None) -> None:
        """Write ``data`` to the board as ``name``, checking its size there at the end.

        ``existing``: the board's files and sizes, if the caller has just listed them.
        """
        check_name(name)
        if existing is None:
            existing = self.sizes()  # also tells V1 from V2 (the first exec tries raw-paste)
        self._check_room(data, name, existing)
        self._steps([*name_statements(name), *OPEN_WRITE], name)
        done = 0

        def wrote(count: int) -> None:
            nonlocal done
            done += count
            if progress:
                progress(done, len(data))

        wrote(0)
        try:
            self._write_pieces(encode_pieces(data, PUT_SOURCE[self.generation]), name, wrote)
            written = int(self._steps(CLOSE_WRITE, name).strip() or b"-1")
        except BaseException as exc:
            self._abandon()
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

    def _write_pieces(self, pieces: list[tuple[str, int]], name: str,
                      wrote: Callable[[int], None]) -> None:
        """Write the pieces in turn; one that came back garbled is sent again.

        On V1 the next piece goes into the board's input buffer as soon as the board has
        taken the current one (its OK), so the board's compiling and running one overlaps
        the wire carrying the next. ``_p`` writes a piece only in its turn, so one sent
        behind a piece that failed refuses; after a failure the board says how many pieces
        it has written (a piece whose answer was lost may have been), and it goes on there.
        """
        sources = [WRITE_PIECE.format(data=text, size=count, turn=i % 10)
                   for i, (text, count) in enumerate(pieces)]
        ahead = not self.repl.raw_paste
        i = 0  # the piece whose answer comes next
        taken = False  # the board has taken piece i already (it was sent ahead)
        tries = 0
        while i < len(sources):
            try:
                answer = self._piece_answer(sources, i, taken, ahead)
            except BaseException as exc:
                if ahead and not isinstance(exc, KeyboardInterrupt):
                    self.repl.recover()  # a piece sent ahead may still be there
                raise
            failure, taken = answer
            if failure is None:
                wrote(pieces[i][1])
                i, tries = i + 1, 0
                continue
            if isinstance(failure, RemoteError) and failure.name in WRITE_ERRORS:
                raise translate(failure, name)  # the write's own, such as the board being full
            count = int(self._run(TURN, name).strip() or b"-1")
            if not i <= count <= min(i + 2, len(sources)):
                raise DeviceError(f"{name}: the board has written {count} pieces of the file, "
                                  f"not {i}; the copy is damaged")
            if count > i:  # written after all: only answers were lost
                for _, size in pieces[i:count]:
                    wrote(size)
                i, tries = count, 0
                continue
            tries += 1
            if tries > RETRIES:
                seen = failure.exception if isinstance(failure, RemoteError) else "none"
                done = sum(size for _, size in pieces[:i])
                raise DeviceError(f"{name}: the serial line keeps garbling data (at byte "
                                  f"{done:,}, {tries} tries; the board's last answer: {seen})")

    def _piece_answer(self, sources: list[str], i: int, taken: bool, ahead: bool
                      ) -> tuple[RemoteError | InputLostError | None, bool]:
        """Piece ``i``'s failure (None: it was written) and whether the board took the next.

        Sends piece i unless the board has ``taken`` it already and, ``ahead``, the next one
        behind it.
        """
        try:
            if not taken:
                self.repl.start(sources[i])
        except InputLostError as exc:  # no OK: the board's buffer was cleared
            return exc, False
        following = self.repl.send_next(sources[i + 1]) if ahead and i + 1 < len(sources) else 0
        err = self.repl.finish(timeout=SNIPPET_TIMEOUT)[1]
        taken = False
        if following:
            try:
                self.repl.taken(following)
                taken = True
            except InputLostError:
                pass  # the board's buffer was cleared: it is sent again in its turn
        if not err:
            return None, taken
        if taken:  # it runs, and refuses (not its turn) unless piece i was written after all
            self.repl.finish(timeout=SNIPPET_TIMEOUT)
        return RemoteError(err.decode("utf-8", "replace")), False

    def _abandon(self) -> None:
        """Best effort after a failed put: close and remove the partial file on the board."""
        statements = ["\n".join(ABANDON_WRITE)] if self.repl.raw_paste else ABANDON_WRITE
        try:
            for code in statements:
                self.repl.exec(code, timeout=2.0)
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
        read = [code.format(piece=piece_size) for code in READ]
        self._steps([*name_statements(name), *read], name, on_output)
        data = b"".join(parts)
        if len(data) != total:
            raise DeviceError(f"{name}: got {len(data):,} of {total:,} bytes from the board")
        return data

    def get_to(self, name: str, path: str | Path, progress: Progress | None = None) -> int:
        """Copy ``name`` from the board into ``path``, all or nothing; its size."""
        data = self.get(name, progress)
        atomic_write(path, data)
        return len(data)
