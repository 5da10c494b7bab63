"""MicroPython's single-precision floats: storage, printing and parsing, ported from the firmware.

The firmware formats floats with its own routine (``py/formatfloat.c``), which
differs from C's printf in the last digits and in rounding; it is ported here
operation for operation in float32, as is float literal parsing (``py/parsenum.c``).
V1 also drops the 2 lowest mantissa bits to fit an object word.
"""

from __future__ import annotations

import builtins
import math
import struct

from ubit.sim.shared.boards import BoardSpec

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
    signed_nan = boxed and type(x) is not float  # a V1 board float's nan keeps its sign (f32)
    x = float32(x)
    if x - x == 0:  # finite: V1's 30-bit object word keeps bits 2..31 only
        return _from_bits(_bits(x) & ~3) if boxed else x
    if x == x:
        return x
    # the soft-float NaN has no sign, but V1's negation flips the bit (-float('nan') is -nan)
    return -_NAN if signed_nan and math.copysign(1.0, x) < 0 else _NAN


def is_boxed(spec_or_digits: BoardSpec | int) -> bool:
    """Whether floats are kept in 30 bits: the board's ``floats_in_word``; given only the
    digits its floats print with, the board printing 6 (the V1)."""
    if isinstance(spec_or_digits, BoardSpec):
        return spec_or_digits.floats_in_word
    return spec_or_digits == 6


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


def nearbyint(x: float) -> float:
    """C's nearbyint: to the nearest integer, halves to even, keeping the sign and inf/nan."""
    return math.copysign(float(round(x)), x) if math.isfinite(x) else x


def format_float(x: float, digits: int, boxed: bool | None = None) -> str:
    """MicroPython's repr of float ``x`` on a board printing ``digits`` significant digits
    (``boxed``: it keeps floats in 30 bits; unset, as ``is_boxed(digits)`` says)."""
    boxed = is_boxed(digits) if boxed is None else boxed
    text = mp_format_float(stored_float(x, boxed), 16, "g", digits)
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
