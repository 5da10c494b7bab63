"""``TestBoard``: one virtual micro:bit driven step by step from a test, in virtual time.

The board's process holds its virtual clock at a *horizon* the test moves: the board
runs up to it and waits (the protocol's shared-time ``sync``/``grant``, the same one
that keeps several boards in step). So ``run(500)`` is exactly 500 ms of board time,
and an input given between two runs lands at exactly the instant the board waits at:
the same program and the same steps give the same run, every time, on any machine.
"""

from __future__ import annotations

import base64
import math
import re
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ubit.sim.host.handle import VirtualBoard
from ubit.sim.host.start import BoardOptions, Spares, start_board
from ubit.sim.shared import protocol
from ubit.testing import ledtext
from ubit.testing.images import Image, as_image, side_by_side

DEFAULT_TIME_LIMIT_MS = 30_000  # board time: a program that loops forever ends here
CLICK_MS = 100  # how long ``click`` holds a button or touches a pin
WALL_TIMEOUT_S = 20.0  # real time a step may take before the board is called stuck
START_TIMEOUT_S = 60.0  # real time a board's process may take to start (a loaded machine)
RADIO_DEFAULTS = {"channel": 7, "group": 0, "address": 0x75626974, "rate": 0, "power": 6}
STRING_HEADER = b"\x01\x00\x01"  # what the radio module puts before a str (radio.send)
GRAVITY_MG = 1024
NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")

_spares: Spares | None = None
_spares_lock = threading.Lock()


def spares() -> Spares:
    """The board processes this test process keeps started ahead (fast starts)."""
    global _spares
    with _spares_lock:
        if _spares is None:
            _spares = Spares(keep=1)
            _spares.fill()
        return _spares


class BoardStuck(RuntimeError):
    """The board's process didn't answer in real time (it was killed)."""


@dataclass
class ProgramError:
    """The error that ended the program: its type, message and line in main.py."""

    kind: str
    message: str
    line: int | None
    traceback: str

    def __str__(self) -> str:
        where = f" on line {self.line}" if self.line else ""
        return f"{self.kind}{where}: {self.message}" if self.message else f"{self.kind}{where}"


@dataclass
class RadioPacket:
    """A radio packet the program sent: when, the bytes, and the radio's settings."""

    t: float  # ms
    data: bytes
    channel: int
    group: int

    @property
    def text(self) -> str | None:
        """What ``radio.receive()`` would give for it: the string, or None for raw bytes."""
        if self.data.startswith(STRING_HEADER):
            return self.data[3:].decode("utf-8", "replace")
        return None


@dataclass
class Note:
    """A tone the board played (music): from ``t`` ms for ``duration`` ms, at ``freq`` Hz."""

    t: float
    freq: float
    duration: float | None  # None: still playing when the run stopped

    @property
    def name(self) -> str:
        """The nearest note, as ``music`` names them: ``C4``, ``F#5``…"""
        semis = round(12 * math.log2(self.freq / 440.0)) + 57  # C0 = 0, A4 = 57
        return f"{NOTE_NAMES[semis % 12]}{semis // 12}"


@dataclass
class _Record:
    """Everything the board said, as it said it."""

    frames: list[tuple[int, Image]] = field(default_factory=list)
    states: list[tuple[int, str, Any]] = field(default_factory=list)
    audio: list[dict[str, Any]] = field(default_factory=list)
    serial: list[tuple[float, str]] = field(default_factory=list)  # (ms, text)
    radio: list[RadioPacket] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)


class TestBoard:
    """A virtual micro:bit running one program, stepped by a test.

    Made by ``ubit.testing.start``. Act (``press``, ``tilt``, ``type``, ``send_radio``…),
    let time pass (``run``), then look (``display``, ``scrolled_text``, ``serial``…) or
    assert (``assert_shows``…). Close it (or use ``with``) when done.
    """

    __test__ = False  # not a test class, whatever pytest thinks of its name

    def __init__(self, files: Mapping[str, bytes], board: str = "v2",
                 time_limit_ms: float | None = DEFAULT_TIME_LIMIT_MS, seed: int | None = 1,
                 fast_start: bool = True, wall_timeout_s: float | None = None) -> None:
        self.version = board
        self.time_limit_ms = time_limit_ms
        # real seconds one step may take (None: WALL_TIMEOUT_S beyond the time limit)
        self.wall_timeout_s = wall_timeout_s
        self.record = _Record()
        self.exit: dict[str, Any] | None = None
        self.now_us = 0  # the board time it waits at
        self.steps: list[str] = []  # what the test did since it last looked, for messages
        self._packets: list[dict[str, Any]] = []  # radio packets for the next grant
        self._cond = threading.Condition()
        self._synced_at: int | None = None
        options = BoardOptions(board=board, files=dict(files), time_limit_ms=time_limit_ms,
                               seed=seed, serial="messages")
        self._board: VirtualBoard = start_board(options, [self._on_message], space=self,
                                                spares=spares() if fast_start else None)
        self._wait_ready()
        self._wait_step()

    # -- the link: this object is the board's (one-board) radio space -------------------------
    def join(self, board: VirtualBoard, label: str = "", position: Any = None) -> None:
        """Called by ``start_board``: hold the board's clock, hear its radio."""
        board.config["shared_time"] = True
        board.on_air = self._on_air

    def _on_air(self, message: dict[str, Any]) -> None:
        kind = message["kind"]
        if kind == protocol.RADIO:
            packet = message["packet"]
            self.record.radio.append(RadioPacket(
                packet["t"] / 1000, base64.b64decode(packet["data"]), packet["channel"],
                packet["group"]))
            return
        self._take_output(message.get("out") or ())
        with self._cond:
            if kind == protocol.SYNC:
                self._synced_at = int(message["now"])
            self._cond.notify_all()

    def _take_output(self, out: Iterable[Any]) -> None:
        for t_us, text in out:
            self.record.serial.append((int(t_us) / 1000, text))

    def _on_message(self, message: dict[str, Any]) -> None:
        kind = message["kind"]
        if kind == protocol.STATE:
            part, value, t = message["part"], message["value"], message["t"]
            self.record.states.append((t, part, value))
            if part == "display":
                self.record.frames.append((t, Image(value)))
            elif part == "filesystem":
                for name, data in value.get("changed", {}).items():
                    if data is None:
                        self.record.files.pop(name, None)
                    else:
                        self.record.files[name] = base64.b64decode(data)
        elif kind == protocol.READY:
            self.record.frames.append((message["t"], Image(message["state"]["display"])))
        elif kind == protocol.AUDIO:
            self.record.audio.append(message["event"])
        elif kind == protocol.EXIT:
            with self._cond:
                self.exit = message
                self._cond.notify_all()

    # -- time --------------------------------------------------------------------------------
    @property
    def time_ms(self) -> float:
        """Board time now, in ms since it started."""
        return self.now_us / 1000

    @property
    def running(self) -> bool:
        """Whether the program still runs."""
        return self.exit is None

    def run(self, ms: float | None = None) -> TestBoard:
        """Let ``ms`` of board time pass (None: until the program ends or its time limit)."""
        if self.exit is not None:
            return self
        if ms is None:
            target = math.inf if self.time_limit_ms is None else self.time_limit_ms * 1000
            self.steps.append("running the program to its end")
        else:
            target = self.now_us + max(0, int(ms * 1000))
            self.steps.append(f"waiting {ms:g} ms")
        horizon = 2 ** 62 if target == math.inf else int(target)
        with self._cond:
            self._synced_at = None
        self._board.send_control({"kind": protocol.GRANT, "horizon": horizon,
                                  "packets": self._packets})
        self._packets = []
        self._wait_step()
        return self

    def _wait_ready(self) -> None:
        """Wait for the board's process to be up (not counted in the program's step time)."""
        try:
            self._board.wait_ready(START_TIMEOUT_S)
        except TimeoutError:
            self._board.kill()
            raise BoardStuck("the virtual board didn't start "
                             f"({self._board.crash_report()})") from None
        except Exception:  # noqa: BLE001 - it ended at once: _wait_step reads how
            pass

    def _wait_step(self) -> None:
        """Wait until the board holds at its horizon, or its program has ended."""
        budget = self.wall_timeout_s if self.wall_timeout_s is not None else \
            WALL_TIMEOUT_S + (self.time_limit_ms or 0) / 1000
        deadline = time.monotonic() + budget
        with self._cond:
            while self._synced_at is None and self.exit is None:
                if not self._cond.wait(min(0.5, max(0.0, deadline - time.monotonic()))):
                    if time.monotonic() >= deadline or not self._board.running and \
                            self.exit is None:
                        break
        if self.exit is None and self._synced_at is None:
            if self._board.running:  # past its real-time budget: stuck, stop it now
                self._board.kill()
            try:
                self.exit = self._board.wait(2)
            except Exception:  # noqa: BLE001 - whatever it was, the board is of no use now
                self._board.kill()
                raise BoardStuck("the virtual board stopped answering "
                                 f"({self._board.crash_report()})") from None
        if self.exit is not None:
            self._take_output(self.exit.get("out") or ())
            self.now_us = max(self.now_us, int(self.exit.get("t", 0)) * 1000)
        elif self._synced_at is not None:
            self.now_us = self._synced_at

    def close(self) -> None:
        """End the board's process."""
        self._board.close()

    def __enter__(self) -> TestBoard:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- acting --------------------------------------------------------------------------------
    def set(self, input_id: str, value: Any) -> TestBoard:
        """Set any input of the board protocol (``set("temperature", 30)``), now."""
        if input_id not in self.input_ids:
            known = ", ".join(sorted(self.input_ids))
            raise ValueError(f"the micro:bit {self.version.upper()} has no input "
                             f"{input_id!r} (it has: {known})")
        self._board.set(input_id, value)
        return self

    @property
    def input_ids(self) -> set[str]:
        """The inputs this board takes (from its description)."""
        description = self._board.description or {}
        return {spec["id"] for spec in description.get("inputs", ())}

    def press(self, button: str) -> TestBoard:
        """Press and hold button ``"A"`` or ``"B"`` (or touch ``"logo"``)."""
        self.steps.append(f"pressing {_button_words(button)}")
        return self.set(_button(button), True)

    def release(self, button: str) -> TestBoard:
        """Let go of a button (or the logo)."""
        self.steps.append(f"releasing {_button_words(button)}")
        return self.set(_button(button), False)

    def click(self, button: str, hold_ms: float = CLICK_MS) -> TestBoard:
        """Press a button, hold it ``hold_ms`` (board time passes), let go."""
        self.set(_button(button), True).run(hold_ms).set(_button(button), False)
        self.steps[-1:] = [f"pressing {_button_words(button)}"]
        return self

    def touch(self, pin: int | str, touched: bool = True) -> TestBoard:
        """Touch pin 0, 1 or 2 (or ``"logo"``) — ``touched=False`` lets go."""
        input_id = _pin(pin)
        self.steps.append(f"{'touching' if touched else 'letting go of'} {_pin_words(pin)}")
        return self.set(input_id, touched)

    def tap(self, pin: int | str, hold_ms: float = CLICK_MS) -> TestBoard:
        """Touch a pin (or the logo) for ``hold_ms`` of board time, then let go."""
        self.touch(pin).run(hold_ms).touch(pin, False)
        self.steps[-3:] = [f"touching {_pin_words(pin)}"]
        return self

    def set_analog(self, pin: int, level: int | None) -> TestBoard:
        """Put a level 0–1023 on pin 0, 1 or 2 for ``read_analog`` (None: nothing)."""
        self.steps.append(f"setting pin {pin} to {level}")
        return self.set(_pin(pin), level)

    def tilt(self, x: float = 0, y: float = 0, z: float | None = None) -> TestBoard:
        """Set the accelerometer (mg); without ``z``, gravity keeps its 1 g (flat: z < 0)."""
        if z is None:
            z = -round(math.sqrt(max(0.0, GRAVITY_MG ** 2 - x * x - y * y)))
        self.steps.append(f"tilting the micro:bit to x={x:g}, y={y:g}, z={z:g}")
        return self.set("accelerometer", {"x": x, "y": y, "z": z})

    def gesture(self, name: str) -> TestBoard:
        """Perform a gesture now: "shake", "up", "face down", "freefall", "3g"…"""
        self.steps.append(f"the gesture {name!r}")
        return self.set("gesture", name)

    def set_temperature(self, celsius: float) -> TestBoard:
        """The temperature the thermometer reads (°C)."""
        self.steps.append(f"setting the temperature to {celsius:g} °C")
        return self.set("temperature", celsius)

    def set_light(self, level: float) -> TestBoard:
        """The light level 0–255 the display's LEDs sense."""
        self.steps.append(f"setting the light level to {level:g}")
        return self.set("light", level)

    def set_sound_level(self, level: float) -> TestBoard:
        """The sound level 0–255 the microphone hears (V2)."""
        self.steps.append(f"setting the sound level to {level:g}")
        return self.set("sound", level)

    def set_heading(self, degrees: float) -> TestBoard:
        """Point the micro:bit so the compass reads ``degrees`` (0 = north)."""
        self.steps.append(f"turning the micro:bit to {degrees:g}°")
        return self.set("compass_heading", degrees)

    def type(self, text: str | bytes) -> TestBoard:
        """Type into the serial port (``"5\\r"``: 5 and Enter, for ``input()``)."""
        data = text.encode() if isinstance(text, str) else bytes(text)
        self.steps.append(f"typing {text!r}")
        self._board.write_serial(data)
        return self

    def type_line(self, text: str) -> TestBoard:
        """Type a line and Enter (what ``input()`` reads)."""
        return self.type(text + "\r")

    def send_radio(self, message: str | bytes, channel: int = 7, group: int = 0,
                   rssi: int = -50) -> TestBoard:
        """A radio packet reaches the board now (a str as ``radio.send`` sends one)."""
        data = STRING_HEADER + message.encode() if isinstance(message, str) else bytes(message)
        self.steps.append(f"sending {message!r} by radio")
        self._packets.append({**RADIO_DEFAULTS, "channel": channel, "group": group,
                              "data": base64.b64encode(data).decode(), "t": self.now_us,
                              "rssi": rssi, "at": self.now_us})
        return self

    # -- looking -------------------------------------------------------------------------------
    def display(self) -> Image:
        """What the display shows now."""
        return self.record.frames[-1][1] if self.record.frames else Image("0:0:0:0:0")

    def frames(self) -> list[tuple[int, Image]]:
        """Every picture the display showed, with the ms it appeared at."""
        return list(self.record.frames)

    def texts(self) -> list[str]:
        """Each text scrolled or shown so far, read back from the LEDs (``["Hi", "21"]``).

        An error's own scroll (the board shows an uncaught error) is left out.
        """
        end = self._error_ms()
        frames = [(t, ledtext.columns_of(image.rows)) for t, image in self.record.frames
                  if end is None or t < end]
        return ledtext.read_texts(_dedupe(frames))

    def scrolled_text(self) -> str:
        """All the text scrolled or shown so far, read from the LEDs, as one string."""
        return "".join(self.texts())

    def serial(self) -> str:
        """Everything the program printed (newlines as ``\\n``)."""
        return "".join(text for _, text in self.record.serial).replace("\r\n", "\n")

    def serial_lines(self) -> list[str]:
        """What the program printed, line by line."""
        return self.serial().splitlines()

    def notes(self) -> list[Note]:
        """The tones music played, in order (``[n.name for n in board.notes()]``)."""
        tones = [event for event in self.record.audio if "freq" in event]
        found: list[Note] = []
        if not tones:  # zip below pairs each tone with the next: none, nothing to pair
            return found
        for event, after in zip(tones, [*tones[1:], None], strict=True):
            if event["freq"]:
                end = after["t"] if after is not None else None
                found.append(Note(event["t"], event["freq"],
                                  None if end is None else end - event["t"]))
        return found

    def sounds(self) -> list[tuple[float, str]]:
        """Sampled sounds that started: (ms, channel) — "speech", "sound" (effects), "audio".

        A sound comes as clips back to back on its channel; a gap starts a new one.
        """
        starts: list[tuple[float, str]] = []
        ends: dict[str, float] = {}
        for event in self.record.audio:
            channel = event.get("clip")
            if channel:
                t = float(event["t"])
                if t > ends.get(channel, -1.0) + 1:
                    starts.append((t, channel))
                samples = len(base64.b64decode(event["pcm"]))
                ends[channel] = t + samples * 1000 / event["rate"]
            elif event.get("cut"):
                ends.pop(event["cut"], None)
        return starts

    def spoke(self) -> bool:
        """Whether the board said anything with ``speech``."""
        channels = {"speech"} if self.version == "v2" else {"audio", "speech"}
        return any(channel in channels for _, channel in self.sounds())

    def pin(self, number: int | str) -> dict[str, Any]:
        """Pin ``number`` now: ``{"mode", "value", "touched"}`` (mode e.g. "write_digital")."""
        return dict(self._board.state.get(_pin_state(number), {}))

    def pin_writes(self, number: int | str) -> list[tuple[int, str, Any]]:
        """What the program drove pin ``number`` to: (ms, mode, value), in order."""
        state = _pin_state(number)
        return [(t, value["mode"], value["value"]) for t, part, value in self.record.states
                if part == state and value["mode"] in ("write_digital", "write_analog")]

    def neopixels(self, pin: int | str = 0) -> list[tuple[int, ...]]:
        """The colours last written to the NeoPixels on ``pin``."""
        strips = self._board.state.get("neopixel") or {}
        return [tuple(colour) for colour in strips.get(_pin_state(pin), [])]

    def radio_sent(self) -> list[RadioPacket]:
        """The radio packets the program sent."""
        return list(self.record.radio)

    def radio_messages(self) -> list[str]:
        """The strings the program sent by radio."""
        return [p.text for p in self.record.radio if p.text is not None]

    def files(self) -> dict[str, bytes]:
        """The files the program wrote (name → contents)."""
        return dict(self.record.files)

    def state(self, part: str) -> Any:
        """A part's state now, as the board protocol describes it (``state("speaker")``)."""
        return self._board.state.get(part)

    @property
    def status(self) -> str:
        """How the program ended: "running", "ok", "error", "timeout", "panic"…"""
        return "running" if self.exit is None else str(self.exit["status"])

    @property
    def error(self) -> ProgramError | None:
        """The uncaught error that ended the program, if one did."""
        if self.exit is None or self.exit["status"] != "error":
            return None
        text = self.serial()
        start = text.rfind("Traceback (most recent call last):")
        traceback = text[start:].strip() if start >= 0 else ""
        lines = [int(n) for n in re.findall(r'File "main\.py", line (\d+)', traceback)]
        last = str(self.exit.get("error") or "")
        kind, _, message = last.partition(": ")
        return ProgramError(kind, message, lines[-1] if lines else None, traceback)

    def _error_ms(self) -> float | None:
        """When the uncaught error happened (its traceback's time)."""
        if self.exit is None or self.exit["status"] != "error":
            return None
        for t, text in self.record.serial:
            if "Traceback" in text:
                return t
        return None

    # -- asserting -----------------------------------------------------------------------------
    def _context(self) -> str:
        """"After pressing button A and waiting 500 ms, " — what the test did, in words."""
        steps = [s for s in self.steps if not s.startswith("waiting")] or self.steps[-1:]
        if not steps:
            return "When the program started, "
        return f"After {' and '.join(steps[-3:])}, "

    def _crash_note(self) -> str:
        error = self.error
        if error is None:
            return ""
        return f"\n\nYour program stopped with an error: {error}"

    def assert_shows(self, expected: Any, message: str | None = None) -> None:
        """The display shows ``expected`` now (an ``Image``, image string or rows)."""
        __tracebackhide__ = True  # pytest shows the test's line, not this one
        want = as_image(expected)
        shown = self.display()
        if shown == want:
            return
        lead = message or f"{self._context()}the display should show {want.describe()}"
        raise AssertionError(f"{lead}; it showed:\n\n"
                             + side_by_side([("expected", want), ("shown", shown)])
                             + self._crash_note())

    def assert_showed(self, expected: Any, message: str | None = None) -> None:
        """The display showed ``expected`` at some time so far."""
        __tracebackhide__ = True  # pytest shows the test's line, not this one
        want = as_image(expected)
        if any(image == want for _, image in self.record.frames):
            return
        lead = message or f"{self._context()}the display should have shown {want.describe()}"
        raise AssertionError(f"{lead}, but it never did. It shows now:\n\n"
                             + side_by_side([("expected", want), ("shown", self.display())])
                             + self._crash_note())

    def assert_scrolled(self, text: str, message: str | None = None) -> None:
        """The text scrolled or shown so far, read from the LEDs, is ``text``."""
        __tracebackhide__ = True  # pytest shows the test's line, not this one
        got = self.scrolled_text()
        if got == text:
            return
        lead = message or f"{self._context()}the display should show the text {text!r}"
        seen = f"it showed {got!r}" if got else "it showed no text at all"
        raise AssertionError(f"{lead}; {seen}." + self._crash_note())

    def assert_printed(self, text: str, message: str | None = None) -> None:
        """The program printed ``text`` (somewhere in its serial output)."""
        __tracebackhide__ = True  # pytest shows the test's line, not this one
        out = self.serial()
        if text in out:
            return
        lead = message or f"{self._context()}the program should print {text!r}"
        seen = "it printed:\n\n" + _indent(out) if out.strip() else "it printed nothing"
        raise AssertionError(f"{lead}; {seen}" + self._crash_note())

    def assert_no_error(self) -> None:
        """The program hasn't stopped with an error."""
        __tracebackhide__ = True  # pytest shows the test's line, not this one
        error = self.error
        if error is not None:
            raise AssertionError(f"Your program stopped with an error: {error}\n\n"
                                 + _indent(error.traceback))


def start(program: str | Mapping[str, bytes] | None = None, *, path: Any = None,
          board: str = "v2", time_limit_ms: float | None = DEFAULT_TIME_LIMIT_MS,
          seed: int | None = 1, files: Mapping[str, bytes] | None = None,
          wall_timeout_s: float | None = None) -> TestBoard:
    """Start a board: ``start("from microbit import *...")`` (source) or ``start(path=...)``.

    ``path`` may be a ``.py`` file, a folder (its files; ``main.py`` runs) or a ``.hex``
    (V1, V2 or universal). ``files`` adds files to its filesystem. The board waits at
    time 0: act, then ``run``. ``wall_timeout_s``: real seconds a step may take before the
    board is called stuck (``BoardStuck``; default: 20 s beyond the time limit).
    """
    from ubit.testing.program import load_files

    if board not in ("v1", "v2"):
        raise ValueError(f"board {board!r}: choose 'v1' or 'v2'")
    if path is not None:
        all_files = load_files(path)
    elif isinstance(program, str):
        all_files = {"main.py": program.encode()}
    elif program is not None:
        all_files = dict(program)
    else:
        raise ValueError("give the program: its source text, or path=")
    return TestBoard({**all_files, **dict(files or {})}, board, time_limit_ms, seed,
                     wall_timeout_s=wall_timeout_s)


def _dedupe(frames: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
    """Frames with the repeats (a state sent again unchanged) left out."""
    kept: list[tuple[int, Any]] = []
    for t, frame in frames:
        if not kept or kept[-1][1] != frame:
            kept.append((t, frame))
    return kept


def _button(name: str) -> str:
    key = str(name).strip().lower().removeprefix("button_").removeprefix("button ")
    if key in ("a", "b"):
        return f"button_{key}"
    if key in ("logo", "pin_logo"):
        return "pin_logo"
    raise ValueError(f"no button {name!r}: use 'A', 'B' or 'logo'")


def _button_words(name: str) -> str:
    input_id = _button(name)
    return "the logo" if input_id == "pin_logo" else f"button {input_id[-1].upper()}"


def _pin(pin: int | str) -> str:
    if str(pin).lower() in ("logo", "pin_logo"):
        return "pin_logo"
    key = str(pin).lower().removeprefix("pin")
    if key in ("0", "1", "2"):
        return f"pin{key}"
    raise ValueError(f"no pin {pin!r} to touch or set: use 0, 1, 2 or 'logo'")


def _pin_words(pin: int | str) -> str:
    input_id = _pin(pin)
    return "the logo" if input_id == "pin_logo" else f"pin {input_id[3:]}"


def _pin_state(pin: int | str) -> str:
    key = str(pin).lower()
    return key if key.startswith("pin") else f"pin{key}"


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip().splitlines())
