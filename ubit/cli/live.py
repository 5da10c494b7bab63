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

import os
import select
import signal
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from ubit.cli.liveview import Frame, SerialLog, parse_keys, render
from ubit.sim.host.controller import Controller

FRAME_S = 1 / 30  # at most ~30 redraws a second; also the input loop's tick
# What the keys do; the controller does it only if the board has the input.
TAPS = {"a": ("button_a",), "b": ("button_b",), " ": ("button_a", "button_b"),
        "l": ("pin_logo",), "0": ("pin0",), "1": ("pin1",), "2": ("pin2",)}
LATCHES = {"A": "button_a", "B": "button_b", "L": "pin_logo",
           ")": "pin0", "!": "pin1", "@": "pin2"}
TILTS = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}  # in nudges
GESTURES = {"s": "shake", "u": "face up", "d": "face down", "f": "freefall"}
STEPS = {"t": ("temperature", -1), "T": ("temperature", 1), "j": ("light", -1),
         "J": ("light", 1), "n": ("sound", -1), "N": ("sound", 1)}
# Keys turned back into the bytes a serial terminal would send, in typing mode.
SERIAL_BYTES = {"enter": b"\r", "backspace": b"\x7f", "esc": b"\x1b", "up": b"\x1b[A",
                "down": b"\x1b[B", "right": b"\x1b[C", "left": b"\x1b[D"}

ENTER_SCREEN = "\x1b[?1049h\x1b[?25l\x1b[2J"  # alternate screen, hidden cursor
LEAVE_SCREEN = "\x1b[0m\x1b[?25h\x1b[?1049l"


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


class BoardKeys:
    """The keyboard of the live view for one board: keys in, controller actions out."""

    def __init__(self, controller: Controller) -> None:
        self.controller = controller
        self.typing = False  # keys go to the serial port (Tab switches)
        self.ended = False  # the program has ended: the view keeps its final state

    @property
    def dirty(self) -> bool:
        """Whether the view needs drawing again."""
        return self.controller.dirty

    @dirty.setter
    def dirty(self, value: bool) -> None:
        self.controller.dirty = value

    def handle(self, key: str, now: float) -> bool:
        """Act on one key; True when it asks to quit."""
        controller = self.controller
        if key == "tab" and not self.ended:
            self.typing = not self.typing
            self.dirty = True
        elif key == "ctrl-c":
            if self.ended:
                return True
            controller.board.interrupt()
        elif key == "ctrl-z":
            raise Suspend
        elif self.typing:
            data = SERIAL_BYTES.get(key, key.encode() if len(key) == 1 else b"")
            if data:  # an unknown escape sequence (Ctrl+arrow...) is not sent
                controller.board.write_serial(data)
        elif key == "q":
            return True
        elif not self.ended:
            self._board_key(key, now)
        return False

    def _board_key(self, key: str, now: float) -> None:
        controller = self.controller
        if key in TAPS:
            for input_id in TAPS[key]:
                controller.tap(input_id, now)
        elif key in LATCHES:
            controller.latch(LATCHES[key])
        elif key in TILTS:
            controller.tilt(*TILTS[key])
        elif key == "c":
            controller.level()
        elif key in GESTURES:
            controller.gesture(GESTURES[key])
        elif key == "r":
            controller.reset()
        elif key in STEPS:
            controller.step(*STEPS[key])


class Suspend(Exception):
    """Ctrl-Z was pressed: stop ubit until the shell resumes it."""


@contextmanager
def terminal_signals(keys: BoardKeys) -> Iterator[None]:
    """SIGTERM/SIGHUP end the view cleanly (through ``finally``); SIGWINCH redraws."""
    def leave(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    def resized(signum: int, frame: object) -> None:
        keys.dirty = True

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


def run_live(options: list[Any], listeners: list[Any], warn: Any) -> int:
    """Run the boards in real time with the live view until ``q``; the exit code.

    ``options`` are ``BoardOptions``: one board, or several sharing a radio space
    (``[``/``]`` choose which one the keys and the big view are for). ``listeners``
    see the first board's messages (``--audio``, ``--log-csv``).
    """
    from ubit.sim.host.fleet import Fleet
    from ubit.sim.host.player import open_player

    controllers = [Controller() for _ in options]
    board_listeners: list[list[Any]] = [[controller.on_message] for controller in controllers]
    board_listeners[0] += listeners
    # what the boards play, through the computer's speakers when it has some (a player
    # each: the sound system mixes them); without, a note after the view closes, if a
    # program made any sound
    player, note = open_player()
    players = []
    sounded: list[bool] = []
    for index, each in enumerate(board_listeners):
        if index and player is not None:
            player, _ = open_player()
        if player is not None:
            players.append(player)
            each.append(player.listener)
        elif note:
            each.append(lambda message: sounded.append(True)
                        if message["kind"] == "audio" and not sounded else None)
    fleet = Fleet(options, listeners=board_listeners, warn=warn)
    try:
        code = _view(fleet, options, controllers)
    finally:
        for each in players:
            each.close()
    if note and sounded:
        print(f"ubit: run: note: {note.removeprefix('ubit: ')}", file=sys.stderr)
    return code


def _view(fleet: Any, options: list[Any], controllers: list[Controller]) -> int:
    """The view's loop: keys to the chosen board, every board's output, redraws."""
    from ubit.sim.host.handle import BoardCrashed

    keys = [BoardKeys(controller) for controller in controllers]
    logs = [SerialLog() for _ in options]
    results: list[dict[str, Any] | None] = [None] * len(options)
    # NO_COLOR (no-color.org) or a terminal without 256 colours: LED levels as digits.
    colour = "NO_COLOR" not in os.environ and os.environ.get("TERM", "") not in ("dumb", "linux")
    focus = 0
    pending = b""
    last_draw = 0.0
    with Terminal() as term, terminal_signals(keys[0]), fleet:
        for controller, board in zip(controllers, fleet.boards, strict=True):
            controller.board = board
        while True:
            current = keys[focus]
            ready, _, _ = select.select([term.fd], [], [], FRAME_S)
            now = time.monotonic()
            pressed: list[str] = []
            if ready:
                data = os.read(term.fd, 4096)
                if not data:  # the terminal went away
                    break
                pressed, pending = parse_keys(pending + data)
            elif pending:  # a lone Esc, not the start of an arrow key
                pressed, pending = ["esc"], b""
            try:
                quit_ = False
                for key in pressed:
                    if key in ("[", "]") and len(options) > 1 and not current.typing:
                        focus = (focus + (1 if key == "]" else -1)) % len(options)
                        current = keys[focus]
                        current.dirty = True
                    elif current.handle(key, now):
                        quit_ = True
                if quit_:
                    break
            except Suspend:
                term.suspend()
                current.dirty = True
            for index, (each, board, log) in enumerate(zip(keys, fleet.boards, logs,
                                                           strict=True)):
                each.controller.release_due(now)
                output = board.read_serial(0)
                if output:
                    log.feed(output)
                    each.dirty = True
                if results[index] is None and (board.exit is not None or not board.running):
                    try:
                        results[index] = dict(board.wait(timeout=0.5))
                    except TimeoutError:
                        pass
                    except BoardCrashed as exc:
                        results[index] = {"status": "crash", "error": str(exc)}
                    if results[index] is not None:
                        log.feed(board.read_serial())
                        each.ended, each.typing = True, False
                        each.dirty = True
            if any(each.dirty for each in keys) and now - last_draw >= FRAME_S:
                term.draw(render(_frame(keys, options, logs, results, focus, colour),
                                 *term.columns_rows()))
                last_draw = now
        for board in fleet.boards:
            board.kill()
    ended = [result for result in results if result is not None]
    return 1 if any(r["status"] in ("error", "panic", "crash") for r in ended) else 0


def _frame(keys: list[BoardKeys], options: list[Any], logs: list[SerialLog],
           results: list[dict[str, Any] | None], focus: int, colour: bool) -> Frame:
    """One picture of the view, for the board in focus (and the strip of all boards)."""
    chosen = keys[focus]
    controller = chosen.controller
    frame = Frame(controller.snapshot(), logs[focus], board=controller.label,
                  inputs=frozenset(controller.inputs), title=options[focus].label,
                  colour=colour, typing=chosen.typing, latched=set(controller.latched))
    result = results[focus]
    frame.ended = _ended_detail(result) if result is not None else None
    if len(options) > 1:
        frame.fleet = [(each.label, ctl.controller.snapshot())
                       for each, ctl in zip(options, keys, strict=True)]
        frame.focus = focus
    return frame
