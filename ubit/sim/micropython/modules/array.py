"""``array`` / ``uarray`` (reference §31): MicroPython's small typed array.

Built on CPython's ``array.array`` for storage and the buffer protocol (so
``bytes(a)`` and ``struct.unpack(fmt, a)`` work), with MicroPython's rules on
top: values are cut to the item size instead of raising OverflowError,
``extend`` and ``+`` take raw bytes from any buffer, a bytes initialiser is
read as raw items, slices with a step raise NotImplementedError, there is no
item or slice assignment by slice, and only ``append``/``extend`` (V2 also
``decode``) exist. Type codes ``O`` and ``S`` (object pointers) are refused.
"""

from __future__ import annotations

import array as _array

from ubit.sim.board.board import Board
from ubit.sim.micropython.boundary import api, api_class
from ubit.sim.micropython.modules.struct import (
    SIZES,
    buffer_of,
    need_buffer,
    to_float,
    to_int,
    type_name,
)
from ubit.sim.micropython.mprepr import Printer
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import Any

# MicroPython's 4-byte l/L and pointer-sized P stored in CPython's 4-byte i/I
STORAGE = {"b": "b", "B": "B", "h": "h", "H": "H", "i": "i", "I": "I", "l": "i", "L": "I",
           "q": "q", "Q": "Q", "f": "f", "d": "d", "P": "I"}
# CPython array names the firmware's array doesn't have
CPYTHON_ONLY = ("typecode", "itemsize", "buffer_info", "byteswap", "count", "frombytes",
                "fromfile", "fromlist", "fromunicode", "index", "insert", "pop", "remove",
                "reverse", "tobytes", "tofile", "tolist", "tounicode")


def item_value(code: str, value: Any) -> int | float:
    """``value`` as stored in an item of type ``code`` (ints wrap, floats go single)."""
    if code in "fd":
        return to_float(value)
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 31:
        number = value  # a heap int: its two's complement is cut, no word-size check
    else:
        number = to_int(value)
    bits = 8 * SIZES[code]
    number &= (1 << bits) - 1
    if code.islower() and number >> (bits - 1):
        number -= 1 << bits
    return number


_NO = object()  # "argument not given"


def _missing(name: str) -> property:
    def get(self: Any) -> Any:
        raise AttributeError(f"'array' object has no attribute '{name}'")
    return property(get)


def make_array_type(spec: BoardSpec, printer: Printer) -> type:
    """The ``array`` class of one board (its repr prints floats as that board does)."""

    @api
    def construct(cls: type, typecode: Any = _NO, *initial: Any) -> Any:
        """A new array (the work of ``array.__new__``)."""
        if typecode is _NO:
            raise TypeError("function missing 1 required positional arguments")
        if len(initial) > 1:
            raise TypeError(f"function expected at most 2 arguments, got {len(initial) + 1}")
        if isinstance(typecode, bytes):
            typecode = typecode.decode("latin-1")
        if not isinstance(typecode, str):
            raise TypeError(f"can't convert '{type_name(typecode)}' object to str "
                            "implicitly")
        code = typecode[:1]
        if code not in STORAGE:
            raise ValueError("bad typecode")
        self: Any = _array.array.__new__(cls, STORAGE[code])
        self._code = code
        if initial:
            source = initial[0]
            if isinstance(source, (bytes, bytearray)):
                self._raw(bytes(source))  # raw items; a partial last item is dropped
            else:
                for item in source:
                    _array.array.append(self, item_value(code, item))
        return self

    class array(_array.array):  # noqa: N801 - the firmware's name
        """MicroPython's array: typed items in a byte buffer."""

        __slots__ = ("_code",)

        def __new__(cls, *args: Any) -> Any:
            return construct(cls, *args)  # the work runs beyond the user's call depth

        def _raw(self, data: bytes) -> None:
            size = SIZES[self._code]
            _array.array.frombytes(self, data[:len(data) - len(data) % size])

        def append(self, value: Any) -> None:
            """Add one item at the end."""
            _array.array.append(self, item_value(self._code, value))

        def extend(self, data: Any) -> None:
            """Add the raw items of any object with the buffer protocol."""
            self._raw(need_buffer(data))

        def __setitem__(self, index: Any, value: Any) -> None:
            if isinstance(index, slice):
                raise TypeError("'array' object doesn't support item assignment")
            _array.array.__setitem__(self, index, item_value(self._code, value))

        def __delitem__(self, index: Any) -> None:
            raise TypeError("'array' object doesn't support item deletion")

        def __getitem__(self, index: Any) -> Any:
            if isinstance(index, slice):
                if index.step not in (None, 1):
                    raise NotImplementedError("only slices with step=1 (aka None) are "
                                              "supported")
                part = array(self._code)
                _array.array.extend(part, _array.array.__getitem__(self, index))
                return part
            return _array.array.__getitem__(self, index)

        def __add__(self, other: Any) -> Any:
            result = array(self._code)
            _array.array.extend(result, self)
            result._raw(need_buffer(other))
            return result

        def __iadd__(self, other: Any) -> Any:
            self.extend(other)
            return self

        def __mul__(self, other: Any) -> Any:
            return NotImplemented

        __rmul__ = __imul__ = __mul__

        def __contains__(self, item: Any) -> bool:
            if buffer_of(item) is None and isinstance(item, (int, float)):
                raise NotImplementedError(*spec.array_in_error)
            return False

        def _compare(self, other: Any, equal_only: bool) -> bytes | None:
            data = buffer_of(other)
            if data is None:
                return None
            mine = self._code.lower()
            theirs = other._code.lower() if isinstance(other, array) else "b"
            unsigned = self._code.isupper() or not isinstance(other, array) \
                or other._code.isupper()
            if mine != theirs or mine in "fd" or not (equal_only or unsigned):
                raise NotImplementedError()
            return data

        def __eq__(self, other: Any) -> bool:  # type: ignore[override]
            data = self._compare(other, True)
            return data is not None and memoryview(self).tobytes() == data

        def __ne__(self, other: Any) -> bool:  # type: ignore[override]
            return not self.__eq__(other)

        def __lt__(self, other: Any) -> bool:  # type: ignore[override]
            data = self._compare(other, False)
            return data is not None and memoryview(self).tobytes() < data

        def __gt__(self, other: Any) -> bool:  # type: ignore[override]
            data = self._compare(other, False)
            return data is not None and memoryview(self).tobytes() > data

        __hash__ = None  # type: ignore[assignment]

        def __repr__(self) -> str:
            if not len(self):
                return f"array('{self._code}')"
            items = ", ".join(printer.repr(x) for x in _array.array.__iter__(self))
            return f"array('{self._code}', [{items}])"

        __str__ = __repr__

        def __dir__(self) -> list[str]:
            return ["append", "extend"] + (["decode"] if spec.str_codecs else [])

    if spec.str_codecs:
        def decode(self: Any, encoding: str = "utf-8", errors: str = "strict") -> str:
            """The bytes of the array as text (V2: shared with bytes)."""
            return memoryview(self).tobytes().decode(encoding, errors)
        array.decode = decode  # type: ignore[attr-defined]
    for name in CPYTHON_ONLY:
        setattr(array, name, _missing(name))
    array.__module__ = "builtins"  # prints as <class 'array'>
    return api_class(array)


def create(board: Board) -> dict[str, Any]:
    """The names of ``array`` (V1) / ``uarray`` (V2) on ``device``."""
    spec = board.spec
    cls = make_array_type(spec, Printer(spec))
    return {"__name__": spec.module_name("array"), "array": cls}

