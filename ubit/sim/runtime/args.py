"""Argument conversions every user-facing module shares, with the firmware's errors.

They follow MicroPython's ``mp_obj_get_int`` and ``mp_obj_get_float`` (``py/obj.c``):
ints and bools only for an int (a float is a TypeError), any number for a float.
"""

from __future__ import annotations

from typing import Any

WORD = 1 << 31


def type_name(value: Any) -> str:
    """The name MicroPython gives ``value``'s type in messages."""
    return type(value).__name__


def to_int(value: Any) -> int:
    """``mp_obj_get_int``: ints and bools only, within a machine word."""
    if isinstance(value, int):
        if not -WORD <= value < WORD:
            raise OverflowError("overflow converting long int to machine word")
        return int(value)
    raise TypeError(f"can't convert {type_name(value)} to int")


def to_float(value: Any) -> float:
    """``mp_obj_get_float``: ints, bools and floats."""
    if isinstance(value, (int, float)):
        return float(value)
    raise TypeError(f"can't convert {type_name(value)} to float")
