"""What a person does to a board, for any front end: taps, latches, tilts, gestures, steps.

The terminal view, the browser editor and scripted tests all need the same rules on
top of the board protocol: a tapped button stays down a moment and comes back up; a
latched one stays down until latched again; tilting keeps the pull of gravity at 1 g;
a sensor steps by its ``nudge`` and stays in its range. The controller takes all of
that from the board's ``ready`` description — which inputs exist, their kinds,
ranges and steps — so it holds no table of its own: a board without a logo has no
logo to tap, and a new sensor gets its steps by being described.

It keeps the board's state as the messages tell it (``on_message``, from any thread),
and shows an input it set at once, before the board confirms it.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping

from ubit.sim.shared import protocol
from ubit.sim.shared.protocol import Message
from ubit.sim.shared.typenames import Any

TAP_S = 0.25  # how long a tapped button or pin stays down
GRAVITY_MG = 1024  # what the accelerometer reads lying still: 1 g
TILT_INPUT = "accelerometer"  # the VECTOR input that sets the axes at one instant


class Controller:
    """One board's controls, driven by its description; ``board`` is who inputs go to."""

    def __init__(self, board: Any = None) -> None:
        self.board = board  # anything with set / reset / interrupt / write_serial
        self.inputs: dict[str, dict[str, Any]] = {}  # id -> description, once ready
        self.label = ""
        self.state: dict[str, Any] = {}
        self.lock = threading.Lock()  # messages arrive on the board's control thread
        self.dirty = True  # something changed since the last ``snapshot``
        self.holds: dict[str, float] = {}  # tapped input -> when to let go
        self.latched: set[str] = set()

    # -- what the board says ---------------------------------------------------------------
    def on_message(self, message: Message) -> None:
        """Keep up with the board (a board listener: ``VirtualBoard.listen``)."""
        kind = message["kind"]
        with self.lock:
            if kind == protocol.READY:
                self.inputs = {spec["id"]: spec for spec in message["inputs"]}
                self.label = message["board"]["label"]
                self.state = dict(message["state"])
            elif kind == protocol.RESET:  # parts start afresh, and nothing is held
                self.state = dict(message["state"])
                self.holds.clear()
                self.latched.clear()
            elif kind == protocol.STATE:
                self.state[message["part"]] = message["value"]
            else:
                return
            self.dirty = True

    def snapshot(self) -> dict[str, Any]:
        """A copy of the state to draw from."""
        with self.lock:
            self.dirty = False
            return dict(self.state)

    def has(self, input_id: str) -> bool:
        """Whether the board has this input."""
        return input_id in self.inputs

    # -- switches: buttons, pins, the logo ----------------------------------------------------
    def tap(self, input_id: str, now: float) -> bool:
        """Press (or touch) it now and let go ``TAP_S`` later; again meanwhile: held longer."""
        if not self._switch(input_id) or input_id in self.latched:
            return False
        if input_id not in self.holds:
            self._set(input_id, True)
        self.holds[input_id] = now + TAP_S
        return True

    def latch(self, input_id: str) -> bool:
        """Hold it down until latched again (then let go)."""
        if not self._switch(input_id):
            return False
        self.holds.pop(input_id, None)
        if input_id in self.latched:
            self.latched.discard(input_id)
            self._set(input_id, False)
        else:
            self.latched.add(input_id)
            self._set(input_id, True)
        return True

    def release_due(self, now: float) -> None:
        """Let go of tapped inputs whose time is up."""
        for input_id, until in list(self.holds.items()):
            if until <= now:
                del self.holds[input_id]
                self._set(input_id, False)

    def _switch(self, input_id: str) -> bool:
        spec = self.inputs.get(input_id)
        return spec is not None and spec["kind"] in (protocol.SWITCH, protocol.PIN)

    # -- sensors -------------------------------------------------------------------------------
    def step(self, input_id: str, steps: int) -> bool:
        """Change a sensor by ``steps`` of its nudge, kept in its range."""
        spec = self.inputs.get(input_id)
        if spec is None or spec["kind"] != protocol.RANGE:
            return False
        with self.lock:
            current = _number(self.state.get(input_id), spec["default"])
        value = _clamp(spec, round(current) + steps * spec.get("nudge", 1))
        self._set(input_id, int(value) if float(value).is_integer() else value)
        return True

    def tilt(self, dx: int, dy: int) -> bool:
        """Tilt by ``dx``/``dy`` nudges on x/y, z following so the pull stays 1 g."""
        spec = self.inputs.get(TILT_INPUT)
        if spec is None:
            return False
        with self.lock:
            x, y, z = self._axes(spec)
        nudge = spec.get("nudge", 1)
        return self._tilt_to(spec, _clamp(spec, x + dx * nudge), _clamp(spec, y + dy * nudge), z)

    def level(self) -> bool:
        """Lay the board flat again (x and y 0), on the side it lay on."""
        spec = self.inputs.get(TILT_INPUT)
        if spec is None:
            return False
        with self.lock:
            z = self._axes(spec)[2]
        return self._tilt_to(spec, 0, 0, z)

    def _axes(self, spec: Mapping[str, Any]) -> tuple[float, float, float]:
        defaults = spec["default"]
        return tuple(_number(self.state.get(part), defaults[axis])  # type: ignore[return-value]
                     for axis, part in zip(spec["axes"], spec["of"], strict=True))

    def _tilt_to(self, spec: Mapping[str, Any], x: float, y: float, was_z: float) -> bool:
        z = math.copysign(round(math.sqrt(max(0.0, GRAVITY_MG ** 2 - x * x - y * y))),
                          was_z or -1)
        value = {"x": int(x), "y": int(y), "z": int(z)}
        self.board.set(TILT_INPUT, value)
        with self.lock:
            for axis, part in zip(spec["axes"], spec["of"], strict=True):
                self.state[part] = value[axis]
            self.dirty = True
        return True

    # -- events and buttons on the board itself -------------------------------------------------
    def gesture(self, name: str) -> bool:
        """Perform a gesture now, if the board knows it."""
        spec = self.inputs.get("gesture")
        if spec is None or name not in spec.get("choices", ()):
            return False
        self.board.set("gesture", name)
        return True

    def reset(self) -> None:
        """Press the board's reset button."""
        self.board.reset()

    def _set(self, input_id: str, value: Any) -> None:
        """Send an input, and show it at once."""
        self.board.set(input_id, value)
        with self.lock:
            old = self.state.get(input_id)
            if isinstance(old, dict) and "touched" in old:  # a pin: its state shows the touch
                value = {**old, "touched": value}
            self.state[input_id] = value
            self.dirty = True


def _number(value: Any, default: float) -> float:
    return value if isinstance(value, int | float) and math.isfinite(value) else default


def _clamp(spec: Mapping[str, Any], value: float) -> float:
    return max(spec["min"], min(spec["max"], value))
