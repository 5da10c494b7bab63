"""`ubit sim`: the virtual board on a pseudo-terminal, judged by third-party serial clients."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MPREMOTE = [sys.executable, "-m", "mpremote"]


@pytest.fixture
def sim_port(tmp_path):
    """A running `ubit sim`; yields a function that starts one and returns its pty path."""
    procs = []

    def start(*args: str) -> str:
        proc = subprocess.Popen([sys.executable, "-m", "ubit", "sim", *args], cwd=tmp_path,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs.append(proc)
        line = proc.stdout.readline()
        assert " on /dev/" in line, (line, proc.stderr.read() if proc.poll() else "")
        return line.split(" on ", 1)[1].strip()

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)


def mpremote(port: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*MPREMOTE, "connect", port, *args], capture_output=True, text=True,
                          timeout=30)


@pytest.mark.parametrize("board", ["v2", "v1"])
def test_mpremote_exec_eval_run_soft_reset(sim_port, tmp_path, board):
    port = sim_port("--board", board)
    proc = mpremote(port, "exec", "print(6 * 7)")
    assert (proc.returncode, proc.stdout) == (0, "42\n"), proc.stderr
    proc = mpremote(port, "eval", "1 + 2")
    assert (proc.returncode, proc.stdout) == (0, "3\n"), proc.stderr
    script = tmp_path / "script.py"
    script.write_text("from microbit import *\nprint('ran', running_time() >= 0)\n")
    proc = mpremote(port, "run", str(script))
    assert (proc.returncode, proc.stdout) == (0, "ran True\n"), proc.stderr
    proc = mpremote(port, "exec", "x = 5", "soft-reset", "exec",
                    "print('x' in globals())")
    assert (proc.returncode, proc.stdout) == (0, "False\n"), proc.stderr


def test_sim_runs_program_first_and_keeps_running(sim_port, tmp_path):
    (tmp_path / "main.py").write_text("counter = 10\n")
    port = sim_port(str(tmp_path / "main.py"))
    # `resume` keeps main.py's globals, as on a board (mpremote soft-resets otherwise)
    proc = mpremote(port, "resume", "exec", "print(counter + 1)")
    assert proc.stdout == "11\n", proc.stderr
    time.sleep(0.5)
    proc = mpremote(port, "resume", "eval", "counter")  # still there for the next client
    assert proc.stdout == "10\n", proc.stderr
    proc = mpremote(port, "eval", "'counter' in globals()")  # a soft reset in raw mode
    assert proc.stdout == "False\n", proc.stderr  # doesn't run main.py again


def test_fs_folder_survives_restarts(sim_port, tmp_path):
    folder = tmp_path / "board"
    folder.mkdir()
    (folder / "notes.txt").write_text("from the folder\n")
    port = sim_port("--fs", str(folder))
    proc = mpremote(port, "exec", "print(open('notes.txt').read(), end='')\n"
                                  "f = open('new.txt', 'w')\nf.write('made on the board')\n"
                                  "f.close()")
    assert proc.stdout == "from the folder\n", proc.stderr
    deadline = time.monotonic() + 5
    while not (folder / "new.txt").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (folder / "new.txt").read_text() == "made on the board"
    port2 = sim_port("--fs", str(folder))  # a new board on the same folder
    proc = mpremote(port2, "exec", "import os\nprint(sorted(os.listdir()))")
    assert proc.stdout == "['new.txt', 'notes.txt']\n", proc.stderr
