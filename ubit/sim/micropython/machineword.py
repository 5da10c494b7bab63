"""The firmware's machine word: counts and range() arguments beyond it are an OverflowError.

Both micro:bits take a count, a shift and range()'s arguments as a 32-bit ``mp_int_t``
(``mp_obj_get_int`` / ``mp_obj_int_get_checked``, py/obj.c and py/objint_mpz.c), refusing
an int that doesn't fit with ``OverflowError: overflow converting long int to machine
word`` (firmware-v2-observed 055). The heap model (``heapmodel``) and the firmware
semantics (``mpsemantics``, range()) check against it here.
"""

from __future__ import annotations

import ast

WORD_MIN, WORD_MAX = -(1 << 31), (1 << 31) - 1  # mp_int_t on both micro:bits
OVERFLOW = "overflow converting long int to machine word"


def word(count: int) -> int:
    """``count`` if it fits the firmware's machine word, else its OverflowError."""
    if WORD_MIN <= count <= WORD_MAX:
        return count
    raise OverflowError(OVERFLOW)


_CONSTANT_OPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
                 ast.Mult: lambda a, b: a * b, ast.Pow: lambda a, b: a ** b,
                 ast.LShift: lambda a, b: a << b}
_CONSTANT_BITS = 4096  # a constant longer than this is left to run (it takes a while)


def constant_int(node: ast.expr) -> int | None:
    """The value of an int written as a constant expression (``2**64``, ``-(1 << 40)``),
    None if it isn't one or would be longer than ``_CONSTANT_BITS``."""
    if isinstance(node, ast.Constant):
        return node.value if type(node.value) is int else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = constant_int(node.operand)
        return None if value is None else (-value if isinstance(node.op, ast.USub) else value)
    if isinstance(node, ast.BinOp) and type(node.op) in _CONSTANT_OPS:
        left, right = constant_int(node.left), constant_int(node.right)
        if left is None or right is None:
            return None
        if isinstance(node.op, (ast.Pow, ast.LShift)) and (
                right < 0 or right * max(left.bit_length(), 1) > _CONSTANT_BITS):
            return None
        return _CONSTANT_OPS[type(node.op)](left, right)
    return None


def within_word(node: ast.expr) -> bool:
    """Whether ``node`` is a constant int that fits the firmware's machine word."""
    value = constant_int(node)
    return value is not None and WORD_MIN <= value <= WORD_MAX


def beyond_word(node: ast.expr) -> bool:
    """Whether ``node`` is a constant int that doesn't fit the firmware's machine word."""
    value = constant_int(node)
    return value is not None and not WORD_MIN <= value <= WORD_MAX
