"""The host's handle on a virtual board: start it in its own process, feed it, watch it.

A board runs user code in a child process, so a hang or a crash there never takes
the host down: ``interrupt()`` raises KeyboardInterrupt in the program, ``stop()``
ends it, ``kill()`` ends a stuck board. Everything between the two speaks the board
protocol (``ubit.sim.shared.protocol``): the handle keeps the board's description
(``description``, from ``ready``) and the state of its parts (``state``), and passes
every UI message to the listeners (``listen``). While nobody listens, a ``state`` line
is kept as it came and decoded only when ``state`` is read: a program that redraws the
display all the time costs its host no JSON decoding that nobody looks at. Its serial
port is a plain byte stream (``read_serial``/``write_serial``), over a socket of its
own or, with ``serial="messages"``, inside the control channel.

Boards are started by ``ubit.sim.host.start.start_board``, the one way for every
front end.
"""

from __future__ import annotations

import os
import socket
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping

from ubit.sim.host.spawner import board_argv, child_env, empty_folder, spawn
from ubit.sim.shared import protocol
from ubit.sim.shared.protocol import Message
from ubit.sim.shared.typenames import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import subprocess

    from ubit.sim.host.forkserver import ForkedProcess
    from ubit.sim.host.spawner import EarlyProcess

SERIAL_BUFFER = 1 << 20  # bytes of serial output kept for readers; older output is dropped
CRASH_REPORT_CHARS = 1500  # the end of what a dying board process said is enough
STOP_GRACE_S = 1.0  # a stopped board that doesn't end by then is killed
MAX_ERRORS = 100  # the board's last ``error`` messages kept
# How every ``state`` line from a board begins (``protocol.encode`` of the board's message,
# whose keys come in this order), the part's id following: enough to keep the line
# without decoding it. A line that begins otherwise is decoded as it comes.
STATE_LINE = b'{"kind":"state","part":"'

Listener = Callable[[Message], None]


class BoardCrashed(RuntimeError):
    """The board's process ended without reporting how its program ended."""


class VirtualBoard:
    """A virtual micro:bit running in a child process."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = dict(config)  # the protocol's start configuration
        self.listeners: list[Listener] = []
        # radio traffic, shared-time requests and the exit go here (``radiospace``)
        self.on_air: Callable[[Message], None] | None = None
        # who reads the control channel instead of a thread of the board's own (a radio
        # space in shared time: one thread for all its boards): called with the board and
        # its channel at start, it passes each line to ``take_line``, then ``channel_ended``
        self.control_reader: Callable[[VirtualBoard, socket.socket], None] | None = None
        self.description: Message | None = None  # the board's ``ready``
        self._state: dict[str, Any] = {}  # the last value of each part's state decoded
        # part → its last state line not decoded yet (only while nobody listens)
        self._unread: dict[bytes, bytes] = {}
        self._state_lock = threading.Lock()  # a reader folding ``_unread`` in, or a reset
        self.errors: deque[Message] = deque(maxlen=MAX_ERRORS)  # what the board refused
        self.exit: Message | None = None
        self.closers: list[Callable[[], None]] = []  # run at close (a radio space's ether)
        self._serial_out = bytearray()
        self._serial_cond = threading.Condition()
        self._serial_closed = False
        self._ready = threading.Event()
        self._done = threading.Event()
        self._proc: subprocess.Popen[bytes] | ForkedProcess | EarlyProcess | None = None
        self._started = False
        self._stderr: deque[bytes] = deque(maxlen=50)
        self._deadline_hit = False  # the board said its hard deadline ended it

    @property
    def board(self) -> str:
        """Which micro:bit it is ("v1" or "v2")."""
        return str(self.config["board"])

    @property
    def state(self) -> dict[str, Any]:
        """The last value of each part's state (the lines kept undecoded decoded now)."""
        if self._unread:
            with self._state_lock:
                while self._unread:
                    # the pump may keep a newer line for the same part meanwhile: the
                    # loop takes it next, so the newest value is the one left
                    _, line = self._unread.popitem()
                    try:
                        message = protocol.decode(line)
                    except protocol.ProtocolError:
                        continue  # as the pump would have skipped it
                    self._state[message["part"]] = message["value"]
        return self._state

    def listen(self, listener: Listener) -> None:
        """Call ``listener`` with every UI message from the board (state, audio, error...),
        from now on; ``state`` holds what came before."""
        self.listeners.append(listener)

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> VirtualBoard:
        """Start the board's process (unless ``spawn`` did) and run its program."""
        if self._started:
            raise RuntimeError("the board has already been started")
        self._started = True
        if self._proc is None:
            self.spawn()
        self.send_control({"kind": protocol.START, "config": self.config})
        pumps = [(self._pump_stderr, "stderr")]
        if self.control_reader is None:
            pumps.append((self._pump_control, "control"))
        else:
            self.control_reader(self, self._control)
        if self.config.get("serial") != "messages":  # else its serial socket stays silent
            pumps.append((self._pump_serial, "serial"))
        for target, name in pumps:
            threading.Thread(target=target, name=f"board-{name}", daemon=True).start()
        return self

    def spawn(self) -> VirtualBoard:
        """Start the board's process only: it makes itself ready and waits for ``start``.

        A process spawned ahead (``Spares``) saves a board most of its start-up when it
        is wanted. Forked from this process's fork server when there is one
        (``ubit.sim.host.forkserver``: a fork instead of a Python start and every import).
        """
        return spawn_together([self])[0]

    def _sockets(self) -> tuple[socket.socket, socket.socket]:
        """Make the board's two sockets; the process's ends (closed once it has them)."""
        self._serial, serial_child = socket.socketpair()
        self._control, control_child = socket.socketpair()
        return serial_child, control_child

    def _spawn_process(self, fds: tuple[int, int]) -> None:
        """A new Python process for the board, on its ends ``fds`` of the sockets."""
        import subprocess  # not before: a board spawned ahead never needs it

        self._proc = spawn(
            board_argv(*fds), pass_fds=fds, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("UBIT_SIM_DEBUG") else subprocess.PIPE,
            env=child_env(), cwd=empty_folder(),
        )

    def adopt(self, proc: EarlyProcess, serial_fd: int, control_fd: int) -> VirtualBoard:
        """Take a board process spawned ahead (``spawner.spawn_ahead``) as this board's:
        as ``spawn`` would have made it, on the host's ends of its two sockets."""
        self._serial = socket.socket(fileno=serial_fd)
        self._control = socket.socket(fileno=control_fd)
        self._proc = proc
        return self

    def _pump_serial(self) -> None:
        while True:
            try:
                data = self._serial.recv(65536)
            except OSError:
                data = b""
            if self.config.get("serial") == "messages" and data:
                continue  # the board doesn't use its serial socket then
            self._serial_arrived(data)
            if not data:
                return

    def _serial_arrived(self, data: bytes) -> None:
        with self._serial_cond:
            if not data:
                self._serial_closed = True
            else:
                self._serial_out += data
                if len(self._serial_out) > SERIAL_BUFFER:
                    del self._serial_out[: len(self._serial_out) - SERIAL_BUFFER]
            self._serial_cond.notify_all()

    def _pump_control(self) -> None:
        reader = self._control.makefile("rb")
        try:
            for line in reader:
                self.take_line(line)
        except OSError:
            pass  # the board's process went away mid-line
        self.channel_ended()

    def take_line(self, line: bytes) -> None:
        """One line from the board's control channel."""
        if not self.listeners and line.startswith(STATE_LINE) and \
                line.endswith(b"\n"):  # a whole line (not one cut by a dying board)
            start = len(STATE_LINE)
            end = line.find(b'"', start)
            if end > 0 and b"\\" not in line[start:end]:
                self._unread[line[start:end]] = line  # decoded if ``state`` is read
                return
        try:
            message = protocol.decode(line)
        except protocol.ProtocolError:
            return  # not from our board process: nothing to act on
        self._take(message)

    def channel_ended(self) -> None:
        """The board's control channel has closed: its process has ended."""
        self._finish()
        if self.on_air and self.exit is None:  # it crashed: it takes part no more
            self.on_air({"kind": protocol.EXIT, "status": "crash", "out": []})

    def _take(self, message: Message) -> None:
        """One message from the board: keep what it says, pass it on."""
        kind = message["kind"]
        if kind in protocol.LINK:
            if self.on_air:
                self.on_air(message)
            return
        if kind == protocol.READY:
            self.description = message
            self._replace_state(message["state"])
            self._ready.set()
        elif kind == protocol.RESET:
            self._replace_state(message["state"])
        elif kind == protocol.STATE:
            with self._state_lock:  # not to be undone by a reader folding an older line in
                self._unread.pop(message["part"].encode(), None)  # older than this one
                self._state[message["part"]] = message["value"]
        elif kind == protocol.SERIAL_OUT:
            self._serial_arrived(protocol.unb64(message["data"]))
        elif kind == protocol.ERROR:
            self.errors.append(message)
        elif kind == protocol.EXIT:
            self.exit = message
            self._ready.set()  # no ready will come after it
            if self.on_air:
                self.on_air(message)
        for listener in self.listeners:
            listener(message)

    def _replace_state(self, state: dict[str, Any]) -> None:
        """The board's whole state, which every line kept undecoded came before."""
        with self._state_lock:
            self._unread.clear()
            self._state = dict(state)

    def _pump_stderr(self) -> None:
        assert self._proc is not None
        if self._proc.stderr is None:
            return
        for line in self._proc.stderr:
            if line.startswith(protocol.DEADLINE_MARK.encode()):
                self._deadline_hit = True
            self._stderr.append(line)

    def _finish(self) -> None:
        if self._proc is not None:
            try:
                self._proc.wait(timeout=5)
            except _timeout_expired():  # looked up only if something is raised
                self._proc.kill()
                self._proc.wait()
        if self.config.get("serial") == "messages":
            self._serial_arrived(b"")
        self._ready.set()
        self._done.set()

    def wait_ready(self, timeout: float | None = None) -> Message:
        """Wait for the board's ``ready``: its description (parts, inputs, state)."""
        if not self._ready.wait(timeout):
            raise TimeoutError("the board is not ready yet")
        if self.description is None:
            if self.exit is not None:
                raise BoardCrashed(f"the board refused to start: {self.exit.get('error')}")
            raise BoardCrashed(self.crash_report())
        return self.description

    def wait(self, timeout: float | None = None) -> Message:
        """Wait for the program to end; its exit message (``status``: see protocol.STATUSES)."""
        if not self._done.wait(timeout):
            raise TimeoutError("the board is still running")
        with self._serial_cond:  # let the serial pump take the last bytes
            self._serial_cond.wait_for(lambda: self._serial_closed, 2)
        if self.exit is None and self._deadline_hit:
            # the program held on past its time limit: the board's deadline ended it
            self.exit = {"kind": protocol.EXIT, "status": "stopped", "error": protocol.TIME_LIMIT,
                         "t": int(self.config.get("limit_ms") or 0)}
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
        self.send_control({"kind": protocol.INTERRUPT})

    def reset(self) -> None:
        """Press the reset button: main.py starts again; the files in flash stay."""
        self.send_control({"kind": protocol.RESET})

    def stop(self, grace_s: float = STOP_GRACE_S) -> None:
        """End the program now (exit status ``stopped``); kill the board if it won't."""
        self.send_control({"kind": protocol.STOP})
        if not self._done.wait(grace_s):
            self.kill()

    def kill(self) -> None:
        """End the board's process at once (a stuck board)."""
        if self._proc is not None and self._proc.poll() is None:
            import signal

            self._proc.send_signal(signal.SIGKILL)

    def close(self) -> None:
        """Kill the board if it still runs, and release what it holds."""
        self.kill()
        if self._proc is not None:
            self._proc.wait()
        for sock in (getattr(self, "_serial", None), getattr(self, "_control", None)):
            if sock is not None:
                sock.close()
        while self.closers:
            self.closers.pop()()

    def __enter__(self) -> VirtualBoard:
        return self if self._started else self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- feeding and watching --------------------------------------------------------------
    def write_serial(self, data: bytes) -> None:
        """Send bytes to the board's serial port."""
        if self.config.get("serial") == "messages":
            self.send_control({"kind": protocol.SERIAL_IN, "data": protocol.b64(data)})
            return
        try:
            self._serial.sendall(data)
        except OSError:
            pass

    @property
    def serial_ended(self) -> bool:
        """Whether the board's serial output has ended (its process is ending): from then
        on ``read_serial`` returns at once, so wait for the end with ``wait``."""
        return self._serial_closed

    def read_serial(self, timeout: float | None = 0) -> bytes:
        """Serial output so far (consumed), waiting up to ``timeout`` for some."""
        with self._serial_cond:
            if not self._serial_out and not self._serial_closed and timeout != 0:
                self._serial_cond.wait_for(lambda: self._serial_out or self._serial_closed,
                                           timeout)
            data = bytes(self._serial_out)
            self._serial_out.clear()
            return data

    def set(self, input_id: str, value: Any) -> None:
        """Set an input (``set("button_a", True)``); the board refuses bad ones (``errors``)."""
        message = {"kind": protocol.SET, "input": input_id, "value": value}
        try:
            protocol.encode(message)
        except (TypeError, ValueError):  # not JSON: it can't even be sent
            self._take({"kind": protocol.ERROR, "input": str(input_id),
                        "message": f"{input_id}: {value!r:.60} can't be sent to a board"})
            return
        self.send_control(message)

    def gesture(self, name: str) -> None:
        """Perform a gesture now (e.g. "shake")."""
        self.set("gesture", name)

    def send_control(self, message: Message | bytes) -> None:
        """Send a message to the board (the UI vocabulary, or the radio space's link;
        bytes: a message encoded already)."""
        try:
            self._control.sendall(message if isinstance(message, bytes) else
                                  protocol.encode(message))
        except OSError:
            pass


def _timeout_expired() -> type[Exception]:
    """``subprocess.TimeoutExpired``, imported only when a wait may have raised it (every
    ``ubit run`` would pay for subprocess and signal otherwise: issue 17)."""
    import subprocess

    return subprocess.TimeoutExpired


def timed_inputs(inputs: Iterable[Any]) -> list[list[Any]]:
    """Scripted inputs as the start configuration carries them: [ms, input, value]."""
    return [[entry[0], entry[1], entry[2]] for entry in inputs]


def spawn_together(boards: list[VirtualBoard]) -> list[VirtualBoard]:
    """Start the processes of ``boards`` (as ``VirtualBoard.spawn``): those the fork server
    forks asked for together, the rest (or all, without one) spawned."""
    from ubit.sim.host import forkserver

    ends = [board._sockets() for board in boards]  # noqa: SLF001 - this module's own
    try:
        # each board is one more wanted: the server starts at a process's second board
        servers = [forkserver.server() for _ in boards]
        forked = [i for i, server in enumerate(servers) if server is not None]
        if forked:
            _fork_into([boards[i] for i in forked], [ends[i] for i in forked],
                       servers[forked[-1]])
        for board, (serial_end, control_end) in zip(boards, ends, strict=True):
            if board._proc is None:  # noqa: SLF001 - not forked: spawned as ever
                board._spawn_process((serial_end.fileno(), control_end.fileno()))  # noqa: SLF001
    finally:
        for serial_end, control_end in ends:
            serial_end.close()
            control_end.close()
    return boards


def _fork_into(boards: list[VirtualBoard], ends: list[tuple[socket.socket, socket.socket]],
               server: Any) -> None:
    """Fork the processes of ``boards`` on their sockets' ends (those the server fails
    keep no process: the caller spawns them)."""
    try:
        procs = server.fork_all([(serial.fileno(), control.fileno()) for serial, control in ends],
                                stderr=not os.environ.get("UBIT_SIM_DEBUG"))
    except OSError:
        return
    for board, proc in zip(boards, procs, strict=True):
        if not isinstance(proc, OSError):
            board._proc = proc  # noqa: SLF001 - this module's own
