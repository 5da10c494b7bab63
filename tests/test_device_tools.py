"""ubit's device tools (fs, exec, repl, run on a board) against real serial ports.

Each test runs on the virtual board's pty (``ubit sim``, V2 and V1) and on the real V1
firmware under QEMU (``-serial pty``; marked ``qemu``). The commands run as a user runs
them, in their own process. The virtual board's filesystem (open/os) is someone else's
work in progress: where it is missing, the fs tests fail with a message that says so.
"""

from __future__ import annotations

import ast
import os
import re
import select
import subprocess
import sys
import termios
import threading
import time
import tty
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ubitcli import ROOT, assert_clean_error, run_ubit
from ubit.device.fs import BoardFiles, BoardFullError
from ubit.device.qemu import QemuBoard, find_qemu
from ubit.device.rawrepl import INPUT_BUFFER, InputLostError, RawRepl, RemoteError
from ubit.device.transport import SerialTransport
from ubit.errors import DeviceError

requires_qemu = pytest.mark.skipif(find_qemu() is None, reason="qemu-system-arm not installed")
TARGETS = ["sim-v2", "sim-v1", pytest.param("qemu", marks=[pytest.mark.qemu, requires_qemu])]
TEXT = "".join(f"line {i:03d}: MicroPython on the micro:bit\n" for i in range(140)).encode()
assert len(TEXT) == 5460  # a 5 KB text file
BINARY = bytes(range(256)) * 8  # every byte value, 2 KB
LOOP = "print('busy')\nwhile True:\n    pass\n"


@dataclass
class Board:
    """A running board: its serial port and a way to pull the plug."""

    kind: str
    port: str
    stop: Callable[[], None]


def _start_sim(board: str, tmp_path: Path, main: str | None) -> tuple[str, Callable[[], None]]:
    args = []
    if main is not None:
        (tmp_path / "main.py").write_text(main)
        args.append(str(tmp_path / "main.py"))
    proc = subprocess.Popen([sys.executable, "-m", "ubit", "sim", "--board", board, *args],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    line = proc.stdout.readline()
    assert " on /dev/" in line, (line, proc.stderr.read() if proc.poll() is not None else "")

    def stop() -> None:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
    return line.split(" on ", 1)[1].strip(), stop


def _start_qemu(main: str | None) -> tuple[str, Callable[[], None]]:
    from ubit.hexfile import V1, SourceFile, bundled_runtime_path
    from ubit.project import build_hex

    if main is None:
        text = bundled_runtime_path(V1).read_text()
    else:
        text, _ = build_hex([SourceFile("main.py", main.encode())], "v1")
    qemu = QemuBoard(text, serial="pty").start()
    # Hold the pty open: QEMU looks for a reconnected terminal only once a second. Raw, or
    # the terminal would echo the board's output back to it as typed input.
    holder = os.open(qemu.pty_path, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(holder)

    def stop() -> None:
        qemu.close()
        try:
            os.close(holder)
        except OSError:
            pass
    return qemu.pty_path, stop


@pytest.fixture
def start_board(tmp_path: Path) -> Iterator[Callable[..., Board]]:
    """A factory: ``start_board(kind, main=None)`` boots a board; all are stopped after."""
    stops: list[Callable[[], None]] = []

    def start(kind: str, main: str | None = None) -> Board:
        folder = tmp_path / f"board{len(stops)}"
        folder.mkdir()
        if kind == "qemu":
            port, stop = _start_qemu(main)
        else:
            port, stop = _start_sim(kind.removeprefix("sim-"), folder, main)
        stops.append(stop)
        return Board(kind, port, stop)

    yield start
    for stop in stops:
        stop()


def require_files(board: Board) -> None:
    """Fail (not skip) with a clear message if the virtual board has no open() yet."""
    if board.kind == "qemu":
        return
    proc = run_ubit("exec", "print(callable(open))", "--port", board.port)
    assert proc.stdout.strip() == "True", (
        "the virtual board has no open() yet (ubit/sim/micropython/api/files.py is in progress); "
        f"this test passes once it exists: {proc.stdout!r} {proc.stderr!r}")


def board_files(port: str) -> tuple[RawRepl, BoardFiles]:
    """The library's view of the board at ``port``, raw REPL entered."""
    repl = RawRepl(SerialTransport(port))
    repl.enter()
    return repl, BoardFiles(repl)


# -- the file commands ----------------------------------------------------------------------
@pytest.mark.parametrize("kind", TARGETS)
def test_put_ls_get_cat_du_rm(start_board, tmp_path, kind):
    board = start_board(kind)
    require_files(board)
    (tmp_path / "notes.txt").write_bytes(TEXT)
    (tmp_path / "all.bin").write_bytes(BINARY)
    port = ("--port", board.port)

    proc = run_ubit("fs", "put", tmp_path / "notes.txt", tmp_path / "all.bin", *port)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["notes.txt: 5,460 bytes put on the board",
                                        "all.bin: 2,048 bytes put on the board"]
    assert run_ubit("fs", "ls", *port).stdout == "all.bin\nnotes.txt\n"
    assert run_ubit("fs", "ls", "-l", *port).stdout == "2,048  all.bin\n5,460  notes.txt\n"

    out = tmp_path / "back"
    out.mkdir()
    proc = run_ubit("fs", "get", "notes.txt", "all.bin", "-o", out, *port)
    assert proc.returncode == 0, proc.stderr
    assert (out / "notes.txt").read_bytes() == TEXT
    assert (out / "all.bin").read_bytes() == BINARY
    proc = run_ubit("fs", "get", "all.bin", "-o", tmp_path / "copy.bin", *port)
    assert (tmp_path / "copy.bin").read_bytes() == BINARY, proc.stderr

    assert run_ubit("fs", "cat", "notes.txt", *port).stdout == TEXT.decode()
    assert run_ubit("fs", "du", *port).stdout == \
        "2,048  all.bin\n5,460  notes.txt\n7,508  total\n"
    assert run_ubit("fs", "du", "all.bin", *port).stdout == "2,048  all.bin\n2,048  total\n"

    assert run_ubit("fs", "rm", "notes.txt", "all.bin", *port).returncode == 0
    assert run_ubit("fs", "ls", *port).stdout == ""
    missing = assert_clean_error(run_ubit("fs", "get", "notes.txt", *port), "fs get")
    assert missing.endswith("notes.txt: no such file on the board")
    assert_clean_error(run_ubit("fs", "rm", "notes.txt", *port), "fs rm")


@pytest.mark.parametrize("kind", TARGETS)
def test_a_file_larger_than_the_filesystem(start_board, tmp_path, kind):
    board = start_board(kind)
    require_files(board)
    repl, files = board_files(board.port)
    files.put(b"keep me\n", "keep.txt")
    repl.close()
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"x" * 40_000)
    line = assert_clean_error(run_ubit("fs", "put", huge, "--port", board.port), "fs put")
    assert "huge.txt: 40,000 bytes is more than a micro:bit" in line
    assert huge.read_bytes() == b"x" * 40_000  # nothing lost on the host
    # and the board keeps what it had
    assert run_ubit("fs", "cat", "keep.txt", "--port", board.port).stdout == "keep me\n"


@pytest.mark.qemu
@requires_qemu
def test_running_out_of_space_while_writing(start_board, tmp_path):
    """Fits the largest V1 filesystem but not this firmware's 224 chunks: the board says so."""
    board = start_board("qemu")
    big = tmp_path / "big.txt"
    big.write_bytes(b"y" * 29_000)
    line = assert_clean_error(run_ubit("fs", "put", big, "--port", board.port), "fs put")
    assert "big.txt: doesn't fit in the board's free space (29,000 bytes;" in line
    assert "then removed" in line
    assert run_ubit("fs", "ls", "--port", board.port).stdout == ""  # no partial file


@pytest.mark.parametrize("kind", TARGETS)
def test_board_gone_mid_get_leaves_no_host_file(start_board, tmp_path, kind):
    board = start_board(kind)
    require_files(board)
    data = TEXT * 3  # 15 KB: several pieces on every board
    repl, files = board_files(board.port)
    files.put(data, "big.txt")
    target = tmp_path / "got.txt"

    def pull_the_plug(done: int, total: int) -> None:
        if done > 0:
            board.stop()

    with pytest.raises(DeviceError, match="went away|stopped|no end of output"):
        files.get_to("big.txt", target, progress=pull_the_plug)
    repl.close()
    assert list(tmp_path.iterdir()) == [tmp_path / "board0"]  # no file, no temporary file


@pytest.mark.parametrize("kind", TARGETS)
def test_board_gone_mid_put(start_board, tmp_path, kind):
    board = start_board(kind)
    require_files(board)
    repl, files = board_files(board.port)

    def pull_the_plug(done: int, total: int) -> None:
        board.stop()

    with pytest.raises(DeviceError, match="went away|stopped"):
        files.put(TEXT * 3, "big.txt", progress=pull_the_plug)
    repl.close()


def test_board_gone_mid_put_from_the_command_line(start_board, tmp_path):
    board = start_board("sim-v1")  # plain raw REPL: a 15 KB put is some 300 short sources
    require_files(board)
    (tmp_path / "big.txt").write_bytes(TEXT * 3)
    # stderr on a terminal, so the progress bar shows when the put is under way
    master, slave = os.openpty()
    env = {k: v for k, v in os.environ.items() if k != "UBIT_DEBUG"}
    proc = subprocess.Popen([sys.executable, "-m", "ubit", "fs", "put", tmp_path / "big.txt",
                             "--port", board.port], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    try:
        seen = b""
        while not re.search(rb" (\d\d|[1-9]\d\d)%", seen):  # 10% or more through
            seen = _expect(master, b"%", timeout=20)[-40:]
        board.stop()
        seen = b""
        while select.select([master], [], [], 20)[0]:
            try:
                seen += os.read(master, 4096)
            except OSError:  # the put ended: nothing has the terminal open
                break
        assert proc.wait(timeout=20) == 1
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    lines = [line.strip() for line in seen.decode().replace("\r", "\n").splitlines()]
    line = [line for line in lines if line][-1]
    assert line.startswith("ubit: fs put: "), seen
    assert "the board went away" in line or "virtual" in line
    assert "Traceback" not in seen.decode()


@pytest.mark.parametrize("kind", TARGETS)
def test_long_and_non_ascii_names(start_board, kind):
    board = start_board(kind)
    require_files(board)
    repl, files = board_files(board.port)
    names = ["x" * 120, "caf\u00e9 \u00fcber \u2603.txt" * 3]  # sent in parts to a V1
    for name in names:
        files.put(BINARY, name)
    assert files.ls() == sorted(names)
    assert [files.get(name) for name in names] == [BINARY, BINARY]
    for name in names:
        files.rm(name)
    assert files.ls() == []
    repl.close()


# -- put when the wire garbles pieces (a scripted V1 raw REPL) -------------------------------
class GarblingRepl:
    """The raw REPL of a V1 as ``BoardFiles`` uses it, whose wire garbles chosen pieces.

    It runs the sources taken in order; ``_p`` writes a piece in its turn only, like the
    board's. ``garble(piece, attempt)`` (both from 0) says what becomes of a piece's source
    as the board takes it: None (it runs), the last line of a traceback (it doesn't run: a
    garbled source), or "lost" (no OK comes: the board's buffer is cleared). With "written"
    in it, the piece is written first, as when only the answer is garbled or comes late.
    """

    raw_paste = False

    def __init__(self, garble: Callable[[int, int], str | None] = lambda i, n: None) -> None:
        self.garble = garble
        self.sources: list[str] = []  # every source sent, in order
        self.file = bytearray()
        self.turn = 0  # pieces written (_k[0])
        self.pieces: dict[str, int] = {}  # each piece's source: its number
        self.attempts: Counter[str] = Counter()  # how often each was taken
        self.running: list[tuple[str, str | None]] = []  # taken, not finished: (code, error)
        self.ahead: str | None = None  # sent ahead, not taken yet

    def _take(self, code: str) -> None:
        error = None
        if code.startswith("_p(b'"):
            piece = self.pieces.setdefault(code, len(self.pieces))
            error = self.garble(piece, self.attempts[code])
            self.attempts[code] += 1
            if error and "written" in error:
                self._write(code)
                error = error.replace("written", "").strip()
            if error == "lost":
                raise InputLostError("no OK")
        self.running.append((code, error))

    def _write(self, code: str) -> str | None:
        literal, size, turn = code[3:-1].rsplit(",", 2)
        data = ast.literal_eval(literal)
        if (len(data), self.turn % 10) != (int(size), int(turn)):
            return "ZeroDivisionError: division by zero"
        self.file += data
        self.turn += 1
        return None

    def start(self, code: str) -> None:
        self.sources.append(code)
        self._take(code)

    def send_next(self, code: str) -> int:
        assert self.ahead is None and self.running and len(code) < INPUT_BUFFER
        self.sources.append(code)
        self.ahead = code
        return len(code) + 1

    def taken(self, size: int) -> None:
        code, self.ahead = self.ahead, None
        self._take(code)

    def finish(self, on_output: Callable[[bytes], None] | None = None,
               timeout: float | None = None) -> tuple[bytes, bytes]:
        code, error = self.running.pop(0)
        out = b""
        if code.startswith("_p(b'"):
            error = error or self._write(code)
        elif code == "print(_k[0])":
            out = f"{self.turn}\r\n".encode()
        elif "print(os.size(_fn))" in code:
            out = f"{len(self.file)}\r\n".encode()
        elif code.startswith("while 1:"):  # get's: the file in one piece
            out = f"{bytes(self.file)!r}\r\n".encode()
        if on_output:
            on_output(out)
        tb = f"Traceback (most recent call last):\r\n  File \"<stdin>\", line 1\r\n{error}\r\n"
        return out, tb.encode() if error else b""

    def exec(self, code: str, on_output: Callable[[bytes], None] | None = None,
             timeout: float | None = None) -> bytes:
        self.start(code)
        out, err = self.finish(on_output, timeout)
        if err:
            raise RemoteError(err.decode())
        return out

    def recover(self) -> None:
        self.running.clear()
        self.ahead = None


def test_every_source_fits_a_v1s_input_buffer():
    repl = GarblingRepl()
    files = BoardFiles(repl)
    name = "caf\u00e9 " * 20  # 120 bytes
    files.put(TEXT + BINARY, name)
    files.ls()
    assert files.size(name) == len(TEXT + BINARY)
    assert files.get(name) == TEXT + BINARY
    files.rm(name)
    assert max(len(code.encode()) for code in repl.sources) < INPUT_BUFFER  # + its Ctrl-D


@pytest.mark.parametrize("error", ["SyntaxError: invalid syntax",
                                   "NameError: name '_' isn't defined",
                                   "TypeError: function takes 3 positional arguments but 2 "
                                   "were given",
                                   "ZeroDivisionError: division by zero"])
def test_a_garbled_piece_is_sent_again(error):
    garbled = {(2, 0), (2, 1), (7, 0)}  # the 3rd piece's first two tries, the 8th's first
    repl = GarblingRepl(lambda piece, attempt: error if (piece, attempt) in garbled else None)
    BoardFiles(repl).put(TEXT, "notes.txt")
    assert bytes(repl.file) == TEXT
    sent = Counter(repl.pieces[code] for code in repl.sources if code.startswith("_p("))
    # each one sent behind a garbled piece refused (not its turn) and went again after it
    assert {piece: times for piece, times in sent.items() if times > 1} == \
        {2: 3, 3: 3, 7: 2, 8: 2}
    assert repl.sources.count("print(_k[0])") == 3  # after each: how far did the board get?


def test_a_piece_whose_source_was_lost_is_sent_again():
    lost = {(2, 0), (2, 1), (7, 0)}
    repl = GarblingRepl(lambda piece, attempt: "lost" if (piece, attempt) in lost else None)
    BoardFiles(repl).put(TEXT, "notes.txt")
    assert bytes(repl.file) == TEXT
    assert max(repl.attempts.values()) == 3


@pytest.mark.parametrize("error", ["NameError: name '_' isn't defined written", "lost written"])
def test_a_piece_written_though_its_answer_was_garbled_is_not_written_again(error):
    written = {(2, 0), (7, 0), (8, 0)}
    repl = GarblingRepl(lambda piece, attempt: error if (piece, attempt) in written else None)
    BoardFiles(repl).put(TEXT, "notes.txt")
    assert bytes(repl.file) == TEXT


def test_running_out_of_space_after_a_retry_says_so():
    errors = {(5, 0): "SyntaxError: invalid syntax", (5, 1): "OSError: 28"}
    repl = GarblingRepl(lambda piece, attempt: errors.get((piece, attempt)))
    with pytest.raises(BoardFullError, match=r"notes.txt: doesn't fit in the board's free space "
                                             r"\(5,460 bytes; \d+ were written, then removed\)"):
        BoardFiles(repl).put(TEXT, "notes.txt")
    assert "os.remove(_fn)" in repl.sources[-1]  # the partial file is removed


def test_a_piece_that_keeps_arriving_garbled():
    repl = GarblingRepl(lambda piece, attempt: "SyntaxError: invalid syntax" if piece == 1
                        else None)
    with pytest.raises(DeviceError, match=r"notes.txt: the serial line keeps garbling data \(at "
                                          r"byte \d\d, 4 tries; the board's last answer: "
                                          r"SyntaxError: invalid syntax\)$"):
        BoardFiles(repl).put(TEXT, "notes.txt")
    assert "os.remove(_fn)" in repl.sources[-1]


# -- exec, run --device ---------------------------------------------------------------------
@pytest.mark.parametrize("kind", TARGETS)
def test_exec_streams_output_and_reports_tracebacks(start_board, kind):
    board = start_board(kind)
    proc = run_ubit("exec", "for i in range(3):\n    print(i * 7)", "--port", board.port)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "0\n7\n14\n", "")
    proc = run_ubit("exec", "print('before')\n1/0", "--port", board.port)
    assert proc.returncode == 1
    assert proc.stdout == "before\n"
    assert proc.stderr.startswith("Traceback (most recent call last):\n")
    assert proc.stderr.splitlines()[-1].startswith("ZeroDivisionError: divi")
    proc = run_ubit("exec", "-", "--port", board.port, input=b"import os\nprint(os.uname()[0])\n")
    assert proc.stdout == "microbit\n", proc.stderr


@pytest.mark.parametrize("kind", TARGETS)
def test_run_on_device_runs_a_local_file_without_copying_it(start_board, tmp_path, capfd, kind):
    from ubit.cli.devicerun import run_on_device

    board = start_board(kind)
    program = tmp_path / "blink.py"
    program.write_text("from microbit import *\nprint('ran', 6 * 7)\nprint(__name__)\n")
    assert run_on_device(str(program), board.port) == 0
    assert capfd.readouterr().out == "ran 42\n__main__\n"
    repl, _ = board_files(board.port)
    assert "blink.py" not in repl.exec("import os\nprint(os.listdir())").decode()
    repl.close()
    program.write_text("x = [1]\nprint(x[3])\n")
    assert run_on_device(str(program), board.port) == 1
    assert capfd.readouterr().err.splitlines()[-1] == "IndexError: list index out of range"


@pytest.mark.parametrize("kind", TARGETS)
def test_a_busy_board_is_interrupted(start_board, kind):
    board = start_board(kind, main=LOOP)
    time.sleep(0.5)  # let main.py get into its loop
    proc = run_ubit("exec", "print('got in')", "--port", board.port)
    assert (proc.returncode, proc.stdout) == (0, "got in\n"), proc.stderr


def test_exec_and_fs_with_sim():
    proc = run_ubit("exec", "import os; print(len(os.listdir()), 6 * 7)", "--sim")
    assert (proc.returncode, proc.stdout) == (0, "0 42\n"), proc.stderr
    assert run_ubit("fs", "ls", "--sim").returncode == 0


# -- bad ports ------------------------------------------------------------------------------
def test_a_port_that_does_not_exist():
    for command in (["fs", "ls"], ["exec", "1"], ["repl"]):
        line = assert_clean_error(run_ubit(*command, "--port", "/dev/ttyNOSUCH"), command[0]
                                  if command[0] != "fs" else "fs ls")
        assert line.endswith("can't open /dev/ttyNOSUCH: no such port")


def test_a_port_nobody_answers_on():
    master, slave = os.openpty()
    try:
        start = time.monotonic()
        line = assert_clean_error(run_ubit("fs", "ls", "--port", os.ttyname(slave)), "fs ls")
        assert "no answer within 3 s; is it a micro:bit running MicroPython?" in line
        assert time.monotonic() - start < 10
    finally:
        os.close(master)
        os.close(slave)


def test_a_port_that_is_not_micropython():
    """Something that talks back, but not MicroPython's REPL (here: it echoes)."""
    master, slave = os.openpty()
    stop = threading.Event()

    def echo() -> None:
        while not stop.is_set():
            if select.select([master], [], [], 0.1)[0]:
                try:
                    os.write(master, b"?" + os.read(master, 100))
                except OSError:
                    return
    thread = threading.Thread(target=echo, daemon=True)
    thread.start()
    try:
        line = assert_clean_error(run_ubit("exec", "1", "--port", os.ttyname(slave)), "exec")
        assert "answers, but not like MicroPython's REPL" in line
    finally:
        stop.set()
        thread.join()
        os.close(master)
        os.close(slave)


def test_not_a_serial_port(tmp_path):
    (tmp_path / "file").write_text("")
    line = assert_clean_error(run_ubit("fs", "ls", "--port", tmp_path / "file"), "fs ls")
    assert line.endswith("not a serial port")


# -- the terminal ---------------------------------------------------------------------------
def _expect(fd: int, marker: bytes, timeout: float = 10) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"no {marker!r} in {seen[-300:]!r}"
        if select.select([fd], [], [], left)[0]:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    return seen


@pytest.mark.parametrize("kind", TARGETS)
def test_repl_through_a_pty(start_board, kind):
    board = start_board(kind)
    master, slave = os.openpty()
    before = termios.tcgetattr(slave)
    proc = subprocess.Popen([sys.executable, "-m", "ubit", "repl", "--port", board.port],
                            stdin=slave, stdout=slave, stderr=slave)
    try:
        _expect(master, b"Ctrl-] leaves")
        os.write(master, b"\r")
        _expect(master, b">>> ")
        os.write(master, b"print(6 * 7)\r")
        assert b"print(6 * 7)\r\n42\r\n>>> " in _expect(master, b"42\r\n>>> ")
        os.write(master, b"while True: pass\r")
        _expect(master, b"... ")
        os.write(master, b"\r")
        time.sleep(0.3)
        os.write(master, b"\x03")  # Ctrl-C passes through to the board
        _expect(master, b"KeyboardInterrupt: \r\n>>> ")
        os.write(master, b"\x1d")  # Ctrl-] leaves
        assert proc.wait(timeout=10) == 0
        _expect(master, b"left ")
        assert termios.tcgetattr(slave) == before  # the terminal is as it was
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
        os.close(slave)


def test_repl_reports_a_board_that_goes_away(start_board):
    board = start_board("sim-v2")
    master, slave = os.openpty()
    before = termios.tcgetattr(slave)
    proc = subprocess.Popen([sys.executable, "-m", "ubit", "repl", "--port", board.port],
                            stdin=slave, stdout=slave, stderr=slave)
    try:
        _expect(master, b"Ctrl-] leaves")
        board.stop()
        assert proc.wait(timeout=10) == 1
        assert b"ubit: repl: " in _expect(master, b"went away")
        assert termios.tcgetattr(slave) == before
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
        os.close(slave)
