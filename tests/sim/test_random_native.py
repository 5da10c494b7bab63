"""The V2's random generator in C (``_randnative``) draws what random.py's Python one does.

Boards use it where it was built (``make``/``pip install`` build it) and the Python
generator on a machine without a C compiler or with ``UBIT_RANDOM_NATIVE=0``: a program's
numbers and errors must not depend on which.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from tests.sim.test_fastpaths import RANDOM_CASES
from tests.sim.test_files import make_device
from tests.sim.test_random_speed import SIZES, ReferenceYasmarang
from tests.ubitcli import cpu_of_ubit
from ubit.sim.host.spawner import PASSED_ON
from ubit.sim.micropython.args import WORD
from ubit.sim.micropython.modules import random as board_random

native_module = board_random._randnative  # noqa: SLF001
pytestmark = pytest.mark.skipif(native_module is None,
                                reason="_randnative isn't built (no C compiler here)")

SEEDS = [0, 1, 2, 3, 7, 42, 69, 233, 255, 256, 12345, 0x7FFFFFFF, 0x80000000, 0xDEADBEEF,
         0xFFFFFFFE, 0xFFFFFFFF, -1, -12345, 2 ** 40 + 5, -(2 ** 63)]


@pytest.mark.parametrize("seed", SEEDS)
def test_words_draws_and_fractions_are_the_python_generators(seed: int) -> None:
    ours, python = native_module.Yasmarang(seed, WORD), board_random.Yasmarang(seed)
    assert [ours.word() for _ in range(3000)] == [python.word() for _ in range(3000)]
    for i in range(2000):
        n = SIZES[(i * 5 + seed) % len(SIZES)]
        assert ours.below(n) == python.below(n), n
    assert [ours.fraction() for _ in range(200)] == [python.fraction() for _ in range(200)]
    ours.seed(seed * 3 + 1)
    python.seed(seed * 3 + 1)
    assert [ours.below(6) for _ in range(500)] == [python.below(6) for _ in range(500)]


def test_words_are_the_firmwares_loop() -> None:
    for seed in (0, 1, 0xCAFEBABE):
        ours, reference = native_module.Yasmarang(seed, WORD), ReferenceYasmarang(seed)
        assert [ours.word() for _ in range(5000)] == [reference.word() for _ in range(5000)]


# Beyond test_fastpaths' cases: None items (choice's "not taken" can't be the item), every
# built-in sequence, the machine word's edges, keywords, and missing or extra arguments.
MORE_CASES: list[tuple[str, tuple[Any, ...]]] = [
    ("choice", ([None, None, 1],)), ("choice", ((None,),)), ("choice", (bytearray(b"pq"),)),
    ("choice", (range(3, 30, 3),)), ("choice", (range(2 ** 40),)), ("choice", ([],)),
    ("randint", (-2 ** 31, -2 ** 31)), ("randint", (2 ** 31 - 1, 2 ** 31 - 1)),
    ("randint", (-2 ** 31 - 1, 0)), ("randint", (0, 10 ** 30)), ("randint", (1,)),
    ("randrange", (-2 ** 31, 2 ** 31 - 1)), ("randrange", (2 ** 31 - 1,)),
    ("randrange", (2 ** 31,)), ("randrange", (1, 2, 3, 4)), ("randrange", (10, 1.0)),
    ("getrandbits", (True,)), ("getrandbits", (33,)), ("getrandbits", (2 ** 70,)),
    ("getrandbits", (16,)), ("random", ()), ("uniform", (1, 5)), ("randint", (1, 100)),
]


def _draws(monkeypatch: pytest.MonkeyPatch, native: str, seed: int) -> list[str]:
    """Every case's outcome (value or error), many times over, from ``seed``.

    (CPython's words for a wrong call name the function's maker, ``_native`` or ``_fast``:
    left out here, as the board prints the firmware's words for them.)"""
    monkeypatch.setenv(board_random.NATIVE_ENV, native)
    device, _ = make_device("v2")
    names = board_random.create(device)
    names["seed"](seed)
    seen = []
    for name, args in (RANDOM_CASES + MORE_CASES) * 30:
        try:
            seen.append(repr(names[name](*args)))
        except Exception as exc:  # noqa: BLE001 - the error is the outcome
            seen.append(f"{type(exc).__name__}: {exc}".replace("_native.", "_fast."))
    seen.append(repr([names["randint"](1, 6) for _ in range(3000)]))
    return seen


@pytest.mark.parametrize("seed", [0, 1, 5, 99, 0xFFFFFFFF])
def test_every_function_gives_the_python_paths_numbers_and_errors(
        monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    assert _draws(monkeypatch, "1", seed) == _draws(monkeypatch, "0", seed)


def test_boards_use_it_unless_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(board_random.NATIVE_ENV, raising=False)
    assert board_random.native()
    monkeypatch.setenv(board_random.NATIVE_ENV, "0")
    assert not board_random.native()
    assert board_random.NATIVE_ENV in PASSED_ON  # the switch reaches the board process


DRAWS = """import random
random.seed(17)
total = 0
for i in range(150000):
    total += random.randint(1, 6) + random.randrange(100) + random.getrandbits(5)
print(total, random.choice("abcdef"), random.random())
"""


def _run(path: str, native: str) -> tuple[float, str]:
    return cpu_of_ubit("run", "--headless", path, env={board_random.NATIVE_ENV: native})


def test_a_board_draws_with_the_native_generator(tmp_path: Any) -> None:
    # Inside the confined board process: the Python generator takes several times as long
    # on this loop (0.5 s against 0.1 s of CPU), so the run with it costs much more, same
    # output.
    path = tmp_path / "draws.py"
    path.write_text(DRAWS)
    runs = [(_run(str(path), "1"), _run(str(path), "0")) for _ in range(2)]
    fast = [one for one, _ in runs]
    slow = [other for _, other in runs]
    assert fast[0][1] == slow[0][1] == fast[1][1] and fast[0][1].strip()
    assert min(t for t, _ in fast) < 0.7 * min(t for t, _ in slow)


@pytest.mark.parametrize(("switch", "said"), [("1", "drawn in C (_randnative)"),
                                              ("0", "drawn in Python (UBIT_RANDOM_NATIVE=0)")])
def test_ubit_doctor_says_how_random_numbers_are_drawn(switch: str, said: str) -> None:
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    proc = subprocess.run([sys.executable, "-m", "ubit", "doctor"], cwd=root,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "UBIT_RANDOM_NATIVE": switch})
    assert f"V2 random numbers: {said}" in proc.stdout, proc.stdout + proc.stderr
