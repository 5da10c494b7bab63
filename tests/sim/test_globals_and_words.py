"""Module globals without the emulation's ``__builtins__`` and counts beyond a machine word
refused, as the firmware does (firmware-v2-observed 117, 055)."""

from __future__ import annotations

import time

import pytest

from tests.sim.runner import run_program
from tests.sim.test_repl import Session

_GLOBALS = """import helper
def f():
    return len('abc')
class C:
    def m(self):
        return [len(x) for x in ('a', 'bb')]
print(f(), C().m(), (lambda: len('ab'))())
print(sorted(k for k in globals() if k.startswith('__')))
exec("y = len('abcd')")
exec("z = 1", globals())
print(y, z, sorted(k for k in globals() if k.startswith('__')))
d = {}
exec("q = len('x')", d)
print(sorted(d), eval("len('ab')"))
print(helper.dunders(), helper.size())
import builtins
print('format' in dir(builtins), 'print' in dir(builtins))
"""
_HELPER = b"""def dunders():
    return sorted(k for k in globals() if k.startswith('__'))
def size():
    return len('xyz')
"""


def test_globals_hold_no_builtins_and_every_scope_still_has_the_boards():
    for board in ("v2", "v1"):
        out = run_program(_GLOBALS, board=board, files={"helper.py": _HELPER}).text
        assert out == ("3 [1, 2] 2\n['__name__']\n4 1 ['__name__']\n['q'] 2\n"
                       "['__name__'] 3\nFalse True\n"), board


def test_the_repl_goes_on_in_main_globals_without_builtins_in_them():
    session = Session(b"x = 1\n")
    try:
        session.until(b">>> ")
        session.send(b"sorted(globals())\r")
        assert session.until(b">>> ").endswith(b"['__name__', 'x']\r\n>>> ")
        session.send(b"le\t")
        time.sleep(0.3)
        session.send(b"('ab')\r")
        assert session.until(b">>> ") == b"len('ab')\r\n2\r\n>>> "
    finally:
        session.close()


_WORDS = """def t(s):
    try:
        print(repr(eval(s)))
    except Exception as e:
        print(repr(e))
for s in ["'a' * (2**31)", "(2**40) * b'x'", "'ab' * -(2**31)", "1 << 2**64", "1 >> 2**64",
          "0 << -(2**64)", "5 >> (2**31 - 1)", "1.5 << 2**64"]:
    t(s)
x = 1
try:
    x <<= 1
    x = x << 2**70
except OverflowError as e:
    print('caught', e)
"""
_OVERFLOW = "OverflowError('overflow converting long int to machine word',)"


def test_counts_beyond_a_machine_word_are_an_overflow_error():
    for board in ("v2", "v1"):
        assert run_program(_WORDS, board=board).text.splitlines() == [
            _OVERFLOW, _OVERFLOW, "''", _OVERFLOW, _OVERFLOW, _OVERFLOW, "0",
            "TypeError(\"unsupported types for : 'float', 'int'\",)",
            "caught overflow converting long int to machine word"], board


_RANGES = """def t(s):
    try:
        print(repr(eval(s)))
    except Exception as e:
        print(repr(e))
n = 2 ** 40
def count(m):
    return range(m * m)
for s in ["range(2**64)", "count(n)", "range(-n - n, 0)", "range(0, 10, n)", "range(-2**31 - 1)",
          "range(2**31 - 1)", "range('a', 2**64)", "range(1.5)", "list(range(5))",
          "list(range(n - n + 7, 1, -2))", "sum(range(n // n * 10))"]:
    t(s)
def mine(range):
    return range(n * n)
print(mine(lambda x: x - 1))
"""


def test_range_refuses_an_argument_beyond_a_machine_word_computed_or_constant():
    for board in ("v2", "v1"):
        assert run_program(_RANGES, board=board).text.splitlines() == [
            _OVERFLOW, _OVERFLOW, _OVERFLOW, _OVERFLOW, _OVERFLOW,
            "range(0, 2147483647)", "TypeError(\"can't convert str to int\",)",
            "TypeError(\"can't convert float to int\",)", "[0, 1, 2, 3, 4]", "[7, 5, 3]", "45",
            "1208925819614629174706175"], board


# Recorded from the V1 firmware under QEMU (`ubit run --firmware`): exec and eval in a
# function see and define into the module's globals (a function has no locals dict).
EXEC_IN_FUNCTION = """y = 1
def f():
    x = 5
    try:
        print(eval('x'))
    except NameError as e:
        print('NameError', e)
    print(eval('y + 1'))
    exec('def g():\\n    return h()\\ndef h():\\n    return 7\\nprint(g())')
    exec('z = 3')
f()
print(z, g())
class A:
    exec('k = 4')
print(A.k)
"""


@pytest.mark.parametrize(("board", "words"), [("v1", "is not defined"),
                                              ("v2", "isn't defined")])
def test_exec_in_a_function_defines_into_the_globals(board: str, words: str) -> None:
    result = run_program(EXEC_IN_FUNCTION, board=board)
    assert result.text == f"NameError name 'x' {words}\n2\n7\n3 7\n4\n"
