"""The inline assembler (``@micropython.asm_thumb``) on the virtual board.

Encodings are checked against the ARMv6-M / ARMv7-M Architecture Reference Manuals
(DDI 0419 §A6.7, DDI 0403 §A7.7: the encoding diagrams, worked by hand here), errors
against what the V1 firmware printed under QEMU for the same programs.
"""

from __future__ import annotations

import ast
import struct

import pytest

from tests.sim.runner import run_program
from ubit.sim.micropython.asm.assembler import ENTRY, EXIT, AsmError, assemble
from ubit.sim.micropython.asm.decorators import dialect
from ubit.sim.shared.boards import V1, V2


def body(source: str, board=V1) -> list[int]:
    """The halfwords an asm function's body assembles to (without the entry/exit frame)."""
    tree = ast.parse("def f(r0, r1):\n" + "".join(f"    {line}\n" for line in source.split(";")))
    code = assemble(tree.body[0], dialect(board)).code
    words = list(struct.unpack(f"<{len(code) // 2}H", code))
    assert words[0] == ENTRY and words[-1] == EXIT
    return words[1:-1]


# ARMv6-M 16-bit forms (V1 and V2): instruction -> halfwords (DDI 0419 A6.7)
V6_FORMS = {
    "mov(r0, 1)": [0x2001],  # MOVS T1: 00100 Rd imm8
    "mov(r8, r1)": [0x4688],  # MOV T1: 01000110 D Rm Rd
    "mov(r1, sp)": [0x4669],
    "add(r0, r1, r2)": [0x1888],  # ADDS (register) T1: 0001100 Rm Rn Rd
    "add(r0, r1, 3)": [0x1CC8],  # ADDS (immediate) T1: 0001110 imm3 Rn Rd
    "add(r0, 200)": [0x30C8],  # ADDS (immediate) T2: 00110 Rdn imm8
    "sub(r2, r3, r4)": [0x1B1A],
    "sub(r2, r3, 7)": [0x1FDA],
    "sub(r1, 1)": [0x3901],
    "cmp(r0, 10)": [0x280A],
    "cmp(r0, r1)": [0x4288],
    "lsl(r0, r1, 4)": [0x0108],  # LSLS (immediate) T1: 00000 imm5 Rm Rd
    "lsr(r0, r1, 4)": [0x0908],
    "asr(r0, r1, 4)": [0x1108],
    "and_(r0, r1)": [0x4008], "eor(r0, r1)": [0x4048], "lsl(r0, r1)": [0x4088],
    "lsr(r0, r1)": [0x40C8], "asr(r0, r1)": [0x4108], "adc(r0, r1)": [0x4148],
    "sbc(r0, r1)": [0x4188], "ror(r0, r1)": [0x41C8], "tst(r0, r1)": [0x4208],
    "neg(r0, r1)": [0x4248], "cmn(r0, r1)": [0x42C8], "orr(r0, r1)": [0x4308],
    "mul(r0, r1)": [0x4348], "bic(r0, r1)": [0x4388], "mvn(r0, r1)": [0x43C8],
    "ldr(r0, [r1, 4])": [0x6848],  # LDR (immediate) T1: 01101 imm5 Rn Rt, offset imm5*4
    "str(r0, [r1, 124])": [0x67C8],
    "ldrb(r2, [r3, 31])": [0x7FDA],
    "strb(r2, [r3, 0])": [0x701A],
    "ldrh(r0, [r1, 2])": [0x8848],
    "strh(r0, [r1, 62])": [0x87C8],
    "push({r0, r1, r7})": [0xB483],
    "pop({r0, r7})": [0xBC81],
    "bx(lr)": [0x4770],
    "cpsid(i)": [0xB672],
    "cpsie(i)": [0xB662],
    "label(a);b(a)": [0xE7FE],  # B T2 to itself: offset -4
    "label(a);beq(a)": [0xD0FE],  # B<c> T1
    "label(a);bgt(a)": [0xDCFE],
    "label(a);bl(a)": [0xF7FF, 0xFFFE],  # BL T1: S, imm10, J1, J2, imm11
    "b(a);nop(r0);label(a)": None,  # filled below: V1 has no nop()
}


@pytest.mark.parametrize("source", [s for s, words in V6_FORMS.items() if words])
@pytest.mark.parametrize("board", [V1, V2], ids=["v1", "v2"])
def test_armv6m_encodings(source, board) -> None:
    assert body(source, board) == V6_FORMS[source]


V7_FORMS = {
    "movw(r0, 0x1234)": [0xF241, 0x2034],  # MOVW T3: 11110 i 100100 imm4 / 0 imm3 Rd imm8
    "movt(r1, 0xABCD)": [0xF6CA, 0x31CD],
    "movwt(r2, 0x12345678)": [0xF245, 0x6278, 0xF2C1, 0x2234],
    "sdiv(r0, r1, r2)": [0xFB91, 0xF0F2],  # SDIV T1
    "udiv(r0, r1, r2)": [0xFBB1, 0xF0F2],
    "clz(r0, r1)": [0xFAB1, 0xF081],
    "rbit(r0, r1)": [0xFA91, 0xF0A1],
    "push({r0, r8})": [0xE92D, 0x0101],  # PUSH T2 (STMDB sp!)
    "pop({r0, r8})": [0xE8BD, 0x0101],
    "label(a);beq_w(a)": [0xF43F, 0xAFFE],  # B<c> T3
    "ite(eq)": [0xBF0C],  # IT: firstcond, mask
    "it(ne)": [0xBF18],
    "nop()": [0xBF00],
    "wfi()": [0xBF30],
    "vadd(s0, s1, s2)": [0xEE30, 0x0A81],  # VADD.F32 T2
    "vmov(r0, s1)": [0xEE10, 0x0A90],  # VMOV (ARM core register to single) T1
    "vmov(s1, r0)": [0xEE00, 0x0A90],
    "vsqrt(s0, s1)": [0xEEB1, 0x0AE0],
}


@pytest.mark.parametrize("source", list(V7_FORMS))
def test_armv7m_encodings_on_v2(source) -> None:
    assert body(source, V2) == V7_FORMS[source]


def test_data_and_align_bytes() -> None:
    tree = ast.parse("def f():\n    data(1, 7)\n    align(4)\n    data(2, 0x1234, -1)\n"
                     "    data(4, 0x12345678)\n")
    code = assemble(tree.body[0], dialect(V1)).code
    assert code == (struct.pack("<H", ENTRY) + b"\x07\x00" + b"\x34\x12\xff\xff" +
                    b"\x78\x56\x34\x12" + struct.pack("<H", EXIT))


def test_forward_branches_are_resolved() -> None:
    assert body("b(a);mov(r0, 1);label(a)") == [0xE000, 0x2001]  # skips one halfword


def test_branch_out_of_range() -> None:
    with pytest.raises(AsmError, match="branch not in range"):
        body("label(a);" + "mov(r0, 1);" * 200 + "beq(a)")


# The V1 firmware's words for each error (QEMU), and the line and function it names.
V1_ERRORS = [
    ("def f(r0):\n    mov(r0, 1)\n    foo(r0, r1)\n",
     3, "f", "unsupported Thumb instruction 'foo' with 2 arguments"),
    ("def f(r0):\n    add(r0, r0, r9)\n", 2, "f", "'add' expects at most r7"),
    ("def f(r0):\n    mov(x, 1)\n", 2, "f", "'mov' expects a register"),
    ("def f(r0):\n    label(x)\n    b(missing)\n", 3, "f", "label 'missing' not defined"),
    ("def f(r0):\n    b(missing)\n", 2, "f", "branch not in range"),
    ("def f(r0, r1, r2, r3, r4):\n    mov(r0, 1)\n", 1, "f",
     "can only have up to 4 parameters to Thumb assembly"),
    ("def f(r0, r2):\n    mov(r0, 1)\n", 1, "f",
     "parameters must be registers in sequence r0 to r3"),
    ("def f(x):\n    mov(r0, 1)\n", 0, "f", "parameters must be registers in sequence r0 to r3"),
    ("def f():\n    data(2, x)\n", 2, "f", "'data' requires integer arguments"),
    ("def f():\n    data(2)\n", 2, "f", "'data' requires at least 2 arguments"),
    ("def f():\n    x = 1\n", 2, "f", "expecting an assembler instruction"),
    ("def f():\n    '''doc'''\n", 2, "f", "expecting an assembler instruction"),
    ("def f():\n    mov(r0, 256)\n", 2, "f", "'mov' integer 0x100 does not fit in mask 0xff"),
    ("def f():\n    mov(r0, -1)\n", 2, "f",
     "'mov' integer 0xffffffff does not fit in mask 0xff"),
    ("def f(r0):\n    ldr(r0, [r0, 3])\n", 2, "f",
     "'ldr' integer 0x3 does not fit in mask 0x7c"),
    ("def f() -> float:\n    mov(r0, 1)\n", 0, "f", "unknown type"),
    ("def f() -> x.y:\n    mov(r0, 1)\n", 1, "f", "return annotation must be an identifier"),
    ("def f():\n    label(a)\n    label(a)\n", 3, "f", "label redefined"),
    ("def f():\n    label(1)\n", 2, "f", "'label' requires 1 argument"),
    ("def f():\n    align(x)\n", 2, "f", "'align' requires 1 argument"),
    ("def f():\n    movw(r0, 1000)\n", 2, "f",
     "unsupported Thumb instruction 'movw' with 2 arguments"),
    ("def f():\n    sdiv(r0, r0, r1)\n", 2, "f",
     "unsupported Thumb instruction 'sdiv' with 3 arguments"),
    ("def f():\n    push({r0, r8})\n", 2, "f",
     "unsupported Thumb instruction 'push' with 1 arguments"),
    ("def f(r0):\n    ldr(r0, r0)\n", 2, "f",
     "unsupported Thumb instruction 'ldr' with 2 arguments"),
    ("def f(r0):\n    push(r0)\n", 2, "f", "'push' expects {r0, r1, ...}"),
    ("def f():\n    mov(r8, 3)\n", 2, "f", "'mov' expects at most r7"),
    ("def f():\n    label(a)\n    beq_w(a)\n", 3, "f",
     "unsupported Thumb instruction 'beq_w' with 1 arguments"),
    ("def f():\n    nop()\n", 2, "f", "unsupported Thumb instruction 'nop' with 1 arguments"),
    ("class A:\n    pass\n", 0, "A", "inline assembler must be a function"),
]


@pytest.mark.parametrize("source, line, scope, message", V1_ERRORS)
def test_v1_errors_as_the_firmware_reports_them(source, line, scope, message) -> None:
    result = run_program("print('never')\n@micropython.asm_thumb\n" + source, board="v1")
    assert result.text == ("Traceback (most recent call last):\n"
                           f'  File "__main__", line {line and line + 2}, in {scope}\n'
                           f"SyntaxError: {message}\n")


def test_v2_wording_and_wider_instruction_set() -> None:
    result = run_program("@micropython.asm_thumb\ndef f():\n    mov(r0, 256)\n", board="v2")
    assert "SyntaxError: 'mov' integer 0x100 doesn't fit in mask 0xff" in result.text
    ok = run_program("@micropython.asm_thumb\ndef f(r0, r1):\n    nop()\n    sdiv(r0, r0, r1)\n"
                     "    movw(r1, 1000)\n    add(r0, r0, r1)\nprint(f(100, 7))\n", board="v2")
    assert ok.text == "1014\n"


@pytest.mark.parametrize("board", ["v1", "v2"])
@pytest.mark.parametrize("decorator", ["native", "viper", "bogus"])
def test_native_and_viper_are_refused_as_the_firmware_does(board, decorator) -> None:
    # neither firmware enables the native emitter (MICROPY_EMIT_THUMB); V1 checked under QEMU
    result = run_program(f"@micropython.{decorator}\ndef f(x):\n    return x\n", board=board)
    assert result.text.endswith("SyntaxError: invalid micropython decorator\n")
    assert ", line 1, in <module>" in result.text


def test_bytecode_decorator_needs_no_import() -> None:
    result = run_program("@micropython.bytecode\ndef f(x):\n    return x + 1\nprint(f(1))\n",
                         board="v1")
    assert result.text == "2\n"


PROGRAM = """\
@micropython.asm_thumb
def add(r0, r1):
    add(r0, r0, r1)
@micropython.asm_thumb
def minus_one():
    mov(r0, 0)
    sub(r0, 1)
@micropython.asm_thumb
def all_ones() -> uint:
    mov(r0, 0)
    sub(r0, 1)
@micropython.asm_thumb
def five() -> bool:
    mov(r0, 5)
@micropython.asm_thumb
def small() -> object:
    mov(r0, 7)
@micropython.asm_thumb
def factorial(r0):
    mov(r1, 1)
    label(loop)
    mul(r1, r0)
    sub(r0, 1)
    bne(loop)
    mov(r0, r1)
@micropython.asm_thumb
def table(r0):
    b(start)
    align(4)
    label(data_)
    data(4, 10, 20, 30, 40)
    label(start)
    mov(r1, pc)
    sub(r1, 20)
    lsl(r0, r0, 2)
    add(r1, r1, r0)
    ldr(r0, [r1, 0])
@micropython.asm_thumb
def poke(r0, r1):
    strb(r1, [r0, 2])
print(add(2, 3), minus_one(), all_ones(), five(), small(), add(True, None), add(2.7, 1))
print(factorial(5), [table(i) for i in range(4)])
b = bytearray(4)
poke(b, 77)
print(b)
try:
    add(1)
except TypeError as e:
    print(repr(e))
"""


@pytest.mark.parametrize("board", ["v1", "v2"])
def test_programs_compute_with_registers(board) -> None:
    result = run_program(PROGRAM, board=board)
    assert result.status == "ok", result.text
    lines = result.text.splitlines()
    # line 1 as the V1 firmware printed it under QEMU
    assert lines[0] == "5 -1 4294967295 True 3 1 3"
    assert lines[1] == "120 [10, 20, 30, 40]"
    assert lines[2] == "bytearray(b'\\x00\\x00M\\x00')"
    assert lines[3] == "TypeError('function takes 2 positional arguments but 1 were given',)" \
        or "function takes 2 positional arguments but 1 were given" in lines[3]


DELAY = """\
import time
@micropython.asm_thumb
def delay(r0):
    label(loop)
    sub(r0, 1)
    bne(loop)
t = time.ticks_us()
delay({n})
print(time.ticks_diff(time.ticks_us(), t))
"""


@pytest.mark.parametrize("board, hz", [("v1", 16_000_000), ("v2", 64_000_000)])
def test_delay_loop_takes_the_devices_time(board, hz) -> None:
    n = 2_000_000
    result = run_program(DELAY.format(n=n), board=board)
    device_us = n * 4 * 1_000_000 / hz  # SUBS 1 cycle + taken B<c> 3 cycles (Cortex-M0 TRM)
    # the board's own calls (ticks_us, the call itself) cost it a little polling time
    assert abs(int(result.text) - device_us) <= device_us * 0.01 + 200


ASMLEDS = """\
@micropython.asm_thumb
def led_cycle():
    b(START)
    label(DELAY)
    mov(r3, 0xa0)
    lsl(r3, r3, 11)
    label(delay_loop)
    sub(r3, 1)
    bne(delay_loop)
    bx(lr)
    label(START)
    cpsid('i')
    mov(r0, 0x50)
    lsl(r0, r0, 16)
    add(r0, 0x05)
    lsl(r0, r0, 8)
    mov(r1, 0b111)
    lsl(r1, r1, 13)
    str(r1, [r0, 8])
    mov(r1, 1 << 4)
    mov(r2, 9)
    label(loop_on)
    str(r1, [r0, 12])
    bl(DELAY)
    lsl(r1, r1, 1)
    sub(r2, 1)
    bne(loop_on)
    mov(r1, 1 << 4)
    mov(r2, 9)
    label(loop_off)
    str(r1, [r0, 8])
    bl(DELAY)
    lsl(r1, r1, 1)
    sub(r2, 1)
    bne(loop_off)
    cpsie('i')
led_cycle()
"""


def test_asmleds_lights_the_v1_matrix_column_by_column() -> None:
    result = run_program(ASMLEDS, board="v1")
    assert result.status == "ok", result.text
    frames = [(ms, grid) for ms, part, grid in result.states if part == "display"]
    lit = [sum(v > 0 for row in grid for v in row) for _, grid in frames]
    # 9 columns lit one after another (3, 3, 3, 3, 3, 3, 3, 2, 2 LEDs), then put out again
    assert lit == [3, 6, 9, 12, 15, 18, 21, 23, 25, 22, 19, 16, 13, 10, 7, 4, 2, 0]
    assert frames[0][1] == [[9, 0, 0, 0, 0], [0] * 5, [0, 0, 0, 0, 9], [0] * 5, [0, 0, 9, 0, 0]]
    # each column waits 0xa0 << 11 turns of a 4-cycle loop at 16 MHz: 81.92 ms
    times = [ms for ms, _ in frames]
    steps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert all(81 <= step <= 83 for step in steps), steps


def test_v2_gpio_toggle_reads_back_through_the_pin() -> None:
    source = """\
from microbit import pin0, pin1, sleep
@micropython.asm_thumb
def set_p0_02(r0):
    movwt(r1, 0x50000500)
    mov(r2, 1)
    lsl(r2, r2, 2)
    str(r2, [r1, 0x18])
    cmp(r0, 0)
    beq(low)
    str(r2, [r1, 8])
    b(done)
    label(low)
    str(r2, [r1, 12])
    label(done)
@micropython.asm_thumb
def read_in() -> uint:
    movwt(r1, 0x50000500)
    ldr(r0, [r1, 0x10])
set_p0_02(1)
sleep(10)
set_p0_02(0)
sleep(10)
set_p0_02(1)
print(pin0.read_digital())
pin1.write_digital(1)
print(read_in() >> 3 & 1)
pin1.write_digital(0)
print(read_in() >> 3 & 1)
"""
    result = run_program(source, board="v2")
    # the pin follows its GPIO bit: high, low, high (as the host sees it, with the times)
    levels = [(ms, value["value"]) for ms, part, value in result.states
              if part == "pin0" and value["mode"] == "write_digital"]
    # (DIRSET first makes it an output driving OUT's 0, as on the chip)
    assert [v for _, v in levels] == [0, 1, 0, 1], result.states
    assert [ms for ms, _ in levels][1:] == [0, 10, 20]
    # read_digital() makes it an input again, as on the device: it reads CODAL's pull-down;
    # IN reads back what Python drives
    assert result.text == "0\n1\n0\n", result.text


def test_buttons_read_through_in() -> None:
    source = """\
from microbit import sleep
@micropython.asm_thumb
def port() -> uint:
    mov(r1, 0x50)
    lsl(r1, r1, 24)
    mov(r2, 0x05)
    lsl(r2, r2, 8)
    add(r1, r1, r2)
    ldr(r0, [r1, 0x10])
print(port() >> 17 & 1)
sleep(100)
print(port() >> 17 & 1)
"""
    result = run_program(source, board="v1", inputs=[(50, "button_a", True)])
    assert result.text == "1\n0\n"


def test_a_fault_stops_the_board_as_the_device_does() -> None:
    source = ("print('a')\n@micropython.asm_thumb\ndef f():\n    mov(r0, 3)\n"
              "    lsl(r0, r0, 28)\n    ldr(r0, [r0, 0])\nprint(f())\nprint('b')\n")
    result = run_program(source, board="v1", time_limit_ms=3000)
    assert result.text == "a\n"  # the V1 under QEMU: nothing more, the REPL never returns
    assert result.status == "timeout"


def test_the_example_sweeps_the_columns_and_adds() -> None:
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "examples" / "asm_sweep.py").read_text()
    result = run_program(source, board="v1")
    assert result.text.startswith("1 + 2 + ... + 100 = 5050\n")
    lit = [(ms, sum(v > 0 for row in grid for v in row))
           for ms, part, grid in result.states if part == "display"][:18]
    # one column at a time: 3 LEDs (2 for columns 8 and 9), dark again 51 ms later
    assert [n for _, n in lit] == [3, 0] * 7 + [2, 0] * 2
    assert all(50 <= b[0] - a[0] <= 52 for a, b in zip(lit[::2], lit[1::2], strict=False))
