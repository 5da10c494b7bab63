"""The firmware's main: entry point of a board process.

The host starts it as ``python -S -P -c "…firmware import entry; entry()" SERIAL_FD
CONTROL_FD`` (``-c`` rather than ``-m``, which spends ~10 ms importing runpy).

The host passes two connected sockets: the serial byte stream and the control
channel (JSON lines, see ``ubit.sim.shared.protocol``). The first control message is the
start configuration.
"""

from __future__ import annotations

import binascii
import os
import socket
import sys
import threading
from collections import deque
from typing import Any

from ubit.sim.board.board import Board, install
from ubit.sim.board.clock import Clock
from ubit.sim.board.interrupts import raise_in_main_thread
from ubit.sim.board.radiolink import RadioLink
from ubit.sim.board.serialport import SerialPort
from ubit.sim.micropython import boot
from ubit.sim.micropython.api.core import ResetRequested
from ubit.sim.shared import protocol as events
from ubit.sim.shared.boards import board_spec

# The board's own address space: a program that asks for gigabytes gets MemoryError
# inside the board instead of swapping the host.
MEMORY_LIMIT = 1 << 30
SWITCH_INTERVAL_S = 0.0005


class Control:
    """The control channel, board side: start config in, state and exit out."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.file = sock.makefile("rb")
        self.lock = threading.Lock()
        self.pending: deque[events.Message] = deque()
        self.grants: deque[events.Message] = deque()  # shared time: answers to ``sync``
        self.granted = threading.Condition()
        self.output: list[tuple[int, str]] = []  # shared time: serial output with its instant

    def take_output(self) -> list[tuple[int, str]]:
        """The stamped serial output since the last call."""
        taken, self.output = self.output, []
        return taken

    def send(self, message: events.Message) -> None:
        """Send one message to the host."""
        with self.lock:
            try:
                self.sock.sendall(events.encode(message))
            except OSError:
                pass

    def receive(self) -> events.Message | None:
        """The next message from the host, or None when it has gone."""
        line = self.file.readline()
        return events.decode(line) if line else None


def limit_memory() -> None:
    """Cap the process's address space so huge allocations fail inside the board."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):
        pass


def peak_rss_kb() -> int | None:
    """The board process's peak resident memory, for the host to report."""
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    except ImportError:
        return None


def listen(control: Control, board: Board) -> None:
    """Apply host input as it arrives (virtual time: at the board's next step)."""
    while True:
        message = control.receive()
        if message is None:
            return
        kind = message["kind"]
        if kind == events.RESET:
            raise_in_main_thread(ResetRequested)
        elif kind == events.RADIO:
            board.radio_link.arrive(message["packet"])
        elif kind == events.GRANT:
            with control.granted:
                control.grants.append(message)
                control.granted.notify()
        elif message["kind"] in (events.SET, events.GESTURE):
            if board.clock.virtual:
                control.pending.append(message)
            else:
                apply(board, message)


def apply(board: Board, message: events.Message) -> None:
    """One host input applied to the device."""
    if message["kind"] == events.GESTURE:
        board.set_input("gesture", message["name"])
    else:
        board.set_input(message["part"], message["value"])


def build_board(config: dict[str, Any], serial: SerialPort, control: Control) -> Board:
    """The device described by the start configuration."""
    clock = Clock(virtual=config.get("virtual", True), limit_ms=config.get("limit_ms"))
    files = {name: binascii.a2b_base64(data) for name, data in config.get("files", {}).items()}

    def publish(part: str, value: Any) -> None:
        control.send({"kind": events.STATE, "part": part, "value": value,
                      "t": clock.now_ms()})

    board = install(Board(board_spec(config.get("board", "v2")), clock, serial, files,
                            publish, seed=config.get("seed")))
    for at_ms, part, value in config.get("inputs", []):
        clock.call_at(int(at_ms * 1000),
                      lambda p=part, v=value: board.set_input(p, v))

    def drain() -> None:
        while control.pending:
            apply(board, control.pending.popleft())

    clock.on_advance.append(drain)
    board.radio_link = RadioLink(
        clock, lambda packet: control.send({"kind": events.RADIO, "packet": packet}))
    if config.get("shared_time"):
        # the host prints the boards' output in board-time order: stamp it
        serial.tap = lambda data: control.output.append((clock.now_us(), data.decode("latin-1")))
        clock.gate = lambda now, want: shared_time(control, board.radio_link, now, want)
    return board


def shared_time(control: Control, link: RadioLink, now: int, want: int) -> int:
    """Ask the host how far virtual time may go (boards sharing time); the new horizon.

    The packets the other boards sent meanwhile come with the answer, each to arrive
    at its own instant, so every board sees the same radio traffic at the same times.
    """
    control.send({"kind": events.SYNC, "now": now, "want": want, "out": control.take_output()})
    with control.granted:
        while not control.grants:
            control.granted.wait(0.1)  # short waits: Ctrl-C gets through
        grant = control.grants.popleft()
    for packet in grant["packets"]:
        link.arrive(packet)
    return int(grant["horizon"])


def main(argv: list[str]) -> int:
    """Run one board until its program ends."""
    serial_sock = socket.socket(fileno=int(argv[1]))
    control = Control(socket.socket(fileno=int(argv[2])))
    config = control.receive()
    if config is None or config.get("kind") != events.START:
        return 2
    limit_memory()
    # Threads that wait for input (the control channel: radio packets, buttons) get the
    # interpreter within 0.5 ms of a busy program instead of CPython's default 5 ms,
    # so a packet reaches a polling program about as soon as it arrives.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    board = build_board(config["config"], SerialPort(serial_sock), control)
    threading.Thread(target=listen, args=(control, board), name="control",
                     daemon=True).start()
    control.send({"kind": events.READY, "board": board.spec.name})
    board.clock.start_ticker()
    watchdog = boot.Watchdog(board).start()
    if config["config"].get("repl"):
        from ubit.sim.micropython.session import run_session

        outcome = run_session(board)
    else:
        outcome = boot.run_main(board)
        if outcome.status == "ok":
            boot.finish_output(board)
    watchdog.stop()
    board.clock.stop()
    control.send({"kind": events.EXIT, "status": outcome.status, "error": outcome.error,
                  "t": board.clock.now_ms(), "peak_rss_kb": peak_rss_kb(),
                  "out": control.take_output()})
    try:
        serial_sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    return 0


def entry() -> None:
    """Run the board of this process and leave at once."""
    code = main(sys.argv)
    sys.stdout.flush()
    os._exit(code)  # don't wait for the reader threads blocked on the host's sockets


if __name__ == "__main__":
    entry()
