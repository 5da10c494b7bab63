"""The host side of a virtual board: start it in its own process, feed it, watch it.

A board runs user code in a child process, so a hang or a crash there never
takes the host down: ``interrupt()`` raises KeyboardInterrupt in the program,
``kill()`` ends a stuck board. Its serial port is a plain byte stream
(``read_serial``/``write_serial``); what its parts do arrives as state messages.
"""

from __future__ import annotations

import binascii
import os
import signal
import socket
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ubit.sim.shared import protocol as events

BOARD_ENTRY = "from ubit.sim.micropython.firmware import entry; entry()"
SERIAL_BUFFER = 1 << 20  # bytes of serial output kept for readers; older output is dropped
CRASH_REPORT_CHARS = 1500  # the end of what a dying board process said is enough


class BoardCrashed(RuntimeError):
    """The board's process ended without reporting how its program ended."""


class VirtualBoard:
    """A virtual micro:bit running in a child process."""

    def __init__(
        self,
        files: Mapping[str, bytes],
        board: str = "v2",
        virtual: bool = True,
        time_limit_ms: float | None = None,
        inputs: Iterable[tuple[float, str, Any]] = (),
        seed: int | None = None,
        repl: bool = False,
        on_state: Callable[[str, Any, int], None] | None = None,
    ) -> None:
        self.config = {
            "board": board,
            "virtual": virtual,
            "limit_ms": time_limit_ms,
            "files": {name: binascii.b2a_base64(data, newline=False).decode()
                      for name, data in files.items()},
            "inputs": [list(item) for item in inputs],
            "seed": seed,
            "repl": repl,  # after main.py, the REPL on the serial port (as on the device)
        }
        self.on_state = on_state
        # radio traffic, shared-time requests and the exit go here (``ubit.sim.radio``)
        self.on_air: Callable[[events.Message], None] | None = None
        self.state: dict[str, Any] = {}  # the last value of each part
        self.exit: events.Message | None = None
        self._serial_out = bytearray()
        self._serial_cond = threading.Condition()
        self._serial_closed = False
        self._done = threading.Event()
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: deque[bytes] = deque(maxlen=50)

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> VirtualBoard:
        """Start the board's process and run its program."""
        self._serial, serial_child = socket.socketpair()
        self._control, control_child = socket.socketpair()
        fds = (serial_child.fileno(), control_child.fileno())
        self._proc = subprocess.Popen(
            # -S: the board needs only the standard library and ubit (on PYTHONPATH);
            # skipping site-packages saves a tenth of its start-up. -c rather than -m,
            # which imports runpy; -P keeps the working folder (the user's files) off
            # sys.path.
            [sys.executable, "-S", "-P", "-c", BOARD_ENTRY, *map(str, fds)],
            pass_fds=fds, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("UBIT_SIM_DEBUG") else subprocess.PIPE,
            env=_child_env(),
        )
        serial_child.close()
        control_child.close()
        self._control.sendall(events.encode({"kind": events.START, "config": self.config}))
        for target, name in ((self._pump_serial, "serial"), (self._pump_control, "control"),
                             (self._pump_stderr, "stderr")):
            threading.Thread(target=target, name=f"board-{name}", daemon=True).start()
        return self

    def _pump_serial(self) -> None:
        while True:
            try:
                data = self._serial.recv(65536)
            except OSError:
                data = b""
            with self._serial_cond:
                if not data:
                    self._serial_closed = True
                    self._serial_cond.notify_all()
                    return
                self._serial_out += data
                if len(self._serial_out) > SERIAL_BUFFER:
                    del self._serial_out[: len(self._serial_out) - SERIAL_BUFFER]
                self._serial_cond.notify_all()

    def _pump_control(self) -> None:
        reader = self._control.makefile("rb")
        for line in reader:
            message = events.decode(line)
            if message["kind"] == events.STATE:
                if message["part"] == "reset":
                    self.state.clear()
                self.state[message["part"]] = message["value"]
                if self.on_state:
                    self.on_state(message["part"], message["value"], message["t"])
            elif message["kind"] == events.EXIT:
                self.exit = message
                if self.on_air:
                    self.on_air(message)
            elif self.on_air and message["kind"] in (events.RADIO, events.SYNC):
                self.on_air(message)
        self._finish()
        if self.on_air and self.exit is None:  # it crashed: it takes part no more
            self.on_air({"kind": events.EXIT, "status": "crash", "out": []})

    def _pump_stderr(self) -> None:
        assert self._proc is not None
        if self._proc.stderr is None:
            return
        for line in self._proc.stderr:
            self._stderr.append(line)

    def _finish(self) -> None:
        if self._proc is not None:
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._done.set()

    def wait(self, timeout: float | None = None) -> events.Message:
        """Wait for the program to end; its exit message (status ok/error/timeout)."""
        if not self._done.wait(timeout):
            raise TimeoutError("the board is still running")
        with self._serial_cond:  # let the serial pump take the last bytes
            self._serial_cond.wait_for(lambda: self._serial_closed, 2)
        if self.exit is None:
            raise BoardCrashed(self.crash_report())
        return self.exit

    def crash_report(self) -> str:
        """What the board's process said before it died."""
        text = b"".join(self._stderr).decode(errors="replace").strip()
        if len(text) > CRASH_REPORT_CHARS:  # a stack overflow dumps thousands of frames
            text = "…" + text[-CRASH_REPORT_CHARS:]
        code = self._proc.returncode if self._proc else None
        return f"the board's process ended (exit code {code})" + (f": {text}" if text else "")

    @property
    def running(self) -> bool:
        """Whether the board's process is alive."""
        return self._proc is not None and self._proc.poll() is None

    def interrupt(self) -> None:
        """Ctrl-C: KeyboardInterrupt in the running program."""
        self.write_serial(b"\x03")

    def reset(self) -> None:
        """Press the reset button: main.py starts again; the files in flash stay."""
        self.send_control({"kind": events.RESET})

    def kill(self) -> None:
        """End the board's process at once (a stuck board)."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGKILL)

    def close(self) -> None:
        """Kill the board if it still runs, and release its sockets."""
        self.kill()
        if self._proc is not None:
            self._proc.wait()
        for sock in (getattr(self, "_serial", None), getattr(self, "_control", None)):
            if sock is not None:
                sock.close()

    def __enter__(self) -> VirtualBoard:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- feeding and watching --------------------------------------------------------------
    def write_serial(self, data: bytes) -> None:
        """Send bytes to the board's serial port."""
        try:
            self._serial.sendall(data)
        except OSError:
            pass

    def read_serial(self, timeout: float | None = 0) -> bytes:
        """Serial output so far (consumed), waiting up to ``timeout`` for some."""
        with self._serial_cond:
            if not self._serial_out and not self._serial_closed and timeout != 0:
                self._serial_cond.wait_for(lambda: self._serial_out or self._serial_closed,
                                           timeout)
            data = bytes(self._serial_out)
            self._serial_out.clear()
            return data

    def set(self, part: str, value: Any) -> None:
        """Change an input or sensor (e.g. ``set("button_a", True)``)."""
        self.send_control({"kind": events.SET, "part": part, "value": value})

    def gesture(self, name: str) -> None:
        """Perform a gesture now (e.g. "shake")."""
        self.send_control({"kind": events.GESTURE, "name": name})

    def send_control(self, message: events.Message) -> None:
        """Send a control message (inputs, reset, radio packets, shared-time grants)."""
        try:
            self._control.sendall(events.encode(message))
        except OSError:
            pass


def _child_env() -> dict[str, str]:
    """The board process's environment: ubit importable, no stray Python settings."""
    env = dict(os.environ)
    import ubit

    root = os.path.dirname(os.path.dirname(os.path.abspath(ubit.__file__)))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    env.pop("PYTHONSTARTUP", None)
    return env
