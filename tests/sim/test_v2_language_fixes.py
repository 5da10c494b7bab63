"""Issue 18 item 5: complex numbers, bytearray.append, parser leniencies and pending display
errors as the V2 (and V1) firmware has them (firmware-v2-observed 022, 024, 099, 120, 149)."""

from __future__ import annotations

from tests.sim.runner import run_program

_EVAL = """def t(s):
    try:
        print(repr(eval(s)))
    except Exception as e:
        print(repr(e))
for s in {cases!r}:
    t(s)
"""


def _eval(cases: list[str], board: str = "v2") -> list[str]:
    return run_program(_EVAL.format(cases=cases), board=board).text.splitlines()


def test_complex_numbers_compute_and_print_in_single_precision():
    assert _eval(["1j ** 2", "(-8) ** (1/3)", "repr(-1j)", "complex('1+2j')", "complex(' 2.5j ')",
                  "(1+2j) / (3-4j)", "abs(3+4j)", "2j // 1", "type(1j)", "(1j).real"]) == [
        "(-1-8.742278e-08j)", "(1+1.732051j)", "'-1j'",
        "ValueError('invalid syntax for number',)", "2.5j", "(-0.2+0.4j)", "5.0",
        "TypeError(\"can't truncate-divide a complex number\",)", "<class 'complex'>", "0.0"]


def test_bytearray_append_keeps_the_low_byte_and_lists_are_untouched():
    program = """b = bytearray(b'a')
b.append(300)
b.append(-1)
L = []
L.append(300)
print(b, L, bytearray().append(256))
"""
    for board in ("v2", "v1"):
        assert run_program(program, board=board).text == "bytearray(b'a,\\xff') [300] None\n"


def test_the_parsers_leniencies():
    program = """def f(*a, **k):
    return a, k
print(f(**{'z': 1}, *[1, 2]), f(x for x in [3], 4)[0][1])
print(1_ + 2__0)
"""
    assert run_program(program, board="v2").text == "((1, 2), {'z': 1}) 4\n21\n"
    v1 = run_program(program, board="v1").text
    assert v1.endswith("SyntaxError: invalid syntax\n")  # 1.9.2 takes no underscores


def test_a_bad_frame_of_a_shown_list_is_raised_at_the_next_jump_on_v2():
    program = """from microbit import *
def t():
    try:
        display.show([Image.HEART, 5], delay=0)
    except TypeError:
        print('caught')
for i in range(2):
    t()
"""
    assert run_program(program, board="v2").text == (
        "Traceback (most recent call last):\n  File \"main.py\", line 8, in <module>\n"
        "  File \"main.py\", line 4, in t\nTypeError: not an image\n")
    assert run_program(program, board="v1").text == "caught\ncaught\n"
