"""Board floats' C operators (``_f32native``) give f32.py's Python results bit for bit.

Boards use the C operators when the module was built (``make``/``pip install`` build it),
and f32.py's Python ones on a machine without a C compiler or with ``UBIT_F32_NATIVE=0``.
"""

from __future__ import annotations

import math
import operator
import random
import struct
from collections.abc import Callable
from typing import Any

import pytest

from tests.ubitcli import cpu_of_ubit
from ubit.sim.host.spawner import PASSED_ON
from ubit.sim.micropython import f32
from ubit.sim.micropython.mprepr import Printer
from ubit.sim.shared.boards import BOARDS

pytestmark = pytest.mark.skipif(f32._f32native is None,  # noqa: SLF001
                                reason="_f32native isn't built (no C compiler here)")

FLT_MAX = struct.unpack("<f", struct.pack("<I", 0x7F7FFFFF))[0]


def _f32_bits(u: int) -> float:
    return struct.unpack("<f", struct.pack("<I", u))[0]


def _ties(rng: random.Random) -> list[float]:
    """Doubles halfway between float32 neighbours (and between V1 words), both parities."""
    values = []
    for _ in range(60):
        u = rng.randrange(0x00800000, 0x7F7FFFFF)
        low, high = _f32_bits(u), _f32_bits(u + 1)
        values += [(low + high) / 2, -(low + high) / 2]
        low, high = _f32_bits(u & ~3), _f32_bits((u & ~3) + 4)
        values.append((low + high) / 2)
    for u in (1, 2, 3, 0x7FFFFF, 0x800000):  # subnormal ties
        values.append((_f32_bits(u) + _f32_bits(u + 1)) / 2)
    return values


def _operands() -> list[Any]:
    rng = random.Random(1818)
    values: list[Any] = [rng.uniform(-1, 1) * 2.0 ** rng.randint(-160, 140) for _ in range(70)]
    values += _ties(rng)
    values += [0.0, -0.0, 1.0, -1.0, 0.1, 1e-40, -1e-45, 2.0 ** -149, 1.1754942e-38,
               FLT_MAX, -FLT_MAX, FLT_MAX * (1 + 2.0 ** -25), FLT_MAX * (1 + 2.0 ** -24),
               3.4e38 * 2, 1e300, math.inf, -math.inf, math.nan, -math.nan, 16777217.0]
    values += [0, 1, -1, 3, 7, 2 ** 24, 2 ** 24 + 1, -(2 ** 24) - 1, 2 ** 30 - 1, 2 ** 30,
               2 ** 31 + 1, -(2 ** 53) - 1, 10 ** 20, 10 ** 40, -(10 ** 40), True, False]
    return values


OPERANDS = _operands()
NO_NUMBERS: list[Any] = ["x", None, [1.0]]
BINARY: list[Callable[[Any, Any], Any]] = [
    operator.add, operator.sub, operator.mul, operator.truediv,
    operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne]
UNARY: list[Callable[[Any], Any]] = [operator.neg, operator.pos, operator.abs]


def outcome(kind: type, call: Callable[..., Any], *args: Any) -> tuple[Any, ...]:
    """What ``call(*args)`` gave, comparable across the two float types: bits and type, or
    the error."""
    try:
        result = call(*args)
    except Exception as error:  # noqa: BLE001 - the error is the outcome compared
        return ("error", type(error), str(error))
    if isinstance(result, float):
        return ("float", struct.pack("<d", result).hex(),
                "board" if type(result) is kind else type(result).__name__)
    return ("value", type(result), result)


@pytest.fixture(scope="module", params=[False, True], ids=["v2", "v1"])
def kinds(request: pytest.FixtureRequest) -> tuple[bool, type, type]:
    """A board's native float type (the board's own) and one with the Python operators."""
    boxed = request.param
    fast = f32.board_float(boxed)
    assert issubclass(fast, f32._f32native.Float)  # noqa: SLF001 - what is compared
    slow = f32._make(boxed, False)[0]  # noqa: SLF001
    assert not issubclass(slow, f32._f32native.Float)  # noqa: SLF001
    return boxed, fast, slow


def test_operators_give_the_python_path_s_results(kinds: tuple[bool, type, type]) -> None:
    _, fast, slow = kinds
    differences = []
    for left in OPERANDS:
        a_fast, a_slow = fast(left), slow(left)
        for op in UNARY:
            got, want = outcome(fast, op, a_fast), outcome(slow, op, a_slow)
            if got != want:
                differences.append((op.__name__, left, got, want))
        for right in OPERANDS + NO_NUMBERS:
            for op in BINARY:
                for args_fast, args_slow in (((a_fast, right), (a_slow, right)),
                                             ((right, a_fast), (right, a_slow))):
                    got, want = outcome(fast, op, *args_fast), outcome(slow, op, *args_slow)
                    if got != want:
                        differences.append((op.__name__, left, right, got, want))
    assert differences[:10] == []


def test_board_floats_of_both_operands(kinds: tuple[bool, type, type]) -> None:
    # also the float of the other board (a V1 nan keeps its sign) and a subclass
    boxed, fast, slow = kinds
    other = f32.board_float(not boxed)
    sub_fast = type("Sub", (fast,), {})
    sub_slow = type("Sub", (slow,), {})
    differences = []
    for left in OPERANDS[::3]:
        for right in OPERANDS[::3]:
            pairs = [((fast(left), fast(right)), (slow(left), slow(right))),
                     ((fast(left), other(right)), (slow(left), other(right))),
                     ((-fast(left), sub_fast(right)), (-slow(left), sub_slow(right)))]
            for (a, b), (c, d) in pairs:
                for op in BINARY:
                    got, want = outcome(fast, op, a, b), outcome(slow, op, c, d)
                    if got != want:
                        differences.append((op.__name__, a, b, got, want))
    assert differences[:10] == []


def test_the_divide_helper_gives_the_python_path_s_results(
        kinds: tuple[bool, type, type]) -> None:
    # a / b in user code: int / int made a board float as the firmware divides
    boxed, fast, _ = kinds
    python = f32._make_divide(boxed)  # noqa: SLF001
    native = f32._f32native.divider(boxed, python)  # noqa: SLF001
    ints = [v for v in OPERANDS if isinstance(v, int)] + [12345, -98765, 2 ** 25 + 3]
    differences = []
    for a in ints + [fast(2.5), 0.5, "x"]:
        for b in ints + [fast(0.1), 1e-50, "x"]:
            got, want = outcome(fast, native, a, b), outcome(fast, python, a, b)
            if got != want:
                differences.append((a, b, got, want))
    assert differences[:10] == []


def test_a_board_s_float_has_the_native_operators() -> None:
    for board in ("v1", "v2"):
        names: dict[str, Any] = {"float": float}
        f32.install(names, Printer(BOARDS[board]), BOARDS[board])
        assert issubclass(names["float"], f32._f32native.Float)  # noqa: SLF001
    assert "UBIT_F32_NATIVE" in PASSED_ON  # the switch reaches the board process


LOOP = """x = 0.5
v = 1.0
t = 0.0
for i in range(300000):
    x = x * 0.999 + v * 0.01
    t += x / 3
print(t)
"""


def _run(board: str, path: str, native: str) -> tuple[float, str]:
    return cpu_of_ubit("run", "--headless", "--board", board, path,
                       env={"UBIT_F32_NATIVE": native})


@pytest.mark.parametrize("board", ["v1", "v2"])
def test_a_board_computes_with_the_native_operators(board: str, tmp_path: Any) -> None:
    # Inside the confined board process: the Python operators take ten times as long on
    # this loop (0.5 s against 0.05 s of CPU), so the run with them costs much more, same output.
    path = tmp_path / "floats.py"
    path.write_text(LOOP)
    runs = [(_run(board, str(path), "1"), _run(board, str(path), "0")) for _ in range(2)]
    fast = [one for one, _ in runs]
    slow = [other for _, other in runs]
    assert fast[0][1] == slow[0][1] and fast[0][1].strip()
    assert min(t for t, _ in fast) < 0.6 * min(t for t, _ in slow)
