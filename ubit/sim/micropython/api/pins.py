"""``microbit.pin0`` … ``pin20``, and V2's ``pin_logo`` / ``pin_speaker`` (reference §8).

Each pin is an object of its firmware class (§8.1) with that class's methods only:
``MicroBitDigitalPin``, ``MicroBitAnalogDigitalPin`` (+ ``read_analog``),
``MicroBitTouchPin`` (+ ``is_touched``; V2 + ``set_touch_mode``) and V2's
``MicroBitTouchOnlyPin`` (``is_touched``, ``set_touch_mode``). The pull constants are
the board's (V1: PULL_UP 3, PULL_DOWN 1, NO_PULL 0; V2: 0, 1, 2). Argument checks and
messages are the firmware's (V1 ones measured under QEMU); the rules live in the part.
"""

from __future__ import annotations

from collections.abc import Callable

from ubit.sim.board.board import Board
from ubit.sim.board.parts import pins as pins_part
from ubit.sim.micropython.api.buttons import instance, native
from ubit.sim.micropython.args import to_int
from ubit.sim.shared.typenames import Any

# Every pin attribute in the firmware's table order (V1 as measured by dir() under QEMU;
# V2's touch additions last); each class has those of its kind (§8.2).
ORDER = ("write_digital", "read_digital", "write_analog", "read_analog", "set_analog_period",
         "set_analog_period_microseconds", "get_analog_period_microseconds", "is_touched",
         "PULL_UP", "PULL_DOWN", "NO_PULL", "get_pull", "set_pull", "get_mode",
         "set_touch_mode", "RESISTIVE", "CAPACITIVE")
DIGITAL = frozenset(ORDER[:14]) - {"read_analog", "is_touched"}
TOUCH_V2 = frozenset({"set_touch_mode", "RESISTIVE", "CAPACITIVE"})
NAMES = {
    "digital": DIGITAL,
    "analog": DIGITAL | {"read_analog"},
    "touch": DIGITAL | {"read_analog", "is_touched"},
    "touch_only": frozenset({"is_touched"}),
}


def _implementations(board: Board, pins: pins_part.Pins) -> dict[str, Callable[..., Any]]:
    """Every pin method, working on the pin whose number is in ``self._pin``."""
    poll = board.clock.poll
    spec = board.spec

    def read_digital(self: Any) -> int:
        """0 or 1; the pin becomes a digital input (a button pin stays a button)."""
        poll()
        return pins.read_digital(self._pin)

    def write_digital(self: Any, value: Any) -> None:
        """Drive the pin low (0) or high (1)."""
        value = to_int(value)
        if value >> 1:
            raise ValueError("value must be 0 or 1")
        poll()
        pins.write_digital(self._pin, value)

    def write_analog(self: Any, value: Any) -> None:
        """PWM output with duty value/1023 (0–1023; floats round half up)."""
        number = int(value + 0.5) if isinstance(value, float) else to_int(value)
        if not 0 <= number <= pins_part.ANALOG_MAX:
            raise ValueError("value must be between 0 and 1023")
        poll()
        pins.write_analog(self._pin, number)

    def read_analog(self: Any) -> int:
        """The voltage on the pin, 0–1023."""
        poll()
        return pins.read_analog(self._pin)

    def set_period(pin: int, period_us: int) -> None:
        poll()
        if not pins.set_period_us(pin, period_us):
            raise ValueError("invalid period")

    def set_analog_period(self: Any, period: Any) -> None:
        """The PWM period in milliseconds."""
        set_period(self._pin, to_int(period) * 1000)

    def set_analog_period_microseconds(self: Any, period: Any) -> None:
        """The PWM period in microseconds."""
        set_period(self._pin, to_int(period))

    def get_analog_period_microseconds(self: Any) -> int:
        """The PWM period in microseconds (V2: -1 unless the pin is a PWM output)."""
        poll()
        return pins.get_period_us(self._pin)

    def set_pull(self: Any, value: Any) -> None:
        """Make the pin a digital input with pull PULL_UP, PULL_DOWN or NO_PULL."""
        value = to_int(value)
        poll()
        # V1 checks the value (§8.2); V2's HAL stores whatever it is given.
        if spec.pull_checked and value not in (spec.pull_up, spec.pull_down, spec.no_pull):
            raise ValueError("invalid pull")
        pins.set_pull(self._pin, value)

    def get_pull(self: Any) -> int:
        """The pin's pull (only while it is a digital input or a button)."""
        poll()
        return pins.get_pull(self._pin)

    def get_mode(self: Any) -> str:
        """What the pin is used for now, e.g. 'unused', 'display', 'write_analog'."""
        poll()
        return pins.mode_of(self._pin)

    def is_touched(self: Any) -> bool:
        """Whether a finger is on the pin; the pin becomes a touch input."""
        poll()
        return pins.is_touched(self._pin)

    def set_touch_mode(self: Any, value: Any) -> None:
        """RESISTIVE (0) or CAPACITIVE (1) touch sensing; the pin becomes a touch input."""
        value = to_int(value)
        poll()
        pins.set_touch_mode(self._pin, value)

    return {fn.__name__: fn for fn in (
        read_digital, write_digital, write_analog, read_analog, set_analog_period,
        set_analog_period_microseconds, get_analog_period_microseconds, set_pull, get_pull,
        get_mode, is_touched, set_touch_mode)}


def pin_classes(board: Board, pins: pins_part.Pins) -> dict[str, type]:
    """The board's pin classes, by kind of pin, as the firmware defines them."""
    impl = _implementations(board, pins)
    spec = board.spec
    attributes: dict[str, Any] = {
        **impl, "PULL_UP": spec.pull_up, "PULL_DOWN": spec.pull_down, "NO_PULL": spec.no_pull,
        "RESISTIVE": pins_part.TOUCH_RESISTIVE, "CAPACITIVE": pins_part.TOUCH_CAPACITIVE}
    classes = {}
    for kind, names in NAMES.items():
        if kind == "touch_only" and not spec.touch_logo:
            continue
        if spec.touch_modes and kind in ("touch", "touch_only"):
            names = names | TOUCH_V2
        name = pins_part.CLASS_NAMES[kind]
        namespace: dict[str, Any] = {"__slots__": ("_pin",), "__doc__": f"A pin (type {name})."}
        namespace.update((attr, attributes[attr]) for attr in ORDER if attr in names)
        classes[kind] = native(name)(type(name, (), namespace))
    return classes


def contribute(board: Board, ns: dict[str, Any]) -> None:
    """Add the pin objects."""
    pins = pins_part.of(board)
    classes = pin_classes(board, pins)
    for info in pins.table:
        ns[info.name] = instance(classes[info.kind], _pin=info.number)
