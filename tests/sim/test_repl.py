"""The REPL on the virtual board's serial port, byte for byte as the firmware speaks it."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
import tty
from pathlib import Path

import pytest

from ubit.sim.host.start import BoardOptions, start_board

BANNER_V2 = (b"MicroPython v1.18 on 2023-10-30; micro:bit v2.1.2 with nRF52833\r\n"
             b'Type "help()" for more information.\r\n>>> ')
BANNER_V1 = (b"MicroPython v1.9.2-34-gd64154c73 on 2017-09-01; micro:bit v1.1.1 with nRF51822\r\n"
             b'Type "help()" for more information.\r\n>>> ')


class Session:
    """A board with its REPL, and a way to read what it answers (its serial stream)."""

    def __init__(self, main: bytes | None = None, board: str = "v2") -> None:
        files = {"main.py": main} if main is not None else {}
        self.board = start_board(BoardOptions(board=board, files=files, clock="real",
                                              repl=True))
        self.pending = b""

    def read(self) -> bytes:
        return self.board.read_serial(timeout=0.1)

    def until(self, marker: bytes, timeout: float = 10) -> bytes:
        """Everything up to and including ``marker``."""
        deadline = time.monotonic() + timeout
        while marker not in self.pending:
            if time.monotonic() > deadline:
                raise AssertionError(f"no {marker!r} in {self.pending!r}")
            self.pending += self.read()
        head, _, self.pending = self.pending.partition(marker)
        return head + marker

    def send(self, data: bytes) -> None:
        self.board.write_serial(data)

    def close(self) -> None:
        self.board.close()


class PtySession(Session):
    """The same, through the pseudo-terminal of `ubit sim`, as a serial program sees it."""

    def __init__(self, main: bytes | None = None, board: str = "v2",
                 folder: Path | None = None) -> None:
        args = [sys.executable, "-m", "ubit", "sim", "--board", board]
        if main is not None:
            assert folder is not None
            (folder / "main.py").write_bytes(main)
            args.append(str(folder / "main.py"))
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True)
        path = self.proc.stdout.readline().split(" on ", 1)[1].strip()
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.fd)
        self.pending = b""

    def read(self) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], 0.1)
        return os.read(self.fd, 4096) if ready else b""

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def close(self) -> None:
        os.close(self.fd)
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture(params=["serial", "pty"])
def repl(request, tmp_path):
    sessions = []

    def start(main: bytes | None = None, board: str = "v2") -> Session:
        if request.param == "pty":
            session = PtySession(main, board, tmp_path)
        else:
            session = Session(main, board)
        sessions.append(session)
        return session

    yield start
    for session in sessions:
        session.close()


def test_banner_follows_main_output(repl):
    s = repl(b"x = 41\nprint('main ran')\n")
    assert s.until(b">>> ") == b"main ran\r\n" + BANNER_V2


def test_v1_banner_without_main(repl):
    s = repl(board="v1")
    assert s.until(b">>> ") == BANNER_V1


def test_expression_uses_main_globals(repl):
    s = repl(b"x = 41\n")
    s.until(b">>> ")
    s.send(b"x + 1\r")
    assert s.until(b">>> ") == b"x + 1\r\n42\r\n>>> "


def test_no_main_means_microbit_is_imported(repl):
    s = repl()
    s.until(b">>> ")
    s.send(b"running_time() >= 0\r")
    assert s.until(b">>> ") == b"running_time() >= 0\r\nTrue\r\n>>> "


def test_auto_indent_and_block_end(repl):
    s = repl()
    s.until(b">>> ")
    s.send(b"for i in range(2):\r")
    assert s.until(b"...     ") == b"for i in range(2):\r\n...     "
    s.send(b"print(i)\r")
    assert s.until(b"...     ") == b"print(i)\r\n...     "
    s.send(b"\r\r\r")
    assert s.until(b">>> ") == b"\r\n...     \r\n... \r\n0\r\n1\r\n>>> "


def test_tab_completion(repl):
    s = repl(b"import microbit\nlongname_one = 1\nlongname_two = 2\n")
    s.until(b">>> ")
    s.send(b"microbit.runn\t")
    assert s.until(b"running_time") == b"microbit.runn" + b"ing_time"
    s.send(b"\x03")
    s.until(b">>> ")
    s.send(b"longn\t")
    assert s.until(b"name_") == b"longname_"  # the common prefix first
    s.send(b"\t")
    out = s.until(b">>> longname_")
    assert b"longname_one" in out and b"longname_two" in out


def test_paste_mode(repl):
    s = repl()
    s.until(b">>> ")
    s.send(b"\x05")
    assert s.until(b"=== ") == b"\r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== "
    s.send(b"def f():\r    return 7\rprint(f() * 6)\r\x04")
    assert s.until(b">>> ").endswith(b"\r\n42\r\n>>> ")


def test_exception_at_the_prompt(repl):
    s = repl()
    s.until(b">>> ")
    s.send(b"1/0\r")
    assert s.until(b">>> ") == (b'1/0\r\nTraceback (most recent call last):\r\n'
                                b'  File "<stdin>", line 1, in <module>\r\n'
                                b"ZeroDivisionError: divide by zero\r\n>>> ")


def test_ctrl_c_interrupts_a_loop(repl):
    s = repl()
    s.until(b">>> ")
    s.send(b"while True: pass\r")  # a compound statement: the firmware asks for more
    s.until(b"... ")
    s.send(b"\r")
    s.until(b"\r\n")
    time.sleep(0.3)
    s.send(b"\x03")
    assert s.until(b">>> ").endswith(b"KeyboardInterrupt: \r\n>>> ")


def test_ctrl_d_soft_reboot_runs_main_again(repl):
    s = repl(b"print('main ran')\n")
    s.until(b">>> ")
    s.send(b"\x04")
    assert s.until(b">>> ") == b"\r\nMPY: soft reboot\r\nmain ran\r\n" + BANNER_V2


def test_raw_repl_byte_sequence(repl):
    s = repl()
    s.until(b">>> ")
    s.send(b"\x01")
    assert s.until(b">") == b"\r\nraw REPL; CTRL-B to exit\r\n>"
    s.send(b"print('hi')\x04")
    assert s.until(b">") == b"OKhi\r\n\x04\x04>"
    s.send(b"1/0\x04")
    assert s.until(b"\x04>") == (b'OK\x04Traceback (most recent call last):\r\n'
                                 b'  File "<stdin>", line 1, in <module>\r\n'
                                 b"ZeroDivisionError: divide by zero\r\n\x04>")
    s.send(b"\x04")
    assert s.until(b">") == b"OK\r\nMPY: soft reboot\r\nraw REPL; CTRL-B to exit\r\n>"
    s.send(b"\x02")
    assert s.until(b">>> ") == b"\r\n" + BANNER_V2


def test_raw_paste_on_v2_only(repl):
    v2 = repl()
    v2.until(b">>> ")
    v2.send(b"\x01")
    v2.until(b">")
    v2.send(b"\x05A\x01")
    assert v2.until(b"\x01\x80\x00\x01") == b"R\x01\x80\x00\x01"
    v2.send(b"print(6 * 7)\x04")
    assert v2.until(b"\x04>") == b"\x0442\r\n\x04\x04>"
    v1 = repl(board="v1")
    v1.until(b">>> ")
    v1.send(b"\x01")
    v1.until(b">")
    v1.send(b"\x05A\x01")  # V1: falls back, the raw REPL header again
    assert v1.until(b">") == b"raw REPL; CTRL-B to exit\r\n>"
