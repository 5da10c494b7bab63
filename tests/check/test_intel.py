"""Completion, call tips, hover and go-to-definition (ubit.check.intel) for each board."""

from __future__ import annotations

import ast
import json
from dataclasses import asdict

import pytest

from tests.sim.runner import run_program
from ubit.check import intel, stubs
from ubit.errors import UsageError

HELPER = "def greet(name, times=2):\n    'Say hello to name, times times.'\n    return name\n"


def names_at_end(source: str, board: str = "v2", **kwargs) -> list[str]:
    """The names offered at the very end of ``source``."""
    lines = source.split("\n")
    return [c.name for c in intel.complete(source, len(lines), len(lines[-1]), board=board,
                                           **kwargs)]


def on_board(expression: str, board: str) -> set[str]:
    """``dir(expression)`` as the virtual board answers it."""
    result = run_program(f"from microbit import *\nprint(repr(dir({expression})))", board)
    return set(ast.literal_eval(result.text.strip().splitlines()[-1]))


@pytest.mark.parametrize("board", stubs.BOARDS)
def test_display_methods_are_offered_and_exist_on_the_board(board):
    offered = names_at_end("from microbit import *\ndisplay.", board)
    assert {"scroll", "show", "clear", "set_pixel", "get_pixel"} <= set(offered)
    assert set(offered) <= on_board("display", board)  # nothing the board lacks


@pytest.mark.parametrize("board", stubs.BOARDS)
def test_pin_logo_only_on_v2(board):
    found = intel.complete("from microbit import *\npin_l", 2, 5, board=board)
    assert [c.name for c in found] == (["pin_logo"] if board == "v2" else [])
    assert ("pin_logo" in on_board("", board)) == (board == "v2")
    if found:
        assert found[0].v2_only


def test_completion_carries_signature_and_doc():
    (scroll,) = intel.complete("from microbit import *\ndisplay.scr", 2, 11)
    assert scroll.kind == "function"
    assert scroll.signature.startswith("scroll(text")
    assert "delay" in scroll.signature
    assert scroll.doc  # the stub's docstring


def test_call_tip_for_music_play_shows_parameters_defaults_and_position():
    tip = intel.call_tip("import music\nmusic.play(", 2, 11)
    assert tip.name == "play"
    params = {p.name: p.default for p in tip.parameters}
    assert params == {"music": None, "pin": "pin0", "wait": "True", "loop": "False"}
    assert tip.index == 0 and tip.doc
    assert intel.call_tip("import music\nmusic.play(music.NYAN, wait=", 2, 28).index == 2
    assert intel.call_tip("import music\nmusic.play(music.NYAN, ", 2, 23).index == 1
    assert intel.call_tip("import music\nmusic.play(1)\n", 3, 0) is None


def test_call_tip_follows_the_board():
    v1 = intel.call_tip("import speech\nspeech.say(", 2, 11, board="v1")
    v2 = intel.call_tip("import speech\nspeech.say(", 2, 11, board="v2")
    assert "mode" not in {p.name for p in v1.parameters}  # V2-only parameters
    assert "mode" in {p.name for p in v2.parameters}


def _stub_doc(board: str, module: str, obj: str, method: str) -> str:
    """The docstring of ``obj.method`` in a board's stub, read with ast."""
    tree = ast.parse((stubs.stub_folder(board) / f"{module}.pyi").read_text())
    (declared,) = [n for n in tree.body if isinstance(n, ast.AnnAssign)
                   and isinstance(n.target, ast.Name) and n.target.id == obj]
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef)
              and n.name == declared.annotation.id]
    (func,) = [n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == method]
    return ast.get_docstring(func)


def test_hover_on_accelerometer_get_x_shows_its_docstring():
    text = intel.hover("from microbit import *\naccelerometer.get_x()", 2, 16)
    assert text.startswith("get_x() -> int")
    assert _stub_doc("v2", "microbit", "accelerometer", "get_x") in text


def test_hover_on_a_constant_shows_the_string_documenting_it():
    text = intel.hover("import music\nmusic.NYAN", 2, 8)
    assert text.startswith("NYAN")
    assert "Nyan" in text.split("\n", 1)[1]  # the doc after the constant in the stub
    assert intel.hover("for i in range(3):\n    pass\n", 1, 1) is None  # keywords: none


def test_definition_in_a_stub_and_in_a_project_file():
    where = intel.definition("from microbit import *\naccelerometer.get_x()", 2, 16)
    assert where.stub and where.module == "microbit" and where.file == "microbit.pyi"
    assert open(where.path).read().splitlines()[where.line - 1].strip().startswith("def get_x")
    source = "import helper\nhelper.greet('you')\n"
    where = intel.definition(source, 2, 9, files={"helper.py": "\n\n" + HELPER})
    assert (where.file, where.line, where.column, where.stub) == ("helper.py", 3, 4, False)
    assert intel.definition("x = 1\nprint(x)\n", 2, 7).file == "main.py"


def test_micro_bit_modules_win_over_cpython_ones():
    random_names = names_at_end("import random\nrandom.")
    assert "randint" in random_names and "gauss" not in random_names
    time_names = names_at_end("import time\ntime.")  # compiled into CPython: still the stub
    assert "sleep_ms" in time_names and "clock_gettime" not in time_names
    assert "getcwd" not in names_at_end("import os\nos.")


def test_host_only_modules_are_not_offered():
    modules = names_at_end("import ", files={"helper.py": HELPER})
    assert {"microbit", "music", "radio", "random", "helper"} <= set(modules)
    assert not {"subprocess", "itertools", "posix", "json", "pytest"} & set(modules)
    assert names_at_end("import sub") == []
    assert names_at_end("import subprocess\nsubprocess.") == []
    assert names_at_end("import pytest\npytest.") == []  # imported in this very process
    assert "log" in names_at_end("import ", "v2") and "log" not in names_at_end("import ", "v1")


def test_only_the_board_builtins_are_offered():
    assert "input" in names_at_end("inp")
    assert names_at_end("compi") == []  # CPython's compile() isn't on the micro:bit
    assert "upper" in names_at_end("x = 'abc'\nx.up")


def test_project_files_are_importable_as_the_editor_holds_them():
    source = "import helper\nhelper."
    assert names_at_end(source, files={"helper.py": HELPER}) == ["greet"]
    edited = HELPER.replace("greet", "wave")
    assert names_at_end(source, files={"helper.py": edited}) == ["wave"]  # unsaved edit
    assert names_at_end(source, files={}) == []  # the file was removed
    tip = intel.call_tip("from helper import greet\ngreet(", 2, 6, files={"helper.py": HELPER})
    assert [(p.name, p.default) for p in tip.parameters] == [("name", None), ("times", "2")]
    assert "Say hello" in intel.hover("import helper\nhelper.greet", 2, 9,
                                      files={"helper.py": HELPER})


def test_private_names_only_when_asked_for():
    offered = names_at_end("from microbit import *\ndisplay.")
    assert not [n for n in offered if n.startswith("_")]
    assert "__class__" in names_at_end("from microbit import *\ndisplay.__cl")


def test_results_serialize_to_json():
    found = intel.complete("from microbit import *\ndisplay.", 2, 8)
    tip = intel.call_tip("import music\nmusic.play(", 2, 11)
    where = intel.definition("from microbit import *\ndisplay", 2, 3)
    text = json.dumps({"completions": [asdict(c) for c in found], "tip": asdict(tip),
                       "where": asdict(where)})
    assert '"name": "scroll"' in text


def test_bad_positions_names_and_boards_are_clear_errors():
    with pytest.raises(UsageError, match=r"game\.py: line 5, column 0"):
        intel.complete("x = 1\n", 5, 0, name="game.py")
    with pytest.raises(UsageError, match="line 1, column 40"):
        intel.hover("x = 1\n", 1, 40)
    with pytest.raises(UsageError, match="unknown board"):
        intel.complete("x", 1, 1, board="v3")
    with pytest.raises(UsageError, match="can't be a path"):
        intel.complete("x", 1, 1, files={"../evil.py": "x = 1"})


def test_members_of_built_in_types_stay_right_when_served_from_memory():
    first = names_at_end("word = 'abc'\nword.")
    assert "upper" in first and not [n for n in first if n.startswith("_")]
    assert names_at_end("word = 'abc'\nword.") == first  # the kept list, not a new one
    assert set(names_at_end("word = 'abc'\nword.st")) == {"startswith", "strip"}
    assert "__len__" in names_at_end("word = 'abc'\nword.__")
    assert "append" in names_at_end("items = [1]\r\nitems.ap")  # CRLF lines count as jedi's
