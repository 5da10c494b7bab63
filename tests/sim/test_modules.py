"""The standard modules on both boards: names, behaviour, errors (reference §3, §24–32).

V1 expectations marked "QEMU" were measured on the real V1 firmware under QEMU
(firmware-v1-observed.md and runs of the same programs); V2 ones come from the
fact sheet and the v2.1.2 / MicroPython 1.18 sources it cites.
"""

from __future__ import annotations

import re
from textwrap import dedent
from typing import Any

import pytest

from tests.sim.runner import Result, run_program
from ubit.sim.board.board import Board
from ubit.sim.board.clock import Clock
from ubit.sim.micropython import helptext
from ubit.sim.micropython.importer import Importer
from ubit.sim.shared import boards

BOTH = pytest.mark.parametrize("board", ["v1", "v2"])


def run(source: str, board: str = "v2", **kwargs: Any) -> Result:
    """Run a dedented program on a virtual board."""
    return run_program(dedent(source), board=board, **kwargs)


def attempts(*expressions: str, indent: str = " " * 8) -> str:
    """Top-level code printing each expression's repr, or ``Type: message`` if it raises.

    Top level on purpose: V1 allows only about five nested calls. Indented as the test
    programs are, to be dedented with them.
    """
    lines = []
    for expr in expressions:
        lines += ["try:", f"    print(repr({expr}))", "except Exception as e:",
                  "    print(repr(type(e))[8:-2] + ':', e)"]  # V1 types have no __name__
    return "\n" + "".join(indent + line + "\n" for line in lines)  # after a closing indent


# -- importing -----------------------------------------------------------------------------------
def test_v1_modules_and_aliases():
    result = run("""
        import utime, ustruct, ucollections, time, struct, collections, array, random, sys
        print(ustruct is struct, ucollections is collections, utime is time)
        for name in ('log', 'power', 'errno', 'uerrno', 'urandom', 'usys', 'uarray'):
            try:
                __import__(name)
            except ImportError as e:
                print(e)
    """, "v1")
    assert result.text == ("True True True\n" + "".join(
        f"no module named '{n}'\n"
        for n in ("log", "power", "errno", "uerrno", "urandom", "usys", "uarray")))


def test_v2_modules_and_weak_links():
    result = run("""
        import urandom, usys, uerrno, uarray, ustruct, ucollections, utime
        import random, sys, errno, array, struct, collections, time, power, machine
        print(random is urandom, sys is usys, errno is uerrno, array is uarray)
        print(struct is ustruct, collections is ucollections, time is utime)
        print(urandom.__name__, usys.__name__, ustruct.__name__)
    """)
    assert result.text == "True True True True\nTrue True True\nurandom usys ustruct\n"


# -- machine -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("board", "freq", "uid"), [
    ("v1", 16000000, r"b'\x03\x00\x00\x00xV4\x12'"),  # QEMU
    ("v2", 64000000, r"b'j\x11\xe7S*\xcf\xc3\xee'"),  # a real V2 (reference §25)
])
def test_machine_identity(board, freq, uid):
    result = run("""
        import machine
        print(machine.freq(), machine.unique_id(), len(machine.unique_id()))
        print(machine.disable_irq(), machine.disable_irq())
        machine.enable_irq(0)
        print(machine.disable_irq(), machine.mem32, machine.mem8)
        machine.mem32[0x20000000] = 0x12345678
        print(hex(machine.mem8[0x20000001]), hex(machine.mem16[0x20000002]))
        print(hex(machine.mem32[0x10000060]))
    """ + attempts("machine.mem32[0x20000002]"), board)
    low_word = hex(int.from_bytes(boards.board_spec(board).unique_id[:4], "little"))
    assert result.text == (f"{freq} {uid} 8\n0 1\n0 <32-bit memory> <8-bit memory>\n"
                           f"0x56 0x1234\n{low_word}\n"
                           "ValueError: address 20000002 is not aligned to 4 bytes\n")


def test_machine_reset_restarts_main():
    result = run("""
        import machine, os
        if 'ran' in os.listdir():
            print('second run')
        else:
            with open('ran', 'w') as f:
                f.write('1')
            print('first run')
            machine.reset()
    """, time_limit_ms=5000)
    assert result.text == "first run\nsecond run\n"


def test_time_pulse_us_times_a_scripted_pulse():
    result = run("""
        from microbit import pin1, sleep
        import machine
        print(machine.time_pulse_us(pin1, 1, 50000))
        t = machine.time_pulse_us(pin1, 1)
        print(2900 <= t <= 3100, t)
        sleep(400)
        print(machine.time_pulse_us(pin1, 1, 2000))
    """, inputs=[(100, "pin1", 1023), (103, "pin1", 0), (400, "pin1", 1023)])
    lines = result.text.splitlines()
    assert lines[0] == "-2" and lines[1].startswith("True") and lines[2] == "-1"


# -- micropython ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("board", "limit", "total"), [("v1", 1800, 10048), ("v2", 7680, 64512)])
def test_mem_info_lines(board, limit, total):
    result = run("""
        import micropython
        micropython.mem_info()
        print(micropython.stack_use(), micropython.const(7), micropython.opt_level())
        micropython.opt_level(2)
        print(micropython.opt_level())
        micropython.qstr_info()
        micropython.mem_info(1)
    """, board)
    lines = result.text.splitlines()
    assert re.fullmatch(rf"stack: \d+ out of {limit}", lines[0])
    used, free = map(int, re.fullmatch(rf"GC: total: {total}, used: (\d+), free: (\d+)",
                                       lines[1]).groups())
    assert used + free == total and used % 16 == 0
    assert re.fullmatch(r" No\. of 1-blocks: \d+, 2-blocks: \d+, max blk sz: \d+, "
                        rf"max free sz: {free // 16}", lines[2])
    assert lines[3] == "460 7 0" and lines[4] == "2"  # 460: V1 at the top level (QEMU)
    assert re.fullmatch(r"qstr pool: n_pool=\d+, n_qstr=\d+, n_str_data_bytes=\d+, "
                        r"n_total_bytes=\d+", lines[5])
    assert lines[9].startswith("GC memory layout; from ")
    assert lines[10].startswith("00000: h") and "lines all free)" in result.text


def test_stack_use_grows_with_calls():
    result = run("""
        import micropython
        def f(n):
            return micropython.stack_use() if n == 0 else f(n - 1)
        print(f(0) < f(2) < 1800)
    """, "v1")
    assert result.text == "True\n"


def test_schedule_is_v2_only_and_runs_soon():
    result = run("""
        import micropython
        from microbit import sleep
        micropython.schedule(print, 'scheduled')
        print('before')
        sleep(1)
        for i in range(4):
            micropython.schedule(print, i)
    """ + attempts("micropython.schedule(print, 5)"))
    assert result.text == ("before\nscheduled\nRuntimeError: schedule queue full\n"
                           "0\n1\n2\n3\n")
    v1 = run("import micropython\nprint(hasattr(micropython, 'schedule'))\n", "v1")
    assert v1.text == "False\n"


# -- gc and the memory figures ---------------------------------------------------------------
@pytest.mark.parametrize("board", ["v1", "v2"])
def test_memory_starts_at_the_spec_figure_and_moves_with_allocations(board):
    spec = boards.board_spec(board)
    result = run("""
        import gc
        big = data = None  # names first: a new global grows the module's dict too
        print(gc.mem_free(), gc.mem_alloc())
        big = [0] * 1000
        print(gc.mem_free())
        big = None
        gc.collect()
        print(gc.mem_free())
        data = bytearray(102)
        print(gc.mem_free())
    """, board)
    (start, alloc), (full,), (again,), (with_bytes,) = (
        tuple(map(int, line.split())) for line in result.text.splitlines())
    assert start + alloc == spec.heap_total
    assert 0 < spec.heap_free_at_start - start <= 600  # this program's own code costs a little
    assert 3900 <= start - full <= 4300  # 16-byte header + 4 bytes an item, in 16-byte blocks
    assert abs(again - start) <= 64
    assert again - with_bytes == 128  # reference §27: bytearray(102) costs 128 bytes


@BOTH
def test_a_minimal_program_starts_with_the_spec_figure(board):
    result = run("import gc\nprint(gc.mem_free())\n", board)
    assert abs(int(result.text) - boards.board_spec(board).heap_free_at_start) <= 32


def test_longer_programs_start_with_less_memory():
    body = "".join(f"def f{i}(a, b):\n    return a + b * {i}\n" for i in range(20))
    short = run("import gc\nprint(gc.mem_free())\n", "v1")
    long = run("import gc\nprint(gc.mem_free())\n" + body, "v1")
    # QEMU: these 20 functions cost the V1 firmware 2496 bytes of heap
    assert 2000 <= int(short.text) - int(long.text) <= 3000


def test_gc_switches_and_threshold():
    result = run("""
        import gc
        print(gc.isenabled(), gc.threshold())
        gc.disable()
        print(gc.isenabled())
        gc.enable()
        gc.threshold(1000)
        print(gc.isenabled(), gc.threshold(), gc.collect())
        gc.threshold(-5)
        print(gc.threshold())
    """, "v1")
    assert result.text == "True -1\nFalse\nTrue 992 None\n-1\n"  # QEMU: threshold() is -1


# -- random --------------------------------------------------------------------------------------
def test_v1_random_is_the_firmware_s_lfsr():
    result = run("""
        import random
        random.seed(1)
        print([random.randint(1, 6) for i in range(10)])
        print(random.getrandbits(30), random.getrandbits(1))
        print(random.random())
        random.seed(12345)
        print(random.randrange(100), random.randrange(10, 20, 3), random.choice('abcdef'))
        print(random.getrandbits(-1))
    """ + attempts("random.getrandbits(0)", "random.getrandbits(31)", "random.choice([])",
                   "random.randrange(0)", "random.randint(5, 1)", "random.shuffle"), "v1")
    # every line as the V1 firmware prints it under QEMU
    assert result.text == ("[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n536870907 1\n0.400094\n28 10 b\n0\n"
                           "ValueError: \nValueError: \nIndexError: \nValueError: \n"
                           "ValueError: \nAttributeError: 'module' object has no attribute "
                           "'shuffle'\n")


def test_v2_random_is_repeatable_with_a_seed():
    program = dedent("""
        import random
        random.seed(42)
        a = [random.randint(0, 1000) for i in range(5)]
        random.seed(42)
        b = [random.randint(0, 1000) for i in range(5)]
        random.seed(43)
        c = [random.randint(0, 1000) for i in range(5)]
        print(a == b, a != c, random.getrandbits(32) < 2**32, random.getrandbits(0))
        print(0 <= random.random() < 1, 2 <= random.uniform(2, 3) <= 3)
        print(random.randrange(10, 20, 5) in (10, 15), random.choice((7,)))
    """ + attempts("random.getrandbits(33)", "random.getrandbits(-1)", "random.sample"))
    result = run(program)
    assert result.text == ("True True True 0\nTrue True\nTrue 7\n"
                           "ValueError: bits must be 32 or less\n"
                           "ValueError: bits must be 32 or less\n"
                           "AttributeError: 'module' object has no attribute 'sample'\n")
    seeded = "import random\nrandom.seed(7)\nprint(random.getrandbits(32))\n"
    # a seeded generator doesn't depend on the board's own seed
    assert run(seeded, seed=1).text == run(seeded, seed=2).text


def test_unseeded_random_follows_the_board_seed():
    program = "import random\nprint([random.randint(0, 99) for i in range(8)])\n"
    assert run(program, seed=5).text == run(program, seed=5).text
    assert run(program, seed=5).text != run(program, seed=6).text


# -- struct --------------------------------------------------------------------------------------
@BOTH
def test_struct_round_trips_and_c_style_cuts(board):
    result = run("""
        import struct
        print(struct.pack('<B', 300), struct.pack('<h', 70000), struct.pack('>I', -1))
        print(struct.pack('<hif', 1, 2, 3.5), struct.calcsize('<hif'), struct.calcsize('hif'))
        print(struct.unpack('<hif', struct.pack('<hif', -2, 100000, 0.25)))
        print(struct.pack('<q', -2), struct.unpack('<Q', b'\\xff' * 8))
        print(struct.pack('3s', b'abcdef'), struct.pack('<5s', 'ab'), struct.pack('!h', 1))
        print(struct.calcsize('bq'), struct.calcsize('bd'), struct.calcsize('10s'))
        b = bytearray(8)
        struct.pack_into('<hh', b, 2, 5, 6)
        print(b, struct.unpack_from('<h', b, 4), struct.unpack_from('<h', b, -2))
        print(struct.pack('<hh', 1), struct.pack('<h', 1, 2), struct.pack('<i', 2**40))
    """ + attempts("struct.pack('x')", "struct.pack('=h', 1)", "struct.pack('<?', 1)",
                   "struct.pack('<H', 1.5)", "struct.pack('<2s', 5)",
                   "struct.pack('<f', 'a')", "struct.unpack_from('<h', b, 8)"), board)
    assert result.text == (
        "b',' b'p\\x11' b'\\xff\\xff\\xff\\xff'\n"
        "b'\\x01\\x00\\x02\\x00\\x00\\x00\\x00\\x00`@' 10 12\n"
        "(-2, 100000, 0.25)\n"
        "b'\\xfe\\xff\\xff\\xff\\xff\\xff\\xff\\xff' (18446744073709551615,)\n"
        "b'abc' b'ab\\x00\\x00\\x00' b'\\x00\\x01'\n"
        "16 16 10\n"
        "bytearray(b'\\x00\\x00\\x05\\x00\\x06\\x00\\x00\\x00') (6,) (0,)\n"
        "b'\\x01\\x00\\x00\\x00' b'\\x01\\x00' b'\\x00\\x00\\x00\\x00'\n"
        "ValueError: bad typecode\nValueError: bad typecode\nValueError: bad typecode\n"
        "TypeError: can't convert float to int\n"
        "TypeError: object with buffer protocol required\n"
        "TypeError: can't convert str to float\nValueError: buffer too small\n")


def test_struct_short_buffers_per_version():
    program = "import struct\n" + attempts(
        "struct.unpack('<h', b'\\x01')", "struct.unpack('<hh', b'\\x01\\x00\\x02')",
        "struct.pack('<Q', -1)", indent="")
    # V1 checks one count at a time and reads zeros on (QEMU); V2 checks the whole size
    assert run(program, "v1").text == "(1,)\n(1, 2)\nb'\\xff\\xff\\xff\\xff\\x00\\x00\\x00\\x00'\n"
    assert run(program, "v2").text == ("ValueError: buffer too small\n"
                                       "ValueError: buffer too small\n"
                                       "b'\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff'\n")


# -- array ---------------------------------------------------------------------------------------
@BOTH
def test_array_round_trip_and_micropython_rules(board):
    result = run("""
        import array, struct
        a = array.array('h', [1, 2, 70000])
        print(a, len(a), a[2], a[-1], list(a), a[0:2])
        a.append(-1)
        a.extend(b'\\x01\\x00')
        print(a, bytes(array.array('h', [1, 2])))
        print(struct.unpack('<hh', array.array('h', [3, 4])))
        print(array.array('B', [256, -1]), array.array('b'), array.array('f', [1, 2.5]))
        print(array.array('h', b'\\x01\\x00\\x02'), a + b'\\x07\\x00')
        b = array.array('I', [1])
        b[0] = -1
        print(b, bool(array.array('b')), array.array('q', [2**40, -1]))
        print(dir(a))
    """ + attempts("a.extend([5])", "array.array('z')", "array.array('i', [1.5])",
                   "a.tolist()", "a.typecode", "a[::2]"), board)
    names = "'append', 'extend'" if board == "v1" else \
        "'__class__', 'append', 'decode', 'extend'"  # 1.18's dir() finds __class__ on all
    assert result.text == (
        "array('h', [1, 2, 4464]) 3 4464 4464 [1, 2, 4464] array('h', [1, 2])\n"
        "array('h', [1, 2, 4464, -1, 1]) b'\\x01\\x00\\x02\\x00'\n"
        "(3, 4)\n"
        "array('B', [0, 255]) array('b') array('f', [1.0, 2.5])\n"
        "array('h', [1]) array('h', [1, 2, 4464, -1, 1, 7])\n"
        "array('I', [4294967295]) False array('q', [1099511627776, -1])\n"
        f"[{names}]\n"
        "TypeError: object with buffer protocol required\nValueError: bad typecode\n"
        "TypeError: can't convert float to int\n"
        "AttributeError: 'array' object has no attribute 'tolist'\n"
        "AttributeError: 'array' object has no attribute 'typecode'\n"
        "NotImplementedError: only slices with step=1 (aka None) are supported\n")


# -- math ----------------------------------------------------------------------------------------
def test_math_names_and_single_precision():
    result = run("""
        import math
        print(math.pi, math.e, math.sqrt(2), math.log(8, 2), math.exp(1))
        print(math.floor(2.5), math.ceil(2.1), math.trunc(-2.5), math.frexp(8.0), math.modf(2.5))
        print(math.degrees(math.pi), math.copysign(1, -0.0), math.isnan(float('nan')))
        print([n for n in ('log2', 'log10', 'hypot', 'inf', 'nan', 'tau', 'factorial', 'gcd')
               if hasattr(math, n)])
    """)
    assert result.text == ("3.141593 2.718282 1.414214 3.0 2.718282\n"
                           "2 3 -2 (0.5, 4) (0.5, 2.0)\n180.0 -1.0 True\n[]\n")


def test_math_errors_per_version():
    program = "import math\n" + attempts(
        "math.sqrt(-1)", "math.log(0)", "math.acos(2)", "math.exp(1000)", "math.pow(0, -1)",
        "math.fmod(1, 0)", "math.floor(float('inf'))", "math.floor(float('nan'))",
        "math.sqrt('a')", indent="")
    tail = ("OverflowError: can't convert inf to int\nValueError: can't convert NaN to int\n"
            "TypeError: can't convert str to float\n")
    domain = "ValueError: math domain error\n"
    # V1 (QEMU) checks only sqrt and log; V2 (1.18) refuses any nan/inf from finite input
    assert run(program, "v1").text == domain * 2 + "nan\ninf\ninf\nnan\n" + tail
    assert run(program, "v2").text == domain * 6 + tail


# -- sys -----------------------------------------------------------------------------------------
def test_sys_v1():
    result = run("""
        import sys
        print(sys.implementation, sys.version, sys.version_info, sys.platform, sys.byteorder)
        print(sys.implementation.name, sys.implementation.version)
        print([n for n in ('path', 'argv', 'modules', 'maxsize', 'stdout') if hasattr(sys, n)])
    """, "v1")
    assert result.text == ("(name='micropython', version=(1, 9, 2)) 3.4.0 (3, 4, 0) microbit "
                           "little\nmicropython (1, 9, 2)\n[]\n")  # firmware-v1-observed.md


def test_sys_v2():
    result = run("""
        import sys
        print(sys.implementation, sys.version, sys.version_info, sys.platform, sys.byteorder)
        print(sys.path, sys.argv, sys.maxsize, sys.modules)
        import helper
        print(sys.modules)
        del sys.modules['helper']
        import helper
    """, files={"helper.py": b"print('helper runs')\n"})
    assert result.text == ("(name='micropython', version=(1, 18, 0)) 3.4.0 (3, 4, 0) microbit "
                           "little\n['', '.frozen'] [] 2147483647 {}\nhelper runs\n"
                           "{'helper': <module 'helper'>}\nhelper runs\n")


@pytest.mark.parametrize(("board", "where"), [("v1", "__main__"), ("v2", "main.py")])
def test_print_exception_and_exit(board, where):
    result = run("""
        import sys
        def f():
            1 / 0
        try:
            f()
        except Exception as e:
            sys.print_exception(e)
        sys.print_exception(KeyError('k'))
        try:
            sys.exit(3)
        except SystemExit as e:
            print(e.args)
        sys.exit()
        print('not reached')
    """, board)
    assert result.text.startswith(
        f'Traceback (most recent call last):\n  File "{where}", line 6, in <module>\n'
        f'  File "{where}", line 4, in f\nZeroDivisionError: ')
    lines = result.text.splitlines()
    assert lines[4].startswith("KeyError: ") and lines[5] == "(3,)"
    assert "not reached" not in result.text and result.status == "ok"


# -- collections ---------------------------------------------------------------------------------
def test_namedtuple_and_ordered_dict_v1():
    result = run("""
        import collections
        P = collections.namedtuple('P', ['x', 'y'])
        p = P(1, 2)
        print(p, p.x, p[1], P, len(p), p == (1, 2), P(x=1, y=2), dir(p))
        d = collections.OrderedDict([('b', 1), ('a', 2)])
        d['c'] = 3
        print(list(d), d.popitem(), d)
    """ + attempts("collections.namedtuple('P', 'x y')", "P(1)", "p._replace(x=3)",
                   "p._asdict()", "setattr(p, 'x', 5)", "collections.deque"), "v1")
    # as the V1 firmware prints it under QEMU
    assert result.text == (
        "P(x=1, y=2) 1 2 <class 'P'> 2 True P(x=1, y=2) []\n"
        "['b', 'a', 'c'] ('b', 1) OrderedDict({'a': 2, 'c': 3})\n"
        "TypeError: object 'str' is not a tuple or list\n"
        "TypeError: function takes 2 positional arguments but 1 were given\n"
        "AttributeError: 'P' object has no attribute '_replace'\n"
        "AttributeError: 'P' object has no attribute '_asdict'\n"
        "AttributeError: can't set attribute\n"
        "AttributeError: 'module' object has no attribute 'deque'\n")


def test_namedtuple_and_ordered_dict_v2():
    result = run("""
        import collections
        P = collections.namedtuple('P', 'x y')
        print(P(1, y=2.5))
        d = collections.OrderedDict(a=1)
        d['b'] = 2
        print(d.popitem(), d)
    """ + attempts("P(1, x=2)", "P(1, z=2)"))
    assert result.text == ("P(x=1, y=2.5)\n('b', 2) OrderedDict({'a': 1})\n"
                           "TypeError: function got multiple values for argument 'x'\n"
                           "TypeError: unexpected keyword argument 'z'\n")


# -- errno, builtins -----------------------------------------------------------------------------
def test_errno_v2():
    result = run("""
        import errno
        print(errno.ENOENT, errno.ENOSPC, errno.EINPROGRESS, errno.errorcode[28])
        print(len(errno.errorcode), hasattr(errno, 'ENOTDIR'))
    """)
    assert result.text == "2 28 115 ENOSPC\n17 False\n"


@BOTH
def test_builtins_module_is_the_board_s(board):
    result = run("""
        import builtins
        print(builtins.len([1, 2]), builtins.print is print)
        print([n for n in ('format', 'vars', 'ascii', 'compile') if hasattr(builtins, n)])
    """, board)
    assert result.text == "2 True\n[]\n"


# -- power (V2) ----------------------------------------------------------------------------------
def test_deep_sleep_for_a_time_and_until_a_button():
    result = run("""
        import power
        from microbit import running_time, button_a
        power.deep_sleep(1000)
        print(running_time() // 100)
        power.deep_sleep(wake_on=button_a)
        print(running_time() // 100)
        power.deep_sleep(ms=60000, wake_on=(button_a,), run_every=False)
    """ + attempts("power.deep_sleep(10, wake_on=5)"),
        inputs=[(2500, "button_a", True)], time_limit_ms=10_000)
    assert result.text == "10\n25\nValueError: expecting a pin or button\n"
    powers = [value for _, part, value in result.states if part == "power"]
    assert powers[:2] == ["deep_sleep", "on"]


def test_power_off_ends_the_program_quietly():
    result = run("import power\nprint('bye')\npower.off()\nprint('not reached')\n",
                 time_limit_ms=5000)
    assert result.text == "bye\n" and result.status == "ok"
    assert result.state["power"] == "off"


# -- easter eggs -----------------------------------------------------------------------------------
@BOTH
def test_this_prints_once(board):
    result = run("import this\nimport this\nthis.authors()\n", board)
    assert result.text.startswith("The Zen of MicroPython, by Nicholas H. Tollervey\n\nCode,\n")
    assert result.text.count("Zen") == 1
    assert result.text.endswith("Matt Wheeler, Joe Glancy, Abbie Brooks and Nicholas H. "
                                "Tollervey.\n")


def test_antigravity_prints_the_comic_and_lifts_the_leds():
    result = run("""
        from microbit import display, Image
        display.show(Image('00000:00000:00000:00000:99999'))
        import antigravity
    """, "v1")
    lines = result.text.splitlines()
    assert lines[0] == "+-xkcd.com/353" + "-" * 51 + "+" and len(lines) == 13  # QEMU
    assert "MicroPython!" in lines[4]
    # five passes 200 ms apart, each moving lit LEDs up a row into dark ones
    assert result.state["display"] == [[9] * 5] + [[0] * 5] * 4
    assert result.end_ms >= 1000


def test_love_beats_for_four_seconds():
    result = run("import love\n")
    heart = [[0, 9, 0, 9, 0], [9, 9, 9, 9, 9], [9, 9, 9, 9, 9], [0, 9, 9, 9, 0],
             [0, 0, 9, 0, 0]]
    frames = [value for _, part, value in result.states if part == "display"]
    assert heart in frames and frames[-1] == [[0] * 5] * 5
    assert 4300 <= result.end_ms < 4500


# -- help ----------------------------------------------------------------------------------------
V1_MODULES = """\
__main__          love              os                time
antigravity       machine           radio             ucollections
array             math              random            ustruct
audio             microbit          speech            utime
builtins          micropython       struct
collections       music             sys
gc                neopixel          this
Plus any modules on the filesystem
"""  # firmware-v1-observed.md

V2_MODULES = """\
__main__          machine           power             urandom
antigravity       math              radio             ustruct
audio             microbit          speech            usys
builtins          micropython       this              utime
gc                music             uarray
log               neopixel          ucollections
love              os                uerrno
Plus any modules on the filesystem
"""  # reference §3.1


def test_help_modules_text():
    assert helptext.modules_text(boards.V1.modules) == V1_MODULES
    assert helptext.modules_text(boards.V2.modules) == V2_MODULES
    assert helptext.modules_text(["a" * 20, "b"]) == "a" * 20 + " " * 16 + "b\n" \
        "Plus any modules on the filesystem\n"  # a long name takes a further column width


@pytest.mark.parametrize(("board", "modules"), [("v1", V1_MODULES), ("v2", V2_MODULES)])
def test_help_on_the_board(board, modules):
    result = run("help()\nhelp('modules')\n", board)
    assert result.text == helptext.HELP_TEXT + modules
    assert result.text.startswith("Welcome to MicroPython on the micro:bit!\n\nTry these")


def test_help_about_objects():
    result = run("""
        import this, gc
        help(this)
        help(this.authors)
        help(gc)
    """, "v1")
    assert result.text.endswith(  # QEMU
        "The Zen of Python defines what it is to be Pythonic. It wouldn't fit on this\n"
        "device so we've written a Zen of MicroPython instead.\n"
        "Use authors() to reveal the names of the people who created this software.\n"
        "object <module 'gc'> is of type module\n  __name__ -- gc\n  collect -- <function>\n"
        "  disable -- <function>\n  enable -- <function>\n  isenabled -- <function>\n"
        "  mem_free -- <function>\n  mem_alloc -- <function>\n  threshold -- <function>\n")


class _Serial:
    """A serial port that keeps what is written, for in-process checks."""

    def __init__(self) -> None:
        self.text = ""

    def write_text(self, text: str) -> None:
        self.text += text


def _device(spec: boards.BoardSpec) -> tuple[Board, _Serial, Importer]:
    serial = _Serial()
    device = Board(spec, Clock(virtual=True), serial, {},  # type: ignore[arg-type]
                    lambda part, value: None)
    return device, serial, Importer(device)


def test_help_texts_in_process():
    device, serial, importer = _device(boards.V1)
    help_ = helptext.make_help(device)
    help_()
    help_("modules")
    assert serial.text == helptext.HELP_TEXT + V1_MODULES
    this, microbit = importer.load("this"), importer.load("microbit")
    serial.text = ""
    help_(this)
    help_(this.authors)
    help_(microbit.display.scroll)  # a bound method: help is about the method
    help_(microbit.accelerometer)
    assert serial.text == (  # source/microbit/help.c (v1.1.1)
        "The Zen of Python defines what it is to be Pythonic. It wouldn't fit on this\n"
        "device so we've written a Zen of MicroPython instead.\n"
        "Use authors() to reveal the names of the people who created this software.\n"
        "Use scroll(s) to scroll the string 's' across the display.\n"
        "Use scroll(s, i) to scroll string 's' with a delay of 'i' milliseconds after\n"
        "each character.\n"
        "Detect micro:bit's movement in 3D.\n"
        "It measures tilt (X and Y) and up-down (Z) motion.\n")
    device, serial, importer = _device(boards.V2)
    this = importer.load("this")
    serial.text = ""
    helptext.make_help(device)(this)
    assert serial.text == ("object <module 'this'> is of type module\n  __name__ -- this\n"
                           "  __init__ -- <function>\n  authors -- <function>\n")
