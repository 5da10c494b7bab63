"""``microbit.Image`` (reference §6): greyscale pictures, the font's glyphs, the built-ins.

The class is ``MicroBitImage`` as on the device. Quirks follow the firmware (V1 measured
under QEMU, V2 sources): 4-bit pixels (``Image('!:')`` is accepted and holds 1), ``img * n``
visits rows only up to the width, ``img / 0`` is all 9s with no ZeroDivisionError (C float
division; §6.3 says otherwise), no ``==`` but identity, read-only built-ins.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

from ubit.sim.board.board import Board
from ubit.sim.micropython.args import check_count, current_spec, no_keywords, to_float, to_int
from ubit.sim.micropython.boundary import api_class
from ubit.sim.micropython.mpfloat import float32
from ubit.sim.shared import imagedata

TYPE_CHECKING = False  # typing costs every board its start-up (issue 17)
if TYPE_CHECKING:
    from typing import Any, TypeVar
    F = TypeVar("F", bound=Callable[..., Any])

MAX_BRIGHTNESS = 9
READ_ONLY = "image cannot be modified (try copying first)"
# repr indexes "0123456789" by pixel; 4-bit values 10-15 read on into the next string in
# the firmware's memory (measured on V1: Image('*+,-./:') prints '\x00unexp').
_DIGITS = "0123456789\x00unexp"


# -- argument conversion as MicroPython's C functions do it --------------------------------
def native(low: int, high: int | None = None) -> Callable[[F], F]:
    """Check a method's arguments as a C method does (``self`` counts, no keywords)."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            if kwargs:
                raise no_keywords()
            check_count(len(args), low, low if high is None else high)
            return fn(*args)

        return call  # type: ignore[return-value]

    return wrap


# -- the image type ----------------------------------------------------------------------------
@api_class
class MicroBitImage:
    """A rectangle of pixels with brightness 0–9 (reference §6)."""

    __slots__ = ("_w", "_h", "_px", "_ro")
    __hash__ = None  # type: ignore[assignment]  # a native type: no hash (buttons.native)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """``Image()``, ``Image(string)``, ``Image(w, h)`` or ``Image(w, h, buffer)`` (§6.1)."""
        if kwargs:
            raise no_keywords()
        check_count(len(args), 0, 3)
        self._ro = False
        if not args:
            self._set_size(5, 5)
        elif len(args) == 1:
            if not isinstance(args[0], str):
                raise TypeError("Image(s) takes a string")
            data = args[0].encode("utf-8", "surrogatepass")
            if len(data) == 1:
                self._set_rows(imagedata.glyph_rows(data[0]))
            else:
                self._parse(data)
        else:
            width, height = to_int(args[0]), to_int(args[1])
            if len(args) == 2:
                self._set_size(width, height)
            else:
                self._from_buffer(width, height, args[2])

    # construction helpers
    def _set_size(self, width: int, height: int) -> None:
        # width and height are bytes in the firmware's image struct: Image(-1, 2) is 255 wide
        self._w, self._h = width & 0xFF, height & 0xFF
        self._px = bytearray(self._w * self._h)

    def _set_rows(self, rows: Any) -> None:
        self._set_size(len(rows[0]) if rows else 0, len(rows))
        self._px[:] = bytes(v for row in rows for v in row)

    def _parse(self, data: bytes) -> None:
        # §6.1: rows end at ':' or newline, a space is 0, the last separator is optional
        rows: list[list[int]] = [[]]
        for c in data:
            if c in (0x0A, 0x3A):
                rows.append([])
            elif c == 0x20:
                rows[-1].append(0)
            elif c <= 0x39:  # the firmware checks only "<= '9'": '!' is accepted (value 1)
                rows[-1].append((c - 0x30) & 0x0F)
            else:
                raise ValueError("unexpected character in Image definition")
        if not rows[-1]:
            rows.pop()
        width = max((len(row) for row in rows), default=0)
        self._set_size(width, len(rows))
        for y, row in enumerate(rows[:self._h]):
            row = row[:self._w]
            self._px[y * self._w:y * self._w + len(row)] = bytes(row)

    def _from_buffer(self, width: int, height: int, buffer: Any) -> None:
        if isinstance(buffer, str):  # str has the buffer protocol in MicroPython
            buffer = buffer.encode("utf-8", "surrogatepass")
        try:
            data = memoryview(buffer).cast("B")
        except TypeError:
            raise TypeError("object with buffer protocol required") from None
        if width < 0 or height < 0 or width * height != len(data):
            raise ValueError("image data is incorrect size")
        self._set_size(width, height)
        self._px[:] = bytes(min(v, MAX_BRIGHTNESS) for v in data[:len(self._px)])

    def _new(self, width: int, height: int) -> MicroBitImage:
        image = MicroBitImage.__new__(MicroBitImage)
        image._ro = False
        image._set_size(width, height)
        return image

    def _get(self, x: int, y: int) -> int:
        return self._px[y * self._w + x]

    def _put(self, x: int, y: int, value: int) -> None:
        if 0 <= x < self._w and 0 <= y < self._h:
            self._px[y * self._w + x] = value & 0x0F  # 4-bit pixels

    def _writable(self) -> None:
        if self._ro:
            raise TypeError(READ_ONLY)

    def _index(self, x: Any, y: Any) -> tuple[int, int]:
        x, y = to_int(x), to_int(y)
        if x < 0 or y < 0:
            raise ValueError("index cannot be negative")
        return x, y

    # §6.2 methods
    @native(1)
    def width(self) -> int:
        """Number of columns."""
        return self._w

    @native(1)
    def height(self) -> int:
        """Number of rows."""
        return self._h

    @native(3)
    def get_pixel(self, x: Any, y: Any) -> int:
        """Brightness of the pixel at column ``x``, row ``y``."""
        x, y = self._index(x, y)
        if x < self._w and y < self._h:
            return self._get(x, y)
        raise ValueError("index too large")

    @native(4, 4)
    def set_pixel(self, x: Any, y: Any, value: Any) -> None:
        """Set the pixel at column ``x``, row ``y`` to brightness ``value``."""
        self._writable()
        x, y = self._index(x, y)
        value = to_int(value)
        if not 0 <= value <= MAX_BRIGHTNESS:
            raise ValueError("brightness out of bounds")
        if x < self._w and y < self._h:
            self._put(x, y, value)
            return
        raise ValueError("index too large")

    @native(2)
    def fill(self, value: Any) -> None:
        """Set every pixel to brightness ``value``."""
        self._writable()
        value = to_int(value)
        if not 0 <= value <= MAX_BRIGHTNESS:
            raise ValueError("brightness out of bounds")
        self._px[:] = bytes([value]) * len(self._px)

    @native(6, 8)
    def blit(self, src: Any, x: Any, y: Any, w: Any, h: Any, *dest: Any) -> None:
        """Copy the ``w``×``h`` rectangle at (``x``, ``y``) of ``src`` to (xdest, ydest)."""
        self._writable()
        if type(src) is not MicroBitImage:
            raise TypeError("expecting an image")
        if len(dest) == 1:
            raise TypeError("must specify both offsets")
        x, y, w, h = to_int(x), to_int(y), to_int(w), to_int(h)
        if w < 0 or h < 0:
            raise ValueError("size cannot be negative")
        xdest, ydest = (to_int(dest[0]), to_int(dest[1])) if dest else (0, 0)
        _blit(src, self, x, y, w, h, xdest, ydest)

    @native(5, 5)
    def crop(self, x: Any, y: Any, w: Any, h: Any) -> MicroBitImage:
        """A new ``w``×``h`` image of the rectangle at (``x``, ``y``); outside is 0."""
        x, y, w, h = to_int(x), to_int(y), max(0, to_int(w)), max(0, to_int(h))
        result = self._new(w, h)
        _blit(self, result, x, y, w, h, 0, 0)
        return result

    def _shifted(self, dx: int, dy: int) -> MicroBitImage:
        result = self._new(self._w, self._h)
        _blit(self, result, dx, dy, self._w, self._h, 0, 0)
        return result

    @native(2)
    def shift_left(self, n: Any) -> MicroBitImage:
        """A copy moved ``n`` columns left (blank columns come in on the right)."""
        return self._shifted(to_int(n), 0)

    @native(2)
    def shift_right(self, n: Any) -> MicroBitImage:
        """A copy moved ``n`` columns right."""
        return self._shifted(-to_int(n), 0)

    @native(2)
    def shift_up(self, n: Any) -> MicroBitImage:
        """A copy moved ``n`` rows up."""
        return self._shifted(0, to_int(n))

    @native(2)
    def shift_down(self, n: Any) -> MicroBitImage:
        """A copy moved ``n`` rows down."""
        return self._shifted(0, -to_int(n))

    @native(1)
    def copy(self) -> MicroBitImage:
        """A mutable copy."""
        result = self._new(self._w, self._h)
        result._px[:] = self._px
        return result

    @native(1)
    def invert(self) -> MicroBitImage:
        """A copy with each pixel ``9 - v``."""
        result = self._new(self._w, self._h)
        result._px[:] = bytes((MAX_BRIGHTNESS - v) & 0x0F for v in self._px)
        return result

    # §6.4
    def _row_texts(self) -> list[str]:
        return ["".join(_DIGITS[self._get(x, y)] for x in range(self._w)) + ":"
                for y in range(self._h)]

    def __repr__(self) -> str:
        """``Image('09090:...:')``: every row ends with ``:``."""
        return "Image('" + "".join(self._row_texts()) + "')"

    def __str__(self) -> str:
        """One quoted row per line, indented 4 spaces."""
        return "Image(\n    '" + "'\n    '".join(self._row_texts()) + "'\n)"

    def __dir__(self) -> list[str]:
        """The names the firmware lists (not the simulator's internals)."""
        return [name for name in dir(MicroBitImage) if not name.startswith("_")]

    # §6.3 operators
    def _sum(self, other: Any, op: str) -> MicroBitImage:
        if type(other) is not MicroBitImage:
            name = type(other).__name__
            raise TypeError(f"unsupported types for {op}: 'MicroBitImage', '{name}'")
        if (other._w, other._h) != (self._w, self._h):
            raise ValueError("images must be the same size")
        result = self._new(self._w, self._h)
        pairs = zip(self._px, other._px, strict=True)
        if op == "__add__":
            result._px[:] = bytes(min(a + b, MAX_BRIGHTNESS) for a, b in pairs)
        else:
            result._px[:] = bytes(max(0, a - b) for a, b in pairs)
        return result

    def _dim(self, factor: float) -> MicroBitImage:
        if factor < 0:
            raise ValueError("brightness multiplier must not be negative")
        result = self._new(self._w, self._h)
        for x in range(self._w):
            for y in range(self._w):  # sic: the firmware loops rows up to the width
                if y < self._h:
                    value = self._get(x, y) * factor + 0.5
                    # MIN(value, 9) in C: NaN and inf compare false, so they give 9
                    result._put(x, y, int(value) if value < MAX_BRIGHTNESS else MAX_BRIGHTNESS)
        return result

    def __add__(self, other: Any) -> MicroBitImage:
        """Per-pixel sum, at most 9."""
        return self._sum(other, "__add__")

    def __sub__(self, other: Any) -> MicroBitImage:
        """Per-pixel difference, at least 0."""
        return self._sum(other, "__sub__")

    def __mul__(self, factor: Any) -> MicroBitImage:
        """Each pixel times ``factor``, rounded, at most 9."""
        return self._dim(float32(to_float(factor)))  # mp_float_t is single precision

    def __truediv__(self, divisor: Any) -> MicroBitImage:
        """Each pixel divided by ``divisor`` (1.0/0 is inf in the firmware's C)."""
        value = float32(to_float(divisor))
        return self._dim(float32(1.0 / value) if value else math.copysign(math.inf, value))

    # A number on the left, or a unary operator, is a TypeError in MicroPython's words
    # (1.9.2 leaves the operator's name out of ``n * image`` and unary messages).
    def _reflected(self, other: Any, op: str) -> None:
        raise TypeError(f"unsupported types for {op}: '{type(other).__name__}', 'MicroBitImage'")

    def __radd__(self, other: Any) -> None:
        """``n + image`` isn't supported."""
        self._reflected(other, "__add__")

    def __rsub__(self, other: Any) -> None:
        """``n - image`` isn't supported."""
        self._reflected(other, "__sub__")

    def __rmul__(self, other: Any) -> None:
        """``n * image`` isn't supported."""
        self._reflected(other, "__mul__" if current_spec().all_special_methods else "")

    def __rtruediv__(self, other: Any) -> None:
        """``n / image`` isn't supported."""
        self._reflected(other, "__truediv__")

    def _unary(self, op: str) -> None:
        name = op if current_spec().all_special_methods else ""
        raise TypeError(f"unsupported type for {name}: 'MicroBitImage'")

    def __neg__(self) -> None:
        """``-image`` isn't supported."""
        self._unary("__neg__")

    def __pos__(self) -> None:
        """``+image`` isn't supported."""
        self._unary("__pos__")

    def __invert__(self) -> None:
        """``~image`` isn't supported."""
        self._unary("__invert__")


MicroBitImage.__module__ = "builtins"  # prints as <class 'MicroBitImage'>


def _blit(src: MicroBitImage, dest: MicroBitImage, x: int, y: int, w: int, h: int,
          xdest: int, ydest: int) -> None:
    """The firmware's blit: the destination rectangle gets ``src`` where it has pixels, else 0."""
    pixels = bytes(src._px)  # a snapshot, so blitting an image onto itself works
    for dy in range(max(0, ydest), min(dest._h, ydest + h)):
        sy = dy - ydest + y
        for dx in range(max(0, xdest), min(dest._w, xdest + w)):
            sx = dx - xdest + x
            inside = 0 <= sx < src._w and 0 <= sy < src._h
            dest._px[dy * dest._w + dx] = pixels[sy * src._w + sx] if inside else 0


def constant_image(rows: str) -> MicroBitImage:
    """A read-only image from ``'09090:...'`` rows (the built-ins)."""
    image = MicroBitImage(rows)
    image._ro = True
    return image


def image_for_char(code: int) -> MicroBitImage:
    """A new 5×5 image of the font's glyph for byte ``code`` ('?' outside ASCII 32–126)."""
    image = MicroBitImage.__new__(MicroBitImage)
    image._ro = False
    image._set_rows(imagedata.glyph_rows(code))
    return image


def grid_of(image: MicroBitImage) -> list[list[int]]:
    """The 5×5 the display shows for ``image``: its top-left corner, blank elsewhere."""
    return [[image._get(x, y) if x < image._w and y < image._h else 0 for x in range(5)]
            for y in range(5)]


def is_image(value: Any) -> bool:
    """Whether ``value`` is exactly an Image (as the firmware checks its type)."""
    return type(value) is MicroBitImage


for _name, _rows in imagedata.BUILTIN_IMAGES:
    setattr(MicroBitImage, _name, constant_image(_rows))
MicroBitImage.ALL_CLOCKS = tuple(getattr(MicroBitImage, n) for n in imagedata.ALL_CLOCKS)
MicroBitImage.ALL_ARROWS = tuple(getattr(MicroBitImage, n) for n in imagedata.ALL_ARROWS)


def contribute(board: Board, ns: dict[str, Any]) -> None:
    """Add ``Image``."""
    ns["Image"] = MicroBitImage
