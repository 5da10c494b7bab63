"""``neopixel`` (reference §22): strips of RGB(W) LEDs on a pin; ``show()`` lights them.

V1's NeoPixel is C: it checks the pin, the pixel count, ``bpp`` and every colour
(``ValueError: invalid colour``) and has only ``show``/``clear``. V2's is a small
Python class over a bytearray in GRB(W) order: no checks (bytes wrap), plus
``fill`` and ``write``. ``show()`` publishes ``neopixel`` ``{pin, pixels}``.

Neither firmware claims a pin mode for NeoPixels (V1 drives the GPIO directly,
V2's ``ws2812_write`` goes straight to the HAL), so ``pin.get_mode()`` is unchanged.
"""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.micropython.api.buses import (
    REQUIRED,
    buffer_bytes,
    parse_args,
    require_pin,
    send_ws2812,
    to_int,
)
from ubit.sim.micropython.boundary import api, api_class
from ubit.sim.shared.typenames import Any

ORDER = (1, 0, 2, 3)  # where R, G, B, W go in the bytes sent (GRBW)
_V1_SLOTS = frozenset({"__getitem__", "__setitem__", "__delitem__", "__len__"})


@api_class
class NeoPixelV1:
    """V1's C NeoPixel: pin, n > 0, bpp 3 or 4, colours checked to 0–255."""

    __slots__ = ("_pin", "_n", "_bpp", "_rgb")
    _board: Board
    __hash__ = None  # type: ignore[assignment]  # a native type: no hash (buttons.native)
    # no getiter slot (the V1 port's source/microbit/modneopixel.cpp): ``for p in np``
    # and ``list(np)`` are "'NeoPixel' object is not iterable" (the V1 firmware under
    # QEMU), where CPython would iterate through __getitem__. (V2's Python class iterates
    # so: 1.18's instance_getiter falls back to __getitem__, its IndexError ends the loop.)
    __iter__ = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The first two arguments are unnamed in the firmware: positional only.
        a = parse_args(args, kwargs, (("pin", "-obj", REQUIRED), ("n", "-int", REQUIRED),
                                      ("bpp", "int", 3)))
        pin, n, bpp = a["pin"], a["n"], a["bpp"]
        self._pin = require_pin(self._board, pin)
        if n <= 0:
            raise ValueError("invalid number of pixels")
        if bpp not in (3, 4):
            raise ValueError("invalid bpp")
        self._n, self._bpp = n, bpp
        self._rgb = bytearray(n * bpp)  # kept in R, G, B(, W) order

    def __getattribute__(self, name: str) -> Any:
        # A C type of MicroPython 1.9 has its operators as slots, not as attributes:
        # ``np.__setitem__`` doesn't exist there (firmware-v2-observed 162); np[i] = c
        # takes the slot and never comes here.
        if name in _V1_SLOTS:
            raise AttributeError(f"'NeoPixel' object has no attribute '{name}'")
        return object.__getattribute__(self, name)

    def __repr__(self) -> str:
        return "<NeoPixel>"

    def __len__(self) -> int:
        return self._n

    def _index(self, index: Any) -> int:
        if not isinstance(index, int):
            raise TypeError(f"NeoPixel indices must be integers, not {type(index).__name__}")
        if not -self._n <= index < self._n:
            raise IndexError("NeoPixel index out of range")
        return (index % self._n) * self._bpp

    def __getitem__(self, index: Any) -> tuple[int, ...]:
        at = self._index(index)
        return tuple(self._rgb[at:at + self._bpp])

    def __setitem__(self, index: Any, colour: Any) -> None:
        at = self._index(index)
        if not isinstance(colour, (tuple, list)):
            raise TypeError(f"object '{type(colour).__name__}' is not a tuple or list")
        if len(colour) != self._bpp:
            raise ValueError(f"requested length {self._bpp} but object has length {len(colour)}")
        for i, value in enumerate(colour):  # stored one by one: a bad value stops midway
            c = to_int(value)
            if not 0 <= c <= 255:
                raise ValueError("invalid colour")
            self._rgb[at + i] = c

    def __delitem__(self, index: Any) -> None:
        raise TypeError("'NeoPixel' object does not support item deletion")

    def show(self) -> None:
        """Light the strip with the colours set."""
        wire = bytearray(len(self._rgb))
        for at in range(0, len(wire), self._bpp):
            for i in range(self._bpp):
                wire[at + ORDER[i]] = self._rgb[at + i]
        send_ws2812(self._board, self._pin, bytes(wire), self._bpp)

    def clear(self) -> None:
        """Turn every pixel off (at once)."""
        self._rgb[:] = bytes(len(self._rgb))
        self.show()


@api_class
class NeoPixelV2:
    """V2's frozen-Python NeoPixel: a GRB(W) bytearray with no checks."""

    _board: Board
    ORDER = ORDER

    def __init__(self, pin: Any, n: Any, bpp: Any = 3) -> None:
        self.pin = pin
        self.n = n
        self.bpp = bpp
        size = n * bpp
        if not isinstance(size, int):
            raise TypeError(f"'{type(size).__name__}' object isn't iterable")
        self.buf = bytearray(size)

    def __setitem__(self, index: Any, val: Any) -> None:
        offset = index * self.bpp
        for i in range(self.bpp):
            _store(self.buf, offset + self.ORDER[i], val[i])

    def __getitem__(self, index: Any) -> tuple[int, ...]:
        offset = index * self.bpp
        return tuple(_load(self.buf, offset + self.ORDER[i]) for i in range(self.bpp))

    def __len__(self) -> int:
        return self.n

    def fill(self, color: Any) -> None:
        """Set every pixel to ``color`` (shown at the next ``show``/``write``)."""
        for i in range(self.n):
            self[i] = color

    def write(self) -> None:
        """Light the strip with the colours set."""
        board = self._board
        send_ws2812(board, require_pin(board, self.pin), buffer_bytes(self.buf),
                    self.bpp if isinstance(self.bpp, int) else 3)

    def clear(self) -> None:
        """Turn every pixel off (at once)."""
        for i in range(len(self.buf)):
            self.buf[i] = 0
        self.write()

    def show(self) -> None:
        """Light the strip (the same as ``write``)."""
        self.write()


def _byte_index(buf: bytearray, index: Any) -> int:
    if not isinstance(index, int):
        raise TypeError(f"bytearray indices must be integers, not {type(index).__name__}")
    if not -len(buf) <= index < len(buf):
        raise IndexError("bytearray index out of range")
    return index


def _store(buf: bytearray, index: Any, value: Any) -> None:
    """``buf[index] = value`` as MicroPython does it: the value wraps to a byte."""
    buf[_byte_index(buf, index)] = to_int(value) & 0xFF


def _load(buf: bytearray, index: Any) -> int:
    return buf[_byte_index(buf, index)]


def create(board: Board) -> dict[str, Any]:
    """The names of ``neopixel`` on ``device``."""
    base = NeoPixelV2 if board.spec.neopixel_python else NeoPixelV1
    extra = {} if base is NeoPixelV2 else {"__slots__": ()}
    cls = type("NeoPixel", (base,), {"_board": board, **extra})
    names: dict[str, Any] = {"NeoPixel": cls}
    if board.spec.ws2812_write:  # V2's neopixel module has it too
        from ubit.sim.micropython.api.buses import ws2812_write

        def write(pin: Any, buf: Any) -> None:
            """ws2812_write(pin, buf): raw GRB bytes to NeoPixels."""
            ws2812_write(board, pin, buf)

        write.__name__ = write.__qualname__ = "ws2812_write"
        names["ws2812_write"] = api(write)
    return names
