"""C fast paths of the cost model's meter and of the board's sort (issue 17): where they
are built, programs print and take exactly what the Python paths give them."""

from __future__ import annotations

import pytest

from tests.sim.test_files import run_here
from ubit.sim.board import cost
from ubit.sim.micropython import mpbuiltins

native_meter = pytest.mark.skipif(cost._costnative is None, reason="_costnative not built")
native_sort = pytest.mark.skipif(mpbuiltins.one_type is None, reason="_sortnative not built")

# Loops, calls of functions and methods, comprehensions, a while loop: every kind of
# charge, and the board's time read back in the middle and at the end.
TIMED = """import time
class Counter:
    def __init__(self):
        self.n = 0
    def add(self, k):
        self.n += k
        return self.n
def square(x):
    return x * x
t0 = time.ticks_us()
c = Counter()
for i in range(3000):
    c.add(i & 3)
t1 = time.ticks_us()
total = sum([square(k) for k in range(500)]) + len({k % 7 for k in range(300)})
n = 0
while n < 2000:
    n += 1
print(c.n, total, n, t1 - t0, time.ticks_us() - t0)
"""


def _timed(board: str) -> tuple[str, int]:
    here = run_here(TIMED, board)
    return here.text, here.device.clock.now_us()


@native_meter
@pytest.mark.parametrize("board", ["v1", "v2"])
def test_the_c_meter_gives_the_board_times_the_list_gives(board: str, monkeypatch) -> None:
    native = _timed(board)
    monkeypatch.setattr(cost, "_costnative", None)  # the list meter and Python's charges
    plain = _timed(board)
    assert native == plain
    assert int(native[0].split()[3]) > 0  # the loop took board time


@native_meter
def test_the_c_meter_reads_and_resets_as_the_list() -> None:
    meter = cost.new_meter()
    charger = cost.charger(meter)
    charger[250]
    charger[2 ** 40]
    assert (meter[cost.SPENT], meter[-1], len(meter)) == (2 ** 40 + 250, 0, 2)
    meter[cost.POLL] = 3600
    meter[cost.SPENT] += 50
    assert (meter[0], meter[1]) == (2 ** 40 + 300, 3600)
    meter[cost.SPENT] = 0
    assert meter[cost.SPENT] == 0
    with pytest.raises(IndexError):
        meter[2]
    with pytest.raises(OverflowError):  # no count is lost silently
        charger[2 ** 63]


SORTS = """items = [[5, 3, 9, 1, 7], [3, 3, 1, 2, 2, 2, 9], ['pear', 'fig', 'apple', 'fig'],
         [2 ** 80, -(2 ** 70), 5, 0], [True, 1, False, 0], [1, 1.0, 0, 0.0, -0.0],
         [b'b', b'a'], [(2, 'a'), (1, 'b'), (1, 'a')], [], [4]]
for x in items:
    y = list(x)
    y.sort()
    z = list(x)
    z.sort(reverse=True)
    print(sorted(x), y, z, sorted(x, reverse=1))
"""


@native_sort
def test_the_sorts_c_test_leaves_the_orders_sort_list_gives(monkeypatch) -> None:
    fast = run_here(SORTS, "v1").text
    monkeypatch.setattr(mpbuiltins, "one_type", None)
    assert fast == run_here(SORTS, "v1").text
    # ties told apart: the firmware's quicksort's order, not CPython's stable one
    assert fast.splitlines()[4].startswith("[0, False, 1, True] [0, False, 1, True]")


@native_sort
def test_one_type_tells_a_list_of_one_exact_type() -> None:
    one_type = mpbuiltins.one_type
    assert (one_type([3, 1, 2]), one_type(["a"]), one_type([])) == (int, str, None)
    assert one_type([1, True]) is None and one_type([1, 1.0]) is None
    with pytest.raises(TypeError):
        one_type((1, 2))


@native_meter
@native_sort
def test_ubit_doctor_says_the_meter_and_sort_check_are_c() -> None:
    import os
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    proc = subprocess.run([sys.executable, "-m", "ubit", "doctor"], cwd=root,
                          capture_output=True, text=True, timeout=60)
    assert "board time and sorting: in C (_costnative, _sortnative)" in proc.stdout, \
        proc.stdout + proc.stderr
