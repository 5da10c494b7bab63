"""The pytest plugin from a real pytest run: a teacher's tests on a pupil's program."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TEACHER_TESTS = '''
from ubit.testing import Image

def test_a_shows_a_heart(board):
    board.click("A")
    board.run(200)
    board.assert_shows(Image.HEART)

def test_it_counts_on_the_display(board):
    board.run(100)
    assert board.scrolled_text() == ""
    board.click("B")
    board.run(2000)
    board.assert_scrolled("1")
'''

RIGHT = '''from microbit import *
count = 0
while True:
    if button_a.was_pressed():
        display.show(Image.HEART)
    if button_b.was_pressed():
        count += 1
        display.scroll(count)
    sleep(20)
'''

WRONG = RIGHT.replace("Image.HEART", "Image.HAPPY")


def run_pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("UBIT_PROGRAM", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           *args], cwd=folder, capture_output=True, text=True, env=env,
                          timeout=120)


def test_right_program_passes_wrong_one_fails_with_a_picture(tmp_path: Path) -> None:
    (tmp_path / "test_problem.py").write_text(TEACHER_TESTS)
    (tmp_path / "main.py").write_text(RIGHT)  # the default: main.py beside the tests
    passed = run_pytest(tmp_path)
    assert passed.returncode == 0, passed.stdout
    assert "2 passed" in passed.stdout

    (tmp_path / "attempt.py").write_text(WRONG)
    failed = run_pytest(tmp_path, "--ubit-program", "attempt.py", "--ubit-board", "v1")
    assert failed.returncode == 1
    assert "1 failed, 1 passed" in failed.stdout
    assert "After pressing button A, the display should show Image.HEART; it showed:" \
        in failed.stdout
    assert "expected    shown" in failed.stdout


def test_program_from_ini_and_missing_program(tmp_path: Path) -> None:
    (tmp_path / "test_problem.py").write_text(TEACHER_TESTS)
    (tmp_path / "pupil").mkdir()
    (tmp_path / "pupil" / "main.py").write_text(RIGHT)
    (tmp_path / "pytest.ini").write_text("[pytest]\nubit_program = pupil\nubit_board = v1\n")
    assert run_pytest(tmp_path).returncode == 0
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    missing = run_pytest(tmp_path)
    assert missing.returncode == 1
    assert "There is no program to test at" in missing.stdout
