"""Boards forked from the fork server behave as spawned ones: programs, exits, crashes,
serial, limits; nothing of one board reaches the next; they die with their host; and
without a fork server boards are spawned as before."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.ubitcli import ROOT
from ubit.sim.host import forkserver
from ubit.sim.host.fleet import Fleet
from ubit.sim.host.handle import BoardCrashed, VirtualBoard
from ubit.sim.host.start import BoardOptions, Spares, spawn_boards, start_board
from ubit.sim.shared.protocol import TIME_LIMIT

pytestmark = pytest.mark.skipif(not forkserver.available(), reason="no fork server here")


@pytest.fixture(autouse=True)
def forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every board of these tests comes from the fork server."""
    monkeypatch.setenv("UBIT_BOARD_START", "fork")


def run(source: str, **options: object) -> tuple[VirtualBoard, dict, bytes]:
    """Run ``source`` on a forked board: the board, its exit and its serial output."""
    board = start_board(BoardOptions(files={"main.py": source.encode()}, **options))
    try:
        out = b""
        while board.running:
            out += board.read_serial(timeout=0.1)
        exit_ = board.wait(timeout=30)
        out += board.read_serial()
        return board, exit_, out
    finally:
        board.close()


def test_a_forked_board_runs_a_program_and_reports_its_end() -> None:
    board, exit_, out = run("from microbit import *\ndisplay.show(7)\nprint('hi', 6 * 7)\n")
    assert type(board._proc).__name__ == "ForkedProcess"  # noqa: SLF001 - it was forked
    assert out == b"hi 42\r\n"
    assert exit_["status"] == "ok"
    assert board.state["display"][0] == [9, 9, 9, 9, 9]  # the 7's top bar
    assert board._proc.returncode == 0  # noqa: SLF001 - the server reported the exit


def test_a_forked_board_reports_errors_memory_and_time_limits() -> None:
    _, exit_, out = run("print(1 / 0)\n")
    assert exit_["status"] == "error" and "ZeroDivisionError" in out.decode()
    _, exit_, out = run("x = [1] * 10**9\n")
    assert "MemoryError" in exit_["error"]
    began = time.monotonic()
    # one long built-in call: only the hard deadline (faulthandler, stderr) can end it
    _, exit_, _ = run("print(sum(map(abs, range(-2**31, 2**31 - 1))))\n", time_limit_ms=500)
    assert (exit_["status"], exit_["error"]) == ("stopped", TIME_LIMIT)
    assert time.monotonic() - began < 10


def test_a_killed_forked_board_is_a_crash_with_its_exit_code() -> None:
    board = start_board(BoardOptions(files={"main.py": b"print('up')\nwhile True: pass\n"}))
    try:
        assert board.read_serial(timeout=10) == b"up\r\n"
        assert board.running
        board.kill()
        with pytest.raises(BoardCrashed, match=r"exit code -9"):
            board.wait(timeout=10)
        assert not board.running
    finally:
        board.close()


def test_serial_input_reaches_a_forked_board() -> None:
    board = start_board(BoardOptions(files={"main.py": b"print(input('? ').upper())\n"}))
    try:
        board.write_serial(b"shout\r")
        assert board.wait(timeout=10)["status"] == "ok"
        assert b"SHOUT" in board.read_serial(timeout=1)
    finally:
        board.close()


# the host's sys, by a route out of the emulation (see test_sandbox.ESCAPES)
LEAK = """g = [c for c in ().__class__.__base__.__subclasses__()
     if c.__name__ == '_wrap_close'][0].__init__.__globals__
sys = g['sys']
protocol = sys.modules['ubit.sim.shared.protocol']
print('before', getattr(protocol, 'LEAKED', None))
protocol.LEAKED = 'yes'
print('host random', sys.modules['random'].random())
import random
print('board random', random.getrandbits(30))
"""


def test_nothing_of_one_forked_board_is_seen_by_the_next() -> None:
    outs = [run(LEAK)[2].decode().splitlines() for _ in range(2)]
    assert outs[0][0] == outs[1][0] == "before None"  # a module global set by the first
    assert outs[0][1] != outs[1][1]  # Python's random numbers: seeded afresh
    assert outs[0][2] != outs[1][2]  # the board's, without a seed
    assert run(LEAK, seed=5)[2].splitlines()[2] == run(LEAK, seed=5)[2].splitlines()[2]


def test_spares_are_forked() -> None:
    spares = Spares()
    try:
        spares.fill()
        deadline = time.monotonic() + 20
        while not spares.ready and time.monotonic() < deadline:
            time.sleep(0.02)
        board = spares.take()
        assert board is not None and type(board._proc).__name__ == "ForkedProcess"  # noqa: SLF001
        board.close()
    finally:
        spares.close()


def test_without_a_fork_server_boards_are_spawned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forkserver, "_server", None)
    monkeypatch.setattr(forkserver, "_failed", False)
    monkeypatch.setattr(forkserver, "SERVER_ENTRY", "import sys; sys.exit(3)")
    board, exit_, out = run("print('spawned')\n")
    assert isinstance(board._proc, subprocess.Popen)  # noqa: SLF001
    assert (exit_["status"], out) == ("ok", b"spawned\r\n")
    assert forkserver._failed  # noqa: SLF001 - and it isn't tried again for every board


def test_a_dead_fork_server_ends_its_boards_and_is_replaced() -> None:
    board = start_board(BoardOptions(files={"main.py": b"print('up')\nwhile True: pass\n"}))
    try:
        assert board.read_serial(timeout=10) == b"up\r\n"
        server = board._proc.server  # noqa: SLF001
        server.proc.kill()
        with pytest.raises(BoardCrashed):
            board.wait(timeout=10)
    finally:
        board.close()
    assert run("print('again')\n")[2] == b"again\r\n"


def test_a_fleets_boards_are_forked_together_and_each_runs_its_own_program() -> None:
    programs = [f"print('board', {i})\n" for i in range(4)]
    seen: dict[int, str] = {}
    plans = [BoardOptions(files={"main.py": text.encode()}, label=f"b{i}")
             for i, text in enumerate(programs)]
    with Fleet(plans, on_output=lambda i, _label, _t, text: seen.update({i: text})) as fleet:
        results = fleet.wait(timeout=30)
        kinds = {type(board._proc).__name__ for board in fleet.boards}  # noqa: SLF001
    assert kinds == {"ForkedProcess"}
    assert [r["status"] for r in results] == ["ok"] * 4
    assert [seen[i].strip() for i in range(4)] == [f"board {i}" for i in range(4)]


def test_boards_the_server_refuses_are_spawned(monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch of forks the server fails (here: every one) still starts every board."""
    def refuse(self: forkserver.ForkServer, sockets: list, stderr: bool = True) -> list:
        return [OSError("refused") for _ in sockets]

    monkeypatch.setattr(forkserver.ForkServer, "fork_all", refuse)
    boards = spawn_boards(2)
    try:
        assert all(isinstance(board._proc, subprocess.Popen) for board in boards)  # noqa: SLF001
        for board in boards:
            board.config = BoardOptions(files={"main.py": b"print('spawned')\n"}).config()
            board.start()
            assert board.read_serial(timeout=20) == b"spawned\r\n"
    finally:
        for board in boards:
            board.close()


def test_spawn_can_be_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UBIT_BOARD_START", "spawn")
    board, _, out = run("print('x')\n")
    assert isinstance(board._proc, subprocess.Popen) and out == b"x\r\n"  # noqa: SLF001


# -- they die with their host ----------------------------------------------------------------
def children(parent: int, marker: bytes) -> list[int]:
    """Processes whose parent is ``parent`` and whose command line holds ``marker``."""
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
        if ppid == parent and marker in cmdline:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` is still a running (not zombie) process."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


HOST = textwrap.dedent("""
    import time
    from ubit.sim.host.start import BoardOptions, start_board
    busy = b"print('running')\\nprint(sum(map(abs, range(-2**31, 2**31 - 1))))\\n"  # deaf to Python
    boards = [start_board(BoardOptions(files={"main.py": busy})) for _ in range(2)]
    for board in boards:
        assert board.read_serial(timeout=20) == b"running\\r\\n"
    print("running", flush=True)
    time.sleep(60)
""")


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_host_leaves_no_fork_server_and_no_board(how: int) -> None:
    host = subprocess.Popen([sys.executable, "-c", HOST], cwd=ROOT, stdout=subprocess.PIPE,
                            env={**os.environ, "UBIT_BOARD_START": "fork"})
    try:
        assert host.stdout is not None and host.stdout.readline() == b"running\n"
        servers = children(host.pid, b"zygote import serve")
        assert len(servers) == 1
        boards = children(servers[0], b"zygote import serve")
        assert len(boards) == 2
        host.send_signal(how)
        host.wait(timeout=10)
        deadline = time.monotonic() + 5
        while any(map(alive, [*servers, *boards])) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(alive, [*servers, *boards]))
    finally:
        host.kill()
        host.wait()


def test_a_changed_environment_reaches_the_next_board(monkeypatch: pytest.MonkeyPatch) -> None:
    # UBIT_* switches are read in the board: a server started before they changed would pass
    # on the old ones, so a new server takes over
    source = "try:\n    print(len([0] * 5000))\nexcept MemoryError:\n    print('refused')\n"
    monkeypatch.delenv("UBIT_HEAP_MODEL", raising=False)
    assert run(source, board="v1")[2] == b"refused\r\n"
    monkeypatch.setenv("UBIT_HEAP_MODEL", "0")
    assert run(source, board="v1")[2] == b"5000\r\n"
    monkeypatch.delenv("UBIT_HEAP_MODEL")
    assert run(source, board="v1")[2] == b"refused\r\n"
