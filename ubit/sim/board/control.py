"""The control channel, board side: the protocol's messages in and out of the board process.

One thread (``listen``) reads what the host sends. Nothing the host sends can stop
it: a line that isn't a message, an unknown kind, an input the board refuses (wrong
type, out of range, unknown id) — each is answered with an ``error`` message that
says what was wrong, and the channel goes on. Accepted inputs are applied at once
in real time; in virtual time they wait for the program's next step, so they land
at a definite board time.
"""

from __future__ import annotations

import threading
import time
from _queue import Empty, SimpleQueue  # queue's own: queue.py's import isn't needed for it
from collections import deque
from collections.abc import Callable

from ubit.sim.board.board import Board
from ubit.sim.board.interrupts import ResetRequested, StopRequested, raise_in_main_thread
from ubit.sim.board.radiolink import RadioLink
from ubit.sim.board.serialport import CTRL_C, write_all
from ubit.sim.shared import protocol
from ubit.sim.shared.protocol import InputError, Message, ProtocolError
from ubit.sim.shared.typenames import Any

MAX_HELD = 64  # packets held for the next message at most (a board sending alone, say)
# Shared time: the control thread leaves the channel to the program's thread while the
# program asks for time often; it takes it back after this long without an answer.
QUIET_S = 0.02


class Control:
    """The control channel: messages to the host, and what the host sent, decoded."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.file = open(fd, "rb", closefd=False)  # noqa: SIM115 - for the board's life
        self.lock = threading.Lock()
        self.pending: deque[Message] = deque()  # virtual time: inputs for the next step
        # shared time: answers to ``sync`` (a C queue: the program's thread wakes sooner
        # than from a Condition, once a round for every board)
        self.grants: SimpleQueue[Message] = SimpleQueue()
        self.output: list[tuple[int, str]] = []  # shared time: serial output with its instant
        # Shared time: the packets the radio sends wait to go with the next ``sync``, in
        # one write (one wake-up of the host): no other board may pass this one's last
        # ``next`` plus the shortest flight before that ``sync`` arrives, so the host needs
        # them no sooner. Any message takes the held ones before it.
        self.sharing = False
        self.held: list[Any] = []
        # Whoever holds ``reader`` reads the channel. In shared time the program's thread
        # reads its own answers when it can (one thread woken a round, not two), and the
        # control thread reads only while the program goes ``QUIET_S`` without one (a
        # long computation, a program that no longer asks): it must still hear a stop.
        self.reader = threading.Lock()
        self.answered = 0.0  # monotonic time of the last answer to ``sync``
        self.listener: Listener | None = None

    def take_output(self) -> list[tuple[int, str]]:
        """The stamped serial output since the last call."""
        taken, self.output = self.output, []
        return taken

    def send(self, message: Message) -> None:
        """Send one message to the host."""
        with self.lock:
            kind = message["kind"]
            if self.sharing and kind == protocol.RADIO and len(self.held) < MAX_HELD:
                self.held.append(message["packet"])
                return
            data = protocol.encode(message)
            if self.held:
                data = b"".join(protocol.encode({"kind": protocol.RADIO, "packet": packet})
                                for packet in self.held) + data
                self.held = []
            try:
                write_all(self.fd, data)
            except OSError:
                pass

    def error(self, text: str, **fields: Any) -> None:
        """Tell the host what it sent was refused, and why."""
        self.send({"kind": protocol.ERROR, "message": text, **fields})

    def receive(self) -> Message | None:
        """The next message from the host (None when it has gone); ``ProtocolError`` if bad."""
        line = self.file.readline()
        return protocol.decode(line) if line else None


class Listener:
    """Applies what the host sends to one board."""

    def __init__(self, control: Control, board: Board) -> None:
        self.control = control
        control.listener = self
        self.board = board
        # reset and stop reach the program only while it runs: before, they wait for it
        self._program = "starting"  # starting | running | ended
        self._deferred: type[BaseException] | None = None
        self._program_lock = threading.Lock()
        self.handlers: dict[str, Callable[[Message], None]] = {
            protocol.SET: self.set_input,
            protocol.SERIAL_IN: lambda m: board.serial.feed(protocol.unb64(m["data"])),
            protocol.INTERRUPT: lambda m: board.serial.feed(bytes([CTRL_C])),
            protocol.RESET: lambda m: self.interrupt_program(ResetRequested),
            protocol.STOP: lambda m: self.interrupt_program(StopRequested),
            protocol.RADIO: lambda m: board.radio_link.arrive(m["packet"]),
            protocol.GRANT: self.grant,
        }

    def interrupt_program(self, exc_type: type[BaseException]) -> None:
        """Raise ``exc_type`` in the program: now, once it runs, or not at all after it."""
        with self._program_lock:
            if self._program == "running":
                raise_in_main_thread(exc_type)
            elif self._program == "starting" and self._deferred is not StopRequested:
                self._deferred = exc_type  # a stop outranks a reset

    def program_started(self) -> None:
        """The program runs from now (a reset or stop that came early lands now)."""
        with self._program_lock:
            self._program = "running"
            if self._deferred is not None:
                raise_in_main_thread(self._deferred)

    def program_ended(self) -> None:
        """The program has ended: nothing is interrupted any more."""
        with self._program_lock:
            self._program = "ended"

    def run(self) -> None:
        """Handle messages until the host goes; a bad one gets an ``error``, never a crash."""
        control = self.control
        while True:
            quiet = time.monotonic() - control.answered
            if control.sharing and quiet < QUIET_S:
                time.sleep(QUIET_S - quiet)  # the program's thread reads its answers
                continue
            with control.reader:
                try:
                    message = control.receive()
                except ProtocolError as exc:
                    control.error(f"not a message: {exc}")
                    continue
                if message is not None and message["kind"] == protocol.GRANT:
                    # queued before the channel is let go: the program's thread, taking
                    # it next, must find the answer it waits for read already
                    self.handle(message)
                    continue
            if message is None:
                return
            self.handle(message)

    def handle(self, message: Message) -> None:
        """One message from the host."""
        problems = protocol.check(message, protocol.HOST)
        handler = self.handlers.get(message["kind"])
        if problems or handler is None:
            self.control.error("; ".join(problems) or f"a board takes no {message['kind']!r}")
            return
        try:
            handler(message)
        except InputError as exc:
            self.control.error(str(exc), input=str(message.get("input")))
        except Exception as exc:  # noqa: BLE001 - the channel must outlive any bad message
            self.control.error(f"{message['kind']}: {type(exc).__name__}: {exc}")

    def set_input(self, message: Message) -> None:
        """An input: checked now; applied now (real time) or at the next step (virtual)."""
        value = self.board.inputs.check(message["input"], message["value"])
        if self.board.clock.virtual:
            self.control.pending.append({**message, "value": value})
        else:
            self.apply(message["input"], value)

    def apply(self, input_id: str, value: Any) -> None:
        """Apply a checked input; what goes wrong in a part is reported, not raised."""
        try:
            self.board.set_input(input_id, value)
        except InputError as exc:
            self.control.error(str(exc), input=input_id)
        except Exception as exc:  # noqa: BLE001 - a part's fault mustn't reach the program
            self.control.error(f"{input_id}: {type(exc).__name__}: {exc}", input=input_id)

    def drain(self) -> None:
        """Virtual time: apply the inputs that arrived since the last step."""
        pending = self.control.pending
        while pending:
            message = pending.popleft()
            self.apply(message["input"], message["value"])

    def grant(self, message: Message) -> None:
        """Shared time: the host's answer to ``sync``."""
        self.control.answered = time.monotonic()
        self.control.grants.put(message)


def shared_time(control: Control, link: RadioLink, now: int, want: int) -> int:
    """Ask the host how far virtual time may go (boards sharing time); the new horizon.

    ``next`` tells the host the earliest instant this board's program can run again
    (and so send a packet). The packets the other boards sent that arrive by the new
    horizon come with the answer, each to arrive at its own instant, so every board
    sees the same radio traffic at the same times.
    """
    control.sharing = True
    control.send({"kind": protocol.SYNC, "now": now, "want": want,
                  "next": max(want, link.clock.program_at), "out": control.take_output()})
    grant = _read_answer(control)
    while grant is None:
        try:
            grant = control.grants.get(timeout=0.1)  # short waits: Ctrl-C gets through
        except Empty:
            continue
    packets = grant["packets"]
    if packets:
        link.arrive_all(packets)
    return int(grant["horizon"])


def _read_answer(control: Control) -> Message | None:
    """Shared time, in the program's thread: read the channel until the answer to ``sync``
    comes, and return it; None if the control thread reads the channel (the answer will be
    in ``control.grants``).

    Anything else the host sent meanwhile (an input, a stop) is handled once the channel
    is let go (a stop raises here); then reading goes on.
    """
    listener = control.listener
    while listener is not None and control.grants.empty():
        if not control.reader.acquire(blocking=False):
            return None
        other = grant = None
        try:
            while control.grants.empty():
                try:
                    message = control.receive()
                except ProtocolError as exc:
                    control.error(f"not a message: {exc}")
                    continue
                if message is None:
                    return None  # the host has gone: the control thread will find it so
                if message["kind"] != protocol.GRANT:
                    other = message
                    break
                if _is_grant(message):  # as ``Listener.grant`` takes it, without the queue
                    control.answered = time.monotonic()
                    grant = message
                    break
                listener.handle(message)  # says what is wrong with it
        finally:
            control.reader.release()
        if grant is not None:
            return grant
        if other is not None:
            listener.handle(other)
    return None


def _is_grant(message: Message) -> bool:
    """Whether ``message`` (of kind ``grant``) is one as ``protocol.check`` takes it: the
    fields of the schema's, of their types (a quicker check, made once a round)."""
    return len(message) == 3 and type(message.get("horizon")) is int and \
        type(message.get("packets")) is list
