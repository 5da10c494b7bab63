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


MICROFS = [sys.executable, "-m", "microfs"]


def microfs(port: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*MICROFS, "-s", port, *args], capture_output=True, text=True,
                          timeout=60, cwd=cwd)


@pytest.mark.parametrize("board", ["v2", "v1"])
def test_microfs2_ls_put_get_cat_rm(sim_port, tmp_path, board):
    port = sim_port("--board", board)
    text = "".join(f"line {i}: the quick brown fox\n" for i in range(150))
    (tmp_path / "story.txt").write_text(text)
    proc = microfs(port, "put", "story.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = microfs(port, "ls", cwd=tmp_path)
    assert (proc.returncode, proc.stdout.split()) == (0, ["story.txt"]), proc.stderr
    back = tmp_path / "back"
    back.mkdir()
    proc = microfs(port, "get", "story.txt", cwd=back)
    assert proc.returncode == 0, proc.stderr
    assert (back / "story.txt").read_text() == text
    proc = microfs(port, "cat", "story.txt", cwd=tmp_path)
    assert proc.stdout.replace("\r\n", "\n").strip() == text.strip(), proc.stderr
    proc = microfs(port, "rm", "story.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert microfs(port, "ls", cwd=tmp_path).stdout.split() == []


def test_mpremote_fs_commands_on_v2(sim_port, tmp_path):
    port = sim_port("--board", "v2")
    (tmp_path / "data.bin").write_bytes(bytes(range(256)) * 4)
    proc = mpremote(port, "fs", "cp", str(tmp_path / "data.bin"), ":data.bin")
    assert proc.returncode == 0, proc.stderr
    proc = mpremote(port, "fs", "ls")
    # V2's os.ilistdir gives (name, 32768, 0) (reference §28.3): mpremote shows size 0
    assert proc.returncode == 0 and proc.stdout.split()[-2:] == ["0", "data.bin"], \
        proc.stdout + proc.stderr
    proc = mpremote(port, "fs", "cp", ":data.bin", str(tmp_path / "back.bin"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "back.bin").read_bytes() == bytes(range(256)) * 4
    proc = mpremote(port, "fs", "rm", ":data.bin")
    assert proc.returncode == 0, proc.stderr
    assert "data.bin" not in mpremote(port, "fs", "ls").stdout


def test_mpremote_fs_fails_on_v1_as_on_the_firmware(sim_port):
    # firmware-v1-observed.md: V1 has no os.ilistdir/os.stat, so mpremote's fs can't work
    port = sim_port("--board", "v1")
    proc = mpremote(port, "fs", "ls")
    assert proc.returncode != 0
    assert "ilistdir" in proc.stdout + proc.stderr
