"""``microbit`` top level: sleep, running_time, panic, reset, scale (reference §4)."""

from __future__ import annotations

import math

from ubit.sim.board.board import Board
from ubit.sim.board.interrupts import ResetRequested
from ubit.sim.micropython.api.buses import REQUIRED, parse_args
from ubit.sim.micropython.api.buses import _pair as pair
from ubit.sim.micropython.api.buttons import fixed_args
from ubit.sim.micropython.args import to_float, to_int
from ubit.sim.micropython.boundary import api
from ubit.sim.micropython.mpfloat import float32, nearbyint
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import Any


class Panic(BaseException):
    """``panic(n)``: the board stops in panic mode until reset."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


INT32_MAX, INT32_MIN = 0x7FFFFFFF, -0x80000000


def c_int(value: float, spec: BoardSpec) -> int:
    """``(mp_int_t)value`` in C: the fraction dropped, clamped to int32 (the V1's libgcc
    ``__aeabi_f2iz`` and the V2's VFP ``vcvt`` both saturate); NaN is the largest int on
    the V1 (soft float, as its float hash: hashorder) and 0 on the V2 (``vcvt``)."""
    if value != value:
        return 0 if spec.asm_fpu else INT32_MAX
    if value >= 2147483648.0:
        return INT32_MAX
    if value <= -2147483648.0:
        return INT32_MIN
    return int(value)


def _sleep_ms(value: Any, spec: BoardSpec) -> int:
    """``microbit_sleep``'s argument (v1.1.1 source/microbit/modmicrobit.cpp, v2.1.2
    src/codal_port/modmicrobit.c): an int (or bool) by ``mp_obj_get_int``, anything else
    as ``(mp_int_t)mp_obj_get_float`` ("can't convert str to float" on both)."""
    if isinstance(value, int):
        return to_int(value)
    return c_int(to_float(value), spec)


def contribute(board: Board, ns: dict[str, Any]) -> None:
    """Add the top-level functions."""
    clock, spec = board.clock, board.spec

    def sleep(n: Any) -> None:
        """Wait ``n`` milliseconds (background tasks keep running)."""
        clock.sleep_ms(max(0, _sleep_ms(n, spec)))

    def running_time() -> int:
        """Milliseconds since the board started."""
        clock.poll()
        return clock.now_ms() & 0x7FFFFFFF

    def panic(n: int = 999) -> None:
        """Stop in panic mode with code ``n``."""
        raise Panic(int(n))

    def reset() -> None:
        """Restart the board."""
        raise ResetRequested()

    def scale(*args: Any, **kwargs: Any) -> int | float:
        """Map ``value`` from the range ``from_`` to the range ``to``."""
        # microbit_scale (v1.1.1 source/microbit/modmicrobit.cpp, the same in v2.1.2
        # src/codal_port/modmicrobit.c): mp_arg_parse_all's errors, the ranges by
        # mp_obj_get_array_fixed_n, every number by mp_obj_get_float, float arithmetic (an
        # empty range divides by zero quietly: inf or nan), an int result through
        # ``(mp_int_t)nearbyint(x)`` (the V1 firmware under QEMU: 2147483647 for nan and
        # for 10**12, -2147483648 for -inf)
        a = parse_args(args, kwargs, _SCALE_ARGS)
        (f0, f1), (t0, t1) = pair(a["from_"], board), pair(a["to"], board)
        value = float32(to_float(a["value"]))  # mp_float_t is a C float on both
        low, high = float32(to_float(f0)), float32(to_float(f1))
        start, end = float32(to_float(t0)), float32(to_float(t1))
        offset, span = float32(value - low), float32(high - low)
        if span:
            ratio = float32(offset / span)
        else:  # IEEE division: x/0 is inf with x's sign, 0/0 nan
            ratio = math.nan if not offset else math.copysign(math.inf, offset)
        result = float32(float32(ratio * float32(end - start)) + start)
        if isinstance(t0, float) or isinstance(t1, float):
            return result
        return c_int(nearbyint(result), spec)

    ns.update({name: api(fn) for name, fn in (("sleep", fixed_args(sleep)),
                                              ("running_time", fixed_args(running_time)),
                                              ("panic", panic), ("reset", fixed_args(reset)),
                                              ("scale", scale))})


_SCALE_ARGS = (("value", "obj", REQUIRED), ("from_", "obj", REQUIRED), ("to", "obj", REQUIRED))
