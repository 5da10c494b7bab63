"""The edge connector's pins: modes and who owns them, levels, pulls, PWM and touch (§8).

Every use of a pin puts it in a *mode*; a pin in ``display``, ``button``, ``i2c`` or
``spi`` mode (and ``music`` on V1, ``music``/``audio`` on V2 while sound plays) can't
be taken: ``ValueError: Pin N in <mode> mode`` (§8.3). Other areas claim pins through
``acquire(pin, mode)`` / ``release(pin)`` (display.off() frees its pins, music takes one).

What a read sees (a board alone on a desk): a pin touched by the host reads low; an
analog level the host set reads as that level; otherwise the pull decides, and pins
0–2 float high through their external 10 MΩ pull-ups (§8.2). Buttons A/B (pins 5, 11)
read low while held.

Host input: ``pin0``, ``pin1``, ``pin2``, ``pin_logo`` (V2) → True/False (touched), or a
number 0–1023 (an analog level on the pin; None removes it). Published: ``pinN`` →
``{"mode": str, "value": int | None, "touched": bool}``; ``value`` is what the program
drives (0/1 digital, 0–1023 PWM duty) and None when the pin is not an output.
"""

from __future__ import annotations

import threading
from collections import namedtuple
from collections.abc import Callable

from ubit.sim.board.parts import buttons as buttons_part
from ubit.sim.board.parts.base import Part, Publish
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.protocol import PIN, SWITCH, InputSpec, PartSpec
from ubit.sim.shared.typenames import Any

MODES = ("unused", "write_analog", "read_digital", "write_digital", "display", "button",
         "music", "audio", "touch", "i2c", "spi")
LOCKED = frozenset({"display", "button", "i2c", "spi"})  # never released on request (§8.3)
OUTPUTS = frozenset({"write_digital", "write_analog"})

# Classes as the firmware names them (§8.1), by the kind of pin.
CLASS_NAMES = {"digital": "MicroBitDigitalPin", "analog": "MicroBitAnalogDigitalPin",
               "touch": "MicroBitTouchPin", "touch_only": "MicroBitTouchOnlyPin"}

_ANALOG_PINS = (3, 4, 10)
_TOUCH_PINS = (0, 1, 2)
_FLOATING_HIGH = frozenset(_TOUCH_PINS)  # external 10 MΩ pull-ups on the big pads (§8.2)
_BUTTON_PINS = {5: "a", 11: "b"}
LOGO, SPEAKER = 30, 31  # their numbers inside the firmware (and in error messages)

# PWM period limits (§8.2): 256 µs … 1 s, which V1 keeps in 16 µs ticks, one for all pins.
# V2's limits are CODAL's and not in the sources (§34): the documented ones are used.
PERIOD_MIN_US, PERIOD_MAX_US, V1_PERIOD_TICK_US = 256, 1_000_000, 16
DEFAULT_PERIOD_US = 20_000
TOUCH_RESISTIVE, TOUCH_CAPACITIVE = 0, 1
ANALOG_MAX = 1023


# kind: digital | analog | touch | touch_only. A namedtuple, not typing.NamedTuple: typing
# would cost every board its import (issue 17).
class PinInfo(namedtuple("PinInfo", "name number kind initial")):
    """One pin object: its name in ``microbit``, number, kind and mode at start."""

    __slots__ = ()
    name: str
    number: int
    kind: str
    initial: str


def pin_table(spec: BoardSpec) -> tuple[PinInfo, ...]:
    """The pin objects of a board (§8.1): pin0–pin16, pin19, pin20, V2's logo and speaker."""
    display = spec.display_pins
    pins = []
    for number in (*range(17), 19, 20):
        kind = ("touch" if number in _TOUCH_PINS else
                "analog" if number in _ANALOG_PINS else "digital")
        initial = ("display" if number in display else "button" if number in _BUTTON_PINS
                   else "i2c" if number in (19, 20) else "unused")
        pins.append(PinInfo(f"pin{number}", number, kind, initial))
    if spec.touch_logo:
        pins.append(PinInfo("pin_logo", LOGO, "touch_only", "unused"))
    if spec.has("speaker"):
        pins.append(PinInfo("pin_speaker", SPEAKER, "digital", "unused"))
    return tuple(pins)


class PinState:
    """What one pin is doing now."""

    __slots__ = ("info", "mode", "value", "pull", "pull_chosen", "touched", "level",
                 "period_us", "touch_mode", "playing")

    def __init__(self, info: PinInfo, pull: int) -> None:
        self.info = info
        self.mode = info.initial
        self.value: int | None = None  # driven output (0/1 or PWM duty)
        self.pull = pull  # what get_pull() reports
        self.pull_chosen = False  # set_pull() was called
        self.touched = False
        self.level: int | None = None  # analog level the host applied (0–1023)
        self.period_us: int | None = None  # V2: PWM period while the pin is a PWM output
        self.touch_mode = TOUCH_CAPACITIVE if info.number == LOGO else TOUCH_RESISTIVE
        self.playing = False  # music/audio is sounding on it (V2 locks the pin meanwhile)

    def snapshot(self) -> dict[str, Any]:
        """The state the host sees."""
        return {"mode": self.mode, "value": self.value, "touched": self.touched}


class Pins(Part):
    """All pins of one board, with the firmware's rules for modes, pulls and PWM."""

    part_id = "pins"

    def __init__(self, spec: BoardSpec, publish: Publish | None = None) -> None:
        super().__init__(publish)
        self.spec = spec
        self.table = pin_table(spec)
        # V1 reads pulls back from the GPIO, so its button pins report their pull-up
        # (measured under QEMU); V2's HAL remembers what was set and starts at 0.
        self._pins = {info.number: PinState(info, spec.pull_up if spec.pulls_from_hardware
                                            and info.initial == "button" else 0)
                      for info in self.table}
        self._by_name = {info.name: info.number for info in self.table}
        self.period_us = DEFAULT_PERIOD_US  # V1: one PWM period for every pin
        self.drivers: dict[int, Callable[[], int]] = {}  # pins something else drives (buttons)
        self._lock = threading.RLock()

    # -- looking pins up -------------------------------------------------------------------
    def state(self, pin: int | str) -> PinState:
        """The state of a pin given by number (30 = logo) or name ("pin0", "pin_logo")."""
        number = self._by_name[pin] if isinstance(pin, str) else pin
        return self._pins[number]

    def mode_of(self, pin: int | str) -> str:
        """The pin's current mode."""
        return self.state(pin).mode

    # -- modes -----------------------------------------------------------------------------
    def can_release(self, pin: int | str) -> bool:
        """Whether the pin's current mode lets another use take it."""
        state = self.state(pin)
        if state.mode in LOCKED:
            return False
        if state.mode == "music":
            return not (self.spec.music_pin_held or state.playing)
        if state.mode == "audio":
            return not state.playing
        return True

    def error(self, pin: int | str) -> ValueError:
        """The firmware's error for a pin whose mode forbids what was asked."""
        state = self.state(pin)
        return ValueError(f"Pin {state.info.number} in {state.mode} mode")

    def acquire(self, pin: int | str, mode: str, force: bool = False) -> bool:
        """Put the pin in ``mode``; True if the mode changed (§8.3).

        Raises ``ValueError: Pin N in <mode> mode`` if the current mode can't be
        released, unless ``force`` (the owner re-claiming it, e.g. ``display.on()``).
        ``read_digital`` on a button pin keeps ``button`` mode.
        """
        with self._lock:
            state = self.state(pin)
            changed = self._take(state, mode, force)
        if changed:
            self._publish(state)
        return changed

    def _take(self, state: PinState, mode: str, force: bool = False) -> bool:
        """Change the mode without publishing (the caller publishes the whole change)."""
        if state.mode == mode or (state.mode == "button" and mode == "read_digital"):
            return False
        if not force and not self.can_release(state.info.number):
            raise self.error(state.info.number)
        state.mode = mode
        state.playing = False
        if mode not in OUTPUTS:
            state.value = None
        if mode == "read_digital" and self.spec.pulls_from_hardware:
            state.pull = self.spec.pull_down  # V1 configures a pull-down on entry
        return True

    def release(self, pin: int | str, mode: str | None = None) -> None:
        """Free the pin (mode ``unused``); with ``mode``, only if it is in that mode."""
        with self._lock:
            state = self.state(pin)
            if mode is not None and state.mode != mode:
                return
            state.mode, state.value, state.playing = "unused", None, False
        self._publish(state)

    def set_playing(self, pin: int | str, playing: bool) -> None:
        """Music/audio started or stopped sounding on the pin (V2 locks it meanwhile)."""
        self.state(pin).playing = playing

    # -- digital ---------------------------------------------------------------------------
    def read_digital(self, pin: int | str) -> int:
        """``read_digital()``: 0 or 1 (the pin becomes an input unless it is a button)."""
        self.acquire(pin, "read_digital")
        state = self.state(pin)
        state.period_us = None
        return self.level_of(state)

    def level_of(self, state: PinState) -> int:
        """The logic level an input sees on the pin now."""
        driver = self.drivers.get(state.info.number)
        if driver is not None:
            return driver()
        if state.touched:
            return 0  # a finger connects the pad to GND (V1: "touched" = low)
        if state.level is not None:
            return 1 if state.level >= 512 else 0
        # V2's HAL reports 0 (its PULL_UP) until set_pull(), but CODAL's pin is pulled down.
        spec = self.spec
        pull = state.pull if spec.pulls_from_hardware or state.pull_chosen else spec.pull_down
        if pull == self.spec.pull_up:
            return 1
        if pull == self.spec.pull_down:
            return 0
        return 1 if state.info.number in _FLOATING_HIGH else 0

    def write_digital(self, pin: int | str, value: int) -> None:
        """``write_digital(value)`` with value 0 or 1 (checked by the caller)."""
        self._drive(pin, "write_digital", value)

    def set_pull(self, pin: int | str, pull: int) -> None:
        """``set_pull()``: the pin becomes a digital input with that pull."""
        self.acquire(pin, "read_digital")
        with self._lock:
            state = self.state(pin)
            state.pull = pull
            state.pull_chosen = True

    def get_pull(self, pin: int | str) -> int:
        """``get_pull()``; only in read_digital or button mode."""
        state = self.state(pin)
        if state.mode not in ("read_digital", "button"):
            raise self.error(pin)
        return state.pull

    # -- analog ----------------------------------------------------------------------------
    def read_analog(self, pin: int | str) -> int:
        """``read_analog()``: 0–1023; the pin goes back to ``unused``."""
        self.acquire(pin, "unused")
        state = self.state(pin)
        state.period_us = None
        if state.touched:
            return 0
        return state.level if state.level is not None else 0

    def write_analog(self, pin: int | str, value: int) -> None:
        """``write_analog(value)`` with 0–1023; 0 puts the pin back in ``unused`` (§8.2)."""
        self._drive(pin, "write_analog", value)
        if value == 0:
            self.acquire(pin, "unused")

    def set_period_us(self, pin: int | str, period_us: int) -> bool:
        """Set the PWM period; False if it is out of range (``invalid period``)."""
        if not PERIOD_MIN_US <= period_us <= PERIOD_MAX_US:
            return False
        state = self.state(pin)
        if self.spec.pwm_period_shared:
            self.period_us = period_us // V1_PERIOD_TICK_US * V1_PERIOD_TICK_US
        else:
            state.period_us = period_us  # CODAL makes the pin a PWM output (duty 0) if needed
        return True

    def get_period_us(self, pin: int | str) -> int:
        """The PWM period in µs; on V2 −1 unless the pin is a PWM output."""
        if self.spec.pwm_period_shared:
            return self.period_us
        period = self.state(pin).period_us
        return -1 if period is None else period

    # -- touch -----------------------------------------------------------------------------
    def is_touched(self, pin: int | str) -> bool:
        """``is_touched()``: the pin becomes a touch input unless it is one (or a button)."""
        state = self.state(pin)
        if state.mode not in ("touch", "button"):
            self.acquire(pin, "touch")
            state.period_us = None
        return state.touched

    def set_touch_mode(self, pin: int | str, touch_mode: int) -> None:
        """V2 ``set_touch_mode()``: RESISTIVE or CAPACITIVE; the pin becomes a touch input."""
        state = self.state(pin)
        if state.mode not in ("touch", "button"):
            self.acquire(pin, "touch")
        state.touch_mode = touch_mode

    # -- the host's side -------------------------------------------------------------------
    def set_input(self, pin: int | str, value: Any) -> None:
        """Host input: True/False touches the pin, a number applies an analog level."""
        state = self.state(pin)
        if not isinstance(value, bool):  # a level is what the program reads, not pin state
            state.level = None if value is None else max(0, min(ANALOG_MAX, round(float(value))))
            return
        with self._lock:
            if state.touched == value:
                return
            state.touched = value
        self._publish(state)

    def snapshot(self) -> dict[str, Any]:
        """Every pin's state: ``{"mode", "value", "touched"}`` by its name."""
        with self._lock:
            return {state.info.name: state.snapshot() for state in self._pins.values()}

    def _drive(self, pin: int | str, mode: str, value: int) -> None:
        """Make the pin an output in ``mode`` driving ``value``; publish once."""
        with self._lock:
            state = self.state(pin)
            changed = self._take(state, mode)
            if mode == "write_analog":
                if state.period_us is None:
                    state.period_us = DEFAULT_PERIOD_US  # CODAL's default PWM period
            else:
                state.period_us = None
            changed = changed or state.value != value
            state.value = value
        if changed:
            self._publish(state)

    def _publish(self, state: PinState) -> None:
        self.changed(state.snapshot(), state.info.name)


def pin_inputs(spec: BoardSpec) -> tuple[InputSpec, ...]:
    """What the host can do to the pins: touch 0-2 or give them a level; touch the logo."""
    inputs = []
    for info in pin_table(spec):
        if info.kind == "touch":
            inputs.append(InputSpec(info.name, PIN, f"Pin {info.number}", False, 0, ANALOG_MAX,
                                    1, 64))
        elif info.kind == "touch_only":
            inputs.append(InputSpec(info.name, SWITCH, "Logo", False))
    return tuple(inputs)


def describe(spec: BoardSpec) -> PartSpec:
    """The pins, as the board's description gives them."""
    return PartSpec("pins", "Pins", state=tuple(info.name for info in pin_table(spec)),
                    inputs=pin_inputs(spec))


def of(board: Any) -> Pins:
    """The board's pins, wired to the host's input (buttons A and B drive their pins)."""

    def make() -> Pins:
        pins = Pins(board.spec, board.publish)
        buttons = buttons_part.of(board)
        for number, which in _BUTTON_PINS.items():
            button = getattr(buttons, which)
            pins.drivers[number] = lambda b=button: 0 if b.held else 1  # active low
        for spec in pin_inputs(board.spec):
            board.inputs.add("pins", spec, lambda v, name=spec.id: pins.set_input(name, v))
        return pins

    return board.part("pins", make)
