"""Helpers of MicroPython's ``%`` operator and ``str.format``.

Ported from ``py/mpprint.c`` and ``py/objstr.c`` (flags, padding, integer digits).
"""

from __future__ import annotations

from ubit.sim.micropython.mpfloat import mp_format_float
from ubit.sim.shared.typenames import Any

# ---------------------------------------------------------------------------------------
# Formatting flags and helpers of py/mpprint.c

LEFT, SHOW_SIGN, SPACE_SIGN, SHOW_PREFIX = 0x1, 0x2, 0x4, 0x10
SHOW_COMMA, PAD_AFTER_SIGN, CENTER, ADD_PERCENT, OCTAL_LETTER = 0x20, 0x40, 0x80, 0x100, 0x200


def display_width(text: str) -> int:
    """Length as the firmware pads: UTF-8 bytes, so 'é' counts 2."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogateescape"))


def pad_field(text: str, flags: int, fill: str, width: int) -> str:
    """``mp_print_strn``: ``text`` padded with ``fill`` to ``width``."""
    pad = width - display_width(text)
    if pad <= 0:
        return text
    fill = fill or " "
    if flags & CENTER:
        left = pad // 2
        return fill * left + text + fill * (pad - left)
    if flags & LEFT:
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


def fmt_int(x: int, base: int, upper: bool, flags: int, fill: str, width: int,
                prec: int) -> str:
    """``mp_print_mp_int``."""
    if not flags & (LEFT | CENTER) and fill == "0":
        width = max(width, prec)
        prec = 0
    prefix = ""
    if x >= 0:
        if flags & SHOW_SIGN:
            prefix = "+"
        elif flags & SPACE_SIGN:
            prefix = " "
    if flags & SHOW_PREFIX:
        letter = {2: "b", 8: "o" if flags & OCTAL_LETTER else "", 16: "x"}.get(base, None)
        if letter is not None:
            prefix += "0" + (letter.upper() if upper else letter)
    comma = bool(flags & SHOW_COMMA)
    if prec > 1:
        flags |= PAD_AFTER_SIGN
    sign = ""
    if flags & PAD_AFTER_SIGN:
        text = _int_digits(x, base, "", upper, comma)
        if text[0] == "-":
            sign, text = "-", text[1:]
    else:
        text = _int_digits(x, base, prefix, upper, comma)
    before = after = 0
    if prec > 1:
        prec_width = max(len(text), prec)
        if flags & PAD_AFTER_SIGN:
            prec_width += len(sign) + len(prefix)
        if prec_width < width:
            if flags & LEFT:
                after = width - prec_width
            else:
                before = width - prec_width
        fill = "0"
        flags &= ~LEFT
    out = " " * before
    if flags & PAD_AFTER_SIGN:
        if sign:
            out += sign
            width -= 1
        if prefix:
            out += prefix
            width -= len(prefix)
    if prec > 1:
        width = prec
    return out + pad_field(text, flags, fill, width) + " " * after


def fmt_number(f: float, fmt: str, flags: int, fill: str, width: int, prec: int) -> str:
    """``mp_print_float``: a float32 value in e/f/g format, padded."""
    sign = "+" if flags & SHOW_SIGN else (" " if flags & SPACE_SIGN else "")
    text = mp_format_float(f, 32, fmt, prec, sign)
    if flags & ADD_PERCENT and len(text) + 1 < 32:
        text += "%"
    if flags & PAD_AFTER_SIGN and text and text[0] < "0":
        return text[0] + pad_field(text[1:], flags, fill, width - 1)
    return pad_field(text, flags, fill, width)


def read_int(text: str, i: int) -> tuple[int, int]:
    """Digits of ``text`` from ``i``: (value, index after them); value 0 if none."""
    value = 0
    while i < len(text) and "0" <= text[i] <= "9":
        value = value * 10 + ord(text[i]) - 48
        i += 1
    return value, i


def is_integral(x: Any) -> bool:
    return type(x) is int or type(x) is bool or isinstance(x, int)
