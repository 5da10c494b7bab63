"""``ubit run PROGRAM --firmware``: the program on the official V1 firmware under QEMU.

The virtual board imitates the firmware; this runs the firmware itself, so its output,
errors and memory limits (a 10 KB heap, a 1.8 KB C stack, ~28 KB of files) are the
real ones. QEMU emulates the nRF51822 and its UART, not the board around it: the LEDs
aren't shown, nothing is heard, buttons are never pressed, and a few peripherals hang in
the firmware's busy-waits (``import radio``, ``temperature()``, compass ``heading()``,
SPI), which Ctrl-C can't stop; hence a time limit and warnings before the run.

Headless (or output that isn't a terminal) the board runs in virtual time (QEMU's
icount: sleeps take no wall time) and the run ends when main.py does. In a terminal it
runs in real time, keys go to the board, and the firmware's REPL follows the program
until Ctrl-] (idle virtual time would spin a CPU at the prompt).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import os
import re
import select
import signal
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from ubit.device.qemu import PROMPT, QEMU_BINARY, QemuBoard, find_qemu
from ubit.errors import DeviceError, TimeLimitError, UsageError

INSTALL_HINT = ("install QEMU (Debian/Ubuntu: sudo apt-get install qemu-system-arm; "
                "macOS: brew install qemu; Windows: https://www.qemu.org/download/)")
DEFAULT_LIMIT_S = 30.0  # wall seconds, headless: a hang must not hold a script forever
# After an uncaught error the firmware scrolls it on the LEDs before its prompt: about a
# second a character in real time, under a second in all in virtual time.
REAL_TIME_SCROLL_S = 120.0
HEADLESS_SCROLL_S = 10.0
LEAVE = b"\x1d"  # Ctrl-]: as in ubit repl, telnet and miniterm
POLL_S = 0.1
UNAVAILABLE = "radio, temperature(), compass heading, SPI"

# The REPL banner follows main.py's last byte directly: "MicroPython v1.9.2-...\r\n" + PROMPT.
_BANNER_START = b"MicroPython v"
_BANNER_LINE_MAX = 200
_BANNER = re.compile(re.escape(_BANNER_START) + rb"[^\r\n]{0,%d}\r\n" % _BANNER_LINE_MAX
                     + re.escape(PROMPT))
# An uncaught error as the firmware prints it, ending the output; or the compiler running
# out of memory before the first line runs (no traceback then: just "MemoryError: ").
_TRACEBACK = re.compile(rb'(?:\A|\n)Traceback \(most recent call last\):\r\n'
                        rb'(?:  File "[^\r\n]*\r\n)+[A-Za-z_][\w.]*(?::[^\r\n]*)?\r\n\Z')
_COMPILE_MEMORY = re.compile(rb"\AMemoryError:[^\r\n]*\r\n\Z")
_TRACEBACK_START = b"Traceback (most recent call last):\r\n"
_TAIL_KEPT = 8192  # bytes of output kept to recognise the traceback that ends it

# Options of `ubit run` that belong to the virtual board: (attribute, option, unset value).
_VIRTUAL_ONLY = (("inputs", "--inputs", None), ("audio", "--audio", None),
                 ("log_csv", "--log-csv", None), ("at", "--at", None),
                 ("seed", "--seed", None), ("fs", "--fs", None), ("device", "--device", False),
                 ("port", "--port", None), ("radio_space", "--radio-space", "default"))


def check_options(args: argparse.Namespace) -> None:
    """Refuse, in one line, what ``--firmware`` can't do (V2, several boards, sim options)."""
    if len(args.programs) > 1:
        raise UsageError("--firmware runs one program on one board; for several files, "
                         "put them in a folder (with main.py) and give the folder")
    boards = args.board or []
    if len(boards) > 1:
        raise UsageError("--firmware runs one board; give --board once (v1) or leave it out")
    if boards and boards[0] != "v1":
        raise UsageError(f"--board {boards[0]} --firmware: QEMU can only run the micro:bit V1 "
                         "firmware (it has no V2 machine); use --board v1 or leave --board out")
    for attr, option, unset in _VIRTUAL_ONLY:
        if getattr(args, attr, unset) != unset:
            raise UsageError(f"{option} works on the virtual board, not with --firmware")


def program_files(path: str) -> dict[str, bytes]:
    """The files of the program at ``path`` (.py, .hex or folder), checked to fit the V1."""
    from ubit.cli.programs import load_program

    return load_program(path, "v1")


def firmware_hex(files: dict[str, bytes]) -> str:
    """A V1 hex of the official runtime holding ``files`` (names kept; main.py runs)."""
    from ubit.hexfile import build_single
    from ubit.hexfile.sources import MAIN, SourceFile, assign_names, check_name
    from ubit.hexfile.targets import V1
    from ubit.project import runtimes_for

    named = [SourceFile(name, data) for name, data in files.items()]
    if MAIN in files:
        named = assign_names(named)
    else:  # a folder without main.py: the firmware just starts its REPL, as a board would
        for source in named:
            check_name(source.name)
    return build_single(named, runtimes_for("v1", None)[V1])


def emulation_notes(files: dict[str, bytes], interactive: bool) -> list[str]:
    """What the program uses that QEMU doesn't emulate, one sentence each (hangs first)."""
    modules: set[str] = set()
    names: set[str] = set()
    called: set[str] = set()
    for name, data in files.items():
        if not name.endswith(".py"):
            continue
        try:
            tree = ast.parse(data.decode("utf-8", "replace"))
        except (SyntaxError, ValueError, RecursionError, MemoryError):  # the firmware says
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules.add(node.module)
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            if isinstance(node, ast.Call):
                func = node.func
                called.add(func.id if isinstance(func, ast.Name)
                           else func.attr if isinstance(func, ast.Attribute) else "")
    notes = []
    hangs = [what for what, used in (
        ("`import radio`", "radio" in modules),
        ("temperature()", "temperature" in called),
        ("compass.heading() and calibrate()", bool({"heading", "calibrate"} & called)),
        ("SPI", "spi" in names)) if used]
    if hangs:
        notes.append(f"{' and '.join(hangs)} hang{'s' if len(hangs) == 1 else ''} under QEMU "
                     "(the part isn't emulated; Ctrl-C can't stop it): "
                     + ("leave with Ctrl-]" if interactive else "the run ends at its time limit"))
    if "reset" in called:
        notes.append("reset() under QEMU loads the hex again: the files the program wrote "
                     "are gone and main.py starts afresh")
    if "input" in called and not interactive:
        notes.append("input() waits for typing, and headless nothing is typed: "
                     "the run ends at its time limit")
    unseen = [what for what, used in (
        ("the LEDs", bool({"display", "Image"} & names) or "neopixel" in modules),
        ("sound", bool({"music", "speech", "audio"} & modules))) if used]
    if unseen:
        notes.append(f"QEMU doesn't emulate {' or '.join(unseen)}: they work, unseen "
                     "and unheard; only serial output shows")
    if {"button_a", "button_b", "accelerometer", "compass", "is_touched", "read_analog",
            "read_digital"} & names:
        notes.append("under QEMU buttons are never pressed, pins aren't touched and "
                     "sensors read fixed values")
    return notes


class FirmwareBoard(QemuBoard):
    """A QEMU board whose serial output can be read as it comes, in pieces."""

    def serial_fd(self) -> int:
        """The file descriptor the board's serial output is read from."""
        return self._serial_fd(False)

    def read_some(self, timeout: float) -> bytes:
        """Output that came within ``timeout`` s (b"" if none); DeviceError if QEMU stopped."""
        if self._buffer:
            data = bytes(self._buffer)
            self._buffer.clear()
            return data
        fd = self.serial_fd()
        if not select.select([fd], [], [], timeout)[0]:
            return b""
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        if not data:
            code = self._proc.poll() if self._proc else None
            raise DeviceError(f"QEMU stopped (exit status {code}): "
                              f"{self._log() or 'no message'}")
        return data


class ProgramOutput:
    """The board's serial bytes → what the program printed, until the REPL banner.

    Bytes that might begin the banner are held back until it is certain they don't,
    so the program's output streams as it comes and never includes the banner.
    """

    def __init__(self, crlf_to_lf: bool) -> None:
        self.crlf_to_lf = crlf_to_lf
        self.pending = bytearray()
        self.tail = bytearray()  # the last bytes printed, to tell how the program ended
        self.started = False  # the boot's leading NUL has been dropped
        self.ended = False
        self.after_banner = b""  # the banner and prompt, for an interactive REPL
        self.traceback_seen = False
        self.scroll_noted = False  # interactive: the error scroll's wait has been explained

    def feed(self, data: bytes) -> bytes:
        """Take serial bytes; return the program's output that is now certain."""
        if not self.started and data:
            self.started = True
            data = data.removeprefix(b"\x00")
        self.pending += data
        found = _BANNER.search(self.pending)
        if found:
            self.ended = True
            self.after_banner = bytes(self.pending[found.start():])
            shown = self._emit(found.start(), final=True)
            self.pending.clear()
            return shown
        return self._emit(self._held_from())

    def flush(self) -> bytes:
        """Everything still held back (the run is over without a banner)."""
        return self._emit(len(self.pending), final=True)

    def _held_from(self) -> int:
        """Where the bytes that could still be the start of the banner begin."""
        buf = bytes(self.pending)
        start = buf.find(_BANNER_START)
        while start >= 0:
            if self._could_be_banner(buf[start:]):
                return start
            start = buf.find(_BANNER_START, start + 1)
        for size in range(len(_BANNER_START) - 1, 0, -1):
            if buf.endswith(_BANNER_START[:size]):
                return len(buf) - size
        return len(buf)

    @staticmethod
    def _could_be_banner(rest: bytes) -> bool:
        line_end = rest.find(b"\r\n")
        if line_end < 0:
            return b"\n" not in rest and len(rest) <= len(_BANNER_START) + _BANNER_LINE_MAX + 1
        return (b"\r\n" + PROMPT).startswith(rest[line_end:])

    def _emit(self, end: int, final: bool = False) -> bytes:
        if self.crlf_to_lf and not final and end and self.pending[end - 1:end] == b"\r":
            end -= 1  # its \n may be in the next piece
        out = bytes(self.pending[:end])
        del self.pending[:end]
        self.tail = (self.tail + out)[-_TAIL_KEPT:]
        if not self.traceback_seen and _TRACEBACK_START in self.tail:
            self.traceback_seen = True
        return out.replace(b"\r\n", b"\n") if self.crlf_to_lf else out

    def failed(self) -> bool:
        """Whether the program ended with an uncaught error (its traceback printed last)."""
        tail = bytes(self.tail)
        return bool(_TRACEBACK.search(tail) or _COMPILE_MEMORY.match(tail))


@contextlib.contextmanager
def ended_by_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP end the run through ``finally`` blocks, so QEMU is killed too."""
    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    saved: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            with contextlib.suppress(ValueError):  # not the main thread: leave them be
                saved[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


class Deadline:
    """The run's wall-time limit, stretched once when a traceback starts the error scroll."""

    def __init__(self, limit: float | None, scroll_allowance: float) -> None:
        self.limit = limit
        self.at = None if limit is None else time.monotonic() + limit
        self.scroll_allowance = scroll_allowance
        self.stretched = False

    def remaining(self, output: ProgramOutput) -> float | None:
        """Seconds left (None: no limit); raises ``TimeLimitError`` once none are."""
        if self.at is None or output.ended:
            return None
        now = time.monotonic()
        if output.traceback_seen and not self.stretched:
            # the program has ended; the firmware scrolls its error before the prompt
            self.at, self.stretched = max(self.at, now + self.scroll_allowance), True
        if now >= self.at and output.failed():
            # a MemoryError printed bare: the heap was too full even to word it, and the
            # firmware never gets to its REPL (seen under QEMU: 50 small functions)
            raise DeviceError("stopped: the firmware ran out of memory (the MemoryError "
                              "above) and stopped responding, with none left to show the "
                              "error or start its REPL")
        if now >= self.at:
            raise TimeLimitError(
                f"stopped: the program was still running after {self.limit:g} s under QEMU "
                "(--time sets the limit); if it should have ended, it may be waiting on a "
                f"part QEMU doesn't emulate ({UNAVAILABLE}) or on input()")
        return self.at - now


def run_firmware(args: argparse.Namespace, warn: Callable[[str], None]) -> int:
    """Run ``args.programs[0]`` on the V1 firmware under QEMU; 0 if it ended well, 1 if not."""
    check_options(args)
    if find_qemu() is None:
        raise DeviceError(f"{QEMU_BINARY} not found: --firmware runs the real V1 firmware "
                          f"in it; {INSTALL_HINT}")
    interactive = not args.headless and sys.stdin.isatty() and sys.stdout.isatty()
    files = program_files(args.programs[0])
    hex_text = firmware_hex(files)
    for note in emulation_notes(files, interactive):
        warn(note)
    if interactive:
        return run_interactive(hex_text, args.time)
    return run_headless(hex_text, DEFAULT_LIMIT_S if args.time is None else args.time)


def run_headless(hex_text: str, limit: float) -> int:
    """Virtual time; the program's output to stdout; stop at the banner or after ``limit`` s."""
    out = sys.stdout.buffer
    output = ProgramOutput(crlf_to_lf=True)
    deadline = Deadline(limit, HEADLESS_SCROLL_S)
    try:
        with ended_by_signals(), FirmwareBoard(hex_text, icount=True) as board:
            while not output.ended:
                left = deadline.remaining(output)
                data = board.read_some(POLL_S if left is None else min(POLL_S, left))
                if data:
                    out.write(output.feed(data))
                    out.flush()
    finally:  # what the program printed last, also when the run is cut short
        out.write(output.flush())
        out.flush()
    return 1 if output.failed() else 0


def run_interactive(hex_text: str, limit: float | None) -> int:
    """Real time in a terminal: keys to the board, the REPL after the program, Ctrl-] leaves."""
    from ubit.cli.repl import raw_terminal

    in_fd, out_fd, err_fd = sys.stdin.fileno(), sys.stdout.fileno(), sys.stderr.fileno()
    output = ProgramOutput(crlf_to_lf=False)
    deadline = Deadline(limit, REAL_TIME_SCROLL_S)
    with ended_by_signals(), raw_terminal(in_fd), FirmwareBoard(hex_text, icount=False) as board:
        # said once the terminal is raw (raw mode drops keys typed before it), so \r\n
        sys.stderr.write("the V1 firmware under QEMU, in real time: serial output only (LEDs, "
                         "sound, radio and sensors aren't emulated); Ctrl-] leaves\r\n")
        sys.stderr.flush()
        serial = board.serial_fd()
        try:
            while True:
                left = deadline.remaining(output)
                wait = POLL_S if left is None else min(POLL_S, left)
                ready = select.select([serial, in_fd], [], [], wait)[0]
                if serial in ready:
                    show_output(output, board.read_some(0), out_fd, err_fd)
                if in_fd in ready:
                    keys = os.read(in_fd, 1024)
                    if not keys or LEAVE in keys:
                        head = keys.split(LEAVE, 1)[0]
                        if head:
                            board.write(head)
                        break
                    board.write(keys)
        finally:
            os.write(out_fd, output.flush() + b"\r\n")
    return 1 if output.failed() else 0


def show_output(output: ProgramOutput, data: bytes, out_fd: int, err_fd: int) -> None:
    """Show serial bytes in the terminal: the program's output, then the REPL's; notes between."""
    if output.ended:
        os.write(out_fd, data)
        return
    os.write(out_fd, output.feed(data))
    note = ""
    if output.ended:
        how = "with an error" if output.failed() else "normally"
        note = f"[the program ended {how}; this is the firmware's REPL (Ctrl-] leaves)]"
    elif output.failed() and not output.scroll_noted:
        output.scroll_noted = True  # or the wait for the prompt looks like a hang
        note = ("[the firmware now scrolls the error across the LEDs, which QEMU doesn't "
                "show; its REPL follows]")
    if note:
        newline = "" if output.tail.endswith(b"\n") or not output.tail else "\r\n"
        os.write(err_fd, f"{newline}{note}\r\n".encode())
    if output.ended:
        os.write(out_fd, output.after_banner)
