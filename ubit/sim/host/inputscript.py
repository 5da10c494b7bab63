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

import math
from collections import namedtuple

from ubit.errors import UsageError
from ubit.sim.shared.typenames import Any


# A namedtuple, not typing.NamedTuple: typing costs `ubit run` milliseconds (issue 17).
class ScriptedInput(namedtuple("ScriptedInput", "at_ms input value line")):
    """One line of a script: at ``at_ms`` of board time, set ``input`` to ``value``."""

    __slots__ = ()
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

    The words are checked here (the verbs, button, pin and gesture names, nothing
    left over, times that are finite and not negative, values that are finite
    numbers); whether the board has the input and takes the value is the board's to
    say (its ``error`` names the index, ``line`` the line).
    """
    entries: list[ScriptedInput] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        where = f"{source}: line {number}"
        entries.append(ScriptedInput(_time(words[0], where), *_action(words[1:], where),
                                     number))
    return sorted(entries, key=lambda e: e.at_ms)


def _time(word: str, where: str) -> float:
    """A line's time in ms: a finite number, not negative (``2000`` or ``2000ms``)."""
    try:
        at = float(word.removesuffix("ms"))
    except ValueError:
        raise UsageError(f"{where}: starts with {word!r}, not a time in ms") from None
    if not math.isfinite(at) or at < 0:
        raise UsageError(f"{where}: {word!r} is not a time: give the ms of board time, "
                         "0 or more")
    return at


def _number(word: str, where: str) -> float:
    """A value to set: a finite number (what range it must be in is the board's to say)."""
    try:
        number = float(word)
    except ValueError:
        raise UsageError(f"{where}: {word!r} is not a number") from None
    if not math.isfinite(number):
        raise UsageError(f"{where}: {word!r} is not a finite number")
    return int(number) if number.is_integer() else number


def _action(words: list[str], where: str) -> tuple[str, Any]:
    verb = words[0].lower() if words else ""
    arg = words[1].lower() if len(words) > 1 else ""
    if verb in ("press", "release") and arg in _BUTTONS:
        _no_more(words, 2, where)
        return _BUTTONS[arg], verb == "press"
    if verb in ("touch", "untouch") and arg in _PINS:
        _no_more(words, 2, where)
        return _PINS[arg], verb == "touch"
    if verb == "gesture" and len(words) > 1:
        return "gesture", _gesture(words[1:], where)
    if verb == "set" and len(words) >= 3:
        _no_more(words, 3, where)
        return _SENSORS.get(arg, arg), _number(words[2], where)
    raise UsageError(f"{where}: can't read {' '.join(words)!r}; expected e.g. 'press A', "
                     "'release B', 'touch logo', 'set temperature 30', 'gesture shake'")


def _no_more(words: list[str], count: int, where: str) -> None:
    """Refuse words after a complete input ("100 press A now")."""
    if len(words) > count:
        raise UsageError(f"{where}: {' '.join(words[count:])!r} after "
                         f"'{' '.join(words[:count])}': one input per line")


def _gesture(words: list[str], where: str) -> str:
    """A gesture's name, one the accelerometer knows (whether this board does is its to say)."""
    from ubit.sim.shared.boards import BOARDS

    name = " ".join(words).lower()
    known = list(dict.fromkeys(g for spec in BOARDS.values() for g in spec.gestures))
    if name not in known:
        raise UsageError(f"{where}: {' '.join(words)!r} is not a gesture; the gestures are "
                         f"{', '.join(known)}")
    return name
