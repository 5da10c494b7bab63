"""A long program fails to compile on the V1, as on the device (compilememory).

The V1 firmware compiles main.py and imported modules in its 10 KB heap. Each shape below is
one repeated unit of a program; the firmware column is the smallest number of units whose
main.py fails with MemoryError before running, and the message's size where it printed one,
recorded with the V1 firmware under QEMU (tests/fidelity/compile_derive.py). The virtual V1
must fail within 8 % of the same size: a teacher who checks that a program fits the V1 on
ubit finds out what the device would say.
"""

from __future__ import annotations

import ast

import pytest

from tests.fidelity.compile_derive import SHAPES, program
from tests.sim.runner import run_program
from ubit.sim.micropython import compilememory
from ubit.sim.shared.boards import V1

# shape: (smallest failing count on the firmware, the bytes its MemoryError asked, if printed)
FIRMWARE = {
    "func": (45, None), "assign": (206, 1391), "samename": (493, 3401),
    "longstr": (124, 1174), "expr": (85, 2583), "cls": (23, None), "ifelse": (124, 2921),
    "list": (149, 2034), "call": (206, 3243), "nested": (35, None), "dict": (107, 3880),
    "scroll": (141, 3256), "whileloop": (131, 2960), "lambda": (48, None),
    "listcomp": (42, None), "tryexc": (95, 3558), "game": (21, None), "pet": (11, None),
    "menu": (58, 3201), "data": (77, 1873), "tune": (38, None),
}


def _fails(shape: str, count: int) -> tuple[int, bool] | None:
    return compilememory.failing_allocation(ast.parse(program(shape, count)),
                                            V1.heap_free_at_start)


def _smallest_failing(shape: str) -> int:
    low, high = 1, 2
    while _fails(shape, high) is None:
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if _fails(shape, middle) else (middle, high)
    return high


@pytest.mark.parametrize("shape", sorted(FIRMWARE))
def test_each_shape_stops_fitting_where_the_firmwares_does(shape: str) -> None:
    firmware, _ = FIRMWARE[shape]
    found = _smallest_failing(shape)
    assert abs(found - firmware) <= 0.08 * firmware, (shape, found, firmware)


# dict: the firmware runs out growing the parse tree's buffer (3856 bytes), the board a
# little later, at the module's bytecode: the same size of program, another allocation named
NAMES_ANOTHER = {"dict"}


@pytest.mark.parametrize("shape", [s for s, (_, asked) in sorted(FIRMWARE.items())
                                   if asked and s not in NAMES_ANOTHER])
def test_the_refused_allocation_is_the_firmwares(shape: str) -> None:
    count, asked = FIRMWARE[shape]
    failing = _fails(shape, max(count, _smallest_failing(shape)))
    assert failing is not None and failing[1], shape
    assert abs(failing[0] - asked) <= 0.06 * asked, (shape, failing, asked)


def test_the_shapes_cover_every_kind_of_scope() -> None:
    # the fit's per-scope costs are only as good as the shapes that measure them
    kinds = {type(node) for shape in SHAPES for node in ast.walk(ast.parse(program(shape, 1)))}
    assert {ast.FunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp, ast.Try} <= kinds


def _run(source: str, board: str = "v1", files: dict[str, bytes] | None = None) -> str:
    return run_program(source, board=board, files=files, time_limit_ms=20_000).text


def test_a_main_py_too_big_to_compile_prints_only_the_error() -> None:
    # 60 small functions: the firmware prints "MemoryError: memory allocation failed,
    # allocating 596 bytes" (the module's bytecode) and nothing runs, no traceback heading
    source = "".join(f"def f{i}(a, b):\n    return a + b * {i}\n" for i in range(60))
    out = _run(source + "print('ran')\n")
    assert out.startswith("MemoryError: memory allocation failed, allocating ")
    assert abs(int(out.split()[-2]) - 596) <= 0.08 * 596 and "ran" not in out
    assert out.count("\n") == 1


def test_with_no_room_left_to_word_it_the_error_is_bare() -> None:
    # 50 of them: the firmware runs out so far that its MemoryError has no message
    source = "".join(f"def f{i}(a, b):\n    return a + b * {i}\n" for i in range(50))
    assert _run(source + "print('ran')\n") == "MemoryError: \n"


def test_the_same_program_a_little_shorter_runs() -> None:
    source = "".join(f"def f{i}(a, b):\n    return a + b * {i}\n" for i in range(40))
    assert _run(source + "import gc\nprint(f39(1, 2))\n") == "79\n"


def test_the_v2_compiles_what_the_v1_cannot() -> None:
    source = "".join(f"def f{i}(a, b):\n    return a + b * {i}\n" for i in range(60))
    assert _run(source + "print(f59(1, 2))\n", board="v2") == "119\n"


def test_an_imported_module_too_big_fails_at_its_import_with_a_traceback() -> None:
    # the firmware: Traceback / File "__main__", line 4 / MemoryError: memory allocation
    # failed, allocating 1661 bytes (the module's bytecode)
    helper = "x = 3\n" + "".join(f"x{i} = {i} + 1\n" for i in range(250))
    out = _run("import gc\nprint('start')\nx = 3\nimport helper\nprint('ok')\n",
               files={"helper.py": helper.encode()})
    lines = out.splitlines()
    assert lines[:3] == ["start", "Traceback (most recent call last):",
                         '  File "__main__", line 4, in <module>']
    assert lines[3].startswith("MemoryError: memory allocation failed, allocating ")
    assert abs(int(lines[3].split()[-2]) - 1661) <= 0.05 * 1661 and len(lines) == 4


def test_a_module_that_fits_imports_and_runs() -> None:
    helper = "".join(f"x{i} = {i} + 1\n" for i in range(100))
    out = _run("import helper\nprint(helper.x99)\n", files={"helper.py": helper.encode()})
    assert out == "100\n"


def test_the_heap_model_switch_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UBIT_HEAP_MODEL", "0")
    monkeypatch.setenv("UBIT_BOARD_START", "spawn")  # a fork server's boards keep its env
    source = "".join(f"def f{i}(a, b):\n    return a + b * {i}\n" for i in range(60))
    assert _run(source + "print(f59(1, 2))\n") == "119\n"


def test_a_parse_that_fills_the_heap_leaves_no_room_to_word_the_error() -> None:
    # tests/test_run_firmware.py: 1500 assignments, the firmware prints just this
    assert _run("".join(f"x{i} = {i}\n" for i in range(1500))) == "MemoryError: \n"
