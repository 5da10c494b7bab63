"""Intel HEX text ⇄ flash images, including the micro:bit Universal Hex record types.

We decode by hand rather than through ``intelhex`` for two reasons: errors must
name the line a problem is on, and a 2 MB universal hex must decode in tens of
milliseconds (``intelhex`` keeps one dict entry per byte). Record types are from
the Intel HEX specification and the micro:bit Universal Hex specification
(tech.microbit.org/software/spec-universal-hex): 0x0A block start (board id),
0x0B block end, 0x0C padding, 0x0D custom data, 0x0E other data.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from ubit.errors import HexFormatError

DATA, EOF, EXT_SEGMENT, START_SEGMENT, EXT_LINEAR, START_LINEAR = 0, 1, 2, 3, 4, 5
BLOCK_START, BLOCK_END, PADDING, CUSTOM_DATA, OTHER_DATA = 0x0A, 0x0B, 0x0C, 0x0D, 0x0E
KNOWN_TYPES = frozenset(range(0, 6)) | frozenset(range(0x0A, 0x0F))

# Addresses from here up are the nRF UICR/FICR, not code flash.
REGISTERS_START = 0x1000_0000
ERASED = 0xFF


@dataclass
class FlashImage:
    """Sparse memory decoded from hex records: contiguous segments, 0xFF elsewhere.

    It also offers the read interface of ``intelhex.IntelHex`` that
    micropython-microbit-fs uses (``ih[addr]``, ``minaddr()``, ``maxaddr()``),
    so that library can read its filesystem and device info from it directly.
    """

    starts: list[int] = field(default_factory=list)
    blocks: list[bytearray] = field(default_factory=list)

    def write(self, address: int, data: bytes) -> None:
        """Store ``data`` at ``address`` (records normally arrive in order, so append)."""
        if self.blocks:
            last = len(self.blocks) - 1
            end = self.starts[last] + len(self.blocks[last])
            if address == end:
                self.blocks[last] += data
                return
        i = bisect_right(self.starts, address) - 1
        if i >= 0 and address <= self.starts[i] + len(self.blocks[i]):
            block = self.blocks[i]
            offset = address - self.starts[i]
            block[offset : offset + len(data)] = data
            self._merge_from(i)
            return
        self.starts.insert(i + 1, address)
        self.blocks.insert(i + 1, bytearray(data))
        self._merge_from(i + 1)

    def _merge_from(self, i: int) -> None:
        """Join block ``i`` with the blocks it now reaches or overlaps."""
        while i + 1 < len(self.blocks):
            end = self.starts[i] + len(self.blocks[i])
            nxt = self.starts[i + 1]
            if nxt > end:
                return
            tail = self.blocks[i + 1][end - nxt :]
            self.blocks[i] += tail
            del self.starts[i + 1], self.blocks[i + 1]

    def __getitem__(self, address: int) -> int:
        i = bisect_right(self.starts, address) - 1
        if i >= 0:
            offset = address - self.starts[i]
            block = self.blocks[i]
            if offset < len(block):
                return block[offset]
        return ERASED

    def read(self, address: int, length: int) -> bytes:
        """``length`` bytes from ``address``, 0xFF where nothing was written."""
        out = bytearray([ERASED]) * length
        for start, block in zip(self.starts, self.blocks, strict=True):
            lo, hi = max(start, address), min(start + len(block), address + length)
            if lo < hi:
                out[lo - address : hi - address] = block[lo - start : hi - start]
        return bytes(out)

    def has_data(self, address: int, length: int) -> bool:
        """Whether any byte in ``[address, address + length)`` was written."""
        return any(
            start < address + length and address < start + len(block)
            for start, block in zip(self.starts, self.blocks, strict=True)
        )

    def minaddr(self) -> int | None:
        """Lowest written address (IntelHex interface)."""
        return self.starts[0] if self.starts else None

    def maxaddr(self) -> int | None:
        """Highest written address in code flash (IntelHex interface).

        The UICR registers at 0x10001000 are left out on purpose: the library
        scans every 4 KB page between min and max for the V2 flash-regions
        table, and the registers would make that 65,000 pages instead of 128.
        """
        ends = [s + len(b) - 1 for s, b in zip(self.starts, self.blocks, strict=True)
                if s < REGISTERS_START]
        return max(ends) if ends else None

    @property
    def size(self) -> int:
        """Number of bytes written."""
        return sum(len(b) for b in self.blocks)


@dataclass
class DecodedHex:
    """A decoded hex file: one flash image per board (key ``None`` for a plain hex)."""

    images: dict[int | None, FlashImage]

    @property
    def is_universal(self) -> bool:
        """Whether the file was a Universal Hex (records grouped by board id)."""
        return None not in self.images


def _fail(line_no: int, message: str) -> HexFormatError:
    return HexFormatError(f"line {line_no}: {message}")


def decode(text: str) -> DecodedHex:
    """Decode Intel HEX (plain or Universal) text; any malformed record raises with its line."""
    if not text.strip():
        raise HexFormatError("the file is empty")
    images: dict[int | None, FlashImage] = {}
    board: int | None = None
    image = images.setdefault(None, FlashImage())
    upper = 0
    saw_eof = False
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line[0] != ":":
            if line_no == 1 or not images:
                raise _fail(line_no, "not Intel HEX (records start with ':')")
            raise _fail(line_no, f"not an Intel HEX record: {line[:20]!r}")
        try:
            rec = bytes.fromhex(line[1:])
        except ValueError:
            raise _fail(line_no, "record has characters that are not hex digits") from None
        if len(rec) < 5:
            raise _fail(line_no, "record is truncated (too short to be a record)")
        count = rec[0]
        if len(rec) != count + 5:
            if len(rec) < count + 5:
                raise _fail(line_no, f"record is truncated (says {count} data bytes, "
                            f"has {max(0, len(rec) - 5)})")
            raise _fail(line_no, f"record is longer than its length field says ({count})")
        if sum(rec) & 0xFF:
            want = (-sum(rec[:-1])) & 0xFF
            raise _fail(line_no, f"bad checksum (record says {rec[-1]:02X}, data gives {want:02X})")
        kind = rec[3]
        if kind == DATA or kind == CUSTOM_DATA:
            image.write(upper + ((rec[1] << 8) | rec[2]), rec[4:-1])
        elif kind == EXT_LINEAR:
            upper = ((rec[4] << 8) | rec[5]) << 16
        elif kind == EXT_SEGMENT:
            upper = ((rec[4] << 8) | rec[5]) << 4
        elif kind == BLOCK_START:
            board = (rec[4] << 8) | rec[5]
            if None in images and not images[None].blocks:
                del images[None]
            image = images.setdefault(board, FlashImage())
        elif kind == EOF:
            saw_eof = True
            break
        elif kind not in KNOWN_TYPES:
            raise _fail(line_no, f"unknown record type {kind:02X}")
    if not saw_eof:
        raise HexFormatError("the file ends without an end-of-file record (is it cut short?)")
    return DecodedHex(images)


def encode_ela(address: int) -> str:
    """The Extended Linear Address record that selects ``address``'s upper 16 bits."""
    upper = (address >> 16) & 0xFFFF
    body = bytes([2, 0, 0, EXT_LINEAR, upper >> 8, upper & 0xFF])
    return ":" + (body + bytes([(-sum(body)) & 0xFF])).hex().upper()


EOF_RECORD = ":00000001FF"
RECORD_DATA = 16  # bytes per data record, as the official hexes use


def encode_data(segments: list[tuple[int, bytes]], kind: int = DATA) -> list[str]:
    """Records (``kind`` = data or Universal Hex custom data) for ``(address, bytes)`` segments.

    Emits an Extended Linear Address record first and whenever the upper 16 bits change.
    """
    out: list[str] = []
    upper = None
    for address, data in segments:
        for offset in range(0, len(data), RECORD_DATA):
            at = address + offset
            piece = data[offset : offset + RECORD_DATA]
            if at >> 16 != upper:
                upper = at >> 16
                out.append(encode_ela(at))
            body = bytes([len(piece), (at >> 8) & 0xFF, at & 0xFF, kind]) + piece
            out.append(":" + (body + bytes([(-sum(body)) & 0xFF])).hex().upper())
    return out
