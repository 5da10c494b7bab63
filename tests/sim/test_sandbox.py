"""The board process as a sandbox: hostile programs can't touch the host; limits hold.

Every test runs a real board process and looks for the effect on the host — a file, a
process, a connection, a secret in the output — never just for an exception inside
the board: a program that finds a way out must fail these tests.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from tests.sim.runner import run_program
from tests.ubitcli import ROOT
from ubit.sim.host.start import BoardOptions, start_board
from ubit.sim.shared.protocol import TIME_LIMIT


def sandbox_of_this_machine() -> dict[str, Any]:
    """What ``ready`` says this machine's boards are confined with."""
    with start_board(BoardOptions(files={"main.py": b"pass\n"})) as board:
        ready = board.wait_ready(timeout=10)
        board.wait(timeout=10)
    return ready["sandbox"]


SANDBOX = sandbox_of_this_machine() if sys.platform.startswith("linux") else {}
needs_sandbox = pytest.mark.skipif(
    not (SANDBOX.get("landlock") and SANDBOX.get("seccomp")),
    reason=f"this kernel doesn't offer Landlock and seccomp to ubit ({SANDBOX})")

# Ways out of the emulation to the host's Python: each gets os.system and open().
ESCAPES = {
    "print_globals": "g = print.__globals__\nos = g['sys'].modules['os'] if 'sys' in g else "
                     "__import__('sys').modules['os']\n",
    "api_globals": "import microbit\nfrom microbit import sleep\n"
                   "os = sleep.__globals__['sys'].modules['os'] if 'sys' in "
                   "sleep.__globals__ else sleep.__wrapped__.__globals__['sys'].modules['os']\n",
    "subclasses": "os = [c for c in ().__class__.__base__.__subclasses__() "
                  "if c.__name__ == '_wrap_close'][0].__init__.__globals__\n"
                  "class O:\n    pass\no = O()\n"
                  "for k in ('system', 'open', 'environ', 'listdir'):\n"
                  "    setattr(o, k, os[k])\nos = o\n",
    # A running generator's frame leads up the stack to the host's own frames (the firmware
    # has no __traceback__, so that older route is closed by the emulation already).
    "stack_frames": "def walk():\n    f = me.gi_frame\n    while f.f_back:\n        f = f.f_back\n"
                    "    yield f\nme = walk()\nf = next(me)\n"
                    "os = f.f_globals['__builtins__'].__import__('os') if hasattr("
                    "f.f_globals['__builtins__'], '__import__') else "
                    "f.f_globals['__builtins__']['__import__']('os')\n",
}


def hostile(route: str, attack: str) -> str:
    """A program that takes ``route`` out and then tries ``attack`` (with ``os`` in hand)."""
    return ESCAPES[route] + "try:\n" + textwrap.indent(textwrap.dedent(attack), "    ") + \
        "except BaseException as e:\n    print('refused:', type(e).__name__, e.args[:1])\n"


@needs_sandbox
@pytest.mark.parametrize("route", sorted(ESCAPES))
@pytest.mark.parametrize("board", ["v1", "v2"])
def test_no_route_out_runs_a_command_or_writes_a_file(route: str, board: str,
                                                        tmp_path: Path) -> None:
    made, written = tmp_path / "made-by-a-command", tmp_path / "written"
    result = run_program(hostile(route, f"""
        print('system', os.system('touch {made}; echo hi > {made}'))
        f = os.open({str(written)!r}, 0o101)  # O_WRONLY | O_CREAT
        print('opened', f)
    """), board=board)
    assert result.status in ("ok", "error"), result.text
    assert not made.exists() and not written.exists(), result.text
    assert list(tmp_path.iterdir()) == []


@needs_sandbox
@pytest.mark.parametrize("route", sorted(ESCAPES))
def test_no_route_out_reads_the_environment_or_the_host_files(
        route: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text("the-file-secret-7731")
    monkeypatch.setenv("UBIT_TEST_SECRET", "the-env-secret-5519")
    result = run_program(hostile(route, f"""
        print(dict(os.environ))
        print(os.listdir({str(tmp_path)!r}))
        print(open({str(secret_file)!r}).read())
    """))
    assert "the-env-secret-5519" not in result.text
    assert "secret.txt" not in result.text and "the-file-secret-7731" not in result.text


@needs_sandbox
@pytest.mark.parametrize("route", ["subclasses", "stack_frames"])
def test_no_route_out_opens_a_network_connection(route: str) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    try:
        result = run_program(hostile(route, f"""
            s = __import__('socket').create_connection(('127.0.0.1', {port}), timeout=2)
            s.sendall(b'out')
        """))
        with pytest.raises(socket.timeout):
            listener.accept()  # nobody came
    finally:
        listener.close()
    assert "refused" in result.text, result.text


@needs_sandbox
def test_no_new_process_and_no_signal_to_the_host() -> None:
    host = os.getpid()
    result = run_program(hostile("subclasses", f"""
        import_ = ().__class__.__base__.__subclasses__
        mod = [c for c in import_() if c.__name__ == '_wrap_close'][0].__init__.__globals__
        print('kill', mod['kill']({host}, 0))
    """) + hostile("stack_frames", """
        print('fork', os.fork())
    """))
    # The firmware has no PermissionError: the board reports EPERM (1) as an OSError.
    assert result.text.count("refused: OSError (1,)") == 2, result.text


@needs_sandbox
def test_ready_reports_what_confines_the_board() -> None:
    assert SANDBOX["landlock"] >= 1 and SANDBOX["seccomp"] is True
    assert SANDBOX["dies_with_host"] is True
    assert {"address space", "open files", "file size"} <= set(SANDBOX["limits"])


# -- limits ---------------------------------------------------------------------------------
@pytest.mark.parametrize("work", ["print(sum(map(abs, range(-2**31, 2**31 - 1))))",
                                  "print(len(str(2**10**8)))"])
def test_the_time_limit_ends_a_long_built_in_call(work: str) -> None:
    began = time.monotonic()
    result = run_program(work + "\n", time_limit_ms=1000, timeout=30)
    took = time.monotonic() - began
    # interrupted between two steps of the calculation, or ended at the hard deadline
    assert (result.status, result.error) in (("timeout", None), ("stopped", TIME_LIMIT))
    assert took < 1 + 2 + 3  # the limit, the deadline's grace, and start-up on a slow day
    if "sum" in work:  # one call from start to end: only the deadline can end it
        assert result.status == "stopped"


def test_ubit_run_says_stopped_at_the_time_limit_with_its_own_exit_code(
        tmp_path: Path) -> None:
    program = tmp_path / "busy.py"
    program.write_text("print('start')\nprint(sum(map(abs, range(-2**31, 2**31 - 1))))\n")
    proc = subprocess.run([sys.executable, "-m", "ubit", "run", "--headless", str(program),
                           "--time", "1"], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert proc.stdout == "start\n"
    assert proc.returncode == 3
    assert proc.stderr.strip().splitlines() == [
        "ubit: run: stopped: time limit (the program was still running 2 s after its "
        "1 s; a long calculation can't be interrupted)"]


def test_a_print_flood_is_bounded_by_the_serial_line() -> None:
    result = run_program("while True:\n    print('x' * 100)\n", time_limit_ms=10_000)
    assert result.status == "timeout"
    assert len(result.output) <= 10 * 115_200 / 10 + 200  # 10 s at 115200 baud


def test_a_memory_bomb_leaves_a_board_that_still_answers() -> None:
    with start_board(BoardOptions(clock="real", repl=True)) as board:
        seen = b""
        deadline = time.monotonic() + 10
        while b">>> " not in seen and time.monotonic() < deadline:
            seen += board.read_serial(timeout=0.2)
        for line in (b"x = bytearray(3 * 10**9)\r", b"y = []\r",
                     b"while True: y.append(bytearray(10**7))\r\r", b"y = None\r",
                     b"print(6 * 7)\r"):
            board.write_serial(line)
            time.sleep(0.3)
        deadline = time.monotonic() + 20
        while b"42\r\n" not in seen and time.monotonic() < deadline:
            seen += board.read_serial(timeout=0.2)
        assert board.running
    text = seen.decode(errors="replace")
    assert text.count("MemoryError") >= 2 and "42\r\n" in text, text


# -- the board dies with its host ---------------------------------------------------------
def board_processes(host: int) -> list[int]:
    """Board processes (the firmware's entry) whose parent is ``host``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(next(line.split()[1] for line in status.splitlines()
                        if line.startswith("PPid:")))
        if ppid == host and b"firmware import entry" in cmdline:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` is still a running (not zombie) process."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL, signal.SIGHUP])
def test_a_killed_host_leaves_no_board(how: int, tmp_path: Path) -> None:
    program = tmp_path / "busy.py"
    # one built-in call of a minute and more: deaf to Python
    program.write_text("print('running')\nprint(sum(map(abs, range(-2**31, 2**31 - 1))))\n")
    host = subprocess.Popen([sys.executable, "-m", "ubit", "run", "--headless", str(program)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert host.stdout is not None and host.stdout.readline() == b"running\n"
        boards = board_processes(host.pid)
        assert len(boards) == 1
        host.send_signal(how)
        host.wait(timeout=10)
        deadline = time.monotonic() + 5
        while alive(boards[0]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(boards[0])
    finally:
        host.kill()
        host.wait()


# -- saying what is in place ---------------------------------------------------------------------
@needs_sandbox
def test_ubit_doctor_says_how_boards_are_confined() -> None:
    proc = subprocess.run([sys.executable, "-m", "ubit", "doctor"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert f"Landlock ABI {SANDBOX['landlock']}: only the Python library and ubit can be " \
           "read" in proc.stdout
    assert "seccomp filter: no new programs, processes or sockets" in proc.stdout
    assert "dies with its host: yes" in proc.stdout


def test_weaker_isolation_is_said_in_one_line() -> None:
    from ubit.sim.host import isolation

    assert isolation.weaker({"landlock": 7, "seccomp": True}) is None
    note = isolation.weaker({"landlock": 0, "seccomp": True, "limits": ["address space"]})
    assert note is not None and "\n" not in note
    assert note.startswith("note: isolation is weaker on this machine (no Landlock)")
    assert "Landlock: not available" in isolation.describe({"landlock": 0})[0]
