"""``str(x)`` of a name through ``_strnative`` (issue 17): where it is built, programs print
exactly what the compiler's conditional form prints, raise the same errors and take the
same board time."""

from __future__ import annotations

import pytest

from tests.sim.test_files import run_here
from ubit.sim.micropython import codebinding

native_str = pytest.mark.skipif(codebinding._name_str is None, reason="_strnative not built")

# Each kind of value (plain, float, container, subclass, a class's own __str__), in a
# function, a comprehension, a class body and at the top level; ``str`` rebound globally
# and locally; a name that isn't bound.
PROGRAM = '''import time
class Loud(int):
    def __str__(self):
        return "loud"
class Named:
    def __str__(self):
        return "named"
values = ["s", 7, -2 ** 70, True, None, 1.5, 1e-7, [1.0, "a"], (2,), {3: 4.0}, b"b",
          Loud(3), Named(), bytearray(b"x")]
def texts(items):
    return [str(v) for v in items]
def one(v):
    return str(v)
class Body:
    x = 2.5
    text = str(x)
out = texts(values) + [one(v) for v in values] + [Body.text]
for v in values:
    out.append(str(v))
def shadowed(v):
    str = repr
    return str(v)
out.append(shadowed("q"))
try:
    print(str(missing))
except NameError as e:
    out.append(repr(e.args))
str = lambda v: "mine"
out.append(str(values[0]) + str(values[5]) + one(4))
print(out, time.ticks_us())
'''


@native_str
@pytest.mark.parametrize("board", ["v1", "v2"])
def test_the_c_str_prints_what_the_conditional_prints(board: str, monkeypatch) -> None:
    here = run_here(PROGRAM, board)
    fast = here.text, here.device.clock._carry_ns + here.device.clock.meter[0]
    monkeypatch.setattr(codebinding, "_name_str", None)  # the conditional form
    here = run_here(PROGRAM, board)
    assert fast == (here.text, here.device.clock._carry_ns + here.device.clock.meter[0])
    assert "'loud'" in fast[0] and "'mineminemine'" in fast[0] and "'1e-07'" in fast[0]


@native_str
def test_name_str_calls_a_rebound_str_and_keeps_plain_values_cpythons() -> None:
    name_str = codebinding._name_str
    assert name_str(repr, "a") == "'a'"
    text = "abc"
    assert name_str(str, text) is text
    assert [name_str(str, v) for v in (5, True, None)] == ["5", "True", "None"]
    with pytest.raises(NameError, match="__mp_strslow__"):  # a float: the board's helper,
        name_str(str, 1.5)  # which only a board's builtins hold
