"""Scripts of timed inputs: "at 2000 ms press A", one per line.

Lines (times in milliseconds of board time; ``#`` starts a comment):

    2000 press A          buttons: A, B (held until released)
    2500 release A
    3000 touch logo       pins: logo, 0, 1, 2 (held until released with 'untouch')
    3500 untouch logo
    4000 set temperature 30    any sensor: temperature, light, sound, x, y, z (tilt, mg),
                               heading, or a part id such as compass_x
    5000 gesture shake
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ubit.errors import UsageError


class ScriptedInput(NamedTuple):
    """One line of a script: at ``at_ms`` of board time, set ``input`` to ``value``."""

    at_ms: float
    input: str
    value: Any
    line: int  # where it is in the script, for errors the board reports later


_BUTTONS = {"a": "button_a", "b": "button_b"}
_PINS = {"logo": "pin_logo", "0": "pin0", "1": "pin1", "2": "pin2"}
# Short names for the sensors people set most (the input ids: docs/board-protocol.md).
_SENSORS = {"x": "accelerometer_x", "y": "accelerometer_y", "z": "accelerometer_z",
            "heading": "compass_heading"}


def parse_inputs(text: str, source: str = "inputs") -> list[ScriptedInput]:
    """The inputs of a script, in time order; errors name the line.

    Only the words are checked here; whether the board has the input and takes the
    value is the board's to say (its ``error`` names the index, ``line`` the line).
    """
    entries: list[ScriptedInput] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        try:
            at = float(words[0].removesuffix("ms"))
        except ValueError:
            raise UsageError(f"{source}: line {number}: starts with {words[0]!r}, "
                             "not a time in ms") from None
        entries.append(ScriptedInput(at, *_action(words[1:], f"{source}: line {number}"),
                                     number))
    return sorted(entries, key=lambda e: e.at_ms)


def _action(words: list[str], where: str) -> tuple[str, Any]:
    verb = words[0].lower() if words else ""
    arg = words[1].lower() if len(words) > 1 else ""
    if verb in ("press", "release") and arg in _BUTTONS:
        return _BUTTONS[arg], verb == "press"
    if verb in ("touch", "untouch") and arg in _PINS:
        return _PINS[arg], verb == "touch"
    if verb == "gesture" and len(words) > 1:
        return "gesture", " ".join(words[1:]).lower()
    if verb == "set" and len(words) == 3:
        try:
            number = float(words[2])
        except ValueError:
            raise UsageError(f"{where}: {words[2]!r} is not a number") from None
        return _SENSORS.get(arg, arg), int(number) if number.is_integer() else number
    raise UsageError(f"{where}: can't read {' '.join(words)!r}; expected e.g. 'press A', "
                     "'release B', 'touch logo', 'set temperature 30', 'gesture shake'")
