"""ubit tidy: the standard layout, the same program on both boards, nothing lost on failure."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.sim.runner import run_program
from tests.ubitcli import ROOT, assert_clean_error, run_ubit
from ubit.check.tidy import TidyError, tidy_source

MESSY = """from microbit import *
import music
def tune(notes,*extra,**options):
  music.play(notes+list(extra),**options)
  return len( notes )
more=['E4:4','F4:4'];settings={'wait':True,'loop':False}
count=tune(['C4:4','D4:4','E4:4','F4:4','G4:4','A4:4','B4:4','C5:4','D5:4'],*more,**settings)
for i in range( 3 ) :display.show( i );sleep( 200 )
print( 'notes:',count )
"""


def test_a_messy_program_is_tidied_and_still_runs_the_same_on_both_boards() -> None:
    tidied = tidy_source(MESSY)
    assert tidied != MESSY
    assert "count = tune(" in tidied and "    display.show(i)\n    sleep(200)" in tidied
    assert "def tune(notes, *extra, **options):\n    music.play" in tidied
    assert "    *more,\n    **settings\n)" in tidied  # the long call split over lines
    assert tidy_source(tidied) == tidied  # tidy twice: no change
    for board in ("v1", "v2"):
        before, after = run_program(MESSY, board=board), run_program(tidied, board=board)
        assert before.status == after.status == "ok", (before.text, after.text)
        assert after.text == before.text and "notes: 9" in after.text
        assert after.states == before.states  # the same display, at the same times


def test_the_inline_assembler_and_micropython_decorators_stay_as_they_are() -> None:
    source = ("import micropython\n@micropython.asm_thumb\ndef add(r0,r1):\n"
              "    add(r0,r0,r1)\n    label(done)\n    b(done)\n"
              "@micropython.native\ndef f(x):\n    return x+1\n")
    tidied = tidy_source(source)
    assert ("@micropython.asm_thumb\ndef add(r0, r1):\n    add(r0, r0, r1)\n"
            "    label(done)") in tidied
    assert "@micropython.native\ndef f(x):\n    return x + 1\n" in tidied


def test_a_syntax_error_says_where_and_tidies_nothing() -> None:
    with pytest.raises(TidyError, match=r"^game\.py:2:1: can't tidy: the code has a syntax "):
        tidy_source("if True:\nprint('no indent')\n", "game.py")


def test_the_command_tidies_in_place_and_leaves_a_broken_file_alone(tmp_path: Path) -> None:
    good, broken = tmp_path / "main.py", tmp_path / "broken.py"
    good.write_text(MESSY)
    broken.write_text("x = = 1\n")
    proc = run_ubit("tidy", broken, good)
    line = assert_clean_error(proc, "tidy")
    assert line.startswith(f"ubit: tidy: {broken}:1:5: can't tidy")
    assert broken.read_text() == "x = = 1\n"
    assert good.read_text() == tidy_source(MESSY)  # the other file was still tidied
    assert f"{good}: tidied" in proc.stdout
    proc = run_ubit("tidy", good)
    assert proc.returncode == 0 and f"{good}: already tidy" in proc.stdout


def test_check_and_diff_change_nothing(tmp_path: Path) -> None:
    program = tmp_path / "main.py"
    program.write_text(MESSY)
    proc = run_ubit("tidy", "--check", program)
    assert proc.returncode == 1 and f"{program}: would be tidied" in proc.stdout
    proc = run_ubit("tidy", "--diff", program)
    assert proc.returncode == 0 and "+count = tune(" in proc.stdout
    assert program.read_text() == MESSY
    program.write_text(tidy_source(MESSY))
    assert run_ubit("tidy", "--check", program).returncode == 0


@pytest.mark.parametrize("make, words", [
    (lambda path: path.write_bytes(b"print('\xff')\n"), "not UTF-8 text"),
    (lambda path: None, "no such file"),
    (lambda path: path.mkdir(), ""),
])
def test_bad_files_get_one_line(tmp_path: Path, make, words: str) -> None:
    path = tmp_path / "main.py"
    make(path)
    line = assert_clean_error(run_ubit("tidy", path), "tidy")
    assert words.lower() in line.lower()


@pytest.mark.parametrize("board", ["v1", "v2"])
def test_what_tidy_writes_compiles_on_the_boards_own_compilers(board: str,
                                                                tmp_path: Path) -> None:
    from ubit.check.compilers import compiler_path
    from ubit.editor.snippets import load_snippets

    compiler = compiler_path(board)
    if not compiler.exists():
        pytest.skip(f"no mpy-cross for {board} here (make builds it)")
    programs = {"messy.py": MESSY, **{f"snippet{n}.py": s.code for n, s in
                                      enumerate(load_snippets()) if board in s.boards}}
    for name, source in programs.items():
        path = tmp_path / name
        path.write_text(tidy_source(source, name))
        proc = subprocess.run([compiler, path], capture_output=True, text=True, timeout=30)
        assert proc.returncode == 0, (name, proc.stdout + proc.stderr, path.read_text())


def test_the_examples_are_tidy_already() -> None:
    # what ubit ships is laid out the way Tidy lays it out
    for path in sorted((ROOT / "examples").glob("*.py")):
        text = path.read_text()
        assert tidy_source(text, path.name) == text, path.name
