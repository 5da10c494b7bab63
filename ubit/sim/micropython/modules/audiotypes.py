"""The ``audio`` module's classes: ``AudioFrame`` (both boards) and V2's ``SoundEffect``.

``AudioFrame`` (reference §15.1, ``modaudio.c``/``modaudio.cpp``): 32 unsigned bytes,
indexed 0–31 only, operators that clamp, ``copyfrom``. It is a ``bytearray`` underneath
so that it has the buffer protocol (``bytes(frame)``, ``memoryview``, file and UART
writes); every ``bytearray`` method the firmware's type lacks is hidden.

``SoundEffect`` (§14, ``microbit_soundeffect.c``) keeps its 72-digit sound expression,
as the firmware does: every attribute is read from and written into those digits, so
the errors, the volume scaling (0–255 stored as 0–1023) and its round trip are the
firmware's, including a too-large value leaving its low digits written.
"""

from __future__ import annotations

import math
import struct

from ubit.sim.micropython.api.buses import parse_args
from ubit.sim.micropython.args import to_float, to_int
from ubit.sim.micropython.boundary import api, api_class
from ubit.sim.shared.typenames import Any

FRAME_SIZE = 32
_FRAME_NAMES = frozenset({"copyfrom"})


def _clamp(value: int) -> int:
    return 0 if value < 0 else 255 if value > 255 else value


def _fixed15(factor: float) -> int:
    """``float_to_fixed(f, 15)``: the single-precision ``f`` times 2**15, truncated."""
    single = struct.unpack("f", struct.pack("f", factor))[0] if math.isfinite(factor) else 0.0
    scaled = int(single * 32768)
    return (scaled + 2**31) % 2**32 - 2**31  # a C int32


@api_class
class AudioFrame(bytearray):
    """32 unsigned 8-bit samples (type ``AudioFrame``), all 128 (silence) at first."""

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> AudioFrame:
        if kwargs:
            raise TypeError("function doesn't take keyword arguments")
        if args:
            raise TypeError(f"function takes 0 positional arguments but {len(args)} were given")
        return super().__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(b"\x80" * FRAME_SIZE)

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_") and name not in _FRAME_NAMES:
            raise AttributeError(f"'AudioFrame' object has no attribute '{name}'")
        return super().__getattribute__(name)

    def __dir__(self) -> list[str]:
        return sorted(_FRAME_NAMES)

    def __repr__(self) -> str:
        return "<AudioFrame>"  # a native type without its own print

    __str__ = __repr__
    __hash__ = None  # type: ignore[assignment]  # a native type: no hash (buttons.native)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __lt__(self, other: object) -> Any:
        return NotImplemented

    __le__ = __gt__ = __ge__ = __lt__
    __rmul__ = __mod__ = __rmod__ = __lt__

    def __iter__(self) -> Any:
        raise TypeError("'AudioFrame' object is not iterable")

    def __contains__(self, item: object) -> bool:
        raise TypeError("'AudioFrame' object is not iterable")

    def __reversed__(self) -> Any:
        raise TypeError("'AudioFrame' object is not iterable")

    @staticmethod
    def _index(index: Any) -> int:
        i = to_int(index)
        if not 0 <= i < FRAME_SIZE:
            raise ValueError("index out of bounds")
        return i

    def __getitem__(self, index: Any) -> int:  # type: ignore[override]
        return bytearray.__getitem__(self, self._index(index))

    def __setitem__(self, index: Any, value: Any) -> None:  # type: ignore[override]
        i = self._index(index)
        v = to_int(value)
        if not 0 <= v <= 255:
            raise ValueError("value out of range")
        bytearray.__setitem__(self, i, v)

    def __delitem__(self, index: Any) -> None:  # type: ignore[override]
        self._index(index)
        raise TypeError("cannot delete elements of AudioFrame")

    def copyfrom(self, other: Any) -> None:
        """Copy up to 32 bytes from any buffer (another frame, bytes, bytearray)."""
        if isinstance(other, str):  # a str has the buffer protocol in MicroPython
            data = other.encode("utf-8", "surrogateescape")
        else:
            try:
                data = memoryview(other).cast("B").tobytes()
            except TypeError:
                raise TypeError("object with buffer protocol required") from None
        data = data[:FRAME_SIZE]
        bytearray.__setitem__(self, slice(0, len(data)), data)

    def _mix(self, other: Any, sign: int, into: AudioFrame) -> Any:
        if type(other) is not AudioFrame:
            return NotImplemented
        mine = bytes(memoryview(self))
        theirs = bytes(memoryview(other))
        into._set_all(_clamp(a + sign * (b - 128)) for a, b in zip(mine, theirs, strict=True))
        return into

    def _scale(self, factor: Any, into: AudioFrame) -> AudioFrame:
        scaled = _fixed15(to_float(factor))
        into._set_all(_clamp((((a - 128) * scaled) >> 15) + 128) for a in memoryview(self))
        return into

    def _set_all(self, values: Any) -> None:
        bytearray.__setitem__(self, slice(0, FRAME_SIZE), bytes(values))

    def _copy(self) -> AudioFrame:
        frame = AudioFrame()
        bytearray.__setitem__(frame, slice(0, FRAME_SIZE), bytes(memoryview(self)))
        return frame

    def __add__(self, other: Any) -> Any:
        return self._mix(other, 1, self._copy())

    def __sub__(self, other: Any) -> Any:
        return self._mix(other, -1, self._copy())

    def __iadd__(self, other: Any) -> Any:
        return self._mix(other, 1, self)

    def __isub__(self, other: Any) -> Any:
        return self._mix(other, -1, self)

    def __mul__(self, factor: Any) -> Any:
        return self._scale(factor, self._copy())

    def __imul__(self, factor: Any) -> Any:
        return self._scale(factor, self)


AudioFrame.__module__ = "builtins"  # prints as <class 'AudioFrame'>


def frame_bytes(frame: AudioFrame) -> bytes:
    """A copy of the frame's 32 samples (what the player takes before the next frame)."""
    return bytes(memoryview(frame))


# -- SoundEffect ---------------------------------------------------------------------------------
EXPR_LENGTH = 72
# attribute -> (offset, digits) in the expression (§14.2); volumes are stored as 0-1023
FIELDS = {"freq_start": (5, 4), "freq_end": (18, 4), "duration": (9, 4), "vol_start": (1, 4),
          "vol_end": (26, 4), "waveform": (0, 1), "fx": (34, 2), "shape": (13, 2)}
VOLUMES = frozenset({"vol_start", "vol_end"})
WAVEFORMS = ("WAVEFORM_SINE", "WAVEFORM_SAWTOOTH", "WAVEFORM_TRIANGLE", "WAVEFORM_SQUARE",
             "WAVEFORM_NOISE")
FXS = ("FX_NONE", "FX_VIBRATO", "FX_TREMOLO", "FX_WARBLE")
SHAPES = {1: "SHAPE_LINEAR", 2: "SHAPE_CURVE", 18: "SHAPE_LOG"}
DEFAULTS = (("freq_start", 500), ("freq_end", 2500), ("duration", 500), ("vol_start", 255),
            ("vol_end", 0), ("waveform", 3), ("fx", 0), ("shape", 18))


def _int32(value: int) -> int:
    return (value + 2**31) % 2**32 - 2**31


@api_class
class SoundEffect:
    """A sound effect (type ``MicroBitSoundEffect``), every parameter a read/write attribute."""

    __slots__ = ("_expr",)
    __hash__ = None  # type: ignore[assignment]  # a native type: no hash (buttons.native)

    WAVEFORM_SINE, WAVEFORM_SAWTOOTH, WAVEFORM_TRIANGLE = 0, 1, 2
    WAVEFORM_SQUARE, WAVEFORM_NOISE = 3, 4
    SHAPE_LINEAR, SHAPE_CURVE, SHAPE_LOG = 1, 2, 18
    FX_NONE, FX_TREMOLO, FX_VIBRATO, FX_WARBLE = 0, 2, 1, 3

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse_args(args, kwargs, tuple((name, "int", default) for name, default in DEFAULTS))
        expr = bytearray(b"0" * EXPR_LENGTH)
        object.__setattr__(self, "_expr", expr)
        self._encode(30, 4, 128)  # steps
        self._encode(36, 4, 1)  # fx parameter
        self._encode(40, 4, 24)  # fx steps
        for name, _ in DEFAULTS:
            self._store(name, a[name])

    def _encode(self, offset: int, digits: int, value: int) -> None:
        """Write ``value``'s low digits; a value with more digits is then an error."""
        for i in range(digits - 1, -1, -1):
            self._expr[offset + i] = 48 + value % 10
            value //= 10
        if value:
            raise ValueError(f"maximum value is {'9' * min(digits, 4)}")

    def _store(self, name: str, value: int) -> None:
        offset, digits = FIELDS[name]
        value &= 0xFFFFFFFF  # the firmware's unsigned int
        if name in VOLUMES:
            if value > 255:
                raise ValueError("maximum value is 255")
            value = (value * 1023 + 127) // 255
        self._encode(offset, digits, value)

    def _decode(self, name: str) -> int:
        """The field as the firmware reads it (unsigned 32-bit arithmetic on the characters)."""
        offset, digits = FIELDS[name]
        value = 0
        for byte in self._expr[offset:offset + digits]:
            char = byte - 256 if byte > 127 else byte  # a C char
            value = (value * 10 + char - 48) & 0xFFFFFFFF
        if name in VOLUMES:
            value = ((value * 255 + 511) & 0xFFFFFFFF) // 1023
        return value

    def __getattr__(self, name: str) -> int:
        if name in FIELDS:
            value = self._decode(name) & 0x7FFFFFFF  # a 31-bit small int
            return value - 2**31 if value >= 2**30 else value
        raise AttributeError(f"'MicroBitSoundEffect' object has no attribute '{name}'")

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in FIELDS:
            raise AttributeError(f"'MicroBitSoundEffect' object has no attribute '{name}'")
        self._store(name, to_int(value))

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"'MicroBitSoundEffect' object has no attribute '{name}'")

    def __dir__(self) -> list[str]:
        return [*FIELDS, "_from_string", "copy", *(n for n in vars(SoundEffect) if n.isupper())]

    def _values(self) -> list[int]:
        return [_int32(self._decode(name)) for name, _ in DEFAULTS]  # printed with %d

    def __repr__(self) -> str:
        return "SoundEffect({})".format(", ".join(map(str, self._values())))

    def __str__(self) -> str:
        fs, fe, duration, vs, ve, waveform, fx, shape = self._values()
        wave_name = WAVEFORMS[waveform] if 0 <= waveform < len(WAVEFORMS) else waveform
        fx_name = FXS[fx] if 0 <= fx < len(FXS) else fx
        return (f"SoundEffect(freq_start={fs}, freq_end={fe}, duration={duration}, "
                f"vol_start={vs}, vol_end={ve}, waveform={wave_name}, fx={fx_name}, "
                f"shape={SHAPES.get(shape, shape)})")

    def copy(self) -> SoundEffect:
        """A new effect with the same parameters."""
        return _with_expr(bytes(self._expr))


def _with_expr(data: bytes) -> SoundEffect:
    effect = object.__new__(SoundEffect)
    object.__setattr__(effect, "_expr", bytearray(data[:EXPR_LENGTH].ljust(EXPR_LENGTH, b"0")))
    return effect


def _from_string(text: Any) -> SoundEffect:
    """An effect from a raw sound expression (its first 72 characters)."""
    if isinstance(text, str):
        data = text.encode("utf-8", "surrogateescape")
    elif isinstance(text, bytes):
        data = text
    else:
        raise TypeError(f"can't convert '{type(text).__name__}' object to str implicitly")
    return _with_expr(data)


SoundEffect._from_string = staticmethod(api(_from_string))  # type: ignore[attr-defined]
SoundEffect.__name__ = SoundEffect.__qualname__ = "MicroBitSoundEffect"
SoundEffect.__module__ = "builtins"


def expression_of(effect: SoundEffect) -> str:
    """The expression an effect plays (its 72 characters)."""
    return bytes(effect._expr).decode("latin-1")
