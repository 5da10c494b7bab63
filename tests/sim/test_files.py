"""The flash filesystem, ``open()`` and ``os``: capacities, names, modes and errors per version.

Numbers come from firmware-v1-observed.md "Filesystem (exact numbers)" (the
real V1 firmware under QEMU) and reference §28. ``open`` is not in the board's
builtins until the boot wires ``install``, so programs that open files run here
in-process (``run_here``): same compiler, same tracebacks, same parts.
"""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.sim.runner import run_program
from ubit.errors import FileNameError, FilesystemFullError, InputFileError
from ubit.sim.board.board import Board, install
from ubit.sim.board.clock import Clock
from ubit.sim.board.parts.filesystem import Filesystem, NoSpace, chunks_for, largest_file
from ubit.sim.host import fsdir
from ubit.sim.micropython import boot, compiler, executor
from ubit.sim.micropython.api import files as files_api
from ubit.sim.shared.boards import V1, V2, board_spec


class FakeSerial:
    """A serial port in memory: output collected, input given up front."""

    def __init__(self, data: bytes = b"") -> None:
        self.out = bytearray()
        self.input = bytearray(data)
        self.interrupt_char = -1

    def write(self, data: bytes) -> None:
        self.out += data

    def write_text(self, text: str) -> None:
        self.write(text.replace("\n", "\r\n").encode("utf-8", "surrogateescape"))

    def read(self, size: int = 1, timeout: float | None = None) -> bytes:
        data = bytes(self.input[:size])
        del self.input[:size]
        return data

    def any(self) -> int:
        return len(self.input)


@dataclass
class Here:
    """A run in this process: output (newlines plain), the device and what it published."""

    text: str
    device: Board
    states: list[tuple[str, Any]] = field(default_factory=list)

    def last(self, part: str) -> Any:
        return [value for name, value in self.states if name == part][-1]


def make_device(board: str = "v2", files: dict[str, bytes] | None = None,
                serial_input: bytes = b"") -> tuple[Board, list[tuple[str, Any]]]:
    """A device in this process, with ``open`` wired, and the list its states go to."""
    states: list[tuple[str, Any]] = []
    serial: Any = FakeSerial(serial_input)
    device = Board(board_spec(board), Clock(True), serial, dict(files or {}),
                    lambda part, value: states.append((part, value)))
    return install(device), states


def run_here(source: str, board: str = "v2", files: dict[str, bytes] | None = None,
             serial_input: bytes = b"") -> Here:
    """Run ``source`` as the boot runs main.py, with the board's ``open`` installed.

    The program runs in a thread of its own, as on the board: the call-depth limit
    is set from a shallow stack, not from under pytest's many frames.
    """
    device, states = make_device(board, files, serial_input)

    def main() -> None:
        namespace = boot.user_namespace(device)
        files_api.install(namespace["__builtins__"], device)
        error: BaseException | None = None
        try:
            code = compiler.compile_user(source, device.spec.main_source_name, device.spec)
            executor.run_code(code, namespace, device.spec)
        except BaseException as exc:  # noqa: BLE001 - reported as the firmware reports it
            error = exc
        boot.outcome_of(device, error)

    thread = threading.Thread(target=main)
    thread.start()
    thread.join()
    out = bytes(device.serial.out).decode("utf-8", "replace")
    return Here(out.replace("\r\n", "\n"), device, states)


def last_line(here: Here) -> str:
    return here.text.rstrip("\n").splitlines()[-1]


FILL = ("f = open('big.txt', 'w')\nn = 0\ntry:\n    while True:\n"
        "        f.write('x' * {step})\n        n += {step}\n"
        "except OSError as e:\n    print(n, e.args[0])\nimport os\nprint(os.listdir())\n")


# -- capacity -------------------------------------------------------------------------------
def test_v1_one_file_in_100_byte_writes_stops_at_28200_and_disappears():
    here = run_here(FILL.format(step=100), board="v1")
    assert here.text == "28200 28\n[]\n"  # measured: OSError(28,) and the file is gone
    assert here.last("filesystem") == {"files": {}, "changed": {"big.txt": None}}


def test_v1_one_byte_writes_reach_28214():
    assert run_here(FILL.format(step=1), board="v1").text == "28214 28\n[]\n"


def test_v1_limit_with_main_py_present_is_27700():
    # measured with main.py in the filesystem (4 chunks): 27700, and 220 small files
    main = {"main.py": b"#" * 400}
    assert run_here(FILL.format(step=100), board="v1", files=main).text.startswith("27700 28")
    here = run_here("n = 0\ntry:\n    while True:\n        open('f%d' % n, 'w').close()\n"
                    "        n += 1\nexcept OSError as e:\n    print(n, e)\n", "v1", main)
    assert here.text == "220 no more storage space\n"


def test_v2_capacity_is_160_chunks():
    assert run_here(FILL.format(step=100)).text == "20100 28\n[]\n"
    assert run_here(FILL.format(step=1)).text == "20150 28\n[]\n"  # 160 * 126 - 3 - 7


def test_uncaught_full_filesystem_errors_per_version():
    program = "f = open('a', 'w')\nf.write(bytes(30000))\n"
    assert last_line(run_here(program, "v1")) == "OSError: 28"
    assert last_line(run_here(program, "v2")) == "OSError: [Errno 28] ENOSPC"


def test_225th_open_fails_on_v1_161st_on_v2():
    program = ("n = 0\ntry:\n    while True:\n        open('f%d.txt' % n, 'w').close()\n"
               "        n += 1\nexcept OSError as e:\n    print(n, repr(str(e)))\n")
    assert run_here(program, "v1").text == "224 'no more storage space'\n"
    assert run_here(program, "v2").text == "160 '[Errno 28] ENOSPC'\n"


def test_a_write_that_fills_a_chunk_exactly_needs_the_next_one():
    fs = Filesystem({}, 2)
    assert largest_file(2, "f") == 2 * 126 - 2 - 1 - 1
    fid = fs.create("f")
    fs.append("f", fid, bytes(largest_file(2, "f")))
    fs.close("f", fid)
    assert chunks_for("f", 248) == 2 and chunks_for("f", 249) == 3  # one chunk "early"
    fid = fs.create("f")
    with pytest.raises(NoSpace):
        fs.append("f", fid, bytes(249))
    assert fs.listdir() == [] and fs.free_chunks() == 2


def test_removed_and_replaced_files_give_their_chunks_back():
    program = ("import os\nfor i in range(3):\n    with open('a', 'w') as f:\n"
               "        f.write(bytes(15000))\n    os.remove('a')\n"
               "with open('a', 'w') as f:\n    f.write(bytes(15000))\n"
               "with open('a', 'wb') as f:\n    print(f.write(bytes(20000)))\n")
    assert run_here(program).text == "20000\n"


# -- names ----------------------------------------------------------------------------------
def test_names_up_to_120_bytes():
    program = ("ok = 'n' * 120\nwith open(ok, 'w') as f:\n    f.write('hi')\n"
               "print(open(ok).read(), len(open(ok).name()))\n"
               "for mode in ('w', 'r'):\n    try:\n        open(ok + 'x', mode)\n"
               "    except OSError as e:\n        print(mode, e)\n")
    assert run_here(program, "v2").text == "hi 120\nw [Errno 2] ENOENT\nr [Errno 2] ENOENT\n"
    assert run_here(program, "v1").text == "hi 120\nw file not found\nr file not found\n"


def test_name_length_counts_utf8_bytes_and_any_name_goes():
    program = ("for name in ('é' * 60, 'é' * 61, '', 'd/x.txt'):\n    try:\n"
               "        open(name, 'w').close()\n        print(len(name), 'ok')\n"
               "    except OSError as e:\n        print(len(name), e)\n")
    assert run_here(program, "v1").text == "60 ok\n61 file not found\n0 ok\n7 ok\n"


# -- modes and file objects ---------------------------------------------------------------
def test_modes_and_file_types_per_version():
    program = ("open('t', 'w').close()\n"
               "for mode in ('r', 'rb', 'rt', 'br', 'b', 't', '', 'w', 'wb', 'wt', 'tw'):\n"
               "    f = open('t', mode)\n    print(mode, f, f.writable())\n    f.close()\n"
               "for mode in ('a', 'r+', 'w+', 'x', 'rw', 'bb', 'rr', 'bt', 'U'):\n    try:\n"
               "        open('t', mode)\n    except ValueError as e:\n        print(mode, e)\n")
    lines_v2 = run_here(program).text.splitlines()
    assert lines_v2[:11] == ["r <TextIO> False", "rb <FileIO> False", "rt <TextIO> False",
                             "br <FileIO> False", "b <FileIO> False", "t <TextIO> False",
                             " <TextIO> False", "w <TextIO> True", "wb <FileIO> True",
                             "wt <TextIO> True", "tw <TextIO> True"]
    assert lines_v2[11:] == [f"{m} illegal mode" for m in
                             ("a", "r+", "w+", "x", "rw", "bb", "rr", "bt", "U")]
    lines_v1 = run_here(program, "v1").text.splitlines()
    assert lines_v1[1] == "rb <BytesIO> False" and lines_v1[8] == "wb <BytesIO> True"


def test_reading_and_writing():
    program = (
        "with open('a.txt', 'w') as f:\n"
        "    print(f.write('héllo\\nworld\\n'), f.write(b'raw'), f.name())\n"
        "f = open('a.txt')\n"
        "print(repr(f.read(2)), repr(f.readline()), repr(f.readline(3)), repr(f.read()))\n"
        "print(repr(f.read()), repr(f.readline()))\n"
        "f = open('a.txt', 'rb')\n"
        "print(f.read(2), f.readline())\n"
        "buf = bytearray(4)\n"
        "print(f.readinto(buf), bytes(buf), f.readinto(buf, 2), bytes(buf))\n"
        "f.close()\n")
    assert run_here(program).text == (
        # repr escapes non-ASCII on both boards (MicroPython py/objstrunicode.c)
        "13 3 a.txt\n'h\\xe9' 'llo\\n' 'wor' 'ld\\nraw'\n'' ''\n"
        "b'h\\xc3' b'\\xa9llo\\n'\n4 b'worl' 2 b'd\\nrl'\n")


def test_file_errors_per_version():
    program = (
        "f = open('w.txt', 'w')\n"
        "for call in (lambda: f.read(), lambda: open('w.txt').write('x'),\n"
        "             lambda: f.write(5), lambda: open('w.txt', mode='r'),\n"
        "             lambda: open('nope')):\n"
        "    try:\n        call()\n    except Exception as e:\n"
        "        print(str(type(e))[8:-2], e)\n"
        "f.close()\nf.close()\n"
        "for call in (f.read, f.readline, lambda: f.write('x'),\n"
        "             lambda: f.readinto(bytearray(1))):\n"
        "    try:\n        call()\n    except ValueError as e:\n        print(e)\n"
        "print(f.name(), f.writable())\n")
    closed = "I/O operation on closed file\n" * 4 + "w.txt True\n"
    assert run_here(program, "v2").text == (
        "OSError [Errno 9] EBADF\nOSError [Errno 9] EBADF\n"
        "TypeError object with buffer protocol required\n"
        "TypeError function doesn't take keyword arguments\n"
        "OSError [Errno 2] ENOENT\n" + closed)
    assert run_here(program, "v1").text == (
        "OSError 9\nOSError 9\nTypeError object with buffer protocol required\n"
        "TypeError function does not take keyword arguments\n"
        "OSError file not found\n" + closed)


def test_files_are_not_iterable_and_have_no_readlines():
    v1 = run_here("open('a', 'w').close()\nfor line in open('a'):\n    pass\n", "v1")
    assert last_line(v1) == "TypeError: 'TextIO' object is not iterable"
    v2 = run_here("open('a', 'w').close()\nfor line in open('a', 'rb'):\n    pass\n")
    assert last_line(v2) == "TypeError: 'FileIO' object isn't iterable"
    v2 = run_here("open('a', 'w').close()\nopen('a').readlines()\n")
    assert last_line(v2) == "AttributeError: 'TextIO' object has no attribute 'readlines'"


def test_opening_for_writing_erases_at_once():
    program = ("with open('a', 'w') as f:\n    f.write('old')\nr = open('a')\n"
               "w = open('a', 'w')\nimport os\nprint(os.size('a'))\ntry:\n    r.read()\n"
               "except OSError as e:\n    print(e)\nw.close()\n")
    # os.size of a file just opened for writing: its unset end offset minus the header
    assert run_here(program).text == f"{255 - 3}\n[Errno 9] EBADF\n"


def test_an_unclosed_file_shows_only_its_complete_chunks():
    # The end marker is written at close(): until then the last chunk can't be read,
    # and os.size adds the unset end offset (255) to the complete chunks.
    program = ("f = open('u.txt', 'w')\nf.write('x' * 200)\nimport os\n"
               "print(len(open('u.txt').read()), os.size('u.txt'))\nf.close()\n"
               "print(len(open('u.txt').read()), os.size('u.txt'))\n")
    assert run_here(program).text == f"119 {126 - 7 + 255}\n200 200\n"


def test_writing_main_py_erases_the_data_log_on_v2():
    here = run_here("import log\nlog.add(a=1)\nopen('main.py', 'w').close()\n")
    assert here.last("log") == {"lines": [], "erased": True, "full": False}
    assert here.device.parts["log"].lines == []


def test_changes_are_published_for_the_host():
    here = run_here("with open('a.bin', 'wb') as f:\n    f.write(b'\\x00\\xff')\n"
                    "import os\nos.remove('a.bin')\n", files={"keep": b"k"})
    changes = [value for part, value in here.states if part == "filesystem"]
    assert changes == [
        {"files": {"keep": 1, "a.bin": 0}, "changed": {"a.bin": ""}},
        {"files": {"keep": 1, "a.bin": 2},
         "changed": {"a.bin": base64.b64encode(b"\x00\xff").decode()}},
        {"files": {"keep": 1}, "changed": {"a.bin": None}},
    ]


def test_open_installs_over_cpython_open():
    device, _ = make_device()
    names: dict[str, Any] = {"open": open}
    files_api.install(names, device)
    assert names["open"] is not open and names["open"].__name__ == "open"


# -- os ---------------------------------------------------------------------------------------
def test_os_per_version_end_to_end():
    program = ("import os\nprint(sorted(os.listdir()), os.size('data.txt'))\n"
               "os.remove('data.txt')\nprint(sorted(os.listdir()))\n"
               "print(sorted(n for n in dir(os) if not n.startswith('_')))\n"
               "try:\n    os.size('data.txt')\nexcept OSError as e:\n    print(e)\n"
               "os.listdir('')\n")
    files = {"data.txt": b"12345"}
    v1 = run_program(program, board="v1", files=files)
    assert v1.text.splitlines()[:5] == [
        "['data.txt', 'main.py'] 5", "['main.py']", "['listdir', 'remove', 'size', 'uname']",
        "file not found", "Traceback (most recent call last):"]
    assert v1.text.endswith("TypeError: function takes 0 positional arguments but 1 were given\n")
    v2 = run_program(program, board="v2", files=files)
    assert v2.text.splitlines()[2:4] == [
        "['ilistdir', 'listdir', 'remove', 'size', 'stat', 'uname']", "[Errno 2] ENOENT"]


def test_os_stat_ilistdir_and_uname():
    program = ("import os\nprint(os.stat('a'))\nprint(list(os.ilistdir()))\n"
               "print(os.uname())\nprint(os.uname().release, os.uname()[4])\n"
               "os.remove('nope')\n")
    here = run_program(program, files={"a": b"abc"})
    assert here.text.splitlines() == [
        "(32768, 0, 0, 0, 0, 0, 3, 0, 0, 0)", "[('a', 32768, 0), ('main.py', 32768, 0)]",
        "(sysname='microbit', nodename='microbit', release='2.1.2', version='micro:bit "
        "v2.1.2+0697c6d on 2023-10-30; MicroPython v1.18 on 2023-10-30', "
        "machine='micro:bit with nRF52833')", "2.1.2 micro:bit with nRF52833",
        "Traceback (most recent call last):", '  File "main.py", line 6, in <module>',
        "OSError: [Errno 2] ENOENT"]
    v1 = run_program("import os\nprint(os.uname())\nos.stat('main.py')\n", board="v1")
    assert v1.text.splitlines()[0] == (
        "(sysname='microbit', nodename='microbit', release='1.1.1', version='micro:bit "
        "v1.1.1+58405de on 2022-11-10; MicroPython v1.9.2-34-gd64154c73 on 2017-09-01', "
        "machine='micro:bit with nRF51822')")
    assert "AttributeError" in v1.text.splitlines()[-1]


# -- ubit run --fs DIR --------------------------------------------------------------------
def test_fsdir_loads_a_folder_and_skips_temporary_files(tmp_path):
    (tmp_path / "main.py").write_bytes(b"print(1)\n")
    (tmp_path / "data.txt").write_bytes(b"abc")
    (tmp_path / ".data.txt.123.0a1b2c3d.tmp").write_bytes(b"half")
    assert fsdir.load_folder(tmp_path, V2) == {"data.txt": b"abc", "main.py": b"print(1)\n"}
    assert fsdir.load_folder(tmp_path / "new", V1) == {}
    assert (tmp_path / "new").is_dir()


def test_fsdir_refuses_what_the_board_cannot_hold(tmp_path):
    (tmp_path / ("n" * 121)).write_bytes(b"x")
    with pytest.raises(FileNameError, match="121 bytes long"):
        fsdir.load_folder(tmp_path, V2)
    (tmp_path / ("n" * 121)).unlink()
    (tmp_path / "sub").mkdir()
    with pytest.raises(FileNameError, match="is a folder"):
        fsdir.load_folder(tmp_path, V2)
    (tmp_path / "sub").rmdir()
    (tmp_path / "big").write_bytes(bytes(20155))  # 20154 is the most a 3-byte name holds
    with pytest.raises(FilesystemFullError, match="big: too big for the V2 filesystem by 1 "
                                                  "byte .*shrink to 20,154 bytes"):
        fsdir.load_folder(tmp_path, V2)
    (tmp_path / "big").write_bytes(bytes(20154))
    assert len(fsdir.load_folder(tmp_path, V2)["big"]) == 20154
    (tmp_path / "big").unlink()
    (tmp_path / b"bad\xff".decode("utf-8", "surrogateescape")).write_bytes(b"x")
    with pytest.raises(FileNameError, match="not UTF-8"):
        fsdir.load_folder(tmp_path, V2)
    with pytest.raises(InputFileError, match="not a folder"):
        fsdir.load_folder(tmp_path / "bad\udcff", V2)


def test_fsdir_saves_published_changes(tmp_path):
    (tmp_path / "old.txt").write_bytes(b"old")
    warnings: list[str] = []
    on_message = fsdir.persister(tmp_path, warnings.append)
    here = run_here("with open('new.txt', 'w') as f:\n    f.write('fresh')\n"
                    "import os\nos.remove('old.txt')\nopen('d/x', 'w').close()\n"
                    "open('', 'w').close()\n", files={"old.txt": b"old"})
    for part, value in here.states:
        on_message({"kind": "state", "part": part, "value": value, "t": 0})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.txt"]
    assert (tmp_path / "new.txt").read_bytes() == b"fresh"
    assert len(warnings) == 4 and all("not saved" in w for w in warnings)  # open and close each
    assert fsdir.load_folder(tmp_path, V2) == {"new.txt": b"fresh"}


def test_sync_publishes_unclosed_files_as_a_restart_finds_them():
    states: list[Any] = []
    fs = Filesystem({}, 160, lambda part, value: states.append(value))
    fid = fs.create("log.txt")
    fs.append("log.txt", fid, b"y" * 300)
    fs.sync()
    readable = 2 * 126 - 2 - 7  # the two complete chunks, less the header and name
    assert states[-1]["changed"] == {"log.txt": base64.b64encode(b"y" * readable).decode()}
