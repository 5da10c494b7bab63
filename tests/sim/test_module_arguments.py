"""Module functions the firmware makes in C: no keywords, mp_arg_check_num's counts, and
a file's whole read() growing its buffer on the V1's heap (measured on the V1 under QEMU)."""

from __future__ import annotations

import pytest

from tests.sim.runner import run_program

TRY = ("def t(f):\n    try:\n        print(f())\n    except Exception as e:\n"
       "        print(repr(e))\n")
NO_KW = "TypeError('function does not take keyword arguments',)"


@pytest.mark.parametrize("call", [
    "math.sqrt(x=4)", "math.log(8, base=2)", "math.pow(x=2, y=3)", "random.uniform(a=1, b=2)",
    "random.seed(a=1)", "os.listdir(x=1)", "gc.collect(x=1)", "struct.calcsize(fmt='i')",
    "utime.ticks_diff(a=1, b=2)", "music.reset(x=1)", "random.randint(a=1, b=6)",
    "random.randint(1, 6, c=1)", "random.choice(seq=[1])", "random.getrandbits(k=4)",
    "random.randrange(0, 10, step=2)"])
def test_c_functions_refuse_keywords_on_v1(call: str) -> None:
    source = f"import math, random, os, gc, struct, utime, music\n{TRY}t(lambda: {call})\n"
    assert run_program(source, board="v1").output.strip() == NO_KW


def test_v2_words_it_as_1_18() -> None:
    out = run_program(f"import math\n{TRY}t(lambda: math.sqrt(x=4))\n").output.strip()
    assert out == "TypeError(\"function doesn't take keyword arguments\",)"


@pytest.mark.parametrize(("call", "message"), [
    ("math.log(1, 2, 3)", "function expected at most 2 arguments, got 3"),
    ("random.seed(1, 2)", "function expected at most 1 arguments, got 2"),
    ("random.randrange(1, 2, 3, 4)", "function expected at most 3 arguments, got 4"),
    ("math.log()", "function missing 1 required positional arguments"),
    ("math.sin(1, 2)", "function takes 1 positional arguments but 2 were given")])
def test_argument_counts_in_the_firmware_words(call: str, message: str) -> None:
    out = run_program(f"import math, random\n{TRY}t(lambda: {call})\n", board="v1").output
    assert out.strip() == f"TypeError('{message}',)"


# the program measured under QEMU (its free heap decides the sizes that fit)
READ = """import gc
gc.collect()
print(gc.mem_free())
try:
    s = open('big.txt').read()
    print(len(s))
except MemoryError as e:
    print(repr(e))
s = None
gc.collect()
try:
    s = open('big.txt', 'rb').read()
    print(len(s))
except MemoryError as e:
    print(repr(e))
"""
FAILS = "MemoryError('memory allocation failed, allocating 8704 bytes',)"


@pytest.mark.parametrize(("size", "last"), [(8000, "8000"), (8440, "8440"), (8460, FAILS),
                                            (9000, FAILS), (12000, FAILS)])
def test_reading_a_whole_file_grows_a_buffer_the_v1_heap_may_not_hold(size: int,
                                                                       last: str) -> None:
    # the firmware (QEMU, 9152 bytes free): 8447 bytes end in an 8448-byte buffer; 8448 or
    # more ask for 8704 next, which the heap can't give in one piece
    data = (b"abcdefghij" * 1200)[:size]
    out = run_program(READ, board="v1", files={"big.txt": data}).output.splitlines()
    assert out[1:] == [last, last]
    assert run_program(READ, files={"big.txt": data}).output.splitlines()[1:] == [str(size)] * 2
