"""Error messages in the firmware's words, as the V1 and V2 firmwares printed them.

Each row is a statement a beginner might write and the ``repr`` of the exception
the firmware raised (shared/reference/firmware-v2-observed, the probe named in the
comment). One program per board runs every row, so a row reads as ``stmt !! repr``.
"""

from __future__ import annotations

import pytest

from tests.sim.runner import run_program

# (statement, V1's exception repr, V2's) -- None where a board raises nothing: the row then
# prints "ok". Quotes inside statements are single, so a row fits one line of the program.
ROWS: list[tuple[str, str | None, str | None]] = [
    # % formatting: 1.18 reworded it (011)
    ("'%d %d' % (1,)", "TypeError('not enough arguments for format string',)",
     "TypeError('format string needs more arguments',)"),
    ("'abc' % 1", "TypeError('not all arguments converted during string formatting',)",
     "TypeError(\"format string didn't convert all arguments\",)"),
    ("'%(a)s' % 1", "TypeError('format requires a dict',)", "TypeError('format needs a dict',)"),
    # operators (027, 028, 051)
    ("1.5 & 1", "TypeError(\"unsupported types for : 'float', 'int'\",)",
     "TypeError(\"unsupported types for : 'float', 'int'\",)"),
    ("'a' < 1", "TypeError(\"can't convert 'int' object to str implicitly\",)",
     "TypeError(\"can't convert 'int' object to str implicitly\",)"),
    ("max(1, 'a')", "TypeError(\"can't convert 'int' object to str implicitly\",)",
     "TypeError(\"can't convert 'int' object to str implicitly\",)"),
    ("abs('a')", "TypeError(\"can't convert str to int\",)",
     "TypeError(\"unsupported type for : 'str'\",)"),
    # call arity (041, 052, 103, 110, 125)
    ("[].insert(1)", "TypeError('function takes 3 positional arguments but 2 were given',)",
     "TypeError('function takes 3 positional arguments but 2 were given',)"),
    ("divmod(1)", "TypeError('function takes 2 positional arguments but 1 were given',)",
     "TypeError('function takes 2 positional arguments but 1 were given',)"),
    ("sum()", "TypeError('function missing 1 required positional arguments',)",
     "TypeError('function missing 1 required positional arguments',)"),
    ("'abc'.count()", "TypeError('function missing 1 required positional arguments',)",
     "TypeError('function missing 1 required positional arguments',)"),
    ("iter()", "TypeError('function takes 1 positional arguments but 0 were given',)",
     "TypeError('function takes 1 positional arguments but 0 were given',)"),
    ("map(abs)", "TypeError('function missing 1 required positional arguments',)",
     "TypeError('function missing 1 required positional arguments',)"),
    ("enumerate()", "TypeError(\"'int' object is not iterable\",)",
     "TypeError(\"'iterable' argument required\",)"),
    ("type()", "TypeError('function missing 1 required positional arguments',)",
     "TypeError('function missing 1 required positional arguments',)"),
    ("type(1, 2)", "TypeError('type takes 1 or 3 arguments',)",
     "TypeError('type takes 1 or 3 arguments',)"),
    ("object(1)", "TypeError('function takes 0 positional arguments but 1 were given',)",
     "TypeError('function takes 0 positional arguments but 1 were given',)"),
    ("K.make()", "TypeError('function takes 2 positional arguments but 1 were given',)",
     "TypeError('function takes 2 positional arguments but 1 were given',)"),
    ("f1(*5)", "TypeError(\"'int' object is not iterable\",)",
     "TypeError(\"'int' object isn't iterable\",)"),
    ("f1(**5)", "AttributeError(\"'int' object has no attribute 'keys'\",)",
     "AttributeError(\"'int' object has no attribute 'keys'\",)"),
    ("f1(**{1: 2})", "TypeError(\"unexpected keyword argument ''\",)",
     "TypeError(\"can't convert 'int' object to str implicitly\",)"),
    ("bin('a')", "ValueError(\"unknown format code 'b' for object of type 'str'\",)",
     "ValueError(\"unknown format code 'b' for object of type 'str'\",)"),
    ("eval(5)", "TypeError(\"can't convert 'int' object to str implicitly\",)",
     "TypeError('object with buffer protocol required',)"),
    # str methods and attribute names (041, 168)
    ("'abc'.strip(1)", "TypeError(\"can't convert 'int' object to str implicitly\",)",
     "TypeError(\"can't convert 'int' object to str implicitly\",)"),
    ("getattr(K, 5)", "TypeError(\"can't convert 'int' object to str implicitly\",)",
     "TypeError(\"can't convert 'int' object to str implicitly\",)"),
    # print's keywords (166)
    ("print('a', sep=5)", "TypeError(\"can't convert 'int' object to str implicitly\",)",
     "TypeError(\"can't convert 'int' object to str implicitly\",)"),
    ("print('', end=None)", None,
     "TypeError(\"can't convert 'NoneType' object to str implicitly\",)"),
    ("print('', nope=1)", None, "TypeError('extra keyword arguments given',)"),
    # KeyError, IndexError, ValueError (035, 036, 044, 048, 055)
    ("set().remove('s')", "KeyError()", "KeyError('s',)"),
    ("dict([(1, 2, 3)])", "ValueError('dict update sequence has wrong length',)",
     "ValueError('dict update sequence has wrong length',)"),
    ("[1][::0]", "ValueError('slice step cannot be zero',)",
     "ValueError(\"slice step can't be zero\",)"),
    ("[1][1.5:]", "TypeError(\"can't convert float to int\",)",
     "TypeError(\"can't convert float to int\",)"),
    ("[0] * (2**64)", "OverflowError('overflow converting long int to machine word',)",
     "OverflowError('overflow converting long int to machine word',)"),
    # with, del, imports, names (050, 112, 130, 171)
    ("with K(): pass", "AttributeError(\"'K' object has no attribute '__exit__'\",)",
     "AttributeError(\"'K' object has no attribute '__exit__'\",)"),
    ("exec('del nowhere')", "KeyError('nowhere',)", "KeyError('nowhere',)"),
    ("from math import nope", "ImportError('cannot import name nope',)",
     "ImportError(\"can't import name nope\",)"),
    ("unbound()", "NameError('local variable referenced before assignment',)",
     "NameError('local variable referenced before assignment',)"),
    ("RecursionError", "NameError(\"name 'RecursionError' is not defined\",)",
     "NameError(\"name 'RecursionError' isn't defined\",)"),
]

PRELUDE = """\
class K:
    @classmethod
    def make(cls, n):
        return n
def f1(a=0):
    pass
def unbound():
    print(x)
    x = 1
"""


# rows a program: all of them in one main.py is more than the V1 can compile
ROWS_A_PROGRAM = 25


def program(first: int) -> str:
    """Rows from ``first`` as ``try: stmt`` / print ``stmt !! repr(e)`` (or ``ok``)."""
    parts = [PRELUDE]
    for i, (statement, _, _) in enumerate(ROWS):
        if first <= i < first + ROWS_A_PROGRAM:
            parts.append(f"try:\n    {statement}\n    print({i}, 'ok')\n"
                         f"except Exception as e:\n    print({i}, repr(e))\n")
    return "".join(parts)


@pytest.mark.parametrize("board", ["v1", "v2"])
def test_messages_are_the_firmwares(board: str) -> None:
    """Each statement raises what the firmware raised, in its words and type."""
    text = "".join(run_program(program(first), board=board, time_limit_ms=30_000).text
                   for first in range(0, len(ROWS), ROWS_A_PROGRAM))
    got = {}
    for line in text.splitlines():
        number, _, rest = line.partition(" ")
        if number.isdigit():
            got[int(number)] = rest.split("\n")[0]
    wrong = []
    for i, (statement, v1, v2) in enumerate(ROWS):
        expected = v1 if board == "v1" else v2
        want = "ok" if expected is None else expected
        if got.get(i) != want:
            wrong.append(f"{statement}: firmware {want!r}, board {got.get(i)!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("board", ["v1", "v2"])
def test_too_few_arguments_counted_as_the_firmware_counts_them(board: str) -> None:
    # 1.9.2 and 1.18 py/bc.c; the V1's own output: tests/fidelity/expected/197_*.txt
    result = run_program("""def jump(height):
    pass
class Player:
    def __init__(self, name, lives):
        pass
    @staticmethod
    def s(x):
        pass
def g(a, b, c):
    pass
moves = {"j": jump}
for text in ('moves["j"]()', 'Player("ann")', 'Player("a", 1).s()', 'g(b=2)'):
    try:
        eval(text)
    except TypeError as e:
        print(e)
moves["j"]()
""", board=board)
    assert result.status == "error"
    assert result.text.splitlines()[:4] == [
        "function takes 1 positional arguments but 0 were given",
        "function takes 3 positional arguments but 2 were given",
        "function takes 1 positional arguments but 0 were given",
        "function missing required positional argument #2"]
    assert result.text.splitlines()[-1] == \
        "TypeError: function takes 1 positional arguments but 0 were given"  # not a crash
