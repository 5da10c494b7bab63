"""The V2 board's complex numbers: single precision, as MicroPython 1.18 computes and prints them.

``mp_obj_complex_t`` holds two C floats and ``py/objcomplex.c`` computes with them one
float operation at a time, each rounded to float32: ``1j ** 2`` is ``(-1-8.742278e-08j)``
because ``atan2f(1, 0)`` is pi/2 rounded up (firmware-v2-observed 022). Its repr prints each
part with ``mp_format_float(.., 'g', 7)`` and no ``.0``, and only the imaginary part when the
real part equals zero (``-1j`` is ``-1j``, though its real part is -0.0). ``complex(text)``
is ``mp_parse_num_decimal``: one number, ``j`` allowed at its end, so ``complex('1+2j')`` is
a ValueError. The V1 (1.9.2, no ``MICROPY_PY_BUILTINS_COMPLEX``) has no complex numbers.
The library functions (``logf``, ``atan2f``, ``expf``, ``cosf``, ``sinf``) are the double ones
rounded to float32: the firmware's libm may differ in the last bit (the probes' README).
"""

from __future__ import annotations

import math

from ubit.sim.micropython.mpfloat import float32, mp_format_float
from ubit.sim.shared.typenames import Any

_real = complex.real.__get__  # the parts as CPython stores them (float32 values here)
_imag = complex.imag.__get__
_SPACES = " \t\n\r\v\f"  # unichar_isspace
_TYPES: dict[type, type[complex]] = {}


def format_complex(z: complex) -> str:
    """``complex_print`` of py/objcomplex.c (float build: a 16-byte buffer, 7 digits)."""
    real, imag = _real(z), _imag(z)
    if real == 0:
        return mp_format_float(imag, 16, "g", 7) + "j"
    sign = "+" if imag >= 0 or imag != imag else ""
    return f"({mp_format_float(real, 16, 'g', 7)}{sign}{mp_format_float(imag, 16, 'g', 7)}j)"


def _parse(text: str) -> tuple[float, float]:
    """``mp_parse_num_decimal(.., allow_imag, force_complex)``: one number, maybe imaginary."""
    body = text.strip(_SPACES)
    imag = body[-1:] in ("j", "J")
    if imag:
        body = body[:-1]
    unsigned = body[1:] if body[:1] in ("+", "-") else body
    if imag and unsigned[:1] in ("i", "I", "n", "N"):
        raise ValueError("invalid syntax for number")  # no j after inf or nan
    if imag and not unsigned:  # 'j' alone was a number (the parser moved past it)
        value = -0.0 if body == "-" else 0.0
    else:
        try:
            value = float32(float(body.replace("_", "")))
        except ValueError:
            raise ValueError("invalid syntax for number") from None
    return (0.0, value) if imag else (value, 0.0)


def _pow(lr: float, li: float, rr: float, ri: float) -> tuple[float, float]:
    """``z1 ** z2 = exp(z2 * ln(z1))`` as objcomplex.c computes it, in float32."""
    f = float32
    abs1 = f(math.sqrt(f(f(lr * lr) + f(li * li))))
    if abs1 == 0:
        if ri == 0 and rr >= 0:
            return float(rr == 0), li
        raise ZeroDivisionError("0.0 to a complex power")
    ln1 = f(math.log(abs1))
    arg1 = f(math.atan2(li, lr))
    x3 = f(f(rr * ln1) - f(ri * arg1))
    y3 = f(f(ri * ln1) + f(rr * arg1))
    try:
        exp_x3 = f(math.exp(x3))
    except OverflowError:
        exp_x3 = math.inf
    cos3, sin3 = (f(math.cos(y3)), f(math.sin(y3))) if math.isfinite(y3) else (math.nan,) * 2
    return f(exp_x3 * cos3), f(exp_x3 * sin3)


def _operate(op: str, lr: float, li: float, rr: float, ri: float) -> tuple[float, float]:
    """``mp_obj_complex_binary_op`` of two float32 complex values (``op``: + - * / **)."""
    f = float32
    if op == "+":
        return f(lr + rr), f(li + ri)
    if op == "-":
        return f(lr - rr), f(li - ri)
    if op == "/":
        if ri == 0:
            if rr == 0:
                raise ZeroDivisionError("complex divide by zero")
            return f(lr / rr), f(li / rr)
        if rr == 0:
            return f(li / ri), f(-lr / ri)
        length = f(f(rr * rr) + f(ri * ri))
        rr, ri = f(rr / length), f(ri / -length)
    elif op == "**":
        return _pow(lr, li, rr, ri)
    return f(f(lr * rr) - f(li * ri)), f(f(lr * ri) + f(li * rr))  # multiply


def board_complex(real_type: type[float]) -> type[complex]:
    """The V2 board's complex type, whose parts are ``real_type`` floats (the board's float)."""
    kind = _TYPES.get(real_type)
    if kind is None:
        kind = _TYPES[real_type] = _make(real_type)
    return kind


def power(x: float, y: float, real_type: type[float]) -> complex:
    """A negative float to a fractional power: 1.18's float ``**`` makes it a complex one."""
    return board_complex(real_type)._of(*_pow(x, 0.0, y, 0.0))


def _make(real_type: type[float]) -> type[complex]:  # noqa: C901 - one closure per operator
    """The complex type of a board whose floats are ``real_type``."""
    make = complex.__new__
    new_float = float.__new__

    def parts(other: Any) -> tuple[float, float] | None:
        """``mp_obj_get_complex_maybe``: a number's parts in float32, None if no number."""
        kind = type(other)
        if kind is C:
            return _real(other), _imag(other)
        if isinstance(other, float):
            return float32(other), 0.0
        if isinstance(other, int):
            return float(real_type(other)), 0.0
        if isinstance(other, complex):  # a host complex that strayed in
            return float32(_real(other)), float32(_imag(other))
        return None

    def get_float(value: Any) -> float:
        """``mp_obj_get_float`` of a complex() argument."""
        if isinstance(value, (int, float)):
            return float(real_type(value))
        raise TypeError(f"can't convert {type(value).__name__} to float")

    def binary(op: str, reflected: bool = False) -> Any:
        def method(self: complex, other: Any) -> Any:
            theirs = parts(other)
            if theirs is None:
                return NotImplemented
            mine = _real(self), _imag(self)
            lhs, rhs = (theirs, mine) if reflected else (mine, theirs)
            return C._of(*_operate(op, *lhs, *rhs))
        return method

    def floor_divide(self: complex, other: Any) -> Any:
        if parts(other) is None:
            return NotImplemented
        raise TypeError("can't truncate-divide a complex number")

    def unsupported(self: complex, *other: Any) -> Any:
        return NotImplemented

    class C(complex):
        """A complex number of the board: two single-precision floats."""

        __slots__ = ()

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            """``complex()``, ``complex(x)``, ``complex(real, imag)`` as complex_make_new."""
            if kwargs:
                raise TypeError("function doesn't take keyword arguments")
            if len(args) > 2:
                raise TypeError(f"function expected at most 2 arguments, got {len(args)}")
            if not args:
                return make(cls, 0.0, 0.0)
            first = args[0]
            if len(args) == 1:
                if isinstance(first, str):
                    return make(cls, *_parse(first))
                if type(first) is C:
                    return first
                return make(cls, get_float(first), 0.0)
            if type(first) is C:
                real, imag = _real(first), _imag(first)
            else:
                real, imag = get_float(first), 0.0
            second = args[1]
            if type(second) is C:
                real, imag = float32(real - _imag(second)), float32(imag + _real(second))
            else:
                imag = float32(imag + get_float(second))
            return make(cls, real, imag)

        @classmethod
        def _of(cls, real: float, imag: float) -> Any:
            return make(cls, real, imag)

        @property
        def real(self) -> Any:  # noqa: D102 - complex's own
            return new_float(real_type, _real(self))

        @property
        def imag(self) -> Any:  # noqa: D102 - complex's own
            return new_float(real_type, _imag(self))

        __add__ = binary("+")
        __radd__ = binary("+", True)
        __sub__ = binary("-")
        __rsub__ = binary("-", True)
        __mul__ = binary("*")
        __rmul__ = binary("*", True)
        __truediv__ = binary("/")
        __rtruediv__ = binary("/", True)
        __floordiv__ = __rfloordiv__ = floor_divide
        __mod__ = __rmod__ = __divmod__ = __rdivmod__ = unsupported

        def __pow__(self, other: Any, mod: Any = None) -> Any:
            return NotImplemented if mod is not None else binary("**")(self, other)

        def __rpow__(self, other: Any, mod: Any = None) -> Any:
            return NotImplemented if mod is not None else binary("**", True)(self, other)

        def __eq__(self, other: Any) -> Any:
            theirs = parts(other)
            if theirs is None:
                return NotImplemented
            return _real(self) == theirs[0] and _imag(self) == theirs[1]

        def __ne__(self, other: Any) -> Any:
            equal = self.__eq__(other)
            return equal if equal is NotImplemented else not equal

        def __hash__(self) -> int:
            # mp_float_hash(real) ^ mp_float_hash(imag): (mp_int_t)x, no high-quality hash
            real, imag = _real(self), _imag(self)
            if math.isfinite(real) and math.isfinite(imag):
                return int(real) ^ int(imag)
            return complex.__hash__(self)  # C's conversion of inf/nan is undefined

        @property
        def conjugate(self) -> Any:
            """The firmware's complex has no methods."""
            raise AttributeError("'complex' object has no attribute 'conjugate'")

        def __neg__(self) -> Any:
            return make(C, -_real(self), -_imag(self))

        def __pos__(self) -> Any:
            return self

        def __abs__(self) -> Any:
            real, imag = _real(self), _imag(self)
            return real_type(math.sqrt(float32(float32(real * real) + float32(imag * imag))))

        def __repr__(self) -> str:
            return format_complex(self)

        __str__ = __repr__

    C.__name__ = C.__qualname__ = "complex"
    C.__module__ = "builtins"
    return C
