"""Small language differences of the firmware a user notices (mpsemantics.py).

Each program prints what the V1 (MicroPython 1.9.2) or V2 (1.18) firmware prints
(recorded in ``firmware-v2-observed`` and ``tests/fidelity/expected``), not CPython's.
"""

from __future__ import annotations

import ast
from types import CodeType

import pytest

from tests.sim.runner import run_program
from ubit.sim.micropython import compiler, mpsemantics
from ubit.sim.micropython.mprepr import Printer
from ubit.sim.shared.boards import BOARDS

BOTH = ("v1", "v2")
TRY = """def t(text):
    try:
        print(repr(eval(text)))
    except Exception as e:
        print(repr(e))
"""


def output(source: str, board: str) -> list[str]:
    """The lines ``source`` prints on a fresh virtual ``board``."""
    result = run_program(source, board=board, time_limit_ms=60_000)
    assert result.status == "ok", result.text
    return result.text.splitlines()


@pytest.mark.parametrize("board", BOTH)
def test_case_methods_know_only_ascii(board: str) -> None:
    lines = output("""s = 'caf\\xe9 stra\\xdfe \\u03b1'
print(repr(s.upper()), repr('\\xc9T\\xc9'.lower()), repr('Abc'.upper()), 'Abc'.lower())
print('\\xe9'.isalpha(), '\\xb2'.isdigit(), 'A\\xe9'.isupper(), '\\xe9'.isupper(),
      'a\\xe9'.islower())
print('\\xa0'.isspace(), '\\x1c'.isspace(), ' \\t\\n'.isspace(), ''.isspace(), 'ab'.isalpha())
""", board)
    assert lines == ["'CAF\\xe9 STRA\\xdfE \\u03b1' '\\xc9t\\xc9' 'ABC' abc",
                     "False False True False True",
                     "False False True False True"]


def test_int_and_float_of_text_on_v1() -> None:
    lines = output(TRY + """for text in ["int('1_000')", "int('0x1f')", "int('\\u0661')",
             "int(' 7 ')", "int('0x_ff')", "int('12', 36)", "float('1_0')", "float(b'2.5')",
             "float('2.5')"]:
    t(text)
""", "v1")
    assert lines == ["ValueError('invalid syntax for integer with base 10',)", "31",
                     "ValueError('invalid syntax for integer with base 10',)", "7",
                     "ValueError('invalid syntax for integer with base 16',)", "38",
                     "ValueError('invalid syntax for number',)",
                     "TypeError(\"can't convert bytes to float\",)", "2.5"]


def test_int_of_text_on_v2_takes_underscores() -> None:
    lines = output(TRY + """for text in ["int('1_000')", "int('0x1f')", "int('\\u0661')",
             "float('1_0')"]:
    t(text)
""", "v2")
    assert lines == ["1000", "31", "ValueError('invalid syntax for integer with base 10',)", "10.0"]


@pytest.mark.parametrize("board", BOTH)
def test_bytes_take_a_str(board: str) -> None:
    lines = output("""print(b'ab' + 'cd', 'a' in b'abc', 'z' not in b'abc', 'ab' + 'cd')
""", board)
    assert lines == ["b'abcd' True True abcd"]


@pytest.mark.parametrize("board", BOTH)
def test_exceptions_are_not_chained(board: str) -> None:
    lines = output("""try:
    try:
        1 / 0
    except ZeroDivisionError as inner:
        raise ValueError('outer') from inner
except ValueError as e:
    print(getattr(e, '__cause__', '-'), hasattr(e, '__context__'), hasattr(e, '__traceback__'))
    try:
        e.__context__
    except AttributeError as err:
        print(err)
""", board)
    assert lines == ["- False False", "'ValueError' object has no attribute '__context__'"]


@pytest.mark.parametrize("board", BOTH)
def test_super_searches_the_bases_depth_first(board: str) -> None:
    lines = output("""class Base:
    def __init__(self):
        self.tag = 'base'
    def hello(self):
        return ['Base']
class Left(Base):
    def hello(self):
        return ['Left'] + super().hello()
class Right(Base):
    def hello(self):
        return ['Right'] + super().hello()
class Child(Left, Right):
    def __init__(self):
        super().__init__()
    def hello(self):
        return ['Child'] + super().hello()
c = Child()
print(c.hello(), c.tag, Right().hello(), hasattr(Child, '__mro__'))
try:
    super()
except TypeError as e:
    print(e)
""", board)
    assert lines == ["['Child', 'Left', 'Base'] base ['Right', 'Base'] False",
                     "function takes 2 positional arguments but 0 were given"]


@pytest.mark.parametrize("board", BOTH)
def test_dict_views_have_no_len(board: str) -> None:
    lines = output("""d = {'a': 1}
for view in (d.keys(), d.values(), d.items()):
    try:
        print(len(view))
    except TypeError as e:
        print(e)
print(d.keys(), d.items(), type(d.values()), 'a' in d.keys(), list(d.values()))
""", board)
    assert lines == ["object of type 'dict_view' has no len()"] * 3 + [
        "dict_keys(['a']) dict_items([('a', 1)]) <class 'dict_view'> True [1]"]


def test_sequences_of_two_types_compare_false_on_v1() -> None:
    lines = output(TRY + """for text in ['[1] < (1,)', '(1, 2) > [1, 3]', '[1] < 5',
             '[1, 2] < [1, 3]', '(1, 2) <= (1, 2)', "(1, 'a') < (1, 2)"]:
    t(text)
""", "v1")
    assert lines == ["False", "False", "False", "True", "True",
                     "TypeError(\"unsupported types for __gt__: 'int', 'str'\",)"]


def test_sequences_of_two_types_dont_compare_on_v2() -> None:
    lines = output(TRY + "t('[1] < (1,)')\n", "v2")
    assert lines == ["TypeError(\"unsupported types for __lt__: 'list', 'tuple'\",)"]


@pytest.mark.parametrize("board", BOTH)
def test_bool_is_no_int(board: str) -> None:
    lines = output("""print(isinstance(True, int), isinstance(True, (int, bool)),
      isinstance(5, int), issubclass(bool, int), isinstance(False, object), True & False,
      True | False, 1 & 3)
""", board)
    assert lines == ["False True True False True 0 1 1"]


@pytest.mark.parametrize(("board", "hashes"), [
    ("v1", "-1 -1073741824 0 196 196 1 180619"),
    ("v2", "-1 -1073741824 0 46532 46532 1 30075"),
])
def test_hash_values(board: str, hashes: str) -> None:
    lines = output("print(hash(-1), hash(2**30), hash(2**40), hash('a'), hash(b'a'), "
                   "hash(1.5), hash((1, 2)))\n", board)
    assert lines == [hashes]


@pytest.mark.parametrize(("board", "tuple_prefix"), [
    ("v1", "False"), ("v2", "TypeError(\"can't convert 'tuple' object to str implicitly\",)")])
def test_startswith_takes_no_tuple(board: str, tuple_prefix: str) -> None:
    lines = output(TRY + """for text in ["'abc'.startswith(('x', 'a'))", "'abc'.endswith('bc', 1)",
             "'abc'.startswith('b', 1)", "'abc'.endswith('c')"]:
    t(text)
""", board)
    assert lines == [tuple_prefix, "NotImplementedError('start/end indices',)", "True", "True"]


def compiled(source: str, on: bool, monkeypatch: pytest.MonkeyPatch) -> CodeType:
    """``source`` compiled for a V1 after the board made its builtins, rewrites on or off."""
    monkeypatch.setenv("UBIT_MP_SEMANTICS", "1" if on else "0")
    mpsemantics.install({}, BOARDS["v1"], Printer(BOARDS["v1"]))  # reads the switch
    try:
        return compiler.compile_user(source, "main.py", BOARDS["v1"])
    finally:
        mpsemantics.ENABLED[0] = True


def test_off_switch_keeps_cpython(monkeypatch: pytest.MonkeyPatch) -> None:
    source = "print('\\xe9'.upper(), isinstance(True, int), b'a' + 'b')\n"
    assert {"__mp_upper__", "__mp_isinstance__", "__mp_bytesadd__"} <= set(
        compiled(source, True, monkeypatch).co_names)
    assert not any(name.startswith("__mp_") for name in compiled(source, False,
                                                                 monkeypatch).co_names)


def numbers(code: CodeType) -> list[float]:
    """The numeric constants of ``code`` and the code inside it (the cost model's charges)."""
    found = []
    for const in code.co_consts:
        if isinstance(const, CodeType):
            found += numbers(const)
        elif type(const) in (int, float):
            found.append(const)
    return sorted(found)


def test_board_time_is_the_same_with_the_helpers(monkeypatch: pytest.MonkeyPatch) -> None:
    # the cost model charges a helper call as the construct the source had
    source = """def f(n):
    for i in range(n):
        s = 'Hi' if i & 1 else 'abc'
        n += len(s.upper()) + s.isdigit() + int('5') + isinstance(s, int) + ((1,) < (2,))
    return n
print(f(10))
"""
    on, off = compiled(source, True, monkeypatch), compiled(source, False, monkeypatch)
    inner = next(c for c in on.co_consts if isinstance(c, CodeType))
    assert "__mp_upper__" in inner.co_names
    assert numbers(on) == numbers(off)


def test_everyday_code_compiles_unchanged() -> None:
    # int(x / 2), str + str, i & 3, x < y, s.upper('x')...: nothing to rewrite
    source = """def f(x, s, items):
    total = int(x / 2) + int(len(s)) + (x & 3) + int(round(x))
    if x < 5 and [1] == items:
        s = s + ':' + str(x)
    return s.split(',') + s.strip().split(), total, isinstance(s, str), s.startswith('a')
"""
    dumps = []
    for on in (True, False):
        mpsemantics.ENABLED[0] = on
        try:
            tree = ast.parse(source)
            compiler.MicroPythonPass(source, "main.py", BOARDS["v2"]).run(tree)
        finally:
            mpsemantics.ENABLED[0] = True
        dumps.append(ast.dump(tree))
    assert dumps[0] == dumps[1]


@pytest.mark.parametrize("board", BOTH)
def test_ints_stored_in_a_bytearray_keep_their_low_byte(board: str) -> None:
    # mp_binary_set_val_array (1.9.2 and 1.18 py/binary.c) keeps an int's low byte, a big
    # int's too; the V1's own output is tests/fidelity/expected/195_bytearray_stores.txt
    lines = output("""b = bytearray(2)
b[0] = 257
b[1] = 2 ** 40 - 1
print(b)
b[0] += 300
print(b)
b.append(2 ** 40 + 7)
print(b)
L = [0]
L[0] = 300
d = {}
d[1] = 300
print(L, d)
try:
    b[0] = 1.5
except TypeError as e:
    print(e)
""", board)
    assert lines == ["bytearray(b'\\x01\\xff')", "bytearray(b'-\\xff')",
                     "bytearray(b'-\\xff\\x07')", "[300] {1: 300}", "can't convert float to int"]


def test_a_memoryview_of_bytes_stores_the_low_byte_on_v2() -> None:
    lines = output("""b = bytearray(3)
m = memoryview(b)
m[0] = 300
m[1:2][0] = -1
print(b)
""", "v2")
    assert lines == ["bytearray(b',\\xff\\x00')"]


def test_enumerate_ignores_keywords_on_v1() -> None:
    # 1.9.2 py/objenumerate.c without MICROPY_CPYTHON_COMPAT; the V1 firmware under QEMU
    # printed exactly these lines (V2's enumerate takes start=)
    source = """for i, name in enumerate(['Ann', 'Bob'], start=1):
    print(i, name)
print(list(enumerate('ab', 5)), list(enumerate(iterable='xy'))[:3])
"""
    assert output(source, "v1") == ["0 Ann", "1 Bob", "[(5, 'a'), (6, 'b')] "
                                    "[(0, 'i'), (1, 't'), (2, 'e')]"]
    assert output(source, "v2") == ["1 Ann", "2 Bob", "[(5, 'a'), (6, 'b')] "
                                    "[(0, 'x'), (1, 'y')]"]


@pytest.mark.parametrize("board", BOTH)
def test_replace_with_a_non_str_says_it_cant_convert(board: str) -> None:
    lines = output("""for old, new in (('5', 6), (None, '6')):
    try:
        '5 apples'.replace(old, new)
    except TypeError as e:
        print(e)
""", board)
    assert lines == ["can't convert 'int' object to str implicitly",
                     "can't convert 'NoneType' object to str implicitly"]


@pytest.mark.parametrize("board", BOTH)
def test_a_str_method_may_return_any_object(board: str) -> None:
    # instance_print prints what __str__/__repr__ returned as str() would (py/objtype.c,
    # 1.9.2 and 1.18); CPython refuses it. V1: tests/fidelity/expected/198_*.txt
    lines = output("""class Score:
    def __str__(self):
        return 3
class R:
    def __repr__(self):
        return None
print("Score:", Score(), str(Score()) + "!", [R()], '%s' % R())
""", board)
    assert lines == ["Score: 3 3! [None] None"]


def test_print_has_no_file_argument() -> None:
    # neither firmware has MICROPY_PY_IO: the V1 (1.9.2) prints to serial and leaves the
    # file empty (as the firmware under QEMU does), the V2 (1.18) refuses the keyword
    source = """f = open('log.txt', 'w')
try:
    print('score', 5, file=f)
except TypeError as e:
    print(repr(e))
f.close()
print(repr(open('log.txt').read()))
"""
    assert output(source, "v1") == ["score 5", "''"]
    assert output(source, "v2") == ["TypeError('extra keyword arguments given',)", "''"]


@pytest.mark.parametrize(("board", "words"), [("v1", "does not"), ("v2", "doesn't")])
def test_builtins_without_keywords_refuse_them(board: str, words: str) -> None:
    # mp_arg_check_num (1.9.2 and 1.18 py/argcheck.c); V1: tests/fidelity/expected/199_*.txt
    lines = output("""for text in ("int('101', base=2)", "round(2.5, ndigits=1)",
             "sum([1], start=2)"):
    try:
        print(eval(text))
    except TypeError as e:
        print(e)
print(sorted([1, 2], reverse=True))
def int(*a, **k):
    return 'own'
print(int(base=3))
""", board)
    assert lines == [f"function {words} take keyword arguments"] * 3 + ["[2, 1]", "own"]


@pytest.mark.parametrize("board", BOTH)
def test_print_writes_the_arguments_before_a_failing_one(board: str) -> None:
    # mp_builtin_print prints each argument as it goes (1.9.2 and 1.18 py/modbuiltins.c);
    # V1: tests/fidelity/expected/210_print_partial.txt
    lines = output("""class G:
    def __str__(self):
        return 'S' + 1
try:
    print('a', 'b', G(), 'c')
except TypeError as e:
    print('|', e)
""", board)
    assert lines == ["a b | can't convert 'int' object to str implicitly"]


def test_a_tuple_from_the_accelerometer_against_a_number() -> None:
    # 1.9.2 answers False for a tuple or list ordered against another type (the V1
    # firmware under QEMU: tests/fidelity/expected/211_*.txt); 1.18 refuses it
    source = """from microbit import *
values = (1, 2)
print(accelerometer.get_values() > 300, values < 300)
"""
    assert output(source, "v1") == ["False False"]
    result = run_program(source, board="v2")
    assert result.text.splitlines()[-1] == "TypeError: unsupported types for __gt__: 'tuple', 'int'"
