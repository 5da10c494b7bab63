"""``microbit.accelerometer`` (reference §9): values in milli-g, range, gestures.

Gesture names are checked as the firmware does: ``invalid gesture`` for a name the
board doesn't know (V1 has no ``2g``; V2 also accepts ``''``, its "no gesture"),
and MicroPython's TypeError for a name that isn't a string. The recogniser and its
history live in the part (``ubit.sim.board.parts.accelerometer``).
"""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.board.parts import accelerometer as accelerometer_part
from ubit.sim.micropython.api.buttons import instance, native
from ubit.sim.micropython.args import to_int
from ubit.sim.shared.typenames import Any


def gesture_name(value: Any, known: frozenset[str]) -> str:
    """``value`` as a gesture name of this board, or the firmware's error."""
    if not isinstance(value, str):
        raise TypeError(f"can't convert '{type(value).__name__}' object to str implicitly")
    if value not in known:
        raise ValueError("invalid gesture")
    return value


@native("MicroBitAccelerometer")
class MicroBitAccelerometer:
    """The accelerometer (type ``MicroBitAccelerometer``)."""

    __slots__ = ("_part", "_clock", "_known")

    def _read(self) -> accelerometer_part.Accelerometer:
        self._clock.poll()
        self._part.update()
        return self._part

    def get_x(self) -> int:
        """Acceleration along x in milli-g."""
        return self._read().values[0]

    def get_y(self) -> int:
        """Acceleration along y in milli-g."""
        return self._read().values[1]

    def get_z(self) -> int:
        """Acceleration along z in milli-g."""
        return self._read().values[2]

    def get_values(self) -> tuple[int, int, int]:
        """(x, y, z) in milli-g."""
        x, y, z = self._read().values
        return (x, y, z)

    def get_strength(self) -> int:
        """The magnitude of the acceleration in milli-g."""
        return self._read().strength()

    def current_gesture(self) -> str:
        """The current gesture's name, or '' when there is none."""
        return self._read().current

    def is_gesture(self, name: Any) -> bool:
        """Whether ``name`` is the current gesture."""
        name = gesture_name(name, self._known)
        self._clock.poll()
        return self._part.is_gesture(name)

    def was_gesture(self, name: Any) -> bool:
        """Whether ``name`` happened since the last call for it; empties the history."""
        name = gesture_name(name, self._known)
        self._clock.poll()
        return self._part.was_gesture(name)

    def get_gestures(self) -> tuple[str, ...]:
        """The gestures since the last call, oldest first (at most 16)."""
        self._clock.poll()
        return self._part.get_gestures()

    def set_range(self, value: Any) -> None:
        """Measure up to ``value`` g (the nearest supported range at or above it)."""
        g = to_int(value)
        self._read().set_range(g)


def contribute(board: Board, ns: dict[str, Any]) -> None:
    """Add ``accelerometer``."""
    part = accelerometer_part.of(board)
    # V2's table maps '' to "no gesture" (so is_gesture('') works); V1 refuses it (QEMU).
    known = frozenset(board.spec.gestures) | ({""} if board.spec.empty_gesture else set())
    ns["accelerometer"] = instance(MicroBitAccelerometer, _part=part, _clock=board.clock,
                                   _known=known)
