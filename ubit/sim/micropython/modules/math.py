"""``math`` (reference §31): only the micro:bit's names, in single precision.

Results are rounded through float32, as the firmware computes them (V1 also
drops two mantissa bits, as its 30-bit floats do). The two
cores report errors differently: V1 (1.9.2) checks only ``sqrt`` and ``log``
and otherwise returns inf/nan (``math.acos(2)`` → nan, ``math.exp(1000)`` →
inf, measured under QEMU); V2 (1.18) raises ``math domain error`` whenever a
finite argument gives nan or inf.
"""

from __future__ import annotations

import math as _m
from collections.abc import Callable

from ubit.sim.board.board import Board
from ubit.sim.micropython.boundary import c_function
from ubit.sim.micropython.modules.struct import new_float, to_float, to_int
from ubit.sim.micropython.mpfloat import float32
from ubit.sim.shared.typenames import Any

INF, NAN = float("inf"), float("nan")
PI = float32(_m.pi)


def _c(fn: Callable[..., float]) -> Callable[..., float]:
    """``fn`` as C's libm answers: nan or inf instead of an exception."""

    def call(*args: float) -> float:
        try:
            return fn(*args)
        except ValueError:
            return NAN
        except OverflowError:
            return INF
    return call


def _pow(x: float, y: float) -> float:
    if x == 0 and y < 0:
        return INF  # C's pow gives a pole, CPython raises
    return _m.pow(x, y)


def _fmod(x: float, y: float) -> float:
    if y == 0 or _m.isinf(x):
        return NAN
    return _m.fmod(x, y)


ONE_ARG: dict[str, Callable[[float], float]] = {
    "exp": _m.exp, "cos": _m.cos, "sin": _m.sin, "tan": _m.tan, "acos": _m.acos,
    "asin": _m.asin, "atan": _m.atan, "fabs": _m.fabs,
}
TWO_ARGS: dict[str, Callable[[float, float], float]] = {
    "pow": _pow, "atan2": _m.atan2, "copysign": _m.copysign, "fmod": _fmod,
}
# The order of the module's table (dir(math) on the firmware)
ORDER = ("e", "pi", "sqrt", "pow", "exp", "log", "cos", "sin", "tan", "acos", "asin", "atan",
         "atan2", "ceil", "copysign", "fabs", "floor", "fmod", "frexp", "ldexp", "modf",
         "isfinite", "isinf", "isnan", "trunc", "radians", "degrees")


def to_int_from_float(x: float) -> int:
    """``mp_obj_new_int_from_float``: inf and nan can't become ints."""
    if _m.isinf(x):
        raise OverflowError("can't convert inf to int")
    if _m.isnan(x):
        raise ValueError("can't convert NaN to int")
    return int(x)


def create(board: Board) -> dict[str, Any]:
    """The names of ``math`` on ``device``."""
    spec = board.spec
    in_word = spec.floats_in_word  # V1 keeps 30 bits of a float
    checked = spec.math_domain_checked  # V2 refuses a finite argument giving nan or inf

    def domain_error() -> ValueError:
        return ValueError("math domain error")

    def result(ans: float, *args: float) -> float:
        """The float the firmware returns, or V2's domain error for a bad finite argument."""
        ans = new_float(ans, in_word)
        if checked and ((_m.isnan(ans) and not any(_m.isnan(a) for a in args))
                        or (_m.isinf(ans) and not _m.isinf(args[0]))):
            raise domain_error()
        return ans

    names: dict[str, Any] = {"__name__": "math", "e": new_float(_m.e, in_word),
                             "pi": new_float(PI, in_word)}  # board floats, as results are
    for name, fn in ONE_ARG.items():
        names[name] = _unary(name, _c(fn), result)
    for name, fn2 in TWO_ARGS.items():
        names[name] = _binary(name, _c(fn2), result)

    def sqrt(x: Any) -> float:
        """Square root."""
        value = to_float(x)
        if not checked and value < 0:  # V1 checks only this one
            raise domain_error()
        return result(_c(_m.sqrt)(value), value)

    def log(x: Any, base: Any = None) -> float:
        """Natural logarithm, or to ``base``."""
        value = to_float(x)
        if value <= 0:
            raise domain_error()
        ln = float32(_m.log(value))
        if base is None:
            return new_float(ln, in_word)
        b = to_float(base)
        if b <= 0:
            raise domain_error()
        if b == 1:
            raise ZeroDivisionError(spec.division_error)
        return new_float(ln / float32(_m.log(b)), in_word)

    def ceil(x: Any) -> int:
        """Smallest integer not below ``x``."""
        value = to_float(x)
        return _m.ceil(value) if _m.isfinite(value) else to_int_from_float(value)

    def floor(x: Any) -> int:
        """Largest integer not above ``x``."""
        value = to_float(x)
        return _m.floor(value) if _m.isfinite(value) else to_int_from_float(value)

    def trunc(x: Any) -> int:
        """``x`` without its fraction."""
        return to_int_from_float(to_float(x))

    def frexp(x: Any) -> tuple[float, int]:
        """(mantissa, exponent) with ``x == m * 2**e``."""
        mantissa, exponent = _m.frexp(to_float(x))
        return new_float(mantissa, in_word), exponent

    def ldexp(x: Any, exp: Any) -> float:
        """``x * 2**exp``."""
        return new_float(_c(_m.ldexp)(to_float(x), to_int(exp)), in_word)

    def modf(x: Any) -> tuple[float, float]:
        """(fraction, integer part), both floats."""
        fraction, whole = _m.modf(to_float(x))
        return new_float(fraction, in_word), new_float(whole, in_word)

    def isfinite(x: Any) -> bool:
        """Neither inf nor nan."""
        return _m.isfinite(to_float(x))

    def isinf(x: Any) -> bool:
        """Infinite."""
        return _m.isinf(to_float(x))

    def isnan(x: Any) -> bool:
        """Not a number."""
        return _m.isnan(to_float(x))

    def radians(x: Any) -> float:
        """Degrees to radians."""
        return new_float(to_float(x) * float32(PI / 180), in_word)

    def degrees(x: Any) -> float:
        """Radians to degrees."""
        return new_float(to_float(x) * float32(180 / PI), in_word)

    for fn in (sqrt, log, ceil, floor, trunc, frexp, ldexp, modf, isfinite, isinf, isnan,
               radians, degrees):
        names[fn.__name__] = c_function(fn)
    return {name: names[name] for name in ("__name__", *ORDER)}


def _unary(name: str, fn: Callable[[float], float],
           result: Callable[..., float]) -> Callable[[Any], float]:
    def call(x: Any) -> float:
        value = to_float(x)
        return result(fn(value), value)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"math.{name} in single precision."
    return c_function(call)


def _binary(name: str, fn: Callable[[float, float], float],
            result: Callable[..., float]) -> Callable[[Any, Any], float]:
    def call(x: Any, y: Any) -> float:
        a, b = to_float(x), to_float(y)
        return result(fn(a, b), a, b)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"math.{name} in single precision."
    return c_function(call)
