"""``ubit run PROGRAM --firmware``: a user's program on the real V1 firmware under QEMU.

Each test runs the command as a user would and checks what they would see: the
firmware's own output and errors on stdout, warnings and one-line errors on stderr, the
exit code. The tests that boot QEMU are skipped without ``qemu-system-arm``; the
"QEMU is missing" path is tested with a PATH that has no QEMU on it.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ubitcli import ROOT, assert_clean_error, run_ubit
from ubit.device.qemu import find_qemu

requires_qemu = pytest.mark.skipif(
    find_qemu() is None,
    reason="qemu-system-arm is not installed (apt-get install qemu-system-arm; `make apt` as root)",
)


def write(folder: Path, name: str, text: str) -> Path:
    """``text`` saved as ``folder/name``; its path."""
    path = folder / name
    path.write_text(text)
    return path


def run_firmware(program: Path, *options: str, tmp: Path,
                 input: bytes | None = None) -> tuple[subprocess.CompletedProcess[str], float]:
    """``ubit run PROGRAM --firmware OPTIONS`` with its temporary files kept in ``tmp``."""
    start = time.monotonic()
    proc = run_ubit("run", program, "--firmware", *options, env={"TMPDIR": str(tmp)},
                    input=input, timeout=90)
    return proc, time.monotonic() - start


def assert_nothing_left(tmp: Path) -> None:
    """No temporary file, and no QEMU still running on one."""
    assert list(tmp.iterdir()) == []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        assert str(tmp).encode() not in cmdline, f"QEMU still running: {cmdline!r}"


@pytest.fixture()
def tmp(tmp_path: Path) -> Path:
    """An empty folder for the run's temporary files (TMPDIR)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


@pytest.mark.qemu
@requires_qemu
def test_program_prints_and_ends(tmp_path: Path, tmp: Path) -> None:
    program = write(tmp_path, "hello.py", 'print("hello")\nprint(6 * 7)\nprint(1 / 3)\n'
                                           'print("no newline", end="")\n')
    proc, _ = run_firmware(program, tmp=tmp)
    # the firmware's single-precision float; no boot NUL, no CRLF, no REPL banner
    assert proc.stdout == "hello\n42\n0.333333\nno newline"
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert_nothing_left(tmp)


@pytest.mark.qemu
@requires_qemu
def test_uncaught_error_is_the_firmware_traceback_and_exit_1(tmp_path: Path, tmp: Path) -> None:
    program = write(tmp_path, "boom.py", 'print("before")\nraise ValueError("boom")\n')
    proc, _ = run_firmware(program, tmp=tmp)
    assert proc.stdout == ('before\nTraceback (most recent call last):\n'
                           '  File "__main__", line 2, in <module>\nValueError: boom\n')
    assert proc.returncode == 1


@pytest.mark.qemu
@requires_qemu
def test_program_too_big_for_the_v1_heap(tmp_path: Path, tmp: Path) -> None:
    # the firmware runs out of its 10 KB heap (the virtual V1 too: tests/sim/test_heap_model.py)
    program = write(tmp_path, "big.py", "x = [0] * 5000\nprint(len(x))\n")
    proc, _ = run_firmware(program, tmp=tmp)
    assert proc.stdout == ('Traceback (most recent call last):\n  File "__main__", line 1, '
                           'in <module>\nMemoryError: memory allocation failed, allocating '
                           '20000 bytes\n')
    assert proc.returncode == 1
    # too long to compile in 10 KB: the firmware says only this, before the first line runs
    # (the virtual V1 too: tests/sim/test_compile_memory.py)
    program = write(tmp_path, "long.py", "".join(f"x{i} = {i}\n" for i in range(1500)))
    proc, _ = run_firmware(program, tmp=tmp)
    assert (proc.stdout, proc.returncode) == ("MemoryError: \n", 1)


@pytest.mark.qemu
@requires_qemu
def test_too_big_for_the_v1_filesystem_is_the_build_error(tmp_path: Path, tmp: Path) -> None:
    program = write(tmp_path, "huge.py", "# " + "x" * 40000 + "\n")
    proc, _ = run_firmware(program, tmp=tmp)
    line = assert_clean_error(proc, "run")
    assert "huge.py" in line and "V1" in line and "bytes" in line, line
    assert proc.stdout == ""


@pytest.mark.qemu
@requires_qemu
def test_a_folder_of_files(tmp_path: Path, tmp: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    write(folder, "main.py", "import helper\nimport os\nprint(helper.twice(21))\n"
                             "print(sorted(os.listdir()))\n")
    write(folder, "helper.py", "def twice(n):\n    return 2 * n\n")
    proc, _ = run_firmware(folder, tmp=tmp)
    assert (proc.stdout, proc.returncode) == ("42\n['helper.py', 'main.py']\n", 0)


@pytest.mark.qemu
@requires_qemu
def test_endless_program_is_stopped_at_its_time_limit(tmp_path: Path, tmp: Path) -> None:
    program = write(tmp_path, "forever.py", 'print("started")\nn = 0\nwhile True:\n'
                                            '    n += 1\n')
    proc, elapsed = run_firmware(program, "--time", "3", tmp=tmp)
    assert proc.stdout == "started\n"
    line = assert_clean_error(proc, "run", code=3)
    assert "still running after 3 s under QEMU" in line and "radio" in line, line
    assert 3 <= elapsed < 20
    assert_nothing_left(tmp)


@pytest.mark.qemu
@requires_qemu
def test_a_firmware_out_of_memory_for_good_is_said_so(tmp_path: Path, tmp: Path) -> None:
    # 50 small functions: too long to compile, and so long that the firmware's MemoryError
    # comes bare and it never reaches its REPL. Not "waiting on a part QEMU lacks"
    source = "".join(f"def f{i}(a, b):\n    return a + b * {i}\n" for i in range(50))
    proc, elapsed = run_firmware(write(tmp_path, "full.py", source), "--time", "4", tmp=tmp)
    assert proc.stdout == "MemoryError: \n"
    line = assert_clean_error(proc, "run")
    assert "ran out of memory" in line and "radio" not in line, line
    assert elapsed < 20
    assert_nothing_left(tmp)


@pytest.mark.qemu
@requires_qemu
def test_radio_is_said_to_hang_before_the_run(tmp_path: Path, tmp: Path) -> None:
    program = write(tmp_path, "radio.py", 'print("on")\nimport radio\nprint("never")\n')
    proc, _ = run_firmware(program, "--time", "1.5", tmp=tmp)
    assert proc.stdout == "on\n"
    assert proc.returncode == 3
    warning, stopped = proc.stderr.strip().splitlines()
    assert warning.startswith("ubit: run: warning: `import radio` hangs under QEMU"), warning
    assert stopped.startswith("ubit: run: stopped: "), stopped


@pytest.mark.qemu
@requires_qemu
def test_headless_the_repl_is_not_entered(tmp_path: Path, tmp: Path) -> None:
    program = write(tmp_path, "hi.py", 'print("hi")\n')
    proc, _ = run_firmware(program, tmp=tmp, input=b"print(6 * 7)\r\n")
    assert (proc.stdout, proc.returncode) == ("hi\n", 0)


def read_until(fd: int, marker: bytes | None, seen: bytearray, timeout: float = 30) -> None:
    """Read the terminal into ``seen`` until it holds ``marker`` (None: until it closes)."""
    deadline = time.monotonic() + timeout
    while marker is None or marker not in seen:
        assert time.monotonic() < deadline, f"no {marker!r} in {bytes(seen)!r}"
        if select.select([fd], [], [], 0.2)[0]:
            try:
                data = os.read(fd, 4096)
            except OSError:  # Linux: the command ended, its side of the terminal closed
                data = b""
            if not data:
                assert marker is None, f"no {marker!r} in {bytes(seen)!r}"
                return
            seen += data


@pytest.mark.qemu
@requires_qemu
def test_in_a_terminal_the_repl_follows_until_ctrl_bracket(tmp_path: Path) -> None:
    program = write(tmp_path, "hi.py", 'print("hi")\n')
    pid, fd = pty.fork()
    if pid == 0:  # the child: ubit with the terminal as stdin, stdout and stderr
        try:
            os.chdir(ROOT)
            os.execv(sys.executable, [sys.executable, "-m", "ubit", "run", str(program),
                                      "--firmware"])
        finally:
            os._exit(127)  # never back into pytest
    seen = bytearray()
    try:
        read_until(fd, b">>> ", seen)
        assert b"hi\r\n" in seen and b"Ctrl-] leaves" in seen
        os.write(fd, b"print(6 * 7)\r")
        read_until(fd, b"42\r\n>>> ", seen)
        os.write(fd, b"\x1d")
        read_until(fd, None, seen, timeout=15)
        _, status = os.waitpid(pid, 0)
        pid = 0
        assert os.waitstatus_to_exitcode(status) == 0, bytes(seen)
    finally:
        if pid:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        os.close(fd)


def test_v2_board_is_a_usage_error(tmp_path: Path) -> None:
    program = write(tmp_path, "hi.py", 'print("hi")\n')
    proc = run_ubit("run", program, "--board", "v2", "--firmware")
    line = assert_clean_error(proc, "run", code=2)
    assert "--board v2" in line and "V1" in line, line


@pytest.mark.parametrize("options, named", [
    (["--inputs", "taps.txt"], "--inputs"),
    (["--audio", "tune.wav"], "--audio"),
    (["--log-csv", "data.csv"], "--log-csv"),
    (["--board", "v1", "--board", "v1"], "--board"),
    (["--device"], "--device"),
])
def test_virtual_board_options_are_refused(tmp_path: Path, options: list[str],
                                           named: str) -> None:
    program = write(tmp_path, "hi.py", 'print("hi")\n')
    proc = run_ubit("run", program, "--firmware", *options, cwd=tmp_path)
    line = assert_clean_error(proc, "run", code=2)
    assert named in line and "--firmware" in line, line
    assert list(tmp_path.iterdir()) == [program]  # no file made


def test_several_programs_are_a_usage_error(tmp_path: Path) -> None:
    a, b = write(tmp_path, "a.py", "pass\n"), write(tmp_path, "b.py", "pass\n")
    proc = run_ubit("run", a, b, "--firmware")
    line = assert_clean_error(proc, "run", code=2)
    assert "folder" in line, line


def test_missing_qemu_says_how_to_install_it(tmp_path: Path) -> None:
    program = write(tmp_path, "hi.py", 'print("hi")\n')
    empty = tmp_path / "bin"
    empty.mkdir()
    proc = run_ubit("run", program, "--firmware", env={"PATH": str(empty)})
    line = assert_clean_error(proc, "run")
    assert "qemu-system-arm not found" in line
    assert "sudo apt-get install qemu-system-arm" in line and "brew install qemu" in line
    assert proc.stdout == ""
    doctor = run_ubit("doctor", env={"PATH": str(empty)})
    qemu = [row for row in doctor.stdout.splitlines() if row.startswith("qemu-system-arm:")]
    assert len(qemu) == 1 and "not found" in qemu[0], doctor.stdout
    assert "sudo apt-get install qemu-system-arm" in qemu[0]


@requires_qemu
def test_doctor_gives_qemus_version() -> None:
    doctor = run_ubit("doctor")
    qemu = [row for row in doctor.stdout.splitlines() if row.startswith("qemu-system-arm:")]
    assert len(qemu) == 1, doctor.stdout
    assert find_qemu() in qemu[0]
    assert " QEMU " in qemu[0] and any(ch.isdigit() for ch in qemu[0].split(" QEMU ")[1][:3])
