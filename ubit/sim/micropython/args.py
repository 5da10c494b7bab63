"""Argument conversions every user-facing module shares, with the firmware's errors.

They follow MicroPython's ``mp_obj_get_int`` and ``mp_obj_get_float`` (``py/obj.c``):
ints and bools only for an int (a float is a TypeError), any number for a float.
"""

from __future__ import annotations

from ubit.sim.board import board as board_mod
from ubit.sim.micropython.machineword import WORD_MAX, word
from ubit.sim.shared.boards import V2, BoardSpec
from ubit.sim.shared.typenames import Any

WORD = WORD_MAX + 1


def current_spec() -> BoardSpec:
    """The spec of the board whose wording errors use (V2 outside a board process)."""
    try:
        return board_mod.current().spec
    except RuntimeError:
        return V2


def no_keywords() -> TypeError:
    """The error of a C function given keyword arguments (1.9.2 and 1.18 word it apart)."""
    return TypeError(f"function {current_spec().does_not} take keyword arguments")


def check_count(n: int, low: int, high: int) -> None:
    """``mp_arg_check_num``: the firmware's messages for a wrong number of arguments."""
    if low == high:
        if n != low:
            raise TypeError(f"function takes {low} positional arguments but {n} were given")
    elif n < low:
        raise TypeError(f"function missing {low - n} required positional arguments")
    elif n > high:
        raise TypeError(f"function expected at most {high} arguments, got {n}")


def type_name(value: Any) -> str:
    """The name MicroPython gives ``value``'s type in messages."""
    return type(value).__name__


def to_int(value: Any) -> int:
    """``mp_obj_get_int``: ints and bools only, within a machine word."""
    if isinstance(value, int):
        return int(word(value))
    raise TypeError(f"can't convert {type_name(value)} to int")


def to_float(value: Any) -> float:
    """``mp_obj_get_float``: ints, bools and floats."""
    if isinstance(value, (int, float)):
        return float(value)
    raise TypeError(f"can't convert {type_name(value)} to float")
