"""``microbit.compass`` (reference §10): field in nano-tesla, heading, calibration.

``heading()`` on an uncalibrated compass calibrates first, as the firmware does.
Calibrating never waits for a person: it completes after a short stretch of board
time (``ubit.sim.board.parts.compass.CALIBRATION_MS``), so headless runs don't hang.
"""

from __future__ import annotations

from ubit.sim.board.board import Board
from ubit.sim.board.parts import compass as compass_part
from ubit.sim.micropython.api.buttons import instance, native
from ubit.sim.shared.typenames import Any


@native("MicroBitCompass")
class MicroBitCompass:
    """The compass (type ``MicroBitCompass``)."""

    __slots__ = ("_part", "_clock")

    def _read(self) -> compass_part.Compass:
        self._clock.poll()
        return self._part

    def heading(self) -> int:
        """Degrees clockwise from north (calibrates first if needed)."""
        part = self._read()
        if not part.calibrated:
            part.calibrate()
        return part.heading

    def is_calibrated(self) -> bool:
        """Whether the compass has been calibrated."""
        return self._read().calibrated

    def calibrate(self) -> None:
        """Calibrate (here: completes by itself after a short simulated delay)."""
        self._read().calibrate()

    def clear_calibration(self) -> None:
        """Forget the calibration."""
        self._read().clear_calibration()

    def get_x(self) -> int:
        """The field along x in nano-tesla."""
        return self._read().values[0]

    def get_y(self) -> int:
        """The field along y in nano-tesla."""
        return self._read().values[1]

    def get_z(self) -> int:
        """The field along z in nano-tesla."""
        return self._read().values[2]

    def get_field_strength(self) -> int:
        """The field's magnitude in nano-tesla."""
        return self._read().field_strength()


def contribute(board: Board, ns: dict[str, Any]) -> None:
    """Add ``compass``."""
    ns["compass"] = instance(MicroBitCompass, _part=compass_part.of(board),
                             _clock=board.clock)
