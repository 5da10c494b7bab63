"""micro:bit API details the real firmware shows: no hash for its objects, int-only waits,
V1's NeoPixel not iterable, scale()'s C arithmetic and argument errors.

Every expected V1 line is what the real V1 firmware printed for the same code under QEMU
(December 2026; the same calls are in corpus programs 205-209). V2 lines follow the v2.1.2
port and MicroPython 1.18 sources (the same C for scale, sleep and utime; no type with a
hash; NeoPixel a Python class that iterates through ``__getitem__``).
"""

from __future__ import annotations

from tests.sim.runner import run_program

_TRY = """def t(s):
    try:
        print(s, eval(s))
    except Exception as e:
        print(s, repr(e))
"""

_HASH = _TRY + """from microbit import *
import music
class C:
    pass
for s in ["{button_a: 'left'}", "{pin0: 1}", "len({Image.HEART, Image.SAD})", "hash(display)",
          "hash(music)", "hash(object())", "hash(range(3))", "hash(ValueError('x'))",
          "{C(): 1} and 'ok'", "hash(sleep) != 0 and hash(C) != 0", "Image.SAD in [Image.SAD]"]:
    t(s)
"""
_HASH_OUT = """{button_a: 'left'} TypeError("unsupported type for __hash__: 'MicroBitButton'",)
{pin0: 1} TypeError("unsupported type for __hash__: 'MicroBitTouchPin'",)
len({Image.HEART, Image.SAD}) TypeError("unsupported type for __hash__: 'MicroBitImage'",)
hash(display) TypeError("unsupported type for __hash__: 'MicroBitDisplay'",)
hash(music) TypeError("unsupported type for __hash__: 'module'",)
hash(object()) TypeError("unsupported type for __hash__: 'object'",)
hash(range(3)) TypeError("unsupported type for __hash__: 'range'",)
hash(ValueError('x')) TypeError("unsupported type for __hash__: 'ValueError'",)
{C(): 1} and 'ok' ok
hash(sleep) != 0 and hash(C) != 0 True
Image.SAD in [Image.SAD] True
"""


def test_microbit_objects_and_some_builtins_have_no_hash_on_either_board() -> None:
    """Dict keys, set items and hash() of the firmware's types without a hash raise; user
    objects, functions and classes hash; ``in`` a list compares."""
    assert run_program(_HASH, board="v1").text == _HASH_OUT
    assert run_program(_HASH, board="v2").text == _HASH_OUT


_WAITS = _TRY + """import utime
from microbit import *
for s in ["utime.sleep_ms(100 / 2)", "utime.sleep_us(2.5)", "utime.sleep_ms(True)",
          "utime.sleep_ms('5')", "utime.sleep(True)", "utime.sleep('1')",
          "utime.ticks_add(1, 1.5)", "utime.ticks_add(5, True)", "sleep(True)", "sleep(2.5)",
          "sleep('100')", "sleep(None)", "sleep(ms=5)", "running_time(x=1)"]:
    t(s)
"""
_WAITS_V1 = """utime.sleep_ms(100 / 2) TypeError("can't convert float to int",)
utime.sleep_us(2.5) TypeError("can't convert float to int",)
utime.sleep_ms(True) None
utime.sleep_ms('5') TypeError("can't convert str to int",)
utime.sleep(True) None
utime.sleep('1') TypeError("can't convert str to float",)
utime.ticks_add(1, 1.5) TypeError("can't convert float to int",)
utime.ticks_add(5, True) 6
sleep(True) None
sleep(2.5) None
sleep('100') TypeError("can't convert str to float",)
sleep(None) TypeError("can't convert NoneType to float",)
sleep(ms=5) TypeError('function does not take keyword arguments',)
running_time(x=1) TypeError('function does not take keyword arguments',)
"""


def test_waits_take_the_firmwares_argument_types() -> None:
    """utime's ms/us waits take ints and bools only; microbit.sleep an int or any number
    read as a float, positionally; the V2 runs the same C (its own wording)."""
    assert run_program(_WAITS, board="v1").text == _WAITS_V1
    v2 = _WAITS_V1.replace("'function does not take keyword arguments'",
                           '"function doesn\'t take keyword arguments"')
    assert run_program(_WAITS, board="v2").text == v2


def test_sleep_ms_waits_whole_milliseconds_of_virtual_time() -> None:
    """utime.sleep waits ``(mp_uint_t)(1000 * s)`` ms; bools count as 1."""
    program = ("import utime\nt = utime.ticks_us()\nutime.sleep(0.0025)\nutime.sleep_ms(True)\n"
               "print(utime.ticks_diff(utime.ticks_us(), t) // 1000)\n")
    assert run_program(program, board="v1").text == "3\n"


_NEOPIXEL = """from microbit import *
import neopixel
np = neopixel.NeoPixel(pin0, 2)
np[1] = (1, 2, 3)
print(len(np), np[1])
for s in ["for p in np: print(p)", "print(list(np))", "a, b = np"]:
    try:
        exec(s)
    except TypeError as e:
        print(s, e)
"""


def test_v1_neopixel_is_not_iterable_but_v2s_is() -> None:
    """V1's C NeoPixel has no iterator; V2's Python class iterates by index."""
    assert run_program(_NEOPIXEL, board="v1").text == """2 (1, 2, 3)
for p in np: print(p) 'NeoPixel' object is not iterable
print(list(np)) 'NeoPixel' object is not iterable
a, b = np 'NeoPixel' object is not iterable
"""
    assert run_program(_NEOPIXEL, board="v2").text == \
        "2 (1, 2, 3)\n(0, 0, 0)\n(1, 2, 3)\n[(0, 0, 0), (1, 2, 3)]\n"


_SCALE = _TRY + """from microbit import *
for s in ["scale(0, from_=(0, 0), to=(0, 100))", "scale(-5, from_=(0, 0), to=(0, 100))",
          "scale(5, from_=(3, 3), to=(10, 20.0))", "scale(10**12, from_=(0, 10), to=(0, 100))",
          "scale(5, (0, 10))", "scale(5, (0, 10), (0, 100), 1)", "scale(5, from_=5, to=(0, 1))",
          "scale(v=5, from_=(0, 10), to=(0, 100))", "scale('5', from_=(0, 10), to=(0, 100))",
          "scale(7, from_=(0, 10), to=(0, 3))"]:
    t(s)
"""
_SCALE_V1 = """scale(0, from_=(0, 0), to=(0, 100)) 2147483647
scale(-5, from_=(0, 0), to=(0, 100)) -2147483648
scale(5, from_=(3, 3), to=(10, 20.0)) inf
scale(10**12, from_=(0, 10), to=(0, 100)) 2147483647
scale(5, (0, 10)) TypeError("'to' argument required",)
scale(5, (0, 10), (0, 100), 1) TypeError('extra positional arguments given',)
scale(5, from_=5, to=(0, 1)) TypeError("object 'int' is not a tuple or list",)
scale(v=5, from_=(0, 10), to=(0, 100)) TypeError("'value' argument required",)
scale('5', from_=(0, 10), to=(0, 100)) TypeError("can't convert str to float",)
scale(7, from_=(0, 10), to=(0, 3)) 2
"""


def test_scale_divides_as_c_does_and_parses_its_arguments_as_the_firmware() -> None:
    """An empty range gives inf or nan, an int result is clamped to int32 (NaN: the V1's
    soft-float largest int, the V2's VFP 0); argument errors are mp_arg_parse_all's."""
    assert run_program(_SCALE, board="v1").text == _SCALE_V1
    v2 = _SCALE_V1.replace("is not a tuple", "isn't a tuple").replace(
        "(0, 100)) 2147483647\n", "(0, 100)) 0\n", 1)
    assert run_program(_SCALE, board="v2").text == v2
