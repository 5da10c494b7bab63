"""Byte transports to a board's serial port: the one thing that owns the port.

Everything above (the raw REPL, the filesystem commands) talks to a ``Transport``:
``read`` what has arrived, ``write`` bytes, ``close``. ``SerialTransport`` is the one for
real boards, QEMU's pseudo-terminal and ``ubit sim``'s; tests and ``--sim`` plug in others.
A port that vanishes (board unplugged, QEMU or the virtual board stopped) raises
``PortClosedError`` from ``read``/``write`` instead of hanging or returning nothing forever.
"""

from __future__ import annotations

import errno
import os
import select
from typing import Protocol

from ubit.errors import DeviceError

BAUD_RATE = 115200  # the micro:bit's serial port (ignored by pseudo-terminals)
WRITE_TIMEOUT = 10.0  # seconds a write may block before the board counts as stuck
READ_SIZE = 4096


class PortClosedError(DeviceError):
    """The serial port went away while in use (board unplugged, emulator stopped)."""


class PortBusyError(DeviceError):
    """Another program holds the serial port."""


class Transport(Protocol):
    """A two-way byte stream to a board."""

    name: str

    def read(self, timeout: float) -> bytes:
        """Bytes that have arrived, waiting up to ``timeout`` s for the first; b"" if none."""
        ...

    def write(self, data: bytes) -> None:
        """Send all of ``data``."""
        ...

    def close(self) -> None:
        """Release the port (safe to call twice)."""
        ...


class SerialBoard(Protocol):
    """A board in this process with a serial port as a byte stream (a virtual micro:bit)."""

    running: bool

    def read_serial(self, timeout: float | None = 0) -> bytes:
        """Serial output that has arrived, waiting up to ``timeout`` s."""
        ...

    def write_serial(self, data: bytes) -> None:
        """Send bytes to the board's serial port."""
        ...

    def crash_report(self) -> str:
        """Why the board stopped."""
        ...

    def close(self) -> None:
        """Stop the board."""
        ...


class BoardTransport:
    """The serial port of a board in this process (``SerialBoard``) as a ``Transport``."""

    def __init__(self, board: SerialBoard, owns_board: bool = True,
                 name: str = "the virtual micro:bit") -> None:
        """Talk to ``board`` (already started); ``close`` stops it if ``owns_board``."""
        self.board = board
        self.owns_board = owns_board
        self.name = name

    def read(self, timeout: float) -> bytes:
        """Serial output that has arrived, waiting up to ``timeout`` s."""
        data = self.board.read_serial(timeout=timeout)
        if not data and not self.board.running:
            raise PortClosedError(f"{self.name} stopped: {self.board.crash_report()}")
        return data

    def write(self, data: bytes) -> None:
        """Send bytes to the board's serial port."""
        if not self.board.running:
            raise PortClosedError(f"{self.name} stopped: {self.board.crash_report()}")
        self.board.write_serial(data)

    def close(self) -> None:
        """Stop the board, if this transport owns it."""
        if self.owns_board:
            self.board.close()


def _open_error(port: str, exc: BaseException) -> DeviceError:
    """A one-line reason a port can't be opened, from pyserial's or the OS's error."""
    code = getattr(exc, "errno", None)
    if code is None and exc.args and isinstance(exc.args[0], int):
        code = exc.args[0]
    reasons = {
        errno.ENOENT: "no such port",
        errno.ENXIO: "no such device (unplugged?)",
        errno.ENODEV: "no such device (unplugged?)",
        errno.EACCES: "permission denied (on Linux, join the 'dialout' group and log in again)",
        errno.EBUSY: "the port is in use by another program",
        errno.ENOTTY: "not a serial port",
        errno.EIO: "the port does not answer (input/output error)",
    }
    text = str(exc)
    if code in reasons:
        reason = reasons[code]
    elif "Inappropriate ioctl" in text or "termios" in text:
        reason = "not a serial port"
    elif "lock" in text.lower():
        reason = "the port is in use by another program"
    else:
        reason = text
    if reason.startswith("the port is in use"):
        from ubit.device.portusers import port_users

        users = port_users(port)
        if users:
            reason = (f"the port is in use by {', '.join(users)}; close "
                      f"{'it' if len(users) == 1 else 'them'} and try again")
    return PortBusyError(f"can't open {port}: {reason}") if "in use" in reason \
        else DeviceError(f"can't open {port}: {reason}")


class SerialTransport:
    """A serial port opened with pyserial: a USB micro:bit, a QEMU or ``ubit sim`` pty."""

    def __init__(self, port: str, baudrate: int = BAUD_RATE) -> None:
        """Open ``port``; ``DeviceError`` with a one-line reason if it can't be."""
        import serial  # pyserial: imported here, so commands that don't use a port don't pay

        self.name = port
        self._serial_mod = serial
        if os.name == "posix" and not os.path.exists(port):
            raise DeviceError(f"can't open {port}: no such port")  # before pyserial's wording
        try:
            self._port = serial.Serial(port, baudrate, timeout=0, write_timeout=WRITE_TIMEOUT,
                                       exclusive=True if os.name == "posix" else None)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise _open_error(port, exc) from None
        # POSIX: select + os.read on the descriptor, so each read's timeout is free to
        # change (pyserial reconfigures the port whenever its timeout is set).
        self._fd: int | None = None
        try:
            self._fd = self._port.fileno()
        except (AttributeError, OSError, ValueError):
            self._fd = None
        self._timeout: float | None = 0

    def _gone(self, exc: BaseException | None = None) -> PortClosedError:
        why = f" ({exc})" if exc is not None and str(exc) else ""
        return PortClosedError(f"{self.name}: the board went away (the serial port closed){why}")

    def read(self, timeout: float) -> bytes:
        """Bytes that have arrived, waiting up to ``timeout`` s; ``PortClosedError`` if gone."""
        if self._port is None:
            raise self._gone()
        if self._fd is not None:
            try:
                ready = select.select([self._fd], [], [], max(0.0, timeout))[0]
                if not ready:
                    return b""
                data = os.read(self._fd, READ_SIZE)
            except BlockingIOError:
                return b""
            except OSError as exc:  # EIO: the other end of a pty closed; ENXIO: unplugged
                raise self._gone() from exc
            if not data:  # readable but empty: the device is gone (Linux)
                raise self._gone()
            return data
        return self._read_portable(timeout)

    def _read_portable(self, timeout: float) -> bytes:
        """``read`` through pyserial's API (Windows), setting its timeout only on change."""
        try:
            if self._timeout != timeout:
                self._port.timeout = self._timeout = timeout
            first = self._port.read(1)
            if not first:
                return b""
            return first + self._port.read(self._port.in_waiting)
        except (self._serial_mod.SerialException, OSError) as exc:
            raise self._gone(exc) from None

    def write(self, data: bytes) -> None:
        """Send ``data``; ``DeviceError`` if the board stops taking it or is gone."""
        if self._port is None:
            raise self._gone()
        try:
            self._port.write(data)
        except self._serial_mod.SerialTimeoutException:
            raise DeviceError(f"{self.name}: the board stopped taking input "
                              f"for {WRITE_TIMEOUT:g} s") from None
        except (self._serial_mod.SerialException, OSError) as exc:
            raise self._gone(exc) from None

    def close(self) -> None:
        """Close the port (safe to call twice; errors from a vanished port are ignored)."""
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except (self._serial_mod.SerialException, OSError):
                pass

