"""``ubit flash``: finding the micro:bit drive, copying the hex to it, and ``--watch``."""

from __future__ import annotations

import errno
import io
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import micropython_microbit_fs as mfs
import pytest
from universal_hex import separate_uhex

from tests.ubitcli import ROOT, assert_clean_error, run_ubit
from ubit.cli.progress import ProgressBar
from ubit.device import flash as device_flash
from ubit.device.drives import (
    Drive,
    board_label_of,
    drive_at,
    find_drives,
    parse_details,
    pick_drive,
)
from ubit.device.flash import copy_hex
from ubit.errors import DeviceError, DriveNotFoundError
from ubit.hexfile import read_hex

V1_ID, V2_ID = 0x9900, 0x9903

# DETAILS.TXT as DAPLink writes it on a V2.00 board and on a V1.5 board.
V2_DETAILS = """\
# DAPLink Firmware - see https://mbed.com/daplink
Unique ID: 9904360258994e450014700f0000004500000000979ab2a9
HIC ID: 9b000001
Auto Reset: 1
Automation allowed: 0
Overflow detection: 0
Incompatible image detection: 1
Page erasing: 0
Daplink Mode: Interface
Interface Version: 0255
Bootloader Version: 0255
Git SHA: 1436bdcc67029fdfc0ff03b73e12045bb6a9f272
Local Mods: 0
USB Interfaces: MSD, CDC, HID, WebUSB
Bootloader CRC: 0x828c6069
Interface CRC: 0x5b5cc0f1
Remount count: 0
URL: https://microbit.org/device/?id=9904&v=0255
"""

V1_DETAILS = """\
# DAPLink Firmware - see https://mbed.com/daplink
Unique ID: 9901000052374e45004e500f0000002c0000000097969901
HIC ID: 97969901
Auto Reset: 0
Automation allowed: 0
Overflow detection: 0
Daplink Mode: Interface
Interface Version: 0253
Git SHA: 2b1f5fc4f8b4b2a9d6d5a0a6b7f6c5b0e8f0d2a1
Local Mods: 0
USB Interfaces: MSD, CDC, HID, WebUSB
Interface CRC: 0x3a2b9dbe
URL: https://microbit.org/device/?id=9901&v=0253
"""

MICROBIT_HTM = ('<!doctype html>\n<html><head><meta http-equiv="refresh" '
                'content="0; url=https://microbit.org/device/?id=9904&v=0255"/>'
                '<title>micro:bit</title></head><body></body></html>\n')

PROGRAM = "from microbit import *\ndisplay.scroll('hello')\n"


def make_drive(folder: Path, details: str = V2_DETAILS, *, lower: bool = False) -> Path:
    """A folder that looks like a mounted micro:bit drive."""
    folder.mkdir(parents=True)
    htm, txt = ("microbit.htm", "details.txt") if lower else ("MICROBIT.HTM", "DETAILS.TXT")
    (folder / htm).write_text(MICROBIT_HTM)
    (folder / txt).write_text(details.replace("\n", "\r\n"), newline="")
    return folder


def hexes_on(folder: Path) -> list[str]:
    """Names of .hex files on a (fake) drive."""
    return sorted(p.name for p in folder.iterdir() if p.suffix.lower() == ".hex")


def files_by_board(hex_text: str) -> dict[int, dict[str, bytes]]:
    """Board id → files in that half of a universal hex, read by micropython-microbit-fs."""
    return {part.board_id: {f.name: f.content for f in mfs.get_files(part.hex)}
            for part in separate_uhex(hex_text)}


def no_roots(tmp_path: Path) -> dict[str, str]:
    """Environment that makes discovery look only in an empty folder (not the real /media)."""
    empty = tmp_path / "no-mounts"
    empty.mkdir(exist_ok=True)
    return {"UBIT_MOUNT_ROOTS": str(empty)}


@pytest.fixture
def program(tmp_path: Path) -> Path:
    """A main.py to flash."""
    src = tmp_path / "src" / "main.py"
    src.parent.mkdir()
    src.write_text(PROGRAM)
    return src


# ---- DETAILS.TXT ---------------------------------------------------------------------------

def test_details_parsed_into_keys_and_values():
    details = parse_details(V2_DETAILS.replace("\n", "\r\n"))
    assert details["Unique ID"] == "9904360258994e450014700f0000004500000000979ab2a9"
    assert details["Interface Version"] == "0255"
    assert details["HIC ID"] == "9b000001"
    assert details["URL"] == "https://microbit.org/device/?id=9904&v=0255"  # ':' in value kept
    assert not any(k.startswith("#") for k in details)


@pytest.mark.parametrize(("text", "label"), [
    (V2_DETAILS, "V2"),
    (V1_DETAILS, "V1"),
    ("Unique ID: 9900000037024e45\n", "V1"),
    ("Unique ID: 99030000aaaa\n", "V2"),
    ("Unique ID: 9905abcd\n", "V2"),
    ("Unique ID: 9906abcd\n", "V2"),
    ("unique id: 9904ABCD\n", "V2"),  # any case, in keys and digits
    ("Board ID: 9901\nVersion: 0234\n", "V1"),
    ("Unique ID: 0240000032044e45\n", None),  # an mbed board, not a micro:bit
    ("Unique ID: 9902ffff\n", None),
    ("Unique ID: 99\n", None),
    ("Version: 0234\nBuild:   Aug 15 2016 17:01:31\n", None),  # old firmware: no id
    ("", None),
])
def test_board_label_from_details(text, label):
    assert board_label_of(parse_details(text)) == label


# ---- finding drives (in-process) -----------------------------------------------------------

def test_drive_at_matches_names_case_insensitively(tmp_path):
    drive = drive_at(make_drive(tmp_path / "MICROBIT", V1_DETAILS, lower=True))
    assert drive is not None
    assert drive.board_label == "V1"
    assert drive.details["Interface Version"] == "0253"


def test_folder_without_both_marker_files_is_not_a_drive(tmp_path):
    half = tmp_path / "HALF"
    half.mkdir()
    (half / "DETAILS.TXT").write_text(V2_DETAILS)
    assert drive_at(half) is None
    assert drive_at(tmp_path / "missing") is None


def test_find_drives_looks_at_each_root_and_its_children(tmp_path, monkeypatch):
    mounts = tmp_path / "media"
    make_drive(mounts / "MICROBIT", V2_DETAILS)
    (mounts / "USBSTICK").mkdir()
    (mounts / "file.txt").write_text("x")
    lone = make_drive(tmp_path / "lone", V1_DETAILS)
    monkeypatch.setenv("UBIT_MOUNT_ROOTS", os.pathsep.join([str(mounts), str(lone)]))
    found = find_drives()
    assert sorted((d.path, d.board_label) for d in found) == sorted([
        (mounts / "MICROBIT", "V2"), (lone, "V1")])


def test_pick_drive_errors_and_notes(tmp_path):
    with pytest.raises(DriveNotFoundError, match="ubit hex build"):
        pick_drive([], None)
    a, b = Drive(tmp_path / "A", "V1"), Drive(tmp_path / "B", "V2")
    with pytest.raises(DriveNotFoundError, match="--drive") as err:
        pick_drive([a, b], None)
    assert f"{a.path} (V1)" in str(err.value) and f"{b.path} (V2)" in str(err.value)
    assert pick_drive([a], None) == (a, None)
    plain = tmp_path / "plain"
    plain.mkdir()
    drive, note = pick_drive([a, b], str(plain))  # --drive wins over what was found
    assert drive.path == plain and drive.board_label is None
    assert note and "not a micro:bit drive" in note
    real = make_drive(tmp_path / "MICROBIT")
    assert pick_drive(None, str(real))[0].board_label == "V2"
    with pytest.raises(DriveNotFoundError, match="no such folder"):
        pick_drive(None, str(tmp_path / "gone"))


# ---- copying -------------------------------------------------------------------------------

def test_copy_hex_writes_the_file_directly_with_progress(tmp_path):
    drive = make_drive(tmp_path / "MICROBIT")
    data = bytes(range(256)) * 300  # 76,800 bytes: several chunks
    calls: list[tuple[int, int]] = []
    names_during: set[tuple[str, ...]] = set()

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        names_during.add(tuple(sorted(p.name for p in drive.iterdir())))

    target = copy_hex(data, drive, progress=progress)
    assert target == drive / "micropython.hex"
    assert target.read_bytes() == data
    # DAPLink flashes any .hex that lands on the drive: the target is written in place,
    # with no temporary file beside it at any moment.
    assert names_during == {("DETAILS.TXT", "MICROBIT.HTM", "micropython.hex")}
    assert calls[0] == (0, len(data)) and calls[-1] == (len(data), len(data))
    assert len(calls) > 2
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_copy_hex_to_a_vanished_drive_is_a_device_error(tmp_path):
    with pytest.raises(DeviceError, match="unplugged"):
        copy_hex(b":00000001FF\n", tmp_path / "gone")


def test_copy_hex_full_drive_is_a_device_error(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(device_flash.os, "fsync", full)
    with pytest.raises(DeviceError, match="full"):
        copy_hex(b"x" * 100, make_drive(tmp_path / "MICROBIT"))


# ---- progress bar --------------------------------------------------------------------------

class FakeTerminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_and_clears_its_line():
    term = FakeTerminal()
    bar = ProgressBar("copying", term)
    bar(0, 1000)
    bar(500, 1000)
    bar(1000, 1000)
    drawn = term.getvalue()
    assert "copying [" in drawn and " 50%" in drawn and "100%" in drawn
    bar.finish()
    assert term.getvalue().endswith("\r")
    last_line = term.getvalue().rsplit("\r", 2)[-2]
    assert last_line.strip() == ""  # the bar is wiped, ready for the next message


def test_progress_bar_is_silent_off_a_terminal():
    plain = io.StringIO()
    with ProgressBar("copying", plain) as bar:
        bar(10, 100)
        bar(100, 100)
    assert plain.getvalue() == ""


# ---- the command ---------------------------------------------------------------------------

def test_flash_py_to_given_drive(tmp_path, program):
    drive = make_drive(tmp_path / "MICROBIT", V2_DETAILS)
    proc = run_ubit("flash", program, "--drive", drive, env=no_roots(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert hexes_on(drive) == ["micropython.hex"]
    hex_text = (drive / "micropython.hex").read_text()
    assert f"flashed main.py to {drive} (V2), {len(hex_text):,} bytes" in proc.stdout
    boards = files_by_board(hex_text)  # universal by default, even on a V2 drive
    assert boards[V2_ID] == {"main.py": PROGRAM.encode()}
    assert boards[V1_ID] == {"main.py": PROGRAM.encode()}
    assert proc.stderr == ""  # no progress bar when stderr is not a terminal


def test_flash_finds_the_one_drive_and_reads_its_board(tmp_path, program):
    mounts = tmp_path / "media" / "user"
    drive = make_drive(mounts / "MICROBIT", V1_DETAILS)
    other = mounts / "USBSTICK"
    other.mkdir()
    lib = program.with_name("lib.py")
    lib.write_text("X = 1\n")
    proc = run_ubit("flash", program, lib, "--target", "v1",
                    env={"UBIT_MOUNT_ROOTS": str(mounts)})
    assert proc.returncode == 0, proc.stderr
    assert f"flashed main.py, lib.py to {drive} (V1)" in proc.stdout
    assert hexes_on(other) == []
    contents = read_hex((drive / "micropython.hex").read_text())
    assert [b.board.label for b in contents.boards] == ["V1"]
    assert contents.files() == {"main.py": PROGRAM.encode(), "lib.py": b"X = 1\n"}


def test_two_drives_is_an_error_listing_both(tmp_path, program):
    mounts = tmp_path / "media"
    first = make_drive(mounts / "MICROBIT", V1_DETAILS)
    second = make_drive(mounts / "MICROBIT1", V2_DETAILS)
    proc = run_ubit("flash", program, env={"UBIT_MOUNT_ROOTS": str(mounts)})
    line = assert_clean_error(proc, "flash")
    assert f"{first} (V1)" in line and f"{second} (V2)" in line and "--drive" in line
    assert hexes_on(first) == [] and hexes_on(second) == []


def test_no_drive_suggests_building_a_hex(tmp_path, program):
    proc = run_ubit("flash", program, env=no_roots(tmp_path))
    line = assert_clean_error(proc, "flash")
    assert "no micro:bit drive" in line and "ubit hex build" in line


def test_broken_hex_never_reaches_the_drive(tmp_path):
    drive = make_drive(tmp_path / "MICROBIT")
    (tmp_path / "m.py").write_text(PROGRAM)
    good = run_ubit("hex", "build", tmp_path / "m.py", "-o", tmp_path / "good.hex")
    assert good.returncode == 0, good.stderr
    lines = (tmp_path / "good.hex").read_text().splitlines()
    broken = tmp_path / "broken.hex"
    broken.write_text("\n".join(lines[: len(lines) // 2]) + "\n:0400000A9903C0DEB8\n:10")
    proc = run_ubit("flash", broken, "--drive", drive)
    line = assert_clean_error(proc, "flash")
    assert "broken.hex" in line
    assert hexes_on(drive) == []


def test_hex_is_copied_byte_for_byte(tmp_path, program):
    drive = make_drive(tmp_path / "MICROBIT", V1_DETAILS)
    built = tmp_path / "game.hex"
    assert run_ubit("hex", "build", program, "-o", built).returncode == 0
    proc = run_ubit("flash", built, "--drive", drive)
    assert proc.returncode == 0, proc.stderr
    assert f"flashed game.hex to {drive} (V1)" in proc.stdout
    assert (drive / "micropython.hex").read_bytes() == built.read_bytes()


def test_hex_for_the_other_board_is_refused(tmp_path, program):
    v2_drive = make_drive(tmp_path / "MICROBIT", V2_DETAILS)
    proc = run_ubit("flash", program, "--target", "v1", "--drive", v2_drive)
    line = assert_clean_error(proc, "flash")
    assert "is a V2" in line and "--target v2" in line
    assert hexes_on(v2_drive) == []
    built = tmp_path / "v1only.hex"
    assert run_ubit("hex", "build", program, "--target", "v1", "-o", built).returncode == 0
    proc = run_ubit("flash", built, "--drive", v2_drive)
    assert "is a V2" in assert_clean_error(proc, "flash")
    assert hexes_on(v2_drive) == []


def test_drive_that_is_not_a_microbit_gets_a_note_but_is_written(tmp_path, program):
    folder = tmp_path / "test-folder"
    folder.mkdir()
    proc = run_ubit("flash", program, "--drive", folder)
    assert proc.returncode == 0, proc.stderr
    assert "ubit: flash: note:" in proc.stderr and "not a micro:bit drive" in proc.stderr
    assert files_by_board((folder / "micropython.hex").read_text())[V2_ID] == {
        "main.py": PROGRAM.encode()}


def test_drive_that_does_not_exist_is_an_error(tmp_path, program):
    proc = run_ubit("flash", program, "--drive", tmp_path / "nowhere")
    assert "no such folder" in assert_clean_error(proc, "flash")


def test_hex_with_other_files_is_a_usage_error(tmp_path, program):
    drive = make_drive(tmp_path / "MICROBIT")
    (tmp_path / "x.hex").write_text(":00000001FF\n")
    proc = run_ubit("flash", program, tmp_path / "x.hex", "--drive", drive)
    assert_clean_error(proc, "flash", code=2)
    assert hexes_on(drive) == []


# ---- --watch -------------------------------------------------------------------------------

class Watcher:
    """``ubit flash --watch`` running in the background, its output read line by line."""

    def __init__(self, *args: str | os.PathLike[str], interval: float = 0.05) -> None:
        env = dict(os.environ, UBIT_WATCH_INTERVAL=str(interval))
        env.pop("UBIT_DEBUG", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ubit", "flash", *map(str, args), "--watch"],
            cwd=ROOT, env=env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.out: queue.Queue[str] = queue.Queue()
        self.err: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        for stream, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=self._read, args=(stream, lines), daemon=True).start()

    @staticmethod
    def _read(stream: IO[str], lines: queue.Queue[str]) -> None:
        for line in stream:
            lines.put(line)

    def wait_for(self, text: str, stream: str = "out", timeout: float = 60) -> str:
        """The next line on stdout (or stderr) containing ``text``; fails after ``timeout``."""
        lines = self.out if stream == "out" else self.err
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            try:
                line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                self.proc.kill()
                raise AssertionError(f"no {text!r} on std{stream}; saw {seen}") from None
            seen.append(line)
            if stream == "err":
                self.stderr.append(line)
            if text in line:
                return line

    def finish(self, timeout: float = 60) -> tuple[int, str]:
        """Exit code and all of stderr once the process ends."""
        try:
            self.proc.wait(timeout)
        finally:
            self.proc.kill()
        time.sleep(0.1)  # let the reader threads see the end of the streams
        while not self.err.empty():
            self.stderr.append(self.err.get())
        return self.proc.returncode, "".join(self.stderr)


def test_watch_reflashes_when_the_source_changes(tmp_path, program):
    drive = make_drive(tmp_path / "MICROBIT", V2_DETAILS)
    watcher = Watcher(program, "--drive", drive, "--watch-count", "1")
    watcher.wait_for("flashed main.py")
    watcher.wait_for("watching main.py")
    first = (drive / "micropython.hex").read_text()
    assert files_by_board(first)[V2_ID] == {"main.py": PROGRAM.encode()}
    changed = PROGRAM + "display.show(Image.HAPPY)\n"
    program.write_text(changed)
    line = watcher.wait_for("flashed")
    assert line.startswith("main.py changed; flashed main.py to") and "(V2)" in line
    code, stderr = watcher.finish()
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert files_by_board((drive / "micropython.hex").read_text())[V2_ID] == {
        "main.py": changed.encode()}


def test_watch_reports_a_build_error_and_keeps_watching(tmp_path, program):
    drive = make_drive(tmp_path / "MICROBIT", V1_DETAILS)
    watcher = Watcher(program, "--drive", drive, "--watch-count", "1")
    watcher.wait_for("watching")
    first = (drive / "micropython.hex").read_bytes()
    program.write_text("# too big for any micro:bit filesystem\n" * 2000)  # ~78 KB
    line = watcher.wait_for("ubit: flash: main.py changed, but:", stream="err")
    assert "main.py" in line
    time.sleep(0.5)  # several more polls
    assert watcher.proc.poll() is None  # still watching
    assert (drive / "micropython.hex").read_bytes() == first  # the board keeps its program
    fixed = "print('fixed')\n"
    program.write_text(fixed)
    watcher.wait_for("main.py changed; flashed")
    code, stderr = watcher.finish()
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert read_hex((drive / "micropython.hex").read_text()).files() == {
        "main.py": fixed.encode()}


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is POSIX")
def test_ctrl_c_ends_watch_cleanly(tmp_path, program):
    drive = make_drive(tmp_path / "MICROBIT")
    watcher = Watcher(program, "--drive", drive)
    watcher.wait_for("watching")
    watcher.proc.send_signal(signal.SIGINT)
    code, stderr = watcher.finish()
    assert code == 0, stderr
    assert "stopped watching" in stderr and "Traceback" not in stderr


# ---- --port: only the files, over serial, when the board runs ubit's MicroPython ------------

def read_port_until(fd: int, marker: bytes, timeout: float = 15) -> bytes:
    """What arrives on ``fd`` up to ``marker`` (a failure after ``timeout`` s)."""
    import select

    got = b""
    deadline = time.monotonic() + timeout
    while marker not in got:
        left = deadline - time.monotonic()
        assert left > 0, f"{marker!r} never came: {got[-300:]!r}"
        if select.select([fd], [], [], left)[0]:
            got += os.read(fd, 4096)
    return got


def test_flash_port_sends_files_to_a_virtual_board_which_restarts(tmp_path):
    from tests.editor.test_devices import SimPort

    (tmp_path / "main.py").write_text("import lib\nprint('running', lib.X)\n")
    (tmp_path / "lib.py").write_text("X = 7\n")
    sim = SimPort(tmp_path, "--board", "v1")
    try:
        proc = run_ubit("flash", tmp_path / "main.py", tmp_path / "lib.py", "--port", sim.path,
                        env=no_roots(tmp_path))
        assert proc.returncode == 0, proc.stderr
        assert f"sent main.py, lib.py to the V1 on {sim.path} over serial" in proc.stdout
        from ubit.device.fs import BoardFiles
        from ubit.device.rawrepl import RawRepl
        from ubit.device.transport import SerialTransport

        repl = RawRepl(SerialTransport(sim.path))
        repl.enter()
        try:
            files = BoardFiles(repl)
            assert files.get("lib.py") == b"X = 7\n"
            # the board restarted into the new main.py: its global is there
            assert repl.exec("print(lib.X)") == b"7\r\n"
        finally:
            repl.close()
    finally:
        sim.stop()


def test_flash_port_with_a_hex_is_a_usage_error(tmp_path):
    hex_file = tmp_path / "x.hex"
    hex_file.write_text(":00000001FF\n")
    proc = run_ubit("flash", hex_file, "--port", "/dev/ttyACM0")
    assert_clean_error(proc, "flash", code=2)
    assert "--port sends files over serial" in proc.stderr


def test_flash_port_that_does_not_answer_falls_back_to_the_drive(tmp_path):
    """A port where nothing answers (no MicroPython): the whole hex goes to the drive."""
    import pty

    master, slave = pty.openpty()
    try:
        port = os.ttyname(slave)
        drive = make_drive(tmp_path / "MICROBIT", V2_DETAILS)
        proc = run_ubit("flash", PROGRAM_PATH(tmp_path), "--port", port, "--drive", drive,
                        env=no_roots(tmp_path))
        assert proc.returncode == 0, proc.stderr
        assert "doesn't answer as MicroPython" in proc.stderr
        assert "flashing the whole hex through the drive" in proc.stderr
        assert hexes_on(drive) == ["micropython.hex"]
    finally:
        os.close(master)
        os.close(slave)


def PROGRAM_PATH(folder: Path) -> Path:  # noqa: N802 - reads like the fixture it stands for
    path = folder / "main.py"
    path.write_text(PROGRAM)
    return path


@pytest.mark.skipif(__import__("shutil").which("qemu-system-arm") is None,
                    reason="qemu-system-arm is not installed")
def test_flash_port_to_the_v1_firmware_under_qemu(tmp_path):
    """The real V1 firmware (1.1.1, as ubit bundles) takes the files over serial and restarts."""
    import tty

    from ubit.device.qemu import QemuBoard
    from ubit.hexfile import V1, bundled_runtime_path

    (tmp_path / "main.py").write_text("print('hello from', 6 * 7)\n")
    with QemuBoard(bundled_runtime_path(V1).read_text(), serial="pty") as board:
        assert board.pty_path is not None
        watcher = os.open(board.pty_path, os.O_RDWR | os.O_NOCTTY)  # QEMU drops unread output
        tty.setraw(watcher)
        try:
            proc = run_ubit("flash", tmp_path / "main.py", "--port", board.pty_path,
                            env=no_roots(tmp_path), timeout=120)
            assert proc.returncode == 0, proc.stderr
            assert "to the V1" in proc.stdout and "MicroPython 1.1.1" in proc.stdout
            read_port_until(watcher, b"hello from 42")
        finally:
            os.close(watcher)
