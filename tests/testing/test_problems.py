"""``ubit problem``: every shipped problem proves itself; a broken one is reported in one line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ubit.testing.problems import SHIPPED, load_problem, shipped_problems

TINY_TESTS = '''
from ubit.testing import Image


def test_a_shows_a_heart(board):
    board.click("A")
    board.run(200)
    board.assert_shows(Image.HEART)
'''
TINY_SOLUTION = '''from microbit import *
while True:
    if button_a.was_pressed():
        display.show(Image.HEART)
    sleep(20)
'''
TINY_STARTER = "from microbit import *\nwhile True:\n    sleep(20)\n"


def ubit(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the ubit command as a user would."""
    return subprocess.run([sys.executable, "-m", "ubit", *args], capture_output=True,
                          text=True, timeout=300)


def tiny_problem(folder: Path, solution: str = TINY_SOLUTION, starter: str = TINY_STARTER,
                 settings: str = "[tests.test_a_shows_a_heart]\nmarks = 2\n") -> Path:
    """A one-test problem folder."""
    folder.mkdir()
    (folder / "problem.toml").write_text('title = "Tiny"\n' + settings)
    (folder / "statement.md").write_text("# Tiny\n\nShow a heart when A is pressed.\n")
    (folder / "tests.py").write_text(TINY_TESTS)
    (folder / "solution.py").write_text(solution)
    (folder / "starter.py").write_text(starter)
    return folder


def test_at_least_eight_shipped_problems_cover_the_topics() -> None:
    problems = [load_problem(p) for p in shipped_problems()]
    assert len(problems) >= 8
    sources = "\n".join(p.solution["main.py"].decode() + p.tests_source for p in problems)
    for topic in ("button_a", "temperature", "was_gesture", "accelerometer", "music.play",
                  "radio.send", "make_board", "open(", "display.scroll"):
        assert topic in sources, f"no shipped problem uses {topic}"
    for problem in problems:
        assert problem.statement.startswith("# ")
        assert all(spec.hint for spec in problem.tests), f"{problem.name}: a test has no hint"


def test_every_shipped_problem_checks_out() -> None:
    names = [p.name for p in shipped_problems()]
    done = ubit("problem", "check", *names)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(names)
    for name, line in zip(names, lines, strict=True):
        assert line.startswith(f"ok    {name}: the reference passes"), line


def test_a_broken_problem_is_reported_in_one_line(tmp_path: Path) -> None:
    # the reference and the starter swapped: the reference fails, the starter passes
    folder = tiny_problem(tmp_path / "swapped", solution=TINY_STARTER, starter=TINY_SOLUTION)
    done = ubit("problem", "check", str(folder))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "FAIL  swapped: the reference solution fails test_a_shows_a_heart; the starter "
        "passes every test (there is nothing to do)"]
    verbose = ubit("problem", "check", str(folder), "-v")
    assert "should show Image.HEART" in verbose.stdout  # why, with -v


def test_a_good_problem_of_ones_own(tmp_path: Path) -> None:
    done = ubit("problem", "check", str(tiny_problem(tmp_path / "tiny")))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok    tiny: the reference passes 1/1 tests; the starter "
                                  "fails 1 (gets 0/2 marks)")


def test_bad_problem_folders_get_one_clear_line(tmp_path: Path) -> None:
    missing = tiny_problem(tmp_path / "missing")
    (missing / "tests.py").unlink()
    unknown = tiny_problem(tmp_path / "unknown", settings="[tests.test_nope]\nmarks = 1\n")
    bad_marks = tiny_problem(tmp_path / "marks",
                             settings="[tests.test_a_shows_a_heart]\nmarks = 'two'\n")
    for folder, words in ((missing, "tests.py: missing"), (unknown, "no function test_nope"),
                          (bad_marks, "marks = 'two'"), (tmp_path / "nowhere", "no such problem")):
        done = ubit("problem", "check", str(folder))
        assert done.returncode == 1
        assert done.stderr.startswith("ubit: problem check: ") and words in done.stderr, \
            done.stderr
        assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr


def test_problem_list_and_the_tests_also_run_under_pytest(tmp_path: Path) -> None:
    listed = ubit("problem", "list")
    assert listed.returncode == 0
    assert {line.split()[0] for line in listed.stdout.splitlines()} == \
        {p.name for p in shipped_problems()}
    # the same tests.py is a plain pytest file: the plugin's board fixture runs it
    folder = shutil.copytree(SHIPPED / "heart-on-a", tmp_path / "heart")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(folder / "tests.py"), "--ubit-program",
                           str(folder / "starter.py")],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert "2 failed, 1 passed" in done.stdout, done.stdout
