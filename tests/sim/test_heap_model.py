"""The heap model: big allocations fail where the device's heap runs out (issue 18)."""

from __future__ import annotations

import textwrap

import pytest

from tests.sim.runner import run_program
from ubit.sim.micropython import compiler, heapmodel
from ubit.sim.shared.boards import V1


def run(source: str, board: str = "v1") -> str:
    """What ``source`` prints on a fresh virtual board."""
    return run_program(textwrap.dedent(source), board=board, time_limit_ms=60_000).text


def test_a_list_bigger_than_the_v1_heap_is_an_uncaught_memory_error_with_its_size():
    out = run("small = [0] * 100\nprint(len(small))\nbig = [0] * 5000\nprint(len(big))\n")
    assert out == ("100\nTraceback (most recent call last):\n"
                   '  File "__main__", line 3, in <module>\n'
                   "MemoryError: memory allocation failed, allocating 20000 bytes\n")


def test_the_v2_heap_holds_what_the_v1_heap_cannot():
    assert run("print(len([0] * 5000), len('x' * 20000))\n", board="v2") == "5000 20000\n"
    assert "allocating 400000 bytes" in run("a = [0] * 100000\n", board="v2")


@pytest.mark.parametrize(("statement", "size"), [
    ("'x' * 9000", 9001),  # a str: its text and a NUL
    ("b'ab' * 6000", 12001),
    ("(0,) * 3000", 12008),  # a tuple: 8 bytes of header in the same block
    ("bytearray(9000)", 9000),
    ("[i for i in range(5000)]", 16384),  # grown by appends, doubling from 4 items
    ("list(range(3000))", 16384),
    ("list(i for i in range(3000))", 16384),
])
def test_each_kind_of_big_allocation_fails_with_the_firmwares_request(statement: str,
                                                                       size: int):
    out = run(f"try:\n    x = {statement}\n    print('made')\nexcept MemoryError as e:\n"
              "    print(e)\n")
    assert out == f"memory allocation failed, allocating {size} bytes\n"


def test_what_the_program_holds_counts_and_dropping_it_gives_it_back():
    out = run("""
        import gc
        a = [0] * 1200
        try:
            b = [0] * 1200
        except MemoryError as e:
            print('both:', e)
        a = None
        gc.collect()
        b = [0] * 1200
        print('one:', len(b))
    """)
    assert out == "both: memory allocation failed, allocating 4800 bytes\none: 1200\n"


def test_a_failed_allocation_leaves_the_free_memory_as_it_was():
    out = run("""
        import gc
        before = 0  # a global made now: the globals table grows before the first figure
        before = gc.mem_free()
        try:
            x = [0] * 5000
        except MemoryError:
            pass
        print(gc.mem_free() == before)
    """)
    assert out == "True\n"


def test_a_string_doubling_in_place_stops_where_the_device_stops():
    out = run("""
        s = 'x'
        try:
            while True:
                s += s
        except MemoryError as e:
            print(len(s), e)
    """)
    assert out == "4096 memory allocation failed, allocating 8193 bytes\n"


def test_plus_keeps_its_meaning_for_numbers_lists_and_aliases():
    out = run("""
        total = 0
        for i in range(10):
            total += i
        a = [1]
        alias = a
        a += [2] * 300
        s = ''
        for i in range(3):
            s = s + str(i)
        t = (1,)
        t = t + (2,)
        print(total, alias is a, len(alias), s, t)
    """)
    assert out == "45 True 301 012 (1, 2)\n"


def test_extending_a_list_needs_a_new_block_for_both_while_the_old_one_is_held():
    out = run("a = [0] * 1000\na += [0] * 600\nprint(len(a))\n")
    assert out.endswith("MemoryError: memory allocation failed, allocating 6416 bytes\n")
    assert run("a = [0] * 500\na += [0] * 300\nprint(len(a))\n") == "800\n"


def test_the_model_can_be_switched_off(monkeypatch: pytest.MonkeyPatch):
    source = "a = [0] * 5000\ns = 'x'\ns += s\nb = bytearray(9000)\nc = [i for i in a]\n"
    checked = compiler.compile_user(source, "main.py", V1)
    assert heapmodel.MUL in checked.co_names and heapmodel.GROWN in checked.co_names
    monkeypatch.setenv("UBIT_HEAP_MODEL", "0")
    plain = compiler.compile_user(source, "main.py", V1)
    assert not {heapmodel.MUL, heapmodel.IADD, heapmodel.BUFFER,
                heapmodel.GROWN} & set(plain.co_names)


def test_a_module_imported_from_a_file_takes_heap():
    # the V1 firmware under QEMU: importing a module of 30 small functions takes ~3 KB of
    # its heap (9328 -> 6272 free); the board charges its code and data too (more than the
    # firmware for now), not nothing
    functions = "".join(f"def f{i}(x):\n    y = x + {i}\n    if y > 10:\n        return y * 2\n"
                        "    return y - 1\n" for i in range(30))
    result = run_program("import gc\ngc.collect()\nbefore = gc.mem_free()\nimport bigmod\n"
                         "gc.collect()\nprint(before - gc.mem_free())\n", board="v1",
                         files={"bigmod.py": functions.encode()})
    assert 2000 <= int(result.text) <= 8000, result.text
