"""The accelerometer: x/y/z in milli-g, the range, and gestures with their history (§9).

Gestures come from the values as the firmware's recogniser decides them (thresholds of
microbit-dal/codal ``instantaneousPosture``): freefall below 400 mg in total, then
left/right (x beyond ∓800 mg), down/up (y beyond ∓800), face up/down (z beyond ∓800);
impulses 2g (V2)/3g/6g/8g when the total passes 2048/3072/6144/8192 mg. As the docs
say, they are only brought up to date when an accelerometer method is called, so
values the host sets at one instant (x, then y, then z) never pass through a
gesture in between. The firmware's 100 ms of low-pass filtering is left out: a new
posture counts at the next call.

The host can also *perform* a gesture (input ``gesture``): postures move the values
there; impulses (shake, 2g…8g) happen at once. A shake is the current gesture for one
20 ms sample on V2 (CODAL), then the posture is current (and recorded) again; on V1
the shake is only an event (the DAL never makes it current).

History: a flag per gesture (``was_gesture``) and a list of at most 16 events, oldest
first; when it is full newer events are dropped; ``get_gestures()`` and every
``was_gesture()`` empty it (§9).

Host input: ``accelerometer_x``/``_y``/``_z`` (mg), ``accelerometer`` ({x, y, z}),
``gesture`` (a name). Published: the same axis ids → int, ``gesture`` → current name.
"""

from __future__ import annotations

import math
import threading

from ubit.sim.board.clock import Clock
from ubit.sim.board.parts.base import Part, Publish
from ubit.sim.shared.boards import BoardSpec
from ubit.sim.shared.protocol import EVENT, VECTOR, InputSpec, PartSpec, range_input
from ubit.sim.shared.typenames import Any

AXES = ("accelerometer_x", "accelerometer_y", "accelerometer_z")
REST = (0, 0, -1024)  # lying face up on a desk: 1 g on the z axis
# All gesture names (V2's event order, §9); V1 lacks "2g" (board spec ``gestures``).
GESTURES = ("up", "down", "left", "right", "face up", "face down", "freefall", "3g", "6g",
            "8g", "shake", "2g")

LIMIT_MG = 8000  # what the host may set: the largest range, 8 g (the part clamps to its own)
AXIS_INPUTS = tuple(range_input(axis, f"Acceleration {axis[-1]}", -LIMIT_MG, LIMIT_MG, rest,
                                "mg", nudge=256) for axis, rest in zip(AXES, REST, strict=True))
TILT = InputSpec("accelerometer", VECTOR, "Acceleration (x, y, z at once)",
                 dict(zip("xyz", REST, strict=True)), -LIMIT_MG, LIMIT_MG, 1, 256, "mg",
                 axes=("x", "y", "z"), of=AXES)

TILT_MG = 800  # 1000 - the recogniser's 200 mg tilt tolerance
FREEFALL_MG = 400
IMPULSES = (("2g", 2048), ("3g", 3072), ("6g", 6144), ("8g", 8192))
HISTORY_SIZE = 16
SAMPLE_US = 20_000  # the accelerometer's 50 Hz sample period
RANGES = (2, 4, 8)  # g; the nearest supported range at or above the request is used
# Values a performed posture moves the board to.
POSTURES = {"up": (0, 1024, 0), "down": (0, -1024, 0), "left": (-1024, 0, 0),
            "right": (1024, 0, 0), "face up": (0, 0, -1024), "face down": (0, 0, 1024),
            "freefall": (0, 0, 0)}


def posture_of(x: int, y: int, z: int) -> str:
    """The posture the recogniser sees in one sample ('' for none)."""
    if x * x + y * y + z * z < FREEFALL_MG * FREEFALL_MG:
        return "freefall"
    for value, low, high in ((x, "left", "right"), (y, "down", "up"), (z, "face up",
                                                                          "face down")):
        if value < -TILT_MG:
            return low
        if value > TILT_MG:
            return high
    return ""


class Accelerometer(Part):
    """Acceleration on three axes, the range, and the gesture recogniser's state."""

    part_id = "accelerometer"

    def __init__(self, spec: BoardSpec, clock: Clock, publish: Publish | None = None) -> None:
        super().__init__(publish)
        self.clock = clock
        self.gestures = spec.gestures  # the names this board knows
        self.shake_is_current = spec.shake_is_current
        self.values = list(REST)
        self.range_g = 2
        self.current = posture_of(*REST)
        self._flags: set[str] = set()
        self._history: list[str] = []
        self._impulses: set[str] = set()  # thresholds the total is above now
        self._shake_until: int | None = None
        self._lock = threading.RLock()

    # -- the host's side -------------------------------------------------------------------
    def set_axis(self, axis: int, value: float) -> None:
        """Host input: one axis in mg (kept within the range)."""
        with self._lock:
            self._store(axis, value)

    def set_values(self, value: dict[str, float]) -> None:
        """Host input: some of the axes at one instant, as {"x": mg, "y": mg, "z": mg}."""
        with self._lock:
            for axis, name in enumerate("xyz"):
                if name in value:
                    self._store(axis, value[name])

    def perform(self, name: Any) -> None:
        """Host input: the gesture ``name`` happens now."""
        name = str(name).strip().lower()
        if name not in self.gestures:
            return  # "none", or a gesture this board doesn't know (2g on V1)
        with self._lock:
            if name in POSTURES:
                for axis, number in enumerate(POSTURES[name]):
                    self._store(axis, number)
                self.update()
                return
            self._record(name)
            if name == "shake" and self.shake_is_current:
                self._shake_until = self.clock.now_us() + SAMPLE_US
                self._set_current("shake")

    def _store(self, axis: int, value: float) -> None:
        limit = 1000 * self.range_g
        number = max(-limit, min(limit, round(float(value))))
        if self.values[axis] != number:
            self.values[axis] = number
            self.changed(number, AXES[axis])

    # -- the recogniser --------------------------------------------------------------------
    def update(self) -> None:
        """Bring the gestures up to date with the values (on each accelerometer call)."""
        with self._lock:
            x, y, z = self.values
            total = x * x + y * y + z * z
            for name, limit in IMPULSES:
                if name not in self.gestures:
                    continue
                if total > limit * limit:
                    if name not in self._impulses:
                        self._impulses.add(name)
                        self._record(name)
                else:
                    self._impulses.discard(name)
            if self._shake_until is not None:
                if self.clock.now_us() < self._shake_until:
                    return
                self._shake_until = None
            posture = posture_of(x, y, z)
            if posture != self.current:
                if posture:
                    self._record(posture)
                self._set_current(posture)

    def _record(self, name: str) -> None:
        self._flags.add(name)
        if len(self._history) < HISTORY_SIZE:
            self._history.append(name)

    def _set_current(self, name: str) -> None:
        if name != self.current:
            self.current = name
            self.changed(name or "none", "gesture")

    # -- what the program asks -------------------------------------------------------------
    def is_gesture(self, name: str) -> bool:
        """Whether ``name`` is the current gesture ('' = none)."""
        self.update()
        return self.current == name

    def was_gesture(self, name: str) -> bool:
        """Whether ``name`` happened since the last ask; clears its flag and the history."""
        with self._lock:
            self.update()
            found = name in self._flags
            self._flags.discard(name)
            self._history.clear()
        return found

    def snapshot(self) -> dict[str, Any]:
        """Each axis in mg, and the current gesture ("none" for none)."""
        return {**dict(zip(AXES, self.values, strict=True)), "gesture": self.current or "none"}

    def get_gestures(self) -> tuple[str, ...]:
        """The gesture history, oldest first; empties it."""
        with self._lock:
            self.update()
            history = tuple(self._history)
            self._history.clear()
        return history

    def set_range(self, g: int) -> None:
        """Use the smallest supported range of at least ``g`` g (values are clamped to it)."""
        with self._lock:
            self.range_g = next((r for r in RANGES if r >= g), RANGES[-1])
            for axis, value in enumerate(self.values):
                self._store(axis, value)

    def strength(self) -> int:
        """The magnitude of the acceleration in mg (truncated)."""
        x, y, z = self.values
        return int(math.sqrt(x * x + y * y + z * z))


def gesture_input(spec: BoardSpec) -> InputSpec:
    """The ``gesture`` input: the gestures this board knows, performed now."""
    return InputSpec("gesture", EVENT, "Gesture", "none", choices=spec.gestures)


def describe(spec: BoardSpec) -> PartSpec:
    """The accelerometer, as the board's description gives it (gestures differ by board)."""
    return PartSpec("accelerometer", "Accelerometer", state=(*AXES, "gesture"),
                    inputs=(*AXIS_INPUTS, TILT, gesture_input(spec)))


def of(board: Any) -> Accelerometer:
    """The board's accelerometer, wired to the host's input."""

    def make() -> Accelerometer:
        part = Accelerometer(board.spec, board.clock, board.publish)
        for axis, spec in enumerate(AXIS_INPUTS):
            board.inputs.add("accelerometer", spec, lambda v, a=axis: part.set_axis(a, v))
        board.inputs.add("accelerometer", TILT, part.set_values)
        board.inputs.add("accelerometer", gesture_input(board.spec), part.perform)
        return part

    return board.part("accelerometer", make)
