"""The inline assembler's core at speed: loops without hooks, the timer and RNG registers,
the firmware's call errors and an early ``bx(lr)``.

Cycle counts are the Cortex-M0 TRM's (table 3-1: SUBS/ADDS 1, LDR 2, taken B<c> 3);
the copies' instructions are checked against the ARMv6-M ARM (DDI 0419 A6.7.3 ADD
(register) T2, A6.7.10 B T1/T2); the firmware's behaviour was measured on V1 under QEMU
(``ubit run --firmware``).
"""

from __future__ import annotations

import struct
import time

import pytest

from tests.sim.runner import run_program
from ubit.sim.micropython.asm.assembler import assemble
from ubit.sim.micropython.asm.decorators import dialect
from ubit.sim.shared.boards import V1, V2

LOOP = """\
import time
@micropython.asm_thumb
def work(r0, r1):
    mov(r2, 0)
    label(loop)
{body}
    sub(r0, 1)
    bne(loop)
    mov(r0, r2)
t = time.ticks_us()
r = work({n}, {arg})
print(time.ticks_diff(time.ticks_us(), t), r)
"""
ADD_BODY = "    add(r2, r2, r0)"
LOAD_BODY = "    ldr(r3, [r1, 0])\n    add(r2, r2, r3)"
# every high register named: no spare register to count turns, so each turn is hooked
HOOKED_BODY = ADD_BODY + "\n    mov(r8, r0)\n    mov(r9, r0)\n    mov(r10, r0)\n" \
    "    mov(r11, r0)\n    mov(r12, r0)"


def _elapsed(board: str, body: str, n: int, arg: str = "0") -> tuple[int, int]:
    result = run_program(LOOP.format(body=body, n=n, arg=arg), board=board)
    assert result.status == "ok", result.text
    us, value = result.text.split()
    return int(us), int(value)


@pytest.mark.parametrize("board, hz", [("v1", 16_000_000), ("v2", 64_000_000)])
@pytest.mark.parametrize("body, cycles, value", [
    (ADD_BODY, 5, lambda n: n * (n + 1) // 2 % (1 << 32)),  # ADDS 1 + SUBS 1 + B<c> 3
    (LOAD_BODY, 7, lambda n: 7 * n),  # + LDR 2 (r1: a bytearray holding 7)
    (HOOKED_BODY, 10, lambda n: n * (n + 1) // 2 % (1 << 32)),  # + five MOVs
])
def test_loops_charge_the_devices_cycles(board, hz, body, cycles, value) -> None:
    n = 200_000
    us, result = _elapsed(board, body, n, "bytearray(b'\\x07\\0\\0\\0')")
    assert result % (1 << 32) == value(n)  # r0 as a signed int
    device_us = n * cycles * 1_000_000 / hz
    assert abs(us - device_us) <= device_us * 0.01 + 200  # the board's calls cost a little


@pytest.mark.parametrize("board, hz", [("v1", 16_000_000), ("v2", 64_000_000)])
def test_a_tight_loop_runs_at_least_as_fast_as_the_device(board, hz) -> None:
    n = 40_000_000
    walls = []
    for turns in (1, n):
        started = time.perf_counter()
        _elapsed(board, ADD_BODY, turns)
        walls.append(time.perf_counter() - started)
    device_s = n * 5 / hz
    assert walls[1] - walls[0] < device_s, walls  # measured 14x (V2) to 65x (V1) faster


def test_loop_copies_are_the_architectures_encodings() -> None:
    """The loop's turns run from a copy: ADD (register) T2, the body, B<c> back, B out."""
    from ubit.sim.micropython.asm.decorators import ASSEMBLED
    from ubit.sim.micropython.asm.machine import Machine

    class Board:  # the parts the machine reads, as a board gives them
        spec = V1
        parts: dict = {}

        def part(self, name, factory):
            return self.parts.setdefault(name, factory())

    import ast

    tree = ast.parse("def f(r0):\n    label(loop)\n    sub(r0, 1)\n    bne(loop)\n")
    assembled = assemble(tree.body[0], dialect(V1))
    ASSEMBLED[assembled.code] = assembled
    machine = Machine(Board())
    address = machine.place(assembled.code)
    copy_at = address - 8  # the copy sits just before the code
    copy = struct.unpack("<4H", machine.uc.mem_read(copy_at, 8))
    # r11 += r12 (A6.7.3 T2: 01000100 DN Rm Rdn, flags untouched), SUBS r0, #1 (A6.7.66 T2),
    # BNE -8 back to the add (A6.7.10 T1: 1101 cond imm8), B +4 to the code after the
    # loop's BNE (A6.7.10 T2: 11100 imm11)
    assert copy == (0x44E3, 0x3801, 0xD1FC, 0xE002)
    # the loop's own BNE now goes to the copy: -16 from pc (address + 4 + 4)
    assert struct.unpack("<H", machine.uc.mem_read(address + 4, 2))[0] == 0xD1F8


def test_an_endless_loop_meets_the_time_limit() -> None:
    source = ("print('a')\n@micropython.asm_thumb\ndef forever():\n    label(l)\n"
              "    cmp(r0, r0)\n    beq(l)\nforever()\n")
    started = time.perf_counter()
    result = run_program(source, board="v2", time_limit_ms=2000, timeout=20)
    assert result.status == "timeout" and result.text == "a\n"
    assert time.perf_counter() - started < 15


# -- the timer and the RNG --------------------------------------------------------------------
TIMER = """\
@micropython.asm_thumb
def capture(r0):
    mov(r1, 1)
    str(r1, [r0, 0x40])  # TASKS_CAPTURE[0]
    mov(r2, 0x54)
    lsl(r2, r2, 4)
    add(r2, r2, r0)
    ldr(r0, [r2, 0])  # CC[0] (+0x540)
@micropython.asm_thumb
def clear(r0):
    mov(r1, 1)
    str(r1, [r0, 0x0C])  # TASKS_CLEAR
@micropython.asm_thumb
def spin(r0):
    label(l)
    sub(r0, 1)
    bne(l)
@micropython.asm_thumb
def wait_us(r0, r1):
    # until CC[0] - start >= r1: a loop of the timer's own registers
    mov(r2, 0x54)
    lsl(r2, r2, 4)
    add(r2, r2, r0)
    mov(r3, 1)
    str(r3, [r0, 0x40])
    ldr(r4, [r2, 0])
    label(again)
    str(r3, [r0, 0x40])
    ldr(r5, [r2, 0])
    sub(r5, r5, r4)
    cmp(r5, r1)
    blt(again)
import time
t0 = capture({base})
spin(400000)
t1 = capture({base})
print(t1 - t0)
t = time.ticks_us()
wait_us({base}, 2000)
print(time.ticks_diff(time.ticks_us(), t))
clear({base})
print(capture({base}) < 100)
"""


@pytest.mark.parametrize("board, base, hz", [("v1", 0x40008000, 16_000_000),
                                            ("v2", 0x40009000, 64_000_000)])
def test_the_firmwares_timer_counts_microseconds(board, base, hz) -> None:
    result = run_program(TIMER.format(base=hex(base)), board=board)
    assert result.status == "ok", result.text
    spun, waited, cleared = result.text.split()
    device_us = 400_000 * 4 * 1_000_000 / hz  # SUBS 1 + taken B<c> 3
    assert abs(int(spun) - device_us) <= device_us * 0.01 + 10
    assert 2000 <= int(waited) <= 2000 + 150  # the wait, and the board's calls around it
    assert cleared == "True"


RNG = """\
@micropython.asm_thumb
def random_word() -> uint:
    mov(r0, 0x40)
    lsl(r0, r0, 24)
    mov(r1, 0xD0)
    lsl(r1, r1, 8)
    add(r0, r0, r1)  # RNG: 0x4000D000
    mov(r1, 1)
    str(r1, [r0, 0])  # TASKS_START
    mov(r3, 0x80)
    lsl(r3, r3, 1)
    add(r3, r3, r0)  # EVENTS_VALRDY: +0x100
    mov(r5, 0xA1)
    lsl(r5, r5, 3)
    add(r5, r5, r0)  # VALUE: +0x508
    mov(r4, 0)
    mov(r6, 4)
    label(byte)
    mov(r1, 0)
    str(r1, [r3, 0])
    label(wait)
    ldr(r1, [r3, 0])
    cmp(r1, 0)
    beq(wait)
    lsl(r4, r4, 8)
    ldr(r1, [r5, 0])
    orr(r4, r1)
    sub(r6, 1)
    bne(byte)
    mov(r1, 1)
    str(r1, [r0, 4])  # TASKS_STOP
    mov(r0, r4)
import time
t = time.ticks_us()
words = [random_word() for _ in range(3)]
print(time.ticks_diff(time.ticks_us(), t), words)
"""


@pytest.mark.parametrize("board, period_us", [("v1", 167), ("v2", 30)])
def test_the_rng_gives_seeded_bytes_at_its_pace(board, period_us) -> None:
    first = run_program(RNG, board=board, seed=5)
    again = run_program(RNG, board=board, seed=5)
    other = run_program(RNG, board=board, seed=6)
    assert first.status == "ok", first.text
    us, words = first.text.split(" ", 1)
    assert first.text == again.text  # deterministic in virtual time
    assert other.text.split(" ", 1)[1] != words
    values = [int(w) for w in words.strip("[]\n").split(",")]
    assert len(set(values)) == 3 and any(v >= 1 << 24 for v in values)
    assert int(us) >= 12 * period_us  # 12 bytes, one each period


# -- how the firmware calls the function --------------------------------------------------------
CALLS = """\
@micropython.asm_thumb
def f(r0, r1):
    add(r0, r0, r1)
print(f(1, 2), repr(f))
try:
    f(1, r1=2)
except TypeError as e:
    print(repr(e))
try:
    f(1)
except TypeError as e:
    print(repr(e))
f(r0=1, r1=2)
"""


@pytest.mark.parametrize("board, words", [("v1", "does not"), ("v2", "doesn't")])
def test_keyword_calls_are_refused_as_the_firmware_does(board, words) -> None:
    # fun_asm_call -> mp_arg_check_num: keywords refused before the count is checked
    # (V1 printed these lines under QEMU; V2 is MicroPython 1.18's py/argcheck.c)
    result = run_program(CALLS, board=board)
    lines = result.text.splitlines()
    assert lines[0] == "3 <function>"
    assert words in lines[1] and "take keyword arguments" in lines[1]
    assert "function takes 2 positional arguments but 1 were given" in lines[2]
    assert lines[3:] == ["Traceback (most recent call last):",
                         f'  File "{"__main__" if board == "v1" else "main.py"}", line 13, '
                         "in <module>",
                         f"TypeError: function {words} take keyword arguments"]


def test_subroutines_return_with_bx_lr() -> None:
    source = ("@micropython.asm_thumb\ndef quad(r0):\n    b(START)\n    label(DOUBLE)\n"
              "    add(r0, r0, r0)\n    bx(lr)\n    label(START)\n    bl(DOUBLE)\n"
              "    bl(DOUBLE)\nprint(quad(10))\n")  # the MicroPython docs' example
    for board in ("v1", "v2"):
        assert run_program(source, board=board).text == "40\n"


def test_an_early_bx_lr_stops_the_board_as_the_device_does() -> None:
    # bx(lr) before the end skips the frame's pop {r1, r4-r7, pc}: the firmware's caller
    # runs on a stack 24 bytes off. The V1 under QEMU printed "7" and then nothing.
    source = ("@micropython.asm_thumb\ndef early(r0):\n    cmp(r0, 5)\n    blt(small)\n"
              "    mov(r0, 99)\n    bx(lr)\n    label(small)\n    mov(r0, 7)\n"
              "print(early(1))\nprint(early(10))\nprint('end')\n")
    for board in ("v1", "v2"):
        result = run_program(source, board=board, time_limit_ms=2000)
        assert result.text == "7\n" and result.status == "timeout"


def test_the_v1_and_v2_dialects_agree_on_loop_costs() -> None:
    source = "def f(r0):\n    label(loop)\n    ldr(r1, [r0, 0])\n    sub(r0, 1)\n    bne(loop)\n"
    import ast

    for spec in (V1, V2):
        loops = assemble(ast.parse(source).body[0], dialect(spec)).self_loops
        assert [(loop.start, loop.turn_cycles, loop.instructions) for loop in loops] == \
            [(2, 6, 3)]  # after the entry push; LDR 2 + SUBS 1 + taken BNE 3


@pytest.mark.parametrize("board, device_us", [("v1", 25_000), ("v2", 6_250)])
def test_the_timer_example_times_its_loop_and_rolls_a_die(board, device_us) -> None:
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "examples" / "asm_timer.py").read_text()
    result = run_program(source, board=board)
    assert result.status == "ok", result.text
    turns, die = result.text.splitlines()
    assert abs(int(turns.split()[2]) - device_us) <= device_us * 0.01
    assert die.startswith("die: ") and 1 <= int(die.split()[1]) <= 6
