"""Running hexes on the real micro:bit V1 MicroPython firmware under QEMU.

``qemu-system-arm -M microbit`` emulates the nRF51822 micro:bit (V1 only: QEMU has no
nRF52833 machine) with its UART as the serial port, so a V1 hex, or the V1 part of a
universal hex, boots the official firmware and runs its main.py. This is an oracle for
the firmware (language, errors, filesystem), not for the hardware: sensor values and
timings are QEMU's.

What this module relies on, measured with the official v1.1.1 hex:

* QEMU presents unprogrammed flash as 0x00, a flashed chip as 0xFF; ``qemu_ready_hex``
  writes 0xFF over the filesystem region so it starts as on a board.
* The boot prints one NUL byte; lines end in CRLF; when main.py ends, the REPL banner
  (``MicroPython v1.9.2-...``) follows its last byte directly, then ``>>> ``.
* With ``-icount shift=6,sleep=off`` time is virtual (about 16 MHz, idle time skipped), so
  ``sleep()`` takes no wall time, and the ~28 s scroll of an uncaught error 1-4 s.
* QEMU's UART has no baud rate: input sent faster than the firmware reads it overflows its
  receive buffer and is dropped silently (more so on a busy machine), hence the pacing in
  ``QemuBoard.write``.
* Some peripherals hang in C busy-waits (``import radio``, ``temperature()``, compass
  ``heading()``, SPI), and Ctrl-C does not stop them: every wait here has a timeout and
  ``close`` kills QEMU.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import shutil
import struct
import subprocess
import tempfile
import termios
import time
import tty
from contextlib import suppress
from pathlib import Path
from types import TracebackType

from micropython_microbit_fs.device_info import DeviceVersion
from universal_hex import separate_uhex

from ubit.errors import DeviceError, NotMicroPythonError
from ubit.hexfile import V1, FlashImage, decode
from ubit.hexfile.records import EOF_RECORD, RECORD_DATA, encode_data
from ubit.hexfile.runtime import device_info_of

QEMU_BINARY = "qemu-system-arm"
ICOUNT = "shift=6,sleep=off"  # virtual time at about 16 MHz; idle time skipped
WRITE_PIECE = 16  # bytes sent to the UART at once; then wait until QEMU took them ...
WRITE_GAP = 0.001  # ... and this many seconds more before the next piece
BANNER = b"MicroPython v"  # the REPL banner line starts so
PROMPT = b'Type "help()" for more information.\r\n>>> '  # and the banner ends so
_PTY_LINE = re.compile(rb"char device redirected to (\S+)")


class SerialTimeout(DeviceError):
    """Waiting for output from the board took longer than allowed."""

    def __init__(self, message: str, output: bytes) -> None:
        super().__init__(message)
        self.output = output  # everything read (and not yet consumed) when the wait gave up


def _unread(fd: int) -> int:
    """Bytes written to a pipe that its reader has not read yet."""
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0]


def find_qemu() -> str | None:
    """Path of ``qemu-system-arm``, or None if it is not installed."""
    return shutil.which(QEMU_BINARY)


def _unwritten_runs(image: FlashImage, start: int, end: int) -> list[tuple[int, int]]:
    """(address, length) pieces of ``[start, end)`` nothing was written to, in 16-byte windows."""
    runs: list[tuple[int, int]] = []
    for base in range(start, end, RECORD_DATA):
        size = min(RECORD_DATA, end - base)
        if not image.has_data(base, size):
            runs.append((base, size))
            continue
        run_start = None
        for address in range(base, base + size + 1):
            free = address < base + size and not image.has_data(address, 1)
            if free and run_start is None:
                run_start = address
            elif not free and run_start is not None:
                runs.append((run_start, address - run_start))
                run_start = None
    return runs


def qemu_ready_hex(hex_text: str) -> str:
    """A V1 hex that boots under QEMU as the given hex boots a freshly flashed board.

    A universal hex gives its V1 part. Every byte of the V1 filesystem region
    (``fs_start_address`` to ``fs_end_address``) that the hex leaves unwritten is
    written as 0xFF, by 16-byte data records added before the end-of-file record.
    A hex without MicroPython is returned as it is (there is no filesystem to fill).
    Raises ``DeviceError`` for a hex with no V1 part, ``HexError`` for a broken one.
    """
    decoded = decode(hex_text)
    if decoded.is_universal:
        board_id = next((i for i in decoded.images if i in V1.board_ids), None)
        if board_id is None:
            ids = ", ".join(f"0x{i:04X}" for i in decoded.images)
            raise DeviceError(f"this universal hex has no V1 part (board ids {ids}); "
                              "QEMU can only run the micro:bit V1")
        image = decoded.images[board_id]
        text = next(p.hex for p in separate_uhex(hex_text) if p.board_id == board_id)
    else:
        image, text = decoded.images[None], hex_text
    try:
        info = device_info_of(image)
    except NotMicroPythonError:
        return text
    if info.device_version != DeviceVersion.V1:
        raise DeviceError("this is a micro:bit V2 hex; QEMU can only run the micro:bit V1 "
                          "(build with --target v1 or universal)")
    runs = _unwritten_runs(image, info.fs_start_address, info.fs_end_address)
    fill = encode_data([(address, b"\xff" * length) for address, length in runs])
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    end = next(i for i, line in enumerate(lines) if line[7:9] == "01")  # the EOF record
    return "\n".join(lines[:end] + fill + [EOF_RECORD]) + "\n"


class QemuBoard:
    """A QEMU micro:bit V1 running one hex, with its serial port on pipes or a pseudo-terminal.

    ``serial="stdio"`` (the default) connects the UART to QEMU's stdin/stdout and by
    default runs in virtual time (``icount``). ``serial="pty"`` gives a pseudo-terminal,
    ``pty_path``, for other serial tools; it runs in real time by default, and output
    sent while nothing has the terminal open (such as the boot banner) may be lost.
    ``read_until`` and ``write`` open the terminal themselves on first use.
    """

    def __init__(self, hex_text: str, *, serial: str = "stdio", icount: bool | None = None,
                 qemu: str | None = None) -> None:
        if serial not in ("stdio", "pty"):
            raise ValueError(f"serial must be 'stdio' or 'pty', not {serial!r}")
        self.hex_text = hex_text
        self.serial = serial
        self.icount = serial == "stdio" if icount is None else icount
        self.qemu = qemu
        self.pty_path: str | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._pty_fd: int | None = None
        self._buffer = bytearray()

    def command(self, hex_path: str) -> list[str]:
        """The QEMU command line that boots ``hex_path``."""
        loader = "loader,file=" + hex_path.replace(",", ",,")  # QEMU escapes commas by doubling
        cmd = [self.qemu or find_qemu() or QEMU_BINARY, "-M", "microbit", "-device", loader,
               "-nographic", "-serial", self.serial, "-monitor", "none"]
        return cmd + (["-icount", ICOUNT] if self.icount else [])

    def start(self, timeout: float = 10.0) -> QemuBoard:
        """Boot the hex in QEMU (in pty mode, wait up to ``timeout`` s for the terminal)."""
        if self._proc is not None:
            raise DeviceError("this QEMU board is already started")
        if self.qemu is None and find_qemu() is None:
            raise DeviceError(f"{QEMU_BINARY} not found; install QEMU "
                              "(Debian/Ubuntu: apt-get install qemu-system-arm)")
        ready = qemu_ready_hex(self.hex_text)
        self._tmp = tempfile.TemporaryDirectory(prefix="ubit-qemu-")
        hex_path = Path(self._tmp.name, "board.hex")
        hex_path.write_text(ready, encoding="ascii")
        log = Path(self._tmp.name, "qemu.log").open("wb")
        try:
            self._proc = subprocess.Popen(self.command(str(hex_path)), stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=log)
        except OSError as exc:
            self.close()
            raise DeviceError(f"can't start {QEMU_BINARY}: {exc}") from None
        finally:
            log.close()
        if self.serial == "pty":
            try:
                line = self._read_until(self._proc.stdout.fileno(), b"\n", timeout)
                found = _PTY_LINE.search(line)
                if not found:
                    raise DeviceError(f"QEMU did not name its serial terminal: {line!r}")
            except BaseException:
                self.close()
                raise
            self._buffer.clear()
            self.pty_path = found.group(1).decode()
        return self

    def _log(self) -> str:
        """What QEMU wrote to stderr (its error messages)."""
        path = Path(self._tmp.name, "qemu.log") if self._tmp else None
        return path.read_text(errors="replace").strip() if path and path.exists() else ""

    def _serial_fd(self, for_writing: bool) -> int:
        """The file descriptor to read the UART from or write it to."""
        if self._proc is None:
            raise DeviceError("the QEMU board is not started")
        if self.serial == "stdio":
            stream = self._proc.stdin if for_writing else self._proc.stdout
            return stream.fileno()
        if self._pty_fd is None:
            try:
                self._pty_fd = os.open(self.pty_path, os.O_RDWR | os.O_NOCTTY)
            except OSError as exc:
                raise DeviceError(f"can't open QEMU's terminal {self.pty_path}: {exc}") from None
            tty.setraw(self._pty_fd)  # no echo, no newline translation on our side
        return self._pty_fd

    def _read_until(self, fd: int, marker: bytes, timeout: float) -> bytes:
        """Read ``fd`` into the buffer until ``marker``; return up to and including it."""
        deadline = time.monotonic() + timeout
        while (found := self._buffer.find(marker)) < 0:
            remaining = deadline - time.monotonic()
            tail = bytes(self._buffer[-500:])  # for error messages
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise SerialTimeout(f"no {marker!r} from the board within {timeout:g} s; "
                                    f"read so far: {tail!r}", bytes(self._buffer))
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # a pseudo-terminal whose QEMU has gone
                chunk = b""
            if not chunk:
                code = self._proc.poll() if self._proc else None
                raise DeviceError(f"QEMU stopped (exit status {code}) before {marker!r}: "
                                  f"{self._log() or 'no message'}; last output: "
                                  f"{tail!r}")
            self._buffer += chunk
        end = found + len(marker)
        out = bytes(self._buffer[:end])
        del self._buffer[:end]
        return out

    def read_until(self, marker: bytes, timeout: float) -> bytes:
        """Serial output up to and including ``marker``; ``SerialTimeout`` after ``timeout`` s."""
        return self._read_until(self._serial_fd(False), marker, timeout)

    def write(self, data: bytes, timeout: float = 5.0) -> None:
        """Send ``data`` to the UART, paced so the firmware keeps up (faster input is lost).

        16-byte pieces, 1 ms apart, each (in stdio mode) once QEMU has taken the previous one
        from the pipe, waiting at most ``timeout`` s. With 4 QEMUs on 2 CPUs, 300-byte lines
        sent in 32-byte pieces 1 ms apart lost bytes in 37 of 60; these lost none of 120.
        """
        fd = self._serial_fd(True)
        try:
            for i in range(0, len(data), WRITE_PIECE):
                os.write(fd, data[i : i + WRITE_PIECE])
                deadline = time.monotonic() + timeout
                while self.serial == "stdio" and _unread(fd):
                    if time.monotonic() > deadline:
                        raise SerialTimeout(f"the board read none of its input for {timeout:g} s "
                                            f"(is it stuck?); {len(data) - i} bytes unsent",
                                            bytes(self._buffer))
                    time.sleep(0.0002)
                time.sleep(WRITE_GAP)
        except OSError as exc:
            raise DeviceError(f"can't write to the QEMU board: {exc}; {self._log()}") from None

    def close(self) -> None:
        """Kill QEMU and remove its files (safe to call more than once)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()  # a no-op if it has already exited
            with suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
            for stream in (proc.stdin, proc.stdout):
                with suppress(OSError):
                    stream.close()
        if self._pty_fd is not None:
            os.close(self._pty_fd)
            self._pty_fd = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> QemuBoard:
        return self if self._proc is not None else self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def program_output(raw: bytes) -> str:
    """What main.py printed, from the serial bytes of a boot that reached the REPL banner."""
    cut = raw.rfind(BANNER)
    if cut < 0:
        raise DeviceError(f"no MicroPython banner in the board's output: {raw[-300:]!r}")
    body = raw[:cut].removeprefix(b"\x00")
    return body.decode("utf-8", "replace").replace("\r\n", "\n")


def run_hex(hex_text: str, timeout: float = 20.0) -> str:
    """Boot ``hex_text`` in QEMU and return exactly what its main.py printed.

    The result is the serial output from the boot up to, not including, the REPL banner
    line (``MicroPython v1.9.2-...``) that follows main.py's last byte: the boot's
    leading NUL dropped, CRLF turned into "\\n". An uncaught error's traceback is part of
    it (the firmware then scrolls the error, delaying the banner by 1-4 s). Runs in virtual
    time; raises ``SerialTimeout`` (a ``DeviceError``) if the banner does not come within
    ``timeout`` s, e.g. when main.py loops forever or hangs QEMU.
    """
    with QemuBoard(hex_text) as board:
        return program_output(board.read_until(PROMPT, timeout))
