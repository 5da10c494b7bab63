"""The builtins user code sees: MicroPython's set, printing and formatting as the firmware does.

Floats are single precision on the micro:bit (V1 also drops the 2 lowest mantissa
bits to fit an object word) and the firmware formats them with its own routine
(``py/formatfloat.c``), which differs from C's printf in the last digits and in
rounding; it is ported here operation for operation in float32, as are the
``%`` operator and ``str.format`` (``py/objstr.c``) and float literal parsing
(``py/parsenum.c``). ``print``, ``repr`` and ``str(x)`` give MicroPython's text
while ``str`` stays CPython's type (reference §33, firmware-v1-observed.md).
"""

from __future__ import annotations

import builtins
import math
import struct
import sys
import types
from collections.abc import Callable
from opcode import opmap
from typing import Any

from ubit.sim.boards import BoardSpec
from ubit.sim.runtime import mperrors
from ubit.sim.runtime.boundary import api
from ubit.sim.runtime.device import Device

_real_repr = builtins.repr
_real_str = builtins.str
_real_int = builtins.int
_F32 = struct.Struct("<f")
_U32 = struct.Struct("<I")
_pack_f, _unpack_f, _pack_u, _unpack_u = _F32.pack, _F32.unpack, _U32.pack, _U32.unpack
_INF = math.inf
_NAN = math.nan

# ---------------------------------------------------------------------------------------
# Single-precision floats


def float32(x: float) -> float:
    """``x`` rounded to single precision (inf when it overflows, as the firmware's float)."""
    try:
        return _unpack_f(_pack_f(x))[0]
    except OverflowError:
        return math.copysign(_INF, x)


def _bits(x: float) -> int:
    return _unpack_u(_pack_f(x))[0]


def _from_bits(u: int) -> float:
    return _unpack_f(_pack_u(u))[0]


def stored_float(x: float, boxed: bool) -> float:
    """The value a float object holds: float32; ``boxed`` (V1) also drops 2 mantissa bits."""
    x = float32(x)
    if x - x == 0:  # finite: V1's 30-bit object word keeps bits 2..31 only
        return _from_bits(_bits(x) & ~3) if boxed else x
    return x if x == x else _NAN  # the soft-float NaN has no sign


def is_boxed(spec_or_digits: BoardSpec | int) -> bool:
    """Whether floats are kept in 30 bits: V1, the board that prints 6 digits."""
    digits = getattr(spec_or_digits, "float_digits", spec_or_digits)
    return digits == 6


_POS_POW = tuple(float32(10.0 ** n) for n in (32, 16, 8, 4, 2, 1))
_NEG_POW = tuple(float32(10.0 ** -n) for n in (32, 16, 8, 4, 2, 1))
_EXP_STEPS = tuple(zip((32, 16, 8, 4, 2, 1), _POS_POW, _NEG_POW, strict=True))
_ROUND_TO_ONE = float32(0.9999995)
_TENTH = float32(0.1)


def mp_format_float(f: float, buf_size: int, fmt: str, prec: int, sign: str = "") -> str:
    """``mp_format_float`` of MicroPython 1.9 (float build), step for step in float32.

    ``f`` is the float32 value, ``buf_size`` the C buffer (16 for repr, 32 for
    ``%``/``format``) that also limits the digits, ``fmt`` one of ``eEfFgG``.
    """
    s: list[str] = []
    u = _bits(f)
    if u & 0x80000000:
        s.append("-")
        u &= 0x7FFFFFFF
        f = _from_bits(u)
    elif sign:
        s.append(sign)
    remaining = buf_size - 1 - len(s)
    if (u & 0x7F800000) == 0x7F800000:
        word = "inf" if u & 0x007FFFFF == 0 else "nan"
        return "".join(s) + (word if fmt.islower() else word.upper())
    if prec < 0:
        prec = 6
    e_char = "e" if fmt.islower() else "E"
    fmt = org_fmt = fmt.lower()
    if fmt == "g" and prec == 0:
        prec = 1
    dec = 0
    e_sign = ""
    num_digits = 0
    if u == 0:
        e = 0
        if fmt == "f":
            prec = min(prec, remaining - 2)
            num_digits = prec + 1
        else:
            prec = min(prec, remaining - 6)
            if fmt == "e":
                e_sign = "+"
    elif u < 0x3F800000:  # f < 1
        first_dig = "1" if f >= _ROUND_TO_ONE else "0"
        e = 0
        for step, pos, neg in _EXP_STEPS:
            if neg > f:
                e += step
                f = float32(f * pos)
        e_sign_char = "-"
        if f < 1.0 and f >= _ROUND_TO_ONE:
            f = 1.0
            if e == 0:
                e_sign_char = "+"
        elif f < 1.0:
            e += 1
            f = float32(f * 10.0)
        if fmt == "f" or (fmt == "g" and e <= 4):
            fmt = "f"
            dec = -1
            s.append(first_dig)
            if org_fmt == "g":
                prec += e - 1
            prec = min(prec, remaining - 2)
            num_digits = prec
            if num_digits:
                s.append(".")
                e -= 1
                while e and num_digits:
                    s.append("0")
                    num_digits -= 1
                    e -= 1
        else:
            e_sign = e_sign_char
            if prec > remaining - 6:
                prec = remaining - 6 + (fmt == "g")
    else:
        e = 0
        for step, pos, neg in _EXP_STEPS:
            if pos <= f:
                e += step
                f = float32(f * neg)
        if f >= 10.0:  # f was on the edge of a power of ten
            e += 1
            f = float32(f * _TENTH)
        if fmt == "f":
            if e >= remaining:
                fmt = "e"
            elif e + prec + 2 > remaining:
                prec = remaining - e - 2
                if prec < 0:
                    prec += 1
        if fmt == "e" and prec > remaining - 6:
            prec = remaining - 6
        if fmt == "g":
            prec = min(prec, remaining - 5)
            if e < prec:
                fmt = "f"
                prec -= e + 1
        if fmt == "f":
            dec = e
            num_digits = prec + e + 1
        else:
            e_sign = "+"
    prec = max(prec, 0)
    if fmt == "e":
        num_digits = prec + 1
    elif fmt == "g":
        prec = prec or 1
        num_digits = prec
    for _ in range(num_digits):
        d = _real_int(f)
        s.append(chr(48 + d))
        if dec == 0 and prec > 0:
            s.append(".")
        f = float32(float32(f - d) * 10.0)
        dec -= 1
    # Round up the digits, except in 'f' format when the next digit is too far away
    if (org_fmt != "f" or e <= 1) and f >= 5.0:
        if _round_up(s, fmt != "f"):  # 9.99 became 1.00: the exponent moves
            if e_sign == "-":
                e -= 1
                e_sign = "+" if e == 0 else e_sign
            else:
                e += 1
    if org_fmt == "g" and prec > 0:
        while s and s[-1] == "0":
            s.pop()
        if s and s[-1] == ".":
            s.pop()
    if e_sign:
        s += (e_char, e_sign, chr(48 + e // 10 % 10), chr(48 + e % 10))
    return "".join(s)


def _round_up(s: list[str], move_point: bool) -> bool:
    """Add one to the last digit of ``s``, carrying; a carry out inserts a leading 1.

    With ``move_point`` (e/g formats) 9.99 becomes 1.00 instead, in the same
    length as the C code shifts it, and the result is True: the exponent must grow.
    """
    rs = len(s) - 1
    while True:
        c = s[rs]
        if c == ".":
            rs -= 1
            continue
        if not "0" <= c <= "9":  # the sign: sit on the digit after it
            rs += 1
            break
        if c < "9":
            s[rs] = chr(ord(c) + 1)
            return False
        s[rs] = "0"
        if rs == 0:
            break
        rs -= 1
    if s[rs] != "0":
        return False
    if move_point and rs + 1 < len(s) and s[rs + 1] == ".":
        s[rs], s[rs + 1] = ".", "0"
        s.insert(rs, "1")
        s.pop()
        return True
    s.insert(rs, "1")
    return False


def float_to_int(value: float, boxed: bool) -> int:
    """``mp_obj_new_int_from_float`` of the value the board stores for ``value``."""
    if value != value:
        raise ValueError("can't convert NaN to int")
    if value in (_INF, -_INF):
        raise OverflowError("can't convert inf to int")
    return int(stored_float(value, boxed))


def _nearbyint(x: float) -> float:
    """C's nearbyint: to the nearest integer, halves to even, keeping the sign and inf/nan."""
    return math.copysign(float(round(x)), x) if math.isfinite(x) else x


def format_float(x: float, digits: int) -> str:
    """MicroPython's repr of float ``x`` on a board printing ``digits`` significant digits."""
    text = mp_format_float(stored_float(x, is_boxed(digits)), 16, "g", digits)
    if "." not in text and "e" not in text and "n" not in text:
        text += ".0"
    return text


def parse_float(text: str) -> float | None:
    """A decimal literal as MicroPython 1.9 parses it (float32 steps), or None if malformed."""
    t = text.strip().lower()
    negative = t.startswith("-")
    if t[:1] in ("+", "-"):
        t = t[1:]
    if t in ("inf", "infinity"):
        value = _INF
    elif t == "nan":
        value = math.nan
    else:
        value, frac_mult, state, exp, exp_neg, i = 0.0, _TENTH, 0, 0, False, 0
        if not t:
            return None
        while i < len(t):
            c = t[i]
            i += 1
            if "0" <= c <= "9":
                digit = ord(c) - 48
                if state == 2:
                    exp = 10 * exp + digit
                elif state == 1:
                    value = float32(value + float32(digit * frac_mult))
                    frac_mult = float32(frac_mult * _TENTH)
                else:
                    value = float32(float32(10 * value) + digit)
            elif state == 0 and c == ".":
                state = 1
            elif state != 2 and c == "e":
                state = 2
                if i < len(t) and t[i] in "+-":
                    exp_neg = t[i] == "-"
                    i += 1
                if i == len(t):
                    return None
            else:
                return None
        if exp:
            try:
                power = float32(10.0 ** (-exp if exp_neg else exp))
            except OverflowError:
                power = _INF
            value = float32(value * power)
    return -value if negative else value


# ---------------------------------------------------------------------------------------
# Formatting flags and helpers of py/mpprint.c

_LEFT, _SHOW_SIGN, _SPACE_SIGN, _SHOW_PREFIX = 0x1, 0x2, 0x4, 0x10
_SHOW_COMMA, _PAD_AFTER_SIGN, _CENTER, _ADD_PERCENT, _OCTAL_LETTER = 0x20, 0x40, 0x80, 0x100, 0x200


def _width(text: str) -> int:
    """Length as the firmware pads: UTF-8 bytes, so 'é' counts 2."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogateescape"))


def _pad(text: str, flags: int, fill: str, width: int) -> str:
    """``mp_print_strn``: ``text`` padded with ``fill`` to ``width``."""
    pad = width - _width(text)
    if pad <= 0:
        return text
    fill = fill or " "
    if flags & _CENTER:
        left = pad // 2
        return fill * left + text + fill * (pad - left)
    if flags & _LEFT:
        return text + fill * pad
    return fill * pad + text


def _int_digits(x: int, base: int, prefix: str, upper: bool, comma: bool) -> str:
    """``mp_obj_int_formatted``: sign, prefix, digits (grouped by 3 with ``comma``)."""
    digits = {2: "b", 8: "o", 10: "d", 16: "x"}[base]
    text = format(abs(x), digits)
    if upper:
        text = text.upper()
    if comma:
        head = len(text) % 3 or 3
        text = ",".join([text[:head]] + [text[i:i + 3] for i in range(head, len(text), 3)])
    return ("-" if x < 0 else "") + prefix + text


def _format_int(x: int, base: int, upper: bool, flags: int, fill: str, width: int,
                prec: int) -> str:
    """``mp_print_mp_int``."""
    if not flags & (_LEFT | _CENTER) and fill == "0":
        width = max(width, prec)
        prec = 0
    prefix = ""
    if x >= 0:
        if flags & _SHOW_SIGN:
            prefix = "+"
        elif flags & _SPACE_SIGN:
            prefix = " "
    if flags & _SHOW_PREFIX:
        letter = {2: "b", 8: "o" if flags & _OCTAL_LETTER else "", 16: "x"}.get(base, None)
        if letter is not None:
            prefix += "0" + (letter.upper() if upper else letter)
    comma = bool(flags & _SHOW_COMMA)
    if prec > 1:
        flags |= _PAD_AFTER_SIGN
    sign = ""
    if flags & _PAD_AFTER_SIGN:
        text = _int_digits(x, base, "", upper, comma)
        if text[0] == "-":
            sign, text = "-", text[1:]
    else:
        text = _int_digits(x, base, prefix, upper, comma)
    before = after = 0
    if prec > 1:
        prec_width = max(len(text), prec)
        if flags & _PAD_AFTER_SIGN:
            prec_width += len(sign) + len(prefix)
        if prec_width < width:
            if flags & _LEFT:
                after = width - prec_width
            else:
                before = width - prec_width
        fill = "0"
        flags &= ~_LEFT
    out = " " * before
    if flags & _PAD_AFTER_SIGN:
        if sign:
            out += sign
            width -= 1
        if prefix:
            out += prefix
            width -= len(prefix)
    if prec > 1:
        width = prec
    return out + _pad(text, flags, fill, width) + " " * after


def _format_number(f: float, fmt: str, flags: int, fill: str, width: int, prec: int) -> str:
    """``mp_print_float``: a float32 value in e/f/g format, padded."""
    sign = "+" if flags & _SHOW_SIGN else (" " if flags & _SPACE_SIGN else "")
    text = mp_format_float(f, 32, fmt, prec, sign)
    if flags & _ADD_PERCENT and len(text) + 1 < 32:
        text += "%"
    if flags & _PAD_AFTER_SIGN and text and text[0] < "0":
        return text[0] + _pad(text[1:], flags, fill, width - 1)
    return _pad(text, flags, fill, width)


def _str_to_int(text: str, i: int) -> tuple[int, int]:
    """Digits of ``text`` from ``i``: (value, index after them); value 0 if none."""
    value = 0
    while i < len(text) and "0" <= text[i] <= "9":
        value = value * 10 + ord(text[i]) - 48
        i += 1
    return value, i


def _is_int(x: Any) -> bool:
    return type(x) is int or type(x) is bool or isinstance(x, int)


# ---------------------------------------------------------------------------------------
# repr and str


_CO_GENERATOR = 0x20
# The __str__/__repr__ of built-in exception classes (KeyError has its own): not user code.
_NATIVE_EXCEPTIONS = [c for c in vars(builtins).values()
                      if isinstance(c, type) and issubclass(c, BaseException)]
_EXCEPTION_STRS = frozenset(c.__str__ for c in _NATIVE_EXCEPTIONS)
_EXCEPTION_REPRS = frozenset(c.__repr__ for c in _NATIVE_EXCEPTIONS)
_FUNCTION_TYPES = (types.FunctionType, types.BuiltinFunctionType, types.MethodDescriptorType,
                   types.WrapperDescriptorType, types.ClassMethodDescriptorType)
_BOUND_TYPES = (types.MethodType, types.MethodWrapperType)


def fake_address(obj: Any) -> str:
    """A V1-heap-like address for ``obj`` (8 hex digits), stable while it lives."""
    return f"{0x20000000 + (id(obj) >> 4) % 0x270 * 16:08x}"


class Printer:
    """``repr``/``str`` of values as MicroPython shows them on one board."""

    def __init__(self, digits: int, v1: bool | None = None) -> None:
        self.digits = digits
        self.boxed = is_boxed(digits)
        self.v1 = self.boxed if v1 is None else v1
        self._floats: dict[float, str] = {}
        self._repr_for: dict[type, Callable[[Any], str]] = {
            float: self.float_repr, list: self._list, tuple: self._tuple, dict: self._dict,
            set: self._set, frozenset: self._frozenset, str: ascii, bytes: _real_repr,
            bytearray: _real_repr, range: _real_repr,
            type({}.keys()): self._view, type({}.values()): self._view,
            type({}.items()): self._view,
        }
        for kind, name in mperrors.MP_TYPE_NAMES.items():
            if name in ("iterator", "map", "zip", "enumerate", "filter", "reversed",
                        "staticmethod", "classmethod"):
                self._repr_for.setdefault(kind, lambda obj, text=f"<{name}>": text)

    # floats ---------------------------------------------------------------------------

    def float_repr(self, x: float) -> str:
        """MicroPython's repr (and str) of float ``x``."""
        text = self._floats.get(x)
        if text is None:
            text = format_float(x, self.digits)
            if x:  # not zeros: 0.0 and -0.0 are one key but print differently
                if len(self._floats) > 4096:  # a bounded cache: formatting costs ~12 µs
                    self._floats.clear()
                self._floats[x] = text
        return text

    def stored(self, x: float) -> float:
        """The value the board's float object holds for ``x``."""
        return stored_float(x, self.boxed)

    # repr -------------------------------------------------------------------------------

    def repr(self, obj: Any) -> str:
        """MicroPython's repr of ``obj``."""
        kind = type(obj)
        if kind is int or kind is bool or obj is None:
            return _real_repr(obj)
        handler = self._repr_for.get(kind)
        if handler is not None:
            return handler(obj)
        return self._repr_other(obj, kind)

    def _list(self, obj: list) -> str:
        return "[" + ", ".join(map(self.repr, obj)) + "]"

    def _tuple(self, obj: tuple) -> str:
        if len(obj) == 1:
            return "(" + self.repr(obj[0]) + ",)"
        return "(" + ", ".join(map(self.repr, obj)) + ")"

    def _dict(self, obj: dict) -> str:
        r = self.repr
        return "{" + ", ".join(f"{r(k)}: {r(v)}" for k, v in obj.items()) + "}"

    def _set(self, obj: set) -> str:
        return "{" + ", ".join(map(self.repr, obj)) + "}" if obj else "set()"

    def _frozenset(self, obj: frozenset) -> str:
        return "frozenset(" + self._set(set(obj)) + ")" if obj else "frozenset()"

    def _view(self, obj: Any) -> str:
        name = type(obj).__name__  # dict_keys, dict_values, dict_items: as the firmware
        return f"{name}([" + ", ".join(map(self.repr, obj)) + "])"

    def _repr_other(self, obj: Any, kind: type) -> str:
        if isinstance(obj, BaseException) and kind.__repr__ in _EXCEPTION_REPRS:
            return mperrors.type_name(obj) + self._tuple(obj.args)
        if isinstance(obj, type):
            return f"<class '{self.class_name(obj)}'>"
        if isinstance(obj, types.FunctionType):
            if obj.__code__.co_flags & _CO_GENERATOR:
                return "<generator>"
            if not self.v1 and "/" not in obj.__code__.co_filename:  # 1.18 names user functions
                return f"<function {obj.__name__} at 0x{fake_address(obj)}>"
            return "<function>"
        if isinstance(obj, types.BuiltinFunctionType):
            owner = getattr(obj, "__self__", None)
            return "<function>" if owner is None or isinstance(owner, types.ModuleType) \
                else "<bound_method>"
        if isinstance(obj, _FUNCTION_TYPES):
            return "<function>"
        if isinstance(obj, _BOUND_TYPES):
            return "<bound_method>"
        if isinstance(obj, types.GeneratorType):
            return f"<generator object '{obj.__name__}' at {fake_address(obj)}>"
        if isinstance(obj, types.ModuleType):
            return f"<module '{obj.__name__}'>"
        if kind is object:
            return "<object>"
        if kind.__repr__ is object.__repr__:
            return f"<{self.class_name(kind)} object at {fake_address(obj)}>"
        for base in kind.__mro__[1:-1]:  # subclasses of list, dict, ... print as their base
            handler = self._repr_for.get(base)
            if handler is not None and kind.__repr__ is base.__repr__:
                return handler(obj)
        return _real_repr(obj)

    @staticmethod
    def class_name(cls: type) -> str:
        """The name MicroPython gives class ``cls``."""
        return mperrors.class_name(cls)

    # str ------------------------------------------------------------------------------

    def str(self, obj: Any) -> str:
        """MicroPython's str of ``obj``."""
        kind = type(obj)
        if kind is str:
            return obj
        if kind is int:
            return int.__repr__(obj)
        if kind is float:
            return self.float_repr(obj)
        if kind is bool or obj is None:
            return _real_str(obj)
        if kind in self._repr_for:
            return self._repr_for[kind](obj)
        if isinstance(obj, BaseException) and kind.__str__ in _EXCEPTION_STRS:
            return self.exception_str(obj)
        if kind.__str__ is not object.__str__ and not isinstance(obj, type):
            return _real_str(obj)  # the object's own __str__ (a str subclass: its text)
        return self.repr(obj)

    def exception_str(self, exc: BaseException) -> str:
        """str() of an exception: '' / the single argument / the tuple of arguments."""
        args = exc.args
        if isinstance(exc, OSError) and exc.strerror is not None:
            return _real_str(exc)  # V2's "[Errno 2] ENOENT"
        if not args:
            return ""
        if len(args) == 1:
            return self.str(args[0])
        return self._tuple(args)

    # the % operator -----------------------------------------------------------------------

    def percent(self, pattern: str, values: Any) -> str:
        """``pattern % values`` as ``str_modulo_format`` does it."""
        if type(values) is tuple:
            args: tuple = values
            mapping = None
        else:
            args = (values,)
            mapping = values if isinstance(values, dict) else None
        out: list[str] = []
        i, n, arg_i, top = 0, len(args), 0, len(pattern)
        while i < top:
            c = pattern[i]
            if c != "%":
                j = pattern.find("%", i)
                j = top if j < 0 else j
                out.append(pattern[i:j])
                i = j
                continue
            i += 1
            if i >= top:
                raise ValueError("incomplete format")
            if pattern[i] == "%":
                out.append("%")
                i += 1
                continue
            arg: Any = _MISSING
            if pattern[i] == "(":
                if mapping is None:
                    raise TypeError("format requires a dict")
                arg_i = 1
                end = pattern.find(")", i)
                if end < 0:
                    raise ValueError("incomplete format key")
                arg = mapping[pattern[i + 1:end]]
                i = end + 1
            flags, fill, alt = 0, " ", 0
            while i < top:
                c = pattern[i]
                if c == "-":
                    flags |= _LEFT
                elif c == "+":
                    flags |= _SHOW_SIGN
                elif c == " ":
                    flags |= _SPACE_SIGN
                elif c == "#":
                    alt = _SHOW_PREFIX
                elif c == "0":
                    flags |= _PAD_AFTER_SIGN
                    fill = "0"
                else:
                    break
                i += 1
            width = 0
            if i < top:
                if pattern[i] == "*":
                    if arg_i >= n:
                        raise TypeError("not enough arguments for format string")
                    width = self.to_machine_int(args[arg_i])
                    arg_i += 1
                    i += 1
                else:
                    width, i = _str_to_int(pattern, i)
            prec = -1
            if i < top and pattern[i] == ".":
                i += 1
                if i < top:
                    if pattern[i] == "*":
                        if arg_i >= n:
                            raise TypeError("not enough arguments for format string")
                        prec = self.to_machine_int(args[arg_i])
                        arg_i += 1
                        i += 1
                    else:
                        prec, i = _str_to_int(pattern, i)
            if i >= top:
                raise ValueError("incomplete format")
            if arg is _MISSING:
                if arg_i >= n:
                    raise TypeError("not enough arguments for format string")
                arg = args[arg_i]
                arg_i += 1
            out.append(self._percent_one(pattern, i, arg, flags, fill, alt, width, prec))
            i += 1
        if arg_i != n:
            raise TypeError("not all arguments converted during string formatting")
        return "".join(out)

    def _percent_one(self, pattern: str, i: int, arg: Any, flags: int, fill: str, alt: int,
                     width: int, prec: int) -> str:
        code = pattern[i]
        if code == "c":
            if isinstance(arg, _real_str):
                if len(arg) != 1:
                    raise TypeError("%c requires int or char")
                return _pad(arg, flags, " ", width)
            if _is_int(arg):
                return _pad(chr(self.to_machine_int(arg) & 0xFF), flags, " ", width)
            raise TypeError("integer required")
        if code in "diu":
            if type(arg) is float or isinstance(arg, float):
                arg = float_to_int(arg, self.boxed)
            return _format_int(self.to_int(arg), 10, False, flags, fill, width, prec)
        if code in "eEfFgG":
            return _format_number(self.to_float(arg), code, flags, fill, width, prec)
        if code == "o":
            if alt:
                flags |= _SHOW_PREFIX | _OCTAL_LETTER
            return _format_int(self.to_int(arg), 8, False, flags, fill, width, prec)
        if code in "xX":
            return _format_int(self.to_int(arg), 16, code == "X", flags | alt, fill, width, prec)
        if code in "rs":
            text = self.repr(arg) if code == "r" else self.str(arg)
            if 0 <= prec < _width(text):
                text = text.encode("utf-8", "surrogateescape")[:prec].decode("utf-8", "replace")
            return _pad(text, flags, " ", width)
        raise ValueError(f"unsupported format character '{code}' (0x{ord(code):x}) "
                         f"at index {i}")

    # str.format ---------------------------------------------------------------------------

    def format(self, pattern: str, args: tuple, kwargs: dict[str, Any]) -> str:
        """``pattern.format(*args, **kwargs)`` as ``mp_obj_str_format_helper`` does it."""
        return self._format(pattern, args, kwargs, [0])

    def _format(self, pattern: str, args: tuple, kwargs: dict[str, Any],
                arg_i: list[int]) -> str:
        out: list[str] = []
        i, top = 0, len(pattern)
        while i < top:
            c = pattern[i]
            if c == "}":
                i += 1
                if i < top and pattern[i] == "}":
                    out.append("}")
                    i += 1
                    continue
                raise ValueError("single '}' encountered in format string")
            if c != "{":
                j = i
                while j < top and pattern[j] not in "{}":
                    j += 1
                out.append(pattern[i:j])
                i = j
                continue
            i += 1
            if i < top and pattern[i] == "{":
                out.append("{")
                i += 1
                continue
            field_start = i
            while i < top and pattern[i] not in "}!:":
                i += 1
            field = pattern[field_start:i]
            conversion = ""
            if i < top and pattern[i] == "!":
                i += 1
                if i < top and pattern[i] in "rs":
                    conversion = pattern[i]
                    i += 1
                else:
                    raise ValueError("bad conversion specifier")
            spec: str | None = None
            if i < top and pattern[i] == ":":
                i += 1
                if i < top and pattern[i] != "}":
                    spec_start, nest = i, 1
                    while i < top:
                        if pattern[i] == "{":
                            nest += 1
                        elif pattern[i] == "}":
                            nest -= 1
                            if nest == 0:
                                break
                        i += 1
                    spec = pattern[spec_start:i]
            if i >= top:
                raise ValueError("unmatched '{' in format")
            if pattern[i] != "}":
                raise ValueError("expected ':' after format specifier")
            i += 1
            arg = self._format_arg(field, args, kwargs, arg_i)
            if spec is None and not conversion:
                conversion = "s"
            if conversion:
                arg = self.repr(arg) if conversion == "r" else self.str(arg)
            out.append(self._format_one(arg, spec, args, kwargs, arg_i))
        return "".join(out)

    @staticmethod
    def _format_arg(field: str, args: tuple, kwargs: dict[str, Any], arg_i: list[int]) -> Any:
        if field:
            if "0" <= field[0] <= "9":
                if arg_i[0] > 0:
                    raise ValueError("can't switch from automatic field numbering to "
                                     "manual field specification")
                index, end = _str_to_int(field, 0)
                if index >= len(args):
                    raise IndexError("tuple index out of range")
                arg, arg_i[0] = args[index], -1
            else:
                end = 0
                while end < len(field) and field[end] not in ".[":
                    end += 1
                key = field[:end]
                if key not in kwargs:
                    raise KeyError(key)
                arg = kwargs[key]
            if end < len(field):
                raise NotImplementedError("attributes not supported yet")
            return arg
        if arg_i[0] < 0:
            raise ValueError("can't switch from manual field specification to automatic "
                             "field numbering")
        if arg_i[0] >= len(args):
            raise IndexError("tuple index out of range")
        arg_i[0] += 1
        return args[arg_i[0] - 1]

    def _format_one(self, arg: Any, spec: str | None, args: tuple, kwargs: dict[str, Any],
                    arg_i: list[int]) -> str:
        fill = align = kind = ""
        width = prec = -1
        flags = 0
        if spec is not None:
            s = self._format(spec, args, kwargs, arg_i) + "\0"  # nested {} first
            i = 0
            if s[0] in "<>=^":
                align, i = s[0], 1
            elif s[0] != "\0" and s[1] in "<>=^":
                fill, align, i = s[0], s[1], 2
            if s[i] in "+- ":
                flags |= {"+": _SHOW_SIGN, " ": _SPACE_SIGN, "-": 0}[s[i]]
                i += 1
            if s[i] == "#":
                flags |= _SHOW_PREFIX
                i += 1
            if s[i] == "0":
                align = align or "="
                fill = fill or "0"
            if "0" <= s[i] <= "9":
                width, i = _str_to_int(s, i)
            if s[i] == ",":
                flags |= _SHOW_COMMA
                i += 1
            if s[i] == ".":
                prec, i = _str_to_int(s, i + 1)
            if s[i] in "bcdeEfFgGnosxX%":
                kind = s[i]
                i += 1
            if s[i] != "\0":
                raise ValueError("invalid format specifier")
        numeric = _is_int(arg) or type(arg) is float or isinstance(arg, float)
        align = align or (">" if numeric else "<")
        fill = fill or " "
        if flags & (_SHOW_SIGN | _SPACE_SIGN):
            if kind == "s":
                raise ValueError("sign not allowed in string format specifier")
            if kind == "c":
                raise ValueError("sign not allowed with integer format specifier 'c'")
        flags |= {"<": _LEFT, "=": _PAD_AFTER_SIGN, "^": _CENTER}.get(align, 0)
        if _is_int(arg):
            value = _real_int(arg)
            if kind == "b":
                return _format_int(value, 2, False, flags, fill, width, 0)
            if kind == "c":
                return _pad(chr(value & 0xFF), flags, fill, width)
            if kind in ("", "n", "d"):
                return _format_int(value, 10, False, flags, fill, width, 0)
            if kind == "o":
                if flags & _SHOW_PREFIX:
                    flags |= _OCTAL_LETTER
                return _format_int(value, 8, False, flags, fill, width, 0)
            if kind in "xX":
                return _format_int(value, 16, kind == "X", flags, fill, width, 0)
            if kind not in "eEfFgG%":
                raise ValueError(f"unknown format code '{kind}' for object of type "
                                 f"'{mperrors.mp_type_name(arg)}'")
        if numeric:
            kind = "g" if kind in ("", "n") else kind
            if kind == "%":
                value = float32(self.to_float(arg) * 100.0)
                return _format_number(value, "f", flags | _ADD_PERCENT, fill, width, prec)
            if kind in "eEfFgG":
                return _format_number(self.to_float(arg), kind, flags, fill, width, prec)
            raise ValueError(f"unknown format code '{kind}' for object of type 'float'")
        if align == "=":
            raise ValueError("'=' alignment not allowed in string format specifier")
        if kind not in ("", "s"):
            raise ValueError(f"unknown format code '{kind}' for object of type 'str'")
        if not isinstance(arg, _real_str):
            raise TypeError(f"can't convert '{mperrors.mp_type_name(arg)}' object to str "
                            "implicitly")
        if 0 <= prec < _width(arg):
            arg = arg.encode("utf-8", "surrogateescape")[:prec].decode("utf-8", "replace")
        return _pad(arg, flags, fill, width)

    # conversions ------------------------------------------------------------------------

    def to_int(self, value: Any) -> int:
        """``mp_obj_get_int``: ints and bools only."""
        if _is_int(value):
            return _real_int(value)
        raise TypeError(f"can't convert {mperrors.mp_type_name(value)} to int")

    def to_machine_int(self, value: Any) -> int:
        """``mp_obj_get_int`` where C wants a machine word: big ints overflow."""
        number = self.to_int(value)
        if not -(1 << 31) <= number < 1 << 31:
            raise OverflowError("overflow converting long int to machine word")
        return number

    def to_float(self, value: Any) -> float:
        """``mp_obj_get_float``: the float32 value of an int, bool or float."""
        if type(value) is float or isinstance(value, float):
            return self.stored(value)
        if _is_int(value):
            return float32(_real_int(value))
        raise TypeError(f"can't convert {mperrors.mp_type_name(value)} to float")


_MISSING = object()


# ---------------------------------------------------------------------------------------
# str() and int() calls in user code


def make_str_call(printer: Printer) -> Callable[[Any, Any], Any]:
    """The helper the executor compiles ``str(x)`` calls into.

    ``str`` stays CPython's type (``type(x) is str`` holds); a call gives the
    firmware's text: ``str(1/3)`` is ``0.333333``. Strings, ints and floats printed
    before take C calls only (``str(x)`` may sit in a program's innermost loop).
    """
    floats = printer._floats
    real_str, real_int, float_type = _real_str, _real_int, float

    @api
    def convert(callee: Any, value: Any) -> Any:
        return printer.str(value) if callee is real_str else callee(value)

    def str_call(callee: Any, value: Any) -> Any:
        """``callee(value)`` where the source says ``str(value)``."""
        if callee is real_str:
            kind = type(value)
            if kind is real_str:
                return value
            if kind is real_int:
                return real_int.__repr__(value)
            if kind is float_type:
                text = floats.get(value)
                if text is not None:
                    return text
        return convert(callee, value)

    return str_call


# ---------------------------------------------------------------------------------------
# Sorting: MicroPython's quicksort is not stable (py/objlist.c)


def _quicksort(items: list, head: int, tail: int, key: Any, less: bool) -> None:
    """``mp_quicksort``, comparison for comparison (``key`` called as often as there)."""
    while head < tail:
        h, t = head - 1, tail
        pivot = items[tail] if key is None else key(items[tail])
        while True:
            h += 1
            while h < t and ((items[h] if key is None else key(items[h])) < pivot) is less:
                h += 1
            t -= 1
            while h < t and (pivot < (items[t] if key is None else key(items[t]))) is less:
                t -= 1
            if h >= t:
                break
            items[h], items[t] = items[t], items[h]
        items[h], items[tail] = items[tail], items[h]
        if t - head < tail - h - 1:
            _quicksort(items, head, t, key, less)
            head = h + 1
        else:
            _quicksort(items, h + 1, tail, key, less)
            tail = t


def sort_list(items: list, key: Any = None, reverse: Any = False) -> None:
    """Sort ``items`` in place into the order the firmware's sort leaves them in.

    Without ties that is the one sorted order, which CPython's sort finds faster;
    with ties that can be told apart, the firmware's quicksort decides.
    """
    if key is not None and not callable(key):
        raise TypeError(f"'{mperrors.mp_type_name(key)}' object is not callable")
    count = len(items)
    if count < 2:
        return
    keys = items if key is None else [key(x) for x in items]
    try:
        order = sorted(range(count), key=keys.__getitem__, reverse=bool(reverse))
        tied = False
        for a, b in zip(order, order[1:], strict=False):
            ka, kb = keys[a], keys[b]
            if not (ka < kb or kb < ka):
                x, y = items[a], items[b]
                if not (type(x) is type(y) and type(x) in (int, str, bytes) and x == y):
                    tied = True  # equal keys, different items: where they end up shows
                    break
    except TypeError:
        tied = True  # incomparable: the firmware's sort raises, part way through
    if tied:
        _quicksort(items, 0, count - 1, key, not reverse)
    else:
        items[:] = [items[i] for i in order]


# ---------------------------------------------------------------------------------------
# What the V1 firmware lacks: special methods, attributes, step slices

# Operators MicroPython 1.9 dispatches to user classes (py/objtype.c without
# MICROPY_PY_ALL_SPECIAL_METHODS); the rest of CPython's operator methods don't
# work as operators on the V1 (calling them by name still works there).
_V1_OPERATOR_METHODS = frozenset({
    "__mul__", "__rmul__", "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__",
    "__mod__", "__rmod__", "__pow__", "__rpow__", "__and__", "__rand__", "__or__", "__ror__",
    "__xor__", "__rxor__", "__lshift__", "__rlshift__", "__rshift__", "__rrshift__",
    "__matmul__", "__rmatmul__", "__divmod__", "__rdivmod__", "__radd__", "__rsub__",
    "__neg__", "__pos__", "__invert__", "__abs__", "__ne__", "__imul__", "__itruediv__",
    "__iadd__", "__isub__",
    "__ifloordiv__", "__imod__", "__ipow__", "__iand__", "__ior__", "__ixor__", "__ilshift__",
    "__irshift__", "__imatmul__",
})


_UNARY_METHODS = frozenset({"__neg__", "__pos__", "__invert__"})
# Operator methods that keep working when called by name: only their operator is refused.
_BY_NAME_OK = _V1_OPERATOR_METHODS - {"__ne__", "__abs__"}


def _operator_stub(name: str, method: Callable[..., Any] | None) -> Callable[..., Any]:
    """A V1 operator method: refused as an operator, the user's method when called by name."""

    def stub(self: Any, *args: Any) -> Any:
        frame = sys._getframe(1)
        if frame.f_code.co_code[frame.f_lasti] in _OPERATOR_OPCODES:
            raise _operator_error(name, self, args)
        if method is None:
            raise AttributeError(f"'{mperrors.mp_type_name(self)}' object has no attribute "
                                 f"'{name}'")
        return method(self, *args)

    stub.__name__ = stub.__qualname__ = name
    return stub


def _operator_error(name: str, obj: Any, args: tuple) -> TypeError:
    if name in _UNARY_METHODS:
        return TypeError(f"unsupported type for : '{mperrors.mp_type_name(obj)}'")
    left, right = mperrors.mp_type_name(obj), mperrors.mp_type_name(args[0] if args else None)
    op = {"__radd__": "__add__", "__rsub__": "__sub__"}.get(name, "")
    if name.startswith("__r") and name != "__rshift__":
        left, right = right, left
    return TypeError(f"unsupported types for {op}: '{left}', '{right}'")


_OPERATOR_OPCODES = frozenset(opmap[name] for name in (
    "BINARY_OP", "UNARY_NEGATIVE", "UNARY_POSITIVE", "UNARY_INVERT"))


def make_build_class(v1: bool) -> Callable[..., Any]:
    """``__build_class__``; on V1 user classes lose the operators the firmware ignores."""
    real = builtins.__build_class__

    def build_class(func: Any, name: str, *bases: Any, **kwargs: Any) -> Any:
        if v1 and kwargs:  # no metaclass= on MicroPython 1.9
            raise TypeError("function does not take keyword arguments")
        cls = real(func, name, *bases, **kwargs)
        if v1 and isinstance(cls, type):
            own = vars(cls)
            for method in _V1_OPERATOR_METHODS.intersection(own):
                if method in _BY_NAME_OK:
                    type.__setattr__(cls, method, _operator_stub(method, own[method]))
                else:
                    type.__delattr__(cls, method)
            for method, inplace in (("__add__", "__iadd__"), ("__sub__", "__isub__")):
                if method in own or inplace in own:  # += has no name on the V1: never works
                    type.__setattr__(cls, inplace, _operator_stub(inplace, own.get(inplace)))
        return cls

    return build_class


# str/bytes methods missing on both releases (reference §33); V1 also lacks encode/decode.
_MISSING_STR_METHODS = frozenset({
    "capitalize", "casefold", "center", "expandtabs", "format_map", "isalnum", "isdecimal",
    "isidentifier", "isnumeric", "isprintable", "istitle", "ljust", "maketrans", "partition",
    "rjust", "rpartition", "splitlines", "swapcase", "title", "translate", "zfill",
    "removeprefix", "removesuffix", "isascii", "hex", "fromhex",
})
# Methods and attributes of numbers MicroPython 1.9 doesn't have (ints keep from/to_bytes).
_V1_MISSING_NUMBER_ATTRIBUTES = frozenset({
    "bit_length", "bit_count", "conjugate", "real", "imag", "numerator", "denominator",
    "as_integer_ratio", "is_integer", "hex", "fromhex"})
# Introspection attributes MicroPython 1.9 doesn't have (modules keep theirs).
_V1_MISSING_DUNDERS = frozenset({"__name__", "__class__", "__dict__", "__bases__", "__mro__",
                                 "__doc__"})


def missing_attributes(spec: BoardSpec) -> frozenset[str]:
    """Attribute names that may not exist on the board (checked per object)."""
    names = _MISSING_STR_METHODS
    if spec.name == "v1":
        names = names | _V1_MISSING_DUNDERS | _V1_MISSING_NUMBER_ATTRIBUTES | {"encode", "decode"}
    return names


def make_attribute_check(spec: BoardSpec) -> Callable[[Any, str], bool]:
    """A function telling whether ``obj.name`` exists on the board (for CPython it does)."""
    v1 = spec.name == "v1"
    str_missing = _MISSING_STR_METHODS | ({"encode", "decode"} if v1 else set())

    def lacks(obj: Any, name: str) -> bool:
        # identity and isinstance only: a user's __eq__ must not run here
        if name in str_missing and (obj is _real_str or obj is bytes
                                    or isinstance(obj, (_real_str, bytes))):
            return True
        if v1 and name in _V1_MISSING_DUNDERS:
            return not isinstance(obj, types.ModuleType)
        if v1 and name in _V1_MISSING_NUMBER_ATTRIBUTES:
            return isinstance(obj, (int, float)) or obj is int or obj is float or obj is bool
        return False

    return lacks


def attribute_error(printer: Printer, obj: Any, name: str) -> AttributeError:
    """The AttributeError the firmware raises for ``obj.name``."""
    if isinstance(obj, type):
        return AttributeError(f"type object '{printer.class_name(obj)}' has no attribute "
                              f"'{name}'")
    return AttributeError(f"'{mperrors.mp_type_name(obj)}' object has no attribute '{name}'")


# ---------------------------------------------------------------------------------------
# The builtins


def make_builtins(device: Device, importer: Any) -> dict[str, Any]:
    """A builtins dict for user code on ``device``."""
    spec = device.spec
    v1 = spec.name == "v1"
    printer = Printer(spec.float_digits, v1)
    names = dict(vars(builtins))
    for name in spec.missing_builtins:
        names.pop(name, None)
    sys.set_int_max_str_digits(0)  # MicroPython prints ints of any length
    mperrors.text_of, mperrors.repr_of = printer.str, printer.repr  # values in messages
    to_text = printer.str
    write_text, poll = device.serial.write_text, device.clock.poll

    def mp_print(*args: Any, sep: Any = " ", end: Any = "\n", **kw: Any) -> None:
        """print() to the board's serial port."""
        if sep is None:
            sep = " "
        if len(args) == 1:
            text = to_text(args[0])
        else:
            text = sep.join(map(to_text, args))
        text += "\n" if end is None else end
        if "file" in kw:
            kw["file"].write(text)
            return
        write_text(text)
        poll()

    def mp_input(prompt: Any = "") -> str:
        """input(): read a line from the serial port, echoing it as the REPL does."""
        if prompt:
            device.serial.write_text(printer.str(prompt))
        line = bytearray()
        while True:
            data = device.serial.read(1)
            if not data:
                raise EOFError()
            if data in (b"\r", b"\n"):
                device.serial.write(b"\r\n")
                return line.decode("utf-8", "replace")
            if data in (b"\x7f", b"\x08"):
                if line:
                    line.pop()
                    device.serial.write(b"\x08 \x08")
                continue
            line += data
            device.serial.write(data)

    lacks = make_attribute_check(spec)
    str_call = make_str_call(printer)

    def mp_getattr(obj: Any, name: Any, *default: Any) -> Any:
        """getattr(), without what the firmware lacks."""
        if len(default) > 1:
            raise TypeError(f"function expected at most 3 arguments, got {2 + len(default)}")
        if type(name) is _real_str and lacks(obj, name):
            if default:
                return default[0]
            raise attribute_error(printer, obj, name)
        return getattr(obj, name, *default)

    def mp_hasattr(obj: Any, name: Any) -> bool:
        """hasattr(), without what the firmware lacks."""
        if type(name) is _real_str and lacks(obj, name):
            return False
        return hasattr(obj, name)

    def get_attribute(obj: Any, name: str) -> Any:
        """``obj.name`` for a name the firmware may lack (rewritten by the executor)."""
        if lacks(obj, name):
            raise attribute_error(printer, obj, name)
        return getattr(obj, name)

    def get_slice(obj: Any, start: Any, stop: Any, step: Any) -> Any:
        """``obj[start:stop:step]``: str, bytes and tuples take no step on the V1."""
        if step is not None and step != 1 and isinstance(obj, (_real_str, bytes, tuple)):
            raise NotImplementedError("only slices with step=1 (aka None) are supported")
        return obj[start:stop:step]

    def percent(pattern: Any, values: Any) -> Any:
        """``pattern % values`` for a literal pattern."""
        return printer.percent(pattern, values)

    def str_format(target: Any, *args: Any, **kwargs: Any) -> Any:
        """``target.format(...)``: MicroPython's formatting for a str."""
        if type(target) is _real_str:
            return printer.format(target, args, kwargs)
        return target.format(*args, **kwargs)

    def caught(exc: Any) -> None:
        """An exception caught by ``except ... as``: its message in the firmware's words."""
        args = getattr(exc, "args", None)
        if type(exc) is KeyError:
            exc.args = mperrors.native_args(exc)
            return
        if args and len(args) == 1 and type(args[0]) is _real_str and mperrors.is_native(exc):
            try:
                text = mperrors.message_of(exc, spec)
            except Exception:  # noqa: BLE001 - a message we can't reword stays CPython's
                return
            if text != args[0]:
                exc.args = (text,)

    def sort_options(kwargs: dict[str, Any]) -> tuple[Any, Any]:
        if not set(kwargs) <= {"key", "reverse"}:
            raise TypeError("extra keyword arguments given")  # mp_arg_parse_all's words
        return kwargs.get("key"), kwargs.get("reverse", False)

    def mp_sorted(*args: Any, **kwargs: Any) -> list:
        """sorted(): the firmware's (unstable) order; the key is keyword-only."""
        if len(args) != 1:
            if len(args) > 1:
                raise TypeError("must use keyword argument for key function")
            raise TypeError("function missing 1 required positional arguments")
        key, reverse = sort_options(kwargs)
        items = list(args[0])
        sort_list(items, key, reverse)
        return items

    def list_sort(target: Any, *args: Any, **kwargs: Any) -> Any:
        """``target.sort(...)``: the firmware's order for a list."""
        if type(target) is not list:
            return target.sort(*args, **kwargs)
        if args:
            raise TypeError("extra positional arguments given")
        key, reverse = sort_options(kwargs)
        sort_list(target, key, reverse)
        return None

    def mp_round(number: Any, *digits: Any) -> Any:
        """round() as the V1 does it: float32 steps, ints unchanged."""
        if len(digits) > 1:
            raise TypeError(f"function expected at most 2 arguments, got {1 + len(digits)}")
        if type(number) is int or (isinstance(number, int) and type(number) is not bool):
            return number
        value = printer.to_float(number)
        if not digits:
            return float_to_int(_nearbyint(value), False)
        places = printer.to_machine_int(digits[0])
        mult = float32(10.0 ** places) if -46 < places < 39 else (0.0 if places < 0 else _INF)
        rounded = _nearbyint(float32(value * mult))
        return printer.stored(rounded / mult) if mult else math.nan

    def mp_hash(value: Any) -> int:
        """hash(): str and bytes hash as V1 qstrs do (djb2, one byte)."""
        if type(value) in (_real_str, bytes):
            data = value.encode("utf-8", "surrogateescape") if type(value) is _real_str \
                else value
            h = 5381
            for byte in data:
                h = (h * 33) ^ byte
            return (h & 0xFF) or 1
        return hash(value)

    def mp_next(*args: Any) -> Any:
        """next(): no default on the V1."""
        if len(args) != 1:
            raise TypeError(f"function takes 1 positional arguments but {len(args)} were given")
        return next(args[0])

    def mp_pow(base: Any, exp: Any, *mod: Any) -> Any:
        """pow(): no 3-argument form on the V1."""
        if mod:
            raise NotImplementedError("3-arg pow() not supported")
        return base ** exp

    def mp_slice(*args: Any) -> Any:
        """slice() can't be called on the V1."""
        raise TypeError("cannot create 'slice' instances")

    def mp_eval(source: Any, globals_: Any = None, locals_: Any = None) -> Any:
        """eval() of text compiled as the board compiles it."""
        return _run_text(eval, source, "eval", globals_, locals_)

    def mp_exec(source: Any, globals_: Any = None, locals_: Any = None) -> None:
        """exec() of text compiled as the board compiles it."""
        _run_text(exec, source, "exec", globals_, locals_)

    def _run_text(run: Callable[..., Any], source: Any, mode: str, globals_: Any,
                  locals_: Any) -> Any:
        from ubit.sim.runtime import executor

        if globals_ is None:
            frame = sys._getframe(3)  # the user's frame: this, mp_eval/exec, api's wrapper
            globals_ = frame.f_globals
            if locals_ is None:
                locals_ = frame.f_locals
        if isinstance(source, (_real_str, bytes)):
            source = executor.compile_user(source, "<string>", spec, mode)
        elif not isinstance(source, types.CodeType):
            raise TypeError(f"can't convert '{mperrors.mp_type_name(source)}' object to str "
                            "implicitly")
        return run(source, globals_, locals_)

    names.update(
        __import__=api(importer),
        __build_class__=make_build_class(v1),
        print=api(mp_print),
        input=api(mp_input),
        repr=api(printer.repr),
        getattr=api(mp_getattr),
        hasattr=api(mp_hasattr),
        eval=api(mp_eval),
        exec=api(mp_exec),
        __mp_getattr__=api(get_attribute),
        __mp_getslice__=api(get_slice),
        __mp_percent__=api(percent),
        __mp_format__=api(str_format),
        __mp_caught__=api(caught),
        __mp_sort__=api(list_sort),
        __mp_str__=str_call,
        sorted=api(mp_sorted),
    )
    if v1:
        names.update(next=api(mp_next), pow=api(mp_pow), slice=api(mp_slice), round=api(mp_round),
                     hash=api(mp_hash))
    from ubit.sim.runtime.api.files import install as install_open

    install_open(names, device)  # the board's own open(): its flash, never the host's files
    from ubit.sim.runtime.helptext import make_help

    names["help"] = make_help(device)  # the firmware's help(), help('modules'), help(obj)
    return names
