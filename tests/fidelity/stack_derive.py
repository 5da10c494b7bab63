"""Derive the V2's call-depth costs (stackmodel.COSTS["v2"]) from MicroPython 1.18's frames.

The V2 has no oracle for call depth, so its costs come from the firmware's sources: the
py/ files built as src/codal_port/Makefile builds them (arm-none-eabi-gcc -std=c99 -Os
-mthumb -mtune=cortex-m4 -mcpu=cortex-m4, the port's mpconfigport.h) with -fstack-usage,
summed along each shape's call chain between two MP_STACK_CHECK sites. A one-off tool,
not a test dependency. To rebuild the frame tables::

    apt-get install gcc-arm-none-eabi
    # micropython v1.18 (the commit micropython-microbit-v2 v2.1.2 pins): py extmod shared
    # drivers/bus docs/conf.py; port dir: the V2's mpconfigport.h and qstrdefsport.h, a
    # stand-in mphalport.h, a Makefile including py/py.mk with the flags above
    make && python -m tests.fidelity.stack_derive build/py/*.su [v2-main.su]

Without arguments the frames recorded below (gcc 12.2; the firmware was built with the
gcc 10.3 of Ubuntu 22.04) are used. Disassembly showed which calls are tail calls (their
frame is gone before the callee runs): mp_call_function_n_kw, mp_call_method_n_kw,
type_call, fun_builtin_2_call, fun_builtin_var_call without keywords, list_make_new,
map_iternext, gen_instance_iternext, mp_call_function_0, mp_iternext_allow_raise (a for
loop's FOR_ITER), mp_resume (``yield from``'s).

A generator (py/objgenerator.c): mp_obj_gen_resume checks the stack at every resume, then
runs the generator's VM on the resumer's stack (its state lives in the generator object,
on the heap). From a for loop: FOR_ITER → mp_iternext_allow_raise → gen_instance_iternext
→ gen_resume_and_raise → mp_obj_gen_resume (its check reads the bytes a call's check in
fun_bc_call would: 0 + 0 + 16 + 32 = 48); from ``yield from``: mp_resume →
mp_obj_gen_resume (32: 16 bytes less than a call's). A generator a C consumer starts
finds the consumer's frames below its check: GENERATOR_CONSUMER - GENERATOR (152,
''.join's: str_join, list_extend_from_iter, mp_iternext; list()'s are 88 of them), as
for a generator expression.

The same method on the V1 (bbcmicrobit/micropython v1.1.1 py/, -mcpu=cortex-m0, where
mp_call_function_n_kw is not a tail call: 32 bytes) gives FRAME 232 (fitted 230), PRINT
72 (fitted 72), METHOD 24 (fitted 44), CLOSURE 104 (fitted 136).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# bytes of each function's frame (-fstack-usage), V2 build
FRAMES_V2 = {
    "fun_bc_call": 48, "mp_execute_bytecode": 112, "closure_call": 64,
    "mp_call_method_n_kw_var": 80, "str_join": 64, "list_extend_from_iter": 16,
    "mp_iternext": 72, "gen_resume_and_raise": 16, "mp_obj_gen_resume": 32,
    "fun_builtin_var_call": 40, "mp_builtin_sorted": 24, "mp_obj_list_sort": 24,
    "mp_quicksort": 40, "mp_call_function_1": 16, "mp_builtin_print": 48,
    "mp_obj_print_helper": 16, "mp_obj_str_make_new": 48, "instance_print": 48,
    "mp_stack_check": 16, "mp_stack_ctrl_init": 8,
    "microbit_pyexec_file": 152,  # src/codal_port/main.c
}
CODE_STATE = 20  # sizeof(mp_code_state_t); alloca'd with the state when that's <= 44 bytes


def state(n_state: int, n_exc: int = 0) -> int:
    """Bytes fun_bc_call allocas for a function's state (0: it goes on the heap)."""
    size = 4 * n_state + 12 * n_exc
    return 0 if size > 44 else (CODE_STATE + size + 7) // 8 * 8


def costs(f: dict[str, int]) -> dict[str, int]:
    """The stack model's costs: bytes between one check and the next, per kind of frame."""
    call = f["fun_bc_call"] + f["mp_execute_bytecode"]  # + the callee's state
    generator = f["gen_resume_and_raise"] + f["mp_obj_gen_resume"] + f["mp_execute_bytecode"]
    frame = call + state(4)  # f(n): 1 local, 3 on the stack
    return {
        "FRAME": frame,
        "METHOD": state(6) - state(4),  # self: 2 locals, 4 on the stack; calls tail-called
        "CLOSURE": f["closure_call"] + state(6) - state(4),  # closed-over names are args
        "STAR_CALL": f["mp_call_method_n_kw_var"] + state(8) - state(4),
        "LAMBDA": call + state(5),
        "COMPREHENSION": call + state(10),
        "GENERATOR_CONSUMER": sum(f[k] for k in (
            "str_join", "list_extend_from_iter", "mp_iternext", "gen_resume_and_raise",
            "mp_obj_gen_resume", "mp_execute_bytecode")),  # the generator's state: heap
        "MAP_CONSUMER": f["list_extend_from_iter"] + f["mp_iternext"],
        "SORT": sum(f[k] for k in ("fun_builtin_var_call", "mp_builtin_sorted",
                                   "mp_obj_list_sort", "mp_quicksort", "mp_call_function_1")),
        # down to mp_obj_print_helper's check, in place of the callee's fun_bc_call
        "PRINT": f["mp_builtin_print"] + f["mp_obj_print_helper"] - f["fun_bc_call"],
        # str() → __str__: the C frames between the two functions (__str__'s METHOD apart)
        "STR": sum(f[k] for k in ("mp_obj_str_make_new", "mp_obj_print_helper",
                                  "instance_print", "mp_call_function_1"))
        - (state(6) - state(4)),
        # a generator's body, resumed by a for loop (or next(), send()): from the check
        # in mp_obj_gen_resume to the next check inside it, as a call's is to the next
        "GENERATOR": generator,
        # what a generator suspended in ``yield from`` keeps below the check of the one
        # it resumes: its own frames, and the resume's check in mp_obj_gen_resume (not in
        # a fun_bc_call), mp_resume being a tail call
        "YIELD_FROM": generator + f["mp_obj_gen_resume"] - f["fun_bc_call"],
    }


def stack_start(f: dict[str, int], module_state: int = state(7, 1)) -> int:
    """Bytes in use at the check of a call from main.py's top level: mp_main sets the top
    in mp_stack_ctrl_init (its local 4 bytes below mp_main's frame); main.py runs through
    microbit_pyexec_file → mp_call_function_0 → fun_bc_call(module) → the VM; the check
    reads a local 4 bytes into mp_stack_check's frame. ``module_state``: the depth
    programs' top level (a for loop and a try: 7 slots and one handler) fits on the stack."""
    below = (f["microbit_pyexec_file"] + f["fun_bc_call"] + module_state
             + f["mp_execute_bytecode"] + f["fun_bc_call"])
    # both locals sit 4 bytes into their frames: the offsets cancel
    return below - f["mp_stack_ctrl_init"] + f["mp_stack_check"]


# Reading n_state back from mpy-cross 1.9.2's .mpy (version 2, py/persistentcode.c), to
# check ``ubit.sim.micropython.mpstate``'s estimate. The opcode formats of py/bc.c's
# opcode_format_table, 4 to a byte: 0 byte, 1 qstr, 2 var uint, 3 offset.
_FORMATS = bytes.fromhex("0000000000926855a0155a0000fc0fccc33000008aa02a00aaaa0500") + bytes(36)


def _uint(data: bytes, at: int) -> tuple[int, int]:
    value = 0
    while True:
        byte = data[at]
        at += 1
        value = value << 7 | byte & 0x7F
        if not byte & 0x80:
            return value, at


def mpy_states(mpy: bytes) -> list[tuple[str, int, int]]:
    """(name, n_state, n_exc_stack) of each scope in a 1.9.2 .mpy, in the compiler's order."""
    assert mpy[:2] == b"M\x02", "not a MicroPython 1.9 .mpy"
    out: list[tuple[str, int, int]] = []
    _raw_code(mpy, 4, out)
    return out


def _raw_code(data: bytes, at: int, out: list[tuple[str, int, int]]) -> int:
    size, at = _uint(data, at)
    code, at = data[at:at + size], at + size
    n_state, i = _uint(code, 0)
    n_exc, i = _uint(code, i)
    n_args = code[i + 1] + code[i + 2]
    info, _ = _uint(code, i + 4)
    i += 4 + info
    while code[i] != 255:
        i += 1
    i += 1
    length, at = _uint(data, at)
    name = data[at:at + length].decode()
    at += length
    length, at = _uint(data, at)
    at += length  # the source file
    while i < len(code):  # each qstr operand's text follows
        op = code[i]
        kind = _FORMATS[op >> 2] >> 2 * (op & 3) & 3
        if kind == 1:
            length, at = _uint(data, at)
            at += length
            i += 3
            continue
        i += 1 + (op in (0x5C, 0x62, 0x63))
        if kind == 2:
            while code[i] & 0x80:
                i += 1
            i += 1
        elif kind == 3:
            i += 2
    out.append((name, n_state, n_exc))
    n_obj, at = _uint(data, at)
    n_raw, at = _uint(data, at)
    for _ in range(n_args):
        length, at = _uint(data, at)
        at += length
    for _ in range(n_obj):
        kind, at = data[at], at + 1
        if kind != ord("e"):
            length, at = _uint(data, at)
            at += length
    for _ in range(n_raw):
        at = _raw_code(data, at, out)
    return at


def read_su(paths: list[str]) -> dict[str, int]:
    """Frames from gcc's .su files (``file:line:col:name<TAB>bytes<TAB>kind``)."""
    frames: dict[str, int] = {}
    for path in paths:
        for line in Path(path).read_text().splitlines():
            match = re.match(r".*:(\w+)\t(\d+)\t", line)
            if match:
                frames[match[1]] = int(match[2])
    return frames


def main(argv: list[str]) -> None:
    """Print the V2's costs and stack_start."""
    frames = dict(FRAMES_V2)
    frames.update(read_su(argv))
    for name, value in costs(frames).items():
        print(f"{name:20} {value}")
    print(f"{'stack_start':20} {stack_start(frames)}")


if __name__ == "__main__":
    main(sys.argv[1:])
