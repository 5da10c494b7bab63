"""Fast paths of everyday code (issue 17): each gives what the firmware's slow path gives."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sim.runner import run_program
from ubit.sim.micropython.v1quirks import _quicksort, sort_list


class Num(int):
    """An int subclass: equal to plain ints but told apart by its repr."""

    def __repr__(self) -> str:
        return f"Num({int(self)})"


SORT_CASES: list[tuple[list[Any], Any, bool]] = [
    ([5, 3, 9, 1, 7], None, False),
    ([5, 3, 9, 1, 7], None, True),
    ([3, 3, 1, 2, 2, 2, 9], None, False),  # ties of plain ints: can't be told apart
    (["pear", "fig", "apple", "fig"], None, True),
    ([2 ** 80, -(2 ** 70), 5, 0], None, False),  # big ints
    ([True, 1, False, 0], None, False),  # bools tie with ints: the firmware's order shows
    ([1, 1.0, 0, 0.0, -0.0], None, False),  # floats tie with ints
    ([Num(2), 2, Num(1), 1], None, False),  # an int subclass ties with ints
    (["bb", "a", "ccc", "dd", "e"], len, False),  # a key with ties: V1's unstable order
    (["bb", "a", "ccc"], len, True),  # a key without ties
    ([(1, "b"), (0, "a"), (1, "a")], lambda t: t[0], False),
    ([4, 1, 3, 2, 0], lambda v: -v, False),
]


@pytest.mark.parametrize(("items", "key", "reverse"), SORT_CASES)
def test_sort_fast_path_matches_the_firmwares_quicksort(items: list, key: Any,
                                                        reverse: bool) -> None:
    fast, slow = list(items), list(items)
    sort_list(fast, key, reverse)
    _quicksort(slow, 0, len(slow) - 1, key, not reverse)
    assert repr(fast) == repr(slow)


@pytest.mark.parametrize("items", [[1, "a", 2], [b"x", "x"], [1, None]])
def test_mixed_types_raise_the_firmwares_type_error(items: list) -> None:
    with pytest.raises(TypeError) as fast:
        sort_list(list(items))
    with pytest.raises(TypeError) as slow:
        _quicksort(list(items), 0, len(items) - 1, None, True)
    assert str(fast.value) == str(slow.value)


STR_PROGRAM = """
class S(str):
    pass
class I(int):
    def __str__(self):
        return 'I!'
def f():
    pass
values = [0, -7, 2 ** 100, True, False, None, 1 / 3, 1e20, -0.0, 0.1, 'héllo', S('sub'),
          I(5), [1.5, 'a'], (2.0,), {'k': 0.25}, b'by', f, ValueError('v'), range(3)]
for x in values:
    box = [x]
    print(str(x) == str(box[0]), str(x))
"""


@pytest.mark.parametrize("board", ["v1", "v2"])
def test_str_of_a_name_gives_the_same_text_as_the_slow_path(board: str) -> None:
    result = run_program(STR_PROGRAM, board=board)
    assert result.status == "ok", result.output
    lines = result.text.splitlines()
    assert len(lines) == 20
    assert all(line.startswith("True ") for line in lines), lines
    texts = [line[5:] for line in lines]
    # the firmware's text where it differs from CPython's
    assert texts[6] == ("0.333333" if board == "v1" else "0.3333333")
    assert texts[8] == "-0.0" and texts[11] == "sub" and texts[12] == "I!"


def test_str_follows_a_shadowed_str() -> None:
    program = """str = lambda v: 'mine'
x = 1.5
print(str(x))
def g(str):
    y = 2
    return str(y)
print(g(lambda v: 'arg'))
"""
    assert run_program(program).text.splitlines() == ["mine", "arg"]


def test_set_pixel_loop_sends_at_most_one_frame_per_refresh() -> None:
    calls = 2000
    program = f"""from microbit import display
for i in range({calls}):
    display.set_pixel(i % 5, (i // 5) % 5, i % 10)
"""
    result = run_program(program)
    frames = [(t, rows) for t, part, rows in result.states if part == "display"]
    # one frame per 6 ms refresh from 0 ms, plus the last drawing sent as the program ends
    assert len(frames) <= result.end_ms // 6 + 2 < calls / 10
    last = calls - 1  # the final frame: what the LEDs show when the program ends
    expected = [[0] * 5 for _ in range(5)]
    for i in range(last - 24, last + 1):
        expected[(i // 5) % 5][i % 5] = i % 10
    assert frames[-1][1] == expected
    assert result.state["display"] == expected


# random: the fast paths (plain ints, built-in sequences) against the checked functions,
# from the same seed, values and errors alike; the firmware's own cases included (V1's
# getrandbits(0) fails and getrandbits(-1) gives 0, V2's the reverse; empty ranges fail
# with a bare ValueError; bools are ints; a dict is indexed by its keys).
RANDOM_CASES: list[tuple[str, tuple[Any, ...]]] = [
    ("randint", (1, 6)), ("randint", (5, 5)), ("randint", (6, 1)), ("randint", (-3, 3)),
    ("randint", (0, 2 ** 31 - 1)), ("randint", (-2 ** 31, 2 ** 31 - 1)),
    ("randint", (0, 2 ** 31)), ("randint", (True, 6)), ("randint", (1.0, 6)),
    ("randrange", (10,)), ("randrange", (0,)), ("randrange", (-4,)), ("randrange", (1,)),
    ("randrange", (5, 50)), ("randrange", (5, 5)), ("randrange", (5, 1)),
    ("randrange", (0, 100, 7)), ("randrange", (100, 0, -3)), ("randrange", (2 ** 40,)),
    ("randrange", (0, 5000)), ("randrange", (3, None)),
    ("choice", ("abc",)), ("choice", ([1, 2, 3],)), ("choice", ((),)), ("choice", ("",)),
    ("choice", (range(2000),)), ("choice", (b"xy",)), ("choice", ({1: 2},)), ("choice", (7,)),
    ("getrandbits", (1,)), ("getrandbits", (30,)), ("getrandbits", (31,)),
    ("getrandbits", (32,)), ("getrandbits", (0,)), ("getrandbits", (-1,)),
    ("getrandbits", (2.0,)),
]


def _outcomes(names: dict[str, Any], cases: list[tuple[str, tuple[Any, ...]]]) -> list[str]:
    seen = []
    for name, args in cases * 40:  # enough draws to run through the made batches
        try:
            seen.append(repr(names[name](*args)))
        except Exception as exc:  # noqa: BLE001 - the error is the outcome
            seen.append(f"{type(exc).__name__}: {exc}")
    return seen


@pytest.mark.parametrize("board", ["v1", "v2"])
def test_random_fast_paths_match_the_checked_functions(board: str) -> None:
    from tests.sim.test_files import make_device
    from ubit.sim.micropython.modules import random as board_random

    device, _ = make_device(board)
    public = board_random.create(device)
    public["seed"](99)
    gen = (board_random.DalRandom if board == "v1" else board_random.Yasmarang)(99)
    checked = board_random._checked(device, gen, board == "v1")  # noqa: SLF001
    assert _outcomes(public, RANDOM_CASES) == _outcomes(checked, RANDOM_CASES)


def _str_rewrite(source: str) -> tuple[Any, Any]:
    """The compiled code of ``source`` and its tree after the compiler's rewrites."""
    import ast

    from ubit.sim.micropython import compiler
    from ubit.sim.shared.boards import BOARDS

    spec = BOARDS["v2"]
    tree = ast.parse(source)
    compiler.MicroPythonPass(source, "main.py", spec).run(tree)
    return compiler.compile_user(source, "main.py", spec), tree


def test_str_fast_path_reads_its_helpers_as_constants() -> None:
    """At module level a builtin name is two dictionary lookups: the fast path's ``type``
    and its set of plain types are constants instead (only ``str`` itself is looked up,
    as the user may rebind it)."""
    from ubit.sim.micropython import codebinding

    code, _ = _str_rewrite("i = 5\ns = str(i) + ':'\n")
    assert "__mp_type__" not in code.co_names and "__mp_strtypes__" not in code.co_names
    helper = type if codebinding._name_str is None else codebinding._name_str  # (C's: one call)
    assert helper in code.co_consts and "str" in code.co_names


def test_str_fast_path_costs_the_board_time_it_did_with_names() -> None:
    import ast

    from ubit.sim.micropython import codebinding, costmodel

    _, tree = _str_rewrite("i = 5\ns = str(i)\n")
    value = tree.body[1].value  # type: ignore[attr-defined]
    with_names = ast.parse("(str if __mp_type__(i) in __mp_strtypes__ or str is not "
                           "__mp_realstr__ else __mp_strslow__)(i)", mode="eval").body
    assert any(isinstance(n, ast.Constant) and n.value == codebinding.TYPE
               for n in ast.walk(value))
    for local in (None, frozenset({"i"})):  # module level, in a function
        estimate = costmodel._Estimate(1.0, local)  # noqa: SLF001
        assert estimate.expr(value) == estimate.expr(with_names)


def test_str_fast_path_takes_the_types_the_slow_path_takes() -> None:
    from ubit.sim.micropython import codebinding, mpbuiltins

    bound = codebinding.rewrite_objects()[codebinding.PLAIN_STR_TYPES]
    assert bound == mpbuiltins.PLAIN_STR_TYPES




# The heap model's quick check (allocations dropped since the last walk are forgotten, the
# walk still every REWALK grants): what the model refused before it, recorded. The last
# loop fills the heap with small lists, which only a walk sees.
HEAP_PROGRAM = """import gc
held = []
log = []
for r in range(200):
    try:
        a = [r] * (100 + (r * 37) % 900)
        if r % 3 == 0:
            held.append(a)
        if r % 7 == 0:
            b = [x for x in range(70 + r % 300)]
        if r % 11 == 0 and held:
            held.pop(0)
        if r % 13 == 0:
            s = 'x' * (300 + r * 5)
            s = s + s
        if r % 17 == 0:
            gc.collect()
        if r % 5 == 0:
            c = list(range(100 + r))
            c += [1] * 200
    except MemoryError as e:
        log.append((r, str(e)))
        held = held[len(held) // 2:]
print(len(log), len(held), sum(r for r, e in log), sum(int(e.split()[-2]) for r, e in log))
print(log[:3])
held = log = a = b = c = s = None
gc.collect()
small = []
first = None
for r in range(3000):
    try:
        small.append([r] * 60)
        big = [0] * 150
    except MemoryError as e:
        first = (r, str(e))
        break
print(first, len(small))
"""
HEAP_EXPECTED = {  # re-recorded when the program's code began to be charged as the V1
    "v1": (          # compiles it (compilememory): the free figure moved, not the checks
        "185 1 19328 413847\n[(8, 'memory allocation failed, allocating 1584 bytes'), (10,"
        " 'memory allocation failed, allocating 1880 bytes'), (13, 'memory allocation fai"
        "led, allocating 731 bytes')]\n(64, 'memory allocation failed, allocating 600 byte"
        "s') 65\n"
    ),
    "v2": (
        "3 14 428 9272\n[(95, 'memory allocation failed, allocating 3660 bytes'), (143, 'm"
        "emory allocation failed, allocating 3564 bytes'), (190, 'memory allocation faile"
        "d, allocating 2048 bytes')]\n(242, 'memory allocation failed, allocating 600 byte"
        "s') 243\n"
    ),
}


@pytest.mark.parametrize("board", ["v1", "v2"])
def test_heap_checks_refuse_what_they_refused_before(board: str) -> None:
    result = run_program(HEAP_PROGRAM, board=board)
    assert result.text == HEAP_EXPECTED[board]
