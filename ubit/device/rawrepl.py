"""MicroPython's raw REPL, the machine-to-machine side of a board's serial port.

The protocol (both micro:bit firmwares; V2 adds raw-paste):

* Ctrl-A on an empty line of the friendly REPL → ``\\r\\nraw REPL; CTRL-B to exit\\r\\n>``.
* Plain raw REPL: send source, then Ctrl-D. The board answers ``OK``, runs it, then
  sends its output, ``\\x04``, the traceback if it raised, ``\\x04`` and the ``>`` prompt.
  There is no flow control: V1's UART interrupt puts each byte in a 64-byte ring that the
  REPL empties, and drops bytes while the ring is full. Source that fits the ring
  (``INPUT_BUFFER``) can't be lost, however late the board reads it, and can even be sent
  while the code before it runs (``send_next``); longer source goes out paced, which
  helps only while the board keeps up (see ``PIECE``).
* Raw-paste (V2): send ``\\x05A\\x01``; the board answers ``R\\x01`` and a window size
  (2 bytes, little-endian), and sends ``\\x01`` each time another window of input is
  welcome; Ctrl-D ends the source and the board acknowledges with ``\\x04``, then
  output as above. V1 takes ``\\x05A`` as source and the ``\\x01`` restarts the raw REPL,
  so it answers with the raw REPL header again: that is how we know to fall back.
* Ctrl-C clears a half-typed raw REPL buffer (and interrupts running code); Ctrl-B
  leaves for the friendly REPL; Ctrl-D on an empty buffer soft-reboots.

A board's own errors come back as ``RemoteError`` carrying its traceback.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Callable

from ubit.device.transport import Transport
from ubit.errors import DeviceError

CTRL_A = b"\x01"  # enter the raw REPL (or restart it, clearing its buffer)
CTRL_B = b"\x02"  # leave the raw REPL for the friendly one
CTRL_C = b"\x03"  # interrupt running code; in the raw REPL, clear the buffer
CTRL_D = b"\x04"  # end of source; with an empty buffer, soft reboot
CTRL_E = b"\x05"  # first byte of the raw-paste request
RAW_HEADER = b"raw REPL; CTRL-B to exit\r\n>"
RAW_PASTE_REQUEST = CTRL_E + b"A" + CTRL_A
RAW_PASTE_YES, RAW_PASTE_NO = b"R\x01", b"R\x00"
RAW_PASTE_MORE = b"\x01"  # the board will take another window of input
EXEC_OK = b"OK"
END = CTRL_D  # ends the output, then the traceback
PROMPT = b">"
FRIENDLY_PROMPT = b"\r\n>>> "  # the end of the banner Ctrl-B brings
SOFT_REBOOT = b"soft reboot\r\n"  # V1 "soft reboot", V2 "MPY: soft reboot"

# V1's input buffer: the firmware's UART interrupt stores each byte in a 64-byte ring (one
# slot kept free) and drops it while the ring is full (mphalport.cpp, UART_RX_BUF_SIZE).
# Source of at most this many bytes, its Ctrl-D included, sent once the board has taken all
# before it, fits whole: nothing is lost however long the REPL doesn't read (it may be
# running the code before, or collecting garbage: 5.5 ms on a V1, as long as 63 bytes take
# on a real wire; measured under QEMU at 16 MHz).
INPUT_BUFFER = 63
# Longer plain raw REPL input is paced: pieces of PIECE bytes at RATE. A real V1 takes
# 11.5 KB/s through its UART anyway; QEMU's UART has no rate. Pacing guarantees nothing
# there: on a loaded machine QEMU falls behind (its OK came up to 290 ms after the last
# byte was written: kilobytes waiting in the pty), then feeds the backlog to the firmware
# faster than the REPL empties the ring. Measured with two busy loops on two CPUs: sources
# of 960 bytes garbled 22-49%, of 80-512 bytes up to 22%, of 63 bytes or less none of
# 14,850. So what must arrive whole (``ubit fs``) goes in sources of INPUT_BUFFER bytes.
PIECE = 16
RATE = 11520  # bytes/s on average: a real V1's wire rate (115200 baud), no faster
WIRE_RATE = 11520  # bytes/s at 115200 baud: how long a real board may still be receiving
ENTER_TIMEOUT = 3.0  # s to get from whatever the board is doing to the raw REPL prompt
ENTER_ATTEMPT = 0.6  # s to wait for the header before interrupting again
ANSWER_TIMEOUT = 2.0  # s for the board to acknowledge source (R\x01, \x04) or a Ctrl-C
OK_TIMEOUT = 0.5  # s for the OK after plain raw REPL source (its Ctrl-D may have been lost)
POLL = 0.2  # s between checks while waiting without a limit


class RemoteError(DeviceError):
    """Code on the board raised an exception; ``traceback`` is the board's text."""

    def __init__(self, traceback: str) -> None:
        self.traceback = traceback.replace("\r\n", "\n").rstrip("\n")
        lines = [line for line in self.traceback.splitlines() if line.strip()]
        self.exception = lines[-1].strip() if lines else "unknown error"
        name, _, message = self.exception.partition(":")
        self.name = name.strip()  # e.g. "OSError"
        self.message = message.strip()  # e.g. "file not found", "[Errno 2] ENOENT"
        super().__init__(f"the board raised {self.exception}")


class InputLostError(DeviceError):
    """The board never acknowledged the source sent (lost on the wire); nothing ran."""


def _timeout_error(what: str, got: bytes) -> DeviceError:
    tail = bytes(got[-80:])
    return DeviceError(f"no {what} from the board in time" + (f" (got {tail!r})" if tail else ""))


class RawRepl:
    """The raw REPL on one transport: enter it, run code, leave it."""

    def __init__(self, transport: Transport) -> None:
        """Speak the raw REPL over ``transport`` (call ``enter`` first)."""
        self.transport = transport
        self.raw_paste: bool | None = None  # learnt on the first exec
        self.active = False
        self._buf = bytearray()

    # -- reading -----------------------------------------------------------------------------
    def _fill(self, timeout: float) -> bool:
        """Read what has arrived into the buffer, waiting up to ``timeout``; True if any."""
        data = self.transport.read(timeout)
        self._buf += data
        return bool(data)

    def _read_until(self, marker: bytes, timeout: float | None,
                    on_data: Callable[[bytes], None] | None = None,
                    idle: bool = False) -> bytes | None:
        """Bytes up to (not including) ``marker``, which is consumed; None on timeout.

        ``timeout`` is in s (None: wait for ever), counted from the call, or with ``idle``
        from the last byte received (a chatty board then never times out: only for the
        output of code that ends). ``on_data`` gets the bytes before the marker as they come.
        """
        last = time.monotonic()
        seen = 0  # bytes of the buffer already searched and passed to on_data
        while (found := self._buf.find(marker, max(0, seen - len(marker) + 1))) < 0:
            if on_data is not None:
                # hold back a possible start of the marker split across reads
                safe = len(self._buf) - len(marker) + 1
                if safe > seen:
                    on_data(bytes(self._buf[seen:safe]))
                    seen = safe
            else:
                seen = len(self._buf)
            wait = POLL if timeout is None else timeout - (time.monotonic() - last)
            if wait <= 0:
                return None
            if self._fill(min(wait, POLL)) and idle:
                last = time.monotonic()
        if on_data is not None and found > seen:
            on_data(bytes(self._buf[seen:found]))
        out = bytes(self._buf[:found])
        del self._buf[: found + len(marker)]
        return out

    def _read_exact(self, n: int, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        while len(self._buf) < n and (left := deadline - time.monotonic()) > 0:
            self._fill(left)
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out

    # -- entering and leaving ------------------------------------------------------------------
    def enter(self, soft_reset: bool = False, timeout: float = ENTER_TIMEOUT) -> None:
        """Interrupt whatever runs and switch to the raw REPL; soft-reboot only if asked."""
        deadline = time.monotonic() + timeout
        heard = bytearray()
        attempts = 0
        while True:
            attempts += 1
            # \r ends a half-typed friendly line; two Ctrl-C: one may be eaten by a program
            # that was in the middle of printing; Ctrl-A: raw REPL (from any REPL state)
            self.transport.write(b"\r" + CTRL_C + CTRL_C)
            self.transport.write(CTRL_A)
            attempt = min(ENTER_ATTEMPT, max(0.0, deadline - time.monotonic()))
            before = len(self._buf)
            found = self._read_until(RAW_HEADER, attempt)
            if found is not None:
                # a slow board may still send the header of an earlier attempt's Ctrl-A
                if attempts > 1:
                    self._drain(0.2)
                break
            heard += self._buf[before:]
            self._buf.clear()
            if time.monotonic() >= deadline:
                raise self._no_repl(bytes(heard), timeout)
        self.active = True
        if soft_reset:
            self.soft_reset()

    def _no_repl(self, heard: bytes, timeout: float) -> DeviceError:
        name = getattr(self.transport, "name", "the port")
        if not heard.strip(b"\x00"):
            return DeviceError(f"{name}: no answer within {timeout:g} s; is it a micro:bit "
                               "running MicroPython? (flash it with `ubit flash`)")
        return DeviceError(f"{name}: answers, but not like MicroPython's REPL "
                           f"(got {heard[-60:]!r}); is MicroPython flashed on it?")

    def _drain(self, quiet: float) -> None:
        """Drop what the board sends until it has been quiet for ``quiet`` s."""
        self._buf.clear()
        while self.transport.read(quiet):
            pass

    def soft_reset(self) -> None:
        """Soft-reboot into the raw REPL: fresh globals; main.py does not run."""
        self.transport.write(CTRL_D)
        if self._read_until(SOFT_REBOOT, ENTER_TIMEOUT) is None or \
                self._read_until(RAW_HEADER, ENTER_TIMEOUT) is None:
            raise _timeout_error("soft reboot", bytes(self._buf))

    def leave(self, quiet: bool = False) -> None:
        """Back to the friendly REPL (Ctrl-B), so a terminal finds the usual prompt.

        ``quiet``: also read the banner the board prints then, up to its prompt, so that
        whoever reads the port next (a terminal after a file copy) doesn't see it.
        """
        if self.active:
            self.active = False
            self.transport.write(CTRL_B)
            if quiet:
                self._read_until(FRIENDLY_PROMPT, ANSWER_TIMEOUT)

    def close(self) -> None:
        """Leave the raw REPL if possible, then close the transport."""
        try:
            self.leave()
        except DeviceError:
            pass
        self.transport.close()

    # -- running code --------------------------------------------------------------------------
    def exec_raw(self, code: str | bytes, on_output: Callable[[bytes], None] | None = None,
                 timeout: float | None = None) -> tuple[bytes, bytes]:
        """Run ``code``; (output, traceback bytes). ``timeout``: max s of board silence."""
        self.start(code)
        return self.finish(on_output, timeout)

    def start(self, code: str | bytes) -> None:
        """Send ``code`` to run; back once the board has taken it (``InputLostError`` if not)."""
        source = code.encode() if isinstance(code, str) else code
        try:
            if self.raw_paste is not False:
                self._send_raw_paste(source)
            else:
                self._send_plain(source)
        except KeyboardInterrupt:
            self.recover()
            raise

    def finish(self, on_output: Callable[[bytes], None] | None = None,
               timeout: float | None = None) -> tuple[bytes, bytes]:
        """(output, traceback bytes) of the code started; ``timeout``: max s of board silence."""
        try:
            out = self._read_until(END, timeout, on_output, idle=True)
            if out is None:
                raise _timeout_error("end of output", bytes(self._buf))
            err = self._read_until(END, ANSWER_TIMEOUT if timeout is None else timeout,
                                   idle=True)
            if err is None or self._read_until(PROMPT, ANSWER_TIMEOUT) is None:
                raise _timeout_error("end of the traceback", bytes(self._buf))
        except KeyboardInterrupt:
            self.recover()
            raise
        return out, err

    def send_next(self, code: str | bytes) -> int:
        """Plain raw REPL: send ``code`` at once, to run after the code started (not finished).

        It waits in the board's input buffer, so it must fit there (``INPUT_BUFFER`` bytes
        with its Ctrl-D) and the board must have taken all that was sent before (``start``
        or ``taken`` returned). After ``finish``, ``taken(size)`` waits until the board takes
        it (its OK) and it runs as if started. Returns ``size``: the bytes sent.
        """
        data = (code.encode() if isinstance(code, str) else code) + CTRL_D
        if self.raw_paste is not False or len(data) > INPUT_BUFFER:
            raise ValueError("send_next: plain raw REPL only, and source that fits its buffer")
        self.transport.write(data)
        return len(data)

    def taken(self, size: int) -> None:
        """Wait until the board takes what ``send_next`` sent (``InputLostError`` if it doesn't)."""
        try:
            self._await_ok(size)
        except KeyboardInterrupt:
            self.recover()
            raise

    def exec(self, code: str | bytes, on_output: Callable[[bytes], None] | None = None,
             timeout: float | None = None) -> bytes:
        """Run ``code`` and return its output; ``RemoteError`` if it raised on the board."""
        out, err = self.exec_raw(code, on_output, timeout)
        if err:
            raise RemoteError(err.decode("utf-8", "replace"))
        return out

    def recover(self) -> None:
        """Back to an empty raw REPL prompt from anywhere in an exec (after a Ctrl-C here).

        Ctrl-C clears half-sent source or interrupts running code; Ctrl-A then reprints
        the header, which marks where the board's answers end.
        """
        try:
            self.transport.write(CTRL_C)
            time.sleep(0.05)  # let a running program unwind before the Ctrl-A
            self.transport.write(CTRL_A)
            self._read_until(RAW_HEADER, ANSWER_TIMEOUT)
            self._buf.clear()
        except DeviceError:
            pass

    def _send_plain(self, source: bytes) -> None:
        """Plain raw REPL: source (paced unless it fits the board's buffer), Ctrl-D, ``OK``."""
        data = source + CTRL_D
        start = time.monotonic()
        step = len(data) if len(data) <= INPUT_BUFFER else PIECE
        for i in range(0, len(data), step):
            # on a schedule rather than a fixed sleep, so the overhead of each write and the
            # sleep's own lateness don't slow the whole transfer down
            ahead = start + i / RATE - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
            self.transport.write(data[i : i + step])
        self._await_ok(len(data))

    def _await_ok(self, size: int) -> None:
        """The ``OK`` for ``size`` bytes of source sent, or resync and ``InputLostError``."""
        # OK comes as soon as the Ctrl-D arrives; a real board may still be receiving
        got = self._read_exact(len(EXEC_OK), OK_TIMEOUT + size / WIRE_RATE)
        if got != EXEC_OK:
            self._resync(got)

    def _resync(self, got: bytes) -> None:
        """The source (or its Ctrl-D) was lost: clear the board's buffer, restart the REPL."""
        self._buf.clear()
        self.transport.write(CTRL_C + CTRL_A)  # clear what it has, reprint the header
        if self._read_until(RAW_HEADER, ANSWER_TIMEOUT) is None:
            raise _timeout_error("answer", got + bytes(self._buf))
        raise InputLostError(f"the board did not take the code sent (got {got!r})")

    def _send_raw_paste(self, source: bytes) -> None:
        """Raw-paste where the board has it; learn that it hasn't and use plain raw REPL."""
        self.transport.write(RAW_PASTE_REQUEST)
        answer = self._read_exact(2, ANSWER_TIMEOUT)
        if answer == RAW_PASTE_YES:
            self.raw_paste = True
            window = struct.unpack("<H", self._read_exact(2, ANSWER_TIMEOUT))[0]
            self._paste(source, window)
            return
        if answer == RAW_PASTE_NO:  # a MicroPython that knows the request but declines it
            pass
        else:  # V1: the start of the raw REPL header again
            self._buf[:0] = answer
            if self._read_until(RAW_HEADER, ANSWER_TIMEOUT) is None:
                raise _timeout_error("raw REPL header", bytes(self._buf))
        self.raw_paste = False
        self._send_plain(source)

    def _paste(self, source: bytes, window: int) -> None:
        """Stream ``source`` within the board's flow-control window, then end it."""
        room = window  # the board also sends a first RAW_PASTE_MORE right away
        sent = 0
        while sent < len(source):
            while room == 0 or self._buf:
                if not self._buf and not self._fill(ANSWER_TIMEOUT):
                    raise _timeout_error("flow-control window", b"")
                byte = bytes(self._buf[:1])
                del self._buf[:1]
                if byte == RAW_PASTE_MORE:
                    room += window
                elif byte == END:  # the board gave up early (a syntax error): finish
                    self.transport.write(CTRL_D)
                    return
            piece = source[sent : sent + room]
            self.transport.write(piece)
            sent += len(piece)
            room -= len(piece)
            self._fill(0)
        self.transport.write(CTRL_D)
        # the board acknowledges the end of source with \x04 (more windows may come first)
        if self._read_until(END, ANSWER_TIMEOUT) is None:
            raise _timeout_error("end-of-source acknowledgement", bytes(self._buf))
