"""The compass: field on x/y/z in nano-tesla, the heading, and calibration (§10).

The heading is its own input (0–360°, 0 = north), as in the official simulator: the
host sets where the board points rather than a field that would have to agree.

Calibration: on a board, ``calibrate()`` (and ``heading()`` before any calibration)
blocks until a person tilts the board to light every LED. Here nobody is asked:
calibrating takes ``CALIBRATION_MS`` of board time, as if the user finished the
routine that quickly, then the compass is calibrated. In virtual time (tests,
headless runs) that costs no wall time, so a headless run never hangs on it.

Host input: ``compass_x``/``_y``/``_z`` (nT), ``compass_heading`` (degrees).
Published: the same ids → int, ``compass_calibrated`` → bool.
"""

from __future__ import annotations

import math

from ubit.sim.board.clock import Clock
from ubit.sim.board.parts.base import Part, Publish
from ubit.sim.shared.protocol import PartSpec, range_input
from ubit.sim.shared.typenames import Any

AXES = ("compass_x", "compass_y", "compass_z")
FIELD_LIMIT = 2_000_000  # nT, the official simulator's range (§10)
INPUTS = (
    *(range_input(axis, f"Magnetic field {axis[-1]}", -FIELD_LIMIT, FIELD_LIMIT, 0, "nT",
                  nudge=10_000) for axis in AXES),
    range_input("compass_heading", "Compass heading", 0, 360, 0, "°", nudge=15),
)
PART = PartSpec("compass", "Compass", state=(*AXES, "compass_heading", "compass_calibrated"),
                inputs=INPUTS)
CALIBRATION_MS = 2000  # how long the simulated user takes to calibrate


class Compass(Part):
    """Magnetic field, heading and whether the compass has been calibrated."""

    part_id = "compass"

    def __init__(self, clock: Clock, publish: Publish | None = None) -> None:
        super().__init__(publish)
        self.clock = clock
        self.values = [0, 0, 0]
        self.heading = 0
        self.calibrated = False

    def set_axis(self, axis: int, value: float) -> None:
        """Host input: the field on one axis in nT."""
        number = round(INPUTS[axis].clamp(float(value)))
        if number != self.values[axis]:
            self.values[axis] = number
            self.changed(number, AXES[axis])

    def set_heading(self, value: float) -> None:
        """Host input: where the board points, in degrees clockwise from north."""
        number = round(INPUTS[3].clamp(float(value)))
        if number != self.heading:
            self.heading = number
            self.changed(number, "compass_heading")

    def calibrate(self) -> None:
        """Run the calibration: it completes after ``CALIBRATION_MS`` of board time."""
        self.clock.sleep_ms(CALIBRATION_MS)
        self._set_calibrated(True)

    def clear_calibration(self) -> None:
        """Forget the calibration."""
        self._set_calibrated(False)

    def _set_calibrated(self, calibrated: bool) -> None:
        if calibrated != self.calibrated:
            self.calibrated = calibrated
            self.changed(calibrated, "compass_calibrated")

    def snapshot(self) -> dict[str, Any]:
        """The field on each axis (nT), the heading (°) and whether it is calibrated."""
        return {**dict(zip(AXES, self.values, strict=True)), "compass_heading": self.heading,
                "compass_calibrated": self.calibrated}

    def field_strength(self) -> int:
        """The field's magnitude in nT (truncated)."""
        x, y, z = self.values
        return int(math.sqrt(x * x + y * y + z * z))


def of(board: Any) -> Compass:
    """The board's compass, wired to the host's input."""

    def make() -> Compass:
        part = Compass(board.clock, board.publish)
        for axis, spec in enumerate(INPUTS[:3]):
            board.inputs.add(PART.id, spec, lambda v, a=axis: part.set_axis(a, v))
        board.inputs.add(PART.id, INPUTS[3], part.set_heading)
        return part

    return board.part(PART.id, make)
