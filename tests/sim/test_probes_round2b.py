"""Language behaviour the firmware shows in firmware-v2-observed 099-178 (second half).

Each program is a beginner-sized use of a construct; the expected text is what the
firmware printed for the probe named in the test.
"""

from __future__ import annotations

import pytest

from tests.sim.runner import run_program

BOARDS = ["v1", "v2"]


def _run(source: str, board: str) -> str:
    return run_program(source, board=board, time_limit_ms=10_000).text


@pytest.mark.parametrize("board", BOARDS)
def test_gt_is_not_reflected_to_lt(board: str) -> None:
    """111: a class with only __lt__ can't be compared with >."""
    source = ("class V:\n    def __init__(self, x): self.x = x\n"
              "    def __lt__(self, o): return self.x < o.x\n"
              "a, b = V(1), V(2)\nprint(a < b)\n"
              "try:\n    b > a\nexcept TypeError as e:\n    print(repr(e))\n")
    assert _run(source, board) == ("True\nTypeError(\"unsupported types for __gt__: 'V', "
                                   "'V'\",)\n")


def test_exit_sees_the_firmware_message() -> None:
    """170: the exception handed to __exit__ is the firmware's."""
    source = ("class CM:\n    def __enter__(self): return self\n"
              "    def __exit__(self, t, v, tb):\n        print(repr(v))\n        return True\n"
              "with CM():\n    1 / 0\n")
    assert _run(source, "v2") == "ZeroDivisionError('divide by zero',)\n"


def test_instance_dict_in_hash_order() -> None:
    """106: an instance's __dict__ prints in the firmware's table order."""
    source = ("class A:\n    def __init__(self): self.v = 3\n"
              "a = A()\na.w = 'x'\nprint(a.__dict__)\na.__dict__['z'] = 1\nprint(a.z)\n")
    assert _run(source, "v2") == "{'w': 'x', 'v': 3}\n1\n"


@pytest.mark.parametrize("board", BOARDS)
def test_call_forms(board: str) -> None:
    """177, 104, 121, 105: repeated keywords, max default, bytearray.extend, reversed(dict)."""
    source = ("print(dict(a=1, **{'a': 2}))\nprint(max(1, 2, default=0))\n"
              "print(list(reversed(['x', 'y'])))\n"
              "try:\n    list(reversed({'a': 1, 'b': 2}))\nexcept KeyError as e:\n"
              "    print(repr(e))\n"
              "try:\n    {1: 2} | {3: 4}\nexcept TypeError as e:\n    print(repr(e))\n"
              "b = bytearray(b'a')\nb.extend(b'b')\nprint(b)\n"
              "try:\n    b.extend([1])\nexcept TypeError as e:\n    print(repr(e))\n")
    assert _run(source, board) == (
        "{'a': 2}\n2\n['y', 'x']\nKeyError(1,)\n"
        "TypeError(\"unsupported types for : 'dict', 'dict'\",)\nbytearray(b'ab')\n"
        "TypeError('object with buffer protocol required',)\n")


@pytest.mark.parametrize(("board", "expected"), [
    ("v1", "ImportError(\"no module named 'os'\",)\nValueError('cannot perform relative import',)\n"
           "AttributeError(\"'frozenset' has no such attribute\",)\n"),
    ("v2", "ImportError(\"no module named 'os.path'\",)\n"
           "ImportError(\"can't perform relative import\",)\n"
           "AttributeError(\"'frozenset' object has no attribute 'add'\",)\n"),
])
def test_import_and_frozenset_wording(board: str, expected: str) -> None:
    """130, 178: dotted and relative imports, a frozenset's mutating method."""
    source = ("for c in ['import os.path', 'from . import x', 'frozenset([1]).add(2)']:\n"
              "    try:\n        exec(c)\n    except Exception as e:\n        print(repr(e))\n")
    assert _run(source, board) == expected


def test_v2_wording_and_reprs() -> None:
    """116, 118, 120, 169, 108, 100: messages and reprs of the 1.18 core."""
    source = ("def t(s):\n    try:\n        print(repr(eval(s)))\n"
              "    except Exception as e:\n        print(repr(e))\n"
              "for s in [\"str('x', 'utf8')\", \"str(b'\\\\xff', 'utf8')\", \"bytes('ab')\",\n"
              "          'bytes(1.5)', \"b'abc'.index(b'z')\", 'memoryview(5)',\n"
              "          'property(len)']:\n    t(s)\n"
              "try:\n    a, *b, c = [1]\nexcept ValueError as e:\n    print(repr(e))\n"
              "async def f(): pass\nprint(type(f()))\n")
    assert _run(source, "v2") == (
        "'x'\nUnicodeError()\nTypeError('wrong number of arguments',)\n"
        "TypeError(\"'float' object isn't iterable\",)\nValueError('substring not found',)\n"
        "TypeError('object with buffer protocol required',)\n<property>\n"
        "ValueError('need more than 1 values to unpack',)\n<class 'generator'>\n")


def test_v1_neopixel_has_no_setitem_attribute() -> None:
    """162: V1's C NeoPixel takes np[i] = c but has no __setitem__ attribute."""
    source = ("from microbit import pin0\nimport neopixel\nnp = neopixel.NeoPixel(pin0, 2)\n"
              "np[0] = (1, 2, 3)\nprint(np[0])\n"
              "try:\n    np.__setitem__(0, (1, 2, 3))\nexcept AttributeError as e:\n"
              "    print(repr(e))\n")
    assert _run(source, "v1") == ("(1, 2, 3)\nAttributeError(\"'NeoPixel' object has no "
                                  "attribute '__setitem__'\",)\n")
