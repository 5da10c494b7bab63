"""The board's serial port inside its process: bytes out to the host, bytes in from it.

Output is "cooked" as the firmware does (``\\n`` → ``\\r\\n``). Input arrives through
``feed`` — from a thread reading the serial socket (``fd_port``), or from the
control channel's ``serial_in`` messages — so that Ctrl-C reaches a running program
as KeyboardInterrupt at its next bytecode, as on the device, however busy it is.

The host's sockets are used as plain file descriptors (``os.read``/``os.write``): the
``socket`` module would cost every board a few milliseconds of start-up.
"""

from __future__ import annotations

import _signal as signal  # not signal, whose enums cost every board start-up (issue 17)
import os
import threading
from collections.abc import Callable

CTRL_C = 0x03


def interrupt_main_thread() -> None:
    """Raise KeyboardInterrupt in the program's thread, even inside a blocking wait.

    A real SIGINT aimed at the main thread wakes it from sleeps and lock waits,
    where ``_thread.interrupt_main`` would only be seen at the next bytecode.
    """
    signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)


class SerialPort:
    """USB serial of the virtual board, as the emulation sees it."""

    def __init__(self, send: Callable[[bytes], None]) -> None:
        self._send = send
        self.tap: Callable[[bytes], None] | None = None  # also sees every byte written
        self._input = bytearray()
        self._ready = threading.Condition()
        self._closed = False
        self.interrupt_char: int = -1  # -1: Ctrl-C is data; CTRL_C while a program runs
        self.on_interrupt: Callable[[], None] = interrupt_main_thread
        # what sending ``n`` bytes costs the program (board time), while a program runs
        self.pace: Callable[[int], None] | None = None
        self._out_lock = threading.Lock()

    def feed(self, data: bytes) -> None:
        """Bytes arrived from the host (b"": the host's end has gone)."""
        with self._ready:
            if not data:
                self._closed = True
                self._ready.notify_all()
                return
            if self.interrupt_char >= 0 and self.interrupt_char in data:
                # As the firmware: the interrupt char is consumed, and what was
                # waiting to be read is dropped.
                self._input.clear()
                data = data[data.rindex(self.interrupt_char) + 1:]
                self.on_interrupt()
            self._input += data
            self._ready.notify_all()

    # -- output ----------------------------------------------------------------------------
    def write(self, data: bytes) -> None:
        """Send bytes as they are (a running program's output takes its time to go)."""
        with self._out_lock:
            if self.tap is not None:
                self.tap(data)
            self._send(data)
        if self.pace is not None and self.interrupt_char >= 0 and \
                threading.current_thread() is threading.main_thread():
            self.pace(len(data))

    def write_text(self, text: str) -> None:
        """Send text the way MicroPython prints it: UTF-8, newlines as CRLF."""
        self.write(text.replace("\n", "\r\n").encode("utf-8", "surrogateescape"))

    # -- input -----------------------------------------------------------------------------
    def read(self, size: int = 1, timeout: float | None = None) -> bytes:
        """Up to ``size`` bytes, waiting for at least one (b"" when closed or timed out)."""
        with self._ready:
            if not self._input and not self._closed:
                self._ready.wait_for(lambda: self._input or self._closed, timeout)
            data = bytes(self._input[:size])
            del self._input[:size]
            return data

    def any(self) -> int:
        """How many input bytes are waiting."""
        with self._ready:
            return len(self._input)

    @property
    def closed(self) -> bool:
        """Whether the host end has gone."""
        return self._closed


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd`` (a signal can cut a write short: go on after it)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def fd_port(fd: int) -> SerialPort:
    """A serial port over the host's serial socket (a thread feeds it what arrives)."""

    def send(data: bytes) -> None:
        try:
            write_all(fd, data)
        except OSError:
            pass  # nobody listening any more: output is lost, as on a board

    port = SerialPort(send)

    def read_loop() -> None:
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            port.feed(data)
            if not data:
                return

    threading.Thread(target=read_loop, name="serial-in", daemon=True).start()
    return port
