"""``ubit run`` in a terminal: a live view of the virtual micro:bit, played with the keyboard.

The board runs in real time. The screen shows the 5×5 LEDs (10 brightness levels),
buttons A and B, the logo (V2), pins 0-2, the accelerometer and the other sensors,
with the serial output scrolling beside them. Keys:

    a  b        tap button A / B: pressed for 0.25 s (a terminal never sees a key go
                up, so a tap stands for a press; hold the key to repeat)
    A  B        Shift latches: the button stays down until pressed again
    space       tap A and B together
    l  L        tap / latch the logo (V2)
    0  1  2     tap-touch pin 0, 1, 2;  )  !  @  (Shift+0/1/2, US layout) latch it
    arrows      tilt: left/right = accelerometer x -/+256 mg, up/down = y -/+256 mg
                (gravity stays 1 g; up raises the logo edge); c levels the board
    s u d f     gestures: shake, face up, face down, freefall
    r           the reset button: main.py starts again
    t T j J n N temperature -/+1 °C, light -/+16, sound level -/+16 (V2)
    Tab         switch between board keys and typing into the serial port (input())
    Ctrl-C      KeyboardInterrupt in the program, as on the device (once ended: quit)
    Ctrl-Z      suspend ubit (the board keeps running in real time)
    q           quit: stop the board; exit 0, or 1 if the program had ended with an error

LEDs are 256-colour blocks (dark grey, then red up to white-hot); with NO_COLOR set
or TERM=dumb/linux they are the digits 1-9 and a dot for off.
The terminal is restored on every way out: q, an exception, SIGTERM or SIGHUP.
"""

from __future__ import annotations

import argparse
import math
import os
import select
import signal
import sys
import termios
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from ubit.cli.liveview import (
    ACCEL_DEFAULT,
    DEFAULTS,
    Frame,
    SerialLog,
    accelerometer,
    parse_keys,
    render,
)
from ubit.cli.liveview import sensor as sensor_value

TAP_S = 0.25  # how long a tapped button or pin stays pressed
FRAME_S = 1 / 30  # at most ~30 redraws a second; also the input loop's tick
ACCEL_STEP, ACCEL_MAX, GRAVITY = 256, 2048, 1024  # milli-g
SENSOR_KEYS = {"t": ("temperature", -1), "T": ("temperature", 1), "j": ("light", -16),
               "J": ("light", 16), "n": ("sound", -16), "N": ("sound", 16)}
# (min, max, initial) of the sensors the keys change, until the parts describe their own.
RANGES: dict[str, tuple[float, float, float]] = {
    "temperature": (-5, 50, 21), "light": (0, 255, 127), "sound": (0, 255, 0),
    **{f"accelerometer_{axis}": (-ACCEL_MAX, ACCEL_MAX, 0) for axis in "xyz"}}
GESTURES = {"s": "shake", "u": "face up", "d": "face down", "f": "freefall"}
TAPS = {"a": ("button_a",), "b": ("button_b",), " ": ("button_a", "button_b"),
        "l": ("pin_logo",), "0": ("pin0",), "1": ("pin1",), "2": ("pin2",)}
LATCHES = {"A": "button_a", "B": "button_b", "L": "pin_logo",
           ")": "pin0", "!": "pin1", "@": "pin2"}
TILTS = {"left": (-ACCEL_STEP, 0), "right": (ACCEL_STEP, 0),
         "up": (0, -ACCEL_STEP), "down": (0, ACCEL_STEP)}
# Keys turned back into the bytes a serial terminal would send, in typing mode.
SERIAL_BYTES = {"enter": b"\r", "backspace": b"\x7f", "esc": b"\x1b", "up": b"\x1b[A",
                "down": b"\x1b[B", "right": b"\x1b[C", "left": b"\x1b[D"}
V2_ONLY = {"pin_logo", "sound"}

ENTER_SCREEN = "\x1b[?1049h\x1b[?25l\x1b[2J"  # alternate screen, hidden cursor
LEAVE_SCREEN = "\x1b[0m\x1b[?25h\x1b[?1049l"


def sensor_ranges(board: str) -> dict[str, tuple[float, float, float]]:
    """(min, max, initial) by input id, from the ``SENSORS`` data of the board's parts."""
    ranges = dict(RANGES)
    try:
        from ubit.sim.board.parts import sensors

        found = sensors.by_id(board)
    except Exception:  # noqa: BLE001 - the parts' data only refines the view's own ranges
        return ranges
    for part, spec in found.items():
        if all(hasattr(spec, name) for name in ("min", "max", "initial")):
            ranges[part] = (spec.min, spec.max, spec.initial)
    return ranges


class Terminal:
    """The controlling terminal in raw mode on the alternate screen, restored on exit."""

    def __init__(self) -> None:
        self.fd = sys.stdin.fileno()
        self.out = sys.stdout
        self.saved: list[Any] | None = None
        self.previous: list[str] = []
        self.size = (0, 0)

    def __enter__(self) -> Terminal:
        self.saved = termios.tcgetattr(self.fd)
        raw = termios.tcgetattr(self.fd)
        # Raw input (every key at once, Ctrl-C as a byte, Enter as CR), but keep output
        # processing so the rest of ubit's output still looks normal.
        raw[0] &= ~(termios.IXON | termios.ICRNL | termios.INLCR | termios.ISTRIP)
        raw[3] &= ~(termios.ECHO | termios.ICANON | termios.ISIG | termios.IEXTEN)
        raw[6][termios.VMIN], raw[6][termios.VTIME] = 1, 0
        termios.tcsetattr(self.fd, termios.TCSANOW, raw)
        self.write(ENTER_SCREEN)
        self.previous = []
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore()

    def restore(self) -> None:
        """Back to the screen and modes the user had."""
        if self.saved is not None:
            saved, self.saved = self.saved, None
            # After a hang-up the terminal may be gone: nothing left to restore then.
            with suppress(OSError, termios.error):
                self.write(LEAVE_SCREEN)
            with suppress(OSError, termios.error):
                termios.tcsetattr(self.fd, termios.TCSADRAIN, saved)

    def suspend(self) -> None:
        """Ctrl-Z: give the terminal back, stop, and take it again when resumed."""
        self.restore()
        os.kill(os.getpid(), signal.SIGTSTP)
        self.__enter__()

    def write(self, text: str) -> None:
        """Send text to the terminal now."""
        self.out.write(text)
        self.out.flush()

    def columns_rows(self) -> tuple[int, int]:
        """The terminal's size (80×24 if it can't say)."""
        try:
            size = os.get_terminal_size(self.out.fileno())
            return size.columns, size.lines
        except OSError:
            return 80, 24

    def draw(self, lines: list[str]) -> None:
        """Show a frame, rewriting only the lines that changed since the last one."""
        size = self.columns_rows()
        parts = []
        if size != self.size:
            self.size, self.previous = size, []
            parts.append("\x1b[2J")
        for row, line in enumerate(lines):
            if row >= len(self.previous) or self.previous[row] != line:
                parts.append(f"\x1b[{row + 1};1H{line}")
        self.previous = lines
        if parts:
            self.write("".join(parts))


class Controller:
    """Keys in, board inputs out; keeps the state the view shows."""

    def __init__(self, board_name: str,
                 ranges: dict[str, tuple[float, float, float]] | None = None) -> None:
        self.v2 = board_name == "v2"
        self.ranges = ranges or RANGES
        # what a sensor shows before the board publishes it: the part's starting value
        self.defaults = {**DEFAULTS, **{k: v[2] for k, v in self.ranges.items()}}
        self.board: Any = None  # the VirtualBoard, once made
        self.state: dict[str, Any] = {}
        self.lock = threading.Lock()  # state changes arrive on the board's control thread
        self.dirty = True
        self.holds: dict[str, float] = {}  # tapped part -> when to release it
        self.latched: set[str] = set()
        self.typing = False
        self.ended = False

    def on_state(self, part: str, value: Any, t: int) -> None:
        """A part of the board changed (called on the board's control thread)."""
        with self.lock:
            if part == "reset":  # the board restarted: parts start afresh, nothing held
                self.state.clear()
                self.holds.clear()
                self.latched.clear()
            self.state[part] = value
            self.dirty = True

    def snapshot(self) -> dict[str, Any]:
        """A copy of the state to draw from."""
        with self.lock:
            self.dirty = False
            return dict(self.state)

    def _show(self, part: str, value: Any) -> None:
        """Show an input we set at once, without waiting for the board to publish it."""
        with self.lock:
            old = self.state.get(part)
            if part.startswith("pin"):
                value = {**old, "touched": value} if isinstance(old, dict) else value
            self.state[part] = value
            self.dirty = True

    def set(self, part: str, value: Any) -> None:
        """Send an input to the board and show it."""
        self.board.set(part, value)
        self._show(part, value)

    def handle(self, key: str, now: float) -> bool:
        """Act on one key; True when it asks to quit."""
        if key == "tab" and not self.ended:
            self.typing = not self.typing
            self.dirty = True
        elif key == "ctrl-c":
            if self.ended:
                return True
            self.board.interrupt()
        elif key == "ctrl-z":
            raise Suspend
        elif self.typing:
            data = SERIAL_BYTES.get(key, key.encode() if len(key) == 1 else b"")
            if data:  # an unknown escape sequence (Ctrl+arrow...) is not sent
                self.board.write_serial(data)
        elif key == "q":
            return True
        elif not self.ended:  # once the program has ended, the view keeps its final state
            self._board_key(key, now)
        return False

    def _board_key(self, key: str, now: float) -> None:
        if key in TAPS:
            for part in TAPS[key]:
                if part in V2_ONLY and not self.v2:
                    continue
                if part not in self.latched:
                    if part not in self.holds:
                        self.set(part, True)
                    self.holds[part] = now + TAP_S
        elif key in LATCHES and (self.v2 or LATCHES[key] not in V2_ONLY):
            part = LATCHES[key]
            self.holds.pop(part, None)
            if part in self.latched:
                self.latched.discard(part)
                self.set(part, False)
            else:
                self.latched.add(part)
                self.set(part, True)
        elif key in TILTS or key == "c":
            self._tilt(*TILTS.get(key, (None, None)))
        elif key in GESTURES:
            self.board.gesture(GESTURES[key])
            self._show("gesture", GESTURES[key])
        elif key == "r":
            self.board.reset()
        elif key in SENSOR_KEYS:
            part, step = SENSOR_KEYS[key]
            if part not in V2_ONLY or self.v2:
                low, high, _ = self.ranges.get(part, RANGES[part])
                with self.lock:
                    current = sensor_value(self.state, part, self.defaults)
                self.set(part, int(max(low, min(high, round(current) + step))))

    def _tilt(self, dx: int | None, dy: int | None) -> None:
        """Move x/y (None: level the board), keeping the pull of gravity at 1 g."""
        with self.lock:
            x, y, z = accelerometer(self.state)
        if dx is None or dy is None:
            x, y = 0, 0
        else:
            x = int(self._clamp("accelerometer_x", x + dx))
            y = int(self._clamp("accelerometer_y", y + dy))
        z = int(math.copysign(round(math.sqrt(max(0, GRAVITY ** 2 - x * x - y * y))),
                              z or ACCEL_DEFAULT[2]))
        for axis, value in zip("xyz", (x, y, z), strict=True):
            self.board.set(f"accelerometer_{axis}", value)
        with self.lock:
            self.state.update(accelerometer_x=x, accelerometer_y=y, accelerometer_z=z)
            self.dirty = True

    def _clamp(self, part: str, value: float) -> float:
        low, high, _ = self.ranges.get(part, RANGES[part])
        return max(low, min(high, value))

    def release_due(self, now: float) -> None:
        """Let go of tapped buttons and pins whose time is up."""
        for part, until in list(self.holds.items()):
            if until <= now:
                del self.holds[part]
                self.set(part, False)


class Suspend(Exception):
    """Ctrl-Z was pressed: stop ubit until the shell resumes it."""


@contextmanager
def terminal_signals(controller: Controller) -> Iterator[None]:
    """SIGTERM/SIGHUP end the view cleanly (through ``finally``); SIGWINCH redraws."""
    def leave(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    def resized(signum: int, frame: object) -> None:
        controller.dirty = True

    handlers = {signal.SIGTERM: leave, signal.SIGHUP: leave, signal.SIGWINCH: resized}
    previous = {sig: signal.signal(sig, handler) for sig, handler in handlers.items()}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _ended_detail(result: dict[str, Any]) -> str:
    """A few words on how the program ended ('' when it simply finished)."""
    return {"ok": "", "timeout": "(time is up)", "error": "(error)",
            "panic": "(panic)"}.get(result["status"], f"({result.get('error') or 'crashed'})")


def run_live(plans: list[Any], args: argparse.Namespace) -> int:
    """Run the boards in real time with the live view until ``q``; the exit code.

    ``plans`` are ``ubit.sim.host.fleet.BoardPlan``s: one board, or several sharing a radio
    space (``[``/``]`` choose which one the keys and the big view are for).
    """
    from ubit.cli.run import chain, open_ether
    from ubit.sim.host.fleet import Fleet
    from ubit.sim.host.handle import BoardCrashed
    from ubit.sim.host.player import open_player

    controllers = [Controller(plan.board, sensor_ranges(plan.board)) for plan in plans]
    for plan, controller in zip(plans, controllers, strict=True):
        plan.on_state = chain(controller.on_state, plan.on_state)
    # what the boards play, through the computer's speakers when it has some (a player
    # each: the sound system mixes them); without, a note after the view closes, if a
    # program made any sound
    player, note = open_player()
    players = []
    sounded: list[bool] = []
    for index, plan in enumerate(plans):
        if index and player is not None:
            player, _ = open_player()
        if player is not None:
            players.append(player)
            plan.on_state = chain(plan.on_state, player.listener)
        elif note:
            plan.on_state = chain(plan.on_state, lambda part, value, t: sounded.append(True)
                                  if part == "audio" and not sounded else None)
    limit = args.time * 1000 if args.time is not None else None
    fleet = Fleet(plans, virtual=False, time_limit_ms=limit, seed=args.seed,
                  ether=open_ether(getattr(args, "radio_space", "none"), "run"))
    logs = [SerialLog() for _ in plans]
    results: list[dict[str, Any] | None] = [None] * len(plans)
    for controller, board in zip(controllers, fleet.boards, strict=True):
        controller.board = board
    # NO_COLOR (no-color.org) or a terminal without 256 colours: LED levels as digits.
    colour = "NO_COLOR" not in os.environ and os.environ.get("TERM", "") not in ("dumb", "linux")
    focus = 0
    pending = b""
    last_draw = 0.0
    with Terminal() as term, terminal_signals(controllers[0]), fleet:
        while True:
            controller = controllers[focus]
            ready, _, _ = select.select([term.fd], [], [], FRAME_S)
            now = time.monotonic()
            keys: list[str] = []
            if ready:
                data = os.read(term.fd, 4096)
                if not data:  # the terminal went away
                    break
                keys, pending = parse_keys(pending + data)
            elif pending:  # a lone Esc, not the start of an arrow key
                keys, pending = ["esc"], b""
            try:
                quit_ = False
                for key in keys:
                    if key in ("[", "]") and len(plans) > 1 and not controller.typing:
                        focus = (focus + (1 if key == "]" else -1)) % len(plans)
                        controller = controllers[focus]
                        controller.dirty = True
                    elif controller.handle(key, now):
                        quit_ = True
                if quit_:
                    break
            except Suspend:
                term.suspend()
                controller.dirty = True
            for index, (ctl, board, log) in enumerate(zip(controllers, fleet.boards, logs,
                                                          strict=True)):
                ctl.release_due(now)
                output = board.read_serial(0)
                if output:
                    log.feed(output)
                    ctl.dirty = True
                if results[index] is None and (board.exit is not None or not board.running):
                    try:
                        results[index] = dict(board.wait(timeout=0.5))
                    except TimeoutError:
                        pass
                    except BoardCrashed as exc:
                        results[index] = {"status": "crash", "error": str(exc)}
                    if results[index] is not None:
                        log.feed(board.read_serial())
                        ctl.ended, ctl.typing = True, False
                        ctl.dirty = True
            if any(ctl.dirty for ctl in controllers) and now - last_draw >= FRAME_S:
                frame = Frame(controller.snapshot(), logs[focus], board=plans[focus].board,
                              title=plans[focus].label, defaults=controller.defaults,
                              colour=colour, typing=controller.typing,
                              latched=set(controller.latched))
                result = results[focus]
                frame.ended = _ended_detail(result) if result is not None else None
                if len(plans) > 1:
                    frame.fleet = [(plan.label, ctl.snapshot()) for plan, ctl
                                   in zip(plans, controllers, strict=True)]
                    frame.focus = focus
                term.draw(render(frame, *term.columns_rows()))
                last_draw = now
        for board in fleet.boards:
            board.kill()
    for each in players:
        each.close()
    if note and sounded:
        print(f"ubit: run: note: {note.removeprefix('ubit: ')}", file=sys.stderr)
    ended = [result for result in results if result is not None]
    return 1 if any(r["status"] in ("error", "panic", "crash") for r in ended) else 0

