"""Call depth per shape on the virtual V1 against the real V1 firmware (issue 18).

Each ``tests/fidelity/programs/1NN_depth_*.py`` program finds the deepest recursion of one
shape that runs and prints ``<shape> <depth>``; ``tests/fidelity/expected/`` holds what the
official V1 firmware printed under QEMU. The firmware stops at a 1.8 KB C stack, where each
kind of frame (and each C function between Python calls) costs its own amount, so the depth
differs by shape; the virtual V1 counts those bytes (``ubit.sim.micropython.stackmodel``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sim.runner import run_program

FIDELITY = Path(__file__).resolve().parents[1] / "fidelity"

# shape → (program, depth the V1 firmware reached). The table the issue asks for.
FIRMWARE_DEPTHS = {
    "plain function": ("113_depth_plain_function", 4),
    "method": ("114_depth_method", 3),
    "closure": ("115_depth_closure", 2),
    "lambda": ("116_depth_lambda", 4),
    "generator": ("117_depth_generator", 8),
    "list comprehension": ("118_depth_comprehension", 1),
    "join of a generator": ("119_depth_join_genexpr", 1),
    "map": ("120_depth_map", 2),
    "sorted key": ("121_depth_sorted_key", 2),
    "display.show at the bottom": ("122_depth_display_show", 4),
    "display.scroll at the bottom": ("123_depth_display_scroll", 4),
    "print at the bottom": ("124_depth_print_bottom", 3),
    "mutual": ("125_depth_mutual", 4),
    "decorated function": ("126_depth_decorated", 1),
    "__str__ through str()": ("127_depth_str_method", 3),
    "keyword-argument": ("128_depth_kwargs", 3),
    "grid() at the bottom": ("129_depth_grid_at_bottom", 0),
}

def reported_depth(program: str, text: str) -> int:
    """The depth a depth program printed on its last line."""
    last = text.strip().splitlines()[-1]
    label, _, depth = last.rpartition(" ")
    assert label and depth.isdigit(), f"{program} printed {last!r}"
    return int(depth)


def virtual_depth(program: str) -> int:
    """How deep the shape of ``program`` goes on the virtual V1."""
    source = (FIDELITY / "programs" / f"{program}.py").read_text(encoding="utf-8")
    result = run_program(source, board="v1", time_limit_ms=120_000)
    return reported_depth(program, result.text)


def test_table_is_the_recorded_firmware_output() -> None:
    for program, depth in FIRMWARE_DEPTHS.values():
        text = (FIDELITY / "expected" / f"{program}.txt").read_text(encoding="utf-8")
        assert reported_depth(program, text) == depth, program


@pytest.mark.parametrize("shape", sorted(FIRMWARE_DEPTHS))
def test_depth_matches_the_firmware(shape: str) -> None:
    program, firmware = FIRMWARE_DEPTHS[shape]
    assert virtual_depth(program) == firmware


def test_grid_pattern_runs_on_v1() -> None:
    source = (FIDELITY / "programs" / "130_grid_read_back.py").read_text(encoding="utf-8")
    result = run_program(source, board="v1", time_limit_ms=120_000)
    assert result.text == (FIDELITY / "expected" / "130_grid_read_back.txt").read_text()


def test_method_chain_ending_in_show_runs_on_v1() -> None:
    source = (FIDELITY / "programs" / "131_method_chain_show.py").read_text(encoding="utf-8")
    result = run_program(source, board="v1", time_limit_ms=120_000)
    assert result.text == (FIDELITY / "expected" / "131_method_chain_show.txt").read_text()


# shape → (program, depth the V2 firmware reaches as derived from its sources). The V2
# has no oracle: the depths follow from MicroPython 1.18's frames along each shape's call
# chain (``tests/fidelity/stack_derive.py``), 7680 bytes of stack and 432 in use at
# main.py's top level. The programs are the V1's with room to go deeper than 15.
V2_DERIVED_DEPTHS = {
    "plain function": ("113_depth_plain_function", 35),
    "method": ("114_depth_method", 33),
    "closure": ("115_depth_closure", 25),
    "lambda": ("116_depth_lambda", 35),
    "list comprehension": ("118_depth_comprehension", 14),
    "join of a generator": ("119_depth_join_genexpr", 13),
    "map": ("120_depth_map", 24),
    "sorted key": ("121_depth_sorted_key", 20),
    "__str__ through str()": ("127_depth_str_method", 22),
    "display.show at the bottom": ("122_depth_display_show", 35),
    "print at the bottom": ("124_depth_print_bottom", 34),
}


def v2_depth(program: str) -> int:
    """How deep the shape of ``program`` goes on the virtual V2."""
    source = (FIDELITY / "programs" / f"{program}.py").read_text(encoding="utf-8")
    source = source.replace("range(1, 16)", "range(1, 60)")
    result = run_program(source, board="v2", time_limit_ms=120_000)
    return reported_depth(program, result.text)


@pytest.mark.parametrize("shape", sorted(V2_DERIVED_DEPTHS))
def test_v2_depth_matches_the_derivation(shape: str) -> None:
    program, derived = V2_DERIVED_DEPTHS[shape]
    assert v2_depth(program) == derived


def test_runaway_recursion_on_v2_ends_in_the_firmware_error() -> None:
    result = run_program("def down(n):\n    return down(n + 1) + 1\n\ndown(0)\n",
                         board="v2", time_limit_ms=10_000)
    assert result.text.endswith("RuntimeError: maximum recursion depth exceeded\n")
    assert result.text.count('File "main.py", line 2, in down') == 37
