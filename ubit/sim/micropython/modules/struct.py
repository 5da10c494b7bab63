"""``ustruct`` / ``struct`` (reference §31): MicroPython's packing, quirks included.

MicroPython packs values as 32-bit C would: small ints are cut to the field
(``pack('<B', 300)`` → ``b','``, firmware-v1-observed.md), big ints are cut
from their two's complement, floats are single precision. V1 (core 1.9.2)
checks buffer sizes one group at a time, so it reads zeros past the end of a
short buffer where V2 (core 1.18) raises ``buffer too small``. Type codes
``x``, ``?``, ``e`` and the byte order ``=`` are refused with ``bad typecode``
on both, as in the firmware. The helpers here (MicroPython's int/float
conversions, buffers) are shared with ``array`` and ``math``.
"""

from __future__ import annotations

import struct as _struct

from ubit.sim.board.board import Board
from ubit.sim.micropython import args, f32
from ubit.sim.micropython.args import to_int, type_name
from ubit.sim.micropython.boundary import c_function
from ubit.sim.micropython.mpfloat import float32
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import Any

SMALL_INT_MIN, SMALL_INT_MAX = -(1 << 30), (1 << 30) - 1  # values that need no heap object
SIZES = {"b": 1, "B": 1, "h": 2, "H": 2, "i": 4, "I": 4, "l": 4, "L": 4, "q": 8, "Q": 8,
         "P": 4, "O": 4, "S": 4, "f": 4, "d": 8}


def to_int_truncated(value: Any) -> int:
    """``mp_obj_get_int_truncated``: any int, cut to 32 bits (unsigned)."""
    if isinstance(value, int):
        return int(value) & 0xFFFFFFFF
    raise TypeError(f"can't convert {type_name(value)} to int")


def to_float(value: Any) -> float:
    """``mp_obj_get_float``: an int, bool or float as a single-precision float."""
    return float32(args.to_float(value))


def new_float(value: float, in_word: bool) -> float:
    """A float result as the board stores it: single precision; ``in_word`` (V1): 30 bits."""
    return f32.new(value, in_word)  # the board's float type when it computes in float32


def buffer_of(obj: Any) -> bytes | None:
    """The bytes of an object with MicroPython's buffer protocol (str included), else None."""
    if isinstance(obj, (bytes, bytearray)):
        return bytes(obj)
    if isinstance(obj, str):
        return obj.encode("utf-8", "surrogateescape")
    if isinstance(obj, memoryview):
        return obj.tobytes()
    try:
        return memoryview(obj).tobytes()  # arrays
    except TypeError:
        return None


def need_buffer(obj: Any) -> bytes:
    """``buffer_of`` or MicroPython's TypeError."""
    data = buffer_of(obj)
    if data is None:
        raise TypeError("object with buffer protocol required")
    return data


def int_bytes(value: Any, code: str, size: int, big: bool, spec: BoardSpec) -> bytes:
    """``value`` packed into ``size`` bytes as ``mp_binary_set_val`` does for an int field."""
    if isinstance(value, int) and not SMALL_INT_MIN <= value <= SMALL_INT_MAX:
        # a heap int: its two's complement, cut to the field
        return (value & ((1 << (8 * size)) - 1)).to_bytes(size, "big" if big else "little")
    word = to_int(value) & 0xFFFFFFFF  # a small int travels as one 32-bit word
    if size > 4:
        negative = bool(word & 0x80000000) and (code.islower() or spec.struct_q_sign_extended)
        word |= ((1 << (8 * size)) - 1) ^ 0xFFFFFFFF if negative else 0
    return (word & ((1 << (8 * size)) - 1)).to_bytes(size, "big" if big else "little")


def value_bytes(value: Any, code: str, size: int, big: bool, spec: BoardSpec) -> bytes:
    """One field's bytes."""
    order = ">" if big else "<"
    if code == "f":
        return _struct.pack(order + "f", to_float(value))
    if code == "d":
        return _struct.pack(order + "d", to_float(value))
    if code in "OS":
        value = id(value) & 0xFFFFFFFF  # a pointer on the device: only its size matters here
    return int_bytes(value, code, size, big, spec)


def value_of(data: bytes, code: str, big: bool, spec: BoardSpec) -> Any:
    """One field's value (floats come back as the firmware stores them)."""
    order = ">" if big else "<"
    if code in "fd":
        return new_float(_struct.unpack(order + code, data)[0], spec.floats_in_word)
    return int.from_bytes(data, "big" if big else "little", signed=code.islower())


class Format:
    """A parsed format string: byte order and (count, code) groups."""

    def __init__(self, fmt: Any) -> None:
        if isinstance(fmt, bytes):
            fmt = fmt.decode("latin-1")
        if not isinstance(fmt, str):
            raise TypeError(f"can't convert '{type_name(fmt)}' object to str implicitly")
        self.order = "@"
        if fmt[:1] in ("@", "=", "<", ">", "!"):
            self.order = ">" if fmt[0] == "!" else fmt[0]
            fmt = fmt[1:]
        self.groups: list[tuple[int, str]] = []
        i = 0
        while i < len(fmt):
            start = i
            while i < len(fmt) and fmt[i].isdigit():
                i += 1
            count = int(fmt[start:i]) if i > start else 1
            self.groups.append((count, fmt[i] if i < len(fmt) else "\0"))
            i += 1

    def field(self, code: str) -> tuple[int, int]:
        """(size, alignment) of one ``code`` field; ``bad typecode`` as the firmware says."""
        size = SIZES.get(code, 0) if self.order in "<>@" else 0
        if size == 0:
            raise ValueError("bad typecode")
        return size, size if self.order == "@" else 1

    @property
    def big(self) -> bool:
        """Big-endian fields (native order is little-endian on both boards)."""
        return self.order == ">"

    def size(self) -> int:
        """``calcsize``."""
        total = 0
        for count, code in self.groups:
            if code == "s":
                total += count
                continue
            size, align = self.field(code)
            for _ in range(count):
                total = -(-total // align) * align + size
        return total

    def items(self, spec: BoardSpec) -> int:
        """How many values the format packs (V2 refuses a bad code here already)."""
        if spec.struct_checks_whole_buffer:
            self.size()
        return sum(1 if code == "s" else count for count, code in self.groups)


def unpack_from(fmt: Any, buffer: Any, offset: Any = 0, *, spec: BoardSpec) -> tuple[Any, ...]:
    """``unpack_from`` (also ``unpack``: MicroPython only asks the buffer to be big enough)."""
    form = Format(fmt)
    wanted = form.items(spec)
    data = need_buffer(buffer)
    pos = to_int(offset)
    if pos < 0:
        pos += len(data)
        if pos < 0:
            raise ValueError("buffer too small")
    if spec.struct_checks_whole_buffer and pos + form.size() > len(data):
        raise ValueError("buffer too small")
    values: list[Any] = []
    base = pos
    for count, code in form.groups:
        if len(values) >= wanted:
            break
        if not spec.struct_checks_whole_buffer and pos + count > len(data):  # V1: the count
            raise ValueError("buffer too small")
        if code == "s":
            values.append(data[pos:pos + count])
            pos += count
            continue
        size, align = form.field(code)
        for _ in range(count):
            pos = base + -(-(pos - base) // align) * align
            chunk = data[pos:pos + size].ljust(size, b"\0")  # V1 reads on past the end
            values.append(value_of(chunk, code, form.big, spec))
            pos += size
    return tuple(values)


def pack_into_buffer(fmt: Any, target: bytearray, pos: int, args: tuple[Any, ...],
                     spec: BoardSpec) -> None:
    """Write ``args`` at ``pos``; bytes past the end are dropped (V1 would overrun)."""
    form = Format(fmt)
    base, end, i = pos, len(target), 0

    def put(at: int, data: bytes) -> None:
        target[at:min(end, at + len(data))] = data[:max(0, end - at)]

    for count, code in form.groups:
        if i >= len(args):
            break  # missing values stay zero, as in the firmware
        if not spec.struct_checks_whole_buffer and pos + count > end:  # V1: the count
            raise ValueError("buffer too small")
        if code == "s":
            put(pos, need_buffer(args[i])[:count].ljust(count, b"\0"))
            pos += count
            i += 1
            continue
        size, align = form.field(code)
        for _ in range(min(count, len(args) - i)):
            pos = base + -(-(pos - base) // align) * align
            put(pos, value_bytes(args[i], code, size, form.big, spec))
            pos += size
            i += 1


def create(board: Board) -> dict[str, Any]:
    """The names of ``ustruct`` on ``device``."""
    spec = board.spec

    def calcsize(fmt: Any) -> int:
        """Bytes the format packs into."""
        return Format(fmt).size()

    def pack(fmt: Any, *values: Any) -> bytes:
        """``values`` packed by ``fmt``."""
        out = bytearray(Format(fmt).size())
        pack_into_buffer(fmt, out, 0, values, spec)
        return bytes(out)

    def pack_into(fmt: Any, buffer: Any, offset: Any, *values: Any) -> None:
        """Pack ``values`` into a writable buffer at ``offset``."""
        try:
            view = memoryview(buffer).cast("B")
        except TypeError:
            view = None
        if view is None or view.readonly:
            raise TypeError("object with buffer protocol required")
        pos = to_int(offset)
        if pos < 0:
            pos += len(view)
            if pos < 0:
                raise ValueError("buffer too small")
        if spec.struct_checks_whole_buffer and pos + Format(fmt).size() > len(view):
            raise ValueError("buffer too small")
        work = bytearray(view)
        pack_into_buffer(fmt, work, pos, values, spec)
        view[:] = work

    def unpack(fmt: Any, buffer: Any) -> tuple[Any, ...]:
        """The values packed in ``buffer``."""
        return unpack_from(fmt, buffer, spec=spec)

    def unpack_from_(fmt: Any, buffer: Any, offset: Any = 0) -> tuple[Any, ...]:
        """The values packed in ``buffer`` from ``offset``."""
        return unpack_from(fmt, buffer, offset, spec=spec)

    unpack_from_.__name__ = "unpack_from"
    return {"__name__": "ustruct", "calcsize": c_function(calcsize), "pack": c_function(pack),
            "pack_into": c_function(pack_into), "unpack": c_function(unpack),
            "unpack_from": c_function(unpack_from_)}
