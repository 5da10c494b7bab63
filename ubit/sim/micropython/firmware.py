"""The firmware's main: entry point of a board process.

The host starts it as ``python -S -P -E -c "…firmware import entry; entry()" SERIAL_FD
CONTROL_FD`` (``-c`` rather than ``-m``, which spends ~10 ms importing runpy), with two
connected sockets: the serial byte stream and the control channel (the board protocol,
``ubit.sim.shared.protocol``). The first message is ``start`` with the configuration;
the board makes every part, checks the scripted inputs, says ``ready`` with its full
description, runs main.py (and the REPL, if asked) and says ``exit``.
"""

from __future__ import annotations

import gc
import os
import sys
import threading

from ubit.sim.board.board import Board, describe_parts, install
from ubit.sim.board.clock import Clock, TimeUp
from ubit.sim.board.control import Control, Listener, shared_time
from ubit.sim.board.deadline import HardDeadline
from ubit.sim.board.interrupts import ResetRequested, StopRequested
from ubit.sim.board.radiolink import RadioLink
from ubit.sim.board.serialport import SerialPort, fd_port
from ubit.sim.micropython import boot
from ubit.sim.shared import protocol
from ubit.sim.shared.boards import BOARDS, board_spec
from ubit.sim.shared.typenames import Any

SWITCH_INTERVAL_S = 0.0005
# What a byte on the serial port costs in board time: the micro:bit's USB serial is a
# UART at 115200 baud, 10 bits a byte (reference §18), so a print flood takes the time
# it would on a board.
SERIAL_BYTE_US = 1_000_000 * 10 / 115_200


def confine(config: dict[str, Any]) -> dict[str, Any]:
    """Resource limits always; the OS sandbox unless the host turned it off."""
    from ubit.sim.board import sandbox

    limit = config.get("limit_ms")
    cpu = None if limit is None else limit / 1000
    if not config.get("sandbox", True):
        return sandbox.always(cpu)
    return sandbox.confine(readable_folders(), cpu)


_readable: list[str] | None = None


def readable_folders() -> list[str]:
    """The folders a confined board may read, found once per process: a fork server finds
    them before forking (its children map what it mapped), and its boards skip the search."""
    global _readable
    if _readable is None:
        import ubit
        from ubit.sim.board import sandbox
        from ubit.sim.micropython.asm.location import unicorn_folder

        package = os.path.dirname(os.path.abspath(ubit.__file__))
        unicorn = unicorn_folder()  # the inline assembler's CPU emulator, loaded when first used
        _readable = sandbox.readable_folders(package) + ([unicorn] if unicorn else [])
    return list(_readable)


def peak_rss_kb() -> int | None:
    """The board process's peak resident memory, for the host to report."""
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    except ImportError:
        return None


def config_problems(config: Any) -> list[str]:
    """What is wrong with a start configuration (empty: nothing)."""
    if not isinstance(config, dict):
        return ["start.config should be an object"]
    problems = protocol.check_fields(protocol.CONFIG, config, "start.config")
    if problems:
        return problems
    if config["board"] not in BOARDS:
        problems.append(f"start.config: no board {config['board']!r} (v1 or v2)")
    if config["clock"] not in protocol.CLOCKS:
        problems.append(f"start.config: clock {config['clock']!r} is not virtual or real")
    if config.get("serial", "socket") not in protocol.SERIAL_MODES:
        problems.append(f"start.config: serial {config['serial']!r} is not socket or messages")
    return problems


def serial_port(config: dict[str, Any], fd: int, control: Control) -> SerialPort:
    """The board's serial port: over its socket, or as ``serial_in``/``serial_out`` messages."""
    if config.get("serial", "socket") == "socket":
        return fd_port(fd)
    return SerialPort(lambda data: control.send({"kind": protocol.SERIAL_OUT,
                                                 "data": protocol.b64(data)}))


_events: dict[str, frozenset[str]] = {}


def part_events(board: str) -> frozenset[str]:
    """The parts' own message kinds on ``board`` (``audio``); found once per process."""
    if board not in _events:
        _events[board] = frozenset(event for part in describe_parts(board_spec(board))
                                   for event in part.events)
    return _events[board]


def build_board(config: dict[str, Any], serial: SerialPort, control: Control) -> Board:
    """The board the start configuration describes, every part made."""
    clock = Clock(virtual=config["clock"] == "virtual", limit_ms=config.get("limit_ms"))
    files = {name: protocol.unb64(data) for name, data in config.get("files", {}).items()}
    events = part_events(config["board"])

    def publish(part: str, value: Any) -> None:
        t = clock.now_ms()
        if part in events:
            control.send({"kind": part, "event": value, "t": t})
        elif part == protocol.RESET:
            control.send({"kind": protocol.RESET, "state": value, "t": t})
        else:
            control.send({"kind": protocol.STATE, "part": part, "value": value, "t": t})

    board = install(Board(board_spec(config["board"]), clock, serial, files, publish,
                          seed=config.get("seed")))
    serial.pace = lambda count: clock.sleep_us(count * SERIAL_BYTE_US)
    board.radio_link = RadioLink(
        clock, lambda packet: control.send({"kind": protocol.RADIO, "packet": packet}))
    board.build_parts()
    if config.get("shared_time"):
        # the host prints the boards' output in board-time order: stamp it
        serial.tap = lambda data: control.output.append((clock.now_us(), data.decode("latin-1")))
        clock.gate = lambda now, want: shared_time(control, board.radio_link, now, want)
    return board


def schedule_inputs(board: Board, listener: Listener, inputs: list[Any]) -> list[str]:
    """Put the scripted inputs on the clock; the problems of those the board refuses."""
    problems = []
    for index, entry in enumerate(inputs):
        try:
            at_ms, input_id, value = entry
            value = board.inputs.check(input_id, value)
            at_us = int(float(at_ms) * 1000)
        except (TypeError, ValueError) as exc:  # InputError is a ValueError
            text = str(exc) if isinstance(exc, protocol.InputError) else \
                f"{entry!r:.60} is not [ms, input, value]"
            problems.append(text)
            listener.control.error(text, index=index,
                                   **({"input": input_id} if isinstance(exc, protocol.InputError)
                                      else {}))
            continue
        board.clock.call_at(max(0, at_us), lambda i=input_id, v=value: listener.apply(i, v))
    return problems


def listen_until_host_goes(listener: Listener) -> None:
    """Take the host's messages; when its end closes (the host died), the board goes too."""
    listener.run()
    os._exit(0)


def run(board: Board, repl: bool, listener: Listener) -> boot.Outcome:
    """main.py (then the REPL if asked); a stop from the host ends it at once."""
    try:
        try:
            listener.program_started()
            if repl:
                from ubit.sim.micropython.session import run_session

                return run_session(board)
            outcome = boot.run_main(board)
            if outcome.status == "ok":
                boot.finish_output(board)
            return outcome
        finally:
            listener.program_ended()
    except (StopRequested, ResetRequested):  # a reset lands here only as the program ends
        return boot.Outcome("stopped")


def main(argv: list[str]) -> int:
    """Run one board until its program ends."""
    serial_fd = int(argv[1])
    control = Control(int(argv[2]))
    try:
        start = control.receive()
    except protocol.ProtocolError as exc:
        start = None
        control.error(f"not a message: {exc}")
    if start is None or start.get("kind") != protocol.START:
        control.error("the first message must be start")
        return 2
    config = start.get("config")
    problems = config_problems(config)
    if problems:
        for text in problems:
            control.error(text)
        control.send({"kind": protocol.EXIT, "status": "refused", "error": problems[0], "t": 0})
        return 2
    sandbox = confine(config)  # before anything of the program's is looked at
    # Threads that wait for input (the control channel: radio packets, buttons) get the
    # interpreter within 0.5 ms of a busy program instead of CPython's default 5 ms,
    # so a packet reaches a polling program about as soon as it arrives.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    board = build_board(config, serial_port(config, serial_fd, control), control)
    listener = Listener(control, board)
    board.clock.on_advance.append(listener.drain)
    problems = schedule_inputs(board, listener, config.get("inputs", []))
    if problems:
        control.send({"kind": protocol.EXIT, "status": "refused", "error": problems[0],
                      "t": 0})
        return 2
    threading.Thread(target=listen_until_host_goes, args=(listener,), name="control",
                     daemon=True).start()
    control.send({"kind": protocol.READY, **board.describe(), "sandbox": sandbox})
    # what the start-up made lives as long as the board: kept out of the collector's way
    # (the board process began with it off); the program's garbage is its own
    gc.freeze()
    gc.enable()
    board.clock.start_ticker()
    watchdog = boot.Watchdog(board).start()
    deadline = HardDeadline(board.clock).start()
    outcome = run(board, bool(config.get("repl")), listener)
    while True:
        try:
            watchdog.stop()  # after this, no TimeUp comes from it
            break
        except TimeUp:  # fired as the program ended: the program's outcome stands
            continue
    deadline.stop()
    board.clock.stop()
    control.send({"kind": protocol.EXIT, "status": outcome.status, "error": outcome.error,
                  "t": board.clock.now_ms(), "peak_rss_kb": peak_rss_kb(),
                  "out": control.take_output()})
    return 0  # leaving closes the serial socket: the host reads its end


def entry() -> None:
    """Run the board of this process and leave at once."""
    code = main(sys.argv)
    sys.stdout.flush()
    os._exit(code)  # don't wait for the reader threads blocked on the host's sockets
