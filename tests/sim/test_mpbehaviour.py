"""MicroPython behaviour of the virtual board's language layer: numbers, text, errors, syntax.

Every expected value here was printed by the real V1 firmware under QEMU
(``tests/fidelity`` records whole programs; these pin the pieces): the float
formatter and literal parser ported from MicroPython 1.9, ``%`` and
``str.format``, the unstable sort, message translation and the parser's lines.
"""

from __future__ import annotations

import struct

import pytest

from tests.sim.runner import run_program
from ubit.sim.micropython import compiler, mperrors, tracebacks
from ubit.sim.micropython.mpfloat import format_float, mp_format_float, parse_float, stored_float
from ubit.sim.micropython.mprepr import Printer
from ubit.sim.micropython.v1quirks import sort_list
from ubit.sim.shared.boards import V1, V2

V1_PRINTER = Printer(V1.float_digits, v1=True)


def bits(x: float) -> int:
    return struct.unpack("<I", struct.pack("<f", x))[0]


@pytest.mark.parametrize(("value", "text"), [
    (1 / 3, "0.333333"), (2 / 3, "0.666667"), (0.1 + 0.2, "0.3"), (1e16, "1e+16"),
    (1e20, "1e+20"), (123456789.0, "1.23457e+08"), (1e-5, "1e-05"), (100.0, "100.0"),
    (-0.0, "-0.0"), (float("nan"), "nan"), (float("-inf"), "-inf"), (12345.678, "12345.7"),
    (123456.7, "123457.0"), (2 ** 0.5, "1.41421"), (6.02e23, "6.02e+23"),
])
def test_float_repr_v1(value: float, text: str) -> None:
    assert format_float(value, 6) == text


def test_float_repr_v2_has_seven_digits() -> None:
    assert format_float(1 / 3, 7) == "0.3333333"
    assert format_float(2 / 3, 7) == "0.6666667"


def test_v1_floats_lose_two_mantissa_bits() -> None:
    assert int(stored_float(1e10, boxed=True)) == 9999998976  # int(1e10) on the V1
    assert int(stored_float(1e10, boxed=False)) == 10000000000


@pytest.mark.parametrize(("text", "stored_bits"), [
    ("0.35", 1051931444), ("0.001234", 983678508), ("12345.678", 1178658484),
    ("1e-5", 925353388), ("6.02e23", 1727984888), ("3.14159265", 1078530008),
])
def test_float_literals_parse_as_on_the_v1(text: str, stored_bits: int) -> None:
    assert bits(stored_float(parse_float(text), boxed=True)) == stored_bits


@pytest.mark.parametrize(("value", "fmt", "prec", "text"), [
    (1 / 3, "f", 10, "0.3333332539"),
    (12345.678, "f", 2, "12345.67"),  # 'f' with 2+ integer digits doesn't round
    (12345.678, "f", 1, "12345.6"),
    (0.25, "f", 1, "0.3"),
    (1e-5, "f", 2, "0.00"),
    (1e10, "f", 2, "9999999046.32"),
    (6.02e23, "f", 8, "601999998092651367187500.000000"),  # precision cut to the buffer
    (12345.678, "e", 6, "1.234568e+04"),
    (1234.5, "g", 3, "1.23e+03"),
    (0.0001, "g", 6, "0.0001"),
])
def test_mp_format_float(value: float, fmt: str, prec: int, text: str) -> None:
    f = stored_float(parse_float(repr(value)) if value == 1e-5 else value, boxed=True)
    assert mp_format_float(f, 32, fmt, prec) == text


@pytest.mark.parametrize(("pattern", "values", "text"), [
    ("%.2f", 3.14159, "3.14"), ("%.0f", 2.5, "3"), ("%e", 12345.678, "1.234568e+04"),
    ("%5.2f|%-8.3f|%08.2f", (3.14159, 2.5, -1.5), " 3.14|2.500   |-0001.50"),
    ("%s %s %r", (1 / 3, 2.0, 0.1), "0.333333 2.0 0.1"), ("%d %i", (3.99, -2.5), "3 -2"),
    ("%+.1f %+d", (2.25, 5), "+2.3 +5"), ("%.3f%%", 12.3456, "12.346%"),
    ("%s|%5s|%-5s|", ("\xe9", "\xe9", "\xe9"), "\xe9|   \xe9|\xe9   |"),  # pads UTF-8 bytes
    ("%d %5d| %-5d| %05d %x %X %o %c %%", (42, 42, 42, 42, 255, 255, 8, 65),
     "42    42| 42   | 00042 ff FF 10 A %"),
    ("%(a)s-%(b)d", {"a": "x", "b": 2}, "x-2"),
])
def test_percent(pattern: str, values: object, text: str) -> None:
    assert V1_PRINTER.percent(pattern, values) == text


@pytest.mark.parametrize(("pattern", "args", "text"), [
    ("{}", (1 / 3,), "0.333333"), ("{:.2f}", (2 / 3,), "0.67"), ("{:.0f}", (2.5,), "3"),
    ("{:10.3f}|", (3.14159,), "     3.142|"), ("{:%}", (0.25,), "25.000000%"),
    ("{:.1%}", (1 / 3,), "33.3%"), ("{:g}", (1234567.0,), "1.23457e+06"),
    ("{:>5}|{:<5}|{:^5}|{:*^7}|", (1, 2, 3, "x"), "    1|2    |  3  |***x***|"),
    ("{:05d} {:x} {:X} {:o} {:b} {:,}", (42, 255, 255, 8, 5, 1234567),
     "00042 ff FF 10 101 1,234,567"),
    ("{} and {}", ([1.5, 1 / 3], (2.5,)), "[1.5, 0.333333] and (2.5,)"),
])
def test_str_format(pattern: str, args: tuple, text: str) -> None:
    assert V1_PRINTER.format(pattern, args, {}) == text


@pytest.mark.parametrize(("call", "error"), [
    (lambda: V1_PRINTER.percent("%s-%s", ("a",)),
     "TypeError: not enough arguments for format string"),
    (lambda: V1_PRINTER.percent("%d", "x"), "TypeError: can't convert str to int"),
    (lambda: V1_PRINTER.percent("%y", 1),
     "ValueError: unsupported format character 'y' (0x79) at index 1"),
    (lambda: V1_PRINTER.format("{} {}", (1,), {}), "IndexError: tuple index out of range"),
    (lambda: V1_PRINTER.format("{:d}", (1.5,), {}),
     "ValueError: unknown format code 'd' for object of type 'float'"),
    (lambda: V1_PRINTER.format("{0[1]}", ([7, 8],), {}),
     "NotImplementedError: attributes not supported yet"),
])
def test_formatting_errors(call, error: str) -> None:
    with pytest.raises(Exception) as caught:
        call()
    assert f"{type(caught.value).__name__}: {caught.value}" == error


@pytest.mark.parametrize(("value", "text"), [
    (ValueError("x"), "ValueError('x',)"), (KeyError("k"), "KeyError('k',)"),
    (print, "<function>"), (len, "<function>"), ([].append, "<bound_method>"),
    (object(), "<object>"), (iter([]), "<iterator>"), (map(abs, []), "<map>"),
    ({1: 2}.keys(), "dict_keys([1])"), (type({}.keys()), "<class 'dict_view'>"),
    ("caf\xe9", "'caf\\xe9'"), (["caf\xe9", 0.5], "['caf\\xe9', 0.5]"),
    (frozenset([1.5]), "frozenset({1.5})"), (type(print), "<class 'function'>"),
])
def test_reprs(value: object, text: str) -> None:
    assert V1_PRINTER.repr(value) == text


def test_str_of_exceptions() -> None:
    assert V1_PRINTER.str(KeyError("k")) == "k"
    assert V1_PRINTER.str(ValueError()) == ""
    assert V1_PRINTER.str(ValueError("a", 2)) == "('a', 2)"


def test_sort_is_the_firmware_s_unstable_quicksort() -> None:
    words = ["pear", "fig", "banana", "kiwi"]
    sort_list(words, key=len)
    assert words == ["fig", "kiwi", "pear", "banana"]  # CPython: fig, pear, kiwi, banana
    numbers = [5, 3, 8, 1]
    sort_list(numbers, reverse=True)
    assert numbers == [8, 5, 3, 1]


@pytest.mark.parametrize(("cpython", "v1"), [
    ("name 'y' is not defined", "name 'y' is not defined"),
    ("unsupported operand type(s) for +: 'int' and 'str'",
     "unsupported types for __add__: 'int', 'str'"),
    ("unsupported operand type(s) for *: 'list' and 'float'",
     "unsupported types for : 'list', 'float'"),
    ("unsupported operand type(s) for +=: 'int' and 'str'", "unsupported types for : 'int', 'str'"),
    ("unsupported operand type(s) for +: 'float' and 'str'", "can't convert str to float"),
    ("'<' not supported between instances of 'str' and 'int'",
     "can't convert 'int' object to str implicitly"),
    ("can only concatenate str (not \"int\") to str",
     "can't convert 'int' object to str implicitly"),
    ("can only concatenate list (not \"tuple\") to list",
     "unsupported types for __add__: 'list', 'tuple'"),
    ("invalid literal for int() with base 10: 'x'", "invalid syntax for integer with base 10"),
    ("could not convert string to float: 'abc'", "invalid syntax for number"),
    ("integer division or modulo by zero", "division by zero"),
    ("float modulo", "division by zero"),
    ("5 is not in list", "object not in sequence"),
    ("cannot access local variable 'x' where it is not associated with a value",
     "local variable referenced before assignment"),
    ("unhashable type: 'list'", "unsupported type for __hash__: 'list'"),
    ("bad operand type for unary -: 'str'", "unsupported type for : 'str'"),
    ("not enough values to unpack (expected 2, got 1)", "need more than 1 values to unpack"),
    ("list.append() takes exactly one argument (0 given)",
     "function takes 2 positional arguments but 1 were given"),
    ("int() takes at most 2 arguments (3 given)", "function expected at most 2 arguments, got 3"),
    ("module 'math' has no attribute 'nope'", "'module' object has no attribute 'nope'"),
    ("'builtin_function_or_method' object is not subscriptable",
     "'function' object is not subscriptable"),
])
def test_message_translation_v1(cpython: str, v1: str) -> None:
    assert mperrors.translate(cpython, V1) == v1


def test_message_translation_v2_words() -> None:
    assert mperrors.translate("name 'y' is not defined", V2) == "name 'y' isn't defined"
    assert mperrors.translate("'int' object is not callable", V2) == "'int' object isn't callable"
    assert mperrors.translate("division by zero", V2) == "divide by zero"


def syntax_error(source: str, spec=V1) -> str:
    """The traceback's last two lines for ``source`` as main.py."""
    with pytest.raises(SyntaxError) as caught:
        compiler.compile_user(source, spec.main_source_name, spec)
    return "\n".join(tracebacks.format_traceback(caught.value, spec).splitlines()[1:])


@pytest.mark.parametrize(("source", "where", "message"), [
    ("print('a')\nif x\n", "line 3", "SyntaxError: invalid syntax"),  # the newline's line
    ("for i in range(3)\n    print(i)\n", "line 2", "SyntaxError: invalid syntax"),
    ("values = [1, 2, 3\nprint(values)\n", "line 2", "SyntaxError: invalid syntax"),
    ("x = (1, 2\n", "line 2", "SyntaxError: invalid syntax"),
    ("name = 'x'\nprint(f'{name}')\n", "line 2",
     "SyntaxError: cannot mix bytes and nonbytes literals"),
    ("print 'hello'\n", "line 1", "SyntaxError: cannot mix bytes and nonbytes literals"),
    ("x = 1\n  y = 2\n", "line 2", "IndentationError: unexpected indent"),
    ("if True:\nprint(1)\n", "line 2", "SyntaxError: invalid syntax"),
    ("if (n := 3) > 2:\n    pass\n", "line 1", "SyntaxError: invalid syntax"),
    ("x = 1_000\n", "line 1", "SyntaxError: invalid syntax"),
    ("a = 1j\n", "line 1", "SyntaxError: complex values not supported"),
    ("a = [1]\nb = [*a, 9]\n", "line 2, in <module>", "SyntaxError: *x must be assignment target"),
    ("def f():\n    return *a, 1\n", "line 2", "SyntaxError: invalid syntax"),
    ("print('start')\nif True:\n    return 5\n", "line 3, in <module>",
     "SyntaxError: 'return' outside function"),
    ("def f(a, a):\n    pass\n", "line 2, in f", "SyntaxError: name reused for argument"),
    ("def f():\n    x = 1\n    global x\n", "line 3, in f",
     "SyntaxError: identifier redefined as global"),
    ("def s(*a):\n    pass\ns(*[1], 2)\n", "line 3, in <module>",
     "SyntaxError: non-keyword arg after */**"),
    ("try:\n    x = 1\nexcept:\n    pass\nexcept ValueError:\n    pass\n",
     "line 1, in <module>", "SyntaxError: default 'except:' must be last"),
])
def test_syntax_errors_v1(source: str, where: str, message: str) -> None:
    assert syntax_error(source) == f'  File "__main__", {where}\n{message}'


def test_tabs_count_to_the_next_multiple_of_eight() -> None:
    compiler.compile_user("def f():\n\treturn 1\n        return 2\n", "__main__", V1)


def test_v2_refuses_f_strings_with_invalid_syntax() -> None:
    assert syntax_error("x = 1\nprint(f'{x}')\n", V2) == \
        '  File "main.py", line 2\nSyntaxError: invalid syntax'


def run_v1(source: str) -> str:
    return run_program(source, board="v1").text


def test_rewritten_constructs_behave_as_on_the_v1() -> None:
    assert run_v1(
        "print(str(1/3), str(2.0), '%.1f' % 0.25, '{:.1f}'.format(0.25))\n"
        "print(round(2.5), round(1234.5678, 2), hash('a'))\n"
        "for f in (lambda: 'abc'[::-1], lambda: 'abc'.title(), lambda: next(iter([]), 5),\n"
        "          lambda: pow(2, 3, 5), lambda: int('x'), lambda: (1).bit_length()):\n"
        "    try:\n        f()\n    except Exception as e:\n        print(repr(e))\n"
    ) == ("0.333333 2.0 0.3 0.3\n2 1234.57 196\n"
          "NotImplementedError('only slices with step=1 (aka None) are supported',)\n"
          "AttributeError(\"'str' object has no attribute 'title'\",)\n"
          "TypeError('function takes 1 positional arguments but 2 were given',)\n"
          "NotImplementedError('3-arg pow() not supported',)\n"
          "ValueError('invalid syntax for integer with base 10',)\n"
          "AttributeError(\"'int' object has no attribute 'bit_length'\",)\n")


def test_caught_messages_are_the_firmware_s() -> None:
    assert run_v1(
        "for f in (lambda: 1 + 'a', lambda: [].pop(), lambda: {}['k'], lambda: 1 // 0):\n"
        "    try:\n        f()\n    except Exception as e:\n        print(e, e.args)\n"
    ) == ("unsupported types for __add__: 'int', 'str' "
          "(\"unsupported types for __add__: 'int', 'str'\",)\n"
          "pop from empty list ('pop from empty list',)\n"
          "k ('k',)\ndivision by zero ('division by zero',)\n")


def test_v1_operator_methods() -> None:
    assert run_v1(
        "class N:\n    def __add__(self, o):\n        return 1\n"
        "    def __mul__(self, o):\n        return 2\n"
        "n = N()\nprint(n + 1, n.__mul__(3))\n"
        "for f in (lambda: n * 3, lambda: -n):\n"
        "    try:\n        f()\n    except TypeError as e:\n        print(e)\n"
        "n += 1\n"
    ).endswith("1 2\nunsupported types for : 'N', 'int'\nunsupported type for : 'N'\n"
               "Traceback (most recent call last):\n  File \"__main__\", line 13, in <module>\n"
               "TypeError: unsupported types for : 'N', 'int'\n")


def test_v1_introspection_attributes_are_missing() -> None:
    assert run_v1("class A:\n    pass\nprint(A.__name__)\n").endswith(
        "AttributeError: type object 'A' has no attribute '__name__'\n")


def test_str_and_int_stay_cpython_types() -> None:
    assert run_v1(
        "print(type('x') is str, type(5) is int, isinstance('x', str), str, int)\n"
        "class S(str):\n    pass\n"
        "print(isinstance(S('a'), str), S('a') + 'b', str(b'ab', 'utf8'), int('ff', 16))\n"
    ) == "True True True <class 'str'> <class 'int'>\nTrue ab ab 255\n"


def test_v2_keeps_its_own_wording() -> None:
    result = run_program("print(1/3, repr(1/3))\nprint(undefined)\n", board="v2")
    assert result.text == ("0.3333333 0.3333333\nTraceback (most recent call last):\n"
                           '  File "main.py", line 2, in <module>\n'
                           "NameError: name 'undefined' isn't defined\n")
