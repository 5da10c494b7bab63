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
