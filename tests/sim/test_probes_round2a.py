"""Built-in objects as the firmware has them (firmware-v2-observed 007-112; mpobjects.py)."""

from __future__ import annotations

import pytest

from tests.sim.runner import run_program

# Each program prints what a user would see; expected texts are the firmware's recordings.
TRY = """
def t(s):
    try:
        print(repr(eval(s)))
    except Exception as e:
        print(repr(e))
"""


def run(body: str, board: str = "v2") -> list[str]:
    """The lines ``body`` prints on a virtual ``board``."""
    return run_program(TRY + body, board=board, time_limit_ms=5000).text.splitlines()


def test_class_without_init_takes_arguments() -> None:
    out = run("class C:\n    pass\nc = C(1, k=2)\nprint(type(c).__name__)\n"
              "class D(C):\n    def __init__(self, x):\n        self.x = x\nprint(D(5).x)\n")
    assert out == ["C", "5"]


@pytest.mark.parametrize("board, step_error", [("v2", "NotImplementedError()"),
                                               ("v1", "NotImplementedError('',)")])
def test_slice_assignment(board: str, step_error: str) -> None:
    isnt = "isn't" if board == "v2" else "is not"
    doesnt = "doesn't" if board == "v2" else "does not"
    out = run("def s(code):\n    L = [0, 1, 2, 3]\n    try:\n        exec(code, {'L': L})\n"
              "        print(L)\n    except Exception as e:\n        print(repr(e))\n"
              "for c in ['L[1:3] = [9]', 'L[::2] = [7, 7]', 'del L[::2]', 'L[:1] = \"ab\"',"
              " 'del L[1:]', 'b = bytearray(3); b[0:1] = b\"x\"']:\n    s(c)\n", board)
    assert out == ["[0, 9, 3]", step_error, step_error,
                   f"TypeError(\"object 'str' {isnt} a tuple or list\",)", "[0]",
                   f"TypeError(\"'bytearray' object {doesnt} support item assignment\",)"]


def test_round_with_digits_on_v2() -> None:
    out = run("for s in ['round(1234, -2)', 'round(1.5, None)', 'round(2.675, 2)',"
              " 'round(7)']:\n    t(s)\n")
    assert out == ["NotImplementedError()", "TypeError(\"can't convert NoneType to int\",)",
                   "2.68", "7"]


@pytest.mark.parametrize("board", ["v2", "v1"])
def test_bytearray_values_wrap(board: str) -> None:
    out = run("t('bytearray([300, -1, 65])')\nt('bytes([256])')\n", board)
    assert out == ["bytearray(b',\\xffA')", "ValueError('bytes value out of range',)"]


@pytest.mark.parametrize("board", ["v2", "v1"])
def test_set_methods_take_one_argument(board: str) -> None:
    out = run("a = {1, 2}\nt('a.intersection({2}, {2})')\nt('a.union()')\n"
              "t('a.union([3])')\n", board)
    assert out == [
        "TypeError('function takes 2 positional arguments but 3 were given',)",
        "TypeError('function takes 2 positional arguments but 1 were given',)",
        "{1, 2, 3}"]


def test_encode_ignores_the_encoding() -> None:
    assert run("t(\"'x'.encode('nope')\")\nt(\"'\\u00e9'.encode('ascii')\")\n") == [
        "b'x'", "b'\\xc3\\xa9'"]


@pytest.mark.parametrize("board", ["v2", "v1"])
def test_percent_c_of_a_byte_past_ascii(board: str) -> None:
    assert run("t(\"'%c' % -1\")\nt(\"'%c' % 65\")\n", board) == ["'\\x00'", "'A'"]


@pytest.mark.parametrize("board", ["v2", "v1"])
def test_bytes_format_and_int_dunders(board: str) -> None:
    out = run("print(hasattr(b'', 'format'), b'{}-{}'.format(1, 'a'))\n"
              "t(\"1 .__add__('a')\")\nt('[1].__len__()')\n", board)
    assert out == ["True b'1-a'",
                   "AttributeError(\"'int' object has no attribute '__add__'\",)", "1"]


@pytest.mark.parametrize("board, text, errno", [
    ("v2", "[Errno 2] ENOENT: msg", "2"),
    ("v1", "(2, 'msg')", "AttributeError(\"'OSError' object has no attribute 'errno'\",)")])
def test_oserror_text_errno_and_read_only_args(board: str, text: str, errno: str) -> None:
    out = run("e = OSError(2, 'msg')\nprint(str(e))\nt('e.errno')\n"
              "try:\n    e.args = (1,)\nexcept AttributeError as x:\n    print(repr(x))\n",
              board)
    assert out == [text, errno, "AttributeError(\"'OSError' object has no attribute 'args'\",)"]


def test_oserror_traceback_on_v2() -> None:
    out = run_program("raise OSError(5, 'bad')\n", board="v2", time_limit_ms=5000).text
    assert out.splitlines()[-1] == "OSError: [Errno 5] EIO: bad"
