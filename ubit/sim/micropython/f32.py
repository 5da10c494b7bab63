"""Board floats that compute in single precision, as the firmware does (issue 18).

The micro:bit's ``mp_float_t`` is a C ``float``: every operation rounds its result
to 24 bits, and the V1 (``MICROPY_OBJ_REPR_C``) also drops the 2 lowest mantissa bits
when it puts the result into an object word (``mp_obj_new_float``: ``(u & ~3) | 2``).
So ``0.1 + 0.2 == 0.3`` holds on a V1 and ``1e8 + 1 == 1e8`` on both.

The board's ``float`` is a subclass of CPython's float (``type(x) is float``,
``isinstance`` and ``repr`` keep working) whose operators round each result. Rounding
a double to 24 bits is Veltkamp's split (``c = r * (2**29 + 1); c - (c - r)``: three
float operations, round to nearest even, checked against ``struct``); subnormals,
overflow and nan go through ``mpfloat.stored_float``. Operands are converted as
``mp_obj_get_float`` does: an int to the nearest float (a heap int 16 bits at a time,
``mpz_as_float``). Floor division, modulo and divmod follow ``mp_obj_float_divmod``
(py/objfloat.c) step by step in float32. The compiler (``apply``/``bind``) makes float
literals board floats and routes ``/`` and ``**`` through helpers, so that int / int
gives a board float (``mp_obj_int_binary_op``: ``(mp_float_t)a / (mp_float_t)b``).
``UBIT_FLOAT32=0`` turns all of it off (doubles, rounded only when stored and printed).

A method call per operation makes float code 8-14 times slower than CPython's floats, so
the operators used most (+ - * /, their reflections, unary - + abs, comparisons) and the
``/`` helper are done in C by ``_f32native`` when it was built (``pip install``/``make``
build it; a machine without a C compiler gets this Python code, with the same results
bit for bit: tests/sim/test_f32_native.py). ``UBIT_F32_NATIVE=0`` uses the Python code.
"""

from __future__ import annotations

import ast
import math
import os
from collections.abc import Callable
from types import CodeType

from ubit.sim.micropython import astwalk, f32complex
from ubit.sim.micropython.mpfloat import float32, nearbyint, parse_float, stored_float
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.typenames import Any

try:  # built from _f32native.c by pip/make; imported here, before the board is confined
    from ubit.sim.micropython import _f32native
except ImportError:  # no C compiler where ubit was installed: the Python operators
    _f32native = None  # type: ignore[assignment]

ENV = "UBIT_FLOAT32"
NATIVE_ENV = "UBIT_F32_NATIVE"
_FLT_MAX = 3.4028234663852886e38
_FLT_MIN = 1.1754943508222875e-38  # below it a float32 is subnormal: struct rounds those
_SPLIT24 = 536870913.0  # 2**29 + 1: the split keeps the top 53 - 29 = 24 bits
_SPLIT22 = 2147483649.0  # 2**31 + 1: 22 bits, the V1's object word
_EXACT_INT = 1 << 24  # ints up to this convert to float32 exactly
_SMALL_INT = 1 << 30  # beyond: a heap int, converted 16 bits at a time (mpz_as_float)
_NAN = math.nan
_LITERAL = "__mp_f32__"  # marks a float literal in the tree until bind() makes it a board float
_IMAGINARY = "__mp_c32__"  # and an imaginary literal (V2), until it's a board complex
_DIVIDE = frozenset({"__mp_f32_div__"})
_POWER = frozenset({"__mp_f32_pow__"})
_SAME = frozenset({"__mp_f32_same__"})


def enabled() -> bool:
    """Whether boards compute floats in single precision (``UBIT_FLOAT32=0``: no)."""
    return os.environ.get(ENV, "1") not in ("0", "off", "no", "false")


def native_built() -> bool:
    """Whether ``_f32native`` was built here (a C compiler when ubit was installed)."""
    return _f32native is not None


def native() -> bool:
    """Whether board floats get their operators from ``_f32native`` (built, and not
    switched off by ``UBIT_F32_NATIVE=0``)."""
    return _f32native is not None and \
        os.environ.get(NATIVE_ENV, "1") not in ("0", "off", "no", "false")


def int_to_float(value: int) -> float:
    """``mp_obj_get_float`` of an int: the nearest float32; a heap int as ``mpz_as_float``
    builds it, one 16-bit digit at a time from the top, rounding at each step."""
    if -_SMALL_INT <= value < _SMALL_INT:
        return float32(float(value))
    digits = abs(value)
    result = 0.0
    for shift in range((digits.bit_length() - 1) // 16 * 16, -1, -16):
        result = float32(result * 65536.0 + ((digits >> shift) & 0xFFFF))
    return -result if value < 0 else result


_TYPES: dict[bool, type[float]] = {}
_ROUND: dict[bool, Callable[[float], Any]] = {}  # a double → the board float it rounds to
_POW: dict[bool, Callable[[float, float], Any]] = {}  # powf of two float32 values


def board_float(boxed: bool) -> type[float]:
    """The board's float type: V2 (``boxed`` False) float32, V1 float32 in 30 bits."""
    kind = _TYPES.get(boxed)
    if kind is None:
        fast = native()
        kind, _ROUND[boxed], _POW[boxed] = _make(boxed, fast)
        if fast:  # its C operators make results of this type (one per board and process)
            _f32native.register(kind, boxed, int_to_float)
        _TYPES[boxed] = kind
    return kind


def board_types() -> tuple[type[float], ...]:
    """The board float types made so far."""
    return tuple(_TYPES.values())


_INSTALLED: dict[bool, type[float]] = {}  # the board's float, while install() put it in


def new(value: float, boxed: bool) -> float:
    """``value`` as the board's float object holds it (a board float once installed)."""
    stored = stored_float(value, boxed)
    kind = _INSTALLED.get(boxed)
    return stored if kind is None else float.__new__(kind, stored)


def install(names: dict[str, Any], printer: Any, spec: BoardSpec) -> None:
    """Make the board float the builtin ``float`` of a board's ``names`` (if enabled)."""
    boxed = spec.floats_in_word
    if not enabled():
        _INSTALLED.pop(boxed, None)
        return
    kind = _INSTALLED[boxed] = board_float(boxed)
    names["float"] = kind
    printer._repr_for[kind] = printer.float_repr  # printed as the firmware prints floats
    if "complex" in names:  # V2: complex numbers of two float32 (f32complex)
        names["complex"] = number = f32complex.board_complex(kind)
        printer._repr_for[number] = f32complex.format_complex


_Made = tuple[type[float], Callable[[float], Any], Callable[[float, float], Any]]


def _make(boxed: bool, fast: bool) -> _Made:  # noqa: C901 - one closure per operator
    """The float type of a board that keeps floats in 30 bits (``boxed``) or 32, with its
    rounding and its power (``fast``: the everyday operators from ``_f32native``)."""
    make = float.__new__
    big, tiny, split, split22 = _FLT_MAX, _FLT_MIN, _SPLIT24, _SPLIT22
    exact = _EXACT_INT

    def edge(r: float) -> float:
        """Overflow, subnormals, zeros, inf and nan: rounded by struct."""
        return make(F, stored_float(r, boxed))

    if boxed:
        def box(r: float) -> float:
            """``r`` rounded to float32, its 2 lowest mantissa bits dropped (V1)."""
            if tiny <= r <= big or -big <= r <= -tiny:
                c = r * split
                y = c - (c - r)
                c = y * split22
                h = c - (c - y)  # y to the nearest 22 bits; the word truncates instead
                d = h - y
                if d:
                    if d * y < 0:  # h is nearer zero: the truncation
                        y = h
                    else:  # h rounded away: y's low bits were 2 or 3 (units of its ulp)
                        t = y - d
                        c = t * split22
                        y = t if c - (c - t) == t else y - 3.0 * d
                return make(F, y)
            return edge(r)
    else:
        def box(r: float) -> float:
            """``r`` rounded to float32 (V2)."""
            if tiny <= r <= big or -big <= r <= -tiny:
                c = r * split
                return make(F, c - (c - r))
            return edge(r)

    def operand(other: Any) -> Any:
        """The float32 value ``other`` takes part with, or None if it's no number."""
        if isinstance(other, float):
            return other if isinstance(other, F) else stored_float(other, boxed)
        if isinstance(other, int):
            return other if -exact <= other <= exact else int_to_float(other)
        return None

    def arithmetic(fop: Callable[[float, Any], float]) -> Callable[[float, Any], Any]:
        if boxed:  # the rounding inlined: these four are most of a float program's work
            def op(self: float, other: Any) -> Any:
                if type(other) is not F:
                    other = operand(other)
                    if other is None:
                        return NotImplemented
                r = fop(self, other)
                if tiny <= r <= big or -big <= r <= -tiny:
                    c = r * split
                    y = c - (c - r)
                    c = y * split22
                    h = c - (c - y)
                    d = h - y
                    if d:
                        if d * y < 0:
                            y = h
                        else:
                            t = y - d
                            c = t * split22
                            y = t if c - (c - t) == t else y - 3.0 * d
                    return make(F, y)
                return edge(r)
        else:
            def op(self: float, other: Any) -> Any:
                if type(other) is not F:
                    other = operand(other)
                    if other is None:
                        return NotImplemented
                r = fop(self, other)
                if tiny <= r <= big or -big <= r <= -tiny:
                    c = r * split
                    return make(F, c - (c - r))
                return edge(r)
        op.__name__ = fop.__name__
        return op

    def comparison(fop: Callable[[float, Any], bool]) -> Callable[[float, Any], Any]:
        def op(self: float, other: Any) -> Any:
            if type(other) is not F:
                other = operand(other)
                if other is None:
                    return NotImplemented
            return fop(self, other)
        op.__name__ = fop.__name__
        return op

    def divmod32(x: float, y: float) -> tuple[float, float]:
        """``mp_obj_float_divmod`` in float32 (y is not zero)."""
        try:
            mod = math.fmod(x, y)
        except ValueError:  # C's fmod(inf, y) is nan
            mod = _NAN
        div = float32(float32(x - mod) / y)
        if mod == 0:
            mod = math.copysign(0.0, y)
        elif (mod < 0) != (y < 0):
            mod = float32(mod + y)
            div = float32(div - 1.0)
        if div == 0:
            return math.copysign(0.0, x / y), mod
        floor = float(math.floor(div)) if math.isfinite(div) else div
        if float32(div - floor) > 0.5:
            floor += 1.0
        return floor, mod

    def pow32(x: float, y: float) -> Any:
        if x < 0 and y != math.floor(y) and math.isfinite(y):
            if boxed:  # 1.9.2 calls powf: nan
                return make(F, _NAN)
            return f32complex.power(x, y, F)  # 1.18: mp_obj_complex_binary_op
        try:
            return box(math.pow(x, y))
        except OverflowError:
            return box(math.inf if x > 0 or y % 2 == 0 else -math.inf)
        except ValueError:
            return box(_NAN)

    class F(_f32native.Float if fast else float):  # type: ignore[misc]
        """A float of the board: single precision arithmetic."""

        __slots__ = ()

        def __new__(cls, value: Any = 0.0) -> Any:
            """``float(x)`` as the firmware converts ``x``."""
            if isinstance(value, str):
                if boxed:  # 1.9.2's parser (py/parsenum.c), its words when it fails
                    number = parse_float(value) if value.isascii() else None
                    if number is None:
                        raise ValueError("invalid syntax for number")
                else:
                    number = float(value)
            elif isinstance(value, (bytes, bytearray)):
                if boxed:
                    raise TypeError(f"can't convert {type(value).__name__} to float")
                number = float(value)
            elif isinstance(value, float):
                if type(value) is F and cls is F:
                    return value
                number = value
            elif isinstance(value, int):
                number = int_to_float(value)
            else:
                number = float(value)
            return make(cls, stored_float(number, boxed))

        if not fast:  # else _f32native.Float's, the same in C
            __add__ = arithmetic(float.__add__)
            __radd__ = arithmetic(float.__radd__)
            __sub__ = arithmetic(float.__sub__)
            __rsub__ = arithmetic(float.__rsub__)
            __mul__ = arithmetic(float.__mul__)
            __rmul__ = arithmetic(float.__rmul__)
            __truediv__ = arithmetic(float.__truediv__)
            __rtruediv__ = arithmetic(float.__rtruediv__)
            __lt__ = comparison(float.__lt__)
            __le__ = comparison(float.__le__)
            __gt__ = comparison(float.__gt__)
            __ge__ = comparison(float.__ge__)
            __hash__ = float.__hash__

            def __eq__(self, other: Any) -> Any:
                if type(other) is not F:
                    other = operand(other)
                    if other is None:
                        return NotImplemented
                if float.__eq__(self, other):
                    return True
                # V1: equal object words are equal objects (mp_obj_equal), nan included
                return boxed and isinstance(other, float) and float.__ne__(self, self) and \
                    float.__ne__(other, other) and \
                    math.copysign(1.0, self) == math.copysign(1.0, other)

            def __ne__(self, other: Any) -> Any:
                equal = self.__eq__(other)
                return equal if equal is NotImplemented else not equal

            def __neg__(self) -> Any:
                return make(F, -float(self))  # exact: the sign bit flips, nan's too

            def __pos__(self) -> Any:
                return self

            def __abs__(self) -> Any:
                return make(F, abs(float(self)))

        def __floordiv__(self, other: Any) -> Any:
            y = operand(other)
            if y is None:
                return NotImplemented
            x, y = float(self), float(y)  # plain: box() and divmod32 compute in doubles
            if y == 0:
                return float.__floordiv__(x, y)  # CPython's ZeroDivisionError
            return box(divmod32(x, y)[0])

        def __rfloordiv__(self, other: Any) -> Any:
            x = operand(other)
            if x is None:
                return NotImplemented
            return F.__floordiv__(make(F, x), self)

        def __mod__(self, other: Any) -> Any:
            y = operand(other)
            if y is None:
                return NotImplemented
            x, y = float(self), float(y)  # plain: box() and divmod32 compute in doubles
            if y == 0:
                return float.__mod__(x, y)
            try:
                mod = math.fmod(x, y)
            except ValueError:
                return box(_NAN)
            if mod == 0:
                return make(F, math.copysign(0.0, y))
            if (mod < 0) != (y < 0):
                return box(mod + y)
            return box(mod)

        def __rmod__(self, other: Any) -> Any:
            x = operand(other)
            if x is None:
                return NotImplemented
            return F.__mod__(make(F, x), self)

        def __divmod__(self, other: Any) -> Any:
            y = operand(other)
            if y is None:
                return NotImplemented
            x, y = float(self), float(y)  # plain: box() and divmod32 compute in doubles
            if y == 0:
                return float.__divmod__(x, y)
            div, mod = divmod32(x, y)
            return box(div), box(mod)

        def __rdivmod__(self, other: Any) -> Any:
            x = operand(other)
            if x is None:
                return NotImplemented
            return F.__divmod__(make(F, x), self)

        def __pow__(self, other: Any, mod: Any = None) -> Any:
            y = operand(other)
            if y is None or mod is not None:
                return NotImplemented
            if float.__eq__(self, 0.0) and y < 0:
                return float.__pow__(self, y)  # CPython's ZeroDivisionError
            return pow32(float(self), float(y))

        def __rpow__(self, other: Any, mod: Any = None) -> Any:
            x = operand(other)
            if x is None or mod is not None:
                return NotImplemented
            return F.__pow__(make(F, x), self)

        def __round__(self, ndigits: Any = None) -> Any:
            if ndigits is None:
                return float.__round__(self)
            # mp_builtin_round: nearbyint(x * 10**n) / 10**n in float32
            places = ndigits.__index__()
            mult = float32(10.0 ** places) if -46 < places < 39 else (
                0.0 if places < 0 else math.inf)
            if not mult:
                return make(F, _NAN)
            rounded = nearbyint(float32(float(self) * mult))
            return box(rounded / mult if math.isfinite(rounded) else _NAN)

    F.__name__ = F.__qualname__ = "float"
    F.__module__ = "builtins"
    return F, box, pow32


# ---------------------------------------------------------------------------------------
# Compiling: float literals and the operators that make floats of ints


class _Rewrite(astwalk.Transformer):
    """Float literals → markers (CPython can't fold them in double); ``/`` and ``**`` →
    helper calls (int / int and int ** -n must give board floats)."""

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        kind = type(node.value)
        if kind is float:
            return ast.copy_location(ast.Constant(frozenset({(_LITERAL, node.value)})), node)
        if kind is complex:  # only V2 programs have them (V1's compiler refuses them)
            return ast.copy_location(ast.Constant(frozenset({(_IMAGINARY, node.value)})),
                                     node)
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        operand = node.operand
        if isinstance(node.op, ast.USub) and type(operand) is ast.Constant and \
                type(operand.value) is float:  # -0.5 stays one constant
            return ast.copy_location(ast.Constant(frozenset({(_LITERAL, -operand.value)})),
                                     node)
        self.generic_visit(node)
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, _SET_OPERATORS) and _is_marker(node.left) and \
                _is_marker(node.right):  # CPython would fold them as frozensets
            same = ast.copy_location(ast.Constant(_SAME), node)
            node.left = ast.copy_location(ast.Call(same, [node.left], []), node.left)
        marker = _helper_for(node.op, node.right)
        if marker is None:
            return node
        call = ast.Call(ast.Constant(marker), [node.left, node.right], [])
        ast.copy_location(call.func, node)
        return ast.copy_location(call, node)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        marker = _helper_for(node.op, node.value)
        if marker is None or not isinstance(node.target, ast.Name):
            return node  # a[i] /= n stays CPython's (evaluating a[i] once)
        load = ast.copy_location(ast.Name(node.target.id, ast.Load()), node.target)
        call = ast.Call(ast.Constant(marker), [load, node.value], [])
        ast.copy_location(call.func, node)
        return ast.copy_location(ast.Assign([node.target], ast.copy_location(call, node)), node)


_SET_OPERATORS = (ast.Sub, ast.BitAnd, ast.BitOr, ast.BitXor)


def _is_marker(node: ast.expr) -> bool:
    return type(node) is ast.Constant and type(node.value) is frozenset


def _same(value: Any) -> Any:
    """``value`` itself: keeps CPython from folding an operation of two literals."""
    return value


def _helper_for(op: ast.operator, right: ast.expr) -> frozenset[str] | None:
    if isinstance(op, ast.Div):
        return _DIVIDE
    if isinstance(op, ast.Pow) and not (type(right) is ast.Constant and
                                        type(right.value) is int and right.value >= 0):
        return _POWER  # x ** 2 stays a plain power: ints only give floats for -n
    return None


def apply(tree: ast.AST) -> None:
    """Rewrite ``tree`` for single-precision floats (then compile, then ``bind``)."""
    _Rewrite().visit(tree)


def bind(code: CodeType, spec: BoardSpec) -> CodeType:
    """``code`` with its float literals made board floats and the helpers put in."""
    boxed = spec.floats_in_word
    kind = board_float(boxed)
    imaginary = f32complex.board_complex(kind)
    fast = _f32native is not None and issubclass(kind, _f32native.Float)
    divide = _make_divide(boxed)
    if fast:  # the same in C; it calls the Python one for what is rare
        divide = _f32native.divider(boxed, divide)
    helpers = {_DIVIDE: divide, _POWER: _make_power(boxed), _SAME: _same}

    def convert(const: Any) -> Any:
        kind_of = type(const)
        if kind_of is frozenset:
            if len(const) == 1:
                (item,) = const
                if type(item) is tuple and len(item) == 2:
                    if item[0] == _LITERAL:
                        return float.__new__(kind, stored_float(item[1], boxed))
                    if item[0] == _IMAGINARY:
                        return imaginary(0, stored_float(item[1].imag, boxed))
            helper = helpers.get(const)
            if helper is not None:
                return helper
            return frozenset(map(convert, const))
        if kind_of is tuple:
            return tuple(map(convert, const))
        if kind_of is CodeType:
            return bind_code(const)
        return const

    def bind_code(code: CodeType) -> CodeType:
        return code.replace(co_consts=tuple(map(convert, code.co_consts)))

    return bind_code(code)


def _make_divide(boxed: bool) -> Callable[[Any, Any], Any]:
    box = _ROUND[boxed]

    def divide(a: Any, b: Any) -> Any:
        """``a / b``: int / int as the firmware divides (both ints made float32 first)."""
        r = a / b
        if type(r) is float:  # CPython's double: from ints (or a stray host float)
            if type(a) is int and type(b) is int and -_EXACT_INT <= a <= _EXACT_INT and \
                    -_EXACT_INT <= b <= _EXACT_INT:
                return box(r)  # exact operands: one rounding of the double is float32's
            if isinstance(a, (int, float)) and isinstance(b, (int, float)):
                return box(_value(a, boxed) / _value(b, boxed))
        return r

    return divide


def _make_power(boxed: bool) -> Callable[[Any, Any], Any]:
    pow32 = _POW[boxed]

    def power(a: Any, b: Any) -> Any:
        """``a ** b``: int ** -n as the firmware computes it (powf of the two floats)."""
        r = a ** b
        if type(r) is float and isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return pow32(_value(a, boxed), _value(b, boxed))
        return r

    return power


def _value(x: Any, boxed: bool) -> float:
    """The float32 value of an int (or of a stray host float, as the board stores it)."""
    return int_to_float(x) if isinstance(x, int) else stored_float(x, boxed)
