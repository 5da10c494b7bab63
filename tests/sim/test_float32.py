"""Floats compute in single precision as on the firmware (f32.py); UBIT_FLOAT32=0 turns it off.

The expected texts are what the firmware printed: the V1 corpus (tests/fidelity/expected)
and the probes recorded on both boards (firmware-v2-observed 003, 005, 006, 007, 024).
"""

from __future__ import annotations

import math
import random

import pytest

from tests.sim.runner import run_program
from ubit.sim.host.spawner import PASSED_ON
from ubit.sim.micropython import compiler, f32
from ubit.sim.micropython.mpfloat import stored_float
from ubit.sim.micropython.mprepr import Printer
from ubit.sim.shared.boards import BOARDS

# (expression, what the V1 firmware printed, what the V2 printed; None: not recorded)
CASES = [
    ("0.1 + 0.2 == 0.3", "True", "True"),
    ("0.1 * 3 == 0.3", "True", None),
    ("1e8 + 1", "1e+08", "1e+08"),
    ("1e8 + 1 == 1e8", "True", None),
    ("9.99 * 10", "99.9", "99.9"),
    ("10 / 3", "3.33333", "3.333333"),
    ("22 / 7", "3.14286", "3.142857"),
    ("100 / 3 - 33", "0.333328", None),
    ("3.0 % 0.1", "1.78814e-07", None),
    ("int(1e10)", "9999998976", "10000000000"),
    ("int(1e20)", "100000002004087734272", "100000002004087734272"),
    ("int(1.5e9)", "1499999744", "1500000000"),
    ("int(123456789.0)", "123456768", None),
    ("int(0.1 * 3 * 10)", "2", None),
    ("float(2 ** 64)", "1.84467e+19", "1.844674e+19"),
    ("float(10 ** 40)", "inf", "inf"),
    ("2 ** 31 + 1 == float(2 ** 31 + 1)", "True", None),
    ("10 ** 10 == 1e10", "False", None),
    ("123456789 == 123456789.0", "False", None),
    ("1e38 * 10", "inf", None),
    ("float('inf') - float('inf')", "nan", "nan"),
    ("float('nan') == float('nan')", "True", "False"),
    ("-float('nan')", "-nan", "nan"),
    ("round(2.675, 2)", "2.67", "2.68"),
    ("2 ** -2", "0.25", "0.25"),
    ("(-8) ** (1 / 3)", "nan", None),
    ("divmod(7.5, 2)", "(3.0, 1.5)", "(3.0, 1.5)"),
    ("-7.5 % 2", "0.5", "0.5"),
    ("-7 % 2.5", "0.5", None),
]
# Every source of floats gives the board's float type (round: firmware-v2-observed 007).
TYPES = ("print(type(1 / 2) is float, type(2 ** -1) is float, type(round(2.5, 0)) is float, "
         "isinstance(sum([0.5, 1]), float))\n")
DRIFT = """t = 0.0
for _ in range(10):
    t += 0.1
x = 2
x /= 3
print(t, t == 1.0, x == 2 / 3)
"""


def run(board: str, source: str) -> str:
    result = run_program(source, board=board, time_limit_ms=20000)
    return result.text.rstrip("\n")


@pytest.mark.parametrize("board", ["v1", "v2"])
def test_expressions_give_the_firmware_s_results(board: str) -> None:
    cases = [(expr, v1 if board == "v1" else v2) for expr, v1, v2 in CASES]
    cases = [(expr, want) for expr, want in cases if want is not None]
    source = "".join(f"print({expr})\n" for expr, _ in cases)
    lines = run(board, source).splitlines()
    assert [(expr, line) for (expr, _), line in zip(cases, lines, strict=True)] == cases


@pytest.mark.parametrize("board", ["v1", "v2"])
def test_every_source_of_floats_gives_the_board_s_float(board: str) -> None:
    assert run(board, TYPES) == "True True True True"


def test_sums_in_a_loop_drift_as_on_the_v1() -> None:
    assert run("v1", DRIFT) == "0.999999 False True"  # corpus 167


def test_switched_off_the_board_computes_in_double(monkeypatch: pytest.MonkeyPatch) -> None:
    source = "x = 0.1 + 0.2\nz = 0.3\ny = 7 / 3\n"
    on: dict = {}
    exec(compiler.compile_user(source, "main.py", BOARDS["v1"]), on)  # noqa: S102
    assert on["x"] == on["z"] and type(on["x"]) is not float  # corpus 168: True on a V1
    monkeypatch.setenv("UBIT_FLOAT32", "0")
    off: dict = {}
    exec(compiler.compile_user(source, "main.py", BOARDS["v1"]), off)  # noqa: S102
    # doubles (the literals parsed as the V1 parses them), rounded only when printed
    assert off["x"] != off["z"] and off["y"] == 7 / 3 and type(off["x"]) is float
    names = {"float": float}
    f32.install(names, Printer(BOARDS["v1"]), BOARDS["v1"])
    assert names["float"] is float
    assert "UBIT_FLOAT32" in PASSED_ON  # the switch reaches the board process


@pytest.mark.parametrize("boxed", [False, True])
def test_each_operation_rounds_as_the_board_stores_floats(boxed: bool) -> None:
    # the fast rounding (Veltkamp's split) against struct's float32 and the V1's 30 bits,
    # ties included (sums of neighbours), subnormals, overflow
    kind = f32.board_float(boxed)
    rng = random.Random(18)
    values = [kind(rng.uniform(-1, 1) * 2.0 ** rng.randint(-130, 130)) for _ in range(400)]
    values += [kind(1.0), kind(3.0e38), kind(1.2e-38), kind(16777216.0)]
    for a, b in zip(values, values[1:] + values[:1], strict=True):
        for got, exact in ((a + b, float(a) + float(b)), (a * b, float(a) * float(b)),
                           (a - b, float(a) - float(b)), (a / b, float(a) / float(b))):
            want = stored_float(exact, boxed)
            assert type(got) is kind, (a, b)
            assert got == want or math.isnan(got) and math.isnan(want), (a, b)
