"""The C meter's fused charges (issue 17): a ``for`` loop charged by its iterator, a
function's entry charged by its stack check and a comprehension's items charged in one C
call take exactly the board time the separate charges of the Python path take, whatever
the loops, functions and comprehensions do."""

from __future__ import annotations

import pytest

from tests.sim.test_files import run_here
from ubit.sim.board import cost

native_meter = pytest.mark.skipif(cost._costnative is None, reason="_costnative not built")

# Every shape the fused forms meet (and those left to the plain charge): recursion, a
# recursion that hits the stack limit (its last entry is refused, not charged), loops
# over generators, broken loops, loops left by an exception, tuple targets, a class
# body's loop, a docstring-only function, comprehensions over each kind of iterable, the
# time read in between.
PROGRAM = '''import time
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
def deep(n):
    """goes until the stack is full"""
    return deep(n + 1)
def leaf(n):
    return n * 2
def walk(pairs):
    total = 0
    for a, b in pairs:
        total += a * b
    for k in range(5):
        if k == 3:
            break
    else:
        total = -1
    return total
def squares(n):
    for i in range(n):
        yield i * i
def doc_only():
    """nothing but a docstring"""
class Table:
    rows = []
    for r in range(4):
        rows.append(r)
t0 = time.ticks_us()
out = [fib(5), walk([(1, 2), (3, 4)]), sum(x for x in squares(20)), doc_only(),
       len(Table.rows), [leaf(j) for j in range(3)]]
for v in squares(30):
    out.append(v % 7)
out.append([len([c for c in it]) for it in ([1, 2], (3,), range(4), "ab", b"cd", bytearray(3),
                                            {1: 2}, {5}, frozenset({6}), iter([7]))])
out.append(time.ticks_us() - t0)
try:
    for s in 'abc':
        out.append(s)
        if s == 'b':
            raise ValueError(s)
except ValueError:
    out.append(time.ticks_us() - t0)
try:
    deep(0)
except RuntimeError as e:
    out.append(str(e))
    out.append(time.ticks_us() - t0)
n = 0
while n < 50:
    n += 1
print(out, time.ticks_us() - t0)
'''


def _run(board: str) -> tuple[str, int, int]:
    """What ``PROGRAM`` printed, and the board time it took, to the nanosecond."""
    here = run_here(PROGRAM, board)
    clock = here.device.clock
    return here.text, clock.now_us(), clock._carry_ns + clock.meter[cost.SPENT]


@native_meter
@pytest.mark.parametrize("board", ["v1", "v2"])
def test_fused_charges_take_the_board_time_separate_charges_take(board: str,
                                                                 monkeypatch) -> None:
    fused = _run(board)
    monkeypatch.setattr(cost, "_costnative", None)  # the list meter: every charge apart
    assert fused == _run(board)
    assert "maximum recursion depth exceeded" in fused[0]
    assert fused[1] > 0  # (and the sub-microsecond remainders: every ns compared)


@native_meter
def test_a_loops_iterator_charges_each_item_it_gives() -> None:
    meter = cost.new_meter()
    steps = cost.charger(meter).steps(iter("abc"), 7)
    assert iter(steps) is steps
    assert list(steps) == ["a", "b", "c"]
    assert meter[cost.SPENT] == 21  # the end charged nothing
    with pytest.raises(TypeError, match="'int' object is not iterable"):
        cost.charger(meter).steps(5, 1)


@native_meter
def test_a_gate_charges_an_entry_only_while_the_stack_has_room() -> None:
    meter = cost.new_meter()
    stack = [100, 0, 0, 0]
    gate = cost.charger(meter).gate(stack, 7680)
    assert gate[30] is False and meter[cost.SPENT] == 30
    stack[0] = 7681
    assert gate[30] is True and meter[cost.SPENT] == 30
    stack[0] = 2 ** 70  # any int the count may be
    assert gate[30] is True and meter[cost.SPENT] == 30


@native_meter
def test_a_comprehensions_items_are_charged_up_front_where_it_is_sized() -> None:
    meter = cost.new_meter()
    each = cost.charger(meter).each
    items = [1, 2, 3]
    assert each(items, 10) is items and meter[cost.SPENT] == 30
    each(iter(items), 10)  # not sized: each item is charged by what it runs
    each(bytearray(2), 10)
    assert meter[cost.SPENT] == 50
