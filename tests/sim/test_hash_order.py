"""Dicts and sets iterate, print and pop in the firmware's hash-table order (hashorder.py).

Each expected line is what the firmware printed: the V1 fidelity recordings
(tests/fidelity/expected, programs 018, 021, 159-166) and the V2/V1 probes in
firmware-v2-observed (029, 030, 033).
"""

from __future__ import annotations

import pytest

from tests.sim.runner import run_program

WORDS = "for k in ['zebra', 'apple', 'mango', 'b', 'a', 'kiwi', 'fig', 'c', 'date', 'elder']:"

# (program, V1 output, V2 output); None where no firmware output was recorded.
CASES = [
    ("print({'b': 1, 'a': 2, 'c': 3})", "{'c': 3, 'b': 1, 'a': 2}", None),
    ("print({'x': 1, 'y': 2, 'z': 3, 'w': 4})", "{'y': 2, 'x': 1, 'w': 4, 'z': 3}",
     "{'y': 2, 'x': 1, 'w': 4, 'z': 3}"),
    (f"d = {{}}\n{WORDS}\n    d[k] = len(k)\nprint(d)",
     "{'fig': 3, 'b': 1, 'date': 4, 'mango': 5, 'zebra': 5, 'elder': 5, 'a': 1, 'kiwi': 4, "
     "'c': 1, 'apple': 5}",
     "{'zebra': 5, 'apple': 5, 'a': 1, 'elder': 5, 'c': 1, 'mango': 5, 'b': 1, 'fig': 3, "
     "'date': 4, 'kiwi': 4}"),
    ("d = {}\nfor i in range(8):\n    d[i * 3] = i\nprint(d)",
     "{0: 0, 9: 3, 18: 6, 3: 1, 12: 4, 21: 7, 6: 2, 15: 5}", None),
    ("d = {}\nfor k in (9, 3, 7, 1, 12, 0, 5, 20, 16):\n    d[k] = k\nprint(list(d))",
     "[0, 1, 12, 3, 20, 5, 16, 7, 9]", None),
    ("d = {'a': 1, 'b': 2, 'c': 3, 'd': 4}\ndel d['b']\nd['e'] = 5\nd['b'] = 6\nprint(d)",
     "{'c': 3, 'd': 4, 'e': 5, 'b': 6, 'a': 1}", None),
    ("d = {'one': 1, 'two': 2, 'three': 3}\nprint(d.popitem(), d.popitem(), d)",
     "('one', 1) ('three', 3) {'two': 2}", None),
    ("def show(**kw):\n    print(kw)\nshow(alpha=1, beta=2, gamma=3, delta=4)",
     "{'delta': 4, 'alpha': 1, 'gamma': 3, 'beta': 2}", None),
    ("d = {'x': 1, 2: 'two', (1, 2): 'pair', 3.5: 'float', None: 0, True: 'yes'}\n"
     "print(list(d.keys()))", "[None, (1, 2), 2, 3.5, True, 'x']", None),
    ("print({3, 1, 2}, {'a', 'b', 'c'})", "{3, 1, 2} {'c', 'a', 'b'}", None),
    ("print({10, 100, 1000, 5, 50, 500})", "{1000, 5, 50, 500, 10, 100}",
     "{1000, 5, 50, 500, 10, 100}"),
    ("print(set(range(20, 0, -2)))", "{10, 20, 12, 2, 14, 4, 16, 6, 8, 18}",
     "{10, 20, 12, 2, 14, 4, 16, 6, 8, 18}"),
    ("print(set([10, 20, 30, 40, 50]))", "{30, 20, 50, 40, 10}", None),
    ("s = {10, 3, 25, 7, 1, 18}\ns.add(4)\ns.discard(25)\nprint(s)",
     "{18, 3, 10, 1, 4, 7}", None),
    ("print({'red', 'green', 'blue', 'yellow'}, set('hello'))",
     "{'blue', 'yellow', 'red', 'green'} {'e', 'h', 'l', 'o'}", None),
]


@pytest.mark.parametrize("board", ["v1", "v2"])
@pytest.mark.parametrize(("program", "v1", "v2"), CASES, ids=[str(i) for i in range(len(CASES))])
def test_firmware_order(program: str, v1: str, v2: str | None, board: str) -> None:
    """Iteration, print and popitem give the firmware's order on each board."""
    expected = v1 if board == "v1" else v2
    if expected is None:
        pytest.skip("no firmware recording for this board")
    assert run_program(program, board=board).text == expected + "\n"


def test_board_types_still_look_like_dict_and_set() -> None:
    """type(), isinstance(), ==, in and hashing are unchanged by the board's types."""
    program = "\n".join([
        "d = {'b': 1, 'a': 2}",
        "print(type(d), type({1}), type(frozenset()), type(d) is dict)",
        "print(isinstance(d, dict), isinstance(globals(), dict), isinstance({2}, set))",
        "print(d == {'a': 2, 'b': 1}, 'a' in d, d.get('c', 0), len(d))",
        "print(hash(frozenset({1, 2})) == hash(frozenset([2, 1])), {1, 2} == {2, 1})",
        "print(dict(d) == d, sorted(d), '%(a)s' % d)",
        "e = d.copy()",
        "e['z'] = 0",
        "print(len(d), len(e))",
    ])
    assert run_program(program, board="v2").text == (
        "<class 'dict'> <class 'set'> <class 'frozenset'> True\n"
        "True True True\n"
        "True True 0 2\n"
        "True True\n"
        "True ['a', 'b'] 2\n"
        "2 3\n")


def test_exec_with_a_fresh_namespace_sees_the_board_builtins() -> None:
    """exec(code, {}) compiles displays into the board's helpers: they must be found."""
    program = "ns = {}\nexec('a, b = {\"x\": 1, \"y\": 2}', ns)\nprint(ns['a'], ns['b'])"
    assert run_program(program, board="v2").text == "y x\n"


# Recorded from the V1 firmware under QEMU (`ubit run --firmware`): a set comprehension
# inserts its items as they come, and a traceback names its frame <setcomp>.
SETCOMP = """words = ['apple', 'pear', 'fig', 'kiwi', 'plum', 'lime', 'date', 'sloe']
print({w for w in words})
print({len(w) for w in words})
print({w[0] for w in words if w})
def f():
    return {1 // (3 - len(w)) for w in words}
f()
"""
SETCOMP_V1 = """{'lime', 'kiwi', 'plum', 'pear', 'date', 'fig', 'apple', 'sloe'}
{4, 5, 3}
{'l', 'd', 'f', 'a', 'p', 'k', 's'}
Traceback (most recent call last):
  File "__main__", line 7, in <module>
  File "__main__", line 6, in f
  File "__main__", line 6, in <setcomp>
ZeroDivisionError: division by zero
"""


def test_a_set_comprehension_of_strs_has_the_firmware_order_every_run() -> None:
    first = run_program(SETCOMP, board="v1").text
    assert first == SETCOMP_V1
    assert run_program(SETCOMP, board="v1").text == first  # str hashes differ by process
